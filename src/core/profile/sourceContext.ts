// What a report remembers about its sources so that a later run can be compared after the files were
// edited: the text of every line it lists, and the workload (command, directory, script, arguments).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sha256Hex } from './sha256';
import type { Report, ReportLine, ReportWorkload } from './types';

/** Recorded line text is capped: enough to align a line, not a copy of minified bundles. */
export const MAX_LINE_TEXT_LENGTH = 200;

/** Kept as aliases: reports carry `text`, `workload` and `sourceFingerprints` natively (types.ts). */
export type ReportLineWithText = ReportLine;
export type ReportWithContext = Report;

/** Files longer than this get no fingerprint (generated code); their recorded line texts still align them. */
export const MAX_FINGERPRINT_LINES = 50_000;
/** Keys at least this long (without whitespace) are distinctive enough to pair as a moved line. */
export const DISTINCTIVE_KEY_LENGTH = 6;

/** Returns the whole text of a source file, or undefined when it cannot be read. */
export type SourceReader = (file: string) => string | undefined;

/** The text recorded for a line: trimmed and capped. */
export function recordedLineText(line: string): string {
  return line.trim().slice(0, MAX_LINE_TEXT_LENGTH);
}

/**
 * The key two line texts are compared by: whitespace-only edits (re-indenting, `a=b` → `a = b`) keep
 * a line the same line. Applies to raw source lines and to recorded texts alike.
 */
export function lineKey(text: string): string {
  return recordedLineText(text).replace(/\s+/g, '');
}

/**
 * The hash lines are compared by, as 8 hex digits: FNV-1a of `lineKey` in the low 31 bits; the top
 * bit says whether the line is distinctive (long enough to be recognised when it moves).
 */
export function lineHash(text: string): string {
  const key = lineKey(text);
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  const flagged = ((hash & 0x7fffffff) | (key.length >= DISTINCTIVE_KEY_LENGTH ? 0x80000000 : 0)) >>> 0;
  return flagged.toString(16).padStart(8, '0');
}

export function isDistinctiveHash(hash: string): boolean {
  return parseInt(hash[0], 16) >= 8;
}

export function encodeFingerprint(lines: readonly string[]): string {
  const bytes = Buffer.alloc(lines.length * 4);
  lines.forEach((line, index) => bytes.writeUInt32BE(parseInt(lineHash(line), 16), index * 4));
  return bytes.toString('base64');
}

/** The per-line hashes of a fingerprint, or undefined when it is malformed. */
export function decodeFingerprint(fingerprint: string): string[] | undefined {
  const bytes = Buffer.from(fingerprint, 'base64');
  if (bytes.length % 4 !== 0) return undefined;
  const hashes: string[] = [];
  for (let offset = 0; offset < bytes.length; offset += 4) hashes.push(bytes.readUInt32BE(offset).toString(16).padStart(8, '0'));
  return hashes;
}

export function splitSourceLines(source: string): string[] {
  return source.split(/\r?\n|\r/);
}

/** Reads UTF-8 sources from disk; unreadable, missing or non-file paths give undefined. */
export function readSourceFromDisk(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** A reader that reads each file at most once (reports list many lines per file). */
export function cachingSourceReader(read: SourceReader): SourceReader {
  const cache = new Map<string, string | undefined>();
  return file => {
    if (!cache.has(file)) cache.set(file, read(file));
    return cache.get(file);
  };
}

export interface WorkloadRun {
  command: string[];
  cwd: string;
  script?: string | null;
  args?: readonly string[];
}

export function describeWorkload(run: WorkloadRun): ReportWorkload {
  return {
    command: [...run.command],
    cwd: path.resolve(run.cwd),
    script: run.script ? path.resolve(run.cwd, run.script) : null,
    argsHash: sha256Hex(JSON.stringify(run.args ?? [])).slice(0, 16),
  };
}

/**
 * Returns `report` with `text` on every line whose file can be read (lines that already carry text
 * keep it), a fingerprint of every such file and, when `run` is given, the `workload`. The input
 * report is not modified.
 */
export function attachSourceContext(report: Report | ReportWithContext, readSource: SourceReader, run?: WorkloadRun): ReportWithContext {
  const read = cachingSourceReader(readSource);
  const linesByFile = new Map<string, string[] | undefined>();
  const sourceLines = (file: string): string[] | undefined => {
    if (!linesByFile.has(file)) {
      const source = read(file);
      linesByFile.set(file, source === undefined ? undefined : splitSourceLines(source));
    }
    return linesByFile.get(file);
  };
  const lines = (report.lines as ReportLineWithText[]).map(line => {
    if (line.text !== undefined) return { ...line };
    const text = sourceLines(line.file)?.[line.line - 1];
    return text === undefined ? { ...line } : { ...line, text: recordedLineText(text) };
  });
  const waits = report.waits?.map(wait => {
    if (wait.text !== undefined) return { ...wait };
    const text = sourceLines(wait.file)?.[wait.line - 1];
    return text === undefined ? { ...wait } : { ...wait, text: recordedLineText(text) };
  });
  const sourceFingerprints: Record<string, string> = { ...(report as ReportWithContext).sourceFingerprints };
  for (const [file, fileLines] of linesByFile) {
    // Dependencies rarely change between two runs and can be large: their recorded line texts suffice.
    const isDependency = file.split(/[\\/]/).includes('node_modules');
    if (fileLines && !isDependency && fileLines.length <= MAX_FINGERPRINT_LINES && !(file in sourceFingerprints)) {
      sourceFingerprints[file] = encodeFingerprint(fileLines);
    }
  }
  const withContext: ReportWithContext = { ...report, lines };
  if (Object.keys(sourceFingerprints).length > 0) withContext.sourceFingerprints = sourceFingerprints;
  if (waits) withContext.waits = waits;
  const workload = run ? describeWorkload(run) : (report as ReportWithContext).workload;
  if (workload) withContext.workload = workload;
  return withContext;
}
