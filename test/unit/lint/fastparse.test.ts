// The acorn fast path for plain .js files (parseJsFast) must be invisible: the same tree as
// typescript-estree and the same findings, over every fixture and a sample of the bench corpus.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { indexAll, lintWith, parseFull, parseJsFast, parseSource, takeParsedIndex } from '../../../src/core/lint/engine';

const ROOT = path.resolve(__dirname, '../../../..');
const NO_SIZE_LIMIT_KB = 64 * 1024;

function listFiles(dir: string, pattern: RegExp, recurse = true): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return recurse && entry.name !== 'node_modules' ? listFiles(full, pattern) : [];
    return pattern.test(entry.name) ? [full] : [];
  });
}

/** Fixtures, plus every 7th bench corpus file (bench/lint.bench.js) short of the two TypeScript compilers. */
function sampleFiles(): string[] {
  const fixtures = listFiles(path.join(ROOT, 'test/fixtures/lint'), /\.[cm]?[jt]sx?$/);
  const modules = path.join(ROOT, 'node_modules');
  const corpus = [
    ...listFiles(path.join(modules, 'lodash'), /\.js$/, false),
    ...listFiles(path.join(modules, 'express/lib'), /\.js$/),
    ...listFiles(path.join(modules, 'rxjs/dist/cjs'), /\.js$/),
    ...listFiles(path.join(modules, 'rxjs/dist/esm5'), /\.js$/),
    ...listFiles(path.join(modules, 'prettier/plugins'), /\.js$/),
    path.join(modules, 'prettier/index.mjs'),
  ].filter(file => fs.existsSync(file)).sort();
  return [...fixtures, ...corpus.filter((_, index) => index % 7 === 0)];
}

/** A tree as plain data: acorn's own start/end and keys left undefined do not count. */
function shape(node: unknown): unknown {
  return JSON.parse(JSON.stringify(node, (key, value) => key === 'parent' || key === 'start' || key === 'end' ? undefined
    : typeof value === 'bigint' ? `${value}n` : value));
}

describe('fast parse of plain JavaScript', () => {
  const files = sampleFiles();

  it('covers fixtures and corpus files', () => {
    assert.ok(files.some(file => file.includes(`${path.sep}fixtures${path.sep}`)));
    assert.ok(files.some(file => file.includes(`${path.sep}node_modules${path.sep}`)), 'bench corpus (dev dependencies) not installed');
  });

  it('gives exactly the findings of the typescript-estree path on every sampled file', () => {
    let fast = 0;
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      if (/\.[cm]?js$/i.test(file) && parseJsFast(text)) fast++;
      const options = { fileName: file, maxFileSizeKb: NO_SIZE_LIMIT_KB };
      assert.deepEqual(lintWith(text, options, parseSource), lintWith(text, options, parseFull), file);
    }
    assert.ok(fast > 20, `only ${fast} files took the fast path`);
  });

  it('sets parents and buckets nodes in source order as a separate walk would', () => {
    for (const file of files.filter(name => /\.[cm]?js$/i.test(name))) {
      const text = fs.readFileSync(file, 'utf8');
      const fast = parseJsFast(text);
      if (!fast) continue;
      const parents = new Map<unknown, unknown>();
      const built = takeParsedIndex(fast);
      assert.ok(built, file);
      assert.equal(takeParsedIndex(fast), undefined, 'taken once');
      const record = (node: unknown) => { for (const key of Object.keys(node as object)) { const child = (node as Record<string, unknown>)[key]; if (key !== 'parent' && child && typeof child === 'object') { for (const item of Array.isArray(child) ? child : [child]) if (item && typeof (item as { type?: unknown }).type === 'string') { parents.set(item, (item as { parent?: unknown }).parent); record(item); } } } };
      record(fast);
      const walked = indexAll(fast);
      for (const [node, parent] of parents) assert.equal((node as { parent?: unknown }).parent, parent, `${file}: parent of a ${(node as { type: string }).type}`);
      assert.deepEqual([...built.keys()].sort(), [...walked.keys()].sort(), file);
      for (const [type, nodes] of walked) assert.ok(built.get(type)!.length === nodes.length && nodes.every((node, i) => built.get(type)![i] === node), `${file}: ${type} bucket`);
    }
  });

  it('builds the same tree as typescript-estree (ranges included)', () => {
    for (const file of files.filter(name => /\.[cm]?js$/i.test(name)).slice(0, 60)) {
      const text = fs.readFileSync(file, 'utf8');
      const fast = parseJsFast(text);
      if (fast) assert.deepEqual(shape(fast), shape(parseFull(text, file)), file);
    }
  });

  it('matches on template literals, classes, modules and scripts', () => {
    const samples = [
      'const a = `x${y}z${w}`; export class C extends B { #p = 1; static { q(); } m(...r) { return [a, { b } = {}] = r; } }',
      'with (o) { x = 010; }\nfunction f(a, a) { return arguments; }',
      '#!/usr/bin/env node\nimport x, { y as z } from "m"; export * from "n"; export default async () => { for await (const v of x) z(v); };',
      'return 1n + 0x10n;',
      'import * as ns from "m"; export { ns as default }; const o = { get a() { return 1; }, set a(v) {}, [k]: 2, ...r };\nclass D { static async *g({ a = 1, ...b }, [c]) { yield* await import("x"); return new.target ?? import.meta.url; } #x; has(o) { return #x in o && a?.b?.[c]?.(d); } }\nouter: for (let i = 0; i < 3; i++) { if (/a+b/giu.test(s)) continue outer; }',
      'const s = "\\01";',
    ];
    for (const text of samples) {
      const fast = parseJsFast(text);
      let full: unknown;
      try { full = parseFull(text, 'a.js'); } catch { full = null; }
      // Where typescript-estree reports an error, acorn must decline (the error finding then stays the same).
      if (full === null) assert.equal(fast, null, text); else if (fast) assert.deepEqual(shape(fast), shape(full), text);
    }
    assert.equal(parseJsFast('with (o) { x = 1; }'), null, 'sloppy-mode code goes to typescript-estree');
  });

  it('leaves JSX, TypeScript and syntax errors to typescript-estree', () => {
    assert.equal(parseJsFast('const el = <div>{x}</div>;'), null);
    assert.equal(parseSource('const el = <div>{x}</div>;', 'a.jsx').body.length, 1);
    assert.equal(parseJsFast('const = ;'), null);
    assert.throws(() => parseSource('const = ;', 'a.js'));
    // .ts files never take the fast path, even when acorn could read them.
    assert.equal((parseSource('let x = 1;', 'a.ts') as { start?: number }).start, undefined);
  });
});
