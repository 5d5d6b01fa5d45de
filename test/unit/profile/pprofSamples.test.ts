// The Sample reader against pprof-format (its encoder writes, both decoders read), and the table of placed
// stacks the importer uses to skip repeated stacks.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Label, Sample } from 'pprof-format';
import { parsePprof } from '../../../src/core/profile/importers/pprof';
import { PlacedStacks, PprofSampleReader } from '../../../src/core/profile/importers/pprofSamples';
import { encodeSpec, type FrameSpec, type PprofSpec } from './pprofFixtures';

/** Small deterministic PRNG. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('pprof Sample reader', () => {
  test('reads what pprof-format writes, as pprof-format reads it (ids and values of every size, labels skipped)', () => {
    const rand = random(7);
    const reader = new PprofSampleReader();
    for (let n = 0; n < 2000; n++) {
      const big = (): number => Math.floor(rand() * 2 ** Math.floor(rand() * 50));
      const locationId = Array.from({ length: Math.floor(rand() * 60) }, () => 1 + Math.floor(rand() * (rand() < 0.1 ? 2 ** 31 : 5000)));
      const value = Array.from({ length: 1 + Math.floor(rand() * 3) }, big);
      const label = rand() < 0.3 ? [new Label({ key: 1, str: 2 })] : [];
      const bytes = new Sample({ locationId, value, label }).encode();
      const expected = Sample.decode(bytes);
      reader.read(bytes, 0, bytes.length);
      assert.deepEqual(reader.stack, expected.locationId.map(Number), `sample ${n} stack`);
      assert.deepEqual(reader.values, expected.value.map(Number), `sample ${n} values`);
      assert.equal(reader.packedStack() !== undefined, locationId.length > 0);
    }
  });

  test('unpacked location ids (allowed by protobuf) are read, and such a stack is not taken as packed', () => {
    // field 1 varint 5, field 1 varint 300, field 2 packed [7]
    const bytes = Uint8Array.from([0x08, 5, 0x08, 0xac, 0x02, 0x12, 1, 7]);
    const reader = new PprofSampleReader();
    reader.read(bytes, 0, bytes.length);
    assert.deepEqual(reader.stack, [5, 300]);
    assert.deepEqual(reader.values, [7]);
    assert.equal(reader.packedStack(), undefined);
  });

  test('a cut-off sample is an error that says so', () => {
    const bytes = new Sample({ locationId: [1, 2, 3000], value: [5] }).encode();
    const reader = new PprofSampleReader();
    assert.throws(() => reader.read(bytes, 0, bytes.length - 2), /cut off|ends inside/);
  });
});

describe('placed stacks table', () => {
  test('finds each stack by its bytes, keeps stacks apart, and survives growing', () => {
    const stacks: Uint8Array[] = [];
    for (let n = 0; n < 20_000; n++) stacks.push(new Sample({ locationId: [n % 97 + 1, Math.floor(n / 97) + 1, 3] }).encode());
    // Every stack twice, so the second half only finds.
    const all = new Uint8Array(stacks.reduce((sum, bytes) => sum + bytes.length, 0) * 2);
    const ranges: Array<[number, number]> = [];
    let offset = 0;
    for (let round = 0; round < 2; round++) {
      for (const bytes of stacks) {
        all.set(bytes, offset);
        // The packed field's payload starts after its tag and length byte.
        ranges.push([offset + 2, offset + 2 + bytes[1]]);
        offset += bytes.length;
      }
    }
    const table = new PlacedStacks(all);
    ranges.forEach(([start, end], index) => {
      const slot = table.slotOf(start, end);
      const stack = index % stacks.length;
      if (index < stacks.length) {
        assert.equal(table.nodeAt(slot), -1, `stack ${stack} is new`);
        table.set(slot, stack + 1, stack);
      } else {
        assert.equal(table.nodeAt(slot), stack + 1, `stack ${stack} is found`);
      }
      table.addTicks(slot, 1);
    });
    let placed = 0;
    table.forEach((node, line, ticks) => {
      placed++;
      assert.equal(line, node - 1);
      assert.equal(ticks, 2);
    });
    assert.equal(placed, stacks.length);
  });

  test('an unaggregated profile (one sample per tick, stacks repeated) gives the same tree as the aggregated one', () => {
    const main: FrameSpec = { name: 'main', file: '/app/a.js', line: 3, startLine: 1 };
    const work: FrameSpec = { name: 'work', file: '/app/a.js', line: 12, startLine: 10 };
    const other: FrameSpec = { name: 'work', file: '/app/a.js', line: 14, startLine: 10 };
    const base = { sampleTypes: [['samples', 'count'], ['cpu', 'nanoseconds']] as Array<[string, string]>, period: 1_000_000, periodType: ['cpu', 'nanoseconds'] as [string, string] };
    const aggregated: PprofSpec = { ...base, samples: [{ stack: [work, main], values: [3, 3_000_000] }, { stack: [other, main], values: [1, 1_000_000] }] };
    const unaggregated: PprofSpec = {
      ...base,
      samples: [work, other, work, work].map(leaf => ({ stack: [leaf, main], values: [1, 1_000_000] })),
    };
    const ticks = (spec: PprofSpec) => parsePprof(encodeSpec(spec)).nodes.flatMap(node => (node.positionTicks ?? []).map(tick => `${node.callFrame.functionName}:${tick.line}=${tick.ticks}`)).sort();
    assert.deepEqual(ticks(unaggregated), ticks(aggregated));
    assert.deepEqual(ticks(aggregated), ['work:12=3', 'work:14=1']);
  });
});
