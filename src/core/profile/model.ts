// The line/function model: turns one or more V8 CPU profiles into Report JSON v1.
//
// Time accounting (consistent everywhere below; sample weights come from sampleWeights.ts, which the
// flame graph uses too):
//  - sample i lasts until the next sample, i.e. `timeDeltas[i + 1]` µs (negative deltas, seen in some
//    Chrome profiles, count as 0); the last sample lasts one sampling interval. `timeDeltas[0]` is the
//    gap between `startTime` and the first sample and belongs to no sample. One sample never stands for
//    more than a few intervals (sampleWeights.ts): the rest of a long gap is `categories.unsampledMs`.
//  - a node's self time is the time of its samples; it is spread over the node's `positionTicks` lines in
//    proportion to their ticks (`hits` = ticks). A node without positionTicks puts it on its function's line.
//  - a function's total time is the sum of the subtrees of its outermost nodes on each stack, so a
//    recursive function counts each sample once.
//  - several profiles (DevTools files, main + children + workers) are simply summed.
import * as path from 'node:path';
import { CpuProfileLike, LoadedCpuProfileTable, NodeTable, nodeTableOf } from './cpuprofile';
import { DEFAULT_SAMPLE_INTERVAL_US, estimateSampleIntervalUs, sampleWeightCapUs, sampleWeightUs, selfTimePerNode } from './sampleWeights';
import { createLocationResolver, DependencyMapSummariser, LocationResolver, scriptUrlToPath } from './sourceMaps';
import { WaitsCollector } from './waits/report';
import { recordedLineText } from './sourceContext';
import { generatedCodeFile, isGeneratedCode } from './generatedCode';
import { InlinedTickResolver } from './inlinedTicks';
import { PROFILER_EVALUATED_SCRIPT } from './runProtocol';
import { SourceCache } from './sourceScan';
import { UserCodeAttribution } from './userAttribution';
import type { CpuProfileCallFrame, ProcessKind, Report, ReportCaller, ReportCategories, ReportFunction, ReportLine, ReportProcess } from './types';

export interface ProfileInput {
  /** Where the profile came from (shown in `processes`). */
  path: string;
  profile: CpuProfileLike | LoadedCpuProfileTable;
}

export interface ReportOptions {
  command: string[];
  exitCode: number | null;
  signal: string | null;
  wallMs: number;
  /** Keep lines and functions under node_modules (default true; their time always counts as user time). */
  includeDependencies?: boolean;
  /** Warnings of the caller (launcher, reader) to show first. */
  warnings?: string[];
  /**
   * The warning about dependencies whose source maps are unusable (default: one line naming them all);
   * the launcher passes one that names each dependency version once per workspace (dependencyMapWarnings.ts).
   */
  dependencyMapWarning?: DependencyMapSummariser;
}

/** Report line plus fields the hover uses. */
export interface ModelReportLine extends ReportLine {
  /** Inclusive time of the function that owns the line. */
  functionTotalMs: number;
}

const MAX_CALLERS = 5;

/** blockedMs is part of idleMs and unsampledMs is outside the sampled time: neither is a category of samples. */
type Category = Exclude<keyof ReportCategories, 'blockedMs' | 'unsampledMs'>;

interface FunctionAggregate {
  name: string;
  file: string;
  line: number;
  isUserCode: boolean;
  selfUs: number;
  totalUs: number;
  /** caller function index → inclusive µs spent in this function when called from there */
  callerUs: Map<number, number>;
}

interface LineAggregate {
  file: string;
  line: number;
  selfUs: number;
  hits: number;
  /** Part of selfUs that is inlined code whose own line is unknown. */
  inlinedUs: number;
  /** function index → µs, to name the line after the function that owns most of its time */
  functionUs: Map<number, number>;
}

export function buildReport(inputs: ProfileInput[], options: ReportOptions): Report {
  const builder = new ReportBuilder(options);
  for (const input of inputs) builder.addProfile(input.path, input.profile);
  return builder.build();
}

/**
 * Accumulates profiles one at a time, so callers reading many large files can drop each profile as
 * soon as it has been added.
 */
