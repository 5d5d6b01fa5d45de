// Fuzz: mutated fixture files (token deletions, truncations, random bytes) must never make the engine
// throw or a rule crash, and whenever the mutated text still parses, every rewrite must still parse.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from '@typescript-eslint/typescript-estree';
import { lintText } from '../../../src/core/lint/engine';
import { applyFixes } from '../../../src/core/lint/fixes';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/lint');
const MUTATIONS_PER_FILE = 60;

/** Deterministic PRNG (mulberry32) so a failure reproduces from its seed. */
function random(seed: number): () => number {
  return () => {
    seed |= 0; seed = seed + 0x6D2B79F5 | 0;
    let t = Math.imul(seed ^ seed >>> 15, 1 | seed);
    t = t + Math.imul(t ^ t >>> 7, 61 | t) ^ t;
    return ((t ^ t >>> 14) >>> 0) / 4294967296;
  };
}

function fixtureFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return fixtureFiles(full);
    return /\.[jt]sx?$/.test(entry.name) ? [full] : [];
  });
}

function mutate(text: string, next: () => number): string {
  const pick = (n: number) => Math.floor(next() * n);
  switch (pick(3)) {
    case 0: {
      const tokens = text.match(/[\w$]+|\s+|[^\s\w$]/g) ?? [];
      for (let deletions = 1 + pick(4); deletions > 0 && tokens.length > 0; deletions--) tokens.splice(pick(tokens.length), 1);
      return tokens.join('');
    }
    case 1:
      return text.slice(0, pick(text.length + 1));
    default: {
      const chars = [...text];
      for (let edits = 1 + pick(6); edits > 0; edits--) {
        const byte = String.fromCharCode(pick(256));
        const at = pick(chars.length + 1);
        if (next() < 0.5) chars.splice(at, 1, byte); else chars.splice(at, 0, byte);
      }
      return chars.join('');
    }
  }
}

function parses(text: string, fileName: string): boolean {
  try {
    parse(text, { jsx: fileName.endsWith('x') || fileName.endsWith('.js') });
    return true;
  } catch {
    return false;
  }
}

describe('fuzz', () => {
  const files = fixtureFiles(FIXTURES);
  it('has fixtures to mutate', () => assert.ok(files.length >= 4));
  for (const [fileIndex, file] of files.entries()) {
    it(`mutations of ${path.relative(FIXTURES, file)}`, () => {
      const original = fs.readFileSync(file, 'utf8');
      const next = random(1000 + fileIndex);
      const fileName = path.basename(file);
      for (let i = 0; i < MUTATIONS_PER_FILE; i++) {
        const text = mutate(original, next);
        const notices: string[] = [];
        const findings = lintText(text, { fileName, onNotice: notice => notices.push(notice) });
        assert.ok(Array.isArray(findings));
        assert.deepEqual(notices.filter(notice => notice.includes('failed')), [], `rule crashed on mutation ${i}`);
        for (const finding of findings) {
          assert.ok(finding.line >= 1 && finding.column >= 1, JSON.stringify(finding));
        }
        if (findings.some(finding => finding.ruleId === 'parse-error') || !parses(text, fileName)) continue;
        for (const rewrite of findings.flatMap(finding => [...(finding.fix ? [finding.fix] : []), ...finding.suggestions])) {
          const output = applyFixes(text, [rewrite]).output;
          assert.ok(parses(output, fileName), `rewrite "${rewrite.description}" of mutation ${i} does not parse:\n${output}`);
        }
      }
    });
  }
  it('random bytes only', () => {
    const next = random(7);
    for (let i = 0; i < 200; i++) {
      const bytes = Array.from({ length: Math.floor(next() * 400) }, () => String.fromCharCode(Math.floor(next() * 65536))).join('');
      assert.ok(Array.isArray(lintText(`for (x of y) a.includes(await b)${bytes}`, { fileName: 'random.tsx' })));
    }
  });
});
