import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { alignFileLines, FileVersionText } from '../../../src/core/compare/align';
import { matchSequences } from '../../../src/core/compare/diff';
import { lineHash } from '../../../src/core/compare/sourceContext';

const full = (text: string): FileVersionText => ({ kind: 'full', lines: text.split('\n') });
/** Only the given 1-based lines of `text`, as a report records them for its sampled lines. */
const recorded = (text: string, lineNumbers: number[]): FileVersionText => {
  const lines = text.split('\n');
  return { kind: 'recorded', lines: new Map(lineNumbers.map(n => [n, lines[n - 1].trim()])) };
};
/** before-line → after-line for every before line (null = gone). */
const mapping = (before: FileVersionText, after: FileVersionText, count: number) => {
  const alignment = alignFileLines(before, after);
  return Array.from({ length: count }, (_, i) => alignment.afterLineOf(i + 1));
};

const ORIGINAL = [
  'function dedupe(items) {',   // 1
  '  const out = [];',          // 2
  '  for (const x of items) {', // 3
  '    if (out.indexOf(x) < 0) out.push(x);', // 4
  '  }',                        // 5
  '  return out;',              // 6
  '}',                          // 7
].join('\n');

describe('matchSequences (line diff)', () => {
  it('matches a longest common subsequence, with -1 for removed elements', () => {
    assert.deepEqual(matchSequences(['a', 'b', 'c', 'd'], ['a', 'x', 'c', 'd', 'e']), [0, -1, 2, 3]);
    assert.deepEqual(matchSequences([], ['a']), []);
    assert.deepEqual(matchSequences(['a', 'b'], []), [-1, -1]);
  });

  it('finds the minimal edit inside a gap without unique anchors', () => {
    // Every element repeats, so the patience step finds no anchor and Myers decides.
    const partner = matchSequences(['x', 'y', 'x', 'y', 'x'], ['y', 'x', 'y', 'x', 'y']);
    assert.equal(partner.filter(j => j >= 0).length, 4);
    const matched = partner.map((j, i) => [i, j]).filter(([, j]) => j >= 0);
    for (let k = 1; k < matched.length; k++) assert.ok(matched[k][1] > matched[k - 1][1], 'matching is monotone');
  });

  it('aligns long files with scattered edits', () => {
    const before = Array.from({ length: 3000 }, (_, i) => `line ${i % 50}`);
    const after = [...before];
    after.splice(2500, 1);
    after.splice(100, 0, 'inserted a', 'inserted b');
    const partner = matchSequences(before, after);
    assert.equal(partner[0], 0);
    assert.equal(partner[99], 99);
    assert.equal(partner[100], 102);
    assert.equal(partner[2999], 3000);
    assert.equal(partner.filter(j => j < 0).length, 1);
  });
});

describe('alignFileLines with the full text of both versions', () => {
  it('keeps lines that moved because lines were inserted above them', () => {
    const after = ['// dedupe helper', '// keeps order', ORIGINAL].join('\n');
    assert.deepEqual(mapping(full(ORIGINAL), full(after), 7), [3, 4, 5, 6, 7, 8, 9]);
    const alignment = alignFileLines(full(ORIGINAL), full(after));
    assert.equal(alignment.method, 'diff');
    assert.equal(alignment.beforeLineOf(1), null, 'an inserted line has no before-line');
    assert.equal(alignment.beforeLineOf(6), 4);
  });

  it('reports deleted lines as gone and shifts the lines below up', () => {
    const after = ORIGINAL.split('\n').filter((_, i) => i !== 1).join('\n');
    assert.deepEqual(mapping(full(ORIGINAL), full(after), 7), [1, null, 2, 3, 4, 5, 6]);
  });

  it('reports a rewritten line as gone on one side and new on the other', () => {
    const after = ORIGINAL.replace('if (out.indexOf(x) < 0) out.push(x);', 'seen.add(x);');
    const alignment = alignFileLines(full(ORIGINAL), full(after));
    assert.equal(alignment.afterLineOf(4), null);
    assert.equal(alignment.beforeLineOf(4), null);
    assert.equal(alignment.afterLineOf(5), 5);
  });

  it('follows lines that were moved elsewhere in the file', () => {
    const before = ['setup();', 'const rows = load();', 'const index = buildIndex(rows);', 'report(index);', 'teardown();'].join('\n');
    const after = ['setup();', 'report(index);', 'teardown();', 'const rows = load();', 'const index = buildIndex(rows);'].join('\n');
    assert.deepEqual(mapping(full(before), full(after), 5), [1, 4, 5, 2, 3]);
  });

  it('does not pair short repeated lines (`}`) that only look moved', () => {
    const before = ['alpha();', 'beta();', '}', 'gamma();'].join('\n');
    const after = ['}', 'alpha();', 'beta();', 'gamma();'].join('\n');
    const alignment = alignFileLines(full(before), full(after));
    assert.equal(alignment.afterLineOf(1), 2);
    assert.equal(alignment.afterLineOf(3), null);
    assert.equal(alignment.beforeLineOf(1), null);
  });

  it('pairs repeated identical lines with the right copy when a copy is inserted above', () => {
    const before = ['start();', 'total += heavy(i);', 'middle();', 'total += heavy(i);', 'end();'].join('\n');
    const after = ['total += heavy(i);', 'start();', 'total += heavy(i);', 'middle();', 'extra();', 'total += heavy(i);', 'end();'].join('\n');
    assert.deepEqual(mapping(full(before), full(after), 5), [2, 3, 4, 6, 7]);
    assert.equal(alignFileLines(full(before), full(after)).beforeLineOf(1), null);
  });

  it('treats whitespace-only changes as the same line', () => {
    const after = ORIGINAL.split('\n').map(l => `\t${l.trim().replace(' < 0', '<0')}   `).join('\r\n');
    const alignment = alignFileLines(full(ORIGINAL), { kind: 'full', lines: after.split(/\r?\n/) });
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map(n => alignment.afterLineOf(n)), [1, 2, 3, 4, 5, 6, 7]);
  });
});

