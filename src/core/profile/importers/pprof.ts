// pprof importer: profile.proto (gzipped or not), as written by Go's pprof, Datadog's `@datadog/pprof`,
// Pyroscope/Grafana, Parca and Google Cloud Profiler, turned into the profile model the report and the
// flame graph read (a call tree of frames, samples with weights in µs, per-frame line ticks).
//
//  - the sample value used: the profile's default sample type when it names one, else CPU time
//    (`cpu/nanoseconds`), else wall time (`wall/nanoseconds`, what `@datadog/pprof`'s time profiler
//    writes), else a sample count times the period;
//  - each `Line` of a `Location` becomes a frame: several Lines are inlined calls (the first one is the
//    innermost), so inlined functions keep their own frames;
//  - the innermost frame's `Line.line` is the sampled line (a positionTick); frames above it are callers.
// The protobuf is decoded by `pprof-format` (the pure-JS codec Datadog maintains), gzip by node:zlib.
import * as fs from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { Profile } from 'pprof-format';
import type { CpuProfileCallFrame, CpuProfileNode } from '../types';
import { LoadedCpuProfile, ProfileFormatError } from './cpuprofile';

/** File name endings of pprof files. */
export const PPROF_EXTENSIONS = ['.pb.gz', '.pprof', '.pb'];

/** Whether the first bytes look like pprof: gzip, or a protobuf starting with field 1 (sample_type). */
export function looksLikePprof(head: Uint8Array): boolean {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return true;
  // Uncompressed profile.proto starts with its first sample_type: field 1 (length-delimited), a short
  // length, then the ValueType's field 1 (varint). Text never starts with these bytes.
  return head.length >= 3 && head[0] === 0x0a && head[1] < 0x80 && head[2] === 0x08;
}

export function readPprofFile(file: string): LoadedCpuProfile {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ProfileFormatError(file, `cannot be read (${code ?? (error as Error).message})`);
  }
  return parsePprof(bytes, file);
}

/** Time units pprof uses, in µs. */
const MICROSECONDS_PER: Record<string, number> = { nanoseconds: 1e-3, microseconds: 1, milliseconds: 1e3, seconds: 1e6 };

/** pprof names of V8's pseudo frames (Datadog's), as V8 names them, so they count as GC / program / idle. */
const PSEUDO_FRAMES: Record<string, string> = {
  'Garbage Collection': '(garbage collector)',
  '(garbage collector)': '(garbage collector)',
  '(program)': '(program)',
  '(idle)': '(idle)',
  'Program': '(program)',
  'Idle': '(idle)',
};

export function parsePprof(input: Uint8Array, name = '<profile>'): LoadedCpuProfile {
  const fail = (problem: string): never => { throw new ProfileFormatError(name, problem); };
  let bytes = input;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      fail(`is not a valid gzipped pprof profile (${(error as Error).message})`);
    }
  }
  if (bytes.length === 0) fail('is empty (no pprof profile)');
  let profile: Profile;
  try {
    profile = Profile.decode(bytes);
  } catch (error) {
    return fail(`is not a valid pprof profile (${(error as Error).message}; truncated or not profile.proto?)`);
  }
  const strings = profile.stringTable.strings;
  const text = (index: number | bigint | undefined): string => {
    const value = strings[Number(index ?? 0)];
    if (value === undefined) fail(`is not a valid pprof profile (string index ${index} out of range)`);
    return value as string;
  };
  if (profile.sampleType.length === 0) fail('is not a valid pprof profile (no sample types)');
  const { valueIndex, usPerUnit } = chooseValue(profile, text, fail);

  const functions = new Map<number, { name: string; file: string; startLine: number }>();
  for (const fn of profile.function) functions.set(Number(fn.id), { name: text(fn.name), file: text(fn.filename), startLine: Number(fn.startLine) });
  const builder = new CallTreeBuilder();
  // Per location, once: its frames outermost first (line[0] is the innermost, inlined call) and the line
  // of its innermost frame, so the per-sample loop below only walks numbers.
  const locations = new Map<number, { frames: number[]; line: number }>();
  for (const location of profile.location) {
    const frames: number[] = [];
    for (let k = location.line.length - 1; k >= 0; k--) {
      const line = location.line[k];
      const fn = functions.get(Number(line.functionId));
      if (!fn) return fail(`is not a valid pprof profile (location refers to unknown function ${line.functionId})`);
      frames.push(builder.frameId(Number(line.functionId), fn, Number(line.line)));
    }
    locations.set(Number(location.id), { frames, line: location.line.length > 0 ? Number(location.line[0].line) : 0 });
  }

  const countIndex = profile.sampleType.findIndex(type => text(type.unit) === 'count');
  const samples: number[] = [];
  const weights: number[] = [];
  for (const sample of profile.sample) {
    const value = Number(sample.value[valueIndex] ?? 0);
    if (!(value > 0)) continue;
    let node = builder.root;
    let sampledLine = 0;
    // location_id[0] is the leaf.
    for (let l = sample.locationId.length - 1; l >= 0; l--) {
      const location = locations.get(Number(sample.locationId[l]));
      if (!location) return fail(`is not a valid pprof profile (sample refers to unknown location ${sample.locationId[l]})`);
      for (const frame of location.frames) node = builder.child(node, frame);
      sampledLine = location.line;
    }
    const count = countIndex >= 0 ? Number(sample.value[countIndex] ?? 0) : 1;
    builder.tick(node, sampledLine, count > 0 ? count : 1);
    samples.push(node.id);
    weights.push(value * usPerUnit);
  }

  const totalUs = weights.reduce((sum, us) => sum + us, 0);
  const startTime = Number(profile.timeNanos) / 1000;
  const durationUs = Number(profile.durationNanos) / 1000;
  return {
    nodes: builder.finish(),
    startTime,
    endTime: startTime + (durationUs > 0 ? durationUs : totalUs),
    samples: Int32Array.from(samples),
    // Weights come from sampleWeightsUs; the deltas only carry the sampling period (the report's interval).
    timeDeltas: new Float64Array(samples.length).fill(periodUs(profile, text)),
    sampleWeightsUs: Float64Array.from(weights),
  };
}

