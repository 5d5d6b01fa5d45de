// Converts V8 .cpuprofile data into speedscope's own file format
// (node_modules/speedscope/dist/release/file-format-schema.json).
//
// Why not hand speedscope the .cpuprofile itself: a ~100 MB profile holds millions of samples, and
// speedscope replays every one of them (it did not finish loading in 280 s). A V8 profile is already a
// call tree, and every sample that hits a node has that node's stack, so identical stacks are merged:
// each node with time becomes one weighted span, written as an "evented" profile (open the frame, its
// self time, its children, close it) in call-tree order. The output grows with the number of call-tree
// nodes, not with run time; unlike a "sampled" profile with one stack array per distinct stack, it does
// not repeat the callers of every stack (measured in bench/flame.bench.js: 2.5x smaller, loads faster).
import type { CpuProfileLike } from '../profile/cpuprofile';
import { sampleIntervalUs, selfTimePerNode } from '../profile/sampleWeights';
import { scriptUrlToPath, type LocationResolver } from '../profile/sourceMaps';
import type { CpuProfileNode } from '../profile/types';
import type { SpeedscopeFrame } from './frames';

export { frameDisplayKey, type SpeedscopeFrame } from './frames';

export const SPEEDSCOPE_SCHEMA_URL = 'https://www.speedscope.app/file-format-schema.json';

/** Opens and closes of frames (indices into `shared.frames`) at points in time, properly nested. */
export interface SpeedscopeEvent {
  type: 'O' | 'C';
  frame: number;
  at: number;
}
export interface SpeedscopeEventedProfile {
  type: 'evented';
  name: string;
  /** 'bytes': the allocation flame graph of `profile --memory` (allocationFlame.ts). */
  unit: 'microseconds' | 'bytes';
  startValue: number;
  endValue: number;
  events: SpeedscopeEvent[];
}
export interface SpeedscopeFile {
  $schema: typeof SPEEDSCOPE_SCHEMA_URL;
  name: string;
  exporter: string;
  activeProfileIndex: number;
  shared: { frames: SpeedscopeFrame[] };
  profiles: SpeedscopeEventedProfile[];
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
  /**
   * Subtrees below this fraction of a profile's time are folded into one "(small callees)" span per
   * parent (default 1e-5: invisible until zoomed in 100x on a 1,000 px graph). Totals stay exact; only
   * detail nobody can see is dropped, which keeps long runs with huge call trees quick to open. 0 keeps all.
   */
  minSubtreeFraction?: number;
}

/** Name of the span that stands for a parent's folded tiny subtrees. */
export const SMALL_CALLEES_FRAME = '(small callees)';
const DEFAULT_MIN_SUBTREE_FRACTION = 1e-5;

/** V8 pseudo-frames that are not work: samples that land on them are left out of the flame graph. */
const IDLE_FUNCTION = '(idle)';
const ROOT_FUNCTION = '(root)';

/**
 * Builds one speedscope file holding one profile per process, with frames shared between them. Spans
 * come out in call-tree order, so speedscope's time-ordered view reads like an aggregated call tree.
 */
export function toSpeedscope(profiles: NamedCpuProfile[], options: ConvertOptions = {}): SpeedscopeFile {
  const builder = new SpeedscopeBuilder(options);
  for (const { name, profile } of profiles) builder.add(name, profile);
  return builder.build();
}

/**
 * Converts profiles one at a time into one file, so a caller reading many large profiles can drop each
 * one as soon as it has been added.
 */
export class SpeedscopeBuilder {
  private readonly frames: FrameTable;
  private readonly profiles: SpeedscopeEventedProfile[] = [];
  constructor(private readonly options: ConvertOptions = {}) {
    this.frames = new FrameTable(options.mapLocation);
  }

  add(name: string, profile: CpuProfileLike): void {
    this.profiles.push(convertOne(name, profile, this.frames, this.options.minSubtreeFraction ?? DEFAULT_MIN_SUBTREE_FRACTION));
  }

  build(): SpeedscopeFile {
    return {
      $schema: SPEEDSCOPE_SCHEMA_URL,
      name: this.options.name ?? 'Hotspots profile',
      exporter: `hotspots@${typeof HOTSPOTS_VERSION === 'string' ? HOTSPOTS_VERSION : 'dev'}`,
      activeProfileIndex: 0,
      shared: { frames: this.frames.frames },
      profiles: this.profiles,
    };
  }
}

declare const HOTSPOTS_VERSION: string | undefined;

/** Deduplicates frames across all profiles: same name at the same (mapped) location is one frame. */
class FrameTable {
  readonly frames: SpeedscopeFrame[] = [];
  private readonly indexByKey = new Map<string, number>();
  constructor(private readonly mapLocation: LocationMapper | undefined) {}

  /** A frame that stands for no source location, e.g. folded callees. */
  synthetic(name: string): number {
    return this.add({ name });
  }

  indexOf(node: CpuProfileNode): number {
    return this.add(this.describe(node));
  }

