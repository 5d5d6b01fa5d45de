// The line/function model: turns one or more V8 CPU profiles into Report JSON v1.
//
// Time accounting (consistent everywhere below):
//  - sample i lasts until the next sample, i.e. `timeDeltas[i + 1]` µs (negative deltas, seen in some
//    Chrome profiles, count as 0); the last sample lasts one sampling interval. `timeDeltas[0]` is the
//    gap between `startTime` and the first sample and belongs to no sample.
//  - a node's self time is the time of its samples; it is spread over the node's `positionTicks` lines in
//    proportion to their ticks (`hits` = ticks). A node without positionTicks puts it on its function's line.
//  - a function's total time is the sum of the subtrees of its outermost nodes on each stack, so a
//    recursive function counts each sample once.
//  - several profiles (DevTools files, main + children + workers) are simply summed.
import * as path from 'node:path';
import type { CpuProfileLike } from './cpuprofile';
import { createLocationResolver, LocationResolver, scriptUrlToPath } from './sourceMaps';
import type { CpuProfileCallFrame, CpuProfileNode, ProcessKind, Report, ReportCaller, ReportCategories, ReportFunction, ReportLine, ReportProcess } from './types';

export interface ProfileInput {
  /** Where the profile came from (shown in `processes`). */
  path: string;
  profile: CpuProfileLike;
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
}

/** Report line plus fields the hover uses. */
export interface ModelReportLine extends ReportLine {
  /** Inclusive time of the function that owns the line. */
  functionTotalMs: number;
}

const MAX_CALLERS = 5;
/** Sampling interval V8 uses when nobody asked for another one. */
const DEFAULT_SAMPLE_INTERVAL_US = 1000;