export class ReportBuilder {
  private readonly resolver: LocationResolver;
  private readonly functions: FunctionAggregate[] = [];
  private readonly functionIndex = new Map<string, number>();
  private readonly lines = new Map<string, LineAggregate>();
  private readonly categoryUs: Record<Category, number> = { userMs: 0, nodeInternalsMs: 0, gcMs: 0, idleMs: 0, programMs: 0 };
  private readonly processes: ReportProcess[] = [];
  private readonly userCode = new UserCodeAttribution(this.functions);
  private readonly profilesWithInlining: string[] = [];
  /** Of those, the profiles Hotspots did not record (`node --cpu-prof`, DevTools). */
  private foreignProfilesWithInlining = 0;
  /** Line ticks of inlined code outside their function's lines: moved to the callee's line, or not. */
  private inlinedTicksRecoveredUs = 0;
  private inlinedTicksUnplacedUs = 0;
  private sampledLineUs = 0;
  private readonly sources = new SourceCache();
  private readonly embeddedSourceLines = new Map<string, string[]>();
  /** Gaps between samples beyond what one sample may stand for (see sampleWeights.ts). */
  private unsampledUs = 0;
  private sampleIntervalUs: number | undefined;
  /** Main thread's CPU time before the user's first file ran (undefined: no profile knew its program start). */
  private startupUs: number | undefined;
  private readonly waits: WaitsCollector;

  constructor(private readonly options: ReportOptions) {
    this.resolver = createLocationResolver();
    this.waits = new WaitsCollector(this.resolver);
  }

  /** The resolver used for all locations (shared so the flame graph can map frames the same way). */
  get locationResolver(): LocationResolver {
    return this.resolver;
  }

  addProfile(profilePath: string, profile: CpuProfileLike | LoadedCpuProfileTable): void {
    const meta = profile.$hotspots;
    this.resolver.addProfileMaps(meta);
    // pprof lists inlined functions as frames of their own with their own lines (several Lines per Location),
    // so V8's way of putting an inlined callee's ticks on its caller does not apply to it.
    const v8Inlining = meta?.inliningDisabled !== true && profile.sampleWeightsUs === undefined;
    if (v8Inlining) this.profilesWithInlining.push(profilePath);
    // A Hotspots run with --keep-inlining (it recorded the profile): the advice is to leave that option out.
    if (v8Inlining && meta === undefined) this.foreignProfilesWithInlining++;
    const intervalUs = meta?.sampleIntervalUs ?? estimateSampleIntervalUs(profile.timeDeltas);
    this.sampleIntervalUs ??= intervalUs;

    const nodes = 'nodeTable' in profile ? profile.nodeTable : nodeTableOf(profile.nodes);
    const nodeIndex = new NodeIndex(nodes.ids);
    const { selfUs, sampleCounts, unsampledUs } = selfTimePerNode(profile, { count: nodes.count, hitCounts: nodes.hitCounts, indexOf: id => nodeIndex.indexOf(id), idOffset: nodeIndex.idOffset }, intervalUs);
    const parents = parentIndexes(nodes, nodeIndex);
    // Many nodes share a call frame (one per distinct stack), so locations are resolved once per frame.
    const frames = new FrameTable(this, v8Inlining, meta ? new Set(meta.profilerScripts ?? []) : undefined);
    const frameOfTableFrame = nodes.frames.map(callFrame => frames.get(callFrame));
    const { frameOf, tickStart, tickLines, tickCounts } = nodes;
    const { samples } = profile;
    const isIdleSample = (i: number): boolean => {
      const index = nodeIndex.indexOf(samples![i]);
      return index >= 0 && frameOfTableFrame[frameOf[index]].category === 'idleMs';
    };
    const programStartMs = meta?.kind === 'main' ? meta.waits?.programStartMs : undefined;
    let droppedUnsampledUs = 0;
    if (programStartMs !== undefined) {
      const beforeProgram = splitTimeBeforeProgramStart(profile, { selfUs, sampleCounts }, programStartMs * 1000 + meta!.waits!.clockOffsetUs, isIdleSample, id => nodeIndex.indexOf(id), intervalUs);
      droppedUnsampledUs = beforeProgram.droppedUnsampledUs;
      this.startupUs = (this.startupUs ?? 0) + beforeProgram.startupUs;
    }
    this.unsampledUs += Math.max(0, unsampledUs - droppedUnsampledUs);
    const inlined = !v8Inlining ? undefined : new InlinedTickResolver(this.sources, nodes.frames, calleesOfFrames(nodes, nodeIndex));
    const functionOfNode = new Int32Array(nodes.count);
    const callerNodes = new Uint8Array(nodes.count);
    let sampledUs = 0;
    for (let i = 0; i < nodes.count; i++) {
      const frame = frameOfTableFrame[frameOf[i]];
      functionOfNode[i] = frame.functionIndex;
      callerNodes[i] = frame.isCaller ? 1 : 0;
      const us = selfUs[i];
      if (us === 0) continue;
      // Summed per frame and folded into categories and functions once per frame (see foldFrameTotals).
      frame.selfUs += us;
      sampledUs += us;
      if (frame.category === 'userMs') this.addLines(frame, tickLines, tickCounts, tickStart[i], tickStart[i + 1], us, sampleCounts[i], frames, inlined);
    }
    this.foldFrameTotals(frames);
    this.waits.addThread(profile, meta?.waits, isIdleSample, intervalUs, meta?.kind === 'main');
    const order = depthFirstOrder(nodes, parents, nodeIndex);
    this.addInclusiveTimes(parents, selfUs, functionOfNode, callerNodes, order);
    this.userCode.addTree({ order, parents, selfUs, sampleCounts, functionOfNode, codeNodes: callerNodes });
    this.processes.push({
      pid: meta?.pid ?? pidFromFileName(profilePath),
      kind: meta?.kind ?? ('main' as ProcessKind),
      argv: meta?.argv ?? [],
      profile: profilePath,
      sampledMs: roundMs(sampledUs / 1000),
    });
  }

