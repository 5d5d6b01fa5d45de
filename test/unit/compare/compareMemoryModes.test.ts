// compare with memory when the runs used `--memory=retained`: both still held, or one of each mode.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compareMemory, formatMemoryComparison } from '../../../src/core/compare/compareMemory';
import type { Report, ReportMemory } from '../../../src/core/profile/types';

function report(mode: ReportMemory['mode'], keepBytes: number): Report {
  const memory: ReportMemory = { peakHeapBytes: 0, peakRssBytes: 0, allocatedBytes: keepBytes, retainedBytes: keepBytes, samplingIntervalBytes: 32768, ...(mode ? { mode } : {}) };
  const allocation = { file: '/app/cache.js', line: 3, function: 'remember', allocatedBytes: keepBytes, allocatedPercent: 100, ...(mode ? { retainedBytes: keepBytes } : {}) };
  return { memory, allocations: [allocation], workload: { cwd: '/app' } } as unknown as Report;
}

describe('compareMemory and the --memory=retained mode', () => {
  test('two still-held runs: the rows say held, not allocated', () => {
    const comparison = compareMemory(report('retained', 4 << 20), report('retained', 1 << 20))!;
    assert.equal(comparison.stillHeld, true);
    assert.equal(comparison.mismatch, undefined);
    const text = formatMemoryComparison(comparison, { top: 5, cwd: '/app' });
    assert.match(text, /^ {2}held \(sampled\) +4\.0 MB → +1\.0 MB/m);
    assert.match(text, /^Bytes still held changed most/m);
  });

  test('one run of each mode: a note says the per-function bytes do not compare', () => {
    const comparison = compareMemory(report(undefined, 40 << 20), report('retained', 1 << 20))!;
    assert.equal(comparison.stillHeld, undefined);
    assert.match(comparison.mismatch!, /^before sampled every allocation, after what was still held/);
    assert.match(formatMemoryComparison(comparison, { top: 5, cwd: '/app' }), /note: before sampled every allocation/);
  });

  test('two allocated runs: unchanged', () => {
    const comparison = compareMemory(report(undefined, 2 << 20), report(undefined, 3 << 20))!;
    assert.equal(comparison.stillHeld, undefined);
    assert.equal(comparison.mismatch, undefined);
    assert.match(formatMemoryComparison(comparison, { top: 5, cwd: '/app' }), /^ {2}allocated /m);
  });
});
