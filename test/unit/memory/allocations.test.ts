// The heap-profile model on hand-made profiles: attribution to user functions, built-ins charged to their
// caller, Node 20's url-less CommonJS frames located through the CPU profile, totals and peaks.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildMemoryReport, formatBytes } from '../../../src/core/profile/memory/allocations';
import { formatMemoryText } from '../../../src/core/profile/memory/format';
import { functionEndLine } from '../../../src/core/profile/memory/functionRange';
import { HeapProfileFormatError, parseHeapProfile } from '../../../src/core/profile/memory/heapProfile';
import type { HeapProfileFile, HeapProfileMeta, RawHeapProfileNode } from '../../../src/core/profile/memory/heapProfileTypes';
import type { CpuProfile, Report } from '../../../src/core/profile/types';

let nextId = 1;
function node(functionName: string, url: string, lineNumber: number, selfSize: number, children: RawHeapProfileNode[] = [], scriptId = url ? 7 : 0): RawHeapProfileNode {
  return { callFrame: { functionName, url, lineNumber, columnNumber: 0, scriptId }, selfSize, id: nextId++, children };
}

const meta: HeapProfileMeta = {
  pid: 10, threadId: 0, mode: 'allocated', samplingIntervalBytes: 32768, peakHeapBytes: 5000, peakRssBytes: 9000,
  heapAtStartBytes: 1000, heapAtEndBytes: 1600, heapLimitBytes: 1 << 30, gcMs: 2.5, reason: 'exit',
};