  build(): Report {
    const { options } = this;
    const categories: ReportCategories = { ...this.categoryUs };
    for (const key of Object.keys(categories) as Category[]) categories[key] = roundMs(categories[key] / 1000);
    const reportCategories: ReportCategories = { ...categories, unsampledMs: roundMs(this.unsampledUs / 1000) };
    const totalUs = Object.values(this.categoryUs).reduce((sum, us) => sum + us, 0);
    const busyUs = totalUs - this.categoryUs.idleMs;
    const percent = (us: number): number => (busyUs > 0 ? Math.round((us / busyUs) * 10000) / 100 : 0);
    const keep = (file: string): boolean => options.includeDependencies !== false || !isDependency(file);

    const callerLists = new Map<FunctionAggregate, ReportCaller[]>();
    const callersOf = (fn: FunctionAggregate): ReportCaller[] => {
      let callers = callerLists.get(fn);
      if (!callers) {
        callers = heaviest(fn.callerUs, MAX_CALLERS).map(([callerIndex, us]) => {
            const caller = this.functions[callerIndex];
            return { name: caller.name, file: caller.file, line: caller.line, ms: roundMs(us / 1000) };
          });
        callerLists.set(fn, callers);
      }
      // Lines of one function share its (read-only) list: huge profiles have tens of thousands of lines.
      return callers;
    };

    const lines: ModelReportLine[] = [];
    for (const line of this.lines.values()) {
      if (!keep(line.file)) continue;
      const fn = this.functions[heaviestKey(line.functionUs)];
      const inlinedMs = line.inlinedUs > 0 ? { inlinedMs: roundMs(line.inlinedUs / 1000) } : {};
      lines.push({
        ...inlinedMs,
        ...this.embeddedText(line.file, line.line),
        file: line.file,
        line: line.line,
        selfMs: roundMs(line.selfUs / 1000),
        selfPercent: percent(line.selfUs),
        hits: line.hits,
        function: fn.name,
        callers: callersOf(fn),
        functionTotalMs: roundMs(fn.totalUs / 1000),
      });
    }
    lines.sort((a, b) => b.selfMs - a.selfMs || b.hits - a.hits || a.file.localeCompare(b.file) || a.line - b.line);

    const functions: ReportFunction[] = this.functions
      .filter(fn => fn.isUserCode && fn.totalUs > 0 && keep(fn.file))
      .sort((a, b) => b.selfUs - a.selfUs || b.totalUs - a.totalUs)
      .map(fn => ({
        name: fn.name,
        file: fn.file,
        line: fn.line,
        selfMs: roundMs(fn.selfUs / 1000),
        totalMs: roundMs(fn.totalUs / 1000),
        selfPercent: percent(fn.selfUs),
        totalPercent: percent(fn.totalUs),
        callers: callersOf(fn),
      }));

    const ownLines = Array.from(this.lines.values(), line => ({ ...line, function: this.functions[heaviestKey(line.functionUs)].name }));
    const userLines = this.userCode.userLines(ownLines, percent, roundMs);

    // Shares of waiting are of the program's own elapsed time (Node's startup is not the program's).
    const wallMs = this.waits.elapsedMs ?? options.wallMs;
    if (this.waits.hasRecordings) reportCategories.blockedMs = this.waits.totalBlockedMs;
    const report: Report = {
      version: 1,
      command: options.command,
      exitCode: options.exitCode,
      signal: options.signal,
      wallMs: options.wallMs,
      sampleIntervalUs: this.sampleIntervalUs ?? DEFAULT_SAMPLE_INTERVAL_US,
      totalSampledMs: roundMs(totalUs / 1000),
      categories: reportCategories,
      processes: [...this.processes],
      lines,
      functions,
      userLines,
      warnings: [...(options.warnings ?? []), ...this.inliningWarnings(), ...(options.dependencyMapWarning ? this.resolver.warningsWith(options.dependencyMapWarning) : this.resolver.warnings), ...this.waits.warnings],
    };
    if (this.waits.elapsedMs !== undefined) report.elapsedMs = this.waits.elapsedMs;
    if (this.startupUs !== undefined) report.startupMs = roundMs(this.startupUs / 1000);
    if (this.waits.hasRecordings) report.waits = this.waits.build(wallMs, options.includeDependencies !== false);
    return report;
  }

