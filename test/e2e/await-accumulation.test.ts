// examples/sequential-awaits.js awaits each request in a counted loop and only adds to a running total
// (`tagKinds += summarize(product)`): not a loop-carried dependency of the next await. lint finds it,
// offers Promise.all-then-add as a suggestion (never a fix), and a profile that measured the waits
// promotes it from hint to a warning that says what the waiting cost.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { lintCommand } from '../../src/cli/lintCommand';
import type { FindingWithWaiting } from '../../src/core/insight/findingWaits';
import { packageRoot } from '../../src/core/paths';
import { runProfileCli } from './profileHelpers';
import { runSubcommand } from './runSubcommand';

test('the running total of examples/sequential-awaits.js is found, suggested, and promoted by its measured waits', async () => {
  const file = path.join(packageRoot(), 'examples', 'sequential-awaits.js');
  const awaitLine = fs.readFileSync(file, 'utf8').split('\n').findIndex(line => line.includes('await fetchProduct(id)')) + 1;
  const unmeasured = JSON.parse((await runSubcommand(lintCommand, ['--format', 'json', file], path.dirname(file))).stdout) as FindingWithWaiting[];
  const [found] = unmeasured.filter(finding => finding.ruleId === 'async/await-in-loop');
  assert.ok(found, JSON.stringify(unmeasured));
  assert.deepEqual([found.line, found.severity, found.fix], [awaitLine, 'hint', null]);
  assert.match(found.suggestions[0].description, /Promise\.all, then apply the updates of `tagKinds` in iteration order/);

  const run = await runProfileCli([file]);
  assert.equal(run.code, 0, run.stderr);
  const reportPath = `${run.outDir}.json`;
  fs.writeFileSync(reportPath, JSON.stringify(run.report));
  const measured = JSON.parse((await runSubcommand(lintCommand, ['--format', 'json', '--profile', reportPath, file], path.dirname(file))).stdout) as FindingWithWaiting[];
  const [promoted] = measured.filter(finding => finding.ruleId === 'async/await-in-loop');
  assert.equal(promoted.severity, 'warning', JSON.stringify(promoted));
  assert.equal(promoted.waiting!.count, 40);
  assert.match(promoted.message, /Measured: 40 waits/);
});
