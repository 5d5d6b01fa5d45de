// The text output of `hotspots lint`: one line per finding for pipes, wrapped to a terminal's width.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { formatText } from '../../../src/core/lint/output';
import type { Finding } from '../../../src/core/lint/types';

const finding: Finding = {
  file: '/p/src/app.js', line: 12, column: 9, endLine: 12, endColumn: 30, ruleId: 'quadratic/includes-in-loop', family: 'quadratic',
  severity: 'warning', fix: null, suggestions: [],
  message: '`unique.indexOf()` inside a loop scans the whole array on every iteration; keep a Set beside it.',
};

test('without a width (a pipe, a file) each finding is one line', () => {
  const [line, total] = formatText([finding], '/p').trimEnd().split('\n');
  assert.equal(line, 'src/app.js:12:9  warning  `unique.indexOf()` inside a loop scans the whole array on every iteration; keep a Set beside it.  quadratic/includes-in-loop');
  assert.equal(total, '1 finding');
});

test('in a terminal each finding is wrapped at spaces to its width, continued with an indent, and says the same', () => {
  const lines = formatText([finding], '/p', false, 60).trimEnd().split('\n');
  assert.deepEqual(lines, [
    'src/app.js:12:9  warning  `unique.indexOf()` inside a loop',
    '  scans the whole array on every iteration; keep a Set',
    '  beside it.  quadratic/includes-in-loop',
    '1 finding',
  ]);
  assert.ok(lines.every(line => line.length <= 60));
  const unwrapped = formatText([finding], '/p').split('\n')[0];
  assert.equal(lines.slice(0, 3).map((line, index) => (index === 0 ? line : line.slice(2))).join(' ').replace(/ +/g, ' '), unwrapped.replace(/ +/g, ' '));
});

test('a word longer than the width gets a line of its own; a very narrow terminal gets one line per finding', () => {
  const long = { ...finding, file: `/p/${'deeply/'.repeat(10)}app.js` };
  const [first] = formatText([long], '/p', false, 50).split('\n');
  assert.equal(first, `${'deeply/'.repeat(10)}app.js:12:9`);
  assert.equal(formatText([finding], '/p', false, 20).split('\n').length, 3, 'the finding, the total, the end');
});

test('the total says how many files were read and what "(suggestion)" offers', () => {
  const suggested: Finding = { ...finding, severity: 'info', suggestions: [{ description: 'Start them together', edits: [] }] };
  const lines = formatText([finding, suggested], '/p', false, undefined, 3).trimEnd().split('\n');
  assert.match(lines[1], /  quadratic\/includes-in-loop \(suggestion\)$/);
  assert.equal(lines[2], '2 findings in 3 files, 1 with a suggested rewrite to review first (the editor\'s quick fix; in --format json)');
  assert.equal(formatText([], '/p', false, undefined, 0).trim(), 'no findings in 0 files');
});