  /** `text` of a line whose source exists only inside its source map (a minified dependency's). */
  private embeddedText(file: string, line: number): { text?: string } {
    const source = this.resolver.embeddedSource(file);
    if (source === undefined) return {};
    let lines = this.embeddedSourceLines.get(file);
    if (!lines) this.embeddedSourceLines.set(file, (lines = source.split(/\r?\n/)));
    const text = lines[line - 1];
    return text === undefined ? {} : { text: recordedLineText(text) };
  }

  private inliningWarnings(): string[] {
    if (this.profilesWithInlining.length === 0) return [];
    const which = this.profilesWithInlining.length === 1 ? path.basename(this.profilesWithInlining[0]) : `${this.profilesWithInlining.length} profiles`;
    const warnings = [
      `${which} ${this.profilesWithInlining.length === 1 ? 'was' : 'were'} recorded with V8 inlining enabled: ` +
        "time of inlined functions may show on their callers' lines " +
        (this.foreignProfilesWithInlining > 0 ? '(profile with `hotspots profile` for exact lines)' : '(profile without --keep-inlining for exact lines)'),
    ];
    const outsideUs = this.inlinedTicksRecoveredUs + this.inlinedTicksUnplacedUs;
    if (outsideUs > 0) {
      const share = (us: number): string => `${this.sampledLineUs > 0 ? ((us / this.sampledLineUs) * 100).toFixed(1) : '0'}%`;
      warnings.push(
        `${share(outsideUs)} of the time on lines (${roundMs(outsideUs / 1000)} ms) came from inlined code outside its caller's lines: ` +
          `${share(this.inlinedTicksRecoveredUs)} put back on the inlined function's own line, ` +
          `${share(this.inlinedTicksUnplacedUs)} shown as inlined code on the caller's first line (inlinedMs)`,
      );
    }
    return warnings;
  }

  /** Index of the (original-location) function of a call frame in `functions`. */
  functionFor(frame: CpuProfileCallFrame, isUserCode: boolean): number {
    const name = frame.functionName || '(anonymous)';
    const location = isUserCode
      ? this.resolver.resolve(frame.url, frame.lineNumber, frame.columnNumber)
      : { file: scriptUrlToPath(frame.url), line: frame.lineNumber + 1 };
    const key = `${location.file}\0${location.line}\0${name}`;
    let index = this.functionIndex.get(key);
    if (index === undefined) {
      index = this.functions.length;
      this.functions.push({ name, file: location.file, line: location.line, isUserCode, selfUs: 0, totalUs: 0, callerUs: new Map() });
      this.functionIndex.set(key, index);
    }
    return index;
  }

  /** Spreads a node's self time over its positionTicks `lines`/`counts[start .. end)`. */
  private addLines(
    frame: FrameInfo, lines: Float64Array, counts: Float64Array, start: number, end: number, selfUs: number, samples: number,
    frames: FrameTable, inlined: InlinedTickResolver | undefined,
  ): void {
    this.sampledLineUs += selfUs;
    let totalTicks = 0;
    for (let t = start; t < end; t++) totalTicks += counts[t];
    if (totalTicks === 0) {
      const entry = frame.lineAt(FUNCTION_LINE);
      entry.us += selfUs;
      entry.hits += samples;
      return;
    }
    for (let t = start; t < end; t++) {
      const line = lines[t];
      const ticks = counts[t];
      const us = (selfUs * ticks) / totalTicks;
      let owner = frame;
      let at = line;
      const pastScript = line < frame.startLine || line > frame.lastPlausibleLine;
      if (pastScript || inlined?.isOutside(frame.callFrame, line)) {
        // Only inlining puts a line outside the function's own lines on its node (inlinedTicks.ts).
        const place = inlined ? inlined.place(frame.callFrame, line) : { kind: 'unknown' as const };
        // Past the end of the script the line cannot be this file's.
        if (place.kind === 'sameFile' && line <= frame.lastPlausibleLine) {
          if (place.frame) owner = frames.get(place.frame);
          this.inlinedTicksRecoveredUs += us;
        } else if (place.kind === 'callee') {
          owner = frames.get(place.callee);
          this.inlinedTicksRecoveredUs += us;
        } else {
          at = FUNCTION_LINE;
          this.inlinedTicksUnplacedUs += us;
          frame.lineAt(FUNCTION_LINE).inlinedUs += us;
        }
      }
      const entry = owner.lineAt(at);
      entry.us += us;
      entry.hits += ticks;
    }
  }