type Category = keyof ReportCategories;

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
  private readonly categories: ReportCategories = { userMs: 0, nodeInternalsMs: 0, gcMs: 0, idleMs: 0, programMs: 0 };
  private readonly categoryUs: Record<Category, number> = { userMs: 0, nodeInternalsMs: 0, gcMs: 0, idleMs: 0, programMs: 0 };
  private readonly processes: ReportProcess[] = [];
  private readonly profilesWithInlining: string[] = [];
  private ticksOutsideFunctionUs = 0;
  private sampleIntervalUs: number | undefined;

  constructor(private readonly options: ReportOptions) {
    this.resolver = createLocationResolver();
  }

  /** The resolver used for all locations (shared so the flame graph can map frames the same way). */
  get locationResolver(): LocationResolver {
    return this.resolver;
  }

  addProfile(profilePath: string, profile: CpuProfileLike): void {
    const meta = profile.$hotspots;
    this.resolver.addProfileMaps(meta);
    if (meta?.inliningDisabled !== true) this.profilesWithInlining.push(profilePath);
    const intervalUs = meta?.sampleIntervalUs ?? estimateIntervalUs(profile);
    this.sampleIntervalUs ??= intervalUs;

    const nodes = profile.nodes;
    const indexOfId = nodeIndexLookup(nodes);
    const { selfUs, sampleCounts } = selfTimePerNode(profile, intervalUs, indexOfId);
    const parents = parentIndexes(nodes, indexOfId);
    // Many nodes share a call frame (one per distinct stack), so locations are resolved once per frame.
    const frames = new FrameTable(this);
    const frameOfNode = new Int32Array(nodes.length);
    let sampledUs = 0;
    for (let i = 0; i < nodes.length; i++) {
      const frame = frames.get(nodes[i].callFrame);
      frameOfNode[i] = frame.index;
      const us = selfUs[i];
      if (us === 0) continue;
      this.categoryUs[frame.category] += us;
      sampledUs += us;
      this.functions[frame.functionIndex].selfUs += us;
      if (frame.category === 'userMs') this.addLines(frame, nodes[i].positionTicks, us, sampleCounts[i]);
    }
    this.addInclusiveTimes(nodes, parents, selfUs, frameOfNode, frames, indexOfId);
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
    for (const key of Object.keys(this.categoryUs) as Category[]) this.categories[key] = roundMs(this.categoryUs[key] / 1000);
    const totalUs = Object.values(this.categoryUs).reduce((sum, us) => sum + us, 0);
    const busyUs = totalUs - this.categoryUs.idleMs;
    const percent = (us: number): number => (busyUs > 0 ? Math.round((us / busyUs) * 10000) / 100 : 0);
    const keep = (file: string): boolean => options.includeDependencies !== false || !isDependency(file);

    const callerLists = new Map<FunctionAggregate, ReportCaller[]>();
    const callersOf = (fn: FunctionAggregate): ReportCaller[] => {
      let callers = callerLists.get(fn);
      if (!callers) {
        callers = [...fn.callerUs.entries()]
          .sort((a, b) => b[1] - a[1])
          .slice(0, MAX_CALLERS)
          .map(([callerIndex, us]) => {
            const caller = this.functions[callerIndex];
            return { name: caller.name, file: caller.file, line: caller.line, ms: roundMs(us / 1000) };
          });
        callerLists.set(fn, callers);
      }
      // Each entry gets its own array so consumers may edit one without touching the others.
      return callers.map(caller => ({ ...caller }));
    };

    const lines: ModelReportLine[] = [];
    for (const line of this.lines.values()) {
      if (!keep(line.file)) continue;
      const fn = this.functions[heaviestKey(line.functionUs)];
      lines.push({
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

    return {
      version: 1,
      command: options.command,
      exitCode: options.exitCode,
      signal: options.signal,
      wallMs: options.wallMs,
      sampleIntervalUs: this.sampleIntervalUs ?? DEFAULT_SAMPLE_INTERVAL_US,
      totalSampledMs: roundMs(totalUs / 1000),
      categories: { ...this.categories },
      processes: [...this.processes],
      lines,
      functions,
      warnings: [...(options.warnings ?? []), ...this.inliningWarnings(), ...this.resolver.warnings],
    };
  }

  private inliningWarnings(): string[] {
    if (this.profilesWithInlining.length === 0) return [];
    const which = this.profilesWithInlining.length === 1 ? path.basename(this.profilesWithInlining[0]) : `${this.profilesWithInlining.length} profiles`;
    const warnings = [
      `${which} ${this.profilesWithInlining.length === 1 ? 'was' : 'were'} recorded with V8 inlining enabled: ` +
        "time of inlined functions may show on their callers' lines (profile with `hotspots profile` for exact lines)",
    ];
    if (this.ticksOutsideFunctionUs > 0) {
      warnings.push(
        `${roundMs(this.ticksOutsideFunctionUs / 1000)} ms of line ticks pointed before the start of their function ` +
          '(inlined code from elsewhere); they count for the function but are left out of the line list',
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

  private addLines(frame: FrameInfo, ticks: CpuProfileNode['positionTicks'], selfUs: number, samples: number): void {
    let totalTicks = 0;
    if (ticks) for (const tick of ticks) totalTicks += tick.ticks;
    if (!ticks || totalTicks === 0) {
      const fn = this.functions[frame.functionIndex];
      this.addToLine(this.lineAggregate(frame, -1, fn.file, fn.line), frame.functionIndex, selfUs, samples);
      return;
    }
    for (const tick of ticks) {
      const us = (selfUs * tick.ticks) / totalTicks;
      if (tick.line < frame.startLine) {
        // Only inlining puts a line before the function's own start on this node; which function the
        // line really belongs to is unknown, so it is not attributed to any line.
        this.ticksOutsideFunctionUs += us;
        continue;
      }
      this.addToLine(this.lineAggregate(frame, tick.line), frame.functionIndex, us, tick.ticks);
    }
  }

  /** The aggregate of a generated line of a frame's script (`line` 1-based; -1 = the given location). */
  private lineAggregate(frame: FrameInfo, line: number, file?: string, originalLine?: number): LineAggregate {
    let aggregate = frame.lines.get(line);
    if (aggregate) return aggregate;
    if (file === undefined || originalLine === undefined) {
      const location = this.resolver.resolve(frame.url, line - 1);
      file = location.file;
      originalLine = location.line;
    }
    const key = `${file}\0${originalLine}`;
    aggregate = this.lines.get(key);
    if (!aggregate) {
      aggregate = { file, line: originalLine, selfUs: 0, hits: 0, functionUs: new Map() };
      this.lines.set(key, aggregate);
    }
    frame.lines.set(line, aggregate);
    return aggregate;
  }

  private addToLine(aggregate: LineAggregate, functionIndex: number, us: number, hits: number): void {
    aggregate.selfUs += us;
    aggregate.hits += hits;
    aggregate.functionUs.set(functionIndex, (aggregate.functionUs.get(functionIndex) ?? 0) + us);
  }

  /**
   * Inclusive time per function and per caller in one depth-first walk: subtree totals are summed on the
   * way up, and a function only collects a subtree where it is not already on the stack above.
   */
  private addInclusiveTimes(nodes: CpuProfileNode[], parents: Int32Array, selfUs: Float64Array, frameOfNode: Int32Array, frames: FrameTable, indexOfId: (id: number) => number): void {
    const subtreeUs = Float64Array.from(selfUs);
    const functionOf = (node: number): number => frames.at(frameOfNode[node]).functionIndex;
    const onStack = new Int32Array(this.functions.length);
    const outermost = new Uint8Array(nodes.length);
    const visited = new Uint8Array(nodes.length);
    const stack: number[] = [];
    for (let i = 0; i < nodes.length; i++) if (parents[i] < 0) stack.push(i);
    while (stack.length > 0) {
      const entry = stack.pop()!;
      if (entry >= 0) {
        if (visited[entry]) continue; // a malformed profile may share or loop children
        visited[entry] = 1;
        const depth = ++onStack[functionOf(entry)];
        outermost[entry] = depth === 1 ? 1 : 0;
        stack.push(~entry);
        for (const childId of nodes[entry].children ?? []) {
          const child = indexOfId(childId);
          if (child >= 0 && parents[child] === entry) stack.push(child);
        }
        continue;
      }
      const node = ~entry;
      const fn = functionOf(node);
      onStack[fn]--;
      const parent = parents[node];
      if (parent >= 0) subtreeUs[parent] += subtreeUs[node];
      if (!outermost[node] || subtreeUs[node] === 0) continue;
      const aggregate = this.functions[fn];
      aggregate.totalUs += subtreeUs[node];
      if (parent >= 0 && frames.at(frameOfNode[parent]).isCaller) {
        const callerFn = functionOf(parent);
        aggregate.callerUs.set(callerFn, (aggregate.callerUs.get(callerFn) ?? 0) + subtreeUs[node]);
      }
    }
  }
}

interface FrameInfo {
  index: number;
  url: string;
  /** 1-based line where the function starts in its generated script. */
  startLine: number;
  category: Category;
  functionIndex: number;
  /** Whether the frame counts as a caller (real code, not `(root)` or V8 pseudo frames). */
  isCaller: boolean;
  /** generated line (1-based, -1 for "the function's line") → its original-line aggregate */
  lines: Map<number, LineAggregate>;
}

/** Call frames of one profile, deduplicated by content. */
class FrameTable {
  private readonly byKey = new Map<string, FrameInfo>();
  private readonly list: FrameInfo[] = [];

  constructor(private readonly builder: ReportBuilder) {}

  get(callFrame: CpuProfileCallFrame): FrameInfo {
    const key = `${callFrame.url}\0${callFrame.lineNumber}\0${callFrame.columnNumber}\0${callFrame.functionName}`;
    let frame = this.byKey.get(key);
    if (!frame) {
      const category = categorize(callFrame);
      frame = {
        index: this.list.length,
        url: callFrame.url,
        startLine: callFrame.lineNumber + 1,
        category,
        functionIndex: this.builder.functionFor(callFrame, category === 'userMs'),
        isCaller: category === 'userMs' || category === 'nodeInternalsMs',
        lines: new Map(),
      };
      this.byKey.set(key, frame);
      this.list.push(frame);
    }
    return frame;
  }

  at(index: number): FrameInfo {
    return this.list[index];
  }
}

function categorize(callFrame: CpuProfileCallFrame): Category {
  const { functionName, url } = callFrame;
  switch (functionName) {
    case '(idle)': return 'idleMs';
    case '(garbage collector)': return 'gcMs';
    case '(program)':
    case '(root)': return 'programMs';
  }
  return isRealFile(url) ? 'userMs' : 'nodeInternalsMs';
}

/** Scripts with a real location: absolute paths, file:// and http(s):// URLs. `node:`, `internal/...`, '' are Node's. */
function isRealFile(url: string): boolean {
  if (!url) return false;
  return url.startsWith('file://') || url.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(url) || /^https?:\/\//.test(url);
}

function isDependency(file: string): boolean {
  return /[\\/]node_modules[\\/]/.test(file);
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

/** Mean gap between samples; only used when the profile does not say which interval was requested. */
function estimateIntervalUs(profile: CpuProfileLike): number {
  const deltas = profile.timeDeltas;
  if (!deltas || deltas.length < 2) return DEFAULT_SAMPLE_INTERVAL_US;
  let sum = 0;
  for (let i = 1; i < deltas.length; i++) sum += Math.max(0, deltas[i]);
  const mean = sum / (deltas.length - 1);
  return mean > 0 ? Math.round(mean) : DEFAULT_SAMPLE_INTERVAL_US;
}

/** Returns id → index; a dense table when ids are small integers (V8 numbers them 1..n). */
function nodeIndexLookup(nodes: CpuProfileNode[]): (id: number) => number {
  let maxId = 0;
  for (const node of nodes) if (node.id > maxId) maxId = node.id;
  if (maxId <= nodes.length * 4 + 1024 && nodes.every(node => Number.isInteger(node.id) && node.id >= 0)) {
    const table = new Int32Array(maxId + 1).fill(-1);
    nodes.forEach((node, index) => { table[node.id] = index; });
    return id => (id >= 0 && id <= maxId ? table[id] : -1);
  }
  const map = new Map<number, number>();
  nodes.forEach((node, index) => map.set(node.id, index));
  return id => map.get(id) ?? -1;
}

function parentIndexes(nodes: CpuProfileNode[], indexOfId: (id: number) => number): Int32Array {
  const parents = new Int32Array(nodes.length).fill(-1);
  nodes.forEach((node, index) => {
    for (const childId of node.children ?? []) {
      const child = indexOfId(childId);
      if (child >= 0 && child !== index && parents[child] < 0) parents[child] = index;
    }
    // Old DevTools profiles store the parent on the child instead of children on the parent.
    const parentId = (node as { parent?: number }).parent;
    if (typeof parentId === 'number' && parents[index] < 0) parents[index] = indexOfId(parentId);
  });
  return parents;
}

/** Self time (µs) and sample count of every node, by node index. */
function selfTimePerNode(profile: CpuProfileLike, intervalUs: number, indexOfId: (id: number) => number): { selfUs: Float64Array; sampleCounts: Uint32Array } {
  const nodes = profile.nodes;
  const selfUs = new Float64Array(nodes.length);
  const sampleCounts = new Uint32Array(nodes.length);
  const samples = profile.samples;
  const deltas = profile.timeDeltas;
  if (!samples || samples.length === 0) {
    // Sample-less profiles (hitCount only): spread the profile's duration evenly over the hits.
    let hits = 0;
    for (const node of nodes) hits += node.hitCount ?? 0;
    const durationUs = profile.endTime - profile.startTime;
    const perHitUs = hits > 0 && durationUs > 0 ? durationUs / hits : intervalUs;
    nodes.forEach((node, index) => {
      sampleCounts[index] = node.hitCount ?? 0;
      selfUs[index] = sampleCounts[index] * perHitUs;
    });
    return { selfUs, sampleCounts };
  }
  const last = samples.length - 1;
  for (let i = 0; i < samples.length; i++) {
    const index = indexOfId(samples[i]);
    if (index < 0) continue;
    const next = i < last && deltas ? deltas[i + 1] : intervalUs;
    selfUs[index] += next > 0 ? next : 0;
    sampleCounts[index]++;
  }
  return { selfUs, sampleCounts };
}

/** `node --cpu-prof` names files CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile; others often end in -<pid>. */
function pidFromFileName(profilePath: string): number {
  const name = path.basename(profilePath);
  const match = /^CPU\.\d+\.\d+\.(\d+)\./.exec(name) ?? /[-_.](\d+)\.cpuprofile$/.exec(name);
  return match ? Number(match[1]) : 0;
}
