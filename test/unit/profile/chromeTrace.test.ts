// The DevTools Performance-trace importer: a V8 profile spread over trace events gives the report the
// profile itself gives; the page's thread is the one read; broken traces are one-line errors.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import * as zlib from 'node:zlib';
import { loadProfilesSync, loadProfileSync, profileFormatOf, ProfileFormatError } from '../../../src/core/profile/importers';
import { parseChromeTrace, parseChromeTraceThreads } from '../../../src/core/profile/importers/chromeTrace';
import { describePathMappings, inferPathMappings, profileFiles } from '../../../src/core/profile/importers/pathMapping';
import { buildReport } from '../../../src/core/profile/model';
import { packageRoot } from '../../../src/core/paths';
import type { CpuProfile, Report } from '../../../src/core/profile/types';

const simple = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'test/fixtures/profiles/simple.cpuprofile'), 'utf8')) as CpuProfile;

/**
 * `profile` as DevTools records it: nodes listed with their `parent`, in chunks of `perChunk` samples, each
 * chunk carrying the nodes first seen in it, and the 1-based line of every sample (from positionTicks).
 */
function asTrace(profile: CpuProfile, perChunk: number, pid = 7): object[] {
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const ticksLeft = new Map(profile.nodes.map(node => [node.id, (node.positionTicks ?? []).flatMap(({ line, ticks }) => Array<number>(ticks).fill(line))]));
  const sent = new Set<number>();
  const events: object[] = [{ name: 'Profile', ph: 'P', id: '0x1', pid, tid: pid, args: { data: { startTime: profile.startTime } } }];
  const samples = profile.samples ?? [];
  for (let from = 0; from < samples.length; from += perChunk) {
    const chunk = samples.slice(from, from + perChunk);
    const nodes = [];
    for (const id of chunk) {
      // A node comes with its ancestors the first time a sample needs it.
      const missing: number[] = [];
      for (let at: number | undefined = id; at !== undefined && !sent.has(at); at = parentOf.get(at)) missing.unshift(at);
      for (const nodeId of missing) {
        sent.add(nodeId);
        const node = profile.nodes.find(candidate => candidate.id === nodeId)!;
        nodes.push({ id: node.id, callFrame: { ...node.callFrame, codeType: node.callFrame.url ? 'JS' : 'other' }, ...(parentOf.has(node.id) ? { parent: parentOf.get(node.id) } : {}) });
      }
    }
    const lines = chunk.map(id => ticksLeft.get(id)?.shift() ?? 0);
    events.push({ name: 'ProfileChunk', ph: 'P', id: '0x1', pid, tid: pid, args: { data: { cpuProfile: { nodes, samples: chunk }, timeDeltas: (profile.timeDeltas ?? []).slice(from, from + perChunk), lines } } });
  }
  return events;
}

function reportOf(profile: Parameters<typeof buildReport>[0][number]['profile']): Report {
  return buildReport([{ path: '/tmp/p', profile }], { command: [], exitCode: null, signal: null, wallMs: 0, includeDependencies: true });
}

test('a profile spread over trace chunks gives the same lines, functions and categories as the profile itself', () => {
  const fromTrace = reportOf(parseChromeTrace(JSON.stringify({ traceEvents: asTrace(simple, 3) })));
  const direct = reportOf(simple);
  const lines = (report: Report) => report.lines.map(line => `${line.file}:${line.line} ${line.selfMs.toFixed(3)} ${line.hits}`);
  assert.ok(direct.lines.length >= 2);
  assert.deepEqual(lines(fromTrace), lines(direct));
  assert.deepEqual(fromTrace.functions.map(fn => [fn.name, fn.selfMs, fn.totalMs]), direct.functions.map(fn => [fn.name, fn.selfMs, fn.totalMs]));
  assert.deepEqual(fromTrace.categories, direct.categories);
});

