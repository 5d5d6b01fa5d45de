// The regression check: the median of repeated runs against a baseline report, with the lines that
// explain a regression. Pure: running the script is the caller's job.
import type { Report } from '../profile/types';
import { ComparedLine, Comparison, compareReports, CompareOptions, nonIdleMs } from './compare';

/** Check JSON, version 1. */
export interface RegressionVerdict {
  version: 1;
  /** Non-idle sampled time of the baseline. */
  baselineMs: number;
  /** Non-idle sampled time of every run, in run order. */
  runsMs: number[];
  medianMs: number;
  /** (median − baseline) / baseline, in percent: positive = slower. */
  changePercent: number;
  maxRegressionPercent: number;
  regressed: boolean;
  /** Lines that got slower or are new, slowest change first: what to look at when `regressed`. */
  responsibleLines: ComparedLine[];
  /** Baseline vs the run whose time is the median (lower middle for an even count). */
  comparison: Comparison;
}

/** Lines whose slowdown is smaller than this share of the baseline are noise, not a cause. */
const MIN_RESPONSIBLE_SHARE_OF_BASELINE = 0.005;

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Index of the run to explain the verdict with: the median run (the lower middle for an even count). */
export function medianRunIndex(valuesMs: readonly number[]): number {
  const order = valuesMs.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value || a.index - b.index);
  return order[(order.length - 1) >> 1].index;
}

export function evaluateRegression(
  baseline: Report, runs: readonly Report[], maxRegressionPercent: number, options: CompareOptions = {},
): RegressionVerdict {
  if (runs.length === 0) throw new RangeError('evaluateRegression needs at least one run');
  const baselineMs = nonIdleMs(baseline);
  if (baselineMs <= 0) throw new RangeError('the baseline report sampled no busy time');
  const runsMs = runs.map(nonIdleMs);
  const medianMs = median(runsMs);
  const changePercent = ((medianMs - baselineMs) / baselineMs) * 100;
  const comparison = compareReports(baseline, runs[medianRunIndex(runsMs)], options);
  const threshold = baselineMs * MIN_RESPONSIBLE_SHARE_OF_BASELINE;
  return {
    version: 1,
    baselineMs: round(baselineMs),
    runsMs: runsMs.map(ms => round(ms)),
    medianMs: round(medianMs),
    changePercent: round(changePercent),
    maxRegressionPercent,
    regressed: changePercent > maxRegressionPercent,
    responsibleLines: comparison.lines.filter(line => line.deltaMs > threshold).sort((a, b) => b.deltaMs - a.deltaMs),
    comparison,
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
