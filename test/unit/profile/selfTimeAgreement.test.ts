// The report and the flame graph count the same milliseconds for the same frame (one weight function,
// src/core/profile/sampleWeights.ts), on time-delta profiles and on profiles with hit counts only.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { toSpeedscope, type SpeedscopeFile } from '../../../src/core/flame/speedscope';
import { buildReport } from '../../../src/core/profile/model';
import type { CpuProfile } from '../../../src/core/profile/types';

const URL = 'file:///work/agreement.js';
const frame = (functionName: string, lineNumber: number, url = URL) => ({ functionName, scriptId: url ? '3' : '0', url, lineNumber, columnNumber: 0 });

function treeProfile(): CpuProfile {
  return {
    nodes: [
      { id: 1, callFrame: frame('(root)', -1, ''), children: [2] },
      { id: 2, callFrame: frame('work', 3), children: [3, 4] },
      { id: 3, callFrame: frame('inner', 9) },
      { id: 4, callFrame: frame('other', 20) },
    ],
    startTime: 0,
    endTime: 40_000,
    samples: [2, 3, 3, 4, 3, 2],
    // uneven gaps, one negative (counts as zero), and a last sample that lasts one interval
    timeDeltas: [100, 700, 2500, -300, 9000, 1200],
  };
}

/** Self time (µs) per frame name in a speedscope file: the time a frame is the innermost open one. */
function flameSelfTimes(file: SpeedscopeFile): Map<string, number> {
  const self = new Map<string, number>();
  for (const profile of file.profiles) {
    const open: number[] = [];
    let last = profile.startValue;
    for (const event of profile.events) {
      if (open.length > 0 && event.at > last) {
        const name = file.shared.frames[open[open.length - 1]].name;
        self.set(name, (self.get(name) ?? 0) + event.at - last);
      }
      last = event.at;
      if (event.type === 'O') open.push(event.frame);
      else open.pop();
    }
  }
  return self;
}

function assertAgree(profile: CpuProfile): void {
  const report = buildReport([{ path: '/tmp/agreement.cpuprofile', profile }], { command: [], exitCode: null, signal: null, wallMs: 0 });
  const flame = flameSelfTimes(toSpeedscope([{ name: 'p', profile }], { minSubtreeFraction: 0 }));
  assert.ok(report.functions.length >= 2);
  for (const fn of report.functions) {
    const flameMs = Math.round((flame.get(fn.name) ?? 0)) / 1000;
    assert.equal(flameMs, fn.selfMs, `${fn.name}: flame graph ${flameMs} ms, report ${fn.selfMs} ms`);
  }
}

describe('report and flame graph self time agree', () => {
  test('on a profile with samples and time deltas', () => {
    assertAgree(treeProfile());
  });

  test('on a profile with hit counts only (3 + 1 hits over 40 ms: 30 and 10 ms in both)', () => {
    const profile: CpuProfile = { ...treeProfile(), samples: undefined, timeDeltas: undefined };
    profile.nodes[1].hitCount = 3;
    profile.nodes[2].hitCount = 1;
    assertAgree(profile);
    const report = buildReport([{ path: '/tmp/hits.cpuprofile', profile }], { command: [], exitCode: null, signal: null, wallMs: 0 });
    assert.deepEqual(report.functions.map(fn => [fn.name, fn.selfMs]), [['work', 30], ['inner', 10]]);
  });

  test('on a profile with explicit sample weights (pprof)', () => {
    const profile = { ...treeProfile(), sampleWeightsUs: [5000, 250, 250, 1000, 250, 3000] };
    assertAgree(profile as CpuProfile);
  });
});