test('of several threads, the one with the most samples in scripts comes first (the page, not the browser process)', () => {
  const browserThread = { ...simple, nodes: simple.nodes.map(node => ({ ...node, callFrame: { ...node.callFrame, url: '' } })), samples: [...(simple.samples ?? []), ...(simple.samples ?? [])], timeDeltas: [...(simple.timeDeltas ?? []), ...(simple.timeDeltas ?? [])] };
  const trace = [...asTrace(browserThread, 100, 1), ...asTrace(simple, 4, 2)];
  const read = parseChromeTrace(JSON.stringify(trace));
  assert.equal(read.samples.length, simple.samples!.length);
  assert.ok(read.nodes.some(node => node.callFrame.url === 'file:///project/app.js'));
  // The browser's own thread ran no script: it is no profile at all.
  assert.equal(parseChromeTraceThreads(JSON.stringify(trace)).length, 1);
});

test('a web worker\'s thread is a worker of the report, beside the page\'s main thread', () => {
  const worker = { ...simple, nodes: simple.nodes.map(node => ({ ...node, callFrame: { ...node.callFrame, url: node.callFrame.url.replace('app.js', 'worker.js') } })), samples: simple.samples!.slice(0, 6), timeDeltas: simple.timeDeltas!.slice(0, 6) };
  const workerEvents = asTrace(worker, 3, 7).map(event => ({ ...event, id: '0x2', tid: 8 }));
  const trace = { traceEvents: [{ name: 'thread_name', ph: 'M', pid: 7, tid: 8, args: { name: 'DedicatedWorker thread' } }, ...asTrace(simple, 4, 7), ...workerEvents] };
  const threads = parseChromeTraceThreads(JSON.stringify(trace));
  assert.deepEqual(threads.map(thread => [thread.samples.length, thread.$hotspots?.kind, thread.$hotspots?.argv]), [[simple.samples!.length, 'main', []], [6, 'worker', ['DedicatedWorker thread']]]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-trace-'));
  const file = path.join(dir, 'Trace-workers.json');
  fs.writeFileSync(file, JSON.stringify(trace));
  const report = buildReport(loadProfilesSync([file]).profiles, { command: [], exitCode: null, signal: null, wallMs: 0, includeDependencies: true });
  assert.deepEqual(report.processes.map(process => process.kind), ['main', 'worker']);
  assert.ok(report.lines.some(line => line.file === '/project/worker.js') && report.lines.some(line => line.file === '/project/app.js'), JSON.stringify(report.lines.map(line => line.file)));
});

test('the page\'s main thread (CrRendererMain) comes first even when a worker ran more script; top-level code starts at line 1', () => {
  const busyWorker = { ...simple, samples: [...simple.samples!, ...simple.samples!], timeDeltas: [...simple.timeDeltas!, ...simple.timeDeltas!] };
  const page = { ...simple, nodes: simple.nodes.map(node => (node.callFrame.functionName === 'main' ? { ...node, callFrame: { ...node.callFrame, functionName: '', lineNumber: -1, columnNumber: -1 } } : node)) };
  const trace = [
    { name: 'thread_name', ph: 'M', pid: 3, tid: 30, args: { name: 'CrRendererMain' } },
    { name: 'thread_name', ph: 'M', pid: 3, tid: 31, args: { name: 'DedicatedWorker thread' } },
    ...asTrace(busyWorker, 5, 3).map(event => ({ ...event, id: '0x2', tid: 31 })),
    ...asTrace(page, 5, 3).map(event => ({ ...event, tid: 30 })),
  ];
  const [main, worker] = parseChromeTraceThreads(JSON.stringify(trace));
  assert.deepEqual([main.$hotspots?.kind, main.samples.length, worker.$hotspots?.kind, worker.$hotspots?.argv], ['main', simple.samples!.length, 'worker', ['DedicatedWorker thread']]);
  const topLevel = main.nodes.find(node => node.callFrame.url === 'file:///project/app.js' && node.callFrame.functionName === '');
  assert.deepEqual([topLevel?.callFrame.lineNumber, topLevel?.callFrame.columnNumber], [0, 0], 'line -1 of a script is its start');
});

test('a trace is recognised by its content whatever its name; broken ones are one-line errors', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-trace-'));
  const file = path.join(dir, 'Trace-20261206T101010.json');
  fs.writeFileSync(file, JSON.stringify({ metadata: { source: 'DevTools' }, traceEvents: asTrace(simple, 5) }));
  assert.equal(profileFormatOf(file), 'chrome-trace');
  assert.equal(loadProfileSync(file).samples.length, simple.samples!.length);
  const gzipped = path.join(dir, 'Trace-20261206T101010.json.gz');
  fs.writeFileSync(gzipped, zlib.gzipSync(fs.readFileSync(file)));
  assert.equal(profileFormatOf(gzipped), 'chrome-trace');
  assert.equal(loadProfileSync(gzipped).samples.length, simple.samples!.length);
  const array = path.join(dir, 'events.json');
  fs.writeFileSync(array, JSON.stringify(asTrace(simple, 5)));
  assert.equal(profileFormatOf(array), 'chrome-trace');

  const noProfile = path.join(dir, 'Trace-empty.json');
  fs.writeFileSync(noProfile, JSON.stringify({ traceEvents: [{ name: 'RunTask', ph: 'X', pid: 1, tid: 1, ts: 1 }] }));
  assert.throws(() => loadProfileSync(noProfile), (error: Error) => error instanceof ProfileFormatError && /without a CPU profile/.test(error.message));
  const orphan = asTrace(simple, 50) as { args?: { data?: { cpuProfile?: { nodes: { parent?: number }[] } } } }[];
  orphan[1].args!.data!.cpuProfile!.nodes[1].parent = 999;
  assert.throws(() => parseChromeTrace(JSON.stringify(orphan), 'x.json'), /x\.json: has a profile node \(\d+\) whose parent \(999\) is missing/);
  assert.throws(() => parseChromeTrace('{"traceEvents": [', 'cut.json'), /cut\.json: is not valid JSON/);
});

