// Aligns the lines of one source file between two runs, across edits: a line that only moved because
// lines were inserted or deleted above it is the same line; deleted or rewritten lines have no partner.
//
// Lines are compared by `lineHash` (whitespace-insensitive). What is known about each version of the
// file decides the method:
//  - the whole text or the fingerprint (a hash per line) of both versions: a real line diff (patience +
//    Myers, see diff.ts);
//  - only the texts a report recorded for its sampled lines on one or both sides: the recorded lines are
//    matched by text, in order, preferring the partner that keeps the shift (afterLine - beforeLine)
//    closest to its neighbours', so repeated lines (`}`, `i++;`) pair with the nearby copy;
//  - no text for one side: line numbers are taken as they are (the caller warns).
import { longestIncreasingChain, matchSequences } from './diff';
import { isDistinctiveHash, lineHash } from './sourceContext';

/** What is known about one version of a file. Line numbers are 1-based. */
export type FileVersionText =
  | { kind: 'full'; lines: readonly string[] }
  /** Every line, as `lineHash` values (a report's recorded fingerprint). */
  | { kind: 'hashes'; hashes: readonly string[] }
  | { kind: 'recorded'; lines: ReadonlyMap<number, string> }
  | { kind: 'none' };

export type AlignmentMethod = 'diff' | 'recorded-text' | 'line-number';

export interface LineAlignment {
  method: AlignmentMethod;
  /** The after-line of a before-line, or null when it was deleted/rewritten or cannot be known. */
  afterLineOf(beforeLine: number): number | null;
  beforeLineOf(afterLine: number): number | null;
}

/** Candidate partners considered per recorded line when texts repeat (nearest to the expected shift). */
const MAX_CANDIDATES_PER_LINE = 16;

export function alignFileLines(before: FileVersionText, after: FileVersionText): LineAlignment {
  if (before.kind === 'none' || after.kind === 'none') {
    return { method: 'line-number', afterLineOf: line => line, beforeLineOf: line => line };
  }
  let pairs: Map<number, number>;
  let method: AlignmentMethod;
  if (before.kind !== 'recorded' && after.kind !== 'recorded') {
    const partner = matchSequences(allHashes(before), allHashes(after));
    pairs = new Map();
    partner.forEach((j, i) => { if (j >= 0) pairs.set(i + 1, j + 1); });
    method = 'diff';
  } else {
    pairs = alignNumberedLines(numberedKeys(before), numberedKeys(after));
    method = 'recorded-text';
  }
  pairMovedLines(pairs, numberedKeys(before), numberedKeys(after));
  const inverse = new Map<number, number>();
  for (const [b, a] of pairs) inverse.set(a, b);
  return {
    method,
    afterLineOf: line => pairs.get(line) ?? null,
    beforeLineOf: line => inverse.get(line) ?? null,
  };
}

interface NumberedKey { line: number; key: string }

/**
 * A diff is monotone, so a block moved elsewhere in the file comes out as deleted here and inserted
 * there. Left-over lines whose text occurs exactly once among the unmatched lines of each side (and is
 * not trivially short) are the same line, moved.
 */
function pairMovedLines(pairs: Map<number, number>, before: readonly NumberedKey[], after: readonly NumberedKey[]): void {
  const pairedAfter = new Set(pairs.values());
  // Short lines (`}`, `});`, `i++;`) occur everywhere: pairing them across the file would be a guess.
  const unmatchedByKey = (list: readonly NumberedKey[], isPaired: (line: number) => boolean) => {
    const byKey = new Map<string, number | null>();
    for (const { line, key } of list) {
      if (isPaired(line) || !isDistinctiveHash(key)) continue;
      byKey.set(key, byKey.has(key) ? null : line);
    }
    return byKey;
  };
  const beforeLeft = unmatchedByKey(before, line => pairs.has(line));
  const afterLeft = unmatchedByKey(after, line => pairedAfter.has(line));
  for (const [key, beforeLine] of beforeLeft) {
    const afterLine = afterLeft.get(key);
    if (beforeLine !== null && afterLine !== undefined && afterLine !== null) pairs.set(beforeLine, afterLine);
  }
}

function allHashes(text: Extract<FileVersionText, { kind: 'full' | 'hashes' }>): readonly string[] {
  return text.kind === 'hashes' ? text.hashes : text.lines.map(lineHash);
}

function numberedKeys(text: Exclude<FileVersionText, { kind: 'none' }>): NumberedKey[] {
  if (text.kind === 'recorded') return [...text.lines].sort((x, y) => x[0] - y[0]).map(([line, t]) => ({ line, key: lineHash(t) }));
  return allHashes(text).map((key, i) => ({ line: i + 1, key }));
}

