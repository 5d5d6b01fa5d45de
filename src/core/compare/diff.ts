// Line diff used to align two versions of a source file: patience anchors (lines that occur exactly
// once on both sides) split the files into small gaps, and each gap is diffed with Myers' O(ND)
// algorithm. Patience keeps the alignment stable around repeated lines (`}`, `i++`), where a plain
// LCS may pair the wrong copies; Myers finds the minimal edit inside a gap.

/** Above this edit distance inside one gap, give up on the gap (every line in it counts as changed). */
const MAX_GAP_EDIT_DISTANCE = 2000;

/**
 * Pairs the equal elements of `before` and `after` as a longest-possible monotone matching.
 * Returns, for each index of `before`, the index of its partner in `after`, or -1 when the element
 * was deleted or rewritten. Matched indexes are strictly increasing.
 */
export function matchSequences(before: readonly string[], after: readonly string[]): number[] {
  const partner = new Array<number>(before.length).fill(-1);
  matchRange(before, after, 0, before.length, 0, after.length, partner);
  return partner;
}

/** Explicit work list instead of recursion: nested gaps can be as deep as the file is long. */
function matchRange(
  a: readonly string[], b: readonly string[],
  aStart: number, aEnd: number, bStart: number, bEnd: number,
  partner: number[],
): void {
  const pending: Array<[number, number, number, number]> = [[aStart, aEnd, bStart, bEnd]];
  for (let range = pending.pop(); range; range = pending.pop()) {
    let [aLo, aHi, bLo, bHi] = range;
    // Common prefix and suffix are the usual case (edits are local) and cost nothing to match.
    while (aLo < aHi && bLo < bHi && a[aLo] === b[bLo]) partner[aLo++] = bLo++;
    while (aLo < aHi && bLo < bHi && a[aHi - 1] === b[bHi - 1]) partner[--aHi] = --bHi;
    if (aLo === aHi || bLo === bHi) continue;

    const anchors = uniqueAnchors(a, b, aLo, aHi, bLo, bHi);
    if (anchors.length === 0) {
      myers(a, b, aLo, aHi, bLo, bHi, partner);
      continue;
    }
    let prevA = aLo;
    let prevB = bLo;
    for (const [ai, bi] of anchors) {
      pending.push([prevA, ai, prevB, bi]);
      partner[ai] = bi;
      prevA = ai + 1;
      prevB = bi + 1;
    }
    pending.push([prevA, aHi, prevB, bHi]);
  }
}

/** Lines occurring exactly once in both ranges, reduced to their longest increasing chain. */
function uniqueAnchors(
  a: readonly string[], b: readonly string[],
  aLo: number, aHi: number, bLo: number, bHi: number,
): Array<[number, number]> {
  const counts = new Map<string, { inA: number; inB: number; aIndex: number; bIndex: number }>();
  for (let i = aLo; i < aHi; i++) {
    const entry = counts.get(a[i]);
    if (entry) entry.inA++;
    else counts.set(a[i], { inA: 1, inB: 0, aIndex: i, bIndex: -1 });
  }
  for (let j = bLo; j < bHi; j++) {
    const entry = counts.get(b[j]);
    if (entry) { entry.inB++; entry.bIndex = j; }
  }
  const pairs: Array<[number, number]> = [];
  for (const entry of counts.values()) {
    if (entry.inA === 1 && entry.inB === 1) pairs.push([entry.aIndex, entry.bIndex]);
  }
  pairs.sort((x, y) => x[0] - y[0]);
  return longestIncreasingChain(pairs);
}

/** Longest subsequence of `pairs` (sorted by first index) whose second index increases (patience sort). */
export function longestIncreasingChain(pairs: ReadonlyArray<[number, number]>): Array<[number, number]> {
  const tailIndex: number[] = [];
  const previous = new Array<number>(pairs.length).fill(-1);
  for (let k = 0; k < pairs.length; k++) {
    const value = pairs[k][1];
    let lo = 0;
    let hi = tailIndex.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pairs[tailIndex[mid]][1] < value) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) previous[k] = tailIndex[lo - 1];
    tailIndex[lo] = k;
  }
  const chain: Array<[number, number]> = [];
  for (let k = tailIndex.length ? tailIndex[tailIndex.length - 1] : -1; k >= 0; k = previous[k]) chain.push(pairs[k]);
  return chain.reverse();
}

/** Myers' greedy shortest edit script on one gap, recording the matched (diagonal) steps. */
function myers(
  a: readonly string[], b: readonly string[],
  aLo: number, aHi: number, bLo: number, bHi: number,
  partner: number[],
): void {
  const n = aHi - aLo;
  const m = bHi - bLo;
  const maxD = Math.min(n + m, MAX_GAP_EDIT_DISTANCE);
  const offset = maxD + 1;
  const v = new Int32Array(2 * maxD + 3);
  // trace[d] holds the frontier before step d for diagonals -d-1..d+1 (all that the walk back reads),
  // so memory stays O(D²) instead of O(D·(N+M)).
  const trace: Int32Array[] = [];
  for (let d = 0; d <= maxD; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[aLo + x] === b[bLo + y]) { x++; y++; }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        backtrack(trace, d, n, m, aLo, bLo, partner);
        return;
      }
    }
  }
  // Too different to be worth aligning: leave every line in the gap unmatched.
}

function backtrack(
  trace: Int32Array[], finalD: number, n: number, m: number,
  aLo: number, bLo: number, partner: number[],
): void {
  let x = n;
  let y = m;
  for (let d = finalD; d > 0; d--) {
    const v = trace[d];
    const base = d + 1; // index of diagonal 0 in the stored slice
    const k = x - y;
    const cameFromInsert = k === -d || (k !== d && v[base + k - 1] < v[base + k + 1]);
    const prevK = cameFromInsert ? k + 1 : k - 1;
    const prevX = v[base + prevK];
    const prevY = prevX - prevK;
    const startX = cameFromInsert ? prevX : prevX + 1;
    // The snake after the edit step: (startX, startY) .. (x, y) are equal pairs.
    while (x > startX) { x--; y--; partner[aLo + x] = bLo + y; }
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) { x--; y--; partner[aLo + x] = bLo + y; }
}
