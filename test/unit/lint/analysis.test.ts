// Analysis.resolve answers from scope analyses of single functions (the innermost one that declares
// the name) or of the whole file for one name at a time: it must give exactly the variable a plain
// scope analysis of the whole file gives (the same definitions, the same references in the same order).
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze, type Reference, type Variable } from '@typescript-eslint/scope-manager';
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { Analysis } from '../../../src/core/lint/analysis';
import { indexAll, parseFull, parseSource } from '../../../src/core/lint/engine';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/lint');

const SNIPPETS: [string, string][] = [
  ['shadowing.js', `
const items = [1, 2, 3];
function outer(items, other) {
  const seen = [];
  for (const x of other) { if (items.includes(x)) seen.push(x); }
  function inner() { let items = []; for (const y of other) items = [...items, y]; return items; }
  const expr = function named(n) { return n > 0 ? named(n - 1) : seen.indexOf(n); };
  try { other.forEach(z => seen.includes(z)); } catch (seen) { seen.shift(); }
  { let seen = [0]; while (seen.length) seen.shift(); }
  return [inner, expr, arguments.length, items];
}
var hoisted; function later() { hoisted = []; for (const q of items) if (hoisted.includes(q)) hoisted.unshift(q); }
class Box { static { var boxed = []; for (const b of items) boxed.includes(b); } m(list = items) { for (const k of list) this.k = list.indexOf(k); } }
const arrow = (...rest) => { for (const r of rest) rest.find(v => v === r); return undefinedName.includes(r); };
export { outer, later, Box, arrow };
`],
  // Functions that declare the name somewhere, but not where the reference can see it.
  ['near-misses.js', `
const list = [];
function blockOnly(w) { { let list = [1]; list.shift(); } for (const q of w) list.includes(q); }
function self(w) { { let self = 1; } for (const q of w) self.includes(q); return self; }
const named = function again(w) { if (w) { const again = []; again.push(w); } for (const q of w) again.includes(q); };
function nested(w) { function list() {} const inner = () => { for (const q of w) list.includes(q); }; return inner; }
function params(w) { const fn = (list) => list; for (const q of w) list.indexOf(q); return fn; }
function caught(w) { try { w(); } catch (list) { list.shift(); } for (const q of w) list.includes(q); }
export { blockOnly, self, named, nested, params, caught };
`],
  ['typescript.ts', `
enum Kind { A, B }
namespace Space { export const names: string[] = []; }
declare const declared: number[];
export function f({ a, b: [c] }: { a: number[]; b: number[][] }, d = declared): void {
  for (const e of a) { if (c.includes(e) || d.includes(e) || Space.names.includes(String(e))) a.push(Kind.A); }
  const g = <T,>(xs: T[]) => { for (const h of xs) xs.indexOf(h); };
  g(a);
}
`],
];

function files(): [string, string][] {
  const fixtures: [string, string][] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.[cm]?[jt]sx?$/.test(entry.name)) fixtures.push([full, fs.readFileSync(full, 'utf8')]);
    }
  };
  walk(FIXTURES);
  return [...fixtures, ...SNIPPETS];
}

/** Nodes by identity: each gets a number the first time it is seen. */
const ids = new Map<unknown, number>();
const nodeId = (node: unknown) => { if (!ids.has(node)) ids.set(node, ids.size); return ids.get(node); };

function describeVariable(variable: Variable | null, analysis: Analysis): unknown {
  if (!variable) return null;
  return {
    name: variable.name,
    defs: variable.defs.map(def => [def.type, nodeId(def.name), nodeId(def.node)]),
    references: variable.references.map(reference => [nodeId(reference.identifier), reference.isWrite(), reference.init]),
    scope: [variable.scope.type, nodeId(variable.scope.block)],
    declaringFunction: nodeId(analysis.declaringFunction(variable)),
  };
}

describe('Analysis.resolve', () => {
  for (const [file, text] of files()) {
    it(`gives the whole-file scope analysis' variable for every reference in ${path.basename(file)}`, () => {
      for (const parse of [parseSource, parseFull]) {
        const ast = parse(text, file);
        const analysis = new Analysis(ast, text, indexAll(ast));
        const whole = new Map<TSESTree.Node, Reference>();
        for (const scope of analyze(ast, { sourceType: 'module', lib: [], jsxPragma: null }).scopes) {
          for (const reference of scope.references) whole.set(reference.identifier as TSESTree.Node, reference);
        }
        let resolved = 0;
        for (const [identifier, reference] of whole) {
          const expected = describeVariable(reference.resolved, analysis);
          assert.deepStrictEqual(describeVariable(analysis.resolve(identifier), analysis), expected, `${path.basename(file)}: \`${(identifier as TSESTree.Identifier).name}\` at ${identifier.range[0]}`);
          if (expected) resolved++;
        }
        assert.ok(resolved > 0);
      }
    });
  }
});
