// Wait attribution end to end: the built CLI profiles fixture programs that wait (timers, streams,
// child processes, fetch, a dependency) and the report must charge the waiting to the right await lines.
// Assertions are about which lines wait and how the time is shared, never about absolute times.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import type { Report, ReportWait } from '../../src/core/profile/types';
import { CLI, FIXTURES, fixture, makeTempDir, markedLines, runProfileCli } from './profileHelpers';

function waitOn(report: Report | undefined, file: string, marker: string): ReportWait {
  assert.ok(report?.waits, `the report has waits: ${JSON.stringify(report?.warnings)}`);
  const [line] = markedLines(file, marker);
  const wait = report.waits.find(entry => entry.file === file && entry.line === line);
  assert.ok(wait, `${path.basename(file)}:${line} (${marker}) is listed:\n${describeWaits(report)}`);
  return wait;
}

function describeWaits(report: Report): string {
  return (report.waits ?? []).map(wait => `${wait.file}:${wait.line} blocked ${wait.blockedMs} wait ${wait.waitMs} ×${wait.count}`).join('\n');
}

/** Blocked time can never exceed the idle time, nor a line's share the elapsed time. */
function assertConsistent(report: Report): void {
  const { blockedMs = 0, idleMs } = report.categories;
  assert.ok(blockedMs <= idleMs + 0.01, `blocked ${blockedMs} ≤ idle ${idleMs}`);
  for (const wait of report.waits ?? []) {
    assert.ok(wait.blockedMs <= blockedMs + 0.01, `${wait.line}: ${wait.blockedMs} ≤ ${blockedMs}`);
    assert.ok(wait.blockedPercent <= 100);
  }
}

interface TimeRows {
  startup: number;
  busy: number;
  waiting: number;
  otherIdle: number;
}

/**
 * The rows of "Where the time went" add up to the sampled time, and without the start-up row they are the
 * program's elapsed time, as closely as sampling allows: the sample the program started in counts whole,
 * the last one lasts an interval, and gaps the sampler missed (unsampledMs) are elapsed but not sampled.
 */
function assertTimeAddsUp(stdout: string, report: Report): TimeRows {
  const section = /Where the time went \(([\d.]+) ms sampled; your program ran ([\d.]+) ms\)\n((?: {2}.*\n?)+)/.exec(stdout);
  assert.ok(section, stdout);
  const figures = new Map([...section[3].matchAll(/^ {2}(\S.*?) +([\d.]+) ms +\d+%$/gm)].map(match => [match[1], Number(match[2])]));
  const rows: TimeRows = {
    startup: figures.get('start-up (before your code)') ?? 0,
    busy: figures.get('busy')!,
    waiting: figures.get('waiting on your awaits')!,
    otherIdle: figures.get('other idle')!,
  };
  const describe = `${section[0]}(elapsedMs ${report.elapsedMs}, startupMs ${report.startupMs}, unsampledMs ${report.categories.unsampledMs})`;
  assert.equal(rows.startup, Math.round((report.startupMs ?? 0) * 10) / 10, describe);
  const sampledMs = Number(section[1]);
  const programMs = rows.busy + rows.waiting + rows.otherIdle;
  // Each printed figure is rounded to 0.1 ms.
  assert.ok(Math.abs(rows.startup + programMs - sampledMs) <= 0.25, `the rows add up to the sampled time: ${describe}`);
  const toleranceMs = (report.categories.unsampledMs ?? 0) + (5 * report.sampleIntervalUs) / 1000 + 0.02 * report.elapsedMs!;
  assert.ok(Math.abs(programMs - Number(section[2])) <= toleranceMs, `busy + waiting + other idle ≈ the program's ${section[2]} ms (± ${toleranceMs.toFixed(1)} ms): ${describe}`);
  return rows;
}

