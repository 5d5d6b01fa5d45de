// The pprof importer on small profiles with known answers, and the CLI on pprof input.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { ComparisonInputError, loadReportOrProfile } from '../../../src/core/compare/load';
import { speedscopeFromFiles } from '../../../src/core/flame/load';
import { distFile } from '../../../src/core/paths';
import { loadProfile, loadProfileSync, profileFormatOf, ProfileFormatError } from '../../../src/core/profile/importers';
import { inferPathMappings, mapPath } from '../../../src/core/profile/importers/pathMapping';
import { parsePprof } from '../../../src/core/profile/importers/pprof';
import { buildReport } from '../../../src/core/profile/model';
import type { Report } from '../../../src/core/profile/types';
import { encodeSpec, type FrameSpec, type PprofSpec } from './pprofFixtures';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-pprof-'));
const APP = '/srv/app/server.js';
const main: FrameSpec = { name: 'main', file: APP, line: 3, startLine: 1 };
const parse: FrameSpec = { name: 'parse', file: APP, line: 12, startLine: 10 };
const parseOther: FrameSpec = { name: 'parse', file: APP, line: 14, startLine: 10 };
const render: FrameSpec = { name: 'render', file: APP, line: 22, startLine: 20 };

/** cpu/nanoseconds: parse line 12 = 30 ms, line 14 = 10 ms; render line 22 = 20 ms. */
const cpuSpec: PprofSpec = {
  sampleTypes: [['samples', 'count'], ['cpu', 'nanoseconds']],
  period: 10_000_000,
  periodType: ['cpu', 'nanoseconds'],
  samples: [
    { stack: [parse, main], values: [3, 30_000_000] },
    { stack: [parseOther, main], values: [1, 10_000_000] },
    { stack: [render, main], values: [2, 20_000_000] },
  ],
};

