// Findings ranked by measured time: each lint finding gets the CPU time the profile measured on the loop
// or statements it points at, so the static rule explains why code is slow and the profile says which
// findings matter. Pure: sources come through `readSource`, the report is already loaded.
//
// The time of a region is the SELF time of the report lines inside its line range. That includes
// callbacks written inside the loop (their lines are in the range) but not functions defined elsewhere
// that the loop calls: their time is on their own lines. Builtins (includes, indexOf, shift) are
// attributed by V8 to the calling line, so the typical quadratic lookup is counted.
import { type TSESTree } from '@typescript-eslint/typescript-estree';
import { visitorKeys } from '@typescript-eslint/visitor-keys';
import { alignFileLines, type FileVersionText, type LineAlignment } from '../compare/align';
import { fileKey, nonIdleMs } from '../compare/compare';
import { cachingSourceReader, decodeFingerprint, type SourceReader, splitSourceLines } from '../compare/sourceContext';
import { Analysis, isLoopStatement, ITERATION_METHODS, methodCall } from '../lint/analysis';
import { parseSource } from '../lint/engine';
import type { Finding, Severity } from '../lint/types';
import type { Report } from '../profile/types';
import { rankByWaiting } from './findingWaits';

type Node = TSESTree.Node;

/**
 * - sampled: the profile has samples in the region (`measuredMs` > 0); from HOT_PERCENT of the run on,
 *   the finding is a warning (promoted from info or hint);
 * - not-run: the profile covered the file but has no samples in the region (it did not run, or ran for
 *   less than one sampling interval); the severity is lowered one step;
 * - no-profile-data: the profile has nothing about the file; the finding is unchanged.
 */
export type MeasuredState = 'sampled' | 'not-run' | 'no-profile-data';

/** What the measured lines are, for the sentence added to the message. */
export type MeasuredRegionKind = 'loop' | 'statements' | 'code';

export interface MeasuredRegion {
  kind: MeasuredRegionKind;
  /** 1-based, inclusive, in the current version of the file. */
  line: number;
  endLine: number;
}

export interface MeasuredFinding extends Finding {
  measured: MeasuredState;
  /** Self time of the report lines in `region` (not time in functions defined elsewhere it calls); absent when the profile has no data on the file. */
  measuredMs?: number;
  /** Share of the report's non-idle sampled time, 0..100, like a line's selfPercent. */
  measuredPercent?: number;
  region?: MeasuredRegion;
}

export interface MeasureFindingsOptions {
  /** Current text of a finding's file (the text it was linted from); undefined when unreadable. */
  readSource: SourceReader;
  /**
   * Directory of the current checkout (the CLI's working directory, the workspace folder). A finding
   * path under it matches a report path at the same place under the report's `workload.cwd`, so a
   * report recorded in another checkout (CI, a moved project) still applies.
   */
  cwd?: string;
  /** A tree the caller already has for a file's current text (the editor's linter), so it is not parsed twice. */
  parsedTree?: (file: string, text: string) => TSESTree.Program | undefined;
}

export function measureFindings(findings: readonly Finding[], report: Report, options: MeasureFindingsOptions): MeasuredFinding[] {
  const readSource = cachingSourceReader(options.readSource);
  const profiledFiles = indexProfiledFiles(report);
  const totalMs = nonIdleMs(report);
  const fileTimes = new Map<string, FileTimes | undefined>();
  const timesOf = (file: string): FileTimes | undefined => {
    if (!fileTimes.has(file)) fileTimes.set(file, loadFileTimes(file, profiledFiles, report, readSource, options.cwd));
    return fileTimes.get(file);
  };

  const measured = findings.map((finding, index) => ({ index, finding: measureOne(finding, timesOf(finding.file), totalMs, options.parsedTree) }));
  measured.sort((a, b) => (b.finding.measuredMs ?? 0) - (a.finding.measuredMs ?? 0) || a.index - b.index);
  return rankByWaiting(measured.map(entry => entry.finding), report, options, measured.map(entry => findings[entry.index]));
}