  /** Moves a profile's per-frame sums into categories, functions and original lines (once per frame and line). */
  private foldFrameTotals(frames: FrameTable): void {
    for (const frame of frames.all()) {
      this.categoryUs[frame.category] += frame.selfUs;
      this.functions[frame.functionIndex].selfUs += frame.selfUs;
      for (const [line, entry] of frame.lines) {
        let file: string;
        let originalLine: number;
        if (line === FUNCTION_LINE) {
          ({ file, line: originalLine } = this.functions[frame.functionIndex]);
        } else {
          // A tick on the function's own first line: only code from the function's start on is its own
          // (a minified line holds many functions; the line's first mapping may be another one's).
          const fromColumn0 = line === frame.startLine ? frame.callFrame.columnNumber : 0;
          ({ file, line: originalLine } = this.resolver.resolve(frame.url, line - 1, undefined, fromColumn0));
        }
        const key = `${file}\0${originalLine}`;
        let aggregate = this.lines.get(key);
        if (!aggregate) {
          aggregate = { file, line: originalLine, selfUs: 0, hits: 0, inlinedUs: 0, functionUs: new Map() };
          this.lines.set(key, aggregate);
        }
        aggregate.selfUs += entry.us;
        aggregate.hits += entry.hits;
        aggregate.inlinedUs += entry.inlinedUs;
        aggregate.functionUs.set(frame.functionIndex, (aggregate.functionUs.get(frame.functionIndex) ?? 0) + entry.us);
      }
    }
  }

  /**
   * Inclusive time per function and per caller. Subtree totals are summed children-first; a function only
   * collects the subtree of a node where it is not already on the stack above (recursion counts once).
   * Both passes walk the nodes in depth-first pre-order with typed arrays only.
   */
  private addInclusiveTimes(parents: Int32Array, selfUs: Float64Array, functionOfNode: Int32Array, callerNodes: Uint8Array, order: Int32Array): void {
    const nodeCount = order.length;
    const subtreeUs = Float64Array.from(selfUs);
    for (let k = nodeCount - 1; k >= 0; k--) {
      const node = order[k];
      const parent = parents[node];
      if (parent >= 0) subtreeUs[parent] += subtreeUs[node];
    }
    const onStack = new Int32Array(this.functions.length);
    const stack = new Int32Array(nodeCount);
    let depth = 0;
    for (let k = 0; k < nodeCount; k++) {
      const node = order[k];
      const parent = parents[node];
      while (depth > 0 && stack[depth - 1] !== parent) onStack[functionOfNode[stack[--depth]]]--;
      const fn = functionOfNode[node];
      const outermost = onStack[fn] === 0;
      onStack[fn]++;
      stack[depth++] = node;
      if (!outermost || subtreeUs[node] === 0) continue;
      const aggregate = this.functions[fn];
      aggregate.totalUs += subtreeUs[node];
      if (parent >= 0 && callerNodes[parent]) {
        const callerFn = functionOfNode[parent];
        aggregate.callerUs.set(callerFn, (aggregate.callerUs.get(callerFn) ?? 0) + subtreeUs[node]);
      }
    }
  }
}

/**
 * Node indexes in depth-first pre-order (every subtree contiguous, parents first). V8 writes nodes in
 * that order already, which is checked in one pass; other orders are sorted by an explicit walk that
 * also drops nodes unreachable from a root (a malformed profile's cycles).
 */
function depthFirstOrder(nodes: NodeTable, parents: Int32Array, nodeIndex: NodeIndex): Int32Array {
  const count = nodes.count;
  const path = new Int32Array(count);
  let depth = 0;
  let alreadyOrdered = true;
  for (let i = 0; i < count && alreadyOrdered; i++) {
    const parent = parents[i];
    if (parent < 0) depth = 0;
    else {
      while (depth > 0 && path[depth - 1] !== parent) depth--;
      if (depth === 0) alreadyOrdered = false;
    }
    path[depth++] = i;
  }
  if (alreadyOrdered) {
    const identity = new Int32Array(count);
    for (let i = 0; i < count; i++) identity[i] = i;
    return identity;
  }
  const order: number[] = [];
  const visited = new Uint8Array(count);
  const pending: number[] = [];
  for (let i = count - 1; i >= 0; i--) if (parents[i] < 0) pending.push(i);
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (visited[node]) continue;
    visited[node] = 1;
    order.push(node);
    for (let c = nodes.childStart[node + 1] - 1; c >= nodes.childStart[node]; c--) {
      const child = nodeIndex.indexOf(nodes.childIds[c]);
      if (child >= 0 && parents[child] === node && !visited[child]) pending.push(child);
    }
  }
  return Int32Array.from(order);
}

