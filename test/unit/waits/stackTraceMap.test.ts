// The maps that take the waits instrumentation's text back out of error stack traces, checked the way Node
// reads them (node:module's SourceMap, nearest segment at or before a position) against the positions V8
// reports for the same errors thrown by the code before it was instrumented.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SourceMap } from 'node:module';
import * as vm from 'node:vm';
import { instrumentAwaits } from '../../../src/core/profile/waits/instrument';
import { createWaitRecorder } from '../../../src/core/profile/waits/recorder';
import type { RawSourceMap } from '../../../src/core/profile/waits/stackTraceMap';
import { transpileTypeScript, withInlineSourceMap, withoutInlineSourceMap, type EsbuildTransformer } from '../../../src/core/profile/transpile';

const FILE = 'file:///work/app.js';

/** Failures on lines the instrumentation changes: the header's line, awaits before the failing expression. */
const FAILING = [
  'const none = null; async function fail(which) { if (which === 0) { await 0; return none.first; }',
  '  if (which === 1) { const value = await 1 + (await 2); return value.missing.deep; }',
  '  if (which === 2) { for await (const item of [Promise.resolve(3)]) { await item; new Array(-item); } }',
  '  "unchanged"; if (which === 3) return undefinedName;',
  '  if (which === 4) { const run = async () => (await 4, none.arrow); return await run(); }',
  '}',
  'return fail;',
].join('\n');

/** Line and column (1-based) of the innermost frame of the error `fail(which)` rejects with. */
async function failurePosition(code: string, which: number): Promise<{ line: number; column: number }> {
  const context = vm.createContext({ Promise });
  (vm.runInContext('globalThis', context) as Record<symbol, unknown>)[Symbol.for('hotspots.waits')] = createWaitRecorder().recorder;
  vm.runInContext('Error.prepareStackTrace = (error, frames) => frames.find(frame => frame.getFileName() === "app.js")', context);
  const fail = new vm.Script(`(function () {${code}\n})()`, { filename: 'app.js' }).runInContext(context) as (which: number) => Promise<unknown>;
  const error = await fail(which).then(() => assert.fail(`case ${which} did not fail`), (thrown: Error) => thrown);
  const frame = error.stack as unknown as { getLineNumber(): number; getColumnNumber(): number };
  // The function wrapper above takes the first columns of the first line.
  const line = frame.getLineNumber();
  return { line, column: frame.getColumnNumber() - (line === 1 ? '(function () {'.length : 0) };
}

function inlineMap(code: string): RawSourceMap {
  const parts = withoutInlineSourceMap(code);
  assert.ok(parts, 'the instrumented code ends with an inline map');
  return parts.map as RawSourceMap;
}

test('JavaScript: the map takes every failing position back to where the same error fails without instrumentation', async () => {
  const instrumented = instrumentAwaits(FAILING, FILE, false, { stackTraceMap: {} });
  assert.ok(instrumented);
  const map = new SourceMap(inlineMap(instrumented.code) as never);
  for (let which = 0; which <= 4; which++) {
    const original = await failurePosition(FAILING, which);
    const ran = await failurePosition(withoutInlineSourceMap(instrumented.code)!.code, which);
    // Case 3 fails on a line without awaits: its column stays; the others move.
    assert.equal(ran.line === original.line && ran.column === original.column, which === 3, `case ${which}: ${JSON.stringify([ran, original])}`);
    const entry = map.findEntry(ran.line - 1, ran.column - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
    assert.deepEqual([entry.originalSource, entry.originalLine! + 1, entry.originalColumn! + 1], [FILE, original.line, original.column], `case ${which}`);
  }
});

test('JavaScript: a line the instrumentation leaves alone maps onto itself, column for column', () => {
  const instrumented = instrumentAwaits(FAILING, FILE, false, { stackTraceMap: {} })!;
  const map = new SourceMap(inlineMap(instrumented.code) as never);
  const line = FAILING.split('\n')[3];
  for (const match of line.matchAll(/\w+|\S/g)) {
    const entry = map.findEntry(3, match.index!) as { originalLine?: number; originalColumn?: number };
    assert.deepEqual([entry.originalLine, entry.originalColumn], [3, match.index], match[0]);
  }
});

test('TypeScript: the transpiler\'s map, moved past the added text, gives the positions it gave before', async () => {
  const esbuild = require('esbuild') as EsbuildTransformer;
  const source = [
    'const none: { port: number } | null = null;',
    'export async function fail(which: number): Promise<unknown> { if (which === 0) { await 0; return none!.port; }',
    '  if (which === 1) { const n: number = await 1; return (await n, none as unknown as { a: { b: 1 } }).a.b; }',
    '  if (which === 2) { const list: number[] = [await 2]; return (list as unknown as { a: { b: number } }).a.b; }',
    '  if (which === 3) { return (await 3, (undefined as unknown as () => 1)()); }',
    '  if (which === 4) { const run = async (): Promise<number> => (await 4, none!.port); return await run(); }',
    '}',
  ].join('\n');
  const transpiled = transpileTypeScript(esbuild, source, '/work/app.ts', 'cjs');
  // One line of CommonJS scaffolding before the transpiled code: its map starts a line later.
  const body = `var exports = {}, module = { exports };\n${transpiled.code}\nreturn module.exports.fail;`;
  const base = { ...transpiled.map, mappings: `;${transpiled.map.mappings as string}` } as RawSourceMap;
  const instrumented = instrumentAwaits(body, FILE, false, { mapped: true, stackTraceMap: { base } })!;
  const before = new SourceMap(base as never);
  const after = new SourceMap(inlineMap(instrumented.code) as never);
  for (let which = 0; which <= 4; which++) {
    const original = await failurePosition(body, which);
    const ran = await failurePosition(withoutInlineSourceMap(instrumented.code)!.code, which);
    const expected = before.findEntry(original.line - 1, original.column - 1) as { originalLine?: number; originalColumn?: number };
    const actual = after.findEntry(ran.line - 1, ran.column - 1) as { originalLine?: number; originalColumn?: number };
    assert.ok(expected.originalLine !== undefined, `case ${which}: mapped without instrumentation`);
    assert.deepEqual([actual.originalLine, actual.originalColumn], [expected.originalLine, expected.originalColumn], `case ${which}`);
  }
});

test('the inline map comes back out of the code it ends (and nothing else is taken for one)', () => {
  const map = { version: 3, sources: ['/work/app.ts'], mappings: 'AAAA' };
  assert.deepEqual(withoutInlineSourceMap(withInlineSourceMap('let a = 1;', map)), { code: 'let a = 1;', map });
  assert.equal(withoutInlineSourceMap('let a = 1;'), null);
  assert.equal(withoutInlineSourceMap(`${withInlineSourceMap('let a = 1;', map)}let b = 2;\n`), null, 'a comment followed by code is not the end');
});

test('directives without semicolons stay directives: the added text starts with one', async () => {
  const code = "'use strict'\nasync function f() {\n  'use strict'\n  return await 1\n}\nreturn f()";
  const instrumented = instrumentAwaits(code, FILE, false)!;
  assert.equal(instrumented.code.split('\n').length, code.split('\n').length);
  const context = vm.createContext({});
  (vm.runInContext('globalThis', context) as Record<symbol, unknown>)[Symbol.for('hotspots.waits')] = createWaitRecorder().recorder;
  assert.equal(await (vm.runInContext(`(function () {${instrumented.code}\n})()`, context) as Promise<number>), 1);
  assert.match(instrumented.code, /^'use strict';var __hsW/);
});
