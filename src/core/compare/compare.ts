// Before/after comparison of two reports, line by line across edits (Comparison JSON, version 1).
import * as path from 'node:path';
import type { Report } from '../profile/types';
import { alignFileLines, FileVersionText, LineAlignment } from './align';
import { ComparedWait, compareWaits, elapsedFigures, ElapsedFigures } from './compareWaits';
import {
  cachingSourceReader, decodeFingerprint, lineHash, lineKey, recordedLineText, ReportLineWithText, ReportWithContext, SourceReader, splitSourceLines,
} from './sourceContext';

/** Comparison JSON, version 1. Other tools rely on these names; add fields, never rename. */
export interface Comparison {
  version: 1;
  before: ComparisonSide;
  after: ComparisonSide;
  /**
   * 2 means twice as fast; null when the after run sampled nothing. By elapsed time (before.wallMs /
   * after.wallMs) when both reports know it (`measure` 'elapsed'), else by busy time (totalMs).
   */
  speedup: number | null;
  measure?: 'elapsed' | 'busy';
  /** Await lines (blocked ms) matched across edits, sorted by |deltaMs| descending; absent without waits. */
  waits?: ComparedWait[];
  /** Sorted by |deltaMs| descending. */
  lines: ComparedLine[];
  /** Sorted by |deltaMs| descending. */
  functions: ComparedFunction[];
  /** Lines with no time before that take a noticeable share after (sorted by afterMs descending). */
  newHotspots: ComparedLine[];
  warnings: string[];
  /** How the two runs' workloads differ (another script, other arguments), when they do; also in `warnings`. */
  workloadDifference?: string;
}
export interface ComparisonSide extends Partial<ElapsedFigures> {
  /** Non-idle sampled time of the run. */
  totalMs: number;
  command: string[];
}
export interface ComparedLine {
  /** Absolute path as in the after report (the before report's, for files the after run did not sample). */
  file: string;
  /** null: the line exists (or is known) on one side only. */
  beforeLine: number | null;
  afterLine: number | null;
  text: string;
  beforeMs: number;
  afterMs: number;
  deltaMs: number;
  /** Shares of each run's non-idle sampled time, 0..100. */
  beforePercent: number;
  afterPercent: number;
  function: string;
}
export interface ComparedFunction {
  name: string;
  file: string;
  /** Self time, matching the line figures. */
  beforeMs: number;
  afterMs: number;
  deltaMs: number;
  beforePercent: number;
  afterPercent: number;
  beforeTotalMs: number;
  afterTotalMs: number;
}

export interface CompareOptions {
  /** Reads current source files; used to align lines when a report did not record the text or to get the full text. */
  readSource?: SourceReader;
  /** Minimum share of the after run for a line without time before to count as a new hotspot. */
  newHotspotMinPercent?: number;
  /**
   * 'busy': the speedup by busy time even when both reports know their elapsed time (the regression
   * check judging by CPU samples must not print a speedup by another measure than its verdict's).
   */
  measure?: 'busy';
}

const DEFAULT_NEW_HOTSPOT_MIN_PERCENT = 1;

/** Non-idle sampled time: what the shares in a report are relative to. */
export function nonIdleMs(report: Report): number {
  return Math.max(0, report.totalSampledMs - (report.categories?.idleMs ?? 0));
}

