// "Your code" on hand-built profiles over real files: which line of the user's code a dependency's time goes to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildReport } from '../../../src/core/profile/model';
import type { CpuProfile, CpuProfileCallFrame } from '../../../src/core/profile/types';

const options = { command: [], exitCode: 0, signal: null, wallMs: 0 };
const frame = (functionName: string, url: string, lineNumber: number, columnNumber = 0): CpuProfileCallFrame => ({ functionName, scriptId: url ? 1 : 0, url, lineNumber, columnNumber });

function inProject(body: (dir: string) => void): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-yourcode-'));
  try {
    fs.mkdirSync(path.join(dir, 'node_modules', 'lib'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'node_modules', 'lib', 'index.js'), 'exports.compare = function compare(a, b) {\n  return a - b;\n};\nexports.check = function check(a) {\n  return a > 1;\n};\n');
    body(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function profile(nodes: CpuProfile['nodes'], samples: number[]): CpuProfile {
  return {
    nodes, startTime: 0, endTime: samples.length * 1000, samples, timeDeltas: samples.map(() => 1000),
    $hotspots: { pid: 1, ppid: 0, threadId: 0, kind: 'main', argv: [], sampleIntervalUs: 1000, inliningDisabled: true },
  };
}

test('a function passed to a dependency (sort(lib.compare)) is charged to the line that passes it; a call by name to its line', () => {
  inProject(dir => {
    const app = path.join(dir, 'app.js');
    fs.writeFileSync(app, "const lib = require('lib');\nconst values = [3, 1, 2];\nvalues.sort(lib.compare);\nif (lib.check(values[0])) console.log('ok');\n");
    const libFile = path.join(dir, 'node_modules', 'lib', 'index.js');
    const report = buildReport([{ path: 'p', profile: profile([
      { id: 1, callFrame: frame('(root)', '', -1), children: [2] },
      { id: 2, callFrame: frame('', app, 0, 0), children: [3, 4] },
      { id: 3, callFrame: frame('compare', libFile, 0, 27) },
      { id: 4, callFrame: frame('check', libFile, 3, 25) },
    ], [3, 3, 3, 4]) }], options);
    const lines = report.userLines!.map(line => [line.line, line.totalMs, line.via.map(via => via.name).join(), line.callLineUnknown ?? false]);
    assert.deepEqual(lines, [[3, 3, 'lib', false], [4, 1, 'lib', false]]);
    assert.ok(report.lines.some(line => line.file === libFile), 'the dependency lines stay listed');
  });
});

test('when no line can be told, the time stays on the function\'s first line, flagged', () => {
  inProject(dir => {
    const app = path.join(dir, 'app.js');
    fs.writeFileSync(app, "const lib = require('lib');\nfunction run(f) {\n  lib.check(1);\n  return lib.check(2);\n}\nrun();\n");
    const libFile = path.join(dir, 'node_modules', 'lib', 'index.js');
    const report = buildReport([{ path: 'p', profile: profile([
      { id: 1, callFrame: frame('(root)', '', -1), children: [2] },
      { id: 2, callFrame: frame('run', app, 1, 12), children: [3] },
      { id: 3, callFrame: frame('check', libFile, 3, 25) },
    ], [3, 3]) }], options);
    assert.deepEqual(report.userLines!.map(line => [line.line, line.function, line.callLineUnknown]), [[2, 'run', true]]);
  });
});

test('a foreign profile whose script code starts at line -1 (Chrome) builds its report (the whole file is the function)', () => {
  inProject(dir => {
    const app = path.join(dir, 'app.js');
    fs.writeFileSync(app, "const lib = require('lib');\nlib.check(1);\n");
    const libFile = path.join(dir, 'node_modules', 'lib', 'index.js');
    const report = buildReport([{ path: 'p', profile: profile([
      { id: 1, callFrame: frame('(root)', '', -1), children: [2] },
      { id: 2, callFrame: frame('', app, -1, -1), children: [3] },
      { id: 3, callFrame: frame('check', libFile, 3, 25) },
    ], [3, 3]) }], options);
    assert.deepEqual(report.userLines!.map(line => [line.line, line.totalMs]), [[2, 2]]);
  });
});
