// The async case of the method, end to end on examples/sequential-awaits.js: profile, see the await line
// top "Top waits", run the requests together (Promise.all), and `compare` by elapsed time.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { checkCommand } from '../../src/cli/checkCommand';
import { compareCommand } from '../../src/cli/compareCommand';
import type { Comparison } from '../../src/core/compare/compare';
import { packageRoot } from '../../src/core/paths';
import type { Report } from '../../src/core/profile/types';
import { runSubcommand } from './runSubcommand';

const EXAMPLE = path.join(packageRoot(), 'examples', 'sequential-awaits.js');
const AWAIT_LINE_TEXT = 'const product = await fetchProduct(id); // slow: waits for each request before starting the next';

/** The fix the example's last comment describes, made in place as a user would. */
function fixedSource(source: string): string {
  const fixed = source
    .replace('  for (let id = 0; id < 40; id++) {\n', '  const products = await Promise.all(Array.from({ length: 40 }, (_, id) => fetchProduct(id)));\n  for (const product of products) {\n')
    .replace(`    ${AWAIT_LINE_TEXT}\n`, '');
  assert.notEqual(fixed, source, 'the example still has the sequential loop');
  return fixed;
}

describe('sequential awaits before/after their fix (e2e)', () => {
  let dir: string;
  let beforeReport: Report;
  let comparison: Comparison;
  let textOutput: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-waits-compare-'));
    const script = path.join(dir, 'sequential-awaits.js');
    fs.copyFileSync(EXAMPLE, script);
    // Medians of 3 runs per side: the machine running the tests may be busy with other work.
    const first = await runSubcommand(checkCommand, ['--save-baseline', 'before.json', '--runs', '3', 'sequential-awaits.js'], dir);
    assert.equal(first.code, 0, first.stderr);
    beforeReport = JSON.parse(fs.readFileSync(path.join(dir, 'before.json'), 'utf8'));
    fs.writeFileSync(script, fixedSource(fs.readFileSync(script, 'utf8')));
    const second = await runSubcommand(checkCommand, ['--save-baseline', 'after.json', '--runs', '3', 'sequential-awaits.js'], dir);
    assert.equal(second.code, 0, second.stderr);
    const compared = await runSubcommand(compareCommand, ['before.json', 'after.json', '--json', 'comparison.json'], dir);
    assert.equal(compared.code, 0, compared.stderr);
    textOutput = compared.stdout;
    comparison = JSON.parse(fs.readFileSync(path.join(dir, 'comparison.json'), 'utf8'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('before the fix, the await line tops the waits', () => {
    const [top] = beforeReport.waits ?? [];
    assert.ok(top, 'the report has waits');
    assert.equal(top.text, AWAIT_LINE_TEXT);
    assert.equal(top.count, 40);
    assert.equal(top.function, 'main');
    assert.ok(top.blockedPercent > 30, `most of the run waits on it: ${top.blockedPercent}%`);
  });

  it('compare judges by elapsed time: at least 3× faster, with busy and waiting beside it', () => {
    assert.equal(comparison.measure, 'elapsed');
    for (const side of [comparison.before, comparison.after]) {
      for (const key of ['wallMs', 'busyMs', 'blockedMs'] as const) assert.equal(typeof side[key], 'number', key);
    }
    assert.ok(Math.abs(comparison.speedup! - comparison.before.wallMs! / comparison.after.wallMs!) < 0.01);
    // ≥ 3× on a machine that runs the program at its own speed. When other jobs starve the CPU (load per
    // core above 1.5) the CPU half of the program stretches several times over: the waiting is still gone (below).
    const overloaded = os.loadavg()[0] / os.cpus().length > 1.5;
    if (!overloaded) assert.ok(comparison.speedup! >= 3, `speedup ${comparison.speedup} (load ${os.loadavg()[0]}): ${JSON.stringify([comparison.before, comparison.after])}`);
    assert.ok(comparison.after.blockedMs! < comparison.before.blockedMs! / 5);
    assert.match(textOutput, /elapsed \(busy .*, waiting .*\).*faster/);
  });

  it('the await line\'s blocked time is gone in the comparison', () => {
    const line = comparison.waits?.find(wait => wait.text === AWAIT_LINE_TEXT);
    assert.ok(line, JSON.stringify(comparison.waits));
    assert.equal(line.afterLine, null, 'the line was rewritten');
    assert.ok(line.beforeMs > 0 && line.afterMs === 0 && line.deltaMs === -line.beforeMs);
    for (const key of ['file', 'beforeLine', 'afterLine', 'text', 'beforeMs', 'afterMs', 'deltaMs']) assert.ok(key in line, key);
    assert.match(textOutput, /Await lines whose waiting changed most/);
  });

  it('check against the fixed baseline: the sequential version regresses by elapsed time, and the await line that waits more explains it', async () => {
    fs.copyFileSync(EXAMPLE, path.join(dir, 'sequential-awaits.js'));
    const result = await runSubcommand(checkCommand, ['--baseline', 'after.json', '--runs', '1', 'sequential-awaits.js'], dir);
    assert.equal(result.code, 1, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /^run 1\/1: .* busy, [\d.]+ ms elapsed\)$/m, 'each run says its elapsed time, the measure of the verdict');
    assert.match(result.stdout, /judged by elapsed time/);
    assert.match(result.stdout, /Await lines whose waiting changed most[^]*sequential-awaits\.js:\d+ \(new\)[^]*await fetchProduct\(id\)/, result.stdout);
  });
});
