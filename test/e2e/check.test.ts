// End-to-end: the regression check's exit codes. The fixture's work size is its argument, so "slower"
// is four times the work, not a timing assumption; the check counts samples, which other load on the
// machine does not inflate (sampled milliseconds it does, several times over on a busy 2-core box).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { checkCommand } from '../../src/cli/checkCommand';
import type { RegressionVerdict } from '../../src/core/compare/check';
import { runSubcommand } from './runSubcommand';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/compare');
const WORK = path.join(FIXTURES, 'work.js');
const HOT_LINE_TEXT = 'acc = (acc + ((i * 7) ^ (acc >>> 3))) % 1000003;';

/** `hotspots check` as the CLI runs it. */
function check(argv: string[], cwd: string) {
  return runSubcommand(checkCommand, argv, cwd);
}

describe('hotspots check (e2e)', () => {
  let dir: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-check-e2e-'));
    for (const [name, units] of [['small.json', '1'], ['large.json', '4']]) {
      // The median of 3 keeps a moment of heavy load on the machine out of the baseline.
      const saved = await check(['--save-baseline', name, '--runs', '3', WORK, '--', units], dir);
      assert.equal(saved.code, 0, saved.stderr);
    }
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('records a baseline with line texts, fingerprints and the workload', () => {
    const baseline = JSON.parse(fs.readFileSync(path.join(dir, 'small.json'), 'utf8'));
    assert.equal(baseline.version, 1);
    assert.ok(baseline.lines.some((line: { text?: string }) => line.text === HOT_LINE_TEXT));
    assert.ok(baseline.sourceFingerprints[WORK]);
    assert.equal(baseline.workload.script, WORK);
  });

  it('exits 1 and names the hot line when the run is slower than the baseline beyond the threshold', async () => {
    const result = await check(['--baseline', 'small.json', '--max-regression', '10', '--runs', '3', '--json', 'verdict.json', WORK, '--', '4'], dir);
    assert.equal(result.code, 1, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /REGRESSION: \+\d+\.\d% slower than the baseline \(allowed: \+10%\)/);
    assert.match(result.stdout, /Lines responsible[^]*work\.js:8  .*\n +acc = \(acc \+/);
    const verdict = JSON.parse(fs.readFileSync(path.join(dir, 'verdict.json'), 'utf8')) as RegressionVerdict;
    assert.equal(verdict.regressed, true);
    assert.equal(verdict.runsMs.length, 3);
    assert.equal(verdict.medianMs, [...verdict.runsMs].sort((a, b) => a - b)[1]);
    assert.ok(verdict.changePercent > 10);
    // Both lines of the loop take the extra time; which of the two gets more samples varies.
    assert.ok([7, 8].includes(verdict.responsibleLines[0].afterLine!), JSON.stringify(verdict.responsibleLines.slice(0, 3)));
    assert.ok(verdict.responsibleLines.some(line => line.text === HOT_LINE_TEXT && line.deltaMs > 0));
    assert.match(verdict.comparison.warnings.join('\n'), /different arguments/, 'the baseline ran another workload');
  });

  it('exits 0 when the run is not slower than allowed', async () => {
    const result = await check(['--baseline', 'large.json', '--max-regression', '10%', '--runs', '1', '--json', '-', WORK, '1'], dir);
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    const verdict = JSON.parse(result.stdout) as RegressionVerdict;
    assert.equal(verdict.regressed, false);
    assert.equal(verdict.measure, 'samples');
    assert.ok(verdict.changePercent < 0);
    assert.match(result.stderr, /OK: −\d+\.\d% against the baseline \(allowed: \+10%\)/, 'with --json - the text goes to stderr');
  });

  it('exits 2 with one clear line on usage and input errors', async () => {
    const cases: Array<[string[], RegExp]> = [
      [[WORK], /--baseline <file> is required/],
      [['--baseline', 'small.json'], /missing <script>/],
      [['--baseline', 'missing.json', WORK], /missing\.json: cannot be read \(no such file\)/],
      [['--baseline', 'small.json', '--runs', '0', WORK], /--runs must be a positive integer/],
      [['--baseline', 'small.json', '--max-regression', 'lots', WORK], /--max-regression must be a percentage/],
      [['--baseline', 'small.json', '--runs', '1', 'no-such-script.js'], /no-such-script\.js/],
    ];
    for (const [argv, message] of cases) {
      const result = await check(argv, dir);
      assert.equal(result.code, 2, argv.join(' '));
      assert.match(result.stderr, message);
      assert.equal(result.stderr.trim().split('\n').length, 1, `one line, no stack trace: ${result.stderr}`);
    }
  });

  it('exits 2 on a baseline recorded for another script, before running anything', async () => {
    const result = await check(['--baseline', 'small.json', '--runs', '1', path.join(FIXTURES, 'fails.js')], dir);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /the baseline small\.json was recorded for .*work\.js, not .*fails\.js/);
    assert.doesNotMatch(result.stdout + result.stderr, /run 1/, 'nothing ran');
  });

  it('accepts a baseline of the same file checked from another folder', async () => {
    const elsewhere = path.join(dir, 'elsewhere');
    fs.mkdirSync(elsewhere, { recursive: true });
    const result = await check(['--baseline', path.join('..', 'small.json'), '--max-regression', '1000', '--runs', '1', WORK, '--', '1'], elsewhere);
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /run 1\/1/);
  });

  it('exits 2 and shows the output of a script that fails instead of comparing it', async () => {
    // A baseline for that script (it cannot record one itself: it fails).
    const baseline = JSON.parse(fs.readFileSync(path.join(dir, 'small.json'), 'utf8'));
    fs.writeFileSync(path.join(dir, 'fails.json'), JSON.stringify({ ...baseline, workload: { ...baseline.workload, script: path.join(FIXTURES, 'fails.js') } }));
    const result = await check(['--baseline', 'fails.json', '--runs', '1', path.join(FIXTURES, 'fails.js')], dir);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /giving up after \d+/);
    assert.match(result.stderr, /run 1: the script exited with code 3/);
  });
});