test('a page\'s scripts (http URLs) are found in the workspace: by path, in its static folder, or deeper by the longest matching end', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-web-'));
  for (const file of ['src/app.ts', 'src/main.js', 'public/bundle.js', 'packages/shop/dist/assets/index-3f2a.js', 'node_modules/lib/assets/index-3f2a.js']) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), '');
  }
  // A dev server (Vite) served the TypeScript transformed: mapped, with a caution about its lines.
  // The mapping is made by a JavaScript file and covers the TypeScript one: the caution is said all the same.
  const mappings = inferPathMappings(['http://localhost:5173/src/main.js', 'http://localhost:5173/src/app.ts'], [root]);
  assert.equal(mappings.length, 1);
  const [devServer] = mappings;
  assert.deepEqual([devServer.from, devServer.to], ['http://localhost:5173', root]);
  assert.match(describePathMappings([devServer]), /^http:\/\/localhost:5173 → .* \(the page ran a dev server's transform of these sources, whose lines can differ/);
  assert.deepEqual(inferPathMappings(['http://localhost:3000/bundle.js'], [root]), [{ from: 'http://localhost:3000', to: path.join(root, 'public') }]);
  assert.deepEqual(inferPathMappings(['https://shop.example.com/static/assets/index-3f2a.js'], [root]), [{ from: 'https://shop.example.com/static', to: path.join(root, 'packages/shop/dist') }]);
  assert.deepEqual(inferPathMappings(['http://localhost:3000/nothing-like-it.js'], [root]), []);
  // A page's inline scripts are named by the page's own URL: its index.html.
  fs.writeFileSync(path.join(root, 'public/index.html'), '');
  const pageFiles = profileFiles([{ id: 1, callFrame: { functionName: '', scriptId: 1, url: 'http://localhost:4000/', lineNumber: 2, columnNumber: 0 } }]);
  assert.deepEqual([...pageFiles], ['http://localhost:4000/index.html']);
  assert.deepEqual(inferPathMappings(pageFiles, [root]), [{ from: 'http://localhost:4000', to: path.join(root, 'public') }]);
});
