// How much time one CPU-profile sample stands for.
//
// V8 records `timeDeltas[i]`, the time between sample i-1 and sample i, so sample i lasts until the next
// one: `timeDeltas[i + 1]`. On a busy machine the process (or V8's sampler thread) is descheduled and a
// single delta can be hundreds of milliseconds; weighting the sample by it would invent time the program
// did not run on that line. So one sample stands for at most SAMPLE_WEIGHT_CAP_INTERVALS sampling
// intervals; the rest of a long gap is "unsampled" time, reported as its own category (never as a line).
// Report (model.ts) and flame graph (speedscope.ts) both weigh samples here, so they agree.

/** What one sample may stand for, in sampling intervals (a few: normal jitter stays whole). */
export const SAMPLE_WEIGHT_CAP_INTERVALS = 4;

/** Sampling interval V8 uses when nobody asked for another one. */
export const DEFAULT_SAMPLE_INTERVAL_US = 1000;

/** Upper bound of one sample's weight for a profile sampled every `intervalUs`. */
export function sampleWeightCapUs(intervalUs: number): number {
  return (intervalUs > 0 ? intervalUs : DEFAULT_SAMPLE_INTERVAL_US) * SAMPLE_WEIGHT_CAP_INTERVALS;
}

/**
 * Weight (µs) of sample `index` of `sampleCount`: the delta to the next sample, negative deltas (V8
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

/** Capped weights of all samples of a profile, and the time the cap took off. */
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
