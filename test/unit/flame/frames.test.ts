import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatMs, frameDisplayKey, hotLinesForFrame, shortPath } from '../../../src/core/flame/frames';
import type { FlameHotFunction, FlameHotLine } from '../../../src/shared/protocol';

const line = (lineNumber: number, fn: string, selfMs: number, file = '/src/a.ts'): FlameHotLine => ({ file, line: lineNumber, function: fn, selfMs, selfPercent: selfMs });
const fn = (name: string, start: number, file = '/src/a.ts'): FlameHotFunction => ({ name, file, line: start, selfMs: 0, totalMs: 0, selfPercent: 0, totalPercent: 0 });

describe('frameDisplayKey', () => {
  test('prints a frame the way speedscope\'s stack trace does', () => {
    assert.equal(frameDisplayKey({ name: 'hot', file: '/a.js', line: 3, col: 9 }), 'hot (/a.js:3:9)');
    assert.equal(frameDisplayKey({ name: 'hot', file: '/a.ts', line: 3 }), 'hot (/a.ts:3)');
    assert.equal(frameDisplayKey({ name: '(program)' }), '(program)');
  });
});

describe('hotLinesForFrame', () => {
  const lines = [line(4, 'parse', 5), line(7, 'parse', 30), line(12, 'render', 50), line(3, 'parse', 9, '/src/b.ts')];
  test('lists the lines of the frame\'s function in its file, hottest first', () => {
    assert.deepEqual(hotLinesForFrame({ name: 'parse', file: '/src/a.ts', line: 2 }, lines, []).map(l => l.line), [7, 4]);
  });
  test('falls back to the lines between the frame and the next function when the names differ', () => {
    const functions = [fn('parse', 2), fn('render', 10)];
    assert.deepEqual(hotLinesForFrame({ name: 'exports.parse', file: '/src/a.ts', line: 2 }, lines, functions).map(l => l.line), [7, 4]);
    assert.deepEqual(hotLinesForFrame({ name: '(anonymous)', file: '/src/a.ts', line: 10 }, lines, functions).map(l => l.line), [12]);
  });
  test('caps the list', () => {
    const many = Array.from({ length: 20 }, (_, i) => line(i + 1, 'f', i));
    assert.equal(hotLinesForFrame({ name: 'f', file: '/src/a.ts', line: 1 }, many, [], 3).length, 3);
  });
});

describe('formatting', () => {
  test('formatMs and shortPath', () => {
    assert.equal(formatMs(1234), '1.23 s');
    assert.equal(formatMs(42.4), '42 ms');
    assert.equal(formatMs(1.25), '1.3 ms');
    assert.equal(shortPath('/home/me/project/src/a.ts'), '…/src/a.ts');
    assert.equal(shortPath('a.ts'), 'a.ts');
  });
});