function measureOne(finding: Finding, times: FileTimes | undefined, totalMs: number, parsedTree: MeasureFindingsOptions['parsedTree']): MeasuredFinding {
  if (!times) return { ...finding, measured: 'no-profile-data' };
  const parsed = parsedSource(times, finding.file, parsedTree);
  const region = parsed ? regionOf(finding, parsed) : ownRegion(finding);
  let ms = 0;
  for (const [line, lineMs] of times.msByLine) if (line >= region.line && line <= region.endLine) ms += lineMs;
  const measuredMs = round(ms);
  const measuredPercent = totalMs > 0 ? round((ms / totalMs) * 100) : 0;
  if (ms === 0 && times.isNewSinceRun(region)) return { ...finding, measured: 'no-profile-data' };
  if (ms > 0) {
    // Measured cost is the evidence static analysis lacks: a hot finding is a warning whatever its
    // static grade (a hint whose size was unknown included); a cold one keeps its severity.
    const severity = isHot(measuredPercent) ? promotedSeverity(finding.severity) : finding.severity;
    return { ...finding, severity, message: `${finding.message} ${describeMeasurement(region.kind, measuredPercent, ms)}`, measured: 'sampled', measuredMs, measuredPercent, region };
  }
  return {
    ...finding,
    severity: lowerSeverity(finding.severity),
    message: `${finding.message} The profile recorded no time here: it did not run, or ran for less than one sample.`,
    measured: 'not-run',
    measuredMs: 0,
    measuredPercent: 0,
    region,
  };
}

const SUBJECT: Record<MeasuredRegionKind, string> = { loop: 'This loop', statements: 'These statements', code: 'This code' };

/** "This loop took 41% of the run (820 ms)." */
export function describeMeasurement(kind: MeasuredRegionKind, percent: number, ms: number): string {
  return `${SUBJECT[kind]} took ${formatPercent(percent)} of the run (${formatMs(ms)}).`;
}

function formatPercent(percent: number): string {
  if (percent >= 1) return `${Math.round(percent)}%`;
  return percent >= 0.1 ? `${percent.toFixed(1)}%` : 'under 0.1%';
}

