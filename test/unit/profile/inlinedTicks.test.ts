// Where ticks of inlined code outside their caller's lines go, on hand-built profiles over real files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildReport } from '../../../src/core/profile/model';
import type { CpuProfile, CpuProfileCallFrame } from '../../../src/core/profile/types';

const options = { command: [], exitCode: 0, signal: null, wallMs: 0 };
const frame = (functionName: string, url: string, lineNumber: number, columnNumber = 0): CpuProfileCallFrame => ({ functionName, scriptId: url ? 1 : 0, url, lineNumber, columnNumber });

function withScripts(files: Record<string, string>, body: (dir: string) => void): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-inlined-'));
  try {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    body(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function profileOf(nodes: CpuProfile['nodes'], sampleNode: number, samples: number): CpuProfile {
  return {
    nodes,
    startTime: 0,
    endTime: samples * 1000,
    samples: Array(samples).fill(sampleNode),
    timeDeltas: Array(samples).fill(1000),
    $hotspots: { pid: 1, ppid: 0, threadId: 0, kind: 'main', argv: [], sampleIntervalUs: 1000, inliningDisabled: false },
  };
}

test('a same-file helper that never ran on its own is found in the source: exactly one function the caller calls holds the line', () => {
  const source = 'function helper(a) {\n  return a * 3 + 1;\n}\nfunction other(a) {\n  return a - 1;\n}\nfunction run() {\n  let s = 0;\n  for (let i = 0; i < 9; i++) s = helper(s);\n  return s;\n}\nrun();\n';
  withScripts({ 'a.js': source }, dir => {
    const file = path.join(dir, 'a.js');
    const report = buildReport([{ path: 'p', profile: profileOf([
      { id: 1, callFrame: frame('(root)', '', -1), children: [2] },
      { id: 2, callFrame: frame('run', file, 6, 12), positionTicks: [{ line: 2, ticks: 3 }, { line: 9, ticks: 1 }] },
    ], 2, 4) }], options);
    assert.deepEqual(report.lines.map(line => [line.line, line.selfMs, line.inlinedMs, line.function]), [[2, 3, undefined, 'helper'], [9, 1, undefined, 'run']]);
    assert.match(report.warnings.join('\n'), /75\.0% of the time on lines \(3 ms\) .* 75\.0% put back .* 0\.0% shown as inlined code/);
  });
});

test('a line no function of the caller explains is shown as inlined code on the caller\'s first line, never on an unrelated line', () => {
  // Line 5 lies in other(), which run() does not call: it is not placed there.
  const source = 'function helper(a) {\n  return a * 3 + 1;\n}\nfunction other(a) {\n  return a - 1;\n}\nfunction run() {\n  let s = 0;\n  for (let i = 0; i < 9; i++) s = helper(s);\n  return s;\n}\nrun();\n';
  withScripts({ 'a.js': source }, dir => {
    const file = path.join(dir, 'a.js');
    const report = buildReport([{ path: 'p', profile: profileOf([
      { id: 1, callFrame: frame('(root)', '', -1), children: [2] },
      { id: 2, callFrame: frame('run', file, 6, 12), positionTicks: [{ line: 5, ticks: 2 }, { line: 9, ticks: 2 }] },
    ], 2, 4) }], options);
    assert.deepEqual(report.lines.map(line => [line.line, line.selfMs, line.inlinedMs, line.function]), [[7, 2, 2, 'run'], [9, 2, undefined, 'run']]);
    assert.match(report.warnings.join('\n'), /50\.0% shown as inlined code on the caller's first line/);
  });
});

test('two callees of other files that both hold the line: ambiguous, so flagged rather than guessed', () => {
  const padded = (name: string): string => `${'//\n'.repeat(20)}function ${name}(a) {\n  return a + 1;\n}\nmodule.exports = { ${name} };\n`;
  withScripts({ 'main.js': 'function run() {\n  return 1;\n}\nrun();\n', 'x.js': padded('x'), 'y.js': padded('y') }, dir => {
    const main = path.join(dir, 'main.js');
    const report = buildReport([{ path: 'p', profile: profileOf([
      { id: 1, callFrame: frame('(root)', '', -1), children: [2] },
      { id: 2, callFrame: frame('run', main, 0, 12), positionTicks: [{ line: 22, ticks: 4 }], children: [3, 4] },
      { id: 3, callFrame: frame('x', path.join(dir, 'x.js'), 20, 10) },
      { id: 4, callFrame: frame('y', path.join(dir, 'y.js'), 20, 10) },
    ], 2, 4) }], options);
    assert.deepEqual(report.lines.map(line => [path.basename(line.file), line.line, line.inlinedMs]), [['main.js', 1, 4]]);
  });
});
