// The one self-time function: how many microseconds each sample (and so each call-tree node) stands for.
// The report model (model.ts) and the flame graph (flame/speedscope.ts) both use it, so a frame shows
// the same milliseconds in the table and in the flame graph. Pure: no I/O.
//
// Rules:
//  - formats that weigh each sample (pprof: nanoseconds of CPU or wall time, or a count times the period)
//    give `sampleWeightsUs`, used as is;
//  - V8 profiles: sample i lasts until the next sample, i.e. `timeDeltas[i + 1]` µs (negative deltas, seen
//    in some Chrome profiles, count as 0); the last sample lasts one sampling interval. `timeDeltas[0]` is
//    the gap between `startTime` and the first sample and belongs to no sample;
//  - profiles with hit counts only (no samples): the profile's duration is spread evenly over the hits
//    (one interval per hit when the duration is unknown).

/** Sampling interval V8 uses when nobody asked for another one. */
export const DEFAULT_SAMPLE_INTERVAL_US = 1000;

/** The sample fields of a profile (any importer's output). */
export interface SampledProfile {
  startTime: number;
  endTime: number;
  samples?: ArrayLike<number>;
  timeDeltas?: ArrayLike<number>;
  sampleWeightsUs?: ArrayLike<number>;
  $hotspots?: { sampleIntervalUs?: number };
}

/** The nodes the samples point at, by index. */
export interface SampledNodes {
  count: number;
  /** hit count of node i (used when the profile has no samples) */
  hitCounts: ArrayLike<number>;
  /** node id → index, -1 when unknown */
  indexOf(id: number): number;
  /** Set when every node's id is its index plus this number (V8 numbers nodes 1..n): skips indexOf. */
  idOffset?: number;
}

export interface NodeSelfTimes {
  /** self time of node i in µs */
  selfUs: Float64Array;
  /** samples (or hits) that landed on node i */
  sampleCounts: Uint32Array;
}

/** The interval the profile was recorded with: the one the preload asked for, else the mean gap between samples. */
export function sampleIntervalUs(profile: SampledProfile): number {
  return profile.$hotspots?.sampleIntervalUs ?? estimateIntervalUs(profile);
}

/** Mean gap between samples; only used when the profile does not say which interval was requested. */
export function estimateIntervalUs(profile: Pick<SampledProfile, 'timeDeltas'>): number {
  const deltas = profile.timeDeltas;
  if (!deltas || deltas.length < 2) return DEFAULT_SAMPLE_INTERVAL_US;
  let sum = 0;
  for (let i = 1; i < deltas.length; i++) sum += Math.max(0, deltas[i]);
  const mean = sum / (deltas.length - 1);
  return mean > 0 ? Math.round(mean) : DEFAULT_SAMPLE_INTERVAL_US;
}

/** Self time (µs) and sample count of every node, by node index. */
export function selfTimePerNode(profile: SampledProfile, nodes: SampledNodes, intervalUs: number): NodeSelfTimes {
  const selfUs = new Float64Array(nodes.count);
  const sampleCounts = new Uint32Array(nodes.count);
  const samples = profile.samples;
  if (!samples || samples.length === 0) {
    let hits = 0;
    for (let index = 0; index < nodes.count; index++) hits += nodes.hitCounts[index] ?? 0;
    const durationUs = profile.endTime - profile.startTime;
    const perHitUs = hits > 0 && durationUs > 0 ? durationUs / hits : intervalUs;
    for (let index = 0; index < nodes.count; index++) {
      sampleCounts[index] = nodes.hitCounts[index] ?? 0;
      selfUs[index] = sampleCounts[index] * perHitUs;
    }
    return { selfUs, sampleCounts };
  }
  // This loop runs once per sample (millions of times) and jumps around the node arrays, so it is
  // memory-bound: time and count share one array (one cache line per sample), and the usual V8 numbering
  // (node i has id i + 1) is used without a lookup table.
  const deltas = profile.timeDeltas;
  const weights = profile.sampleWeightsUs;
  const last = samples.length - 1;
  const sums = new Float64Array(nodes.count * 2);
  const offset = nodes.idOffset;
  for (let i = 0; i < samples.length; i++) {
    const index = offset !== undefined ? samples[i] - offset : nodes.indexOf(samples[i]);
    if (index < 0 || index >= nodes.count) continue;
    const us = weights ? weights[i] : sampleDurationUs(deltas, i, last, intervalUs);
    sums[index * 2] += us > 0 ? us : 0;
    sums[index * 2 + 1]++;
  }
  for (let index = 0; index < nodes.count; index++) {
    selfUs[index] = sums[index * 2];
    sampleCounts[index] = sums[index * 2 + 1];
  }
  return { selfUs, sampleCounts };
}

/** How long V8 sample i lasted (see the rules above); `last` is the index of the last sample. */
function sampleDurationUs(deltas: ArrayLike<number> | undefined, i: number, last: number, intervalUs: number): number {
  return i < last && deltas && i + 1 < deltas.length ? deltas[i + 1] : intervalUs;
}