  private add(frame: SpeedscopeFrame): number {
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

function convertOne(name: string, profile: CpuProfileLike, frames: FrameTable, minSubtreeFraction: number): SpeedscopeEventedProfile {
  // Nodes are addressed by their position in `nodes` (typed arrays instead of maps: 100 MB profiles
  // have hundreds of thousands of nodes and millions of samples).
  const nodes = profile.nodes;
  const indexOfId = idIndex(nodes);
  const children: number[][] = nodes.map(node => (node.children ?? []).map(indexOfId).filter(index => index >= 0));
  const selfWeight = sampleWeights(profile, indexOfId);
  const isChild = new Uint8Array(nodes.length);
  for (const list of children) for (const child of list) isChild[child] = 1;
  const roots: number[] = [];
  for (let i = 0; i < nodes.length; i++) if (!isChild[i]) roots.push(i);

  // Subtree weights first, so subtrees without samples (and idle time) cost no events at all.
  const totalWeight = subtreeWeights(roots, children, selfWeight, nodes);

  let profileTotal = 0;
  for (const root of roots) profileTotal += totalWeight[root];
  const minSubtree = profileTotal * minSubtreeFraction;

  // Then one depth-first walk: open a node, spend its self time, visit its children, close it.
  const events: SpeedscopeEvent[] = [];
  let at = 0;
  type Visit = { index: number; frame: number | undefined; nextChild: number; folded: number };
  const walk: Visit[] = [];
  // A malformed profile may list a node under two parents (or in a cycle): it is drawn once.
  const entered = new Uint8Array(nodes.length);
  const enter = (index: number, isRoot: boolean): void => {
    entered[index] = 1;
    let frame: number | undefined;
    if (!isRoot) {
      frame = frames.indexOf(nodes[index]);
      events.push({ type: 'O', frame, at });
      at += selfWeight[index];
    }
    walk.push({ index, frame, nextChild: 0, folded: 0 });
  };
  for (const root of roots) {
    if (!(totalWeight[root] > 0)) continue;
    enter(root, nodes[root].callFrame.functionName === ROOT_FUNCTION);
    while (walk.length > 0) {
      const visit = walk[walk.length - 1];
      const list = children[visit.index];
      if (visit.nextChild < list.length) {
        const child = list[visit.nextChild++];
        if (entered[child] || !(totalWeight[child] > 0)) continue;
        if (totalWeight[child] < minSubtree && visit.frame !== undefined) {
          entered[child] = 1;
          visit.folded += totalWeight[child];
        } else {
          enter(child, false);
        }
        continue;
      }
      walk.pop();
      if (visit.folded > 0) {
        const small = frames.synthetic(SMALL_CALLEES_FRAME);
        events.push({ type: 'O', frame: small, at });
        at += visit.folded;
        events.push({ type: 'C', frame: small, at });
      }
      if (visit.frame !== undefined) events.push({ type: 'C', frame: visit.frame, at });
    }
  }
  return { type: 'evented', name, unit: 'microseconds', startValue: 0, endValue: at, events };
}

/** Node id → position in `nodes` (-1 when unknown): a lookup table when ids are dense, else a map. */
function idIndex(nodes: readonly CpuProfileNode[]): (id: number) => number {
  let maxId = 0;
  for (const node of nodes) if (node.id > maxId) maxId = node.id;
  if (maxId <= nodes.length * 4 + 1024 && nodes.every(node => Number.isInteger(node.id) && node.id >= 0)) {
    const table = new Int32Array(maxId + 1).fill(-1);
    nodes.forEach((node, index) => (table[node.id] = index));
    return id => (id >= 0 && id <= maxId ? table[id] : -1);
  }
  const map = new Map<number, number>();
  nodes.forEach((node, index) => map.set(node.id, index));
  return id => map.get(id) ?? -1;
}

/**
 * Time of each node's subtree, idle excluded. Each node is counted once even if a malformed profile
 * lists it under two parents or in a cycle; the walk in convertOne then visits only counted children.
 */
function subtreeWeights(roots: number[], children: number[][], selfWeight: Float64Array, nodes: readonly CpuProfileNode[]): Float64Array {
  const total = new Float64Array(nodes.length);
  const order: number[] = [];
  const seen = new Uint8Array(nodes.length);
  const pending = roots.slice();
  while (pending.length > 0) {
    const index = pending.pop()!;
    if (seen[index]) continue;
    seen[index] = 1;
    order.push(index);
    for (const child of children[index]) if (!seen[child]) pending.push(child);
  }
  const counted = new Uint8Array(nodes.length);
  for (let i = order.length - 1; i >= 0; i--) {
    const index = order[i];
    counted[index] = 1;
    if (nodes[index].callFrame.functionName === IDLE_FUNCTION) continue;
    let sum = selfWeight[index];
    for (const child of children[index]) if (counted[child] && child !== index) sum += total[child];
    total[index] = sum;
  }
  return total;
}

/** Microseconds of samples that landed on each node (by position), as the report model counts them. */
function sampleWeights(profile: CpuProfileLike, indexOfId: (id: number) => number): Float64Array {
  const nodes = profile.nodes;
  const hitCounts = Float64Array.from(nodes, node => node.hitCount ?? 0);
  return selfTimePerNode(profile, { count: nodes.length, hitCounts, indexOf: indexOfId }, sampleIntervalUs(profile)).selfUs;
}
