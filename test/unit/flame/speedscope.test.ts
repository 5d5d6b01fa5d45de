import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, test } from 'node:test';
import Ajv from 'ajv';
import { toSpeedscope, type SpeedscopeFile } from '../../../src/core/flame/speedscope';
import type { CpuProfile } from '../../../src/core/profile/types';
import { sampleProfile } from './sampleRun';

const URL = 'file:///work/app.js';
const schema = JSON.parse(fs.readFileSync(require.resolve('speedscope/dist/release/file-format-schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

/**
 * Replays a profile's open/close events: the time between two events belongs to the stack open at that
 * moment. Returns stacks as readable strings ("main > hotLoop") with their time, in order of appearance.
 */
function weightedStacks(file: SpeedscopeFile, profileIndex = 0): Map<string, number> {
  const profile = file.profiles[profileIndex];
  const stacks = new Map<string, number>();
  const open: number[] = [];
  let last = profile.startValue;
  for (const event of profile.events) {
    assert.ok(event.at >= last, 'events are in time order');
    if (event.at > last && open.length > 0) {
      const key = open.map(index => file.shared.frames[index].name).join(' > ');
      stacks.set(key, (stacks.get(key) ?? 0) + (event.at - last));
    }
    last = event.at;
    if (event.type === 'O') open.push(event.frame);
    else assert.equal(open.pop(), event.frame, 'a close matches the innermost open frame');
  }
  assert.deepEqual(open, [], 'every frame is closed');
  assert.equal(last, profile.endValue);
  return stacks;
}

describe('toSpeedscope', () => {
  test('writes a file that validates against speedscope\'s published schema', () => {
    const file = toSpeedscope([{ name: 'main', profile: sampleProfile(URL) }]);
    assert.equal(validate(file), true, JSON.stringify(validate.errors));
  });

  test('merges the samples of each stack into one span and leaves idle time out', () => {
    const file = toSpeedscope([{ name: 'main', profile: sampleProfile(URL) }]);
    const profile = file.profiles[0];
    assert.deepEqual(
      [...weightedStacks(file)].sort(),
      [['(garbage collector)', 5000], ['(program)', 3000], ['main > coldPath', 20000], ['main > hotLoop', 70000]].sort(),
    );
    assert.equal(profile.events.length, 10, '148 raw samples become one open and one close per call-tree node');
    assert.equal(profile.endValue, 98000);
    assert.equal(profile.unit, 'microseconds');
    assert.ok(!file.shared.frames.some(frame => frame.name === '(root)' || frame.name === '(idle)'));
  });

  test('emits samples in call-tree order so the time-ordered view reads like a call tree', () => {
    const file = toSpeedscope([{ name: 'main', profile: sampleProfile(URL) }]);
    assert.deepEqual([...weightedStacks(file).keys()], ['main > hotLoop', 'main > coldPath', '(garbage collector)', '(program)']);
  });

  test('frames carry 1-based generated locations, and a mapper replaces them with original ones', () => {
    const unmapped = toSpeedscope([{ name: 'main', profile: sampleProfile(URL) }]);
    assert.deepEqual(unmapped.shared.frames.find(frame => frame.name === 'hotLoop'), { name: 'hotLoop', file: '/work/app.js', line: 5, col: 17 });

    const mapped = toSpeedscope([{ name: 'main', profile: sampleProfile(URL) }], {
      mapLocation: (url, line0) => (line0 === 4 ? { file: '/work/src/app.ts', line: 9 } : undefined),
    });
    assert.deepEqual(mapped.shared.frames.find(frame => frame.name === 'hotLoop'), { name: 'hotLoop', file: '/work/src/app.ts', line: 9 });
    assert.equal(mapped.shared.frames.find(frame => frame.name === 'coldPath')?.file, '/work/app.js', 'unmapped frames keep the script');
  });

  test('a mapper that throws falls back to generated locations instead of losing the graph', () => {
    const file = toSpeedscope([{ name: 'main', profile: sampleProfile(URL) }], {
      mapLocation: () => {
        throw new Error('broken source map');
      },
    });
    assert.equal(file.shared.frames.find(frame => frame.name === 'hotLoop')?.line, 5);
  });

  test('nodes that map to the same frame share it', () => {
    const profile = sampleProfile(URL);
    // Two hotLoop nodes at different generated columns of the same line: one source location.
    profile.nodes[1].children = [3, 4, 8];
    profile.nodes.push({ id: 8, callFrame: { ...profile.nodes[2].callFrame, columnNumber: 40 } });
    profile.samples!.push(8, 8);
    profile.timeDeltas!.push(1000, 1000);
    profile.endTime = profile.samples!.length * 1000;
    const file = toSpeedscope([{ name: 'main', profile }], { mapLocation: (url, line0) => ({ file: '/work/src/app.ts', line: line0 + 1 }) });
    assert.equal(weightedStacks(file).get('main > hotLoop'), 72000, 'both nodes are the same frame under main');
    assert.equal(file.shared.frames.filter(frame => frame.name === 'hotLoop').length, 1);
  });

  test('one profile per process, frames shared between them', () => {
    const file = toSpeedscope([
      { name: 'main 1', profile: sampleProfile(URL) },
      { name: 'worker 2', profile: sampleProfile(URL) },
    ]);
    assert.deepEqual(file.profiles.map(profile => profile.name), ['main 1', 'worker 2']);
    assert.equal(file.shared.frames.filter(frame => frame.name === 'hotLoop').length, 1);
    assert.deepEqual(file.profiles[0].events, file.profiles[1].events);
  });

  test('negative time deltas count as zero and profiles without samples use hit counts', () => {
    const withNegative = sampleProfile(URL);
    withNegative.timeDeltas![1] = -500; // sample 0 (hotLoop) ends "before" it started
    assert.equal(weightedStacks(toSpeedscope([{ name: 'p', profile: withNegative }])).get('main > hotLoop'), 69000);

    const hitsOnly: CpuProfile = { ...sampleProfile(URL), samples: undefined, timeDeltas: undefined, $hotspots: undefined };
    hitsOnly.nodes[2].hitCount = 7;
    hitsOnly.endTime = 14_000;
    // Like the report (sampleWeights.ts): the profile's 14 ms are spread over its 7 hits.
    assert.equal(weightedStacks(toSpeedscope([{ name: 'p', profile: hitsOnly }])).get('main > hotLoop'), 14_000);
  });

  test('output size follows the number of stacks, not the number of samples', () => {
    const short = sampleProfile(URL);
    const long = sampleProfile(URL);
    for (let i = 0; i < 100_000; i++) {
      long.samples!.push(3 + (i % 2));
      long.timeDeltas!.push(1000);
    }
    long.endTime = long.samples!.length * 1000;
    const shortSize = JSON.stringify(toSpeedscope([{ name: 'p', profile: short }])).length;
    const longFile = toSpeedscope([{ name: 'p', profile: long }]);
    assert.equal(longFile.profiles[0].events.length, 10);
    assert.ok(JSON.stringify(longFile).length < shortSize + 100, 'only the times grow in digits (100,000 more samples)');
  });

  test('survives a cycle in a malformed profile', () => {
    const profile = sampleProfile(URL);
    profile.nodes[2].children = [2]; // hotLoop lists main as its child
    profile.nodes[3].children = [3]; // coldPath lists itself
    const file = toSpeedscope([{ name: 'p', profile }]);
    assert.equal(weightedStacks(file).get('main > hotLoop'), 70000);
    assert.equal(weightedStacks(file).get('main > coldPath'), 20000);
  });

  test('folds subtrees below the threshold into one span per parent, keeping totals exact', () => {
    const file = toSpeedscope([{ name: 'main', profile: sampleProfile(URL) }], { minSubtreeFraction: 0.25 });
    assert.deepEqual(
      [...weightedStacks(file)].sort(),
      [['(garbage collector)', 5000], ['(program)', 3000], ['main > (small callees)', 20000], ['main > hotLoop', 70000]].sort(),
    );
    assert.ok(!file.profiles[0].events.some(event => file.shared.frames[event.frame].name === 'coldPath'));
    const everything = toSpeedscope([{ name: 'main', profile: sampleProfile(URL) }], { minSubtreeFraction: 0 });
    assert.ok(!everything.shared.frames.some(frame => frame.name === '(small callees)'));
  });
});