describe('alignFileLines with only the recorded texts of sampled lines', () => {
  const after = ['// header', '', ORIGINAL.replace('  const out = [];', '  const out = [];\n  // note')].join('\n');
  // after: 1 header, 2 blank, 3 function, 4 const out, 5 note, 6 for, 7 if indexOf, 8 }, 9 return, 10 }

  it('aligns recorded before-lines against the full after text', () => {
    const alignment = alignFileLines(recorded(ORIGINAL, [3, 4, 6]), full(after));
    assert.equal(alignment.method, 'recorded-text');
    assert.equal(alignment.afterLineOf(3), 6);
    assert.equal(alignment.afterLineOf(4), 7);
    assert.equal(alignment.afterLineOf(6), 9);
    assert.equal(alignment.afterLineOf(2), null, 'lines without recorded text cannot be placed');
    assert.equal(alignment.beforeLineOf(7), 4);
  });

  it('aligns when both sides only have recorded texts', () => {
    const alignment = alignFileLines(recorded(ORIGINAL, [4, 6]), recorded(after, [1, 7, 9]));
    assert.equal(alignment.afterLineOf(4), 7);
    assert.equal(alignment.afterLineOf(6), 9);
    assert.equal(alignment.beforeLineOf(1), null);
  });

  it('picks the nearby copy of a repeated line by keeping the shift of its neighbours', () => {
    // `}` appears several times; the recorded `}` at before-line 5 must map to the one after the loop.
    const alignment = alignFileLines(recorded(ORIGINAL, [4, 5]), full(after));
    assert.equal(alignment.afterLineOf(4), 7);
    assert.equal(alignment.afterLineOf(5), 8);
  });

  it('reports a rewritten recorded line as gone', () => {
    const rewritten = after.replace('if (out.indexOf(x) < 0) out.push(x);', 'seen.add(x);');
    const alignment = alignFileLines(recorded(ORIGINAL, [4, 6]), full(rewritten));
    assert.equal(alignment.afterLineOf(4), null);
    assert.equal(alignment.afterLineOf(6), 9);
  });

  it('works when the after side is the sparse one', () => {
    const alignment = alignFileLines(full(ORIGINAL), recorded(after, [7, 8]));
    assert.equal(alignment.afterLineOf(4), 7);
    assert.equal(alignment.afterLineOf(5), 8);
    assert.equal(alignment.beforeLineOf(8), 5);
  });
});

describe('alignFileLines with a recorded fingerprint', () => {
  it('diffs the per-line hashes like the full text, so lines without samples are placed too', () => {
    const after = ['// header', ORIGINAL.replace('  const out = [];', '  const out = new Set();')].join('\n');
    const hashes: FileVersionText = { kind: 'hashes', hashes: ORIGINAL.split('\n').map(lineHash) };
    const alignment = alignFileLines(hashes, full(after));
    assert.equal(alignment.method, 'diff');
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map(n => alignment.afterLineOf(n)), [2, null, 4, 5, 6, 7, 8]);
  });
});

describe('alignFileLines without any text for a side', () => {
  it('falls back to line numbers', () => {
    const alignment = alignFileLines({ kind: 'none' }, full(ORIGINAL));
    assert.equal(alignment.method, 'line-number');
    assert.equal(alignment.afterLineOf(4), 4);
    assert.equal(alignment.beforeLineOf(9), 9);
  });
});

describe('matchSequences on large inputs', () => {
  it('stays bounded on a fully reordered file (Myers gives up on hopeless gaps)', () => {
    // Reversed: one anchor, then two 10000-line gaps with nothing in common.
    const before = Array.from({ length: 20000 }, (_, i) => `line ${i}`);
    const after = [...before].reverse();
    const partner = matchSequences(before, after);
    assert.equal(partner.filter(j => j >= 0).length, 1);
  });
});
