// Evidence grading on real-code shapes (issue 12): a quadratic finding reaches the Problems panel only
// when the loop runs once per item of data that grows with the input (a work queue, the lines of a
// text, a directory listing, a parsed document, a query's rows) or scans one collection pairwise;
// collections reached through options/config or named as the parts of one thing stay hints.
// Each case: the false positive that became a hint, and the true positive that stays a warning.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { lintText } from '../../../src/core/lint/engine';
import type { Finding } from '../../../src/core/lint/types';

const lint = (code: string, ruleId: string, fileName = 'case.js'): Finding[] => lintText(code, { fileName }).filter(finding => finding.ruleId === ruleId);
const graded = (code: string, ruleId: string) => lint(code, ruleId).map(finding => [finding.severity, finding.evidence]);

describe('grading: accumulators copied per step need a loop over growing data', () => {
  it('a concat per include of one query (postcss plugins, sequelize includes) is a hint; per line of a text, a warning', () => {
    const includes = 'function joins(options) {\n  let joins = [];\n  for (const include of options.include) {\n    joins = joins.concat(build(include));\n  }\n  return joins;\n}\n';
    assert.deepEqual(graded(includes, 'quadratic/accumulating-spread'), [['hint', 'the accumulator is copied on every step, but the number of steps (the size of `options.include`) is unknown']]);
    const lines = 'function words(text) {\n  let words = [];\n  for (const line of text.split("\\n")) {\n    words = words.concat(line.split(" "));\n  }\n  return words;\n}\n';
    assert.deepEqual(graded(lines, 'quadratic/accumulating-spread'), [['warning', 'the accumulator is copied on every step, and the loop walks the lines of a text']]);
  });

  it('a reduce over an object\'s keys is a hint; over a directory listing (through filter), a warning', () => {
    const keys = 'const all = Object.keys(groups).reduce((acc, group) => [...acc, ...groups[group]], []);\n';
    assert.equal(lint(keys, 'quadratic/accumulating-spread')[0].severity, 'hint');
    const listing = 'const fs = require("fs");\nconst entries = fs.readdirSync(dir).filter(name => name.endsWith(".js"));\nconst all = entries.reduce((acc, name) => [...acc, name.toUpperCase()], []);\n';
    const [finding] = lint(listing, 'quadratic/accumulating-spread');
    assert.deepEqual([finding.severity, finding.evidence], ['warning', 'the accumulator is copied on every step, and the loop walks a directory listing']);
  });

  it('records of a parsed document and rows of a query count as growing data', () => {
    const parsed = 'function ids(text) {\n  let out = {};\n  for (const record of JSON.parse(text).records) out = { ...out, [record.id]: record };\n  return out;\n}\n';
    assert.match(lint(parsed, 'quadratic/accumulating-spread')[0].evidence!, /a parsed JSON document/);
    const rows = 'async function names(client) {\n  const result = await client.query("select name from users");\n  let names = [];\n  for (const row of result.rows) names = [...names, row.name];\n  return names;\n}\n';
    const [finding] = lint(rows, 'quadratic/accumulating-spread');
    assert.deepEqual([finding.severity, finding.evidence], ['warning', 'the accumulator is copied on every step, and the loop walks the rows of a query result']);
  });
});

