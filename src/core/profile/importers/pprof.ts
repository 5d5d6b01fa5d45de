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
// The protobuf is decoded by `pprof-format` (the pure-JS codec Datadog maintains), gzip by node:zlib; the
// samples, by far the most numerous message, by pprofSamples.ts (see there why). How a pprof file is
// recognized: pprofSignature.ts (without loading this module).
import * as fs from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { Profile } from 'pprof-format';
import type { CpuProfileCallFrame, CpuProfileNode } from '../types';
import { LoadedCpuProfile, ProfileFormatError } from './cpuprofile';
import { PlacedStacks, PprofSampleReader } from './pprofSamples';

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
  let decoded: DecodedWithoutSamples;
  try {
    decoded = decodeWithoutSamples(bytes);
  } catch (error) {
    return fail(`is not a valid pprof profile (${(error as Error).message}; truncated or not profile.proto?)`);
  }
  const { profile, sampleRanges } = decoded;
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
  const locations = new LocationTable(profile.location.length);
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
  // Consecutive samples mostly share the outer part of their stack: the nodes of the previous sample's
  // path are kept, so only the part that differs walks the tree.
  const pathLocations: number[] = [];
  const pathNodes: TreeNode[] = [];
  // Unaggregated profiles (one pprof sample per tick, as converters write) repeat the same stacks: the node
  // of a stack already seen, and its sampled line, are found by an exact key instead of a walk down the tree.
  const placedStacks = new PlacedStacks(bytes);
  const reader = new PprofSampleReader();
  // The sampled line is the leaf's (stack[0]).
  const leafLine = (stack: readonly number[]): number => (stack.length > 0 ? locations.get(stack[0])!.line : 0);
  for (let s = 0; s < sampleRanges.length; s += 2) {
    try {
      reader.read(bytes, sampleRanges[s], sampleRanges[s + 1]);
    } catch (error) {
      return fail(`is not a valid pprof profile (${(error as Error).message}; truncated or not profile.proto?)`);
    }
    const value = reader.values[valueIndex] ?? 0;
    if (!(value > 0)) continue;
    const count = countIndex >= 0 ? reader.values[countIndex] ?? 0 : 1;
    const packed = reader.packedStack();
    let nodeId: number;
    if (packed) {
      // A placed stack's ticks are summed in the table and given to its node once, at the end.
      const slot = placedStacks.slotOf(packed[0], packed[1]);
      nodeId = placedStacks.nodeAt(slot);
      if (nodeId < 0) {
        const stack = reader.stack;
        nodeId = walkStack(stack).id;
        placedStacks.set(slot, nodeId, leafLine(stack));
      }
      placedStacks.addTicks(slot, count > 0 ? count : 1);
    } else {
      const node = walkStack(reader.stack);
      builder.tick(node, leafLine(reader.stack), count > 0 ? count : 1);
      nodeId = node.id;
    }
    samples.push(nodeId);
    weights.push(value * usPerUnit);
  }
  placedStacks.forEach((nodeId, line, ticks) => builder.tick(builder.node(nodeId), line, ticks));

  function walkStack(locationIds: readonly number[]): TreeNode {
    const depth = locationIds.length;
    let shared = 0;
    while (shared < depth && shared < pathLocations.length && pathLocations[shared] === locationIds[depth - 1 - shared]) shared++;
    pathLocations.length = shared;
    pathNodes.length = shared;
    let node = shared > 0 ? pathNodes[shared - 1] : builder.root;
    for (let d = shared; d < depth; d++) {
      const locationId = locationIds[depth - 1 - d];
      const location = locations.get(locationId);
      if (!location) return fail(`is not a valid pprof profile (sample refers to unknown location ${locationId})`);
      const frames = location.frames;
      for (let f = 0; f < frames.length; f++) node = builder.child(node, frames[f]);
      pathLocations.push(locationId);
      pathNodes.push(node);
    }
    return node;
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

interface DecodedWithoutSamples {
  /** Every field but `sample`, decoded by pprof-format. */
  profile: Profile;
  /** [start, end) byte offsets of each encoded Sample, in order. */
  sampleRanges: number[];
}

/**
 * Decodes a profile.proto message with pprof-format, except its samples, whose byte ranges are kept so that
 * each sample is decoded (by pprof-format's Sample.decode) while it is folded into the call tree and then
 * dropped. `Profile.decode` keeps every Sample object alive at once: on a 750k-sample profile that is 800 MB
 * and most of the decode time goes to garbage collection. Only the top-level framing is read here (tags and
 * lengths); every message is still decoded by the library.
 */
function decodeWithoutSamples(bytes: Uint8Array): DecodedWithoutSamples {
  const data: ConstructorParameters<typeof Profile>[0] & object = {};
  const sampleRanges: number[] = [];
  let offset = 0;
  const varint = (): number => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      if (offset >= bytes.length) throw new Error('ends inside a field');
      const byte = bytes[offset++];
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
      if (shift > 63) throw new Error('a number is longer than 10 bytes');
    }
  };
  while (offset < bytes.length) {
    const tag = varint();
    const field = Math.floor(tag / 8);
    const wireType = tag % 8;
    const start = offset;
    if (wireType === WIRE_VARINT) {
      varint();
    } else if (wireType === WIRE_LENGTH_DELIMITED) {
      const length = varint();
      const valueStart = offset;
      offset += length;
      if (offset > bytes.length) throw new Error(`field ${field} is cut off`);
      if (field === SAMPLE_FIELD) sampleRanges.push(valueStart, offset);
      else Profile.decodeValue(data, field, bytes.subarray(valueStart, offset));
      continue;
    } else if (wireType === WIRE_FIXED64 || wireType === WIRE_FIXED32) {
      // profile.proto has no fixed-width fields; skip unknown ones as protobuf readers do.
      offset += wireType === WIRE_FIXED64 ? 8 : 4;
      if (offset > bytes.length) throw new Error(`field ${field} is cut off`);
      continue;
    } else {
      throw new Error(`unknown wire type ${wireType}`);
    }
    Profile.decodeValue(data, field, bytes.subarray(start, offset));
  }
  return { profile: new Profile(data), sampleRanges };
}

