import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  nodeTableOf,
  parseCpuProfile,
  parseCpuProfileChunks,
  parseCpuProfileTableChunks,
  ProfileFormatError,
  readCpuProfileFile,
  readCpuProfileFileSync,
  readCpuProfileTable,
} from '../../../src/core/profile/cpuprofile';
import { buildReport } from '../../../src/core/profile/model';

const fixtures = path.resolve(__dirname, '../../../../test/fixtures/profiles');
const simpleText = fs.readFileSync(path.join(fixtures, 'simple.cpuprofile'), 'utf8');

test('the fast reader returns the same profile as JSON.parse, with typed numeric arrays', async () => {
  const expected = JSON.parse(simpleText);
  const profile = await readCpuProfileFile(path.join(fixtures, 'simple.cpuprofile'));
  assert.ok(profile.samples instanceof Int32Array);
  assert.ok(profile.timeDeltas instanceof Float64Array);
  assert.deepEqual(Array.from(profile.samples), expected.samples);
  assert.deepEqual(Array.from(profile.timeDeltas), expected.timeDeltas);
  assert.deepEqual(profile.nodes, expected.nodes);
  assert.deepEqual(profile.$hotspots, expected.$hotspots);
  assert.equal(profile.startTime, expected.startTime);
  assert.equal(profile.endTime, expected.endTime);
});

test('text and bytes parse alike; nodes split across many JSON.parse batches stay complete and ordered', () => {
  const nodeCount = 40_000;
  // Names full of JSON punctuation and escapes check that the scanner honours strings.
  const nodes = Array.from({ length: nodeCount }, (_, i) => ({
    id: i + 1,
    callFrame: { functionName: `f${i} ]}{["\\"x`, scriptId: '1', url: '/p/a.js', lineNumber: i, columnNumber: 0 },
    children: i + 1 < nodeCount ? [i + 2] : [],
    positionTicks: [{ line: i + 1, ticks: 1 }],
  }));
  const source = { nodes, startTime: 0, endTime: 10, samples: [1, nodeCount, 2], timeDeltas: [-5, 1e3, 2.5] };
  const text = JSON.stringify(source, null, 1); // > 4 MB, so several batches
  assert.ok(text.length > 5 * 1024 * 1024);
  const fromText = parseCpuProfile(text, 'big');
  const fromBytes = parseCpuProfile(Buffer.from(text), 'big');
  assert.equal(fromText.nodes.length, nodeCount);
  assert.deepEqual(fromText.nodes[nodeCount - 1], nodes[nodeCount - 1]);
  assert.deepEqual(fromText.nodes.map(node => node.id), nodes.map(node => node.id));
  assert.deepEqual(Array.from(fromText.timeDeltas), [-5, 1000, 2.5], 'negative, exponent and fractional numbers');
  assert.deepEqual(Array.from(fromBytes.samples), [1, nodeCount, 2]);
});

test('a profile with a BOM, whitespace and key order of another tool is accepted', () => {
  const text = '\ufeff {\n "timeDeltas" : [ 1 , 2 ] ,\n "samples" : [ 2 , 2 ],\n "endTime": 3, "startTime": 0, "nodes": [ {"id": 2, "callFrame": {"functionName": "x", "url": "/a.js", "scriptId": 1, "lineNumber": 0, "columnNumber": 0}} ] }\n';
  const profile = parseCpuProfile(text, 'devtools.cpuprofile');
  assert.deepEqual(Array.from(profile.samples), [2, 2]);
  assert.deepEqual(Array.from(profile.timeDeltas), [1, 2]);
  assert.equal(profile.nodes[0].callFrame.functionName, 'x');
});

test('chunks split anywhere (inside keys, strings, escapes, numbers, the BOM-free start) parse alike', () => {
  const text = simpleText.replace('"compute"', '"com\\"pu]}te"').replace('"timeDeltas": [500,', '"timeDeltas": [5e2,');
  const expected = JSON.parse(text);
  const bytes = Buffer.from(text);
  for (const size of [1, 2, 3, 7, 64, 1000]) {
    const chunks: Buffer[] = [];
    for (let offset = 0; offset < bytes.length; offset += size) chunks.push(bytes.subarray(offset, offset + size));
    const profile = parseCpuProfileChunks(chunks, 'chunked');
    assert.deepEqual(profile.nodes, expected.nodes, `chunks of ${size}`);
    assert.deepEqual(Array.from(profile.samples), expected.samples, `chunks of ${size}`);
    assert.deepEqual(Array.from(profile.timeDeltas), expected.timeDeltas, `chunks of ${size}`);
    assert.deepEqual(profile.$hotspots, expected.$hotspots);
  }
});