export function compareReports(before: Report | ReportWithContext, after: Report | ReportWithContext, options: CompareOptions = {}): Comparison {
  const readSource = cachingSourceReader(options.readSource ?? (() => undefined));
  const beforeTotal = nonIdleMs(before);
  const afterTotal = nonIdleMs(after);
  const warnings: string[] = [];
  const workloadWarning = describeWorkloadDifference(before, after);
  if (workloadWarning) warnings.push(workloadWarning);

  const beforeFiles = groupLinesByFile(before, runDirectory(before, after));
  const afterFiles = groupLinesByFile(after, runDirectory(after, before));
  const lines: ComparedLine[] = [];
  const alignedByNumber: string[] = [];
  const assumedFromDisk: string[] = [];
  const share = (ms: number, total: number) => (total > 0 ? round((ms / total) * 100) : 0);

  const alignments = new Map<string, LineAlignment>();
  const alignmentOf = (key: string, file: string): LineAlignment => {
    let alignment = alignments.get(key);
    if (!alignment) {
      // Files with awaits but no CPU samples: aligned from the fingerprints and the disk like the others.
      const empty = { file, byLine: new Map<number, ReportLineWithText>() };
      const diskSource = readSource(file);
      const diskLines = diskSource === undefined ? undefined : splitSourceLines(diskSource);
      alignment = alignFileLines(versionText(before, beforeFiles.get(key) ?? empty, diskLines, 'before').text, versionText(after, afterFiles.get(key) ?? empty, diskLines, 'after').text);
      alignments.set(key, alignment);
    }
    return alignment;
  };
  for (const key of new Set([...beforeFiles.keys(), ...afterFiles.keys()])) {
    const beforeGroup = beforeFiles.get(key);
    const afterGroup = afterFiles.get(key);
    const file = afterGroup?.file ?? beforeGroup!.file;
    // The file on disk now: the after run's path first (the current checkout), else the before run's.
    const diskSource = readSource(file) ?? (beforeGroup ? readSource(beforeGroup.file) : undefined);
    const diskLines = diskSource === undefined ? undefined : splitSourceLines(diskSource);
    const beforeText = versionText(before, beforeGroup, diskLines, 'before');
    const afterText = versionText(after, afterGroup, diskLines, 'after');
    const alignment = alignFileLines(beforeText.text, afterText.text);
    alignments.set(key, alignment);
    if (alignment.method === 'line-number') alignedByNumber.push(path.basename(file));
    else if (beforeText.assumedFromDisk || afterText.assumedFromDisk) assumedFromDisk.push(path.basename(file));
    lines.push(...compareFileLines(file, beforeGroup, afterGroup, alignment, [beforeText, afterText], beforeTotal, afterTotal, share));
  }
  lines.sort(byDeltaThenPlace);
  if (alignedByNumber.length > 0) {
    warnings.push(`no source text for one of the runs and the file is not on disk; lines aligned by line number: ${listFiles(alignedByNumber)}`);
  }
  if (assumedFromDisk.length > 0) {
    warnings.push(`a report has no line text (older report or .cpuprofile); assumed the file on disk is the version it ran: ${listFiles(assumedFromDisk)}`);
  }

  const minPercent = options.newHotspotMinPercent ?? DEFAULT_NEW_HOTSPOT_MIN_PERCENT;
  const newHotspots = lines
    .filter(line => line.beforeMs === 0 && line.afterMs > 0 && line.afterPercent >= minPercent)
    .sort((x, y) => y.afterMs - x.afterMs);

  // Waiting counts: a fix that runs requests together is judged by the program's elapsed time.
  const beforeElapsed = elapsedFigures(before);
  const afterElapsed = elapsedFigures(after);
  const byElapsed = options.measure !== 'busy' && beforeElapsed !== undefined && afterElapsed !== undefined && afterElapsed.wallMs > 0;
  const waits = before.waits || after.waits
    ? compareWaits(before, after, (report, file) => fileKey(runDirectory(report, report === before ? after : before), file), alignmentOf)
    : undefined;
  return {
    version: 1,
    before: { totalMs: round(beforeTotal), command: before.command ?? [], ...beforeElapsed },
    after: { totalMs: round(afterTotal), command: after.command ?? [], ...afterElapsed },
    speedup: byElapsed ? round(beforeElapsed.wallMs / afterElapsed.wallMs, 3) : afterTotal > 0 ? round(beforeTotal / afterTotal, 3) : null,
    measure: byElapsed ? 'elapsed' : 'busy',
    ...(waits ? { waits } : {}),
    lines,
    functions: compareFunctions(before, after, beforeTotal, afterTotal, share),
    newHotspots,
    warnings,
    ...(workloadWarning ? { workloadDifference: workloadWarning } : {}),
  };
}

interface FileLines {
  file: string;
  byLine: Map<number, ReportLineWithText>;
}

/**
 * Files are matched by their path relative to the run's working directory when the report knows it,
 * so a baseline recorded in one checkout compares with a run in another (CI); a report without a
 * workload (older, or built from .cpuprofile files) borrows the other run's directory; else the
 * absolute path is the key.
 */
export function fileKey(cwd: string | undefined, file: string): string {
  if (cwd) {
    const relative = path.relative(cwd, file);
    if (relative && !relative.startsWith('..') && !path.isAbsolute(relative)) return relative.split(path.sep).join('/');
  }
  return file;
}

function runDirectory(report: Report | ReportWithContext, other: Report | ReportWithContext): string | undefined {
  return (report as ReportWithContext).workload?.cwd ?? (other as ReportWithContext).workload?.cwd;
}

