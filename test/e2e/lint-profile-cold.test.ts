// End to end: `hotspots lint --profile` on two loops of the same shape that both RUN, one long and one on
// three items (test/fixtures/workspace/lint-measured.js, also profiled in the editor by the real VS Code
// test lintMeasured.test.ts): the hot one becomes a warning stating its cost, the cold one stays a hint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { distFile, packageRoot } from '../../src/core/paths';

const program = path.join(packageRoot(), 'test', 'fixtures', 'workspace', 'lint-measured.js');
const lineOf = (marker: string) => fs.readFileSync(program, 'utf8').split('\n').findIndex(line => line.includes(`// ${marker}`)) + 1;

function hotspots(args: string[], cwd: string) {
  return spawnSync(process.execPath, [distFile('cli.js'), ...args], { cwd, encoding: 'utf8' });
}

test('lint --profile: of two loops that ran, the hot one is a warning with its cost and the cold one stays a hint', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-lint-cold-'));
  try {
    const reportFile = path.join(dir, 'report.json');
    const profiled = hotspots(['profile', '--json', reportFile, '--out-dir', path.join(dir, 'raw'), program], dir);
    assert.equal(profiled.status, 0, profiled.stderr);
    // The cold loop's function ran: the run called it (its result is printed), whether or not a sample fell in it.
    assert.match(profiled.stdout, /^\d+ 1$/m, 'fewCommonItems() found its one common item');

    const plain = JSON.parse(hotspots(['lint', '--format', 'json', program], dir).stdout) as { line: number; severity: string }[];
    assert.deepEqual(plain.map(finding => [finding.line, finding.severity]), [[lineOf('HOT'), 'hint'], [lineOf('COLD'), 'hint']]);

    const ranked = hotspots(['lint', '--format', 'json', '--profile', reportFile, program], dir);
    const findings = JSON.parse(ranked.stdout) as { line: number; severity: string; message: string; measured?: string; measuredPercent?: number }[];
    const hot = findings.find(finding => finding.line === lineOf('HOT'))!;
    assert.equal(hot.severity, 'warning');
    assert.equal(hot.measured, 'sampled');
    assert.match(hot.message, /This loop took \d+% of the run \(\d+(\.\d+)? m?s\)\./);
    const cold = findings.find(finding => finding.line === lineOf('COLD'))!;
    assert.equal(cold.severity, 'hint', `${cold.measured} ${cold.measuredPercent}%: ${cold.message}`);
    assert.ok(cold.measured === 'not-run' || cold.measuredPercent! < 1, `cold loop measured ${cold.measured} ${cold.measuredPercent}%`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
