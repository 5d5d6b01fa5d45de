// Programs whose own tools compile their code as it loads, under the file's own name: test runners (Jest's
// `new vm.Script`, Vitest's `vm.runInThisContext`), require hooks (ts-node, `pirates`), ES module loaders
// (tsx). The code that runs has other lines than the file on disk; its map is inline in that code. The
// fixtures do what those tools do (test/fixtures/scripts/own-loaders; node_modules/tsx is a stand-in for
// tsx's loader), with esbuild compiling sum.ts, whose interfaces and blank lines disappear.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Report } from '../../src/core/profile/types';
import { fixture, hottestLine, markedLines, runProfileCli } from './profileHelpers';

const DIR = fixture('own-loaders');
const SUM = fixture('own-loaders', 'sum.ts');
const HOT = markedLines(SUM)[0];

function assertHotOnSource(report: Report | undefined): void {
  assert.ok(report, 'a report was written');
  const top = hottestLine(report);
  assert.deepEqual([top.file, top.line], [SUM, HOT], JSON.stringify(report.lines.slice(0, 3)));
}

describe('hotspots profile: code compiled by the program\'s own tools', () => {
  test('a test runner that runs compiled code with new vm.Script (as Jest does): the hot line of the source', async () => {
    const run = await runProfileCli(['test-runner.js', 'script'], { cwd: DIR });
    assert.equal(run.code, 0, run.stderr);
    assertHotOnSource(run.report);
  });

  test('vm.runInThisContext with the wrapper closed after the map comment (as Vitest 3 does): the hot line of the source', async () => {
    const run = await runProfileCli(['--separate-process', 'test-runner.js', 'this-context'], { cwd: DIR });
    assert.equal(run.code, 0, run.stderr);
    assertHotOnSource(run.report);
  });

  test('a require hook of the program\'s own that wraps the loader before it (ts-node, pirates): it compiles the file as written, not our output', async () => {
    const run = await runProfileCli(['hooked.js'], { cwd: DIR });
    assert.equal(run.code, 0, run.stderr);
    assertHotOnSource(run.report);
    assert.match(run.stdout, /^sum -?\d/m);
  });

  test('node --import tsx: its loader compiles the TypeScript; lines kept come back through the map Node kept', async () => {
    const run = await runProfileCli(['--', 'node', '--import', 'tsx', 'app.mts'], { cwd: DIR, env: { ...process.env, FAKE_TSX_MINIFY: '0' } });
    assert.equal(run.code, 0, run.stderr);
    assertHotOnSource(run.report);
    // The loader's hooks thread is Node's, not the program's: no profile expected from it, no warning.
    assert.deepEqual(run.report!.warnings, []);
    assert.deepEqual(run.report!.processes.map(process => process.kind), ['main']);
  });

  test('node --import tsx with its whitespace minified (as tsx does): the time on the function\'s first line, and a warning that says why', async () => {
    const run = await runProfileCli(['--', 'node', '--import', 'tsx', 'app.mts'], { cwd: DIR });
    assert.equal(run.code, 0, run.stderr);
    const report = run.report!;
    const weightedSum = markedLines(SUM, 'export function weightedSum')[0];
    const top = hottestLine(report);
    assert.deepEqual([top.file, top.line], [SUM, weightedSum], JSON.stringify(report.lines.slice(0, 3)));
    assert.equal(report.warnings.length, 1, JSON.stringify(report.warnings));
    assert.match(report.warnings[0], /sum\.ts.* ran as minified code.*first line of each function.*tsx compiles TypeScript so/);
  });
});
