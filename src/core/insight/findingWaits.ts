// async/* lint findings measured by waiting: the blocked time of the await lines a finding points at
// (report `waits`, aligned to the current file), an estimate of what running them together saves, and
// the ranking of findings by CPU time plus blocked time. Called at the end of measureFindings.
import { fileKey } from '../compare/compare';
import { cachingSourceReader, splitSourceLines, type SourceReader } from '../profile/sourceContext';
import type { MeasuredFinding } from './measureFindings';
import { alignReportToCurrent, isHot } from './measureFindings';
import type { Finding } from '../lint/types';
import type { Report, ReportWait } from '../profile/types';
import { waitsWallMs } from '../profile/waits/format';

export interface WaitingEstimate {
  /** Awaits measured on the finding's lines. */
  count: number;
  /** Blocked time of those lines, one after another. */
  blockedMs: number;
  /** About how long they would take run together. */
  togetherMs: number;
  savedMs: number;
  /** savedMs as a share of the run's elapsed time, 0..100. */
  savedPercent: number;
}

export interface FindingWithWaiting extends MeasuredFinding {
  /** Blocked time of the await lines in the finding's region (async/* findings with waits measured). */
  waitingMs?: number;
  waiting?: WaitingEstimate;
}

/**
 * The estimate: awaits that ran one after another take the sum of their waits; run together, about the
 * longest single one. For a loop's await (await-in-loop, forEach-async) the longest single wait; for a
 * run of sequential await statements, the longest of the lines (each line's waits overlap the others').
 */
export function estimateSaving(ruleId: string, waits: readonly ReportWait[], wallMs: number): WaitingEstimate | undefined {
  if (waits.length === 0) return undefined;
  const blockedMs = waits.reduce((sum, wait) => sum + wait.blockedMs, 0);
  const count = waits.reduce((sum, wait) => sum + wait.count, 0);
  const togetherMs = ruleId === 'async/sequential-awaits'
    ? Math.max(...waits.map(wait => wait.blockedMs))
    : Math.min(blockedMs, Math.max(...waits.map(wait => wait.maxWaitMs ?? wait.waitMs / Math.max(1, wait.count))));
  const savedMs = Math.max(0, blockedMs - togetherMs);
  return { count, blockedMs: round(blockedMs), togetherMs: round(togetherMs), savedMs: round(savedMs), savedPercent: wallMs > 0 ? round((savedMs / wallMs) * 100) : 0 };
}

/** "40 waits, 812 ms one after another; run together ≈ 25 ms (saves ≈ 790 ms, 78% of the run; an estimate: ...)". */
export function describeWaiting(estimate: WaitingEstimate): string {
  return `Measured: ${estimate.count} wait${estimate.count === 1 ? '' : 's'}, ${formatMs(estimate.blockedMs)} one after another; ` +
    `run together ≈ ${formatMs(estimate.togetherMs)} (saves ≈ ${formatMs(estimate.savedMs)}, ${Math.round(estimate.savedPercent)}% of the run). ` +
    'This is an estimate: it does not apply when the awaits share a rate-limited resource (one connection, a lock, an API quota).';
}

/** `originals[i]`: findings[i] as linted, before measuring (a loop with no CPU samples that waited did run). */
export function rankByWaiting(findings: MeasuredFinding[], report: Report, options: { readSource: SourceReader; cwd?: string }, originals: readonly Finding[]): FindingWithWaiting[] {
  if (!report.waits || report.waits.length === 0) return findings;
  const readSource = cachingSourceReader(options.readSource);
  const wallMs = waitsWallMs(report);
  const waitsByFile = new Map<string, Map<number, ReportWait> | undefined>();
  const currentWaits = (file: string): Map<number, ReportWait> | undefined => {
    if (!waitsByFile.has(file)) waitsByFile.set(file, alignWaits(file, report, readSource, options.cwd));
    return waitsByFile.get(file);
  };
  const ranked = findings.map((finding, index): { index: number; finding: FindingWithWaiting } => {
    if (finding.family !== 'async') return { index, finding };
    const waits = currentWaits(finding.file);
    if (!waits) return { index, finding };
    const region = finding.region ?? { line: finding.line, endLine: Math.max(finding.line, finding.endLine) };
    const inRegion = [...waits].filter(([line]) => line >= region.line && line <= region.endLine).map(([, wait]) => wait);
    const estimate = estimateSaving(finding.ruleId, inRegion, wallMs);
    if (!estimate || estimate.blockedMs <= 0) return { index, finding };
    // No CPU samples but measured waiting: it ran (it waited); keep its severity and say what was measured.
    const measured = finding.measured === 'not-run' ? { ...finding, severity: originals[index].severity, message: originals[index].message, measured: 'sampled' as const } : finding;
    // Measured waiting promotes a finding as measured CPU does (measureFindings.ts): awaits that kept the
    // program waiting for a noticeable share of the run are worth a warning, whatever the static evidence.
    const blockedPercent = wallMs > 0 ? (estimate.blockedMs / wallMs) * 100 : 0;
    const severity = isHot(blockedPercent) && (measured.severity === 'hint' || measured.severity === 'info') ? 'warning' : measured.severity;
    return { index, finding: { ...measured, severity, message: `${measured.message} ${describeWaiting(estimate)}`, waitingMs: estimate.blockedMs, waiting: estimate } };
  });
  const weight = (finding: FindingWithWaiting): number => (finding.measuredMs ?? 0) + (finding.waitingMs ?? 0);
  ranked.sort((a, b) => weight(b.finding) - weight(a.finding) || a.index - b.index);
  return ranked.map(entry => entry.finding);
}

/** The report's await lines of `file`, placed on the lines of its current text. */
function alignWaits(file: string, report: Report, readSource: SourceReader, cwd: string | undefined): Map<number, ReportWait> | undefined {
  const reportCwd = report.workload?.cwd;
  const key = cwd && reportCwd ? fileKey(cwd, file) : file;
  const matching = report.waits!.filter(wait => wait.file === file || (cwd && reportCwd && fileKey(reportCwd, wait.file) === key));
  if (matching.length === 0) return undefined;
  const reportFile = matching[0].file;
  const source = readSource(file);
  const recorded = new Map<number, string>();
  for (const line of report.lines) if (line.file === reportFile && line.text !== undefined) recorded.set(line.line, line.text);
  for (const wait of matching) if (wait.text !== undefined) recorded.set(wait.line, wait.text);
  const alignment = source === undefined ? undefined : alignReportToCurrent(report, reportFile, recorded, splitSourceLines(source));
  const placed = new Map<number, ReportWait>();
  for (const wait of matching) {
    const line = alignment ? alignment.afterLineOf(wait.line) : wait.line;
    if (line !== null) placed.set(line, wait);
  }
  return placed;
}

function formatMs(ms: number): string {
  return ms >= 10 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
