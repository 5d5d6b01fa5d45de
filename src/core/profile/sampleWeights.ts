// The one self-time function: how many microseconds each sample (and so each call-tree node) stands for.
// The report model (model.ts), the flame graph (flame/speedscope.ts), pprof export and the waits' idle
// timeline all use it, so a frame shows the same milliseconds everywhere. Pure: no I/O.
//
// Rules:
//  - formats that weigh each sample (pprof: nanoseconds of CPU or wall time, or a count times the period)
//    give `sampleWeightsUs`, used as is;
//  - V8 profiles: `timeDeltas[i]` is the time between sample i-1 and sample i, so sample i lasts until the
//    next sample, `timeDeltas[i + 1]` µs (negative deltas, seen in some Chrome profiles, count as 0); the
//    last sample lasts one sampling interval. `timeDeltas[0]` is the gap between `startTime` and the first
//    sample and belongs to no sample. On a busy machine the process (or V8's sampler thread) is descheduled
//    and a single delta can be hundreds of milliseconds; weighting the sample by it would invent time the
//    program did not run on that line. So one sample stands for at most SAMPLE_WEIGHT_CAP_INTERVALS
//    sampling intervals; the rest of a long gap is "unsampled" time, reported as its own category;
//  - profiles with hit counts only (no samples): the profile's duration is spread evenly over the hits
//    (one interval per hit when the duration is unknown).

/** What one sample may stand for, in sampling intervals (a few: normal jitter stays whole). */
export const SAMPLE_WEIGHT_CAP_INTERVALS = 4;

/** Sampling interval V8 uses when nobody asked for another one. */
export const DEFAULT_SAMPLE_INTERVAL_US = 1000;

/** Upper bound of one sample's weight for a profile sampled every `intervalUs`. */
export function sampleWeightCapUs(intervalUs: number): number {
  return (intervalUs > 0 ? intervalUs : DEFAULT_SAMPLE_INTERVAL_US) * SAMPLE_WEIGHT_CAP_INTERVALS;
}

/**
 * Weight (µs) of V8 sample `index` of `sampleCount`: the delta to the next sample, negative deltas (V8
 * reorders a few samples) as 0, the last sample one interval, never more than `capUs`.
 */
export function sampleWeightUs(timeDeltas: ArrayLike<number> | undefined, index: number, sampleCount: number, intervalUs: number, capUs: number): number {
  const next = index + 1 < sampleCount && timeDeltas && index + 1 < timeDeltas.length ? timeDeltas[index + 1] : intervalUs;
  if (!(next > 0)) return 0;
  return next < capUs ? next : capUs;
}

export interface SampleWeights {
  /** Capped weight per sample, µs. */
  weights: Float64Array;
  /** Time of the gaps beyond the cap, µs: the program was not sampled then (descheduled, busy machine). */
  unsampledUs: number;
}

/** Capped weights of all samples of a V8 profile, and the time the cap took off. */
export function cappedSampleWeights(timeDeltas: ArrayLike<number> | undefined, sampleCount: number, intervalUs: number): SampleWeights {
  const capUs = sampleWeightCapUs(intervalUs);
  const weights = new Float64Array(sampleCount);
  let unsampledUs = 0;
  for (let i = 0; i < sampleCount; i++) {
    const weight = sampleWeightUs(timeDeltas, i, sampleCount, intervalUs, capUs);
    weights[i] = weight;
    const raw = i + 1 < sampleCount && timeDeltas && i + 1 < timeDeltas.length ? timeDeltas[i + 1] : 0;
    if (raw > weight) unsampledUs += raw - weight;
  }
  return { weights, unsampledUs };
}

/**
 * The sampling interval of a profile that does not say which one was requested: the median positive
 * delta (the mean is pulled up by descheduling gaps: a 1000 µs profile on a busy machine averaged
 * 1753 µs), snapped to a round interval (50, 100, 125, 200, 250, 500, 1000, ... µs) when within 15%.
 */
export function estimateSampleIntervalUs(timeDeltas: ArrayLike<number> | undefined): number {
  if (!timeDeltas || timeDeltas.length < 2) return DEFAULT_SAMPLE_INTERVAL_US;
  const positive: number[] = [];
  // timeDeltas[0] is the gap between the profile's start and its first sample, not an interval.
  for (let i = 1; i < timeDeltas.length; i++) if (timeDeltas[i] > 0) positive.push(timeDeltas[i]);
  if (positive.length === 0) return DEFAULT_SAMPLE_INTERVAL_US;
  positive.sort((a, b) => a - b);
  const median = positive[positive.length >> 1];
  for (let scale = 10; scale <= 1_000_000; scale *= 10) {
    for (const step of [1, 1.25, 2, 2.5, 5]) {
      const round = step * scale;
      if (Math.abs(median - round) <= round * 0.15) return round;
    }
  }
  return Math.max(1, Math.round(median));
}

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
  /** Gaps between V8 samples beyond the cap, µs (see above): in no node. */
  unsampledUs: number;
}

/** The interval the profile was recorded with: the one the preload asked for, else estimated from the gaps. */
export function sampleIntervalUs(profile: SampledProfile): number {
  return profile.$hotspots?.sampleIntervalUs ?? estimateSampleIntervalUs(profile.timeDeltas);
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
    return { selfUs, sampleCounts, unsampledUs: 0 };
  }
  // This loop runs once per sample (millions of times) and jumps around the node arrays, so it is
  // memory-bound: time and count share one array (one cache line per sample), and the usual V8 numbering
  // (node i has id i + 1) is used without a lookup table.
  const deltas = profile.timeDeltas;
  const weights = profile.sampleWeightsUs;
  const capUs = sampleWeightCapUs(intervalUs);
  const sums = new Float64Array(nodes.count * 2);
  const offset = nodes.idOffset;
  let unsampledUs = 0;
  for (let i = 0; i < samples.length; i++) {
    let us: number;
    if (weights) {
      us = weights[i] > 0 ? weights[i] : 0;
    } else {
      us = sampleWeightUs(deltas, i, samples.length, intervalUs, capUs);
      const raw = deltas && i + 1 < samples.length && i + 1 < deltas.length ? deltas[i + 1] : 0;
      if (raw > us) unsampledUs += raw - us;
    }
    const index = offset !== undefined ? samples[i] - offset : nodes.indexOf(samples[i]);
    if (index < 0 || index >= nodes.count) continue;
    sums[index * 2] += us;
    sums[index * 2 + 1]++;
  }
  for (let index = 0; index < nodes.count; index++) {
    selfUs[index] = sums[index * 2];
    sampleCounts[index] = sums[index * 2 + 1];
  }
  return { selfUs, sampleCounts, unsampledUs };
}
