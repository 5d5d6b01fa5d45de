// The regression check: the median of repeated runs against a baseline report, with the lines that
// explain a regression. Pure: running the script is the caller's job.
import type { Report } from '../profile/types';
import { ComparedLine, Comparison, compareReports, CompareOptions, nonIdleMs } from './compare';
import { waitingMatters } from './checkWaits';

/**
 * What the check compares.
 *  - 'samples' (used whenever the reports list sampled lines): the number of samples in your code and
 *    dependencies times the sampling interval. Samples are only taken while the thread runs, so this
 *    stays put when other jobs compete for the CPU; the sampled *milliseconds* do not, because a
 *    sample lasts until the next one and a thread waiting for a CPU core is still "in" its line. On a
 *    loaded 2-core machine the same run measured 178–1043 ms busy but 64–102 samples.
 *  - 'busy' (fallback): non-idle sampled time, as `hotspots compare` reports it.
 *  - 'elapsed' (whenever a run spent a noticeable share of its time waiting on its awaits): the
 *    program's elapsed time, since CPU samples do not see waiting (checkWaits.ts).
 */
export type CheckMeasure = 'samples' | 'busy' | 'elapsed';

/** Check JSON, version 1. */
export interface RegressionVerdict {
  version: 1;
  measure: CheckMeasure;
  baselineMs: number;
  /** Every run, in run order. */
  runsMs: number[];
  medianMs: number;
  /** (median − baseline) / baseline, in percent: positive = slower. */
  changePercent: number;
  maxRegressionPercent: number;
  regressed: boolean;
  /** Lines that got slower or are new, slowest change first: what to look at when `regressed`. */
  responsibleLines: ComparedLine[];
  /**
   * Baseline vs the run whose time is the median (lower middle for an even count), its speedup in the
   * verdict's measure. With the 'samples' measure, its line and function times are sample counts ×
   * interval too.
   */
  comparison: Comparison;
}

/** Lines whose slowdown is smaller than this share of the baseline are noise, not a cause. */
const MIN_RESPONSIBLE_SHARE_OF_BASELINE = 0.005;

export function chooseMeasure(reports: readonly Report[]): CheckMeasure {
  if (waitingMatters(reports)) return 'elapsed';
  return reports.every(report => sampledCodeMs(report) > 0) ? 'samples' : 'busy';
}

export function measuredMs(report: Report, measure: CheckMeasure): number {
  if (measure === 'elapsed') return report.elapsedMs ?? 0;
  return measure === 'samples' ? sampledCodeMs(report) : nonIdleMs(report);
}

/** Samples in the listed lines (your code and dependencies) × the sampling interval. */
function sampledCodeMs(report: Report): number {
  const hits = report.lines.reduce((sum, line) => sum + (Number.isFinite(line.hits) ? line.hits : 0), 0);
  return (hits * (report.sampleIntervalUs > 0 ? report.sampleIntervalUs : 1000)) / 1000;
}

/**
 * The report with every time re-expressed as samples × interval: lines from their hits, functions
 * scaled like the lines of the report, shares relative to the sampled code. Keeps line texts,
 * fingerprints and workload.
 */
export function toSampleTimes<T extends Report>(report: T): T {
  const intervalMs = (report.sampleIntervalUs > 0 ? report.sampleIntervalUs : 1000) / 1000;
  const totalMs = sampledCodeMs(report);
  const lineMs = report.lines.reduce((sum, line) => sum + line.selfMs, 0);
  const scale = lineMs > 0 ? totalMs / lineMs : 0;
  const percent = (ms: number) => (totalMs > 0 ? (ms / totalMs) * 100 : 0);
  return {
    ...report,
    totalSampledMs: totalMs,
    categories: { ...report.categories, idleMs: 0 },
    lines: report.lines.map(line => ({ ...line, selfMs: line.hits * intervalMs, selfPercent: percent(line.hits * intervalMs) })),
    functions: report.functions.map(fn => ({
      ...fn,
      selfMs: fn.selfMs * scale,
      totalMs: fn.totalMs * scale,
      selfPercent: percent(fn.selfMs * scale),
      totalPercent: percent(fn.totalMs * scale),
    })),
  };
}

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
  if (nonIdleMs(baseline) <= 0) throw new RangeError('the baseline report sampled no busy time');
  const measure = chooseMeasure([baseline, ...runs]);
  const baselineMs = measuredMs(baseline, measure);
  const runsMs = runs.map(run => measuredMs(run, measure));
  const medianMs = median(runsMs);
  const changePercent = ((medianMs - baselineMs) / baselineMs) * 100;
  const medianRun = runs[medianRunIndex(runsMs)];
  // The comparison's speedup in the verdict's own measure (a run can take fewer samples of your code
  // and still more elapsed time: one verdict, one measure).
  const comparison = measure === 'elapsed'
    ? compareReports(baseline, medianRun, options)
    : measure === 'samples'
      ? compareReports(toSampleTimes(baseline), toSampleTimes(medianRun), { ...options, measure: 'busy' })
      : compareReports(baseline, medianRun, { ...options, measure: 'busy' });
  const threshold = baselineMs * MIN_RESPONSIBLE_SHARE_OF_BASELINE;
  return {
    version: 1,
    measure,
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
