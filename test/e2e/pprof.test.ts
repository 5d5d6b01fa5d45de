// pprof out and in, end to end with the built CLI: a profiled fixture written with --pprof reads back with
// the same hot lines, the file is what pprof-format (Datadog's decoder) expects, and a real profile taken
// by @datadog/pprof's time profiler reports the fixture's hot line.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, test } from 'node:test';
import { Profile } from 'pprof-format';
import { packageRoot } from '../../src/core/paths';
import type { Report } from '../../src/core/profile/types';
import { CLI, FIXTURES, describeTop, fixture, hottestLine, makeTempDir, markedLines, runProfileCli } from './profileHelpers';

function report(file: string, cwd = FIXTURES): Report {
  return JSON.parse(execFileSync(process.execPath, [CLI, 'report', file, '--json', '-'], { cwd, encoding: 'utf8' })) as Report;
}

/** The lines holding most of the time: enough of the top to cover 80% of the self time of user lines. */
function topLines(r: Report): string[] {
  const total = r.lines.reduce((sum, line) => sum + line.selfMs, 0);
  const top: string[] = [];
  let covered = 0;
  for (const line of r.lines) {
    if (covered >= total * 0.8) break;
    top.push(`${line.file}:${line.line}`);
    covered += line.selfMs;
  }
  return top;
}

describe('pprof round trip', () => {
  test('profile --pprof → report of that pprof: same top lines, same times (±1%)', async () => {
    const pprofPath = path.join(makeTempDir(), 'out', 'cjs-hot.pb.gz');
    const run = await runProfileCli(['--pprof', pprofPath, 'cjs-hot.js']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^pprof profile: .*cjs-hot\.pb\.gz$/m);
    const original = run.report!;
    const fromPprof = report(pprofPath);
    assert.deepEqual(topLines(fromPprof), topLines(original), `original:\n${describeTop(original)}\npprof:\n${describeTop(fromPprof)}`);
    assert.ok(markedLines(fixture('cjs-hot.js')).includes(hottestLine(fromPprof).line));
    const hot = hottestLine(original);
    assert.ok(Math.abs(hottestLine(fromPprof).selfMs - hot.selfMs) <= hot.selfMs * 0.01 + 0.01, `${hottestLine(fromPprof).selfMs} vs ${hot.selfMs}`);
    const userMs = (r: Report) => r.categories.userMs;
    assert.ok(Math.abs(userMs(fromPprof) - userMs(original)) <= userMs(original) * 0.01 + 0.01);
  });

  test('report --pprof writes what pprof-format decodes: cpu/nanoseconds samples with files and line numbers', async () => {
    const run = await runProfileCli(['cjs-hot.js']);
    assert.equal(run.code, 0, run.stderr);
    const profiles = fs.readdirSync(run.outDir, { recursive: true }).map(String).filter(name => name.endsWith('.cpuprofile')).map(name => path.join(run.outDir, name));
    const pprofPath = path.join(makeTempDir(), 'local.pb.gz');
    execFileSync(process.execPath, [CLI, 'report', ...profiles, '--pprof', pprofPath], { cwd: FIXTURES, encoding: 'utf8' });
    const bytes = fs.readFileSync(pprofPath);
    assert.deepEqual([bytes[0], bytes[1]], [0x1f, 0x8b], 'gzipped');
    const decoded = Profile.decode(gunzipSync(bytes));
    const text = (index: number | bigint) => decoded.stringTable.strings[Number(index)];
    assert.deepEqual(decoded.sampleType.map(type => `${text(type.type)}/${text(type.unit)}`), ['samples/count', 'cpu/nanoseconds']);
    assert.equal(`${text(decoded.periodType!.type)}/${text(decoded.periodType!.unit)}`, 'cpu/nanoseconds');
    const expensive = decoded.function.find(fn => text(fn.name) === 'expensive');
    assert.ok(expensive, 'the hot function is in the profile');
    assert.equal(text(expensive.filename), fixture('cjs-hot.js'));
    assert.equal(Number(expensive.startLine), 2);
    const hotLines = decoded.location.filter(location => location.line.some(line => line.functionId === expensive.id && Number(line.line) === 4));
    assert.ok(hotLines.length > 0, 'a location on the // HOT line');
  });
});

describe('a real pprof from @datadog/pprof', () => {
  test("the time profiler's wall-time profile reports the fixture's hot line", () => {
    const pprofPath = path.join(makeTempDir(), 'datadog.pb.gz');
    execFileSync(process.execPath, [path.join(packageRoot(), 'test', 'fixtures', 'pprof', 'take-datadog-profile.js'), pprofPath, fixture('cjs-hot.js')], { cwd: FIXTURES, stdio: 'pipe' });
    const r = report(pprofPath);
    const top = hottestLine(r);
    assert.equal(top.file, fixture('cjs-hot.js'), describeTop(r));
    assert.ok(markedLines(fixture('cjs-hot.js')).includes(top.line), `hot line ${top.line}:\n${describeTop(r)}`);
    assert.equal(top.function, 'expensive');
  });
});
