// Applying fixes to text: each fix is all-or-nothing; a fix whose edits overlap an edit already taken
// is left for the next run, except that identical edits (two findings hoisting the same Set) merge.
import type { Fix, TextEdit } from './types';

export interface ApplyResult {
  output: string;
  /** Fixes whose edits were applied. */
  applied: number;
  /** Fixes left out because they overlapped an earlier fix; run again to apply them. */
  skipped: number;
}

interface Span { start: number; end: number; text: string }

export function lineStartOffsets(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

export function offsetOf(starts: readonly number[], textLength: number, line: number, column: number): number {
  const lineStart = starts[Math.min(Math.max(line, 1), starts.length) - 1];
  return Math.min(lineStart + column - 1, textLength);
}

export function applyFixes(text: string, fixes: readonly Fix[]): ApplyResult {
  const starts = lineStartOffsets(text);
  const toSpan = (edit: TextEdit): Span => ({
    start: offsetOf(starts, text.length, edit.line, edit.column),
    end: offsetOf(starts, text.length, edit.endLine, edit.endColumn),
    text: edit.text,
  });
  const taken: Span[] = [];
  let applied = 0;
  let skipped = 0;
  for (const fix of fixes) {
    const spans = fix.edits.map(toSpan);
    const fresh = spans.filter(span => !taken.some(other => sameSpan(span, other)));
    const conflicts = fresh.some((span, index) => taken.some(other => overlaps(span, other))
      || fresh.some((sibling, siblingIndex) => siblingIndex !== index && overlaps(span, sibling)));
    if (conflicts) { skipped++; continue; }
    taken.push(...fresh);
    applied++;
  }
  taken.sort((a, b) => b.start - a.start || b.end - a.end);
  let output = text;
  for (const span of taken) output = output.slice(0, span.start) + span.text + output.slice(span.end);
  return { output, applied, skipped };
}

function sameSpan(a: Span, b: Span): boolean {
  return a.start === b.start && a.end === b.end && a.text === b.text;
}

/** Overlapping ranges, or two insertions at one point (their order would be ambiguous). */
function overlaps(a: Span, b: Span): boolean {
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  if (a.start === a.end) return b.start < a.start && a.start < b.end;
  if (b.start === b.end) return a.start < b.start && b.start < a.end;
  return a.start < b.end && b.start < a.end;
}
