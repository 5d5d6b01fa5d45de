// `hotspots profile` end to end: the built CLI runs real fixture programs under the preload and the
// report must name the hot LINE (file + line number). Hot loops dominate their fixture by far, so the
// assertions are about ranking, never about absolute times.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import type { Report } from '../../src/core/profile/types';
import { isPackageManagerProcess } from '../../src/core/run/packageManagers';
import { CLI, FIXTURES, describeTop, fixture, hottestLine, linesOf, makeTempDir, markedLines, profiledProcesses, runProfileCli } from './profileHelpers';

function assertHotLine(report: Report | undefined, file: string): void {
  assert.ok(report, 'a report was written');
  const top = hottestLine(report);
  assert.equal(top.file, file, `hottest line should be in ${file}:\n${describeTop(report)}`);
  assert.ok(markedLines(file).includes(top.line), `hottest line ${top.line} should be a // HOT line of ${file}:\n${describeTop(report)}`);
}

describe('hotspots profile: hot line attribution', () => {
  test('CommonJS script', async () => {
    const run = await runProfileCli(['cjs-hot.js']);
    assert.equal(run.code, 0, run.stderr);
    assertHotLine(run.report, fixture('cjs-hot.js'));
    assert.equal(run.report!.exitCode, 0);
    assert.deepEqual(run.report!.processes.map(process => process.kind), ['main'], `warnings: ${JSON.stringify(run.report!.warnings)}`);
    assert.match(run.stdout, /raw profiles \(1\)/);
  });

  test('the JSON report records line texts and the workload, for a later compare', async () => {
    const run = await runProfileCli(['cjs-hot.js', 'extra-arg']);
    assert.equal(run.code, 0, run.stderr);
    const report = run.report!;
    assert.match(hottestLine(report).text ?? '', /total \+= Math\.sqrt\(i\) \* Math\.sin\(i\); \/\/ HOT$/);
    assert.ok(report.lines.every(line => typeof line.text === 'string'), 'every line of a readable file has its text');
    assert.equal(report.workload?.script, fixture('cjs-hot.js'));
    assert.equal(report.workload?.cwd, FIXTURES);
    assert.deepEqual(report.workload?.command, report.command);
    assert.match(report.workload?.argsHash ?? '', /^[0-9a-f]{16}$/);
    assert.ok(report.sourceFingerprints?.[fixture('cjs-hot.js')]);
  });

  test('--html writes a self-contained HTML report with the hot function', async () => {
    const htmlPath = path.join(makeTempDir(), 'out', 'report.html');
    const run = await runProfileCli(['--html', htmlPath, 'cjs-hot.js']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^HTML report: .*report\.html$/m);
    const html = fs.readFileSync(htmlPath, 'utf8');
    assert.match(html, /expensive/);
    assert.deepEqual(html.match(/\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?\/\/[^"'\s>]*/gi) ?? [], [], 'nothing is loaded from the network');
  });

  test('--json - prints only the JSON on stdout; the script output and the table go to stderr', async () => {
    const tempDir = makeTempDir();
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>(resolve => {
      execFile(process.execPath, [CLI, 'profile', '--json', '-', '--out-dir', tempDir, 'cjs-hot.js'], { cwd: FIXTURES }, (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      });
    });
    assert.equal(run.code, 0, run.stderr);
    assertHotLine(JSON.parse(run.stdout) as Report, fixture('cjs-hot.js'));
    assert.match(run.stderr, /^-?\d+\.\d+ \d+$/m, 'the script printed its result to stderr');
    assert.match(run.stderr, /Top lines/);
  });

  test('ES module (.mjs) with top-level await', async () => {
    const run = await runProfileCli(['esm-hot.mjs']);
    assert.equal(run.code, 0, run.stderr);
    assertHotLine(run.report, fixture('esm-hot.mjs'));
  });

  test('TypeScript importing another .ts as ./util.js is reported in the .ts source', async () => {
    const run = await runProfileCli([path.join('ts', 'main.ts')]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /checksum \d+/);
    assertHotLine(run.report, fixture('ts', 'util.ts'));
  });

  test('ES module TypeScript (package type module, top-level await)', async () => {
    const run = await runProfileCli([path.join('ts-esm', 'main.ts')]);
    assert.equal(run.code, 0, run.stderr);
    assertHotLine(run.report, fixture('ts-esm', 'util.ts'));
  });

  test('tsc output with a .map file is reported in the original .ts', async () => {
    const run = await runProfileCli([path.join('tsc-built', 'main.js')]);
    assert.equal(run.code, 0, run.stderr);
    assertHotLine(run.report, fixture('tsc-built', 'main.ts'));
  });

  test('a small helper from another module gets its own time even though V8 would inline it', async () => {
    const run = await runProfileCli([path.join('inlined', 'main.js')]);
    assert.equal(run.code, 0, run.stderr);
    const report = run.report!;
    // The helper's time is spread over its four lines, and the caller's loop line keeps the call's own cost
    // (a quarter to a third of the run): on a loaded machine that one line can outweigh each helper line,
    // never the helper as a whole. So the hottest function, not the hottest line, is the helper.
    assert.deepEqual([report.functions[0]?.name, report.functions[0]?.file], ['mix', fixture('inlined', 'helper.js')], JSON.stringify(report.functions.slice(0, 3)));
    const helperMs = linesOf(report, fixture('inlined', 'helper.js')).reduce((sum, line) => sum + line.selfMs, 0);
    const callerMs = linesOf(report, fixture('inlined', 'main.js')).reduce((sum, line) => sum + line.selfMs, 0);
    assert.ok(helperMs > callerMs, `helper ${helperMs} ms should outweigh its caller ${callerMs} ms`);
  });

  test('--keep-inlining keeps V8 inlining, says so, and shows why it is not the default', async () => {
    const run = await runProfileCli(['--keep-inlining', path.join('inlined', 'main.js')]);
    assert.equal(run.code, 0, run.stderr);
    const report = run.report!;
    assert.ok(report.warnings.some(text => text.includes('recorded with V8 inlining enabled')), `warnings: ${JSON.stringify(report.warnings)}`);
    // V8's own attribution of an inlined callee (the reason exact lines turn inlining off): mix()'s time
    // is reported on main.js, the caller's file. If a V8 release fixes that, this fails: then inlining
    // could stay on by default (README, "Exact lines when V8 inlines").
    const helperMs = linesOf(report, fixture('inlined', 'helper.js')).reduce((sum, line) => sum + line.selfMs, 0);
    const callerMs = linesOf(report, fixture('inlined', 'main.js')).reduce((sum, line) => sum + line.selfMs, 0);
    assert.ok(callerMs > helperMs, `with inlining, V8 puts the helper's time on its caller: caller ${callerMs} ms, helper ${helperMs} ms`);
  });

  test('a worker created with its own env object is profiled too', async () => {
    const run = await runProfileCli([path.join('worker', 'custom-env.mjs')]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.report!.processes.map(process => process.kind).sort(), ['main', 'worker'], `warnings: ${JSON.stringify(run.report!.warnings)}`);
    assertHotLine(run.report, fixture('worker', 'worker.js'));
  });

  test('inlining is disabled in worker threads too', async () => {
    const run = await runProfileCli([path.join('worker', 'inlined-in-worker.js')]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.report!.processes.map(process => process.kind).sort(), ['main', 'worker'], `warnings: ${JSON.stringify(run.report!.warnings)}`);
    assertHotLine(run.report, fixture('inlined', 'helper.js'));
  });

  test('forked and spawned child processes are profiled', async () => {
    const run = await runProfileCli([path.join('child', 'parent.js')]);
    assert.equal(run.code, 0, run.stderr);
    const report = run.report!;
    assert.deepEqual(report!.processes.map(process => process.kind).sort(), ['child', 'child', 'main'], `warnings: ${JSON.stringify(report!.warnings)}`);
    assertHotLine(report, fixture('child', 'child.js'));
  });

  test('a child killed before it could write its profile is named in the warnings', async () => {
    const run = await runProfileCli([path.join('child', 'killed-child.js')]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /child ended by SIGKILL/);
    const warning = run.report!.warnings.find(text => text.includes('ended without writing its profile'));
    assert.ok(warning, `warnings: ${JSON.stringify(run.report!.warnings)}`);
    assert.match(warning, /spin-forever\.js/);
    assert.deepEqual(run.report!.processes.map(process => process.kind), ['main'], `warnings: ${JSON.stringify(run.report!.warnings)}`);
  });

  test('worker threads are profiled and listed as workers', async () => {
    const run = await runProfileCli([path.join('worker', 'main.js')]);
    assert.equal(run.code, 0, run.stderr);
    const report = run.report!;
    assert.deepEqual(report!.processes.map(process => process.kind).sort(), ['main', 'worker'], `warnings: ${JSON.stringify(report!.warnings)}`);
    assertHotLine(report, fixture('worker', 'worker.js'));
  });

  for (const [fixtureName, how, exitCode] of [['terminated.js', 'terminated by its parent', 0], ['exit-while-busy.js', 'still busy at process.exit()', 3]] as const) {
    test(`a busy worker ${how} still has its profile`, async () => {
      const run = await runProfileCli([path.join('worker', fixtureName)]);
      assert.equal(run.code, exitCode, run.stderr);
      const report = run.report!;
      assert.deepEqual(report.warnings.filter(text => text.includes('without writing')), [], 'no profile is missing');
      assert.deepEqual(report.processes.map(process => process.kind).sort(), ['main', 'worker'], `warnings: ${JSON.stringify(report.warnings)}`);
      assertHotLine(report, fixture('worker', 'spin.js'));
      const worker = report.processes.find(process => process.kind === 'worker')!;
      assert.ok(worker.sampledMs >= 100, `the worker's ~400 ms of work is in its profile: ${worker.sampledMs} ms`);
    });
  }

  test('work in timers and promise callbacks', async () => {
    const run = await runProfileCli(['async-work.js']);
    assert.equal(run.code, 0, run.stderr);
    assertHotLine(run.report, fixture('async-work.js'));
  });

  test('a script that throws after the hot work: heat reported, exit code 1', async () => {
    const run = await runProfileCli(['throws.js']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /failed after computing something/);
    assert.equal(run.report!.exitCode, 1);
    assertHotLine(run.report, fixture('throws.js'));
  });

  test('a path with spaces and non-ASCII characters', async () => {
    const script = fixture('dir with spaces', 'ünïcode.js');
    const run = await runProfileCli([script]);
    assert.equal(run.code, 0, run.stderr);
    assertHotLine(run.report, script);
  });
});

describe('hotspots profile -- <command>', () => {
  const NPM_PROJECT = fixture('npm-project');

  test('-- node <script>: the command and its children are profiled; the first Node process is main', async () => {
    const run = await runProfileCli(['--', 'node', path.join('child', 'parent.js')]);
    assert.equal(run.code, 0, run.stderr);
    const report = run.report!;
    assert.deepEqual(report.command, ['node', path.join('child', 'parent.js')]);
    assert.deepEqual(report.processes.map(process => process.kind).sort(), ['child', 'child', 'main'], `warnings: ${JSON.stringify(report.warnings)}`);
    const main = report.processes.find(process => process.kind === 'main')!;
    assert.equal(main.argv[1], fixture('child', 'parent.js'));
    assertHotLine(report, fixture('child', 'child.js'));
    assert.equal(report.workload?.script, null);
  });

  test('-- npm run <script>: the script run by npm is profiled, npm itself is not', async () => {
    const run = await runProfileCli(['--', 'npm', 'run', 'bench'], { cwd: NPM_PROJECT });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /bench done true/);
    const report = run.report!;
    assertHotLine(report, path.join(NPM_PROJECT, 'hot.js'));
    assert.ok(report.processes.length >= 1);
    const managers = report.processes.filter(process => isPackageManagerProcess(process.argv) || process.argv.some(arg => /[\\/]npm[\\/]|npm-cli/.test(arg)));
    assert.deepEqual(managers, [], 'no package manager process in the report');
    assert.deepEqual(report.processes.map(process => process.kind), ['main'], `processes: ${JSON.stringify(report.processes)}`);
    assert.deepEqual(report.command, ['npm', 'run', 'bench']);
    assert.deepEqual(report.warnings, []);
  });

  test('-- node --test: the test files are profiled (the runner itself has no inspector and is left alone)', async () => {
    const dir = fixture('node-test');
    // These tests run under node --test themselves: without this, the inner runner would report to ours.
    const { NODE_TEST_CONTEXT: _ignored, ...env } = process.env;
    const run = await runProfileCli(['--', 'node', '--test'], { cwd: dir, env });
    assert.equal(run.code, 0, run.stderr);
    const report = run.report!;
    assertHotLine(report, path.join(dir, 'hot.test.js'));
    assert.deepEqual(report.processes.map(process => [process.kind, process.argv[1]]), [['main', path.join(dir, 'hot.test.js')]]);
  });

  test('a command that is not on the PATH: one line, exit 2', async () => {
    const run = await runProfileCli(['--', 'hotspots-no-such-command', 'x']);
    assert.equal(run.code, 2);
    assert.equal(run.stderr.trim(), 'hotspots: command not found on the PATH: hotspots-no-such-command');
  });
});

describe('hotspots profile: signals', () => {
  /** Starts the CLI on `script` and resolves once the program printed `ready` (or `listening <port>`). */
  async function startCli(script: string, readyPattern: RegExp) {
    const tempDir = makeTempDir();
    const jsonPath = path.join(tempDir, 'report.json');
    const cli = spawn(process.execPath, [CLI, 'profile', '--json', jsonPath, '--out-dir', path.join(tempDir, 'profiles'), script], {
      cwd: FIXTURES,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = { stdout: '', stderr: '' };
    cli.stderr.setEncoding('utf8').on('data', (chunk: string) => { output.stderr += chunk; });
    // What a shell shows as $?: the CLI that ran the program in its own process ends by the signal itself,
    // one that ran it in a child exits with 128 + the signal's number.
    const exitCode = new Promise<number | null>(resolve => cli.once('exit', (code, signal) => resolve(code ?? (signal ? 128 + os.constants.signals[signal] : null))));
    const ready = await new Promise<RegExpExecArray>((resolve, reject) => {
      cli.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        output.stdout += chunk;
        const match = readyPattern.exec(output.stdout);
        if (match) resolve(match);
      });
      cli.once('exit', () => reject(new Error(`CLI exited before the program was ready: ${output.stderr}`)));
    });
    const readReport = (): Report => JSON.parse(fs.readFileSync(jsonPath, 'utf8')) as Report;
    return { cli, ready, exitCode, output, readReport };
  }

  test('a server stopped with SIGINT writes its profile and exits like a SIGINT-killed process', async () => {
    const { cli, ready, exitCode, output, readReport } = await startCli('server.js', /listening (\d+)/);
    for (let request = 0; request < 15; request++) {
      const response = await fetch(`http://127.0.0.1:${ready[1]}/`);
      assert.equal(response.status, 200);
      await response.text();
    }
    cli.kill('SIGINT');
    assert.equal(await exitCode, 130, output.stderr);
    const report = readReport();
    assert.equal(report.signal, 'SIGINT');
    assertHotLine(report, fixture('server.js'));
  });

  test('a program with its own SIGINT handler keeps control and its profile covers both sides of the signal', async () => {
    const { cli, exitCode, output, readReport } = await startCli('graceful.js', /ready/);
    await new Promise(resolve => setTimeout(resolve, 400));
    cli.kill('SIGINT');
    assert.equal(await exitCode, 0, output.stderr);
    assert.match(output.stdout, /shutting down true/);
    const report = readReport();
    const file = fixture('graceful.js');
    const [before, during] = [markedLines(file, 'HOT before'), markedLines(file, 'HOT during')];
    const lineMs = (lines: number[]): number => linesOf(report, file).filter(line => lines.includes(line.line)).reduce((sum, line) => sum + line.selfMs, 0);
    assert.ok(lineMs(before) > 0, `work before the signal is in the profile:\n${describeTop(report)}`);
    assert.ok(lineMs(during) > 0, `work after the signal is in the profile:\n${describeTop(report)}`);
    assert.equal(report.processes.length, 1);
  });
});

describe('hotspots profile: the program in the CLI\'s own process', () => {
  /** Runs the CLI with `extra` on `script`, returning its pid, exit and the report. */
  async function runWithPid(extra: string[], script: string): Promise<{ pid: number; code: number | null; report: Report; stderr: string }> {
    const tempDir = makeTempDir();
    const jsonPath = path.join(tempDir, 'report.json');
    const cli = spawn(process.execPath, [CLI, 'profile', ...extra, '--json', jsonPath, '--out-dir', path.join(tempDir, 'profiles'), script], { cwd: FIXTURES, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    cli.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    const code = await new Promise<number | null>(resolve => cli.once('exit', exitCode => resolve(exitCode)));
    return { pid: cli.pid!, code, report: JSON.parse(fs.readFileSync(jsonPath, 'utf8')) as Report, stderr };
  }

  test('a script runs inside the CLI process by default, and in a child with --separate-process: same hot line', async () => {
    const inProcess = await runWithPid([], 'cjs-hot.js');
    assert.equal(inProcess.code, 0, inProcess.stderr);
    assert.deepEqual(inProcess.report.processes.map(process => process.pid), [inProcess.pid], 'the main process is the CLI itself');
    const separate = await runWithPid(['--separate-process'], 'cjs-hot.js');
    assert.equal(separate.code, 0, separate.stderr);
    assert.equal(separate.report.processes.length, 1);
    assert.notEqual(separate.report.processes[0].pid, separate.pid, 'the main process is a child of the CLI');
    for (const run of [inProcess, separate]) assertHotLine(run.report, fixture('cjs-hot.js'));
    // The CLI's own frames below the program are the profiler's, never lines of the report.
    assert.ok(!inProcess.report.lines.some(line => /dist[\\/]cli\.js$/.test(line.file)), describeTop(inProcess.report));
  });

  test('an uncaught exception is the program\'s own: its exit code, Node\'s message, no frame of the CLI', async () => {
    const run = await runWithPid([], 'throws.js');
    assert.equal(run.code, 1);
    assert.equal(run.report.exitCode, 1);
    assert.doesNotMatch(run.stderr, /internal error|dist[\\/]cli\.js/, run.stderr);
  });

  test('Ctrl+C in a terminal stops a program busy in a loop and prints what it sampled', { skip: !fs.existsSync('/usr/bin/script') && 'needs script(1) from util-linux for a terminal' }, async () => {
    // script(1) gives the CLI a terminal; the Ctrl+C byte typed into it reaches the whole foreground group,
    // as a user's would. The program never yields, so only the watchdog thread, which catches the signal, can stop it.
    const tempDir = makeTempDir();
    const command = [process.execPath, CLI, 'profile', '--out-dir', path.join(tempDir, 'profiles'), path.join('busy', 'spin-forever.js')].map(word => `'${word}'`).join(' ');
    const terminal = spawn('/usr/bin/script', ['-qfec', command, '/dev/null'], { cwd: FIXTURES, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    terminal.stdout.setEncoding('utf8').on('data', (chunk: string) => { output += chunk; });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the program did not start: ${output}`)), 30_000);
      terminal.stdout.on('data', () => { if (output.includes('spinning')) { clearTimeout(timer); resolve(); } });
    });
    await new Promise(resolve => setTimeout(resolve, 500));
    terminal.stdin.write('\x03');
    const ended = await new Promise<boolean>(resolve => {
      const timer = setTimeout(() => { terminal.kill('SIGKILL'); resolve(false); }, 20_000);
      terminal.once('exit', () => { clearTimeout(timer); resolve(true); });
    });
    assert.ok(ended, `Ctrl+C did not end the run:\n${output}`);
    assert.match(output, /Top lines/, output);
    assert.match(output, /spin-forever\.js:4\b/, output);
  });
});

describe('hotspots profile: signals to a program busy in a loop (no terminal)', { skip: !fs.existsSync('/proc/self/status') && 'reads /proc to know when the signal is caught' }, () => {
  // The program never yields, so the preload's JavaScript handlers (which save the profile and replace the
  // signals' default action) never run: only the watchdog thread, which catches the signals itself, can end
  // it. Before, `timeout` (SIGTERM) or `kill` left it spinning until SIGKILL, without a profile.
  async function waitForSignalHandler(pid: number, signal: NodeJS.Signals): Promise<void> {
    const bit = 1n << BigInt(os.constants.signals[signal] - 1);
    for (let attempt = 0; attempt < 300; attempt++) {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      const caught = BigInt(`0x${/^SigCgt:\s*([0-9a-f]+)/m.exec(status)![1]}`);
      if ((caught & bit) !== 0n) return;
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    throw new Error(`no handler for ${signal} after 30 s`);
  }

  async function spinUntilKilled(extra: string[], signal: NodeJS.Signals, target: 'cli' | 'program') {
    const tempDir = makeTempDir();
    const jsonPath = path.join(tempDir, 'report.json');
    const cli = spawn(process.execPath, [CLI, 'profile', ...extra, '--json', jsonPath, '--out-dir', path.join(tempDir, 'profiles'), path.join('busy', 'spin-forever.js')], { cwd: FIXTURES, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    cli.stdout.setEncoding('utf8').on('data', (chunk: string) => { output += chunk; });
    cli.stderr.setEncoding('utf8').on('data', (chunk: string) => { output += chunk; });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(resolve => cli.once('exit', (code, exitSignal) => resolve({ code, signal: exitSignal })));
    const pid = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the program did not start: ${output}`)), 30_000);
      cli.stdout.on('data', () => {
        const match = /spinning (\d+)/.exec(output);
        if (match) { clearTimeout(timer); resolve(Number(match[1])); }
      });
    });
    // Until the watchdog thread catches the signal, nothing does (its default action would end the program
    // without a profile): wait for the process to have a handler for SIGHUP (Linux's SigCgt mask), the last
    // of the three the watchdog watches (Node itself has handlers for SIGINT and SIGTERM from its start).
    const targetPid = target === 'cli' ? cli.pid! : pid;
    await waitForSignalHandler(targetPid, 'SIGHUP');
    process.kill(targetPid, signal);
    const timer = setTimeout(() => { cli.kill('SIGKILL'); if (target === 'program') try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }, 20_000);
    const end = await exited;
    clearTimeout(timer);
    return { end, output, pid, report: fs.existsSync(jsonPath) ? JSON.parse(fs.readFileSync(jsonPath, 'utf8')) as Report : undefined };
  }

  for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) {
    test(`${signal} ends it like plain node, with its profile`, async () => {
      const { end, output, report } = await spinUntilKilled([], signal, 'cli');
      assert.deepEqual(end, { code: null, signal }, output);
      assert.equal(report?.signal, signal, output);
      assert.equal(report.lines[0]?.file, fixture('busy', 'spin-forever.js'), output);
    });
  }

  test('--separate-process: SIGTERM sent to the program itself (not the CLI) ends it, and the CLI reports it', async () => {
    const { end, output, report, pid } = await spinUntilKilled(['--separate-process'], 'SIGTERM', 'program');
    assert.equal(end.code, 128 + os.constants.signals.SIGTERM, output);
    assert.equal(report?.signal, 'SIGTERM', output);
    assert.throws(() => process.kill(pid, 0), 'the program is gone');
  });
});

describe('hotspots profile: bad input', () => {
  const noStack = (stderr: string): void => {
    assert.doesNotMatch(stderr, /internal error|dist[\\/]cli\.js/, `no Hotspots stack trace expected:\n${stderr}`);
  };

  test('an option that took the script name as its value: the error says so', async () => {
    const run = await runProfileCli(['--html', 'cjs-hot.js']);
    assert.equal(run.code, 2);
    assert.equal(run.stderr.trim(), "hotspots: profile: missing <script> or -- <command> (--html took 'cjs-hot.js' as its value; see hotspots profile --help)");
  });

  test('Hotspots options after the script name still go to the script, with a note that says so', async () => {
    const run = await runProfileCli(['cjs-hot.js', '--top', '3']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^hotspots: --top after the script name goes to the script, not to Hotspots; put Hotspots' options before the script$/m);
    assert.ok(run.report, 'the run itself is unchanged');
  });

  test('missing script: one line, exit 2', async () => {
    const run = await runProfileCli(['does-not-exist.js']);
    assert.equal(run.code, 2);
    assert.equal(run.stderr.trim(), 'hotspots: script not found: does-not-exist.js');
    assert.equal(run.report, undefined);
  });

  test('a directory: exit 2', async () => {
    const run = await runProfileCli(['child']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^hotspots: child is a directory/);
  });

  test('not a JavaScript file: exit 2', async () => {
    const run = await runProfileCli(['notes.txt']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^hotspots: notes\.txt is not a JavaScript or TypeScript file/);
  });

  test('an executable without an extension that starts with #!/usr/bin/env node runs as node runs it (bin/www, a package\'s bin)', async () => {
    for (const separateProcess of [false, true]) {
      const mode = separateProcess ? ['--separate-process'] : [];
      const cjs = await runProfileCli([...mode, 'bin/tool'], { cwd: fixture('bin-scripts', 'cjs') });
      assert.equal(cjs.code, 0, cjs.stderr);
      assertHotLine(cjs.report, fixture('bin-scripts', 'cjs', 'lib', 'checksum.js'));
      assert.equal(cjs.report!.workload?.script, fixture('bin-scripts', 'cjs', 'bin', 'tool'));
      // "type": "module": an ES module (top-level await, import); its await is measured like a .js one's.
      const esm = await runProfileCli([...mode, 'bin/tool'], { cwd: fixture('bin-scripts', 'esm') });
      assert.equal(esm.code, 0, esm.stderr);
      assertHotLine(esm.report, fixture('bin-scripts', 'esm', 'lib', 'checksum.js'));
      const tool = fixture('bin-scripts', 'esm', 'bin', 'tool');
      const wait = esm.report!.waits?.find(entry => entry.file === tool);
      assert.equal(wait?.line, markedLines(tool, '// WAIT')[0], JSON.stringify(esm.report!.waits));
      assert.ok(wait!.blockedMs >= 100, `the 150 ms pause is measured: ${wait!.blockedMs} ms`);
    }
    const shell = await runProfileCli(['run-sh'], { cwd: fixture('bin-scripts', 'other') });
    assert.equal(shell.code, 2);
    assert.match(shell.stderr, /run-sh is not a JavaScript or TypeScript file \(.*#!\/usr\/bin\/env node\)/);
  });

  test('unknown option and missing script argument: exit 2', async () => {
    const unknown = await runProfileCli(['--fast', 'cjs-hot.js']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown option '--fast'/);
    const missing = await runProfileCli([]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /missing <script>/);
    const noCommand = await runProfileCli(['--']);
    assert.equal(noCommand.code, 2);
    assert.match(noCommand.stderr, /missing <command> after --/);
  });

  test("a syntax error: the script's own error, its exit code, no Hotspots stack", async () => {
    const run = await runProfileCli(['syntax-error.js']);
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /SyntaxError: Unexpected token/);
    noStack(run.stderr);
    assert.equal(run.report!.exitCode, run.code);
    assert.match(run.stdout + run.stderr, /the program exited with code 1 before any of its code was sampled/);
    assert.doesNotMatch(run.stdout + run.stderr, /Top lines/, 'no empty table burying the error');
  });

  for (const mode of [[], ['--separate-process']]) {
    test(`a report that cannot be written (--json <a directory>): the error and exit 2${mode.length ? ', in a child process' : ''}`, async () => {
      const directory = makeTempDir();
      const run = await runProfileCli([...mode, '--json', directory, 'cjs-hot.js']);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /^hotspots: (could not build the report: )?cannot write .*: EISDIR$/m);
    });
  }

  test('a node that does not exist: exit 2', async () => {
    const run = await runProfileCli(['--node', path.join(FIXTURES, 'no-such-node'), 'cjs-hot.js']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^hotspots: node executable not found/);
  });
});

after(() => {
  assert.deepEqual(profiledProcesses(), [], 'no profiled process may outlive the tests');
});
