import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shareIdleTime, TimedAwait } from '../../../src/core/profile/waits/share';

const ms = (value: number): number => value * 1000;
function awaitOf(site: number, startMs: number, endMs: number, id: number, parent = -1): TimedAwait {
  return { site, startUs: ms(startMs), endUs: ms(endMs), id, parent };
}
const blockedMs = (result: ReturnType<typeof shareIdleTime>, site: number): number => (result.blockedUs.get(site) ?? 0) / 1000;

test('4 concurrent requests of 100 ms, all idle: 100 ms blocked, 25 ms per request, 100 ms on the line awaiting them all', () => {
  const awaits = [
    awaitOf(9, 0, 100, 100), // main: await Promise.all(...)
    ...[0, 1, 2, 3].map(site => awaitOf(site, 0, 100, site, 100)),
  ];
  const result = shareIdleTime(awaits, [{ startUs: 0, endUs: ms(100) }]);
  assert.equal(result.totalBlockedUs / 1000, 100);
  for (const site of [0, 1, 2, 3]) assert.equal(blockedMs(result, site), 25);
  assert.equal(blockedMs(result, 9), 100);
});

test('the same line awaited by concurrent chains is charged the idle time once, never summed', () => {
  const awaits = [0, 1, 2, 3].map(id => awaitOf(5, 0, 100, id));
  const result = shareIdleTime(awaits, [{ startUs: 0, endUs: ms(100) }]);
  assert.equal(blockedMs(result, 5), 100);
});

test('a chain charges every await on it: the caller line and the callee line both show the waiting', () => {
  const awaits: TimedAwait[] = [];
  for (let i = 0; i < 10; i++) {
    awaits.push(awaitOf(1, i * 20, i * 20 + 20, i * 2 + 1)); // main: await loadOrder(id)
    awaits.push(awaitOf(2, i * 20, i * 20 + 20, i * 2, i * 2 + 1)); // loadOrder: await db.query()
  }
  const idle = Array.from({ length: 10 }, (_, i) => ({ startUs: ms(i * 20 + 5), endUs: ms(i * 20 + 20) }));
  const result = shareIdleTime(awaits, idle);
  assert.equal(blockedMs(result, 1), 150);
  assert.equal(blockedMs(result, 2), 150);
  assert.equal(result.totalBlockedUs / 1000, 150);
  assert.equal(result.awaitedByUs.get(2)?.get(1), ms(150));
});

test('only idle time counts, and only while an await is pending', () => {
  const result = shareIdleTime([awaitOf(0, 10, 60, 0)], [{ startUs: 0, endUs: ms(20) }, { startUs: ms(50), endUs: ms(100) }]);
  assert.equal(blockedMs(result, 0), 20);
  assert.equal(result.totalBlockedUs / 1000, 20);
});

test('a caller whose callee finished is the leaf again; overlapping chains split the overlap', () => {
  const awaits = [
    awaitOf(0, 0, 100, 10), // outer await, pending 0..100
    awaitOf(1, 0, 40, 11, 10), // its callee's await, 0..40
    awaitOf(2, 20, 60, 12), // an unrelated chain, 20..60
  ];
  const result = shareIdleTime(awaits, [{ startUs: 0, endUs: ms(100) }]);
  // 0..20: one chain (0→1); 20..40: two chains (0→1, 2); 40..60: two chains (0, 2); 60..100: one chain (0).
  assert.equal(blockedMs(result, 1), 20 + 10);
  assert.equal(blockedMs(result, 2), 10 + 10);
  assert.equal(blockedMs(result, 0), 20 + 10 + 10 + 40);
  assert.equal(result.totalBlockedUs / 1000, 100);
});

test('recursion: a site twice on one chain is charged once', () => {
  const awaits = [awaitOf(3, 0, 50, 1), awaitOf(3, 0, 50, 2, 1), awaitOf(4, 0, 50, 3, 2)];
  const result = shareIdleTime(awaits, [{ startUs: 0, endUs: ms(50) }]);
  assert.equal(blockedMs(result, 3), 50);
  assert.equal(blockedMs(result, 4), 50);
});

test('no awaits or no idle time: nothing blocked', () => {
  assert.equal(shareIdleTime([], [{ startUs: 0, endUs: 10 }]).totalBlockedUs, 0);
  assert.equal(shareIdleTime([awaitOf(0, 0, 10, 0)], []).blockedUs.size, 0);
});
