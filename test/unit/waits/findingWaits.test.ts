import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeWaiting, estimateSaving } from '../../../src/core/insight/findingWaits';
import type { ReportWait } from '../../../src/core/profile/types';

const wait = (line: number, count: number, blockedMs: number, maxWaitMs: number): ReportWait =>
  ({ file: '/w/a.js', line, function: 'main', count, waitMs: blockedMs, maxWaitMs, blockedMs, blockedPercent: 0 });

test('a loop\'s awaits one after another: run together ≈ the longest single wait', () => {
  const estimate = estimateSaving('async/await-in-loop', [wait(5, 40, 812, 25)], 1000)!;
  assert.deepEqual(estimate, { count: 40, blockedMs: 812, togetherMs: 25, savedMs: 787, savedPercent: 78.7 });
  assert.match(describeWaiting(estimate), /^Measured: 40 waits, 812 ms one after another; run together ≈ 25 ms \(saves ≈ 787 ms, 79% of the run\)\. This is an estimate: it does not apply when the awaits share a rate-limited resource/);
});

test('a run of sequential await statements: together ≈ the longest line', () => {
  const estimate = estimateSaving('async/sequential-awaits', [wait(3, 10, 200, 20), wait(4, 10, 100, 10)], 400)!;
  assert.equal(estimate.togetherMs, 200);
  assert.equal(estimate.savedMs, 100);
  assert.equal(estimate.savedPercent, 25);
});

test('no waits measured: no estimate', () => {
  assert.equal(estimateSaving('async/await-in-loop', [], 100), undefined);
});