describe('grading: arrays grown inside the loop need a loop over growing data', () => {
  it('the ancestors of a depth-first walk (cut back to the depth, or popped) are a stack: a hint', () => {
    const cut = 'function check(schema) {\n  const values = [schema];\n  const depths = [0];\n  const path = [];\n  while (values.length > 0) {\n    const value = values.pop();\n    const depth = depths.pop();\n    path.length = depth;\n    if (path.includes(value)) throw new Error(\'cycle\');\n    path.push(value);\n    for (const key in value) { values.push(value[key]); depths.push(depth + 1); }\n  }\n}\n';
    assert.deepEqual(graded(cut, 'quadratic/includes-in-loop'), [['hint', '`path` is a stack (the loop also cuts it back): it is as deep as the structure walked, not as long as the loop']]);
    const popped = cut.replace('    path.length = depth;\n', '').replace('    path.push(value);\n', '    path.push(value);\n    if (done(value)) path.pop();\n');
    assert.match(graded(popped, 'quadratic/includes-in-loop')[0][1]!, /`path` is a stack \(the loop also takes from it\)/);
    const grown = cut.replace('    path.length = depth;\n', '');
    assert.equal(lint(grown, 'quadratic/includes-in-loop')[0].severity, 'warning', 'the same list never cut back grows with the walk');
  });

  it('a seen-list over one call\'s arguments is a hint; inside a work queue (HMR, BFS), a warning', () => {
    const args = 'function unknown(argv) {\n  const unknown = [];\n  for (const key of argv) {\n    if (unknown.indexOf(key) === -1) unknown.push(key);\n  }\n  return unknown;\n}\n';
    assert.equal(lint(args, 'quadratic/includes-in-loop')[0].severity, 'hint');
    const bfs = 'function affected(start) {\n  const outdated = [start];\n  const queue = [start];\n  while (queue.length > 0) {\n    const id = queue.pop();\n    for (const parent of parentsOf(id)) {\n      if (outdated.indexOf(parent) !== -1) continue;\n      outdated.push(parent);\n      queue.push(parent);\n    }\n  }\n  return outdated;\n}\n';
    const [finding] = lint(bfs, 'quadratic/includes-in-loop');
    assert.equal(finding.severity, 'warning');
    assert.match(finding.evidence!, /`outdated` grows inside the loop, and a work queue: the loop runs once per item it discovers \(`queue` grows inside it\)/);
  });

  it('filling an array up to a fixed size is no work queue', () => {
    const fill = 'function ipv6(address) {\n  const tokens = address.split(":", 8);\n  while (tokens.length < 8) tokens.unshift("");\n  return tokens;\n}\n';
    assert.deepEqual(lint(fill, 'quadratic/shift-in-loop').map(finding => finding.severity), ['hint']);
  });
});

describe('grading: a lookup repeated over read data', () => {
  it('a caller\'s array searched per line is a hint; lines searched per line of another text, a warning', () => {
    const callers = 'function count(text, known) {\n  const list = Array.from(known);\n  let n = 0;\n  for (const line of text.split("\\n")) if (list.includes(line)) n++;\n  return n;\n}\n';
    assert.equal(lint(callers, 'quadratic/includes-in-loop')[0].severity, 'hint');
    const both = 'function count(text, other) {\n  const list = other.split("\\n");\n  let n = 0;\n  for (const line of text.split("\\n")) if (list.includes(line)) n++;\n  return n;\n}\n';
    assert.deepEqual(graded(both, 'quadratic/includes-in-loop'), [['warning', 'the loop walks the lines of a text, and `list` holds the lines of a text: both grow with the input']]);
  });
});

