// Iteration forms the quadratic rules used to miss (issue 12): each is found, with its evidence and the
// right fix or suggestion (or none where nothing can be proven).
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { lintText } from '../../../src/core/lint/engine';
import { applyFixes } from '../../../src/core/lint/fixes';
import type { Finding } from '../../../src/core/lint/types';

const lint = (code: string, ruleId: string, fileName = 'case.js'): Finding[] => lintText(code, { fileName }).filter(finding => finding.ruleId === ruleId);
const suggested = (code: string, finding: Finding) => applyFixes(code, [finding.suggestions[0]]).output;

describe('recall: iteration forms', () => {
  it('`filter(…)[0]` as a search inside a loop: a Map keyed by the compared property, keeping the first match', () => {
    const code = 'function f(ids) {\n  const list = Array.from(load());\n  for (const id of ids) use(list.filter(u => u.id === id)[0]);\n}\n';
    const [finding] = lint(code, 'quadratic/includes-in-loop');
    assert.match(finding.message, /`list\.filter\(\.\.\.\)\[0\]` inside a loop .* a Map keyed by `id`/);
    assert.equal(finding.evidence, 'the size of `list` is unknown');
    assert.equal(suggested(code, finding), 'function f(ids) {\n  const list = Array.from(load());\n  const listById = new Map();\n  for (const element of list) { if (!listById.has(element.id)) listById.set(element.id, element); }\n  for (const id of ids) use(listById.get(id));\n}\n');
  });

  it('`filter(…).length` as a search inside an iteration: a Map of counts', () => {
    const code = 'function f(lines) {\n  const users = lines.split("\\n");\n  return users.map(name => users.filter(u => u === name).length > 1);\n}\n';
    const [finding] = lint(code, 'quadratic/includes-in-loop');
    assert.deepEqual([finding.severity, finding.evidence], ['warning', 'the loop walks the lines of a text, and `users` holds the lines of a text: both grow with the input']);
    assert.equal(finding.fix, null);
    assert.equal(suggested(code, finding), 'function f(lines) {\n  const users = lines.split("\\n");\n  const usersCountByValue = new Map();\n  for (const element of users) usersCountByValue.set(element, (usersCountByValue.get(element) ?? 0) + 1);\n  return users.map(name => (usersCountByValue.get(name) ?? 0) > 1);\n}\n');
    assert.match(finding.suggestions[0].description, /no element is NaN/);
  });

  it('`acc.concat(x)` in reduce: pushes onto a fresh accumulator (a suggestion when x may not be an array)', () => {
    const literal = 'const all = items.filter(Boolean).reduce((acc, item) => acc.concat([item.id, item.name]), []);\n';
    const [fixed] = lint(literal, 'quadratic/accumulating-spread');
    assert.match(fixed.message, /`acc\.concat\(x\)` in a reduce callback copies the accumulator/);
    assert.equal(applyFixes(literal, [fixed.fix!]).output, 'const all = items.filter(Boolean).reduce((acc, item) => { acc.push(item.id, item.name); return acc; }, []);\n');
    const lines = 'function words(text) {\n  return text.split("\\n").reduce((acc, line) => acc.concat(line.split(" ")), []);\n}\n';
    const [finding] = lint(lines, 'quadratic/accumulating-spread');
    assert.deepEqual([finding.severity, finding.evidence, finding.fix], ['warning', 'the accumulator is copied on every step, and the loop walks the lines of a text', null]);
    assert.match(finding.suggestions[0].description, /`line\.split\(" "\)` is an array without holes/);
    assert.deepEqual(lint('const s = parts.reduce((acc, p) => acc.concat(p), "");\n', 'quadratic/accumulating-spread'), [], 'string building');
  });

  it('member receivers: `this.items.indexOf(x)` inside `items.forEach` and `this.items.forEach`', () => {
    const owned = 'class Store {\n  constructor() { this.items = []; }\n  add(items) {\n    items.forEach(x => { if (this.items.indexOf(x) === -1) this.count++; });\n  }\n}\n';
    const [hint] = lint(owned, 'quadratic/includes-in-loop');
    assert.deepEqual([hint.severity, hint.evidence, hint.fix, hint.suggestions], ['hint', 'the size of `this.items` is unknown', null, []]);
    const pairwise = 'class Tree {\n  orphans() {\n    return this.items.filter(x => this.items.indexOf(x.parent) === -1);\n  }\n}\n';
    const [warning] = lint(pairwise, 'quadratic/includes-in-loop');
    assert.deepEqual([warning.severity, warning.evidence], ['hint', 'a pairwise scan of one collection (the loop walks `this.items` and searches it), whose size is unknown']);
    assert.deepEqual(lint(pairwise.replace('x => this', 'function (x) { return this').replace('-1);', '-1; });'), 'quadratic/includes-in-loop'), [], '`this` of a function callback is another object');
  });

  it('`splice` of a found index in a loop', () => {
    const code = 'function remove(list, gone) {\n  const arr = Array.from(list);\n  for (const x of gone) {\n    const i = arr.indexOf(x);\n    if (i !== -1) arr.splice(i, 1);\n  }\n  return arr;\n}\n';
    const findings = lintText(code, { fileName: 'case.js' }).filter(finding => finding.family === 'quadratic');
    assert.deepEqual(findings.map(finding => finding.ruleId), ['quadratic/shift-in-loop'], 'one finding for the search-and-remove, not two');
    assert.match(findings[0].message, /`arr\.splice\(\)` of a found index inside a loop searches `arr` and moves every later element/);
    const inline = 'const arr = Array.from(list);\nfor (const x of list) arr.splice(arr.indexOf(x), 1);\n';
    const [same] = lint(inline, 'quadratic/shift-in-loop');
    assert.deepEqual([same.severity, same.evidence], ['hint', 'the loop and `arr` come from the same input (`list`), whose size is unknown']);
    assert.deepEqual(lint('const arr = Array.from(list);\nfor (const x of list) arr.splice(0, 1);\n', 'quadratic/shift-in-loop'), [], 'not a found index');
  });

  it('pairwise loops inside callbacks: `a.forEach(x => a.forEach(y => …))` comparing one key', () => {
    const code = 'function dupes(text) {\n  const a = JSON.parse(text);\n  a.forEach(x => a.forEach(y => { if (x !== y && x.id === y.id) report(x); }));\n}\n';
    const [finding] = lint(code, 'quadratic/dedupe-indexof');
    assert.deepEqual([finding.severity, finding.evidence], ['warning', 'a pairwise scan of one collection (nested callbacks over `a`) that holds a parsed JSON document']);
    assert.equal(lint(code.replace('JSON.parse(text)', 'Array.from(text)'), 'quadratic/dedupe-indexof')[0].severity, 'hint', 'a caller\'s collection: size unknown');
    assert.match(finding.message, /Nested callbacks over `a` compare every pair/);
    assert.deepEqual(lint(code.replace('x !== y && x.id === y.id', 'x !== y'), 'quadratic/dedupe-indexof'), [], '`x !== y` alone only skips the element itself');
    assert.deepEqual(lint(code.replace('a.forEach(y', 'b.forEach(y'), 'quadratic/dedupe-indexof'), [], 'two collections are a join, not a pairwise scan of one');
    const options = 'function f(config) {\n  const plugins = Array.from(config.plugins);\n  plugins.forEach(x => plugins.some(y => x.name === y.name));\n}\n';
    assert.equal(lint(options, 'quadratic/dedupe-indexof')[0].severity, 'hint');
  });

  it('`list.filter(x => list.indexOf(x.y) !== -1)` is a membership test, not a dedupe', () => {
    const code = 'function linked(items) {\n  const list = Array.from(items);\n  return list.filter(x => list.indexOf(x.parent) !== -1);\n}\n';
    const [finding] = lint(code, 'quadratic/includes-in-loop');
    assert.deepEqual([finding.severity, finding.evidence], ['hint', 'a pairwise scan of one collection (the loop walks `list` and searches it), whose size is unknown']);
    assert.match(finding.suggestions[0].description, /Use a Set built before the loop/);
    assert.deepEqual(lint(code, 'quadratic/dedupe-indexof'), []);
    const dedupe = 'const list = Array.from(items);\nconst unique = list.filter((x, i) => list.indexOf(x) === i);\n';
    assert.deepEqual(lint(dedupe, 'quadratic/includes-in-loop'), []);
    assert.equal(lint(dedupe, 'quadratic/dedupe-indexof').length, 1);
  });
});