function formatMs(ms: number): string {
  return ms >= 10 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`;
}

/** Share of the run (percent of non-idle time) from which a finding's region counts as hot. */
export const HOT_PERCENT = 1;

export function isHot(measuredPercent: number): boolean {
  return measuredPercent >= HOT_PERCENT;
}

/** One step down: error → warning → info → hint (a hint stays a hint). */
export function lowerSeverity(severity: Severity): Severity {
  return severity === 'error' ? 'warning' : severity === 'warning' ? 'info' : 'hint';
}

function promotedSeverity(severity: Severity): Severity {
  return severity === 'error' ? 'error' : 'warning';
}

// ---------------------------------------------------------------------------------------------------
// Which report lines belong to a finding's file

interface ProfiledFiles {
  /** Report file paths of every file the profile saw running (a line or a function with time). */
  byAbsolutePath: Set<string>;
  /** The same files by path relative to the report's working directory, when it is known. */
  byRelativePath: Map<string, string>;
  reportCwd: string | undefined;
}

interface FileTimes {
  /** Self time per line of the CURRENT version of the file (report lines aligned across edits). */
  msByLine: Map<number, number>;
  /** Current text, when readable. */
  source: string | undefined;
  /** Whether every line of the region was written after the run (the profile cannot know if it runs). */
  isNewSinceRun(region: MeasuredRegion): boolean;
  /** Parsed once per file, on the first finding that needs it; null when the text does not parse. */
  parsed?: ParsedSource | null;
}

interface ParsedSource {
  ast: TSESTree.Program;
  /** The lint engine's view of the file, for its loop analysis (it needs `parent` only on the path walked). */
  analysis: Analysis;
  lines: LineIndex;
}

function parsedSource(times: FileTimes, file: string, parsedTree: MeasureFindingsOptions['parsedTree']): ParsedSource | null {
  if (times.parsed === undefined) {
    try {
      if (times.source === undefined) {
        times.parsed = null;
      } else {
        const ast = parsedTree?.(file, times.source) ?? parseSource(times.source, file);
        times.parsed = { ast, analysis: new Analysis(ast, times.source, new Map()), lines: new LineIndex(times.source) };
      }
    } catch {
      times.parsed = null;
    }
  }
  return times.parsed;
}

function indexProfiledFiles(report: Report): ProfiledFiles {
  const reportCwd = report.workload?.cwd;
  const byAbsolutePath = new Set<string>();
  for (const line of report.lines) byAbsolutePath.add(line.file);
  // A function with time but no self lines (a module's top level calling elsewhere) still shows the file ran.
  for (const fn of report.functions ?? []) if (fn.totalMs > 0) byAbsolutePath.add(fn.file);
  // So does an await that completed: an I/O-bound file can run without one CPU sample landing in it.
  for (const wait of report.waits ?? []) if (wait.count > 0) byAbsolutePath.add(wait.file);
  const byRelativePath = new Map<string, string>();
  if (reportCwd) for (const file of byAbsolutePath) byRelativePath.set(fileKey(reportCwd, file), file);
  return { byAbsolutePath, byRelativePath, reportCwd };
}

function loadFileTimes(file: string, profiled: ProfiledFiles, report: Report, readSource: SourceReader, cwd: string | undefined): FileTimes | undefined {
  let reportFile: string | undefined = profiled.byAbsolutePath.has(file) ? file : undefined;
  if (!reportFile && cwd && profiled.reportCwd) reportFile = profiled.byRelativePath.get(fileKey(cwd, file));
  if (!reportFile) return undefined;

  const source = readSource(file);
  const recorded = new Map<number, string>();
  const msByReportLine = new Map<number, number>();
  for (const line of report.lines) {
    if (line.file !== reportFile) continue;
    msByReportLine.set(line.line, (msByReportLine.get(line.line) ?? 0) + line.selfMs);
    if (line.text !== undefined) recorded.set(line.line, line.text);
  }
  const alignment = source === undefined ? undefined : alignReportToCurrent(report, reportFile, recorded, splitSourceLines(source));
  const msByLine = new Map<number, number>();
  for (const [reportLine, ms] of msByReportLine) {
    // A line deleted or rewritten since the run has no place in the current file: its time is dropped.
    const current = alignment ? alignment.afterLineOf(reportLine) : reportLine;
    if (current !== null) msByLine.set(current, (msByLine.get(current) ?? 0) + ms);
  }
  const isNewSinceRun = (region: MeasuredRegion): boolean => {
    // Only a diff of whole files knows every line; recorded texts place just the sampled ones.
    if (alignment?.method !== 'diff') return false;
    for (let line = region.line; line <= region.endLine; line++) if (alignment.beforeLineOf(line) !== null) return false;
    return true;
  };
  return { msByLine, source, isNewSinceRun };
}

/**
 * Maps the report's line numbers onto the current file (edited since the run): by the report's
 * fingerprint of the whole file, else by the line texts it recorded, else line numbers as they are.
 */
export function alignReportToCurrent(report: Report, reportFile: string, recorded: ReadonlyMap<number, string>, currentLines: readonly string[]): LineAlignment {
  const fingerprint = report.sourceFingerprints?.[reportFile];
  const hashes = fingerprint ? decodeFingerprint(fingerprint) : undefined;
  const ran: FileVersionText = hashes ? { kind: 'hashes', hashes } : recorded.size > 0 ? { kind: 'recorded', lines: recorded } : { kind: 'none' };
  return alignFileLines(ran, { kind: 'full', lines: currentLines });
}

// ---------------------------------------------------------------------------------------------------
// The region a finding points at

/** The finding's own lines: used when the source cannot be read or parsed, or nothing encloses it. */
function ownRegion(finding: Finding): MeasuredRegion {
  return { kind: 'code', line: finding.line, endLine: Math.max(finding.line, finding.endLine) };
}

/**
 * - quadratic/*: the innermost loop or per-element callback call (forEach/map/filter/reduce/…) that
 *   repeats the flagged code (the flagged node itself when it is one, e.g. a dedupe `filter`);
 * - async/await-in-loop: the loop around the await;
 * - async/foreach-async: the forEach call;
 * - async/sequential-awaits: the run of await statements starting at the flagged one;
 * - anything else, or nothing enclosing: the finding's own lines.
 */
function regionOf(finding: Finding, { ast, analysis, lines }: ParsedSource): MeasuredRegion {
  const start = lines.offset(finding.line, finding.column);
  const end = Math.max(start, lines.offset(finding.endLine, finding.endColumn));
  const node = innermostNodeCovering(ast, start, end);
  if (!node) return ownRegion(finding);
  const toRegion = (kind: MeasuredRegionKind, from: Node, to: Node = from): MeasuredRegion =>
    ({ kind, line: lines.lineOf(from.range[0]), endLine: lines.lineOf(Math.max(from.range[0], to.range[1] - 1)) });

  if (finding.ruleId === 'async/sequential-awaits') {
    // The rule's Promise.all suggestion replaces exactly the run it found: the best account of its extent.
    const rewrite = finding.suggestions[0]?.edits;
    if (rewrite?.length === 1 && rewrite[0].line === finding.line) return { kind: 'statements', line: rewrite[0].line, endLine: rewrite[0].endLine };
    const run = awaitStatementRun(node);
    return run ? toRegion('statements', run[0], run[run.length - 1]) : ownRegion(finding);
  }
  if (finding.ruleId === 'async/foreach-async') {
    const call = node.parent?.type === 'CallExpression' && node.parent.callee === node ? node.parent : null;
    return call ? toRegion('loop', call) : ownRegion(finding);
  }
  if (finding.family === 'quadratic' || finding.ruleId === 'async/await-in-loop') {
    const loop = isLoopNode(node) ? node : analysis.enclosingLoops(node)[0]?.node;
    return loop ? toRegion('loop', loop) : ownRegion(finding);
  }
  return ownRegion(finding);
}

/** A loop statement, or a call that runs a callback per element (`xs.filter(fn)`, `Array.from(xs, fn)`). */
function isLoopNode(node: Node): boolean {
  if (isLoopStatement(node)) return true;
  const call = methodCall(node);
  if (!call) return false;
  const isCallback = (arg: Node | undefined) => !!arg && (arg.type === 'ArrowFunctionExpression' || arg.type === 'FunctionExpression');
  if (ITERATION_METHODS.has(call.method)) return isCallback(call.call.arguments[0]);
  return call.method === 'from' && call.receiver.type === 'Identifier' && call.receiver.name === 'Array' && isCallback(call.call.arguments[1]);
}

/**
 * The statement `node` is in (directly in a block or the program) and the await statements that follow
 * it. The rule ends a run where a call uses an earlier result; this cannot tell, so a dependent await
 * right after the run is counted too (its time is usually in the callee, not on these lines).
 */
function awaitStatementRun(node: Node): Node[] | null {
  let statement: Node | undefined = node;
  while (statement && !(statement.parent && (statement.parent.type === 'BlockStatement' || statement.parent.type === 'Program'))) statement = statement.parent;
  if (!statement || !isAwaitStatement(statement)) return null;
  const body = (statement.parent as TSESTree.BlockStatement | TSESTree.Program).body as Node[];
  const run: Node[] = [statement];
  for (let i = body.indexOf(statement) + 1; i < body.length && isAwaitStatement(body[i]); i++) run.push(body[i]);
  return run;
}

function isAwaitStatement(statement: Node): boolean {
  if (statement.type === 'ExpressionStatement') return statement.expression.type === 'AwaitExpression';
  return statement.type === 'VariableDeclaration' && statement.declarations.length === 1 && statement.declarations[0].init?.type === 'AwaitExpression';
}

/**
 * The deepest node whose range covers [start, end), with `parent` set on it and its ancestors (the
 * parse does not set parents; only this path needs them).
 */
function innermostNodeCovering(ast: TSESTree.Program, start: number, end: number): Node | null {
  const keysByType = visitorKeys as Record<string, readonly string[] | undefined>;
  let current: Node = ast;
  for (;;) {
    let next: Node | undefined;
    for (const key of keysByType[current.type] ?? []) {
      const value = (current as unknown as Record<string, unknown>)[key];
      for (const child of Array.isArray(value) ? value : [value]) {
        if (child && typeof (child as Node).type === 'string' && (child as Node).range[0] <= start && end <= (child as Node).range[1]) {
          next = child as Node;
          break;
        }
      }
      if (next) break;
    }
    if (!next) return current === ast ? null : current;
    (next as { parent: Node }).parent = current;
    current = next;
  }
}

/** 1-based line/column ↔ offsets, with the engine's convention (lines split at \n, columns in UTF-16 units). */
class LineIndex {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  offset(line: number, column: number): number {
    const lineStart = this.starts[Math.min(Math.max(line, 1), this.starts.length) - 1];
    return Math.min(this.text.length, lineStart + Math.max(column, 1) - 1);
  }

  lineOf(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= offset) low = mid; else high = mid - 1;
    }
    return low + 1;
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
