// Converts V8 .cpuprofile data into speedscope's own file format
// (node_modules/speedscope/dist/release/file-format-schema.json).
//
// Why not hand speedscope the .cpuprofile itself: a ~100 MB profile holds millions of samples, and
// speedscope replays every one of them (it did not finish loading in 280 s). A V8 profile is already a
// call tree, so every sample that hits the same node has the same stack: we emit one weighted sample
// per node instead of one per tick. The output grows with the number of distinct stacks, not with the
// run time, and speedscope draws the same flame graph from it.
import type { CpuProfileLike } from '../profile/cpuprofile';
import { scriptUrlToPath, type LocationResolver } from '../profile/sourceMaps';
import type { CpuProfileNode } from '../profile/types';
import type { SpeedscopeFrame } from './frames';

export { frameDisplayKey, type SpeedscopeFrame } from './frames';

export const SPEEDSCOPE_SCHEMA_URL = 'https://www.speedscope.app/file-format-schema.json';

export interface SpeedscopeSampledProfile {
  type: 'sampled';
  name: string;
  unit: 'microseconds';
  startValue: number;
  endValue: number;
  /** Each sample is a stack of indices into `shared.frames`, outermost caller first. */
  samples: number[][];
  weights: number[];
}
export interface SpeedscopeFile {
  $schema: typeof SPEEDSCOPE_SCHEMA_URL;
  name: string;
  exporter: string;
  activeProfileIndex: number;
  shared: { frames: SpeedscopeFrame[] };
  profiles: SpeedscopeSampledProfile[];
}

/** An original source location: absolute path (or URL when not a file) and 1-based line. */
export interface MappedLocation {
  file: string;
  line: number;
}
/**
 * Maps a generated location (V8's script URL, 0-based line and column) to the original source, e.g. the
 * .ts line behind compiled JavaScript. Returns undefined when there is no better location.
 */
export type LocationMapper = (url: string, line0: number, col0: number) => MappedLocation | undefined;

/** Adapts the report model's resolver: only locations a source map moved replace the generated ones. */
export function mapperFromResolver(resolver: LocationResolver): LocationMapper {
  return (url, line0, col0) => {
    const location = resolver.resolve(url, line0, col0);
    return location.mapped ? { file: location.file, line: location.line } : undefined;
  };
}

export interface NamedCpuProfile {
  /** Shown in speedscope's profile switcher, e.g. "main 1234: node app.js". */
  name: string;
  profile: CpuProfileLike;
}

export interface ConvertOptions {
  /** Title of the whole file (speedscope shows it in its toolbar). */
  name?: string;
  mapLocation?: LocationMapper;
}

/** V8 pseudo-frames that are not work: samples that land on them are left out of the flame graph. */
const IDLE_FUNCTION = '(idle)';
const ROOT_FUNCTION = '(root)';

/**
 * Builds one speedscope file holding one sampled profile per process, with frames shared between them.
 * Identical stacks are merged into one weighted sample, and samples come out in call-tree order, so
 * speedscope's time-ordered view reads like an aggregated call tree rather than noise.
 */
export function toSpeedscope(profiles: NamedCpuProfile[], options: ConvertOptions = {}): SpeedscopeFile {
  const frames = new FrameTable(options.mapLocation);
  return {
    $schema: SPEEDSCOPE_SCHEMA_URL,
    name: options.name ?? 'Hotspots profile',
    exporter: `hotspots@${typeof HOTSPOTS_VERSION === 'string' ? HOTSPOTS_VERSION : 'dev'}`,
    activeProfileIndex: 0,
    shared: { frames: frames.frames },
    profiles: profiles.map(({ name, profile }) => convertOne(name, profile, frames)),
  };
}

declare const HOTSPOTS_VERSION: string | undefined;

/** Deduplicates frames across all profiles: same name at the same (mapped) location is one frame. */
class FrameTable {
  readonly frames: SpeedscopeFrame[] = [];
  private readonly indexByKey = new Map<string, number>();
  constructor(private readonly mapLocation: LocationMapper | undefined) {}

  indexOf(node: CpuProfileNode): number {
    const frame = this.describe(node);
    const key = `${frame.name}\u0000${frame.file ?? ''}\u0000${frame.line ?? ''}\u0000${frame.col ?? ''}`;
    let index = this.indexByKey.get(key);
    if (index === undefined) {
      index = this.frames.length;
      this.frames.push(frame);
      this.indexByKey.set(key, index);
    }
    return index;
  }

