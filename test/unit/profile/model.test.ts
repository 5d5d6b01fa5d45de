import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { readCpuProfileFileSync } from '../../../src/core/profile/cpuprofile';
import { buildReport, ModelReportLine, ReportOptions } from '../../../src/core/profile/model';
import type { CpuProfile, CpuProfileNode, Report } from '../../../src/core/profile/types';
import { PROFILER_EVALUATED_SCRIPT } from '../../../src/core/profile/runProtocol';

const fixtures = path.resolve(__dirname, '../../../../test/fixtures/profiles');
const options: ReportOptions = { command: ['node', 'app.js'], exitCode: 0, signal: null, wallMs: 20 };

function reportOf(...names: string[]): Report {
  return buildReport(names.map(name => ({ path: path.join(fixtures, name), profile: readCpuProfileFileSync(path.join(fixtures, name)) })), options);
}

function lineAt(report: Report, file: string, line: number): ModelReportLine | undefined {
  return report.lines.find(entry => entry.file === file && entry.line === line) as ModelReportLine | undefined;
}

test('self time per sample comes from the next time delta; the last sample lasts one interval', () => {
  const report = reportOf('simple.cpuprofile');
  // compute's samples last 1000 + 2000 + 1000 + 1000 µs (deltas 1..4); timeDeltas[0] belongs to no sample.
  const compute = report.functions.find(fn => fn.name === 'compute');
  assert.equal(compute?.selfMs, 5);
  // helper: deltas 5 and 6 (1000 + 3000).
  assert.equal(report.functions.find(fn => fn.name === 'helper')?.selfMs, 4);
  // the last sample (node:fs) lasts the 1000 µs interval from $hotspots
  assert.equal(report.categories.nodeInternalsMs, 1);
  assert.equal(report.sampleIntervalUs, 1000);
});

test('positionTicks split a node self time in proportion to ticks; hits are ticks', () => {
  const report = reportOf('simple.cpuprofile');
  const hot = lineAt(report, '/project/app.js', 12);
  const warm = lineAt(report, '/project/app.js', 13);
  assert.equal(hot?.selfMs, 3.75);
  assert.equal(hot?.hits, 3);
  assert.equal(warm?.selfMs, 1.25);
  assert.equal(warm?.hits, 1);
  assert.equal(hot?.function, 'compute');
  // shares are of the 12 ms of non-idle time
  assert.equal(hot?.selfPercent, 31.25);
});

test('a node without positionTicks puts its time on its function line, hits = samples', () => {
  const report = reportOf('simple.cpuprofile');
  const helperLine = lineAt(report, '/project/node_modules/lib/index.js', 5);
  assert.equal(helperLine?.selfMs, 4);
  assert.equal(helperLine?.hits, 2);
  assert.deepEqual(report.lines.map(line => `${path.basename(line.file)}:${line.line}`), ['index.js:5', 'app.js:12', 'app.js:13']);
});

test('categories split idle, GC, program, Node internals and user code; shares exclude idle', () => {
  const report = reportOf('simple.cpuprofile');
  assert.deepEqual(report.categories, { userMs: 9, nodeInternalsMs: 1, gcMs: 1, idleMs: 2, programMs: 1, unsampledMs: 0 });
  assert.equal(report.totalSampledMs, 14);
  assert.ok(report.lines.every(line => !line.file.startsWith('node:')), 'node: internals never appear as lines');
  assert.ok(report.functions.every(fn => !fn.file.startsWith('node:')));
});

test('functions carry inclusive time and their callers; lines carry their function callers', () => {
  const report = reportOf('simple.cpuprofile');
  const byName = new Map(report.functions.map(fn => [fn.name, fn]));
  assert.equal(byName.get('main')?.totalMs, 10); // compute 5 + helper 4 + readFileSync 1
  assert.equal(byName.get('main')?.selfMs, 0);
  assert.equal(byName.get('compute')?.totalMs, 9);
  assert.equal(byName.get('compute')?.totalPercent, 75);
  assert.deepEqual(byName.get('compute')?.callers, [{ name: 'main', file: '/project/app.js', line: 1, ms: 9 }]);
  assert.deepEqual(byName.get('main')?.callers, [], 'the (root) node is not a caller');
  const hot = lineAt(report, '/project/app.js', 12);
  assert.deepEqual(hot?.callers, [{ name: 'main', file: '/project/app.js', line: 1, ms: 9 }]);
  assert.equal(hot?.functionTotalMs, 9);
  assert.equal(byName.get('compute')?.line, 10, 'function lines are 1-based');
});