function groupLinesByFile(report: Report | ReportWithContext, cwd: string | undefined): Map<string, FileLines> {
  const files = new Map<string, FileLines>();
  for (const line of report.lines as ReportLineWithText[]) {
    const key = fileKey(cwd, line.file);
    let group = files.get(key);
    if (!group) files.set(key, (group = { file: line.file, byLine: new Map() }));
    const existing = group.byLine.get(line.line);
    // A report lists each line once; merge defensively so a duplicate never double-counts a partner.
    if (existing) group.byLine.set(line.line, { ...existing, selfMs: existing.selfMs + line.selfMs, hits: existing.hits + line.hits });
    else group.byLine.set(line.line, line);
  }
  return files;
}

interface VersionText {
  text: FileVersionText;
  /** The whole text of this version, when known (the file on disk agrees with what the report recorded). */
  sourceLines?: readonly string[];
  /** The report recorded nothing about this file: the file on disk is assumed (the caller warns). */
  assumedFromDisk: boolean;
}

/**
 * What is known about the version of a file a run executed, best first: the report's fingerprint of
 * the whole file; the file on disk when it agrees with every line text the report recorded; the
 * recorded texts alone; for a report without any of these, the file on disk (assumed).
 */
function versionText(
  report: Report | ReportWithContext, group: FileLines | undefined, diskLines: string[] | undefined, side: 'before' | 'after',
): VersionText {
  const recorded = new Map<number, string>();
  for (const [line, entry] of group?.byLine ?? []) if (entry.text !== undefined) recorded.set(line, entry.text);
  const recordedAgrees = (lines: readonly string[]) =>
    [...recorded].every(([line, text]) => lines[line - 1] !== undefined && lineKey(lines[line - 1]) === lineKey(text));

  const fingerprint = group && (report as ReportWithContext).sourceFingerprints?.[group.file];
  const hashes = fingerprint ? decodeFingerprint(fingerprint) : undefined;
  if (hashes) {
    const diskMatches = diskLines !== undefined && diskLines.length === hashes.length && diskLines.every((line, i) => lineHash(line) === hashes[i]);
    return { text: { kind: 'hashes', hashes }, sourceLines: diskMatches ? diskLines : undefined, assumedFromDisk: false };
  }
  if (recorded.size > 0) {
    if (diskLines !== undefined && recordedAgrees(diskLines)) return { text: { kind: 'full', lines: diskLines }, sourceLines: diskLines, assumedFromDisk: false };
    return { text: { kind: 'recorded', lines: recorded }, assumedFromDisk: false };
  }
  // No samples in this file on this side: nothing says which version it ran. The file on disk is the
  // best guess for the after run (usually the current checkout); for the before run it is more
  // likely the edited version, so nothing is assumed and its lines stay unplaced.
  if (!group) {
    return side === 'after' && diskLines
      ? { text: { kind: 'full', lines: diskLines }, sourceLines: diskLines, assumedFromDisk: false }
      : { text: { kind: 'recorded', lines: recorded }, assumedFromDisk: false };
  }
  if (diskLines) return { text: { kind: 'full', lines: diskLines }, sourceLines: diskLines, assumedFromDisk: true };
  return { text: { kind: 'none' }, assumedFromDisk: false };
}

function textOf(version: VersionText, line: number): string | undefined {
  const source = version.sourceLines?.[line - 1];
  if (source !== undefined) return recordedLineText(source);
  return version.text.kind === 'recorded' ? version.text.lines.get(line) : undefined;
}

