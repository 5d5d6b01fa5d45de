// The editor's off-thread lint (TextLintWorker, dist/lintEngine.js on a worker thread) must give exactly
// the findings of lintText on the calling thread: the editor shows the worker's findings for TypeScript
// until the host thread has its own parser. Needs a build (dist/lintEngine.js, dist/tsParser.js).
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintText } from '../../../src/core/lint/engine';
import { TextLintWorker } from '../../../src/core/lint/textWorker';
import type { LintOptions } from '../../../src/core/lint/types';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full);
    return /\.[cm]?[jt]sx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

function onCallingThread(text: string, options: Omit<LintOptions, 'onNotice'>) {
  const notices: string[] = [];
  const findings = lintText(text, { ...options, onNotice: notice => notices.push(notice) });
  return { findings, notices };
}

describe('TextLintWorker', () => {
  let worker: TextLintWorker;
  before(() => { worker = new TextLintWorker(); });
  after(() => { worker.dispose(); });

  it('loads the TypeScript parser before answering "ready"', async () => {
    await worker.ready;
    assert.equal(worker.usable, true);
  });

  it('gives the findings of lintText for every fixture source (TypeScript, TSX, JavaScript)', async () => {
    const files = [...sourceFiles(path.join(FIXTURES, 'lint')), ...sourceFiles(path.join(FIXTURES, 'workspace'))];
    assert.ok(files.some(file => file.endsWith('.ts')) && files.some(file => file.endsWith('.tsx')), 'fixtures include TypeScript and TSX');
    let withFindings = 0;
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      const options = { fileName: file };
      const fromWorker = await worker.lint(text, options);
      assert.deepEqual(fromWorker, onCallingThread(text, options), file);
      if (fromWorker.findings.length > 0) withFindings++;
    }
    assert.ok(withFindings >= 5, `only ${withFindings} fixtures had findings`);
  });

  it('applies rule settings and the size limit as lintText does (notices included)', async () => {
    const file = path.join(FIXTURES, 'lint/samples/all-rules.ts');
    const text = fs.readFileSync(file, 'utf8');
    const cases: Omit<LintOptions, 'onNotice'>[] = [
      { fileName: file, rules: { 'quadratic/includes-in-loop': 'off', 'async/await-in-loop': 'error' } },
      { fileName: file, maxFileSizeKb: 1 },
      { fileName: 'untitled-1.ts', rules: {} },
    ];
    for (const options of cases) {
      const expected = onCallingThread(text, options);
      assert.deepEqual(await worker.lint(text, options), expected, JSON.stringify(options));
    }
    assert.equal((await worker.lint(text, { fileName: file, maxFileSizeKb: 1 })).notices.length, 1, 'the size limit skips with a notice');
  });

  it('reports a parse error as lintText does', async () => {
    const text = 'export function broken(ids: number[], xs: number[] {\n  for (const x of xs) if (ids.includes(x)) return x;\n';
    const result = await worker.lint(text, { fileName: 'broken.ts' });
    assert.deepEqual(result, onCallingThread(text, { fileName: 'broken.ts' }));
    assert.equal(result.findings[0]?.ruleId, 'parse-error');
  });

  it('answers concurrent requests each with its own findings', async () => {
    const texts = ['const a: number[] = [];\nfor (const x of load()) if (a.includes(x)) a.push(x);\ndeclare function load(): number[];\n', 'export const b = 1;\n'];
    const answers = await Promise.all([...texts, ...texts].map(text => worker.lint(text, { fileName: 'concurrent.ts' })));
    answers.forEach((answer, index) => assert.deepEqual(answer, onCallingThread(texts[index % 2], { fileName: 'concurrent.ts' })));
  });

  it('refuses work once disposed (the editor then lints on its own thread)', async () => {
    const disposed = new TextLintWorker();
    await disposed.ready;
    disposed.dispose();
    assert.equal(disposed.usable, false);
    await assert.rejects(disposed.lint('const x = 1;\n', { fileName: 'x.ts' }));
  });
});