describe('buildMemoryReport', () => {
  test('built-ins are charged to the nearest user function; callers are recorded', () => {
    const file = '/app/main.js';
    const profile: HeapProfileFile = {
      head: node('(root)', '', -1, 0, [
        node('main', file, 0, 100, [
          node('parseAll', file, 9, 300, [node('split', '', -1, 600), node('JSON.parse', '', -1, 400)]),
        ]),
        node('(V8 API)', '', -1, 50),
      ]),
      $hotspots: meta,
    };
    const { memory, allocations } = buildMemoryReport([{ path: '/out/10-0.heapprofile', profile }], []);
    assert.deepEqual(allocations.map(entry => [entry.function, entry.line, entry.allocatedBytes]), [['parseAll', 10, 1300], ['main', 1, 100]]);
    assert.equal(memory.allocatedBytes, 1450, 'the total counts everything, internals included');
    assert.equal(allocations[0].allocatedPercent, 89.66);
    assert.deepEqual(allocations[0].callers, [{ name: 'main', file, line: 1, bytes: 1300 }]);
    assert.equal(memory.retainedBytes, 600);
    assert.equal(memory.peakHeapBytes, 5000);
    assert.equal(memory.gcMs, 2.5);
  });

  test('Node 20 CommonJS frames without url are located through the same thread\'s CPU profile', () => {
    const profile: HeapProfileFile = {
      head: node('(root)', '', -1, 0, [node('build', '', -1, 800, [], 42)]),
      $hotspots: meta,
    };
    const cpu: CpuProfile = {
      nodes: [
        { id: 1, callFrame: { functionName: '(root)', scriptId: 0, url: '', lineNumber: -1, columnNumber: -1 }, children: [2] },
        { id: 2, callFrame: { functionName: 'build', scriptId: 42, url: 'file:///app/lib.js', lineNumber: 4, columnNumber: 14 } },
      ],
      startTime: 0, endTime: 1,
      $hotspots: { pid: 10, ppid: 1, threadId: 0, kind: 'main', argv: [], sampleIntervalUs: 1000, inliningDisabled: true },
    };
    const { allocations, warnings } = buildMemoryReport([{ path: '/out/10-0.heapprofile', profile }], [{ path: '/out/10-0.cpuprofile', profile: cpu }]);
    assert.deepEqual(allocations.map(entry => [entry.function, entry.file, entry.line]), [['build', '/app/lib.js', 5]]);
    assert.deepEqual(warnings, []);
  });

  test('an interim profile written near the heap limit says the process ran out of memory', () => {
    const profile: HeapProfileFile = { head: node('(root)', '', -1, 0, [node('grow', '/app/x.js', 2, 900)]), $hotspots: { ...meta, reason: 'near-heap-limit', heapAtEndBytes: null } };
    const { memory, warnings } = buildMemoryReport([{ path: '/out/10-0.heapprofile', profile }], []);
    assert.equal(memory.outOfMemory, true);
    assert.match(warnings[0], /^process 10 ran out of memory: its heap reached 4\.9 KB of its 1\.0 GB limit/);
    assert.equal(memory.retainedBytes, 0);
  });

  test('a live-only profile (--memory=retained) gives each function the bytes it still holds', () => {
    const file = '/app/cache.js';
    const live: HeapProfileFile = { head: node('(root)', '', -1, 0, [node('remember', file, 3, 700), node('(V8 API)', '', -1, 20)]), $hotspots: { ...meta, mode: 'retained' } };
    const { memory, allocations, warnings } = buildMemoryReport([{ path: '/out/10-0.heapprofile', profile: live }], []);
    assert.equal(memory.mode, 'retained');
    assert.deepEqual(allocations.map(entry => [entry.function, entry.allocatedBytes, entry.retainedBytes]), [['remember', 700, 700]]);
    assert.deepEqual(warnings, []);
    const text = formatMemoryText({ memory, allocations } as Report, { top: 5, cwd: '/app' });
    assert.match(text, /^Top allocations still held/m);
    assert.match(text, /^ {2}remember\s+cache\.js:4\s+700 B\s+97\.2%$/m);
    assert.doesNotMatch(text, /profile --memory=retained/, 'no hint to run the mode it already is');

    const all: HeapProfileFile = { head: node('(root)', '', -1, 0, [node('remember', file, 3, 900)]), $hotspots: meta };
    const allocated = buildMemoryReport([{ path: '/out/10-0.heapprofile', profile: all }], []);
    assert.equal(allocated.memory.mode, undefined);
    assert.equal(allocated.allocations[0].retainedBytes, undefined, 'an allocated run cannot say what each function holds');
    assert.match(formatMemoryText({ memory: allocated.memory, allocations: allocated.allocations } as Report, { top: 5, cwd: '/app' }), /still holds at the end: profile --memory=retained/);

    const mixed = buildMemoryReport([{ path: '/out/10-0.heapprofile', profile: live }, { path: '/out/11-0.heapprofile', profile: all }], []);
    assert.equal(mixed.memory.mode, undefined);
    assert.match(mixed.warnings[0], /some heap profiles sampled only the objects still alive/);
  });

  test('dependencies are charged to the user code calling them', () => {
    const profile: HeapProfileFile = {
      head: node('(root)', '', -1, 0, [node('run', '/app/a.js', 0, 10, [node('chunk', '/app/node_modules/lodash/lodash.js', 100, 500)])]),
      $hotspots: meta,
    };
    const { allocations } = buildMemoryReport([{ path: '/out/10-0.heapprofile', profile }], []);
    assert.deepEqual(allocations.map(entry => [entry.function, entry.allocatedBytes]), [['run', 510]]);
  });
});

describe('parseHeapProfile', () => {
  test('rejects what is not a heap profile, with the file name', () => {
    assert.throws(() => parseHeapProfile('{"nodes":[]}', 'x.heapprofile'), (error: Error) => error instanceof HeapProfileFormatError && /^x\.heapprofile: is not a heap profile/.test(error.message));
    assert.throws(() => parseHeapProfile('{"head":{"callFrame":{}}}', 'y'), /malformed node/);
    assert.throws(() => parseHeapProfile('not json', 'z'), /HeapProfileFormatError: z: is not JSON/);
  });
});

describe('functionEndLine and formatBytes', () => {
  test('the closing brace of the function, skipping braces in strings and comments', () => {
    const lines = ['function f() {', "  const s = '}';", '  // }', '  if (x) { y(); }', '}', 'after();'];
    const document = { lineCount: lines.length, lineAt: (line: number) => ({ text: lines[line] }) };
    assert.equal(functionEndLine(document, 0), 4);
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(1536), '1.5 KB');
    assert.equal(formatBytes(412 * 1024 * 1024), '412 MB');
  });
});