function compactProfile(nodeCount: number, extra: (i: number) => Record<string, unknown>): { text: string; expected: unknown } {
  const nodes = Array.from({ length: nodeCount }, (_, i) => ({
    id: i + 1,
    callFrame: { functionName: `fn${i % 50}`, scriptId: String(i % 7), url: `/p/file${i % 7}.js`, lineNumber: i % 50, columnNumber: 0 },
    children: i + 1 < nodeCount ? [i + 2] : [],
    ...extra(i),
  }));
  const expected = { nodes, startTime: 0, endTime: 10, samples: [1, nodeCount], timeDeltas: [0, 5] };
  return { text: JSON.stringify(expected), expected };
}

test('compact profiles (V8 output) split at node boundaries without scanning every byte, in any chunking', () => {
  const { text, expected } = compactProfile(60_000, i => ({ positionTicks: [{ line: (i % 50) + 1, ticks: 1 }] }));
  assert.ok(text.length > 2 * 4 * 1024 * 1024, 'several batches');
  const bytes = Buffer.from(text);
  for (const size of [bytes.length, 1 << 20, 4099]) {
    const chunks: Buffer[] = [];
    for (let offset = 0; offset < bytes.length; offset += size) chunks.push(bytes.subarray(offset, offset + size));
    const profile = parseCpuProfileChunks(chunks, 'compact');
    assert.deepEqual(profile.nodes, (expected as { nodes: unknown[] }).nodes, `chunks of ${size}`);
  }
});

test('a nested object that looks like a node boundary falls back to exact scanning', () => {
  // `"tags":[{"a":1},{"id":2}]` contains `},{"id":` inside a node: the guessed cut is wrong.
  // The last node has one too, so the last boundary of the (single) chunk is a wrong one.
  const { text, expected } = compactProfile(30_000, i => (i % 1000 === 999 ? { tags: [{ a: 1 }, { id: i }] } : {}));
  assert.ok(text.includes('},{"id":'));
  const bytes = Buffer.from(text);
  for (const size of [bytes.length, 1 << 20]) {
    const chunks: Buffer[] = [];
    for (let offset = 0; offset < bytes.length; offset += size) chunks.push(bytes.subarray(offset, offset + size));
    assert.deepEqual(parseCpuProfileChunks(chunks, 'nested').nodes, (expected as { nodes: unknown[] }).nodes, `chunks of ${size}`);
  }
});

function problemOf(input: string): string {
  const problems: string[] = [];
  // Read into node objects and into a NodeTable (the report's reader): the same checks, the same first problem.
  for (const parse of [() => parseCpuProfile(input, 'bad.cpuprofile'), () => parseCpuProfileTableChunks([Buffer.from(input)], 'bad.cpuprofile')]) {
    try {
      parse();
      assert.fail('expected the input to be rejected');
    } catch (error) {
      assert.ok(error instanceof ProfileFormatError, `expected ProfileFormatError, got ${String(error)}`);
      assert.ok(error.message.startsWith('bad.cpuprofile: '), 'the message names the file');
      assert.ok(!error.message.includes('\n'), 'one line');
      problems.push(error.problem);
    }
  }
  assert.equal(problems[1], problems[0], 'NodeTable reader');
  return problems[0];
}