test('processes come from $hotspots metadata, one per profile', () => {
  const report = reportOf('simple.cpuprofile', 'worker.cpuprofile');
  assert.deepEqual(
    report.processes.map(({ pid, kind, sampledMs, profile }) => ({ pid, kind, sampledMs, profile: path.basename(profile) })),
    [
      { pid: 4242, kind: 'main', sampledMs: 14, profile: 'simple.cpuprofile' },
      { pid: 4243, kind: 'worker', sampledMs: 2, profile: 'worker.cpuprofile' },
    ],
  );
});

test('merging two profiles sums lines, functions and categories', () => {
  const single = reportOf('simple.cpuprofile');
  const merged = reportOf('simple.cpuprofile', 'worker.cpuprofile');
  assert.equal(lineAt(merged, '/project/app.js', 12)?.selfMs, 5.75);
  assert.equal(lineAt(merged, '/project/app.js', 12)?.hits, 5);
  assert.equal(merged.categories.userMs, single.categories.userMs + 2);
  assert.equal(merged.totalSampledMs, 16);
  const compute = merged.functions.filter(fn => fn.name === 'compute');
  assert.equal(compute.length, 1, 'the same function in two processes is one entry');
  assert.equal(compute[0].selfMs, 7);
  assert.equal(compute[0].totalMs, 11);
});

test('profiles without $hotspots get defaults: kind main, pid from a node --cpu-prof file name', () => {
  const profile = readCpuProfileFileSync(path.join(fixtures, 'worker.cpuprofile'));
  delete profile.$hotspots;
  const report = buildReport([{ path: '/tmp/CPU.20260101.120000.31337.0.001.cpuprofile', profile }], options);
  assert.deepEqual(report.processes[0], { pid: 31337, kind: 'main', argv: [], profile: '/tmp/CPU.20260101.120000.31337.0.001.cpuprofile', sampledMs: 2 });
});

function frame(functionName: string, url: string, lineNumber: number): CpuProfileNode['callFrame'] {
  return { functionName, scriptId: '1', url, lineNumber, columnNumber: 0 };
}

test('recursion counts each sample once in a function total', () => {
  // root -> fib -> fib -> fib, one 1 ms sample on each fib node
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(root)', '', -1), children: [2] },
      { id: 2, callFrame: frame('fib', '/p/fib.js', 0), children: [3] },
      { id: 3, callFrame: frame('fib', '/p/fib.js', 0), children: [4] },
      { id: 4, callFrame: frame('fib', '/p/fib.js', 0) },
    ],
    startTime: 0,
    endTime: 3000,
    samples: [2, 3, 4],
    timeDeltas: [0, 1000, 1000],
    $hotspots: { pid: 1, ppid: 0, threadId: 0, kind: 'main', argv: [], sampleIntervalUs: 1000, inliningDisabled: true },
  };
  const report = buildReport([{ path: 'fib.cpuprofile', profile }], options);
  assert.equal(report.functions.length, 1);
  assert.equal(report.functions[0].selfMs, 3);
  assert.equal(report.functions[0].totalMs, 3);
  assert.deepEqual(report.functions[0].callers, [], 'a function is not its own caller');
});

test('profiles recorded with inlining get a warning; an unplaceable tick before the function start is shown as inlined code on its first line', () => {
  const report = reportOf('inlined.cpuprofile');
  assert.ok(report.warnings.some(warning => /inlining enabled/.test(warning)), report.warnings.join('\n'));
  assert.ok(report.warnings.some(warning => /^25\.0% of the time on lines \(1 ms\) came from inlined code .*25\.0% shown as inlined code/.test(warning)), report.warnings.join('\n'));
  // /project/main.js is not on disk: nothing tells where line 3 belongs, so it is neither kept nor dropped.
  assert.deepEqual(report.lines.map(line => [line.line, line.selfMs, line.inlinedMs]), [[22, 3, undefined], [20, 1, 1]]);
  assert.equal(report.functions[0].selfMs, 4, 'the function keeps all of its self time');
});

