// What a run does besides profiling (issue 15): an ES module entry in TypeScript by its extension alone,
// dependencies' broken source maps said once per workspace and version, the user's own NODE_OPTIONS kept
// out of the profiler's threads. Each test profiles a fixture of its own with the built CLI.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { FIXTURES, fixture, makeTempDir, markedLines, runProfileCli } from './profileHelpers';

describe('hotspots profile: entry files', () => {
  test('a .mts entry with top-level await and import.meta runs as an ES module, on its own lines', async () => {
    const script = fixture('ts-mts', 'main.mts');
    const run = await runProfileCli([script]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /checksum \d+ in main\.mts/);
    const top = run.report!.lines[0];
    assert.deepEqual([top.file, markedLines(script).includes(top.line)], [script, true], JSON.stringify(run.report!.lines.slice(0, 3)));
  });

  for (const entry of ['throws.mts', 'throws.cts']) {
    test(`an error thrown in ${entry} names the TypeScript file's own lines in its stack trace`, async () => {
      const script = fixture('ts-throws', entry);
      const run = await runProfileCli([script]);
      assert.equal(run.code, 1, run.stderr);
      const [throwLine, callLine] = [markedLines(script, '// THROW')[0], markedLines(script, '// CALL')[0]];
      assert.match(run.stderr, new RegExp(`at Settings\\.read \\(.*${entry.replace('.', '\\.')}:${throwLine}:\\d+\\)`), run.stderr);
      assert.match(run.stderr, new RegExp(`${entry.replace('.', '\\.')}:${callLine}:\\d+`), run.stderr);
    });
  }

  test('a syntax error in TypeScript reads like Node\'s own: the file\'s line, a caret and the message, none of esbuild\'s internals', async () => {
    const script = fixture('ts-throws', 'syntax-error.mts');
    const run = await runProfileCli([script]);
    assert.equal(run.code, 1, run.stderr);
    const [line] = markedLines(script, '// BROKEN');
    assert.match(run.stderr, new RegExp(`syntax-error\\.mts:${line}\\n  return limit \\+; // BROKEN\\n {9}\\^`), run.stderr);
    assert.match(run.stderr, /SyntaxError: Expected "}" but found "limit"/, run.stderr);
    assert.doesNotMatch(run.stderr, /esbuild[\\/]lib[\\/]main\.js|Transform failed|errors: \[/, run.stderr);
  });

  test('esbuild\'s service processes end with the program instead of a ping later (a launcher waits for them)', { skip: !fs.existsSync('/proc/self/task') && 'Linux only' }, async () => {
    const run = await runProfileCli([fixture('esbuild-service', 'app.js')]);
    assert.equal(run.code, 0, run.stderr);
    const pid = Number(/service (\d+)/.exec(run.stdout)?.[1]);
    assert.ok(pid > 0, run.stdout);
    const alive = (): boolean => { try { process.kill(pid, 0); return true; } catch { return false; } };
    // Without Hotspots the stand-in would sleep for a minute; ended with the program, it is gone at once.
    for (let attempt = 0; attempt < 50 && alive(); attempt++) await new Promise(resolve => setTimeout(resolve, 100));
    const survived = alive();
    if (survived) process.kill(pid, 'SIGKILL');
    assert.equal(survived, false, 'the service process was ended');
  });

  test('a CPU-bound .mts program is not idle while its module graph is transpiled: sampled and elapsed time start with its first module', async () => {
    // The main thread waits for the loader thread's esbuild (a quarter of this run before: "other idle 24%").
    const script = fixture('ts-mts', 'cpu.mts');
    const run = await runProfileCli([script]);
    assert.equal(run.code, 0, run.stderr);
    const report = run.report!;
    const { idleMs, unsampledMs = 0 } = report.categories;
    const busyMs = report.totalSampledMs - idleMs;
    assert.ok(report.lines.some(line => line.file === script && markedLines(script).includes(line.line)), JSON.stringify(report.lines.slice(0, 3)));
    assert.ok(idleMs <= 0.05 * busyMs, `idle ${idleMs} ms of ${report.totalSampledMs} ms sampled (busy ${busyMs} ms)`);
    assert.ok(report.elapsedMs! <= report.totalSampledMs + unsampledMs + 0.05 * busyMs, `elapsed ${report.elapsedMs} ms vs sampled ${report.totalSampledMs} + unsampled ${unsampledMs} ms`);
  });
});

describe('hotspots profile: dependency source-map warnings', () => {
  const warningOf = (warnings: string[]): string | undefined => warnings.find(text => text.includes('brokenmap'));

  test('are said once per workspace and dependency version', async () => {
    // A copy, so the dependency's version can change.
    const project = path.join(makeTempDir(), 'project');
    fs.cpSync(fixture('broken-map-dep'), project, { recursive: true });
    const runs = path.join(makeTempDir(), 'runs');
    const profile = async (): Promise<string[]> => {
      const run = await runProfileCli(['--out-dir', runs, path.join(project, 'app.js')], { cwd: project });
      assert.equal(run.code, 0, run.stderr);
      return run.report!.warnings;
    };
    const first = await profile();
    assert.match(warningOf(first) ?? '', /dependency brokenmap could not be used/, JSON.stringify(first));
    const second = await profile();
    assert.equal(warningOf(second), undefined, `said again: ${JSON.stringify(second)}`);

    const manifest = path.join(project, 'node_modules', 'brokenmap', 'package.json');
    fs.writeFileSync(manifest, fs.readFileSync(manifest, 'utf8').replace('1.0.0', '1.0.1'));
    assert.match(warningOf(await profile()) ?? '', /brokenmap/, 'a new version of the dependency is warned about again');
  });

  test('another workspace (out dir) is told too', async () => {
    const app = fixture('broken-map-dep', 'app.js');
    for (let round = 0; round < 2; round++) {
      const run = await runProfileCli([app], { cwd: path.dirname(app) });
      assert.equal(run.code, 0, run.stderr);
      assert.ok(warningOf(run.report!.warnings), `round ${round}: ${JSON.stringify(run.report!.warnings)}`);
    }
  });
});

describe('hotspots profile: the user\'s NODE_OPTIONS', () => {
  test('a --require of the user does not run in esbuild\'s helper thread (a .js entry requiring TypeScript)', async () => {
    const log = path.join(makeTempDir(), 'required.log');
    const run = await runProfileCli([fixture('js-requires-ts', 'main.js')], {
      env: { ...process.env, NODE_OPTIONS: `--require ${fixture('user-require.js')}`, USER_REQUIRE_LOG: log },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /sum \d+/);
    assert.ok(run.report!.lines.some(line => line.file === fixture('js-requires-ts', 'squares.ts')), 'the TypeScript file was profiled');
    const entries = fs.readFileSync(log, 'utf8').trim().split('\n');
    assert.deepEqual(entries.filter(entry => entry.startsWith('worker')), [], entries.join('\n'));
    assert.ok(entries.some(entry => entry.startsWith('main') && entry.includes('main.js')), 'it still runs in the program');
  });
});

describe('hotspots profile: a crashing program\'s own error output', () => {
  /** What Node prints above an uncaught error's message and its first frame: file:line, the line, the caret. */
  const crashSummary = (stderr: string): { where: string; source: string; caret: string; message: string; frame: string } => {
    // Node >= 20 with source maps on prints one more blank line after the caret; file URLs as paths.
    const lines = stderr.split('\n').filter(line => line !== '' && !line.startsWith('hotspots:'));
    const at = lines.findIndex(line => /^\/.*:\d+$|^file:\/\/.*:\d+$/.test(line));
    assert.ok(at >= 0, stderr);
    const path = (text: string): string => text.replace('file://', '');
    return { where: path(lines[at]), source: lines[at + 1], caret: lines[at + 2], message: lines[at + 3], frame: path(lines[at + 4]) };
  };
  const plainNode = (script: string): Promise<string> => new Promise(resolve => {
    execFile(process.execPath, [script], { cwd: FIXTURES }, (_error, _stdout, stderr) => resolve(stderr));
  });

  for (const entry of ['await-line.js', 'await-line.mjs']) {
    for (const mode of [[], ['--separate-process']]) {
      test(`an uncaught error in ${entry} shows the file's own line and column, as under plain node ${mode.join(' ')}`, async () => {
        const script = fixture('crash-lines', entry);
        const run = await runProfileCli([...mode, script]);
        assert.equal(run.code, 1, run.stderr);
        const profiled = crashSummary(run.stderr);
        assert.deepEqual(profiled, crashSummary(await plainNode(script)), run.stderr);
        assert.match(profiled.source, /\/\/ THROW$/);
        assert.doesNotMatch(run.stderr, /__hs/);
      });
    }
  }

  test('TypeScript: an error after an await on the same line keeps the column it has without waits', async () => {
    const script = fixture('crash-lines', 'await-line.ts');
    const [withWaits, withoutWaits] = await Promise.all([runProfileCli([script]), runProfileCli(['--no-waits', script])]);
    assert.equal(withWaits.code, 1, withWaits.stderr);
    const summary = crashSummary(withWaits.stderr);
    assert.deepEqual(summary, crashSummary(withoutWaits.stderr), withWaits.stderr);
    assert.match(summary.frame, new RegExp(`await-line\\.ts:${markedLines(script, '// THROW')[0]}:\\d+\\)$`));
  });

  test('the program\'s own uncaughtException handler reads its own columns', async () => {
    const script = fixture('crash-lines', 'handled.js');
    const run = await runProfileCli([script]);
    assert.equal(run.code, 0, run.stderr);
    const plain = await new Promise<string>(resolve => execFile(process.execPath, [script], (_error, stdout) => resolve(stdout)));
    assert.equal(/^handled .*$/m.exec(run.stdout)?.[0], plain.trim());
  });

  test('directives without semicolons: the instrumented file still parses and runs', async () => {
    const run = await runProfileCli([fixture('crash-lines', 'standard-style.js')]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /sum 6/);
    assert.ok(run.report!.waits!.some(wait => wait.file === fixture('crash-lines', 'standard-style.js')), JSON.stringify(run.report!.waits));
  });
});

describe('hotspots profile: a function\'s source as the program reads it', () => {
  const plainNode = (script: string): Promise<string> => new Promise(resolve => {
    execFile(process.execPath, [script], { cwd: FIXTURES }, (_error, stdout) => resolve(stdout));
  });

  for (const entry of ['functions.js', 'functions.mjs']) {
    test(`${entry}: async functions sent to a worker or new Function as text run there, as under plain node (waits still measured)`, async () => {
      const script = fixture('serialized', entry);
      const run = await runProfileCli([script]);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      const printed = run.stdout.slice(0, run.stdout.indexOf('\nHotspots:'));
      assert.equal(printed.trim(), (await plainNode(script)).trim());
      assert.ok(run.report!.waits!.some(wait => wait.file === script), JSON.stringify(run.report!.waits));
    });
  }
});