/** profile.proto's field number of `repeated Sample sample`. */
const SAMPLE_FIELD = 2;
const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;

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

interface PprofLocation {
  /** Frames outermost first. */
  frames: number[];
  /** The line of the innermost frame. */
  line: number;
}

/**
 * Locations by id. Writers number them 1..n, so a dense array is used (a lookup per frame of every sample);
 * a Map only when the ids are sparse.
 */
class LocationTable {
  private readonly dense: (PprofLocation | undefined)[] = [];
  private readonly sparse = new Map<number, PprofLocation>();
  constructor(private readonly count: number) {}

  set(id: number, location: PprofLocation): void {
    if (Number.isInteger(id) && id >= 0 && id <= 4 * this.count + 16) this.dense[id] = location;
    else this.sparse.set(id, location);
  }

  get(id: number): PprofLocation | undefined {
    return this.dense[id] ?? this.sparse.get(id);
  }
}

interface TreeNode extends CpuProfileNode {
  frameId: number;
  children: number[];
  /** The first line sampled in this node (0: none yet) and its ticks */
  firstLine: number;
  firstLineTicks: number;
  /** line → ticks of other lines, once there are any */
  otherLineTicks: Map<number, number> | undefined;
  /** The first child and its frame: most nodes have one child, found without a Map. */
  firstChild: TreeNode | undefined;
  /** child frame id → child node, once a node has a second child */
  childByFrame: Map<number, TreeNode> | undefined;
}

/** Builds V8-shaped call-tree nodes (one per distinct stack) from pprof stacks. */
class CallTreeBuilder {
  private readonly frames: CpuProfileCallFrame[] = [];
  /** pprof function id → frame */
  private readonly frameIds = new Map<number, number>();
  private readonly nodes: TreeNode[] = [];
  readonly root: TreeNode;

  constructor() {
    this.root = this.newNode({ functionName: '(root)', scriptId: 0, url: '', lineNumber: -1, columnNumber: -1 }, -1);
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

  /** The node with this id. */
  node(id: number): TreeNode {
    return this.nodes[id - 1];
  }

  /** The node for `frameId` called from `node`. */
  child(node: TreeNode, frameId: number): TreeNode {
    const first = node.firstChild;
    if (first && first.frameId === frameId) return first;
    let child = node.childByFrame?.get(frameId);
    if (!child) {
      child = this.newNode(this.frames[frameId], frameId);
      if (!first) node.firstChild = child;
      else (node.childByFrame ??= new Map()).set(frameId, child);
      node.children.push(child.id);
    }
    return child;
  }

  tick(node: TreeNode, line: number, count: number): void {
    if (line <= 0) return;
    // Most nodes are sampled on one line: a Map only once a second line shows up.
    if (node.firstLine === 0 || node.firstLine === line) {
      node.firstLine = line;
      node.firstLineTicks = (node.firstLineTicks ?? 0) + count;
      return;
    }
    const lineTicks = (node.otherLineTicks ??= new Map());
    lineTicks.set(line, (lineTicks.get(line) ?? 0) + count);
  }

  finish(): CpuProfileNode[] {
    return this.nodes.map(node => {
      const out: CpuProfileNode = { id: node.id, callFrame: node.callFrame, children: node.children };
      if (node.firstLine > 0) {
        out.positionTicks = [{ line: node.firstLine, ticks: node.firstLineTicks }];
        for (const [line, ticks] of node.otherLineTicks ?? []) out.positionTicks.push({ line, ticks });
      }
      return out;
    });
  }

  private newNode(callFrame: CpuProfileCallFrame, frameId: number): TreeNode {
    // Every field set here, in one order: nodes keep one shape, so the hot accesses stay monomorphic.
    const node: TreeNode = {
      id: this.nodes.length + 1, frameId, callFrame, children: [],
      firstChild: undefined, childByFrame: undefined, firstLine: 0, firstLineTicks: 0, otherLineTicks: undefined,
    };
    this.nodes.push(node);
    return node;
  }
}