test('the inlining warning advises what fits the profile: `hotspots profile` for a foreign one, no --keep-inlining for a Hotspots run', () => {
  const foreign = reportOf('inlined.cpuprofile');
  assert.ok(foreign.warnings.some(warning => warning.includes('(profile with `hotspots profile` for exact lines)')), foreign.warnings.join('\n'));
  const kept = readCpuProfileFileSync(path.join(fixtures, 'simple.cpuprofile'));
  kept.$hotspots = { ...kept.$hotspots!, inliningDisabled: false };
  const ours = buildReport([{ path: 'kept.cpuprofile', profile: kept }], options);
  assert.ok(ours.warnings.some(warning => warning.includes('(profile without --keep-inlining for exact lines)')), ours.warnings.join('\n'));
});

test('profiles recorded by the preload without inlining get no inlining warning', () => {
  assert.deepEqual(reportOf('simple.cpuprofile', 'worker.cpuprofile').warnings, []);
});

test('includeDependencies: false drops node_modules lines but keeps their time as user time', () => {
  const profile = readCpuProfileFileSync(path.join(fixtures, 'simple.cpuprofile'));
  const report = buildReport([{ path: 'simple.cpuprofile', profile }], { ...options, includeDependencies: false });
  assert.ok(report.lines.every(line => !line.file.includes('node_modules')));
  assert.equal(report.categories.userMs, 9);
});

test('caller warnings come first and the report echoes the run options', () => {
  const profile = readCpuProfileFileSync(path.join(fixtures, 'worker.cpuprofile'));
  const report = buildReport([{ path: 'w.cpuprofile', profile }], { ...options, exitCode: 3, signal: 'SIGINT', warnings: ['launcher said so'] });
  assert.equal(report.version, 1);
  assert.deepEqual([report.exitCode, report.signal, report.wallMs, report.warnings], [3, 'SIGINT', 20, ['launcher said so']]);
});

test('node order does not matter: children listed before parents give the same totals', () => {
  const inOrder = readCpuProfileFileSync(path.join(fixtures, 'simple.cpuprofile'));
  const shuffled = readCpuProfileFileSync(path.join(fixtures, 'simple.cpuprofile'));
  shuffled.nodes = [...shuffled.nodes].reverse();
  const expected = buildReport([{ path: 'a.cpuprofile', profile: inOrder }], options);
  const actual = buildReport([{ path: 'a.cpuprofile', profile: shuffled }], options);
  assert.deepEqual(actual.functions, expected.functions);
  assert.deepEqual(actual.lines, expected.lines);
});

test('sample-less profiles (hitCount only) spread their duration over the hits', () => {
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(root)', '', -1), children: [2] },
      { id: 2, callFrame: frame('work', '/p/w.js', 4), hitCount: 3, children: [3] },
      { id: 3, callFrame: frame('inner', '/p/w.js', 9), hitCount: 1 },
    ],
    startTime: 0,
    endTime: 8000,
  };
  const report = buildReport([{ path: 'old.cpuprofile', profile }], options);
  assert.deepEqual(report.functions.map(fn => [fn.name, fn.selfMs, fn.totalMs]), [['work', 6, 8], ['inner', 2, 2]]);
  assert.deepEqual(report.lines.map(line => [line.line, line.hits]), [[5, 3], [10, 1]]);
});

test('without $hotspots the interval is estimated from the time deltas', () => {
  const profile = readCpuProfileFileSync(path.join(fixtures, 'inlined.cpuprofile'));
  assert.equal(buildReport([{ path: 'i.cpuprofile', profile }], options).sampleIntervalUs, 1000);
});

