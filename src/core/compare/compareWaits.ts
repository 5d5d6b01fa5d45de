// Waiting in a before/after comparison: the elapsed-time figures of each run and the await lines
// matched across edits (like `lines`, by the same per-file alignment).
import type { Report } from '../profile/types';
import type { LineAlignment } from './align';
import { lineKey } from '../profile/sourceContext';
import type { ComparedLine } from './compare';

/** An await line before and after (blocked ms: idle time charged to it, see profile/waits/share.ts). */
export type ComparedWait = Pick<ComparedLine, 'file' | 'beforeLine' | 'afterLine' | 'text' | 'beforeMs' | 'afterMs' | 'deltaMs'>;

/** Elapsed, busy and blocked time of one run (elapsed: the program from its start to its end). */
export interface ElapsedFigures {
  wallMs: number;
  /** The program's busy time: the main thread's start-up before the first file (`startupMs`) is not in `wallMs`, so not here either. */
  busyMs: number;
  blockedMs: number;
}

export function elapsedFigures(report: Report): ElapsedFigures | undefined {
  if (report.elapsedMs === undefined) return undefined;
  return {
    wallMs: round(report.elapsedMs),
    busyMs: round(Math.max(0, report.totalSampledMs - (report.categories?.idleMs ?? 0) - (report.startupMs ?? 0))),
    blockedMs: round(report.categories?.blockedMs ?? 0),
  };
}

/**
 * `keyOf(report, file)` is the key files are matched by (see compare.ts fileKey); `alignmentOf(key, file)`
 * the line alignment of that file between the runs.
 */
export function compareWaits(
  before: Report, after: Report,
  keyOf: (report: Report, file: string) => string,
  alignmentOf: (key: string, file: string) => LineAlignment,
): ComparedWait[] {
  type Entry = { file: string; line: number; ms: number; text?: string };
  const group = (report: Report): Map<string, Map<number, Entry>> => {
    const files = new Map<string, Map<number, Entry>>();
    for (const wait of report.waits ?? []) {
      const key = keyOf(report, wait.file);
      let byLine = files.get(key);
      if (!byLine) files.set(key, (byLine = new Map()));
      byLine.set(wait.line, { file: wait.file, line: wait.line, ms: wait.blockedMs, text: wait.text });
    }
    return files;
  };
  const beforeFiles = group(before);
  const afterFiles = group(after);
  const rows: ComparedWait[] = [];
  for (const key of new Set([...beforeFiles.keys(), ...afterFiles.keys()])) {
    const beforeLines = beforeFiles.get(key) ?? new Map<number, Entry>();
    const afterLines = afterFiles.get(key) ?? new Map<number, Entry>();
    const file = [...afterLines.values()][0]?.file ?? [...beforeLines.values()][0].file;
    const alignment = alignmentOf(key, file);
    const consumed = new Set<number>();
    const row = (beforeLine: number | null, afterLine: number | null, b?: Entry, a?: Entry): ComparedWait => ({
      file,
      beforeLine,
      afterLine,
      text: a?.text ?? b?.text ?? '',
      beforeMs: round(b?.ms ?? 0),
      afterMs: round(a?.ms ?? 0),
      // From the rounded sides, so that a line that is gone has deltaMs === -beforeMs exactly (Math.round
      // rounds halves up: round(-x) is not always -round(x)).
      deltaMs: round(round(a?.ms ?? 0) - round(b?.ms ?? 0)),
    });
    // Reports without fingerprints align only the CPU lines' texts: an await line the alignment cannot
    // place pairs with an after-line of the same text.
    const sameText = (text: string | undefined): number | null => {
      if (text === undefined) return null;
      for (const [line, entry] of afterLines) if (!consumed.has(line) && entry.text !== undefined && lineKey(entry.text) === lineKey(text)) return line;
      return null;
    };
    for (const [beforeLine, entry] of beforeLines) {
      const afterLine = alignment.afterLineOf(beforeLine) ?? (alignment.method === 'diff' ? null : sameText(entry.text));
      if (afterLine !== null) consumed.add(afterLine);
      rows.push(row(beforeLine, afterLine, entry, afterLine !== null ? afterLines.get(afterLine) : undefined));
    }
    for (const [afterLine, entry] of afterLines) {
      if (!consumed.has(afterLine)) rows.push(row(alignment.beforeLineOf(afterLine), afterLine, undefined, entry));
    }
  }
  return rows.sort((x, y) => Math.abs(y.deltaMs) - Math.abs(x.deltaMs) || x.file.localeCompare(y.file) || (x.afterLine ?? x.beforeLine ?? 0) - (y.afterLine ?? y.beforeLine ?? 0));
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
