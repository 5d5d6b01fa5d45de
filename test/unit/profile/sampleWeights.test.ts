// Honest sample weights: a sample on a loaded machine never stands for a descheduling gap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { toSpeedscope } from '../../../src/core/flame/speedscope';
import { readCpuProfileFileSync } from '../../../src/core/profile/cpuprofile';
import { buildReport } from '../../../src/core/profile/model';
import { cappedSampleWeights, estimateSampleIntervalUs, sampleWeightCapUs } from '../../../src/core/profile/sampleWeights';
import type { CpuProfile } from '../../../src/core/profile/types';

const fixtures = path.resolve(__dirname, '../../../../test/fixtures/profiles');
const options = { command: [], exitCode: 0, signal: null, wallMs: 0 };

test('a sample stands for at most a few intervals; the rest of the gap is unsampled time', () => {
  const deltas = [500, 1000, 489_000, 1000, -3, 1000];
  const { weights, unsampledUs } = cappedSampleWeights(deltas, deltas.length, 1000);
  assert.deepEqual(Array.from(weights), [1000, 4000, 1000, 0, 1000, 1000], 'the last sample lasts one interval; negative deltas weigh 0');
  assert.equal(unsampledUs, 485_000);
  assert.equal(sampleWeightCapUs(100), 400);
});

test('the interval of a foreign profile is the median delta, snapped to a round value, not the mean', () => {
  // On a busy machine the mean of a 1000 µs profile was 1753 µs: a few huge gaps pull it up.
  const deltas = [0, ...Array.from({ length: 99 }, (_, i) => 1000 + (i % 7) * 20), 40_000, 30_000];
  assert.ok(deltas.reduce((a, b) => a + b, 0) / deltas.length > 1700);
  assert.equal(estimateSampleIntervalUs(deltas), 1000);
  assert.equal(estimateSampleIntervalUs([0, 97, 103, 101]), 100);
  assert.equal(estimateSampleIntervalUs([0, 333, 333, 333]), 333);
  assert.equal(estimateSampleIntervalUs([]), 1000);
});

test('hand-built loaded-machine profile: one sample before a 489 ms gap stays one sample, report and flame graph agree', () => {
  const file = path.join(fixtures, 'loaded-machine.cpuprofile');
  const profile = readCpuProfileFileSync(file);
  const report = buildReport([{ path: file, profile }], options);
  assert.equal(report.sampleIntervalUs, 1000);
  const isRoot = report.lines.find(line => line.line === 21);
  assert.deepEqual([isRoot?.selfMs, isRoot?.hits], [4, 1], 'capped at 4 intervals, one hit');
  assert.equal(report.lines[0].line, 12, 'the line that really ran is on top');
  assert.ok(report.lines[0].selfPercent > 85, String(report.lines[0].selfPercent));
  assert.equal(report.categories.unsampledMs, 731, '485 ms + 246 ms of gaps beyond the cap');
  assert.equal(report.categories.programMs, 4, 'the program sample before the 250 ms gap is capped too');
  const categorySum = report.categories.userMs + report.categories.nodeInternalsMs + report.categories.gcMs + report.categories.idleMs + report.categories.programMs;
  assert.equal(report.totalSampledMs, Math.round(categorySum * 1000) / 1000, 'unsampled time is not sampled time');

  // The flame graph weighs the same samples the same way.
  const plain: CpuProfile = { ...profile, samples: Array.from(profile.samples), timeDeltas: Array.from(profile.timeDeltas) };
  const flame = toSpeedscope([{ name: 'main', profile: plain }]);
  const frames = flame.shared.frames;
  const events = flame.profiles[0].events;
  const isRootFrame = frames.findIndex(frame => frame.name === 'get isRoot');
  const open = events.find(event => event.type === 'O' && event.frame === isRootFrame)!;
  const close = events.find(event => event.type === 'C' && event.frame === isRootFrame)!;
  assert.equal(close.at - open.at, 4000);
  assert.equal(flame.profiles[0].endValue / 1000, report.totalSampledMs);
});