function report(profile: ReturnType<typeof parsePprof>, file = '/tmp/p.pb.gz'): Report {
  return buildReport([{ path: file, profile }], { command: [], exitCode: null, signal: null, wallMs: 0 });
}
function lineMs(r: Report, line: number, file = APP): number | undefined {
  return r.lines.find(entry => entry.file === file && entry.line === line)?.selfMs;
}
function write(name: string, bytes: Uint8Array | string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

describe('pprof importer', () => {
  test('CPU pprof (gzipped): line times, hits, functions and their callers', () => {
    const r = report(parsePprof(encodeSpec(cpuSpec), 'cpu.pb.gz'));
    assert.equal(lineMs(r, 12), 30);
    assert.equal(lineMs(r, 14), 10);
    assert.equal(lineMs(r, 22), 20);
    assert.equal(r.lines.find(line => line.line === 12)?.hits, 3, 'hits are the sample counts');
    assert.equal(r.lines[0].function, 'parse');
    const parseFn = r.functions.find(fn => fn.name === 'parse')!;
    assert.deepEqual([parseFn.line, parseFn.selfMs, parseFn.callers?.[0]?.name], [10, 40, 'main']);
    assert.equal(r.functions.find(fn => fn.name === 'main')?.totalMs, 60);
    assert.equal(r.totalSampledMs, 60);
    assert.equal(r.sampleIntervalUs, 10_000, 'the pprof period');
  });

  test('wall-time pprof as @datadog/pprof writes it (sample/count + wall/nanoseconds), uncompressed', () => {
    const wall: PprofSpec = {
      sampleTypes: [['sample', 'count'], ['wall', 'nanoseconds']],
      period: 1_000_000,
      periodType: ['wall', 'nanoseconds'],
      samples: [
        { stack: [{ ...parse, startLine: 0 }, { ...main, startLine: 0 }], values: [7, 7_000_000] },
        { stack: [{ name: 'Garbage Collection', file: '', line: 0 }], values: [2, 2_000_000] },
      ],
    };
    const bytes = encodeSpec(wall, false);
    assert.notEqual(bytes[0], 0x1f, 'not gzipped');
    const r = report(parsePprof(bytes, 'wall.pprof'));
    assert.equal(lineMs(r, 12), 7);
    assert.equal(r.categories.gcMs, 2, "Datadog's GC frame counts as garbage collection");
    assert.equal(r.functions.find(fn => fn.name === 'parse')?.line, 12, 'no start line: the first sampled line stands in');
  });

  test('CPU time wins over wall time when a profile has both', () => {
    const both: PprofSpec = { sampleTypes: [['sample', 'count'], ['wall', 'nanoseconds'], ['cpu', 'nanoseconds']], samples: [{ stack: [parse, main], values: [1, 9_000_000, 4_000_000] }] };
    assert.equal(lineMs(report(parsePprof(encodeSpec(both))), 12), 4);
  });

  test('count-only pprof: each sample stands for one period', () => {
    const counts: PprofSpec = { sampleTypes: [['samples', 'count']], period: 2_000_000, periodType: ['cpu', 'nanoseconds'], samples: [{ stack: [render, main], values: [5] }] };
    assert.equal(lineMs(report(parsePprof(encodeSpec(counts))), 22), 10);
  });

  test('inlined frames (several Lines in one Location) stay frames of their own', () => {
    const inlinedHelper: FrameSpec = { name: 'helper', file: APP, line: 31, startLine: 30 };
    const inlined: PprofSpec = {
      sampleTypes: [['cpu', 'nanoseconds']],
      // one location: helper (line 31) inlined into parse (call site line 13), called by main
      samples: [{ stack: [[inlinedHelper, { ...parse, line: 13 }], main], values: [5_000_000] }],
    };
    const r = report(parsePprof(encodeSpec(inlined)));
    assert.equal(lineMs(r, 31), 5, 'the time is on the inlined function\'s line');
    assert.equal(lineMs(r, 13), undefined, 'not on the call site');
    const helper = r.functions.find(fn => fn.name === 'helper')!;
    assert.equal(helper.selfMs, 5);
    assert.equal(helper.callers?.[0]?.name, 'parse', 'the function it was inlined into is its caller');
  });

  test('malformed and truncated input: one clear error', () => {
    const good = encodeSpec(cpuSpec);
    const cases: [string, Uint8Array, RegExp][] = [
      ['truncated gzip', good.subarray(0, good.length - 12), /not a valid gzipped pprof profile/],
      ['truncated protobuf', encodeSpec(cpuSpec, false).subarray(0, 40), /not a valid pprof profile/],
      ['empty', new Uint8Array(0), /empty/],
      ['heap profile', encodeSpec({ sampleTypes: [['objects', 'count'], ['space', 'bytes']], samples: [] }), /heap \(memory\) pprof profile/],
    ];
    for (const [what, bytes, message] of cases) {
      assert.throws(() => parsePprof(bytes, 'x.pb.gz'), (error: unknown) => error instanceof ProfileFormatError && message.test(error.message) && !error.message.includes('\n'), what);
    }
  });

  test('importer picked by extension, then by content', async () => {
    const renamed = write('production-profile', encodeSpec(cpuSpec));
    assert.equal(profileFormatOf(renamed), 'pprof');
    assert.equal(profileFormatOf(write('raw.bin', encodeSpec(cpuSpec, false))), 'pprof');
    assert.equal(profileFormatOf(write('p.json', '{"nodes":[]}')), 'cpuprofile');
    assert.equal(profileFormatOf(write('report.json', '{"version":1}')), undefined);
    assert.equal(lineMs(report(await loadProfile(renamed)), 12), 30);
    assert.equal(lineMs(report(loadProfileSync(renamed)), 12), 30);
  });

  test('compare and lint --profile read a pprof like a .cpuprofile', () => {
    const compared = loadReportOrProfile(write('compare-me.pb.gz', encodeSpec(cpuSpec)));
    assert.equal(lineMs(compared, 12), 30);
    assert.throws(() => loadReportOrProfile(write('compare-broken.pb.gz', encodeSpec(cpuSpec).subarray(0, 20))), (error: unknown) => error instanceof ComparisonInputError && /compare-broken\.pb\.gz: is not a valid gzipped pprof/.test(error.message));
  });
});

describe('flame graph of a pprof', () => {
  test('speedscopeFromFiles reads a .pb.gz; a frame has the report\'s self time', async () => {
    const file = write('flame.pb.gz', encodeSpec(cpuSpec));
    const flame = await speedscopeFromFiles([file], { minSubtreeFraction: 0 });
    const parseFrame = flame.shared.frames.findIndex(frame => frame.name === 'parse');
    assert.ok(parseFrame >= 0);
    let selfUs = 0;
    const open: number[] = [];
    let last = 0;
    for (const event of flame.profiles[0].events) {
      if (open.at(-1) === parseFrame) selfUs += event.at - last;
      last = event.at;
      if (event.type === 'O') open.push(event.frame);
      else open.pop();
    }
    assert.equal(selfUs / 1000, report(parsePprof(encodeSpec(cpuSpec))).functions.find(fn => fn.name === 'parse')?.selfMs);
    assert.equal(selfUs, 40_000);
  });
});

describe('path mapping', () => {
  test('a deploy path maps to the workspace by its longest existing suffix', () => {
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-ws-'));
    fs.mkdirSync(path.join(workspace, 'src'));
    fs.writeFileSync(path.join(workspace, 'src', 'server.js'), '');
    const mappings = inferPathMappings(['/app/src/server.js', '/app/src/other.js', '/app/node_modules/x/index.js'], [workspace]);
    assert.deepEqual(mappings, [{ from: '/app', to: workspace }]);
    assert.equal(mapPath('/app/src/other.js', mappings), path.join(workspace, 'src', 'other.js'));
    assert.equal(mapPath('/application/x.js', mappings), '/application/x.js', 'whole path components only');
  });
});

describe('hotspots report on pprof', () => {
  const cli = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [distFile('cli.js'), ...args], { cwd, encoding: 'utf8' });

  test('reads a .pb.gz, maps /srv/app to the current directory and says so; --path-map sets it', () => {
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-ws-'));
    fs.writeFileSync(path.join(workspace, 'server.js'), '// server\n'.repeat(40));
    const file = write('cpu.pb.gz', encodeSpec(cpuSpec));
    const run = cli(workspace, 'report', file, '--json', '-');
    assert.equal(run.status, 0, run.stderr);
    const r = JSON.parse(run.stdout) as Report;
    assert.equal(lineMs(r, 12, path.join(workspace, 'server.js')), 30);
    assert.ok(r.warnings.some(w => w.includes(`/srv/app → ${workspace}`)), r.warnings.join('\n'));

    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-ws-'));
    const explicit = cli(os.tmpdir(), 'report', file, '--path-map', `/srv/app=${elsewhere}`, '--json', '-');
    assert.equal(explicit.status, 0, explicit.stderr);
    assert.equal(lineMs(JSON.parse(explicit.stdout) as Report, 12, path.join(elsewhere, 'server.js')), 30);
  });

  test('malformed pprof: exit 2 and one line on stderr', () => {
    const file = write('broken.pb.gz', encodeSpec(cpuSpec).subarray(0, 30));
    const run = cli(dir, 'report', file);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^hotspots: report: broken\.pb\.gz: is not a valid gzipped pprof profile .*\n$|^[^\n]*broken\.pb\.gz[^\n]*\n$/);
    assert.equal(run.stderr.trim().split('\n').length, 1);
  });
});
