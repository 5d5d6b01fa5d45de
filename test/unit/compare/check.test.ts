import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { evaluateRegression, median, medianRunIndex, toSampleTimes } from '../../../src/core/compare/check';
import { describeOverall } from '../../../src/core/compare/format';
import { attachSourceContext } from '../../../src/core/compare/sourceContext';
import type { Report } from '../../../src/core/profile/types';

const FILE = '/project/work.js';
const SOURCE = ['function churn(n) {', '  let acc = 0;', '  for (let i = 0; i < n; i++) acc = step(acc, i);', '  return acc;', '}'].join('\n');

/** A report whose busy time is `loopMs` on the loop line plus 10 ms on the return line. */
function run(loopMs: number, idleMs = 50): Report {
  const busy = loopMs + 10;
  return attachSourceContext({
    version: 1, command: ['node', 'work.js'], exitCode: 0, signal: null, wallMs: busy + idleMs, sampleIntervalUs: 1000,
    totalSampledMs: busy + idleMs,
    categories: { userMs: busy, nodeInternalsMs: 0, gcMs: 0, idleMs, programMs: 0 },
    processes: [],
    lines: [
      { file: FILE, line: 3, selfMs: loopMs, selfPercent: (loopMs / busy) * 100, hits: loopMs, function: 'churn' },
      { file: FILE, line: 4, selfMs: 10, selfPercent: (10 / busy) * 100, hits: 10, function: 'churn' },
    ],
    functions: [{ name: 'churn', file: FILE, line: 1, selfMs: busy, totalMs: busy, selfPercent: 100, totalPercent: 100 }],
    warnings: [],
  } as Report, file => (file === FILE ? SOURCE : undefined)) as Report;
}

describe('median of runs', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.throws(() => median([]), RangeError);
  });

  it('explains the verdict with the median run (the lower middle for an even count)', () => {
    assert.equal(medianRunIndex([300, 100, 200]), 2);
    assert.equal(medianRunIndex([400, 100, 300, 200]), 3);
  });
});

describe('evaluateRegression', () => {
  it('flags a median slower than the baseline beyond the threshold and names the line responsible', () => {
    // Busy times 110 (baseline) vs runs 150, 300, 160: the median 160 is +45 %; the outlier is ignored.
    const verdict = evaluateRegression(run(100), [run(140), run(290), run(150)], 10);
    assert.equal(verdict.version, 1);
    assert.equal(verdict.baselineMs, 110);
    assert.deepEqual(verdict.runsMs, [150, 300, 160]);
    assert.equal(verdict.medianMs, 160);
    assert.equal(verdict.changePercent, 45.45);
    assert.equal(verdict.regressed, true);
    assert.deepEqual(verdict.responsibleLines.map(l => [l.afterLine, l.deltaMs, l.text]), [[3, 50, 'for (let i = 0; i < n; i++) acc = step(acc, i);']]);
    assert.equal(verdict.comparison.after.totalMs, 160, 'the comparison is against the median run');
  });

  it('passes a run within the threshold, and a faster one', () => {
    const within = evaluateRegression(run(100), [run(105)], 10);
    assert.equal(within.regressed, false);
    assert.equal(within.changePercent, 4.55);
    assert.equal(evaluateRegression(run(100), [run(20)], 0).regressed, false);
  });

  it('uses the threshold as an upper bound: exactly at it is not a regression', () => {
    assert.equal(evaluateRegression(run(100), [run(111)], 10).regressed, false);
    assert.equal(evaluateRegression(run(100), [run(112)], 10).regressed, true);
  });

  it('counts samples, so a run slowed only by other load on the machine is not a regression', () => {
    // Same samples (hits) as the baseline, but every sample lasted twice as long: the wall clock was
    // shared with another job.
    const contended = run(100);
    contended.totalSampledMs = 2 * (contended.totalSampledMs - contended.categories.idleMs) + contended.categories.idleMs;
    contended.lines = contended.lines.map(line => ({ ...line, selfMs: line.selfMs * 2 }));
    const verdict = evaluateRegression(run(100), [contended], 10);
    assert.equal(verdict.measure, 'samples');
    assert.equal(verdict.changePercent, 0);
    assert.equal(verdict.regressed, false);
    assert.deepEqual(verdict.comparison.lines.map(l => l.deltaMs), [0, 0], 'line times are sample times too');
  });

  it('gives the speedup in the verdict\'s own measure, not by elapsed time (one verdict, one measure)', () => {
    // 8 % more samples of your code, but the run's elapsed time was 25 % shorter (it waited less):
    // the verdict and its "× slower" both follow the samples.
    const baseline = { ...run(100), elapsedMs: 400 };
    const now = { ...run(108.8), elapsedMs: 300 };
    const verdict = evaluateRegression(baseline, [now], 10);
    assert.equal(verdict.measure, 'samples');
    assert.equal(verdict.changePercent, 8);
    assert.equal(verdict.comparison.measure, 'busy');
    assert.equal(describeOverall(verdict.comparison), '1.08× slower (+8.0%)');
    assert.equal(verdict.comparison.after.wallMs, 300, 'the elapsed figures are still reported');
  });

  it('falls back to busy time when the reports list no samples', () => {
    const withoutHits = (report: Report): Report => ({ ...report, lines: report.lines.map(line => ({ ...line, hits: 0 })) });
    const verdict = evaluateRegression(withoutHits(run(100)), [withoutHits(run(200))], 10);
    assert.equal(verdict.measure, 'busy');
    assert.equal(verdict.baselineMs, 110);
    assert.equal(verdict.medianMs, 210);
    assert.equal(verdict.regressed, true);
  });

  it('refuses a baseline without busy time', () => {
    const empty = run(0);
    empty.totalSampledMs = 50;
    empty.categories.idleMs = 50;
    assert.throws(() => evaluateRegression(empty, [run(10)], 10), /sampled no busy time/);
  });
});

describe('toSampleTimes', () => {
  it('re-expresses line times as hits × interval and scales functions like the lines', () => {
    const report = run(100);
    report.sampleIntervalUs = 500;
    report.lines = report.lines.map(line => ({ ...line, selfMs: line.selfMs * 3 }));
    const sampled = toSampleTimes(report);
    assert.deepEqual(sampled.lines.map(l => l.selfMs), [50, 5]);
    assert.equal(sampled.totalSampledMs, 55);
    assert.equal(sampled.categories.idleMs, 0);
    assert.equal(sampled.functions[0].selfMs, 110 * (55 / 330));
    assert.equal(Math.round(sampled.lines[0].selfPercent * 100) / 100, 90.91);
  });
});

describe('describeOverall', () => {
  it('says faster or slower with the ratio and the change in percent', () => {
    const verdict = (beforeMs: number, afterMs: number) => evaluateRegression(run(beforeMs - 10), [run(afterMs - 10)], 10).comparison;
    assert.equal(describeOverall(verdict(200, 100)), '2.00× faster (−50.0%)');
    assert.equal(describeOverall(verdict(100, 150)), '1.50× slower (+50.0%)');
    assert.equal(describeOverall(verdict(100, 100)), 'no change');
  });
});