test('malformed inputs are rejected with one clear message', () => {
  const node = '{"id":1,"callFrame":{"functionName":"a","scriptId":"1","url":"/a.js","lineNumber":0,"columnNumber":0}}';
  assert.match(problemOf(''), /is empty/);
  assert.match(problemOf('  \n'), /is empty/);
  assert.match(problemOf('[1,2]'), /not a CPU profile \(expected a JSON object, found an array\)/);
  assert.match(problemOf('{"foo": 1}'), /not a CPU profile \(no "nodes" array\)/);
  assert.match(problemOf('{"traceEvents": []}'), /Chrome performance trace/);
  assert.match(problemOf('{"nodes": []}'), /no nodes/);
  assert.match(problemOf(`{"nodes": [${node}], "samples": [1, 2], "timeDeltas": [0, 1]}`), /sample 1 refers to unknown node id 2/);
  assert.match(problemOf(`{"nodes": [${node}], "samples": [1, 1], "timeDeltas": [0]}`), /2 samples but 1 time deltas/);
  assert.match(problemOf(`{"nodes": [${node}], "samples": [1, x], "timeDeltas": [0, 1]}`), /invalid value in "samples"/);
  assert.match(problemOf(`{"nodes": [${node}], "samples": [1,, 1], "timeDeltas": [0, 1, 1]}`), /empty element in "samples"/);
  assert.match(problemOf(`{"nodes": [${node}], "samples": [1.5, 1], "timeDeltas": [0, 1]}`), /invalid node id in "samples" \(1\.5\)/);
  assert.match(problemOf(`{"nodes": [${node}], "samples": [4294967297, 1], "timeDeltas": [0, 1]}`), /invalid node id in "samples" \(4294967297\)/);
  assert.match(problemOf(`{"nodes": [{"id": 1}]}`), /invalid node 1 \(missing "callFrame"/);
  assert.match(problemOf(`{"nodes": [${node}, {"callFrame": {}}, {"id": 3}]}`), /invalid node at index 1 \(missing numeric "id"\)/);
  assert.match(problemOf(`{"nodes": [${node.replace('"id":1', '"id":1,"children":{}')}]}`), /invalid node 1 \("children" is not an array\)/);
  assert.match(problemOf(`{"nodes": [${node.replace('"id":1', '"id":1,"positionTicks":3')}]}`), /invalid node 1 \("positionTicks" is not an array\)/);
  assert.match(problemOf(`{"nodes": [{"id": 1}], "samples": [1, x]}`), /invalid value in "samples"/);
  assert.match(problemOf(`{"nodes": {}}`), /"nodes" is not an array/);
  assert.match(problemOf(`{"nodes": [${node.replace('"id":1', '"id":1,"children":[7]')}]}`), /unknown child id 7/);
  assert.match(problemOf(`{"nodes": [${node}], "startTime": nope}`), /not valid JSON in "startTime"/);
  assert.match(problemOf(`{"nodes": [${node}]} trailing`), /unexpected data after the profile/);
});

test('truncated files say so, wherever they are cut', () => {
  const compact = compactProfile(20, () => ({})).text;
  for (const cut of [40, compact.indexOf('"id":7'), compact.length - 1]) {
    assert.match(problemOf(compact.slice(0, cut)), /truncated/, `compact, cut at ${cut}`);
  }
  const full = simpleText;
  for (const cut of [1, 30, 400, full.indexOf('"samples"') + 20, full.indexOf('"timeDeltas"') + 16, full.length - 3]) {
    assert.match(problemOf(full.slice(0, cut)), /truncated/, `cut at ${cut}`);
  }
  assert.throws(() => readCpuProfileFileSync(path.join(fixtures, 'truncated.cpuprofile')), /truncated\.cpuprofile: is truncated \(unexpected end of file inside "samples"\)/);
});

test('unreadable files are format errors that name the file', async () => {
  const missing = path.join(os.tmpdir(), `hotspots-missing-${process.pid}.cpuprofile`);
  await assert.rejects(readCpuProfileFile(missing), (error: unknown) => error instanceof ProfileFormatError && /cannot be read \(ENOENT\)/.test(error.message) && error.message.startsWith(missing));
});

test('the NodeTable reader gives the report the same profile as the node objects do', async () => {
  const options = { command: [], exitCode: null, signal: null, wallMs: 0 };
  for (const name of ['simple.cpuprofile', 'worker.cpuprofile', 'inlined.cpuprofile']) {
    const file = path.join(fixtures, name);
    const objects = await readCpuProfileFile(file);
    const table = await readCpuProfileTable(file);
    assert.deepEqual(table.nodeTable, nodeTableOf(objects.nodes), name);
    const { nodeTable: _table, ...tableRest } = table;
    const { nodes: _nodes, ...objectsRest } = objects;
    assert.deepEqual(tableRest, objectsRest, name);
    assert.deepEqual(buildReport([{ path: file, profile: table }], options), buildReport([{ path: file, profile: objects }], options), name);
  }
  // Many batches, a wrong guessed node boundary (exact re-scan), parents stored on children, no samples.
  const { text } = compactProfile(30_000, i => ({
    ...(i % 1000 === 999 ? { tags: [{ a: 1 }, { id: i }] } : {}),
    positionTicks: i % 3 ? [{ line: (i % 50) + 1, ticks: 2 }, { line: 1, ticks: 1 }] : [],
    hitCount: i % 7,
  }));
  const withParents = JSON.stringify({ ...JSON.parse(text), samples: undefined, timeDeltas: undefined, nodes: [{ id: 99_999, parent: 1, callFrame: { functionName: 'p', scriptId: 1, url: '/x.js', lineNumber: 3, columnNumber: 1 } }, ...JSON.parse(text).nodes] });
  for (const source of [text, withParents]) {
    const bytes = Buffer.from(source);
    const objects = parseCpuProfile(bytes, 'generated');
    for (const size of [bytes.length, 1 << 20, 65_537]) {
      const chunks: Buffer[] = [];
      for (let offset = 0; offset < bytes.length; offset += size) chunks.push(bytes.subarray(offset, offset + size));
      const table = parseCpuProfileTableChunks(chunks, 'generated');
      assert.deepEqual(table.nodeTable, nodeTableOf(objects.nodes), `chunks of ${size}`);
      assert.deepEqual(buildReport([{ path: 'generated', profile: table }], options), buildReport([{ path: 'generated', profile: objects }], options), `chunks of ${size}`);
    }
  }
});