/** Key of the line sums that belong on the function's own line (no positionTicks). */
const FUNCTION_LINE = -1;

/** Time and hits a frame spent on one generated line of its script. */
interface FrameLine {
  us: number;
  hits: number;
  /** Part of `us` that is inlined code whose own line is unknown. */
  inlinedUs: number;
}

class FrameInfo {
  /** generated line (1-based, or FUNCTION_LINE) → sums */
  readonly lines = new Map<number, FrameLine>();
  /** Ticks on later lines cannot be this function's (the script has no such line). */
  lastPlausibleLine = Infinity;
  /** Self time of all nodes of this frame in the profile being added. */
  selfUs = 0;
  /** Another frame of the same FrameTable hash. */
  nextWithSameHash: FrameInfo | undefined;

  constructor(
    readonly callFrame: CpuProfileCallFrame,
    readonly category: Category,
    readonly functionIndex: number,
  ) {}

  get url(): string {
    return this.callFrame.url;
  }

  /** 1-based line where the function starts in its generated script. */
  get startLine(): number {
    return this.callFrame.lineNumber + 1;
  }

  /** Whether the frame counts as a caller (real code, not `(root)` or V8 pseudo frames). */
  get isCaller(): boolean {
    return this.category === 'userMs' || this.category === 'nodeInternalsMs';
  }

  lineAt(line: number): FrameLine {
    let entry = this.lines.get(line);
    if (!entry) this.lines.set(line, (entry = { us: 0, hits: 0, inlinedUs: 0 }));
    return entry;
  }
}

/**
 * Call frames of one profile, deduplicated by content (url, position, name).
 */
class FrameTable {
  private readonly byKey = new Map<number, FrameInfo>();
  private readonly list: FrameInfo[] = [];

  constructor(
    private readonly builder: ReportBuilder,
    /** Whether V8 inlined functions in this profile, so ticks may carry other scripts' line numbers. */
    private readonly withInlining: boolean,
    /** Set when the Hotspots preload recorded this profile: the URLs of its own scripts in it. */
    private readonly profilerScripts: ReadonlySet<string> | undefined,
  ) {}

  get(callFrame: CpuProfileCallFrame): FrameInfo {
    // Columns only matter where a source map maps them: elsewhere frames that differ only in their
    // column (one per call site in generated code) share one FrameInfo, so a profile where most nodes
    // have a frame of their own costs one FrameInfo per function, not per node.
    const { mapped: byColumn, profilerScript } = this.scriptOf(callFrame.url);
    // A small-integer hash of script and position (cheaper than a string key, and unboxed); frames that
    // collide are chained and told apart by their fields, usually the very same shared strings.
    const key = positionHash(callFrame, byColumn);
    const first = this.byKey.get(key);
    for (let frame = first; frame; frame = frame.nextWithSameHash) {
      const known = frame.callFrame;
      if (known.functionName === callFrame.functionName && known.url === callFrame.url && known.lineNumber === callFrame.lineNumber && (!byColumn || known.columnNumber === callFrame.columnNumber)) {
        return frame;
      }
    }
    // esbuild's helpers in TypeScript we transpiled are runtime glue, like Node's internals: their time goes
    // to the line of yours that called them, not to a line of the .ts file they are not on.
    const category = profilerScript || this.builder.locationResolver.isTranspilerHelper(callFrame.url, callFrame.lineNumber) ? 'nodeInternalsMs' : categorize(callFrame);
    // Generated code is listed under a name of its own (generatedCode.ts), not as Node's internals.
    const located = isGeneratedCode(callFrame) ? { ...callFrame, url: generatedCodeFile(callFrame) } : callFrame;
    const frame = new FrameInfo(located, category, this.builder.functionFor(located, category === 'userMs'));
    if (this.withInlining && category === 'userMs' && /\.[cm]?js$/.test(callFrame.url)) {
      // A line past the end of the script can only come from an inlined callee. Only plain JavaScript is
      // checked: for other files a loader may have run different (longer) code than the file on disk.
      frame.lastPlausibleLine = this.builder.locationResolver.generatedLineCount(callFrame.url) ?? Infinity;
    }
    frame.nextWithSameHash = first;
    this.byKey.set(key, frame);
    this.list.push(frame);
    return frame;
  }

  all(): readonly FrameInfo[] {
    return this.list;
  }

  private lastScript: { url: string; mapped: boolean; profilerScript: boolean } | undefined;

