// "Your code": every sample charged to the nearest frame in the user's own files.
//
// Time spent inside a dependency (node_modules) or Node.js internals is charged to the user's function
// that called into it, on the line that made the call, so "app.js:42 → lodash 18%" says which call to
// change. The profile only knows the calling function, not the calling line, so the line is found in
// the source (sourceScan.ts): the line of that function calling the entered function by name, else the
// line using the package's imported binding; when neither is unique, the function's first line, flagged.
import { GENERATED_CODE_LABEL, isGeneratedCodeFile } from './generatedCode';
import { isDependencyFile, packageNameOf } from './packages';
import { bindingsOfGeneratedCode, bindingsOfPackage, lastLineOf, linesCalling, linesUsing, SourceCache } from './sourceScan';
import type { ReportUserLine } from './types';

/** What the attribution needs of a function of the report model. */
export interface AttributedFunction {
  name: string;
  /** Original file (absolute path) and 1-based first line. */
  file: string;
  line: number;
  isUserCode: boolean;
}

/** A profile's call tree as the report model holds it (typed arrays by node index). */
export interface AttributionTree {
  /** Node indexes, parents before children (depth-first pre-order). */
  order: Int32Array;
  parents: Int32Array;
  selfUs: Float64Array;
  sampleCounts: Uint32Array;
  functionOfNode: Int32Array;
  /** 1 for nodes whose samples are work (code), 0 for GC, idle, program, root. */
  codeNodes: Uint8Array;
}

/** Own time of one line of the user's code (from the report's lines). */
export interface OwnLine {
  file: string;
  line: number;
  function: string;
  selfUs: number;
  hits: number;
}

/** Label of the time entered through a function that is not the user's. */
export const NODE_INTERNALS_LABEL = 'Node.js internals';

interface CallCharge {
  caller: number;
  callee: number;
  us: number;
  hits: number;
}

const MAX_VIA = 3;

export class UserCodeAttribution {
  /** `${caller}\0${callee}` → time entered into `callee` from the user's function `caller`. */
  private readonly charges = new Map<string, CallCharge>();
  private readonly isOwn: (fn: number) => boolean;

  constructor(private readonly functions: readonly AttributedFunction[]) {
    // Own: the user's files on disk; generated code is charged to the line that ran it.
    this.isOwn = fn => functions[fn].isUserCode && !isDependencyFile(functions[fn].file) && !isGeneratedCodeFile(functions[fn].file);
  }

  /** Charges the samples of foreign frames (dependencies, internals) to the nearest own frame above them. */
  addTree(tree: AttributionTree): void {
    const { order, parents, selfUs, sampleCounts, functionOfNode, codeNodes } = tree;
    const count = order.length;
    // For every node: the nearest own node at or above it, and the node through which its stack left it.
    const ownerNode = new Int32Array(parents.length).fill(-1);
    const entryNode = new Int32Array(parents.length).fill(-1);
    for (let k = 0; k < count; k++) {
      const node = order[k];
      const parent = parents[node];
      if (this.isOwn(functionOfNode[node])) {
        ownerNode[node] = node;
        continue;
      }
      if (parent < 0) continue;
      ownerNode[node] = ownerNode[parent];
      entryNode[node] = ownerNode[parent] === parent ? node : entryNode[parent];
      const us = selfUs[node];
      if (us === 0 || !codeNodes[node] || ownerNode[node] < 0) continue;
      const caller = functionOfNode[ownerNode[node]];
      const callee = functionOfNode[entryNode[node]];
      const key = `${caller}\0${callee}`;
      const charge = this.charges.get(key);
      if (charge) {
        charge.us += us;
        charge.hits += sampleCounts[node];
      } else this.charges.set(key, { caller, callee, us, hits: sampleCounts[node] });
    }
  }

