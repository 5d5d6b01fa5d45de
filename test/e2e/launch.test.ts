// The launcher API the VS Code extension drives: pre-flight errors, stop() and cancel() of a whole tree.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { ProfileLaunchError, resolveNode, startProfileRun } from '../../src/core/profile/launch';
import { buildRunReport, profileScript } from '../../src/core/profile/runReport';
import { FIXTURES, fixture, makeTempDir, markedLines, profiledProcesses } from './profileHelpers';

/** Resolves once the program has printed `text` (so it is past startup and in its hot code). */
function outputSeen(text: string): { onOutput: (chunk: string) => void; seen: Promise<void> } {
  let output = '';
  let markSeen: () => void = () => undefined;
  const seen = new Promise<void>(resolve => { markSeen = resolve; });
  return {
    onOutput: chunk => {
      output += chunk;
      if (output.includes(text)) markSeen();
    },
    seen,
  };
}

describe('launcher', () => {
  test('resolveNode finds node on the PATH with its version', () => {
    const node = resolveNode();
    assert.ok(path.isAbsolute(node.path));
    assert.ok(node.major >= 18, node.version);
  });

  test('pre-flight problems are typed errors and start nothing', () => {
    const outDir = makeTempDir();
    const problemOf = (script: string, extra: { node?: string } = {}): string => {
      try {
        startProfileRun({ script, cwd: FIXTURES, outDir, ...extra });
      } catch (error) {
        assert.ok(error instanceof ProfileLaunchError, String(error));
        return error.problem;
      }
      return 'started';
    };
    assert.equal(problemOf('missing.js'), 'script-not-found');
    assert.equal(problemOf('ts'), 'script-is-directory');
    assert.equal(problemOf('notes.txt'), 'not-javascript');
    assert.equal(problemOf('cjs-hot.js', { node: fixture('no-such-node') }), 'node-not-found');
    assert.throws(() => startProfileRun({ command: { file: 'hotspots-no-such-command' }, cwd: FIXTURES, outDir }),
      (error: unknown) => error instanceof ProfileLaunchError && error.problem === 'command-not-found');
    assert.deepEqual(fs.readdirSync(outDir), []);
  });

  test('stop() makes a program busy in a loop write its profile, then ends it with SIGINT', async () => {
    const { onOutput, seen } = outputSeen('spinning');
    const run = startProfileRun({ script: fixture('busy', 'spin-forever.js'), outDir: makeTempDir(), onOutput });
    await seen;
    await new Promise(resolve => setTimeout(resolve, 300));
    run.stop();
    const result = await run.done;
    assert.equal(result.signal, 'SIGINT');
    assert.equal(result.endedBy, 'stop');
    assert.deepEqual(result.profiles.map(file => path.basename(file)), [`${run.pid}-0.cpuprofile`]);
    const profile = JSON.parse(fs.readFileSync(result.profiles[0], 'utf8')) as { $hotspots: { kind: string; reason: string } };
    assert.equal(profile.$hotspots.kind, 'main');
    assert.equal(profile.$hotspots.reason, 'stop');
    const report = await buildRunReport(result);
    const script = fixture('busy', 'spin-forever.js');
    assert.equal(report.lines[0].file, script);
    assert.ok(markedLines(script).includes(report.lines[0].line));
  });

  test('cancel() ends the program and its children', async () => {
    const { onOutput, seen } = outputSeen('spinning');
    const outDir = makeTempDir();
    const run = startProfileRun({ script: fixture('busy', 'tree-forever.js'), outDir, onOutput });
    await seen;
    assert.equal(profiledProcesses(outDir).length, 2, 'parent and child run before the cancel');
    run.cancel();
    const result = await run.done;
    assert.equal(result.endedBy, 'cancel');
    assert.notEqual(result.signal, null);
    assert.deepEqual(profiledProcesses(outDir), []);
  });

  test('cancel() of a program busy in an endless loop keeps what was sampled, and leaves nothing running', async () => {
    const { onOutput, seen } = outputSeen('spinning');
    const outDir = makeTempDir();
    const script = fixture('busy', 'spin-forever.js');
    const run = startProfileRun({ script, outDir, onOutput });
    await seen;
    await new Promise(resolve => setTimeout(resolve, 300));
    run.cancel();
    const result = await run.done;
    assert.deepEqual(profiledProcesses(outDir), [], 'the whole tree is gone when done resolves');
    assert.equal(result.endedBy, 'cancel');
    assert.notEqual(result.signal, null);
    assert.ok(result.profiles.length >= 1, `a profile was written: ${JSON.stringify(result.warnings)}`);
    const report = await buildRunReport(result);
    assert.equal(report.lines[0]?.file, script, JSON.stringify(report.warnings));
    assert.ok(markedLines(script).includes(report.lines[0].line));
  });

  test('command: { file, args } runs a program found on the PATH and profiles the Node processes it starts', async () => {
    const { report, result } = await profileScript({ command: { file: 'node', args: ['cjs-hot.js'] }, cwd: FIXTURES, outDir: makeTempDir() });
    assert.equal(result.exitCode, 0);
    assert.deepEqual(result.command, ['node', 'cjs-hot.js']);
    assert.equal(result.script, null);
    assert.deepEqual(report.processes.map(process => process.kind), ['main']);
    assert.equal(report.lines[0].file, fixture('cjs-hot.js'));
    assert.ok(report.lines[0].text?.includes('// HOT'));
    assert.deepEqual(report.workload?.command, ['node', 'cjs-hot.js']);
  });

  test('profileScript returns the report and the run result together', async () => {
    const { report, result } = await profileScript({ script: 'cjs-hot.js', cwd: FIXTURES, outDir: makeTempDir() });
    assert.equal(result.exitCode, 0);
    assert.equal(report.exitCode, 0);
    assert.deepEqual(report.command, result.command);
    assert.equal(report.lines[0].file, fixture('cjs-hot.js'));
    assert.ok(markedLines(fixture('cjs-hot.js')).includes(report.lines[0].line));
  });
});

after(() => {
  assert.deepEqual(profiledProcesses(), [], 'no profiled process may outlive the tests');
});