function compareFileLines(
  file: string,
  beforeGroup: FileLines | undefined,
  afterGroup: FileLines | undefined,
  alignment: LineAlignment,
  [beforeText, afterText]: [VersionText, VersionText],
  beforeTotal: number,
  afterTotal: number,
  share: (ms: number, total: number) => number,
): ComparedLine[] {
  const rows: ComparedLine[] = [];
  const consumedAfterLines = new Set<number>();
  const row = (beforeLine: number | null, afterLine: number | null, beforeEntry?: ReportLineWithText, afterEntry?: ReportLineWithText): ComparedLine => {
    const beforeMs = beforeEntry?.selfMs ?? 0;
    const afterMs = afterEntry?.selfMs ?? 0;
    const text = afterEntry?.text ?? (afterLine !== null ? textOf(afterText, afterLine) : undefined)
      ?? beforeEntry?.text ?? (beforeLine !== null ? textOf(beforeText, beforeLine) : undefined) ?? '';
    return {
      file,
      beforeLine,
      afterLine,
      text,
      beforeMs: round(beforeMs),
      afterMs: round(afterMs),
      deltaMs: round(afterMs - beforeMs),
      beforePercent: share(beforeMs, beforeTotal),
      afterPercent: share(afterMs, afterTotal),
      function: afterEntry?.function ?? beforeEntry?.function ?? '',
    };
  };
  for (const [beforeLine, beforeEntry] of beforeGroup?.byLine ?? []) {
    const afterLine = alignment.afterLineOf(beforeLine);
    const afterEntry = afterLine !== null ? afterGroup?.byLine.get(afterLine) : undefined;
    if (afterLine !== null) consumedAfterLines.add(afterLine);
    rows.push(row(beforeLine, afterLine, beforeEntry, afterEntry));
  }
  for (const [afterLine, afterEntry] of afterGroup?.byLine ?? []) {
    if (consumedAfterLines.has(afterLine)) continue;
    rows.push(row(alignment.beforeLineOf(afterLine), afterLine, undefined, afterEntry));
  }
  return rows;
}

function compareFunctions(
  before: Report | ReportWithContext, after: Report | ReportWithContext,
  beforeTotal: number, afterTotal: number, share: (ms: number, total: number) => number,
): ComparedFunction[] {
  // Functions are matched by name and file, not line: editing code above a function moves it.
  const sums = new Map<string, { name: string; file: string; beforeMs: number; afterMs: number; beforeTotalMs: number; afterTotalMs: number }>();
  const add = (report: Report | ReportWithContext, side: 'before' | 'after') => {
    const cwd = runDirectory(report, side === 'before' ? after : before);
    for (const fn of report.functions ?? []) {
      const key = `${fileKey(cwd, fn.file)}\u0000${fn.name}`;
      let entry = sums.get(key);
      if (!entry) sums.set(key, (entry = { name: fn.name, file: fn.file, beforeMs: 0, afterMs: 0, beforeTotalMs: 0, afterTotalMs: 0 }));
      if (side === 'after') entry.file = fn.file;
      entry[`${side}Ms`] += fn.selfMs;
      // Same-named functions in one file (anonymous callbacks) share an entry; their totals may overlap.
      entry[`${side}TotalMs`] += fn.totalMs;
    }
  };
  add(before, 'before');
  add(after, 'after');
  return [...sums.values()]
    .map(entry => ({
      name: entry.name,
      file: entry.file,
      beforeMs: round(entry.beforeMs),
      afterMs: round(entry.afterMs),
      deltaMs: round(entry.afterMs - entry.beforeMs),
      beforePercent: share(entry.beforeMs, beforeTotal),
      afterPercent: share(entry.afterMs, afterTotal),
      beforeTotalMs: round(entry.beforeTotalMs),
      afterTotalMs: round(entry.afterTotalMs),
    }))
    .sort((x, y) => Math.abs(y.deltaMs) - Math.abs(x.deltaMs) || x.file.localeCompare(y.file) || x.name.localeCompare(y.name));
}

function describeWorkloadDifference(before: Report | ReportWithContext, after: Report | ReportWithContext): string | undefined {
  const b = (before as ReportWithContext).workload;
  const a = (after as ReportWithContext).workload;
  if (!b || !a) return undefined;
  const differences: string[] = [];
  const script = (w: typeof a) => (w.script ? path.relative(w.cwd, w.script) : w.command.join(' '));
  if (script(b) !== script(a)) differences.push(`script ${script(b)} vs ${script(a)}`);
  if (b.argsHash !== a.argsHash) differences.push('different arguments');
  return differences.length ? `the runs profiled different workloads (${differences.join(', ')}); times may not be comparable` : undefined;
}

/** A few file names for a warning, not hundreds. */
function listFiles(names: string[]): string {
  const shown = names.slice(0, 5).join(', ');
  return names.length > 5 ? `${shown} and ${names.length - 5} more` : shown;
}

function byDeltaThenPlace(x: ComparedLine, y: ComparedLine): number {
  return Math.abs(y.deltaMs) - Math.abs(x.deltaMs)
    || x.file.localeCompare(y.file)
    || (x.afterLine ?? x.beforeLine ?? 0) - (y.afterLine ?? y.beforeLine ?? 0);
}

function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