/**
 * Monotone matching of two line lists known only in part (at least one side sparse), returned as
 * before-line → after-line. Texts unique on both sides are anchors (longest increasing chain); the
 * gaps between anchors are solved by a small dynamic program.
 */
export function alignNumberedLines(before: readonly NumberedKey[], after: readonly NumberedKey[]): Map<number, number> {
  // Iterate over the shorter (sparse) side so the number of candidate pairs stays small.
  if (after.length < before.length) {
    const swapped = alignNumberedLines(after, before);
    return new Map([...swapped].map(([a, b]) => [b, a]));
  }
  const anchors = uniqueKeyAnchors(before, after);
  const result = new Map<number, number>();
  let prevI = -1;
  let prevJ = -1;
  let prevShift = 0;
  for (const [i, j] of [...anchors, [before.length, after.length] as [number, number]]) {
    const nextShift = i < before.length ? after[j].line - before[i].line : prevShift;
    for (const [bi, aj] of alignGap(before, after, prevI + 1, i, prevJ + 1, j, prevShift, nextShift)) {
      result.set(before[bi].line, after[aj].line);
    }
    if (i < before.length) {
      result.set(before[i].line, after[j].line);
      prevShift = nextShift;
    }
    prevI = i;
    prevJ = j;
  }
  return result;
}

function uniqueKeyAnchors(before: readonly NumberedKey[], after: readonly NumberedKey[]): Array<[number, number]> {
  const indexes = (list: readonly NumberedKey[]) => {
    const byKey = new Map<string, number>();
    list.forEach((entry, index) => byKey.set(entry.key, byKey.has(entry.key) ? -1 : index));
    return byKey;
  };
  const inBefore = indexes(before);
  const inAfter = indexes(after);
  const pairs: Array<[number, number]> = [];
  for (const [key, i] of inBefore) {
    const j = inAfter.get(key);
    if (i >= 0 && j !== undefined && j >= 0) pairs.push([i, j]);
  }
  pairs.sort((x, y) => x[0] - y[0]);
  return longestIncreasingChain(pairs);
}

/**
 * Best matching inside one gap: most pairs first, then the least total change of shift between
 * consecutive pairs (starting from the anchor before the gap and ending at the anchor after it).
 */
function alignGap(
  before: readonly NumberedKey[], after: readonly NumberedKey[],
  iLo: number, iHi: number, jLo: number, jHi: number,
  startShift: number, endShift: number,
): Array<[number, number]> {
  if (iLo >= iHi || jLo >= jHi) return [];
  const afterByKey = new Map<string, number[]>();
  for (let j = jLo; j < jHi; j++) {
    const list = afterByKey.get(after[j].key);
    if (list) list.push(j);
    else afterByKey.set(after[j].key, [j]);
  }
  interface Pair { i: number; j: number; shift: number; count: number; cost: number; previous: number }
  const pairs: Pair[] = [];
  for (let i = iLo; i < iHi; i++) {
    const candidates = afterByKey.get(before[i].key);
    if (!candidates) continue;
    const expected = before[i].line + startShift;
    const nearest = [...candidates]
      .sort((x, y) => Math.abs(after[x].line - expected) - Math.abs(after[y].line - expected))
      .slice(0, MAX_CANDIDATES_PER_LINE);
    for (const j of nearest) pairs.push({ i, j, shift: after[j].line - before[i].line, count: 0, cost: 0, previous: -1 });
  }
  for (let p = 0; p < pairs.length; p++) {
    const pair = pairs[p];
    pair.count = 1;
    pair.cost = Math.abs(pair.shift - startShift);
    for (let q = 0; q < p; q++) {
      const earlier = pairs[q];
      if (earlier.i >= pair.i || earlier.j >= pair.j) continue;
      const count = earlier.count + 1;
      const cost = earlier.cost + Math.abs(pair.shift - earlier.shift);
      if (count > pair.count || (count === pair.count && cost < pair.cost)) {
        pair.count = count;
        pair.cost = cost;
        pair.previous = q;
      }
    }
  }
  let best = -1;
  for (let p = 0; p < pairs.length; p++) {
    const total = pairs[p].cost + Math.abs(endShift - pairs[p].shift);
    const bestTotal = best < 0 ? Infinity : pairs[best].cost + Math.abs(endShift - pairs[best].shift);
    if (best < 0 || pairs[p].count > pairs[best].count || (pairs[p].count === pairs[best].count && total < bestTotal)) best = p;
  }
  const chain: Array<[number, number]> = [];
  for (let p = best; p >= 0; p = pairs[p].previous) chain.push([pairs[p].i, pairs[p].j]);
  return chain.reverse();
}
