import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitRight, formatMs } from '../../../src/core/profile/format';
import { formatWaitsText } from '../../../src/core/profile/waits/format';
import type { Report, ReportProcess } from '../../../src/core/profile/types';

const helpers = { top: 5, width: 80, location: (file: string, line: number) => `${file}:${line}`, formatMs, fitRight };
const mainProcess: ReportProcess = { pid: 1, kind: 'main', argv: ['node', 'app.js'], profile: '/w/1.cpuprofile', sampledMs: 100 };

/** A run of 100 ms sampled: 50 ms busy (`startupMs` of it before the program's first file), 45 ms waiting, 5 ms other idle. */
function waitingRun(startupMs: number | undefined, processes: ReportProcess[] = [mainProcess]): Report {
  const extraMs = processes.slice(1).reduce((sum, child) => sum + child.sampledMs, 0);
  return {
    version: 1,
    command: ['node', 'app.js'],
    exitCode: 0,
    signal: null,
    wallMs: 160,
    elapsedMs: 100 - (startupMs ?? 0),
    ...(startupMs === undefined ? {} : { startupMs }),
    sampleIntervalUs: 1000,
    totalSampledMs: 100 + extraMs,
    categories: { userMs: 30 + extraMs, nodeInternalsMs: 20, gcMs: 0, idleMs: 50, programMs: 0, blockedMs: 45 },
    processes,
    lines: [],
    functions: [],
    warnings: [],
    waits: [{ file: '/w/app.js', line: 3, function: 'main', count: 4, waitMs: 45, blockedMs: 45, blockedPercent: 45 }],
  };
}

/** The rows of "Where the time went": label → [ms, percent], and the column each ms figure ends at. */
function rowsOf(lines: string[]): { figures: Map<string, [number, number]>; msColumnEnds: Set<number> } {
  const header = lines.findIndex(line => line.startsWith('Where the time went'));
  assert.ok(header >= 0, lines.join('\n'));
  const figures = new Map<string, [number, number]>();
  const msColumnEnds = new Set<number>();
  for (const line of lines.slice(header + 1)) {
    const match = /^ {2}(\S.*?) +(\d+\.\d) ms +(\d+)%$/.exec(line);
    if (!match) break;
    figures.set(match[1], [Number(match[2]), Number(match[3])]);
    msColumnEnds.add(line.indexOf(' ms') + 3);
  }
  return { figures, msColumnEnds };
}

test('where the time went: start-up before the first file is a row of its own, busy is the program\'s, the rows add up', () => {
  const lines = formatWaitsText(waitingRun(20), helpers);
  assert.match(lines.join('\n'), /Where the time went \(100\.0 ms sampled; your program ran 80\.0 ms\)/);
  const { figures, msColumnEnds } = rowsOf(lines);
  assert.deepEqual([...figures], [
    ['start-up (before your code)', [20, 20]],
    ['busy', [30, 30]],
    ['waiting on your awaits', [45, 45]],
    ['other idle', [5, 5]],
  ]);
  assert.equal(msColumnEnds.size, 1, `one column of figures:\n${lines.join('\n')}`);
  const programMs = figures.get('busy')![0] + figures.get('waiting on your awaits')![0] + figures.get('other idle')![0];
  assert.equal(programMs, 80, 'busy + waiting + other idle is the time the program ran');
});

test('where the time went: no start-up row when the program start is unknown or nothing ran before it', () => {
  for (const startupMs of [undefined, 0]) {
    const { figures } = rowsOf(formatWaitsText(waitingRun(startupMs), helpers));
    assert.deepEqual([...figures.keys()], ['busy', 'waiting on your awaits', 'other idle'], `startupMs ${startupMs}`);
    assert.equal(figures.get('busy')![0], 50);
  }
});

test('where the time went, several processes: only the main thread\'s start-up leaves busy', () => {
  const child: ReportProcess = { pid: 2, kind: 'child', argv: ['node', 'child.js'], profile: '/w/2.cpuprofile', sampledMs: 40 };
  const lines = formatWaitsText(waitingRun(20, [mainProcess, child]), helpers);
  assert.match(lines.join('\n'), /Where the time went \(140\.0 ms sampled in 2 processes; your program ran 80\.0 ms\)/);
  const { figures } = rowsOf(lines);
  assert.equal(figures.get('start-up (before your code)')![0], 20);
  assert.equal(figures.get('busy')![0], 70, 'the child\'s 40 ms (its own start-up included) stays busy');
  const sumMs = [...figures.values()].reduce((sum, [ms]) => sum + ms, 0);
  assert.equal(sumMs, 140, 'the rows add up to the time sampled in all processes');
});
