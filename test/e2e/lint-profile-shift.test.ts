// End to end: a work queue drained with `shift` is a hint until measured (V8 copies only beyond ~10,000
// items held at once, which the code does not show); `lint --profile` makes the wide one a warning with its
// cost and leaves the two-item one a hint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { distFile, packageRoot } from '../../src/core/paths';

const program = path.join(packageRoot(), 'test', 'fixtures', 'workspace', 'shift-queue.js');
const lineOf = (marker: string) => fs.readFileSync(program, 'utf8').split('\n').findIndex(line => line.includes(`// ${marker}`)) + 1;

function hotspots(args: string[], cwd: string) {
  return spawnSync(process.execPath, [distFile('cli.js'), ...args], { cwd, encoding: 'utf8' });
}

test('lint --profile: the wide shift queue becomes a warning with its cost, the narrow one stays a hint', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-lint-shift-'));
  try {
    type Found = { line: number; ruleId: string; severity: string; message: string; evidence?: string };
    const plain = JSON.parse(hotspots(['lint', '--format', 'json', program], dir).stdout) as Found[];
    assert.deepEqual(plain.map(finding => [finding.line, finding.ruleId, finding.severity]),
      [[lineOf('WIDE'), 'quadratic/shift-in-loop', 'hint'], [lineOf('NARROW'), 'quadratic/shift-in-loop', 'hint']]);
    assert.match(plain[0].evidence!, /about 10,000 items/);

    const reportFile = path.join(dir, 'report.json');
    const profiled = hotspots(['profile', '--json', reportFile, '--out-dir', path.join(dir, 'raw'), program], dir);
    assert.equal(profiled.status, 0, profiled.stderr);
    assert.match(profiled.stdout, /^1799970000 3$/m, 'both walks ran to the end');
    const measured = JSON.parse(hotspots(['lint', '--format', 'json', '--profile', reportFile, program], dir).stdout) as Found[];
    const wide = measured.find(finding => finding.line === lineOf('WIDE'))!;
    assert.equal(wide.severity, 'warning');
    assert.match(wide.message, /This loop took \d+% of the run/);
    assert.equal(measured.find(finding => finding.line === lineOf('NARROW'))!.severity, 'hint');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
