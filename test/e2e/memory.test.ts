// `hotspots profile --memory` end to end: real fixture programs under the preload's sampling heap
// profiler. Assertions are about ranking and ratios of sampled bytes (never times), with margins wide
// enough for the sampler's randomness.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { compareCommand } from '../../src/cli/compareCommand';
import { lintCommand } from '../../src/cli/lintCommand';
import { reportCommand } from '../../src/cli/reportCommand';
import type { Report, ReportAllocation } from '../../src/core/profile/types';
import { CLI, fixture, FIXTURES, makeTempDir, runProfileCli } from './profileHelpers';
import { runSubcommand } from './runSubcommand';

function allocationOf(report: Report | undefined, name: string): ReportAllocation {
  assert.ok(report?.allocations, `the report has allocations: ${JSON.stringify(report?.warnings)}`);
  const found = report.allocations.find(entry => entry.function === name);
  assert.ok(found, `${name} is in allocations:\n${describeAllocations(report)}`);
  return found;
}

function describeAllocations(report: Report): string {
  return (report.allocations ?? []).slice(0, 6).map(entry => `${entry.function} ${entry.file}:${entry.line} ${entry.allocatedBytes}`).join('\n');
}

const MB = 1024 * 1024;

describe('hotspots profile --memory', () => {
  test('CommonJS: objects built in a loop are charged to the function building them, at its first line', async () => {
    const run = await runProfileCli(['--memory', fixture('memory', 'objects-loop.js')]);
    assert.equal(run.code, 0, run.stderr);
    const report = run.report!;
    const [top] = report.allocations!;
    assert.equal(top.function, 'buildRecords', describeAllocations(report));
    assert.equal(top.file, fixture('memory', 'objects-loop.js'));
    assert.equal(top.line, 2);
    assert.ok(top.allocatedPercent > 80, `buildRecords allocates nearly everything: ${top.allocatedPercent}%`);
    // 500,000 records of an object, a string and a 2-element array: well over 30 MB, whatever the sampling.
    assert.ok(top.allocatedBytes > 30 * MB, `allocated ${top.allocatedBytes}`);
    const memory = report.memory!;
    assert.equal(memory.samplingIntervalBytes, 32768);
    assert.ok(memory.allocatedBytes >= top.allocatedBytes);
    assert.ok(memory.peakHeapBytes > 0 && memory.peakRssBytes >= memory.peakHeapBytes, JSON.stringify(memory));
    const sorted = report.allocations!.map(entry => entry.allocatedBytes);
    assert.deepEqual(sorted, [...sorted].sort((a, b) => b - a), 'sorted by allocatedBytes, largest first');
    assert.match(run.stdout, /^Top allocations/m);
    assert.match(run.stdout, /^ {2}buildRecords +memory\/objects-loop\.js:2 +\d/m);
    assert.match(run.stdout, /^Memory \(heap sampled every 32\.0 KB\)/m);
  });

  test('ES module: string building', async () => {
    const run = await runProfileCli(['--memory', fixture('memory', 'strings.mjs')]);
    assert.equal(run.code, 0, run.stderr);
    const render = allocationOf(run.report, 'renderReport');
    assert.equal(run.report!.allocations![0].function, 'renderReport', describeAllocations(run.report!));
    assert.equal(render.line, 2);
    assert.equal(render.file, fixture('memory', 'strings.mjs'));
    // split() allocates inside V8: charged to countLines, never listed itself.
    assert.ok(allocationOf(run.report, 'countLines').allocatedBytes > 0);
  });

  test('TypeScript: the function start is a line of the .ts source', async () => {
    const run = await runProfileCli(['--memory', fixture('memory', 'ts', 'allocate.ts')]);
    assert.equal(run.code, 0, run.stderr);
    const [top] = run.report!.allocations!;
    assert.equal(top.function, 'makePoints', describeAllocations(run.report!));
    assert.equal(top.file, fixture('memory', 'ts', 'allocate.ts'));
    assert.equal(top.line, 8);
  });

  test('allocates most but keeps nothing vs allocates less and keeps it all', async () => {
    const run = await runProfileCli(['--memory', fixture('memory', 'keep-vs-churn.js')]);
    assert.equal(run.code, 0, run.stderr);
    const report = run.report!;
    const churn = allocationOf(report, 'churn');
    const keep = allocationOf(report, 'keep');
    // churn: 4000 rows, keep: 1000 rows of the same size.
    assert.ok(churn.allocatedBytes > 2.5 * keep.allocatedBytes, `churn ${churn.allocatedBytes} vs keep ${keep.allocatedBytes}`);
    assert.equal(report.allocations![0].function, 'churn');
    // What is still held at the end is keep's rows (1000 × ~8 KB), not churn's four times as many.
    const held = report.memory!.retainedBytes;
    const keptRows = 1000 * 1024 * 8;
    assert.ok(held > 0.6 * keptRows && held < 1.6 * keptRows, `held ${held}, keep's rows ${keptRows}`);
    assert.ok(held < 0.5 * churn.allocatedBytes);
    assert.equal(churn.retainedBytes, undefined, 'an allocated run does not claim what each function holds');
  });

  test('--memory=retained: per function, what is still held at the end (keep holds its rows, churn nothing)', async () => {
    const run = await runProfileCli(['--memory=retained', fixture('memory', 'keep-vs-churn.js')]);
    assert.equal(run.code, 0, run.stderr);
    const report = run.report!;
    assert.equal(report.memory!.mode, 'retained');
    const keep = allocationOf(report, 'keep');
    const keptRows = 1000 * 1024 * 8;
    assert.ok(keep.retainedBytes! > 0.6 * keptRows && keep.retainedBytes! < 1.6 * keptRows, `keep holds ${keep.retainedBytes}, its rows ${keptRows}`);
    assert.equal(report.allocations![0].function, 'keep', describeAllocations(report));
    // churn's rows all died: at most a sampled row or two of the last iterations can still be reachable.
    const churnHeld = report.allocations!.find(entry => entry.function === 'churn')?.retainedBytes ?? 0;
    assert.ok(churnHeld < 0.05 * keep.retainedBytes!, `churn still holds ${churnHeld}`);
    for (const entry of report.allocations!) assert.equal(entry.retainedBytes, entry.allocatedBytes, 'live-only sampling: what it allocated and still holds');
    assert.match(run.stdout, /^Top allocations still held/m);
    assert.match(run.stdout, /^ {2}keep\s+\S*keep-vs-churn\.js:\d+\s+[\d.]+ MB/m);
  });

  test('--memory= with an unknown mode is a clear error', async () => {
    const run = await runProfileCli(['--memory=leaks', fixture('memory', 'keep-vs-churn.js')]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--memory= takes 'allocated' or 'retained', got 'leaks'/);
  });

  test('allocation in a worker thread', async () => {
    const run = await runProfileCli(['--memory', fixture('memory', 'worker', 'main.js')]);
    assert.equal(run.code, 0, run.stderr);
    const top = run.report!.allocations![0];
    assert.equal(top.function, 'fillBuffers', describeAllocations(run.report!));
    assert.equal(top.file, fixture('memory', 'worker', 'alloc-worker.js'));
    assert.equal(top.line, 3);
    assert.ok(run.report!.processes.some(process => process.kind === 'worker'));
  });

  test('built-ins (split, JSON.parse, Array.from, replace) are charged to the user function calling them', async () => {
    const run = await runProfileCli(['--memory', fixture('memory', 'builtins.js')]);
    assert.equal(run.code, 0, run.stderr);
    const report = run.report!;
    const parseAll = allocationOf(report, 'parseAll');
    assert.equal(report.allocations![0].function, 'parseAll', describeAllocations(report));
    assert.ok(parseAll.allocatedPercent > 70, `${parseAll.allocatedPercent}%`);
    for (const builtin of ['split', 'parse', 'from', 'replace', 'map', 'JSON.parse']) {
      assert.ok(!report.allocations!.some(entry => entry.function === builtin), `${builtin} is not listed:\n${describeAllocations(report)}`);
    }
    assert.ok(report.allocations!.every(entry => entry.file.startsWith('/')), 'only user files');
  });

  test('a program that runs out of memory: what was sampled is reported, and the report says so', async () => {
    const run = await runProfileCli(['--memory', fixture('memory', 'out-of-memory.js')], {
      env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=64' },
    });
    assert.equal(run.code, 134, 'exit code of SIGABRT, as the program itself');
    const report = run.report!;
    assert.equal(report.memory?.outOfMemory, true, JSON.stringify(report.warnings));
    assert.equal(report.allocations![0].function, 'grow');
    assert.equal(report.allocations![0].line, 4);
    assert.ok(report.warnings.some(warning => /ran out of memory/.test(warning)), JSON.stringify(report.warnings));
    assert.ok(!report.warnings.some(warning => /did it replace NODE_OPTIONS/.test(warning)), JSON.stringify(report.warnings));
    assert.match(run.stdout, /held at the end: unknown \(out of memory\)/);
    // The fatal error ends the process before the CPU profile can be saved: said so, not "nothing sampled".
    assert.match(run.stdout, /was killed by SIGABRT and wrote no CPU profile: a fatal error \(such as running out of memory\)/);
  });

  test('out of memory without --memory, in a child process: the CPU profile is lost and the run says so, not "before any of its code was sampled"', async () => {
    // (Run in the CLI's own process, the program's fatal error ends the CLI too, as it would end plain node.)
    const run = await runProfileCli(['--separate-process', fixture('memory', 'out-of-memory.js')], {
      env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=64' },
    });
    assert.equal(run.code, 134);
    assert.match(run.stdout, /hotspots: the program was killed by SIGABRT and wrote no CPU profile/);
    assert.doesNotMatch(run.stdout, /before any of its code was sampled/);
  });

  test('without --memory there is no memory part and no heap profile', async () => {
    const run = await runProfileCli([fixture('memory', 'builtins.js')]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.report!.memory, undefined);
    assert.equal(run.report!.allocations, undefined);
    assert.doesNotMatch(run.stdout, /Top allocations/);
  });
});

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise(resolve => {
    execFile(process.execPath, [CLI, ...args], { cwd: FIXTURES, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

describe('memory before and after: compare, check, report', () => {
  test('compare shows allocated/held/peak before and after and the functions whose allocation changed most', async () => {
    const dir = makeTempDir();
    const runs = [];
    for (const rows of ['50000', '200000']) {
      const json = path.join(dir, `rows-${rows}.json`);
      const run = await runCli(['profile', '--memory', '--json', json, '--out-dir', dir, fixture('memory', 'growing.js')], { ROWS: rows });
      assert.equal(run.code, 0, run.stderr);
      runs.push(json);
    }
    const compared = await runSubcommand(compareCommand, ['--memory', '--json', path.join(dir, 'cmp.json'), ...runs], FIXTURES);
    assert.equal(compared.code, 0, compared.stderr);
    assert.match(compared.stdout, /^Memory \(before → after\)/m);
    assert.match(compared.stdout, /^ {2}allocated +[\d.]+ [KM]B → +[\d.]+ [KM]B {2}\+\d+/m);
    assert.match(compared.stdout, /^ {2}buildRows +memory\/growing\.js:2 /m);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'cmp.json'), 'utf8'));
    assert.ok(json.memory.after.allocatedBytes > 2 * json.memory.before.allocatedBytes, JSON.stringify(json.memory));
    assert.equal(json.memory.functions[0].function, 'buildRows');
  });

  test('check --max-memory-regression fails when the run allocates more than the baseline allows', async () => {
    const dir = makeTempDir();
    const baseline = path.join(dir, 'baseline.json');
    const args = ['check', '--runs', '1', '--max-memory-regression', '50'];
    const saved = await runCli([...args, '--save-baseline', baseline, fixture('memory', 'growing.js')], { ROWS: '50000' });
    assert.equal(saved.code, 0, saved.stderr);
    const same = await runCli([...args, '--max-regression', '1000', '--baseline', baseline, fixture('memory', 'growing.js')], { ROWS: '50000' });
    assert.equal(same.code, 0, same.stdout + same.stderr);
    assert.match(same.stdout, /^MEMORY OK: allocated/m);
    const grown = await runCli([...args, '--max-regression', '1000', '--baseline', baseline, fixture('memory', 'growing.js')], { ROWS: '200000' });
    assert.equal(grown.code, 1, grown.stdout + grown.stderr);
    assert.match(grown.stdout, /^MEMORY REGRESSION: allocated .* \(\+\d+/m);
    assert.match(grown.stdout, /^ {2}buildRows +memory\/growing\.js:2 +\+/m);
  });

  test('--memory on a profile without heap data is a clear error', async () => {
    const dir = makeTempDir();
    const json = path.join(dir, 'cpu-only.json');
    const run = await runProfileCli(['--json', json, fixture('memory', 'growing.js')]);
    assert.equal(run.code, 0, run.stderr);
    const [cpuProfile] = fs.readdirSync(run.outDir, { recursive: true }).map(String).filter(name => name.endsWith('.cpuprofile'));
    const reported = await runSubcommand(reportCommand, ['--memory', path.join(run.outDir, cpuProfile)], FIXTURES);
    assert.equal(reported.code, 2);
    assert.match(reported.stderr, /^hotspots: report: .*\.cpuprofile has no heap data \(no .*\.heapprofile beside it; record one with hotspots profile --memory\)\n$/);
    const compared = await runSubcommand(compareCommand, ['--memory', path.join(run.outDir, cpuProfile), path.join(run.outDir, cpuProfile)], FIXTURES);
    assert.equal(compared.code, 2);
    assert.match(compared.stderr, /has no heap data/);
    const checked = await runCli(['check', '--runs', '1', '--max-memory-regression', '10', '--baseline', json, fixture('memory', 'growing.js')], {});
    assert.equal(checked.code, 2);
    assert.match(checked.stderr, /the baseline .* has no heap data/);
  });

  test('report --memory reads the heap profiles beside the CPU profiles', async () => {
    const run = await runProfileCli(['--memory', fixture('memory', 'objects-loop.js')]);
    assert.equal(run.code, 0, run.stderr);
    const cpuProfiles = fs.readdirSync(run.outDir, { recursive: true }).map(String).filter(name => name.endsWith('.cpuprofile'));
    const reported = await runSubcommand(reportCommand, ['--memory', ...cpuProfiles.map(name => path.join(run.outDir, name))], FIXTURES);
    assert.equal(reported.code, 0, reported.stderr);
    assert.match(reported.stdout, /^ {2}buildRecords +memory\/objects-loop\.js:2 /m);
  });
});

describe('lint --profile with memory', () => {
  test('an accumulating spread finding gets the bytes its function allocated', async () => {
    const dir = makeTempDir();
    const json = path.join(dir, 'spread.json');
    const run = await runProfileCli(['--memory', '--json', json, fixture('memory', 'spread.js')]);
    assert.equal(run.code, 0, run.stderr);
    const linted = await runSubcommand(lintCommand, ['--format', 'json', '--profile', json, fixture('memory', 'spread.js')], FIXTURES);
    const [finding] = JSON.parse(linted.stdout);
    assert.equal(finding.ruleId, 'quadratic/accumulating-spread');
    assert.match(finding.message, /Its function `collect` allocated [\d.]+ MB over the run \(\d+(\.\d+)?% of all allocation\)\.$/);
    // 5000 steps copying up to 5000 numbers: ~12.5 million elements of 8 bytes at least.
    assert.ok(finding.measuredAllocatedBytes > 50 * MB, String(finding.measuredAllocatedBytes));
  });

  test('without memory in the report, findings are unchanged by it', async () => {
    const dir = makeTempDir();
    const json = path.join(dir, 'spread-cpu.json');
    const run = await runProfileCli(['--json', json, fixture('memory', 'spread.js')]);
    assert.equal(run.code, 0, run.stderr);
    const linted = await runSubcommand(lintCommand, ['--format', 'json', '--profile', json, fixture('memory', 'spread.js')], FIXTURES);
    const [finding] = JSON.parse(linted.stdout);
    assert.doesNotMatch(finding.message, /allocated/);
    assert.equal(finding.measuredAllocatedBytes, undefined);
  });
});

describe('allocation flame graph', () => {
  test('--html with --memory adds an allocation profile in bytes that speedscope can switch to', async () => {
    const htmlPath = path.join(makeTempDir(), 'report.html');
    const run = await runProfileCli(['--memory', '--html', htmlPath, fixture('memory', 'objects-loop.js')]);
    assert.equal(run.code, 0, run.stderr);
    const html = fs.readFileSync(htmlPath, 'utf8');
    const carrier = /<script type="application\/json" id="hotspots-flame-data">([\s\S]*?)<\/script>/.exec(html);
    assert.ok(carrier, 'the flame data is in the page');
    const data = JSON.parse(carrier[1].replace(/\\u003c/g, '<')) as { speedscopeBase64: string };
    const speedscope = JSON.parse(Buffer.from(data.speedscopeBase64, 'base64').toString('utf8')) as {
      shared: { frames: { name: string; file?: string; line?: number }[] };
      profiles: { name: string; unit: string; endValue: number; events: { type: string; frame: number; at: number }[] }[];
    };
    assert.deepEqual(speedscope.profiles.map(profile => profile.unit), ['microseconds', 'bytes']);
    const allocation = speedscope.profiles[1];
    assert.match(allocation.name, /^Allocations \(bytes\): process \d+$/);
    assert.ok(allocation.endValue > 30 * MB, `total bytes ${allocation.endValue}`);
    // buildRecords' own bytes: the time between its open and close events minus its children's.
    const buildRecords = speedscope.shared.frames.findIndex(frame => frame.name === 'buildRecords');
    assert.ok(buildRecords >= 0);
    assert.equal(speedscope.shared.frames.filter(frame => frame.name === 'buildRecords').length, 1, 'one frame shared by both graphs');
    assert.equal(speedscope.shared.frames[buildRecords].file, fixture('memory', 'objects-loop.js'));
    assert.equal(speedscope.shared.frames[buildRecords].line, 2);
    const open = allocation.events.find(event => event.type === 'O' && event.frame === buildRecords)!;
    const close = allocation.events.find(event => event.type === 'C' && event.frame === buildRecords)!;
    assert.ok(close.at - open.at > 0.8 * allocation.endValue, 'buildRecords holds most of the allocation flame graph');
  });
});