  private describe(node: CpuProfileNode): SpeedscopeFrame {
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    const name = functionName || '(anonymous)';
    if (!url) return { name };
    const mapped = lineNumber >= 0 ? safeMap(this.mapLocation, url, lineNumber, Math.max(0, columnNumber)) : undefined;
    // A source map gives a line but no trustworthy column, so mapped frames carry no column.
    if (mapped) return { name, file: mapped.file, line: mapped.line };
    const frame: SpeedscopeFrame = { name, file: scriptUrlToPath(url) };
    if (lineNumber >= 0) frame.line = lineNumber + 1;
    if (columnNumber >= 0) frame.col = columnNumber + 1;
    return frame;
  }
}

function safeMap(mapLocation: LocationMapper | undefined, url: string, line0: number, col0: number): MappedLocation | undefined {
  if (!mapLocation) return undefined;
  try {
    return mapLocation(url, line0, col0);
  } catch {
    // A broken source map must not lose the flame graph: fall back to the generated location.
    return undefined;
  }
}

function convertOne(name: string, profile: CpuProfileLike, frames: FrameTable): SpeedscopeSampledProfile {
  const nodes = profile.nodes;
  const nodeById = new Map<number, CpuProfileNode>();
  for (const node of nodes) nodeById.set(node.id, node);
  const selfWeight = sampleWeightsByNode(profile, nodeById);

  // Walk the tree depth-first, children in profile order, keeping the current stack of frame indices.
  const childIds = new Set<number>();
  for (const node of nodes) for (const child of node.children ?? []) childIds.add(child);
  const roots = nodes.filter(node => !childIds.has(node.id));

  const samples: number[][] = [];
  const weights: number[] = [];
  // Identical stacks can still come from different nodes (e.g. two generated columns that map to the
  // same original line): merge those too, keyed by the stack itself.
  const sampleIndexByStack = new Map<string, number>();
  let total = 0;

  const stack: number[] = [];
  type Visit = { node: CpuProfileNode; depth: number };
  const pending: Visit[] = roots.slice().reverse().map(node => ({ node, depth: 0 }));
  const visited = new Set<number>();
  while (pending.length > 0) {
    const { node, depth } = pending.pop()!;
    if (visited.has(node.id)) continue; // malformed profiles can contain cycles; never loop forever
    visited.add(node.id);
    stack.length = depth;
    const fn = node.callFrame.functionName;
    if (fn === IDLE_FUNCTION) continue;
    const isRoot = fn === ROOT_FUNCTION && depth === 0;
    let childDepth = depth;
    if (!isRoot) {
      stack.push(frames.indexOf(node));
      childDepth = depth + 1;
      const weight = selfWeight.get(node.id) ?? 0;
      if (weight > 0) {
        const key = stack.join(',');
        const existing = sampleIndexByStack.get(key);
        if (existing === undefined) {
          sampleIndexByStack.set(key, samples.length);
          samples.push(stack.slice());
          weights.push(weight);
        } else {
          weights[existing] += weight;
        }
        total += weight;
      }
    }
    const children = node.children ?? [];
    for (let i = children.length - 1; i >= 0; i--) {
      const child = nodeById.get(children[i]);
      if (child) pending.push({ node: child, depth: childDepth });
    }
  }
  return { type: 'sampled', name, unit: 'microseconds', startValue: 0, endValue: total, samples, weights };
}

/**
 * Microseconds of samples that landed on each node. V8's `timeDeltas[i]` is the time between sample i-1
 * and sample i, so sample i lasted until the next one: it gets `timeDeltas[i + 1]`, and the last sample
 * gets the sampling interval. Negative deltas (V8 reorders a few samples) count as zero.
 * Profiles without samples fall back to `hitCount` times the interval.
 */
function sampleWeightsByNode(profile: CpuProfileLike, nodeById: Map<number, CpuProfileNode>): Map<number, number> {
  const weights = new Map<number, number>();
  const interval = estimateIntervalUs(profile);
  const samples = profile.samples;
  const deltas = profile.timeDeltas;
  if (samples && samples.length > 0) {
    for (let i = 0; i < samples.length; i++) {
      const next = deltas && i + 1 < deltas.length && i + 1 < samples.length ? deltas[i + 1] : interval;
      const weight = Math.max(0, next);
      weights.set(samples[i], (weights.get(samples[i]) ?? 0) + weight);
    }
    return weights;
  }
  for (const node of nodeById.values()) {
    if (node.hitCount) weights.set(node.id, node.hitCount * interval);
  }
  return weights;
}

function estimateIntervalUs(profile: CpuProfileLike): number {
  if (profile.$hotspots?.sampleIntervalUs) return profile.$hotspots.sampleIntervalUs;
  const count = profile.samples?.length ?? 0;
  if (count > 1 && profile.endTime > profile.startTime) return (profile.endTime - profile.startTime) / count;
  return 1000;
}
