// End to end: `hotspots lint --profile` ranks findings by the time a real profile measured on their loop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { distFile, packageRoot } from '../../src/core/paths';

const program = path.join(packageRoot(), 'test', 'fixtures', 'insight', 'hot-loops.js');

function hotspots(args: string[], cwd: string) {
  return spawnSync(process.execPath, [distFile('cli.js'), ...args], { cwd, encoding: 'utf8' });
}

interface MeasuredFinding { line: number; severity: string; message: string; measured?: string; measuredMs?: number; measuredPercent?: number }

test('lint --profile: the hot loop is promoted to a warning with its measured share; a hint on code that never ran stays a hint', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-lint-profile-'));
  try {
    const reportFile = path.join(dir, 'report.json');
    const profiled = hotspots(['profile', '--json', reportFile, '--out-dir', path.join(dir, 'raw'), program], dir);
    assert.equal(profiled.status, 0, profiled.stderr);

    const plain = hotspots(['lint', '--format', 'json', program], dir);
    const ranked = hotspots(['lint', '--format', 'json', '--profile', reportFile, program], dir);
    assert.equal(ranked.status, 1, ranked.stderr);
    const before = JSON.parse(plain.stdout) as MeasuredFinding[];
    const findings = JSON.parse(ranked.stdout) as MeasuredFinding[];
    assert.equal(findings.length, before.length, 'the profile ranks findings, it adds or drops none');

    const hot = findings[0];
    assert.equal(hot.line, 11, 'the loop that ran comes first');
    assert.equal(hot.measured, 'sampled');
    assert.ok(hot.measuredMs! > 0 && hot.measuredPercent! > 30, `measured ${hot.measuredMs} ms, ${hot.measuredPercent}%`);
    assert.match(hot.message, /This loop took \d+% of the run \(\d+(\.\d+)? m?s\)\./);

    // Statically both are hints (the size of `triples` is unknown); the measured hot loop is promoted.
    assert.deepEqual(before.map(finding => finding.severity), ['hint', 'hint']);
    assert.equal(hot.severity, 'warning', 'a hot finding is a warning');
    const cold = findings.find(finding => finding.line === 17)!;
    assert.equal(cold.measured, 'not-run');
    assert.equal(cold.severity, 'hint', 'a finding on code that never ran stays a hint');
    // Text output lists the promoted finding and counts the hint; --all lists it.
    const text = hotspots(['lint', '--profile', reportFile, program], dir);
    assert.match(text.stdout, /hot-loops\.js:11:\d+ +warning/);
    assert.doesNotMatch(text.stdout, /hot-loops\.js:17:/);
    assert.match(text.stdout, /1 hint not shown/);
    assert.match(hotspots(['lint', '--all', '--profile', reportFile, program], dir).stdout, /hot-loops\.js:17:\d+ +hint/);
    const unprofiled = hotspots(['lint', program], dir);
    assert.equal(unprofiled.status, 0, 'hints alone do not fail the run');

    const missing = hotspots(['lint', '--profile', path.join(dir, 'nope.json'), program], dir);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /--profile/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
