// End to end: the bundled CLI (`npm run build` first) on the fixture profiles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { distFile } from '../../../src/core/paths';
import type { Report } from '../../../src/core/profile/types';

const fixtures = path.resolve(__dirname, '../../../../test/fixtures/profiles');

function hotspots(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [distFile('cli.js'), ...args], { cwd: fixtures, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('report --json - prints Report JSON v1 of the merged profiles', () => {
  const run = hotspots('report', 'simple.cpuprofile', 'worker.cpuprofile', '--json', '-');
  assert.equal(run.status, 0, run.stderr);
  const report = JSON.parse(run.stdout) as Report;
  assert.equal(report.version, 1);
  assert.deepEqual(Object.keys(report).sort(), ['categories', 'command', 'elapsedMs', 'exitCode', 'functions', 'lines', 'processes', 'sampleIntervalUs', 'signal', 'totalSampledMs', 'userLines', 'version', 'wallMs', 'warnings']);
  assert.deepEqual(report.command, ['node', 'app.js'], 'the command of the main process');
  assert.equal(report.wallMs, 15, 'the longest profile, endTime - startTime');
  assert.deepEqual(report.processes.map(p => [p.pid, p.kind, p.profile]), [
    [4242, 'main', path.join(fixtures, 'simple.cpuprofile')],
    [4243, 'worker', path.join(fixtures, 'worker.cpuprofile')],
  ]);
  assert.deepEqual(report.lines[0], { ...report.lines[0], file: '/project/app.js', line: 12, selfMs: 5.75, hits: 5, function: 'compute' });
});

test('report prints an aligned text table and writes JSON to a file', () => {
  const jsonFile = path.join(os.tmpdir(), `hotspots-report-${process.pid}.json`);
  try {
    const run = hotspots('report', 'simple.cpuprofile', 'worker.cpuprofile', '--json', jsonFile, '--top', '2');
    assert.equal(run.status, 0, run.stderr);
    assert.equal((JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as Report).lines.length, 3);
    assert.match(run.stdout, /\/project\/app\.js:12 +5\.8 ms +41\.1% +5 +compute/);
    assert.doesNotMatch(run.stdout, /app\.js:13 /, '--top 2 lists two lines');
    assert.match(run.stdout, /Processes \(2\)/);
    assert.ok(run.stdout.split('\n').every(line => line.length <= 80), 'fits in 80 columns');
  } finally {
    fs.rmSync(jsonFile, { force: true });
  }
});

test('malformed or missing profiles exit 2 with one line naming the file', () => {
  for (const [file, problem] of [
    ['truncated.cpuprofile', /^hotspots: report: truncated\.cpuprofile: is truncated \(unexpected end of file inside "samples"\)\n$/],
    ['nope.cpuprofile', /^hotspots: report: nope\.cpuprofile: cannot be read \(ENOENT\)\n$/],
  ] as const) {
    const run = hotspots('report', file);
    assert.equal(run.status, 2);
    assert.match(run.stderr, problem);
    assert.equal(run.stdout, '');
  }
});

test('usage errors exit 2 with one line, as the other commands; --help exits 0', () => {
  const unknown = hotspots('report', 'simple.cpuprofile', '--frobnicate');
  assert.equal(unknown.status, 2);
  assert.equal(unknown.stderr, "hotspots: report: unknown option '--frobnicate' (see hotspots report --help)\n");
  const noProfile = hotspots('report');
  assert.equal(noProfile.status, 2);
  assert.equal(noProfile.stderr, 'hotspots: report: no profile given (see hotspots report --help)\n');
  const badTop = hotspots('report', 'simple.cpuprofile', '--top', 'many');
  assert.equal(badTop.status, 2);
  const help = hotspots('report', '--help');
  assert.equal(help.status, 0);
  assert.match(help.stdout, /--json <file\|->/);
});

test('report --html writes one self-contained HTML file with the hot function and its flame graph', () => {
  const htmlFile = path.join(os.tmpdir(), `hotspots-report-${process.pid}.html`);
  try {
    const run = hotspots('report', 'simple.cpuprofile', '--html', htmlFile);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /HTML report: /);
    const html = fs.readFileSync(htmlFile, 'utf8');
    assert.match(html, /compute/);
    assert.match(html, /speedscope/i);
    assert.doesNotMatch(html, /\b(src|href)=["']https?:/, 'no network resources');
  } finally {
    fs.rmSync(htmlFile, { force: true });
  }
});

test('report on a loaded-machine profile: the real interval, one-sample rows visible, gaps as unsampled time', () => {
  const run = hotspots('report', 'loaded-machine.cpuprofile');
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /interval 1000 µs/, 'not the mean delta');
  assert.match(run.stdout, /app\.js:21 +4\.0 ms +\d+\.\d% +1 +get isRoot/, 'one hit, capped weight');
  assert.match(run.stdout, /unsampled \(descheduled\) +731\.0 ms/);
});

test('report of a run folder reads the .cpuprofile files in it, as `profile` prints it ("raw profiles: <folder>/")', () => {
  const runFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-run-'));
  try {
    for (const name of ['simple.cpuprofile', 'worker.cpuprofile']) fs.copyFileSync(path.join(fixtures, name), path.join(runFolder, name));
    fs.writeFileSync(path.join(runFolder, 'stop-requested'), 'stop');
    const fromFolder = hotspots('report', `${runFolder}${path.sep}`, '--json', '-');
    assert.equal(fromFolder.status, 0, fromFolder.stderr);
    const fromFiles = hotspots('report', path.join(runFolder, 'simple.cpuprofile'), path.join(runFolder, 'worker.cpuprofile'), '--json', '-');
    assert.deepEqual(JSON.parse(fromFolder.stdout), JSON.parse(fromFiles.stdout));
    fs.rmSync(path.join(runFolder, 'simple.cpuprofile'));
    fs.rmSync(path.join(runFolder, 'worker.cpuprofile'));
    const empty = hotspots('report', runFolder);
    assert.equal(empty.status, 2);
    assert.equal(empty.stderr, `hotspots: report: ${runFolder} is a folder without .cpuprofile files\n`);
  } finally {
    fs.rmSync(runFolder, { recursive: true, force: true });
  }
});