  /** Whether `url` is source-mapped (then columns matter) and whether it is one of the profiler's own scripts. */
  private scriptOf(url: string): { mapped: boolean; profilerScript: boolean } {
    // Consecutive frames are mostly from one script: remember the last answer.
    if (url !== this.lastScript?.url) {
      const profilerScript = this.profilerScripts !== undefined && isProfilerScript(url, this.profilerScripts);
      // The profiler's own scripts are never shown by line: their source maps are not read (dist/cli.js
      // is below every stack of a program run inside `hotspots profile`, and its map is megabytes).
      this.lastScript = { url, profilerScript, mapped: !profilerScript && this.builder.locationResolver.hasSourceMap(url) };
    }
    return this.lastScript;
  }
}

/** 30-bit hash of a call frame's script and position (small integers stay unboxed as Map keys). */
function positionHash(callFrame: CpuProfileCallFrame, withColumn = true): number {
  const script = Number(callFrame.scriptId) | 0;
  const column = withColumn ? callFrame.columnNumber : 0;
  return (Math.imul(callFrame.lineNumber, 0x9e3779b1) ^ Math.imul(column, 0x85ebca6b) ^ Math.imul(script, 0xc2b2ae35)) & 0x3fffffff;
}

function categorize(callFrame: CpuProfileCallFrame): Category {
  const { functionName, url } = callFrame;
  switch (functionName) {
    case '(idle)': return 'idleMs';
    case '(garbage collector)': return 'gcMs';
    case '(program)':
    case '(root)': return 'programMs';
  }
  return isRealFile(url) || isGeneratedCode(callFrame) ? 'userMs' : 'nodeInternalsMs';
}

/**
 * The profiler's own scripts (its preload, ESM hooks and the esbuild that transpiles TypeScript) run
 * inside the profiled program; their milliseconds are the profiler's, not the user's, so they count
 * with Node's internals and never show as hot lines. Profiles from before `profilerScripts` was
 * recorded are recognised by the preload's bundle names.
 */
function isProfilerScript(url: string, profilerScripts: ReadonlySet<string>): boolean {
  return profilerScripts.has(url) || url === PROFILER_EVALUATED_SCRIPT || /[\\/]dist[\\/](preload\.js|esmHooks\.mjs)$/.test(url);
}

/** Scripts with a real location: absolute paths, file:// and http(s):// URLs. `node:`, `internal/...`, '' are Node's. */
function isRealFile(url: string): boolean {
  if (!url) return false;
  return url.startsWith('file://') || url.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(url) || /^https?:\/\//.test(url);
}

function isDependency(file: string): boolean {
  return /[\\/]node_modules[\\/]/.test(file);
}

/** The `count` entries with the largest values, largest first (one pass; lists are long, counts small). */
function heaviest(values: Map<number, number>, count: number): [number, number][] {
  const top: [number, number][] = [];
  for (const entry of values) {
    if (top.length === count && entry[1] <= top[count - 1][1]) continue;
    let at = top.length === count ? count - 1 : top.length;
    while (at > 0 && top[at - 1][1] < entry[1]) {
      if (at < count) top[at] = top[at - 1];
      at--;
    }
    top[at] = entry;
  }
  return top;
}

function heaviestKey(values: Map<number, number>): number {
  let best = -1;
  let bestValue = -Infinity;
  for (const [key, value] of values) if (value > bestValue) { best = key; bestValue = value; }
  return best;
}

function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** Node id → index in `nodes`; a dense table when ids are small integers (V8 numbers them 1..n). */
class NodeIndex {
  private readonly dense: Int32Array | undefined;
  private readonly sparse: Map<number, number> | undefined;
  /** Set when every node's id is its index plus this number (V8 numbers nodes 1..n in order). */
  readonly idOffset: number | undefined;
  private readonly count: number;

  constructor(ids: Float64Array) {
    this.count = ids.length;
    const offset = ids.length > 0 ? ids[0] : 0;
    if (Number.isInteger(offset) && ids.every((id, index) => id === index + offset)) {
      this.idOffset = offset;
      return;
    }
    let maxId = 0;
    let integers = true;
    for (const id of ids) {
      if (!Number.isInteger(id) || id < 0) integers = false;
      else if (id > maxId) maxId = id;
    }
    if (integers && maxId <= ids.length * 4 + 1024) {
      this.dense = new Int32Array(maxId + 1).fill(-1);
      ids.forEach((id, index) => { this.dense![id] = index; });
    } else {
      this.sparse = new Map(Array.from(ids, (id, index) => [id, index]));
    }
  }

  indexOf(id: number): number {
    if (this.idOffset !== undefined) {
      const index = id - this.idOffset;
      return index >= 0 && index < this.count ? index : -1;
    }
    if (this.dense) return id >= 0 && id < this.dense.length ? this.dense[id] : -1;
    return this.sparse!.get(id) ?? -1;
  }
}