test('with inlining, ticks past the end of a JavaScript file are flagged as inlined code; without, they are kept', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-inline-'));
  try {
    const script = path.join(dir, 'main.js');
    fs.writeFileSync(script, 'function loop() {\n  let x = 0;\n  for (;;) x++;\n}\nloop();\n'); // 6 lines
    const profileWith = (inliningDisabled: boolean): CpuProfile => ({
      nodes: [
        { id: 1, callFrame: frame('(root)', '', -1), children: [2] },
        // line 1470 is a line of node:internal code inlined into loop()
        { id: 2, callFrame: frame('loop', script, 0), positionTicks: [{ line: 3, ticks: 3 }, { line: 1470, ticks: 1 }] },
      ],
      startTime: 0,
      endTime: 4000,
      samples: [2, 2, 2, 2],
      timeDeltas: [0, 1000, 1000, 1000],
      $hotspots: { pid: 1, ppid: 0, threadId: 0, kind: 'main', argv: [], sampleIntervalUs: 1000, inliningDisabled },
    });
    const inlined = buildReport([{ path: 'a.cpuprofile', profile: profileWith(false) }], options);
    assert.deepEqual(inlined.lines.map(line => [line.line, line.selfMs, line.inlinedMs]), [[3, 3, undefined], [1, 1, 1]]);
    assert.equal(inlined.functions[0].selfMs, 4);
    const exact = buildReport([{ path: 'a.cpuprofile', profile: profileWith(true) }], options);
    assert.deepEqual(exact.lines.map(line => [line.line, line.selfMs]), [[3, 3], [1470, 1]], 'no inlining: trust V8');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the preload's own frames count as internals in profiles Hotspots recorded, never as hot lines", () => {
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(root)', '', -1), children: [2, 3] },
      { id: 2, callFrame: frame('startProfiling', 'file:///opt/hotspots/dist/preload.js', 10) },
      { id: 3, callFrame: frame('work', 'file:///p/app.js', 0) },
    ],
    startTime: 0,
    endTime: 3000,
    samples: [2, 3, 3],
    timeDeltas: [0, 1000, 1000],
    $hotspots: { pid: 1, ppid: 0, threadId: 0, kind: 'main', argv: [], sampleIntervalUs: 1000, inliningDisabled: true },
  };
  const recorded = buildReport([{ path: 'a.cpuprofile', profile }], options);
  assert.deepEqual(recorded.lines.map(line => line.file), ['/p/app.js']);
  assert.deepEqual(recorded.functions.map(fn => fn.name), ['work']);
  assert.equal(recorded.categories.nodeInternalsMs, 1);
  assert.equal(recorded.categories.userMs, 2);

  // A foreign profile has no Hotspots preload in it: a user's own dist/preload.js is user code.
  const { $hotspots: _meta, ...foreign } = profile;
  const foreignReport = buildReport([{ path: 'b.cpuprofile', profile: foreign }], options);
  assert.ok(foreignReport.lines.some(line => line.file === '/opt/hotspots/dist/preload.js'));
});

test('scripts the preload lists as its own (e.g. the esbuild that transpiles TypeScript) are the profiler\'s time', () => {
  const esbuildUrl = 'file:///opt/hotspots/node_modules/esbuild/lib/main.js';
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(root)', '', -1), children: [2, 3] },
      { id: 2, callFrame: frame('transformSync', esbuildUrl, 2193) },
      { id: 3, callFrame: frame('work', 'file:///p/app.ts', 0) },
    ],
    startTime: 0,
    endTime: 3000,
    samples: [2, 3, 3],
    timeDeltas: [0, 1000, 1000],
    $hotspots: { pid: 1, ppid: 0, threadId: 0, kind: 'main', argv: [], sampleIntervalUs: 1000, inliningDisabled: true, profilerScripts: [esbuildUrl] },
  };
  const report = buildReport([{ path: 'ts.cpuprofile', profile }], options);
  assert.deepEqual(report.lines.map(line => line.file), ['/p/app.ts']);
  assert.equal(report.categories.nodeInternalsMs, 1);
});