describe('hotspots profile: waiting per await line', () => {
  test('sequential awaits in a loop (CommonJS): caller and callee lines top the waits, with their counts', async () => {
    const file = fixture('waits', 'sequential.js');
    const run = await runProfileCli([file]);
    assert.equal(run.code, 0, run.stderr);
    const report = run.report!;
    const leaf = waitOn(report, file, 'WAIT-LEAF');
    const caller = waitOn(report, file, 'WAIT-CALLER');
    assert.equal(leaf.count, 12);
    assert.equal(caller.count, 12);
    assert.equal(leaf.function, 'fetchItem');
    assert.equal(caller.function, 'main');
    // 12 × 15 ms of timers: the chain is charged on both lines, nearly all of the blocked time.
    assert.ok(caller.blockedMs > 0.8 * report.categories.blockedMs!, describeWaits(report));
    assert.ok(Math.abs(leaf.blockedMs - caller.blockedMs) < 0.1 * caller.blockedMs + 1, describeWaits(report));
    // Timed from the end of the event-loop turn the await started in: a little under the timers' 15 ms
    // (much under, when other jobs starve the CPU).
    assert.ok(leaf.waitMs >= 12 * 5, `12 timers of 15 ms: ${leaf.waitMs}`);
    assert.deepEqual(leaf.awaitedBy?.map(parent => parent.line), [caller.line]);
    assert.ok(report.elapsedMs! > 0);
    assertConsistent(report);
    assert.match(run.stdout, /Top waits/);
    assert.ok(report.startupMs! > 0, `Node's start-up before the first file is measured: ${report.startupMs}`);
    assert.match(run.stdout, /Where the time went \([\d.]+ ms sampled; your program ran [\d.]+ ms\)\n  start-up \(before your code\) .*\n  busy .*\n  waiting on your awaits .*\n  other idle /);
    assertTimeAddsUp(run.stdout, report);
  });

  test('busy, then waiting: start-up is a row of its own, the other rows are the time the program ran', async () => {
    const file = fixture('waits', 'busy-and-waiting.js');
    const run = await runProfileCli([file]);
    assert.equal(run.code, 0, run.stderr);
    const report = run.report!;
    assert.equal(waitOn(report, file, 'WAIT-TIMER').count, 3);
    const rows = assertTimeAddsUp(run.stdout, report);
    // 40 + 3 × 10 ms of spinning; the start-up (Node, the loader) is the CPU tables' but not this row's.
    assert.ok(rows.busy >= 60, `busy ${rows.busy} ms`);
    assert.ok(rows.busy < report.totalSampledMs - report.categories.idleMs, 'start-up left busy');
    assertConsistent(report);
  });

  test('sequential awaits (ES module, top-level await)', async () => {
    const file = fixture('waits', 'esm', 'sequential.mjs');
    const run = await runProfileCli([file]);
    assert.equal(run.code, 0, run.stderr);
    const caller = waitOn(run.report, file, 'WAIT-CALLER');
    const leaf = waitOn(run.report, file, 'WAIT-LEAF');
    assert.equal(caller.count, 12);
    assert.equal(leaf.count, 12);
    assert.equal(caller.function, '(top level)');
    assert.ok(caller.blockedMs > 0 && leaf.blockedMs > 0, describeWaits(run.report!));
    assertConsistent(run.report!);
  });

  test('nested awaits: every await on the chain is charged', async () => {
    const file = fixture('waits', 'nested.js');
    const run = await runProfileCli([file]);
    assert.equal(run.code, 0, run.stderr);
    const report = run.report!;
    const [query, load, main] = ['WAIT-QUERY', 'WAIT-LOAD', 'WAIT-MAIN'].map(marker => waitOn(report, file, marker));
    for (const wait of [query, load, main]) {
      assert.equal(wait.count, 8);
      assert.ok(wait.blockedMs > 0.8 * report.categories.blockedMs!, describeWaits(report));
    }
    assert.equal(query.awaitedBy?.[0].line, load.line);
    assert.equal(load.awaitedBy?.[0].line, main.line);
    assertConsistent(report);
  });

  test('concurrent awaits (Promise.all, overlapping workers) are shared, not summed', async () => {
    const file = fixture('waits', 'concurrent.js');
    const run = await runProfileCli([file]);
    assert.equal(run.code, 0, run.stderr);
    const report = run.report!;
    const request = waitOn(report, file, 'WAIT-REQUEST');
    const all = waitOn(report, file, 'WAIT-ALL');
    const worker = waitOn(report, file, 'WAIT-WORKER');
    const workers = waitOn(report, file, 'WAIT-WORKERS');
    assert.equal(request.count, 4);
    assert.equal(worker.count, 8);
    // 4 requests of 100 ms at once: their line waited 4 × 100 ms but blocked the program ~100 ms, once.
    assert.ok(request.waitMs >= request.blockedMs && request.waitMs > all.blockedMs, `the line waited more than it blocked: ${request.waitMs}`);
    // (A callee's await starts a moment before its caller's: 1 ms of slack.)
    assert.ok(request.blockedMs <= all.blockedMs + 1 && all.blockedMs < 150, describeWaits(report));
    assert.ok(worker.blockedMs <= workers.blockedMs + 1 && workers.blockedMs < 150, describeWaits(report));
    const total = report.categories.blockedMs!;
    assert.ok(Math.abs(all.blockedMs + workers.blockedMs - total) < 0.05 * total + 1, `the two phases add up to the blocked time:\n${describeWaits(report)}`);
    assertConsistent(report);
  });

  test('for await over a stream', async () => {
    const file = fixture('waits', 'stream.js');
    const run = await runProfileCli([file]);
    assert.equal(run.code, 0, run.stderr);
    const wait = waitOn(run.report, file, 'WAIT-STREAM');
    assert.ok(wait.count >= 10, `one wait per chunk: ${wait.count}`);
    assert.ok(wait.blockedMs > 0 && wait.waitMs >= 10 * 5, describeWaits(run.report!));
    assertConsistent(run.report!);
  });

  test('awaiting a child process', async () => {
    const file = fixture('waits', 'child.js');
    const run = await runProfileCli([file]);
    assert.equal(run.code, 0, run.stderr);
    const wait = waitOn(run.report, file, 'WAIT-CHILD');
    assert.equal(wait.count, 1);
    assert.ok(wait.waitMs >= 150, `${wait.waitMs}`);
    assert.equal(run.report!.waits![0].line, wait.line, 'tops the waits');
    assert.ok(run.report!.processes.some(process => process.kind === 'child'));
  });

  test('fetch against a local server: undici\'s waiting is charged to the user\'s await', async () => {
    const file = fixture('waits', 'fetch.js');
    const run = await runProfileCli([file]);
    assert.equal(run.code, 0, run.stderr);
    const wait = waitOn(run.report, file, 'WAIT-FETCH');
    assert.equal(wait.count, 5);
    assert.ok(wait.waitMs >= 5 * 20, `${wait.waitMs}`);
    assert.ok(wait.blockedMs > 0);
    assert.ok(run.report!.waits!.every(entry => !entry.file.includes('node:') && !entry.file.includes('undici')));
  });

  test('a dependency in node_modules: its awaits are not listed, its waiting shows on the user\'s line', async () => {
    const file = fixture('waits', 'dependency.js');
    const run = await runProfileCli([file]);
    assert.equal(run.code, 0, run.stderr);
    const wait = waitOn(run.report, file, 'WAIT-DEPENDENCY');
    assert.equal(wait.count, 6);
    assert.ok(wait.waitMs >= 6 * 12, `6 queries of 25 ms: ${wait.waitMs}`);
    assert.ok(run.report!.waits!.every(entry => !entry.file.includes('node_modules')), describeWaits(run.report!));
  });

  test('TypeScript: the .ts file\'s own lines', async () => {
    const file = fixture('waits', 'typed.ts');
    const run = await runProfileCli([file]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(waitOn(run.report, file, 'WAIT-TS-LEAF').count, 10);
    assert.equal(waitOn(run.report, file, 'WAIT-TS-CALLER').count, 10);
    assert.ok(run.report!.waits!.every(entry => entry.file === file));
  });

  test('a server stopped with SIGINT reports the waits it had', async () => {
    const dir = makeTempDir();
    const jsonPath = path.join(dir, 'report.json');
    const file = fixture('waits', 'server.js');
    const child = spawn(process.execPath, [CLI, 'profile', '--json', jsonPath, '--out-dir', path.join(dir, 'profiles'), file], { cwd: FIXTURES, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', chunk => { output += chunk; });
    child.stderr.on('data', chunk => { output += chunk; });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server never listened:\n${output}`)), 60_000);
      child.stdout.on('data', () => { if (output.includes('listening')) { clearTimeout(timer); resolve(); } });
    });
    child.kill('SIGINT');
    await new Promise(resolve => child.on('exit', resolve));
    const report = JSON.parse(fs.readFileSync(jsonPath, 'utf8')) as Report;
    assert.equal(waitOn(report, file, 'WAIT-HANDLER').count, 5);
    assert.equal(waitOn(report, file, 'WAIT-CLIENT').count, 5);
  });

  test('a worker thread\'s awaits are its own waits', async () => {
    const file = fixture('waits', 'worker.js');
    const run = await runProfileCli([file]);
    assert.equal(run.code, 0, run.stderr);
    const wait = waitOn(run.report, file, 'WAIT-WORKER-THREAD');
    assert.equal(wait.count, 5);
    assert.ok(wait.blockedMs > 0, describeWaits(run.report!));
    assert.ok(run.report!.processes.some(process => process.kind === 'worker'));
  });

  test('a child killed outright loses only its own waits', async () => {
    const file = fixture('waits', 'killed-child.js');
    const run = await runProfileCli([file]);
    assert.equal(run.code, 0, run.stderr);
    const report = run.report!;
    assert.equal(waitOn(report, file, 'WAIT-BEFORE-KILL').count, 1);
    assert.equal(waitOn(report, file, 'WAIT-CHILD-EXIT').count, 1);
    const [childLine] = markedLines(file, 'WAIT-KILLED-CHILD');
    assert.ok(!report.waits!.some(wait => wait.line === childLine), 'the killed child wrote nothing');
  });

  test('one million awaits of resolved promises finish and report', async () => {
    const file = fixture('waits', 'many-awaits.js');
    const run = await runProfileCli([file]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /1000000/);
    assert.equal(waitOn(run.report, file, 'WAIT-MANY').count, 1_000_000);
  });

  test('syntax the instrumentation cannot parse: a warning, and CPU is still profiled', async () => {
    const file = fixture('waits', 'unknown-syntax.js');
    const run = await runProfileCli([file]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /waits are not measured in .*unknown-syntax\.js/);
    assert.ok(run.report!.warnings.some(warning => warning.includes('unknown-syntax.js')), JSON.stringify(run.report!.warnings));
    assert.equal(run.report!.lines[0].file, file);
    assert.ok(markedLines(file).includes(run.report!.lines[0].line));
  });

  test('--no-waits: no instrumentation, no waits in the report', async () => {
    const run = await runProfileCli(['--no-waits', fixture('waits', 'sequential.js')]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.report!.waits, undefined);
    assert.equal(run.report!.categories.blockedMs, undefined);
    assert.doesNotMatch(run.stdout, /Top waits/);
  });
});