/** For each call frame of a profile, the frames its nodes call (children), computed on first use. */
function calleesOfFrames(nodes: NodeTable, nodeIndex: NodeIndex): (caller: CpuProfileCallFrame) => readonly CpuProfileCallFrame[] {
  let byFrame: Map<CpuProfileCallFrame, Set<CpuProfileCallFrame>> | undefined;
  return caller => {
    if (!byFrame) {
      byFrame = new Map();
      for (let i = 0; i < nodes.count; i++) {
        const callFrame = nodes.frames[nodes.frameOf[i]];
        let callees = byFrame.get(callFrame);
        for (let c = nodes.childStart[i]; c < nodes.childStart[i + 1]; c++) {
          const child = nodeIndex.indexOf(nodes.childIds[c]);
          if (child < 0) continue;
          if (!callees) byFrame.set(callFrame, (callees = new Set()));
          callees.add(nodes.frames[nodes.frameOf[child]]);
        }
      }
    }
    return [...(byFrame.get(caller) ?? [])];
  };
}

interface TimeBeforeProgramStart {
  /** Unsampled time of the dropped idle samples' gaps: it leaves the report's unsampled time too. */
  droppedUnsampledUs: number;
  /** Weight of the busy samples before the start (Node's start-up, the loader reading the entry), kept in the CPU tables. */
  startupUs: number;
}

/**
 * Splits the main thread's samples from before the user's first file ran. Its idle samples (the wait for
 * the module graph to be loaded: TypeScript ES modules are transpiled on Node's loader thread while this
 * thread idles) are not the program's time: their weight leaves the nodes' self time, so the sampled, idle
 * and elapsed times start where the program does. Its busy samples are real CPU (Node.js internals, the
 * profiler's preload) and stay in the tables, but they are not the program's time either: their weight is
 * measured (`startupUs`) so "where the time went" can tell start-up from the program being busy.
 */
function splitTimeBeforeProgramStart(
  profile: CpuProfileLike | LoadedCpuProfileTable,
  times: { selfUs: Float64Array; sampleCounts: Uint32Array },
  programStartUs: number,
  isIdleSample: (sample: number) => boolean,
  indexOf: (id: number) => number,
  intervalUs: number,
): TimeBeforeProgramStart {
  const split: TimeBeforeProgramStart = { droppedUnsampledUs: 0, startupUs: 0 };
  const { samples, timeDeltas } = profile;
  if (!samples || !timeDeltas || profile.sampleWeightsUs) return split;
  const capUs = sampleWeightCapUs(intervalUs);
  let timeUs = profile.startTime;
  for (let i = 0; i < samples.length; i++) {
    timeUs += i < timeDeltas.length ? timeDeltas[i] : 0;
    const rawUs = i + 1 < samples.length && i + 1 < timeDeltas.length ? timeDeltas[i + 1] : 0;
    // Only samples that ended before the program started: the first one of the program stays whole.
    if (timeUs + Math.max(rawUs, 0) > programStartUs) break;
    const index = indexOf(samples[i]);
    // A sample of no known node has no weight in the tables either.
    if (index < 0) continue;
    // The same weight the sample has in the tables, so start-up is a part of their busy time.
    const weightUs = sampleWeightUs(timeDeltas, i, samples.length, intervalUs, capUs);
    if (!isIdleSample(i)) {
      split.startupUs += weightUs;
      continue;
    }
    times.selfUs[index] = Math.max(0, times.selfUs[index] - weightUs);
    if (times.sampleCounts[index] > 0) times.sampleCounts[index]--;
    if (rawUs > weightUs) split.droppedUnsampledUs += rawUs - weightUs;
  }
  return split;
}

function parentIndexes(nodes: NodeTable, nodeIndex: NodeIndex): Int32Array {
  const parents = new Int32Array(nodes.count).fill(-1);
  const { childStart, childIds, parentIds } = nodes;
  for (let index = 0; index < nodes.count; index++) {
    for (let c = childStart[index]; c < childStart[index + 1]; c++) {
      const child = nodeIndex.indexOf(childIds[c]);
      if (child >= 0 && child !== index && parents[child] < 0) parents[child] = index;
    }
    // Old DevTools profiles store the parent on the child instead of children on the parent.
    const parentId = parentIds?.get(index);
    if (parentId !== undefined && parents[index] < 0) parents[index] = nodeIndex.indexOf(parentId);
  }
  return parents;
}

/** `node --cpu-prof` names files CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile; others often end in -<pid>. */
function pidFromFileName(profilePath: string): number {
  const name = path.basename(profilePath);
  const match = /^CPU\.\d+\.\d+\.(\d+)\./.exec(name) ?? /[-_.](\d+)\.cpuprofile$/.exec(name);
  return match ? Number(match[1]) : 0;
}
