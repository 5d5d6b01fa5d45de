// lint --profile with a report that measured waits: the async finding carries the blocked time of its
// await line and the estimate of running the awaits together, and ranks by it.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';
import { lintCommand } from '../../src/cli/lintCommand';
import type { FindingWithWaiting } from '../../src/core/insight/findingWaits';
import { FIXTURES, fixture, runProfileCli } from './profileHelpers';
import { runSubcommand } from './runSubcommand';

test('lint --profile ranks async/* findings by their measured waiting and estimates the saving', async () => {
  const file = fixture('waits', 'nested.js');
  const run = await runProfileCli([file]);
  assert.equal(run.code, 0, run.stderr);
  const reportPath = `${run.outDir}.json`;
  fs.writeFileSync(reportPath, JSON.stringify(run.report));
  const linted = await runSubcommand(lintCommand, ['--format', 'json', '--profile', reportPath, file, fixture('waits', 'concurrent.js')], FIXTURES);
  const findings = JSON.parse(linted.stdout) as FindingWithWaiting[];
  const [top] = findings;
  assert.equal(top.ruleId, 'async/await-in-loop', linted.stdout);
  assert.equal(top.file, file);
  assert.equal(top.severity, 'warning', 'a loop that waited ran: its severity is kept');
  assert.equal(top.measured, 'sampled');
  assert.equal(top.waiting!.count, 8);
  assert.ok(top.waitingMs! > 0 && top.waiting!.togetherMs < top.waiting!.blockedMs / 3, JSON.stringify(top.waiting));
  assert.match(top.message, /Measured: 8 waits, [\d.]+ ms one after another; run together ≈ [\d.]+ ms \(saves ≈ [\d.]+ ms, \d+% of the run\)\. This is an estimate/);
});
