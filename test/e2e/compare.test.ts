// End-to-end: profile a program, fix it (lines inserted above, the hot lines rewritten), profile again,
// and compare the two runs through the `hotspots compare` command.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { checkCommand } from '../../src/cli/checkCommand';
import { compareCommand } from '../../src/cli/compareCommand';
import type { Comparison } from '../../src/core/compare/compare';
import { profileScript } from '../../src/core/profile/runReport';
import { runSubcommand } from './runSubcommand';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/compare');

describe('hotspots compare (e2e)', () => {
  let dir: string;
  let comparison: Comparison;
  let textOutput: string;
  const afterLines = fs.readFileSync(path.join(FIXTURES, 'dedupe-after.js'), 'utf8').split('\n');

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-compare-'));
    const script = path.join(dir, 'dedupe.js');
    fs.copyFileSync(path.join(FIXTURES, 'dedupe-before.js'), script);
    const baseline = await runSubcommand(checkCommand, ['--save-baseline', 'before.json', '--runs', '1', 'dedupe.js'], dir);
    assert.equal(baseline.code, 0, baseline.stderr);
    // The fix, made in place as a user would: the report of the first run refers to the old text.
    fs.copyFileSync(path.join(FIXTURES, 'dedupe-after.js'), script);
    const second = await runSubcommand(checkCommand, ['--save-baseline', 'after.json', '--runs', '1', 'dedupe.js'], dir);
    assert.equal(second.code, 0, second.stderr);
    const compared = await runSubcommand(compareCommand, ['before.json', 'after.json', '--json', 'comparison.json'], dir);
    assert.equal(compared.code, 0, compared.stderr);
    textOutput = compared.stdout;
    comparison = JSON.parse(fs.readFileSync(path.join(dir, 'comparison.json'), 'utf8'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes Comparison JSON v1 with the overall change', () => {
    assert.equal(comparison.version, 1);
    assert.ok(comparison.before.totalMs > 0 && comparison.after.totalMs > 0);
    // speedup is the ratio of elapsed times (computed before rounding them to 0.01 ms); a CPU-bound fix
    // is judged right by it too: busy time fell with it.
    assert.equal(comparison.measure, 'elapsed');
    assert.ok(Math.abs(comparison.speedup! - comparison.before.wallMs! / comparison.after.wallMs!) < 0.01);
    assert.ok(comparison.speedup! > 1 && comparison.after.totalMs < comparison.before.totalMs);
    for (const key of ['file', 'beforeLine', 'afterLine', 'text', 'beforeMs', 'afterMs', 'deltaMs']) {
      assert.ok(key in comparison.lines[0], `lines[] has ${key}`);
    }
  });

  it('reports the rewritten hot line as gone, with the largest change first', () => {
    const top = comparison.lines[0];
    assert.equal(top.text, 'if (out.indexOf(x) < 0) out.push(x);');
    assert.equal(top.beforeLine, 7);
    assert.equal(top.afterLine, null);
    assert.ok(top.beforeMs > 0 && top.afterMs === 0 && top.deltaMs < 0);
    const sizes = comparison.lines.map(l => Math.abs(l.deltaMs));
    assert.deepEqual(sizes, [...sizes].sort((a, b) => b - a));
  });

  it('keeps lines that only moved: each moved by the two inserted lines and shows the current text', () => {
    const inScript = comparison.lines.filter(l => path.basename(l.file) === 'dedupe.js');
    const onBothSides = inScript.filter(l => l.beforeLine !== null && l.afterLine !== null);
    for (const line of onBothSides) {
      assert.equal(line.afterLine! - line.beforeLine!, 2, JSON.stringify(line));
      assert.equal(line.text, afterLines[line.afterLine! - 1].trim());
    }
    // The reports carry a fingerprint of the whole file, so even lines that had no samples before are
    // placed: only inserted or rewritten lines are new.
    for (const line of inScript.filter(l => l.beforeLine === null)) {
      assert.ok([1, 2, 3, 7, 9].includes(line.afterLine!), `only inserted or rewritten lines are new: ${JSON.stringify(line)}`);
    }
    assert.deepEqual(comparison.warnings, []);
  });

  it('prints the overall change and the lines that changed most', () => {
    assert.match(textOutput, /^Before: .* elapsed \(busy .*\) {3}After: .* elapsed \(busy /);
    assert.match(textOutput, /▼ +−[\d.]+ ms  dedupe\.js:7 \(gone\)  [\d.]+ ms [\d.]+% → 0\.0 ms 0\.0%\n +if \(out\.indexOf\(x\) < 0\)/);
    assert.match(textOutput, /out\.indexOf\(x\)/);
  });

  it('accepts raw .cpuprofile files', async () => {
    const outDir = path.join(dir, 'raw');
    const { result } = await profileScript({ script: path.join(FIXTURES, 'work.js'), args: ['1'], cwd: dir, outDir });
    const profile = result.profiles[0];
    const same = await runSubcommand(compareCommand, [profile, profile, '--json', '-'], dir);
    assert.equal(same.code, 0, same.stderr);
    const selfComparison = JSON.parse(same.stdout) as Comparison;
    assert.equal(selfComparison.speedup, 1);
    assert.ok(selfComparison.lines.length > 0);
    assert.ok(selfComparison.lines.every(l => l.deltaMs === 0 && l.beforeLine === l.afterLine));
    assert.match(same.stderr, /Before: /, 'with --json - the text goes to stderr');
    assert.match(selfComparison.warnings.join('\n'), /no line text \(older report or \.cpuprofile\); assumed the file on disk .*work\.js/);
  });

  it('exits 2 with one clear line for missing or malformed input', async () => {
    fs.writeFileSync(path.join(dir, 'broken.json'), '{"version": 2}');
    const cases: Array<[string[], RegExp]> = [
      [['before.json'], /expected two reports/],
      [['before.json', 'nope.json'], /nope\.json: cannot be read \(no such file\)/],
      [['before.json', 'broken.json'], /broken\.json: not a Hotspots report \(version 2, expected 1\)/],
      [['before.json', 'after.json', '--top', '0'], /--top must be a positive integer/],
      [['before.json', 'after.json', '--frobnicate'], /unknown option --frobnicate/],
    ];
    for (const [argv, message] of cases) {
      const result = await runSubcommand(compareCommand, argv, dir);
      assert.equal(result.code, 2, argv.join(' '));
      assert.match(result.stderr, message);
      assert.equal(result.stderr.trim().split('\n').length, 1, 'one line, no stack trace');
    }
  });
});
