import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HotspotsApi } from '../../../src/host/api';
import { closeAllEditors, descendantsOf, hotspotsApi, isAlive, markerLine, openEditor, sleep, waitFor, workspaceRoot, workspaceUri } from './helpers';

// Long-running, failing and unusual runs: each ends with a clear message and nothing left running.
describe('profiling runs', () => {
  let api: HotspotsApi;
  before(async () => {
    api = await hotspotsApi();
    await closeAllEditors();
  });
  afterEach(async () => {
    // Never leave a run behind for the next test, even when an assertion failed mid-run.
    if (api.getActiveRun()) await vscode.commands.executeCommand('hotspots.cancelProfiling');
    await api.whenIdle();
  });

  it('"Stop profiling and show results" stops a server and shows what was sampled', async () => {
    const uri = workspaceUri('server.js');
    const served = `${uri.fsPath}.served`;
    fs.rmSync(served, { force: true });
    const running = vscode.commands.executeCommand('hotspots.profileFile', uri);
    const run = await waitFor('the server to start', () => api.getActiveRun());
    // It writes the file once it has served enough requests for its RENDER line to be sampled.
    await waitFor('the server to serve its requests', () => fs.existsSync(served), 60_000);
    await vscode.commands.executeCommand('hotspots.stopProfiling');
    await running;
    await api.whenIdle();
    const outcome = api.getLastOutcome();
    assert.equal(outcome?.kind, 'stopped', outcome?.message);
    assert.ok(outcome.heatShown, outcome.message);
    const serverLines = api.getCurrentModel()!.lines.filter(line => line.file === uri.fsPath).map(line => line.line);
    assert.ok(serverLines.includes(markerLine('server.js', 'RENDER')), `server.js lines with heat: ${serverLines}`);
    assert.equal(isAlive(run.pid), false, 'the server is gone');
    assert.equal(api.getActiveRun(), undefined);
  });

  it('Cancel kills the whole process tree of an endless loop and shows what was sampled', async () => {
    const uri = workspaceUri('loop.js');
    const running = vscode.commands.executeCommand('hotspots.profileFile', uri);
    const run = await waitFor('loop.js to start', () => api.getActiveRun());
    const children = await waitFor('loop.js to start its child', () => { const pids = descendantsOf(run.pid); return pids.length > 0 && pids; });
    await sleep(1000);
    const cancelledAt = Date.now();
    await vscode.commands.executeCommand('hotspots.cancelProfiling');
    await running;
    console.log(`[hotspots] cancel: run ended ${Date.now() - cancelledAt} ms after Cancel; heat shown: ${api.getLastOutcome()?.heatShown}`);
    for (const pid of [run.pid, ...children]) assert.equal(isAlive(pid), false, `pid ${pid} still alive after Cancel`);
    const outcome = api.getLastOutcome();
    assert.equal(outcome?.kind, 'cancelled', outcome?.message);
    assert.match(outcome.message, /cancelled loop\.js/);
    if (outcome.heatShown) {
      assert.equal(api.getCurrentModel()?.lines[0].line, markerLine('loop.js', 'SPIN'));
    } else {
      assert.match(outcome.message, /nothing was sampled/);
    }
  });

  it('a syntax error says so, opens the output and shows no heat', async () => {
    await vscode.commands.executeCommand('hotspots.clearAnnotations');
    await vscode.commands.executeCommand('hotspots.profileFile', workspaceUri('syntax-error.js'));
    await api.whenIdle();
    const outcome = api.getLastOutcome();
    assert.equal(outcome?.kind, 'failed', outcome?.message);
    assert.match(outcome.message, /syntax-error\.js exited with code 1 before any of its code was sampled: SyntaxError/);
    assert.equal(api.getMessages().at(-1)?.severity, 'error');
    assert.deepEqual(api.getMessages().at(-1)?.actions, ['Show Output']);
    assert.deepEqual(api.getCurrentModel()?.lines ?? [], [], 'no line has heat');
    assert.equal(api.getAppliedHeat(workspaceUri('syntax-error.js')), undefined);
  });

  it('a crash after hot work shows the heat with a warning and the exit code', async () => {
    await vscode.commands.executeCommand('hotspots.profileFile', workspaceUri('crash.js'));
    await api.whenIdle();
    const outcome = api.getLastOutcome();
    assert.equal(outcome?.exitCode, 1);
    assert.ok(outcome?.heatShown, outcome?.message);
    assert.match(outcome.message, /crash\.js exited with code 1 \(Error: crash\.js gave up after hot work/);
    assert.equal(api.getMessages().at(-1)?.severity, 'warning');
    assert.equal(api.getCurrentModel()?.lines[0].line, markerLine('crash.js', 'CRUNCH'));
  });

  it('"Profile with arguments…" passes arguments and env, and remembers the arguments per file', async () => {
    const uri = workspaceUri('args.js');
    const seen = path.join(workspaceRoot(), 'args-seen.json');
    await vscode.commands.executeCommand('hotspots.profileFileWithArgs', uri, { args: ['two words', '--n=3'], env: { HOTSPOTS_FIXTURE_ENV: 'from-test' } });
    await api.whenIdle();
    assert.deepEqual(JSON.parse(fs.readFileSync(seen, 'utf8')), { args: ['two words', '--n=3'], env: 'from-test' });

    // Again without arguments: the prompt is prefilled with the remembered ones; accept both prompts.
    fs.rmSync(seen);
    let settled = false;
    const running = Promise.resolve(vscode.commands.executeCommand('hotspots.profileFileWithArgs', uri)).finally(() => { settled = true; });
    // Accept the two prefilled prompts (arguments, then environment) whenever they show: on a loaded machine
    // they come late. Accepting with no prompt open does nothing.
    await waitFor('both prompts accepted and the run finished', async () => {
      if (!settled) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return settled;
    }, 60_000);
    await running;
    await api.whenIdle();
    assert.deepEqual(JSON.parse(fs.readFileSync(seen, 'utf8')), { args: ['two words', '--n=3'], env: '' });
  });

  it('an untitled file gets a clear message', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'javascript', content: 'while (true) {}' });
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('hotspots.profileFile');
    await api.whenIdle();
    assert.equal(api.getLastOutcome()?.kind, 'rejected');
    assert.match(api.getLastOutcome()!.message, /never been saved.*Save it as a \.js or \.ts file/);
    assert.equal(api.getActiveRun(), undefined);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('a missing node executable is reported with a way to fix it', async () => {
    const config = vscode.workspace.getConfiguration('hotspots');
    await config.update('nodePath', '/nonexistent/bin/node', vscode.ConfigurationTarget.Workspace);
    try {
      await openEditor('hot.js');
      await vscode.commands.executeCommand('hotspots.profileFile');
      await api.whenIdle();
      const outcome = api.getLastOutcome();
      assert.equal(outcome?.kind, 'failed');
      assert.match(outcome.message, /node executable not found: \/nonexistent\/bin\/node/);
      assert.deepEqual(api.getMessages().at(-1)?.actions, ['Open Settings']);
    } finally {
      await config.update('nodePath', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