describe('grading: configuration and the parts of one thing are small by construction', () => {
  it('a dedupe of an options list or a caller\'s list is a hint; of the lines of a text, a warning', () => {
    const options = 'Mocha.prototype.global = function (global) {\n  this.options.global = (this.options.global || []).concat(global).filter(function (elt, idx, arr) {\n    return arr.indexOf(elt) === idx;\n  });\n};\n';
    assert.deepEqual(graded(options, 'quadratic/dedupe-indexof'), [['hint', '`this.options` is configuration: its size is set by hand, not by the input']]);
    const files = 'function summary(filesInError) {\n  const names = filesInError.map(file => file.fileName);\n  return names.filter((value, index, self) => self.indexOf(value) === index);\n}\n';
    // A dedupe is pairwise, but how many names a caller passes is unknown (pixi's screen sizes, date-fns's setters).
    assert.deepEqual(graded(files, 'quadratic/dedupe-indexof'), [['hint', 'a pairwise scan of one collection (each element searches the whole array), whose size is unknown']]);
    const lines = 'function unique(text) {\n  return text.split("\\n").filter((value, index, self) => self.indexOf(value) === index);\n}\n';
    assert.deepEqual(graded(lines, 'quadratic/dedupe-indexof'), [['warning', 'a pairwise scan of one collection (each element searches the whole array) that holds the lines of a text']]);
  });

  it('a search of the walked collection for other values is a hint (postcss declarations, union members); a dedupe of a directory listing, a warning', () => {
    const groups = 'function kept(items) {\n  const groups = items.filter(item => item.startsWith("("));\n  const lowered = groups.map(group => group.toLowerCase());\n  return groups.filter(group => !lowered.includes(group + "x"));\n}\n';
    assert.deepEqual(graded(groups, 'quadratic/includes-in-loop'), [['hint', '`groups` names the parts of one thing (a few by construction, not sized by the input)']]);
    const lesser = 'function merge(decls) {\n  const lesser = decls.filter(decl => decl.important);\n  return decls.filter(decl => !lesser.includes(decl));\n}\n';
    assert.deepEqual(graded(lesser, 'quadratic/includes-in-loop'), [['hint', 'the loop and `lesser` come from the same input (`decls`), whose size is unknown']]);
    const twins = 'function twins(items) {\n  const list = Array.from(items);\n  return list.filter(item => list.includes(item.twin));\n}\n';
    assert.equal(lint(twins, 'quadratic/includes-in-loop')[0].severity, 'hint');
    const dedupe = 'function unique(dir) {\n  const list = fs.readdirSync(dir).map(name => name.toLowerCase());\n  return list.filter((item, index) => list.indexOf(item) === index);\n}\n';
    assert.deepEqual(graded(dedupe, 'quadratic/dedupe-indexof'), [['warning', 'a pairwise scan of one collection (each element searches the whole array) that holds a directory listing']]);
  });

  it('a work queue in a debugging aid (a DOT dump, a dev-tools logger) is a hint; the same queue elsewhere, a warning', () => {
    const queue = 'function affected(start) {\n  const outdated = [start];\n  const queue = [start];\n  while (queue.length > 0) {\n    const id = queue.pop();\n    for (const parent of parentsOf(id)) {\n      if (outdated.indexOf(parent) !== -1) continue;\n      outdated.push(parent);\n      queue.push(parent);\n    }\n  }\n}\n';
    const inFile = (fileName: string) => lintText(queue, { fileName }).filter(finding => finding.ruleId === 'quadratic/includes-in-loop').map(finding => finding.severity);
    assert.deepEqual(inFile('/p/node_modules/eslint/lib/linter/code-path-analysis/debug-helpers.js'), ['hint']);
    assert.deepEqual(inFile('/p/src/observableInternal/logging/debugger/devToolsLogger.js'), ['hint']);
    assert.deepEqual(inFile('/p/fesm2022/_debug_node-chunk.mjs'), ['hint']);
    assert.deepEqual(inFile('/p/src/traverse.js'), ['warning']);
    assert.deepEqual(inFile('/home/debug/project/src/traverse.js'), ['warning'], 'only the file name and its folder count');
    assert.match(lintText(queue, { fileName: 'debug-helpers.js' }).find(finding => finding.ruleId === 'quadratic/includes-in-loop')!.evidence!, /this file is a debugging aid/);
  });

  it('a queue of options being normalised is configuration; a queue of tree nodes is a work queue whose width decides (a hint until measured)', () => {
    const options = 'function normalize(preprocessed) {\n  const restOptionsArray = [preprocessed];\n  while (restOptionsArray.length !== 0) {\n    const current = restOptionsArray.shift();\n    restOptionsArray.push(...apply(current));\n  }\n}\n';
    assert.deepEqual(graded(options, 'quadratic/shift-in-loop'), [['hint', '`restOptionsArray` is configuration: its size is set by hand, not by the input']]);
    const nodes = 'function ids(path) {\n  const search = [path];\n  while (search.length) {\n    const id = search.shift();\n    search.push(...id.children);\n  }\n}\n';
    const frontFed = 'function route(from) {\n  const queue = [from];\n  while (queue.length) {\n    const current = queue.pop();\n    for (const next of edgesOf(current)) queue.unshift(next);\n  }\n}\n';
    assert.deepEqual(lint(frontFed, 'quadratic/shift-in-loop').map(finding => finding.severity), ['hint'], 'unshift into a drained queue moves its width, not the whole walk');
    const reversed = 'function reverse(text) {\n  const lines = text.split(\'\\n\');\n  const out = [];\n  for (const line of lines) out.unshift(line);\n  return out;\n}\n';
    assert.equal(lint(reversed, 'quadratic/shift-in-loop')[0].severity, 'warning', 'unshift of every line of a text moves everything so far');
    const [tree] = lint(nodes, 'quadratic/shift-in-loop');
    assert.equal(tree.severity, 'hint', 'V8 trims a short queue in place: only a measurement shows it holds enough to copy');
    assert.match(tree.evidence!, /a work queue drained with `shift`.*about 10,000 items/);
  });
});