  /**
   * The user's lines: own self time plus the time charged to them, heaviest first. `ownLines` are the
   * report's lines (only those outside node_modules count); `percentOf` turns µs into a share.
   */
  userLines(ownLines: Iterable<OwnLine>, percentOf: (us: number) => number, roundMs: (ms: number) => number): ReportUserLine[] {
    interface Entry { file: string; line: number; function: string; selfUs: number; chargedUs: number; hits: number; via: Map<string, number>; callLineUnknown: boolean }
    const entries = new Map<string, Entry>();
    const entryAt = (file: string, line: number, name: string): Entry => {
      const key = `${file}\0${line}`;
      let entry = entries.get(key);
      if (!entry) entries.set(key, (entry = { file, line, function: name, selfUs: 0, chargedUs: 0, hits: 0, via: new Map(), callLineUnknown: false }));
      return entry;
    };
    for (const own of ownLines) {
      if (isDependencyFile(own.file) || isGeneratedCodeFile(own.file)) continue;
      const entry = entryAt(own.file, own.line, own.function);
      entry.selfUs += own.selfUs;
      entry.hits += own.hits;
    }
    const sources = new SourceCache();
    for (const charge of this.charges.values()) {
      const caller = this.functions[charge.caller];
      const callee = this.functions[charge.callee];
      const label = viaLabel(callee);
      const callLine = findCallLine(sources, caller, callee);
      const entry = entryAt(caller.file, callLine ?? caller.line, caller.name);
      if (callLine === undefined) entry.callLineUnknown = true;
      entry.chargedUs += charge.us;
      entry.hits += charge.hits;
      entry.via.set(label, (entry.via.get(label) ?? 0) + charge.us);
    }
    return [...entries.values()]
      .map(entry => {
        const totalUs = entry.selfUs + entry.chargedUs;
        const line: ReportUserLine = {
          file: entry.file,
          line: entry.line,
          function: entry.function,
          totalMs: roundMs(totalUs / 1000),
          totalPercent: percentOf(totalUs),
          selfMs: roundMs(entry.selfUs / 1000),
          hits: entry.hits,
          via: [...entry.via].sort((a, b) => b[1] - a[1]).slice(0, MAX_VIA).map(([name, us]) => ({ name, ms: roundMs(us / 1000) })),
        };
        if (entry.callLineUnknown) line.callLineUnknown = true;
        return line;
      })
      .sort((a, b) => b.totalMs - a.totalMs || b.hits - a.hits || a.file.localeCompare(b.file) || a.line - b.line);
  }
}

/** What a foreign function is called in "→ lodash": its package, or Node.js internals. */
export function viaLabel(callee: AttributedFunction): string {
  if (isGeneratedCodeFile(callee.file)) return GENERATED_CODE_LABEL;
  return packageNameOf(callee.file) ?? (callee.isUserCode ? callee.file : NODE_INTERNALS_LABEL);
}

/** The line of `caller` that calls into `callee`, when the source tells it unambiguously. */
function findCallLine(sources: SourceCache, caller: AttributedFunction, callee: AttributedFunction): number | undefined {
  const lines = sources.lines(caller.file);
  if (!lines) return undefined;
  const end = lastLineOf(lines, caller.name, caller.line);
  const calleeName = callee.name && callee.name !== '(anonymous)' ? callee.name.split(/[ .]/).pop()! : '';
  const byName = calleeName ? linesCalling(lines, caller.line, end, calleeName) : [];
  if (byName.length === 1) return byName[0];
  if (isGeneratedCodeFile(callee.file)) {
    const byBinding = linesUsing(lines, caller.line, end, bindingsOfGeneratedCode(lines));
    if (byBinding.length === 1) return byBinding[0];
  }
  const packageName = packageNameOf(callee.file);
  if (packageName) {
    const byBinding = linesUsing(lines, caller.line, end, bindingsOfPackage(lines, packageName));
    const candidates = byName.length > 1 ? byBinding.filter(line => byName.includes(line)) : byBinding;
    if (candidates.length === 1) return candidates[0];
    // `[...].sort(semver.compare)`: the function is passed, not called, on the line that uses it.
    const mentioning = calleeName ? candidates.filter(line => mentions(lines[line - 1], calleeName)) : [];
    if (mentioning.length === 1) return mentioning[0];
  }
  return undefined;
}

function mentions(text: string, name: string): boolean {
  return /^[\w$]+$/.test(name) && new RegExp(`(^|[^\\w$])${name.replace(/\$/g, '\\$')}($|[^\\w$])`).test(text);
}
