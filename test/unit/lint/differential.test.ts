// Differential tests: small programs run before and after applying the rewrites must print the same.
// fixes/: every safe fix is applied. suggestions/: programs written so the conditions the suggestions
// state hold, so applying them must not change the output either.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lintText } from '../../../src/core/lint/engine';
import { applyFixes } from '../../../src/core/lint/fixes';
import type { Finding, Fix } from '../../../src/core/lint/types';
import { assertParses } from './ruleTester';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/lint/diff');
const MAX_PASSES = 5;

function run(code: string, name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-diff-'));
  try {
    const file = path.join(dir, name);
    fs.writeFileSync(file, code);
    return execFileSync(process.execPath, [file], { encoding: 'utf8' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Applies the chosen rewrite of every finding, re-linting until nothing more applies. */
function rewriteAll(code: string, fileName: string, choose: (finding: Finding) => Fix | undefined): { code: string; applied: number } {
  let applied = 0;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const rewrites = lintText(code, { fileName }).map(choose).filter((fix): fix is Fix => fix !== undefined);
    const result = applyFixes(code, rewrites);
    if (result.applied === 0) break;
    applied += result.applied;
    code = result.output;
  }
  return { code, applied };
}

function programs(kind: string): string[] {
  return fs.readdirSync(path.join(FIXTURES, kind)).filter(name => name.endsWith('.js')).sort();
}

describe('differential: safe fixes keep program output', () => {
  for (const name of programs('fixes')) {
    it(name, () => {
      const original = fs.readFileSync(path.join(FIXTURES, 'fixes', name), 'utf8');
      const fixed = rewriteAll(original, name, finding => finding.fix ?? undefined);
      assert.ok(fixed.applied > 0, 'the program exercises at least one fix');
      assertParses(fixed.code, name, 'fixed program');
      assert.equal(run(fixed.code, name), run(original, name));
    });
  }
});

describe('differential: suggestions keep output when their conditions hold', () => {
  for (const name of programs('suggestions')) {
    it(name, () => {
      const original = fs.readFileSync(path.join(FIXTURES, 'suggestions', name), 'utf8');
      // bounded.js checks the bounded-concurrency variant (the last suggestion of await-in-loop).
      const pick = name === 'bounded.js' ? (finding: Finding) => finding.suggestions[finding.suggestions.length - 1] : (finding: Finding) => finding.fix ?? finding.suggestions[0];
      const rewritten = rewriteAll(original, name, pick);
      assert.ok(rewritten.applied > 0, 'the program exercises at least one suggestion');
      assertParses(rewritten.code, name, 'rewritten program');
      assert.equal(run(rewritten.code, name), run(original, name));
    });
  }
});

describe('differential: why some rewrites are only suggestions', () => {
  it('indexOf → Set.has changes the result when the array holds NaN', () => {
    const program = 'const values = Array.from([1, NaN, 3]);\nconst out = [];\nconst keys = Array.from([NaN, 1]);\nfor (const v of keys) out.push(values.indexOf(v) !== -1);\nconsole.log(out.join());\n';
    const [finding] = lintText(program, { fileName: 'nan.js' });
    assert.equal(finding.ruleId, 'quadratic/includes-in-loop');
    assert.equal(finding.fix, null);
    assert.match(finding.suggestions[0].description, /NaN/);
    const rewritten = applyFixes(program, [finding.suggestions[0]]).output;
    assert.notEqual(run(rewritten, 'nan.js'), run(program, 'nan.js'));
  });

  it('Promise.all over a rate-limited loop changes the peak concurrency', () => {
    const program = fs.readFileSync(path.join(FIXTURES, 'suggestions', 'bounded.js'), 'utf8');
    const all = rewriteAll(program, 'bounded.js', finding => finding.suggestions[0]);
    assert.match(run(all.code, 'bounded.js'), /unbounded/);
    assert.match(run(program, 'bounded.js'), /bounded/);
  });
});
