import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareReports } from '../../../src/core/compare/compare';
import { chooseMeasure, evaluateRegression } from '../../../src/core/compare/check';
import type { Report, ReportWait } from '../../../src/core/profile/types';
import { comparedWaitLines } from '../../../src/host/waitComparison';

const FILE = '/w/app.js';

function report(elapsedMs: number, busyMs: number, blockedMs: number, waits: ReportWait[], source: string[]): Report {
  return {
    version: 1,
    command: ['node', 'app.js'],
    exitCode: 0,
    signal: null,
    wallMs: elapsedMs + 40,
    elapsedMs,
    sampleIntervalUs: 1000,
    totalSampledMs: busyMs + blockedMs,
    categories: { userMs: busyMs, nodeInternalsMs: 0, gcMs: 0, idleMs: blockedMs, programMs: 0, blockedMs },
    processes: [],
    lines: [{ file: FILE, line: 1, selfMs: busyMs, selfPercent: 100, hits: busyMs, function: 'work', text: source[0] }],
    functions: [],
    warnings: [],
    waits,
    sourceFingerprints: undefined,
  };
}
const wait = (line: number, blockedMs: number, text: string): ReportWait => ({ file: FILE, line, function: 'main', count: 40, waitMs: blockedMs, blockedMs, blockedPercent: 0, text });

test('compare: speedup by elapsed time, busy and blocked beside it, await lines matched across edits', () => {
  const before = report(1000, 150, 820, [wait(3, 820, 'const p = await fetchProduct(id);')], ['work();', 'for (const id of ids) {', 'const p = await fetchProduct(id);']);
  const after = report(250, 160, 25, [wait(4, 25, 'const all = await Promise.all(ids.map(fetchProduct));')], ['work();', '// fixed', 'for (const id of ids) {', 'const all = await Promise.all(ids.map(fetchProduct));']);
  const comparison = compareReports(before, after);
  assert.equal(comparison.measure, 'elapsed');
  assert.equal(comparison.speedup, 4);
  assert.deepEqual([comparison.before.wallMs, comparison.before.busyMs, comparison.before.blockedMs], [1000, 150, 820]);
  assert.deepEqual([comparison.after.wallMs, comparison.after.busyMs, comparison.after.blockedMs], [250, 160, 25]);
  const [gone, added] = comparison.waits!;
  assert.deepEqual(gone, { file: FILE, beforeLine: 3, afterLine: null, text: 'const p = await fetchProduct(id);', beforeMs: 820, afterMs: 0, deltaMs: -820 });
  assert.equal(added.afterLine, 4);
  assert.equal(added.afterMs, 25);
});

test('compare: busy beside the elapsed time leaves out the start-up before the first file, as the elapsed time does', () => {
  // 40 ms of the 150 ms busy were Node starting and loading the entry, before the program's 1000 ms began.
  const before = { ...report(1000, 150, 820, [], ['x']), startupMs: 40 };
  const after = report(250, 160, 25, [], ['x']);
  const comparison = compareReports(before, after);
  assert.deepEqual([comparison.before.wallMs, comparison.before.busyMs, comparison.before.blockedMs], [1000, 110, 820]);
  assert.equal(comparison.after.busyMs, 160, 'a report without startupMs (older, or no program start) keeps all its busy time');
});

test('compare without elapsed times (older reports) stays by busy time', () => {
  const before = { ...report(1000, 300, 0, [], ['x']), elapsedMs: undefined };
  const after = { ...report(900, 100, 0, [], ['x']), elapsedMs: undefined };
  const comparison = compareReports(before, after);
  assert.equal(comparison.measure, 'busy');
  assert.equal(comparison.speedup, 3);
});

test('check judges by elapsed time when a run waits noticeably on its awaits, by samples otherwise', () => {
  const baseline = report(250, 160, 25, [], ['x']);
  const slower = report(1000, 150, 820, [], ['x']);
  assert.equal(chooseMeasure([baseline, slower]), 'elapsed');
  const verdict = evaluateRegression(baseline, [slower, slower, slower], 10);
  assert.equal(verdict.measure, 'elapsed');
  assert.equal(verdict.medianMs, 1000);
  assert.ok(verdict.regressed);
  const cpuOnly = report(250, 200, 0, [], ['x']);
  assert.equal(chooseMeasure([cpuOnly, cpuOnly]), 'samples');
});

test('editor comparison annotations: await lines become compared lines marked as waiting, shares of elapsed time', () => {
  const before = report(1000, 150, 820, [wait(3, 820, 'const p = await fetchProduct(id);')], ['work();', 'x', 'const p = await fetchProduct(id);']);
  const after = report(250, 160, 25, [wait(3, 25, 'const p = await fetchProduct(id);')], ['work();', 'x', 'const p = await fetchProduct(id);']);
  const [line] = comparedWaitLines(compareReports(before, after));
  assert.equal(line.waiting, true);
  assert.deepEqual([line.beforeLine, line.afterLine, line.beforeMs, line.afterMs, line.deltaMs], [3, 3, 820, 25, -795]);
  assert.deepEqual([line.beforePercent, line.afterPercent], [82, 10]);
});