test('code the profiler evaluates inside the program (a stop or save request, the heap-limit check) is its time, not generated code', () => {
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(root)', '', -1), children: [2] },
      { id: 2, callFrame: frame('work', 'file:///p/app.js', 0), children: [3] },
      { id: 3, callFrame: { ...frame('', PROFILER_EVALUATED_SCRIPT, 0), scriptId: '129' }, children: [4] },
      { id: 4, callFrame: frame('checkNearLimit', 'file:///opt/hotspots/dist/preload.js', 90) },
    ],
    startTime: 0,
    endTime: 3000,
    samples: [2, 3, 4],
    timeDeltas: [0, 1000, 1000],
    $hotspots: { pid: 1, ppid: 0, threadId: 0, kind: 'main', argv: [], sampleIntervalUs: 1000, inliningDisabled: true },
  };
  const report = buildReport([{ path: 'e.cpuprofile', profile }], options);
  assert.deepEqual(report.lines.map(line => line.file), ['/p/app.js']);
  assert.deepEqual(report.functions.map(fn => fn.name), ['work']);
  assert.equal(report.categories.nodeInternalsMs, 2);
  assert.ok(!JSON.stringify(report).includes('generated code'), 'not listed as the program\'s generated code');
});

test('frames that differ only in their column (no source map) give the same report as one frame', () => {
  const profile = readCpuProfileFileSync(path.join(fixtures, 'simple.cpuprofile'));
  const distinct = readCpuProfileFileSync(path.join(fixtures, 'simple.cpuprofile'));
  // every node its own call frame object with its own column, as in generated code
  distinct.nodes = distinct.nodes.map((node, index) => ({ ...node, callFrame: { ...node.callFrame, columnNumber: node.callFrame.url ? 100 + index : node.callFrame.columnNumber } }));
  const [a, b] = [profile, distinct].map(p => buildReport([{ path: path.join(fixtures, 'simple.cpuprofile'), profile: p }], options));
  assert.deepEqual(b, a);
  assert.ok(a.lines.length >= 2);
});

test('the main thread idling before the user\'s first file ran (an ES module graph being loaded) is not the program\'s time', () => {
  // Samples every 1 ms: 0 Node internals (kept: the thread was working), 1-5 idle (the loader), the program
  // starts at 6 ms (a sample of its own code), 7-8 idle (a timer of the program), 9 its code again.
  const sampled = (programStartMs?: number): Report => {
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(root)', '', -1), children: [2, 3, 4] },
        { id: 2, callFrame: frame('(idle)', '', -1) },
        { id: 3, callFrame: frame('load', 'node:internal/modules/esm/loader', 10) },
        { id: 4, callFrame: frame('main', '/p/app.mjs', 0) },
      ],
      startTime: 1_000_000,
      endTime: 1_010_000,
      samples: [3, 2, 2, 2, 2, 2, 4, 2, 2, 4],
      timeDeltas: [500, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
      $hotspots: {
        pid: 1, ppid: 0, threadId: 0, kind: 'main', argv: [], sampleIntervalUs: 1000, inliningDisabled: true,
        // performance.now() 6.5 ms = profile clock 1,006,500 µs: the moment the first sample of `main` was taken.
        waits: programStartMs === undefined ? undefined : { clockOffsetUs: 1_000_000, files: [], counts: [], waitUs: [], records: [], minRecordUs: 0, droppedRecords: 0, skipped: [], programStartMs },
      },
    };
    return buildReport([{ path: 'esm.cpuprofile', profile }], options);
  };
  const whole = sampled();
  assert.deepEqual([whole.totalSampledMs, whole.categories.idleMs], [10, 7]);
  const fromStart = sampled(6.5);
  assert.equal(fromStart.categories.idleMs, 2, 'the program\'s own idle time stays');
  assert.equal(fromStart.categories.nodeInternalsMs, 1, 'work before the start stays: only the wait goes');
  assert.equal(fromStart.categories.userMs, 2);
  assert.equal(fromStart.totalSampledMs, 5);
  assert.equal(fromStart.elapsedMs, 3.5);
});