/** Which sample value the model weighs samples by, and its unit in µs. */
function chooseValue(profile: Profile, text: (index: number | bigint) => string, fail: (problem: string) => never): { valueIndex: number; usPerUnit: number } {
  const types = profile.sampleType.map(type => ({ type: text(type.type), unit: text(type.unit) }));
  const isTime = (index: number): boolean => MICROSECONDS_PER[types[index].unit] !== undefined;
  const find = (type: string): number => types.findIndex((t, index) => t.type === type && isTime(index));
  const defaultType = Number(profile.defaultSampleType) ? text(profile.defaultSampleType) : '';
  let valueIndex = defaultType ? types.findIndex((t, index) => t.type === defaultType && isTime(index)) : -1;
  if (valueIndex < 0) valueIndex = find('cpu');
  if (valueIndex < 0) valueIndex = find('wall');
  if (valueIndex < 0) valueIndex = types.findIndex((_, index) => isTime(index));
  if (valueIndex >= 0) return { valueIndex, usPerUnit: MICROSECONDS_PER[types[valueIndex].unit] };
  const countIndex = types.findIndex(t => (t.type === 'samples' || t.type === 'sample') && t.unit === 'count');
  if (countIndex < 0) {
    const heap = types.some(t => t.unit === 'bytes' || t.type === 'objects' || t.type.startsWith('alloc_') || t.type.startsWith('inuse_'));
    fail(heap
      ? `is a heap (memory) pprof profile (${types.map(t => `${t.type}/${t.unit}`).join(', ')}); only CPU and wall-time profiles can be read`
      : `has no CPU time, wall time or sample count (${types.map(t => `${t.type}/${t.unit}`).join(', ')})`);
  }
  // Counts only: each sample stands for one period of the profile's period type (or 1 ms when unknown).
  const periodUnit = profile.periodType ? text(profile.periodType.unit) : '';
  const period = Number(profile.period);
  const usPerUnit = MICROSECONDS_PER[periodUnit] !== undefined && period > 0 ? period * MICROSECONDS_PER[periodUnit] : 1000;
  return { valueIndex: countIndex, usPerUnit };
}

/** The sampling period in µs when it is a time, else 0 (unknown). */
function periodUs(profile: Profile, text: (index: number | bigint) => string): number {
  const unit = profile.periodType ? MICROSECONDS_PER[text(profile.periodType.unit)] : undefined;
  return unit !== undefined ? Number(profile.period) * unit : 0;
}

interface TreeNode extends CpuProfileNode {
  children: number[];
  /** line → ticks */
  lineTicks: Map<number, number>;
  /** child frame id → child node */
  childByFrame: Map<number, TreeNode>;
}

/** Builds V8-shaped call-tree nodes (one per distinct stack) from pprof stacks. */
class CallTreeBuilder {
  private readonly frames: CpuProfileCallFrame[] = [];
  /** pprof function id → frame */
  private readonly frameIds = new Map<number, number>();
  private readonly nodes: TreeNode[] = [];
  readonly root: TreeNode;

  constructor() {
    this.root = this.newNode({ functionName: '(root)', scriptId: 0, url: '', lineNumber: -1, columnNumber: -1 });
  }

  frameId(functionId: number, fn: { name: string; file: string; startLine: number }, line: number): number {
    let id = this.frameIds.get(functionId);
    if (id === undefined) {
      id = this.frames.length;
      const functionName = fn.file ? fn.name : PSEUDO_FRAMES[fn.name] ?? fn.name;
      // Datadog writes no start line: the first line seen stands in for it until a smaller one shows up.
      const lineNumber = fn.startLine > 0 ? fn.startLine - 1 : line > 0 ? line - 1 : fn.file ? 0 : -1;
      this.frames.push({ functionName, scriptId: id + 1, url: fn.file, lineNumber, columnNumber: fn.file ? 0 : -1 });
      this.frameIds.set(functionId, id);
    } else if (fn.startLine <= 0 && line > 0 && line - 1 < this.frames[id].lineNumber) {
      this.frames[id].lineNumber = line - 1;
    }
    return id;
  }

  /** The node for `frameId` called from `node`. */
  child(node: TreeNode, frameId: number): TreeNode {
    let child = node.childByFrame.get(frameId);
    if (!child) {
      child = this.newNode(this.frames[frameId]);
      node.childByFrame.set(frameId, child);
      node.children.push(child.id);
    }
    return child;
  }

  tick(node: TreeNode, line: number, count: number): void {
    if (line > 0) node.lineTicks.set(line, (node.lineTicks.get(line) ?? 0) + count);
  }

  finish(): CpuProfileNode[] {
    return this.nodes.map(node => {
      const out: CpuProfileNode = { id: node.id, callFrame: node.callFrame, children: node.children };
      if (node.lineTicks.size > 0) out.positionTicks = [...node.lineTicks].map(([line, ticks]) => ({ line, ticks }));
      return out;
    });
  }

  private newNode(callFrame: CpuProfileCallFrame): TreeNode {
    const node: TreeNode = { id: this.nodes.length + 1, callFrame, children: [], lineTicks: new Map(), childByFrame: new Map() };
    this.nodes.push(node);
    return node;
  }
}
