// The incremental linter must give exactly the findings of a full lint after any edit.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintText } from '../../../src/core/lint/engine';
import { IncrementalLinter } from '../../../src/core/lint/incremental';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/lint');
const SNIPPETS = ['\n', ';', '}', '{', '(', ')', '/*', '*/', '`', "'", '// c\n', 'x', ' ', 'await ', 'ids.includes(x)', '\nfor (const q of qs) {\n', '[...acc, 1]', 'const k = 1;\n', '\n(', 'export ', '<div>'];

function random(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

function edit(text: string, next: () => number): string {
  const at = Math.floor(next() * (text.length + 1));
  const choice = next();
  if (choice < 0.45) return text.slice(0, at) + SNIPPETS[Math.floor(next() * SNIPPETS.length)] + text.slice(at);
  if (choice < 0.8) return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(next() * 12)));
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  return `${text.slice(0, lineStart)}  ${text.slice(lineStart)}`;
}

describe('IncrementalLinter', () => {
  const files = [path.join(FIXTURES, 'samples/all-rules.ts'), path.join(FIXTURES, 'samples/component.tsx'), path.join(FIXTURES, 'diff/fixes/membership.js'), path.join(FIXTURES, 'diff/suggestions/lookups.js')];
  for (const [index, file] of files.entries()) {
    it(`matches a full lint after each of 80 random edits to ${path.basename(file)}`, () => {
      const fileName = path.basename(file);
      const linter = new IncrementalLinter();
      const next = random(42 + index);
      let text = fs.readFileSync(file, 'utf8');
      const kinds = new Set<string>();
      for (let step = 0; step < 80; step++) {
        // Every few steps go back to the pristine file, so edits do not pile up into noise.
        text = step % 10 === 0 ? fs.readFileSync(file, 'utf8') : edit(text, next);
        assert.deepEqual(linter.lint(text, { fileName }), lintText(text, { fileName }), `step ${step}:\n${text}`);
        kinds.add(linter.lastParse);
      }
      assert.ok(kinds.has('incremental'), `reused statements at least once (${[...kinds].join(', ')})`);
    });
  }

  it('re-resolves names declared at module level when only their declaration is edited', () => {
    // The statements using `blocked` are reused (with their own scope analyses); the edit is elsewhere.
    const text = [
      'const blocked = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17];',
      'export function pick(ids: number[]) {',
      '  const local: number[] = load();',
      '  for (const id of ids) { if (blocked.includes(id) || local.includes(id)) continue; }',
      '}',
      'declare function load(): number[];',
    ].join('\n');
    const linter = new IncrementalLinter();
    const first = linter.lint(text, { fileName: 'm.ts' });
    assert.deepEqual(first, lintText(text, { fileName: 'm.ts' }));
    assert.equal(first.filter(finding => finding.ruleId === 'quadratic/includes-in-loop').length, 2);
    const asSet = text.replace('const blocked = [', 'const blocked = new Set([').replace('17];', '17]);');
    for (const edited of [asSet, text, text.replace('17];', '17];\nblocked.push(18);'), text]) {
      const again = linter.lint(edited, { fileName: 'm.ts' });
      assert.equal(linter.lastParse, 'incremental');
      assert.deepEqual(again, lintText(edited, { fileName: 'm.ts' }), edited);
    }
    assert.equal(linter.lint(asSet, { fileName: 'm.ts' }).filter(finding => finding.ruleId === 'quadratic/includes-in-loop').length, 1);
  });

  it('follows names of interest that an edit adds to or removes from one statement', () => {
    // Names of interest are kept per statement; the edit below adds (then removes) a loop lookup on
    // `shared` in one function while another, reused function already looks `shared` up in a loop.
    const text = [
      'const shared = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17];',
      'export function first(ids: number[]) {',
      '  for (const id of ids) { if (shared.includes(id)) continue; }',
      '}',
      'export function second(ids: number[]) {',
      '  return ids.length;',
      '}',
      'export function third(rows: number[][]) {',
      '  let acc: number[] = [];',
      '  for (const row of rows) acc = [...acc, row[0]];',
      '  return acc;',
      '}',
    ].join('\n');
    const linter = new IncrementalLinter();
    assert.deepEqual(linter.lint(text, { fileName: 'n.ts' }), lintText(text, { fileName: 'n.ts' }));
    const edits = [
      text.replace('return ids.length;', 'for (const id of ids) { if (shared.indexOf(id) >= 0) return id; }\n  return ids.length;'),
      text.replace('return ids.length;', 'let shared2: number[] = [];\n  for (const id of ids) shared2 = [...shared2, id];\n  return ids.length;'),
      text.replace('if (shared.includes(id)) continue;', 'if (id > 3) continue;'),
      text.replace('acc = [...acc, row[0]];', 'acc.push(row[0]);'),
      text,
    ];
    for (const edited of edits) {
      const again = linter.lint(edited, { fileName: 'n.ts' });
      assert.equal(linter.lastParse, 'incremental');
      assert.deepEqual(again, lintText(edited, { fileName: 'n.ts' }), edited);
    }
  });

  it('re-parses only around an edit inside one function of a long file', () => {
    const unit = fs.readFileSync(path.join(FIXTURES, 'samples/all-rules.ts'), 'utf8');
    const text = Array.from({ length: 20 }, (_, i) => unit.replace(/export (async )?function (\w+)/g, (_m, a, name) => `export ${a ?? ''}function ${name}${i}`).replace(/^(interface|declare) .*$/gm, '')).join('\n');
    const linter = new IncrementalLinter();
    const first = linter.lint(text, { fileName: 'long.ts' });
    assert.equal(linter.lastParse, 'full');
    const edited = text.replace('let seen = 0;', 'let seen = 1;');
    const second = linter.lint(edited, { fileName: 'long.ts' });
    assert.equal(linter.lastParse, 'incremental');
    assert.deepEqual(second, lintText(edited, { fileName: 'long.ts' }));
    assert.equal(second.length, first.length);
  });
});