test('the main thread\'s work before the user\'s first file ran is measured as start-up and stays in the CPU tables', () => {
  // Samples every 1 ms: 0-2 Node internals (start-up: the CommonJS loader), 3 idle (the loader waiting),
  // the program starts at 4.5 ms with its own code (4-5), 6-7 idle (a timer of the program), 8 Node
  // internals called by the program (its own busy time, not start-up), 9 its code again.
  const sampled = (programStartMs?: number, extra: { gap?: boolean } = {}): Report => {
    const timeDeltas = [500, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000];
    // A descheduled start-up: sample 1 lasted 20 ms, of which it stands for 4 intervals (sampleWeights.ts).
    if (extra.gap) timeDeltas[2] = 20_000;
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(root)', '', -1), children: [2, 3, 4] },
        { id: 2, callFrame: frame('(idle)', '', -1) },
        { id: 3, callFrame: frame('Module._load', 'node:internal/modules/cjs/loader', 10) },
        { id: 4, callFrame: frame('main', '/p/app.js', 0), children: [5] },
        { id: 5, callFrame: frame('readFileSync', 'node:fs', 40) },
      ],
      startTime: 1_000_000,
      endTime: 1_010_500 + (extra.gap ? 19_000 : 0),
      samples: [3, 3, 3, 2, 4, 4, 2, 2, 5, 4],
      timeDeltas,
      $hotspots: {
        pid: 1, ppid: 0, threadId: 0, kind: 'main', argv: [], sampleIntervalUs: 1000, inliningDisabled: true,
        waits: programStartMs === undefined ? undefined : { clockOffsetUs: 1_000_000, files: [], counts: [], waitUs: [], records: [], minRecordUs: 0, droppedRecords: 0, skipped: [], programStartMs },
      },
    };
    return buildReport([{ path: 'cjs.cpuprofile', profile }], options);
  };
  const unknownStart = sampled();
  assert.equal(unknownStart.startupMs, undefined, 'no program start, no start-up: the field is left out');

  const report = sampled(4.5);
  assert.equal(report.startupMs, 3, 'the three loader samples before the start; the idle one is dropped, not start-up');
  assert.equal(report.categories.nodeInternalsMs, 4, 'start-up stays in the CPU tables, beside the program\'s own Node internals');
  assert.equal(report.functions.length, 1);
  assert.equal(report.categories.userMs, 3);
  assert.equal(report.categories.idleMs, 2, 'the loader\'s idle sample leaves the idle time');
  assert.equal(report.totalSampledMs, 9);
  assert.equal(report.elapsedMs, 6);
  const busyMs = report.totalSampledMs - report.categories.idleMs;
  assert.equal(busyMs - report.startupMs! + report.categories.idleMs, report.elapsedMs, 'without start-up, busy and idle time are the program\'s elapsed time');

  // Between the samples the start-up is weighed as in the tables: a 20 ms gap counts 4 intervals, the rest
  // is unsampled time (outside every share), so start-up is still a part of the busy time.
  const descheduled = sampled(23.5, { gap: true });
  assert.equal(descheduled.startupMs, 6);
  assert.equal(descheduled.categories.nodeInternalsMs, 7);
  assert.equal(descheduled.categories.unsampledMs, 16);
  assert.equal(descheduled.elapsedMs, 6);
});

test('esbuild\'s helpers in TypeScript the preload transpiled are runtime glue, not lines of the .ts file', () => {
  // Generated line 0 maps to nothing (a `__toESM` getter); line 1 to the file's first line.
  const source = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-helpers-')), 'app.ts');
  fs.writeFileSync(source, 'main();\n');
  const url = pathToFileURL(source).href;
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(root)', '', -1), children: [2] },
      { id: 2, callFrame: { ...frame('main', url, 1), columnNumber: 0 }, children: [3] },
      { id: 3, callFrame: { ...frame('get', url, 0), columnNumber: 10 } },
    ],
    startTime: 0,
    endTime: 4000,
    samples: [2, 3, 3, 3],
    timeDeltas: [0, 1000, 1000, 1000],
    $hotspots: {
      pid: 1, ppid: 0, threadId: 0, kind: 'main', argv: [], sampleIntervalUs: 1000, inliningDisabled: true,
      sourceMaps: { [url]: { version: 3, sources: [source], names: [], mappings: ';AAAA' } },
    },
  };
  const report = buildReport([{ path: 'ts.cpuprofile', profile }], options);
  assert.deepEqual(report.functions.map(fn => `${fn.name} ${fn.line}`), ['main 1']);
  assert.equal(report.categories.nodeInternalsMs, 3);
  assert.equal(report.userLines?.[0].line, 1, 'the helper\'s time is charged to the line that called it');
});
