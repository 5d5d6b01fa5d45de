import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FlamePanelHandle } from '../../../src/host/flame/panel';
import { closeAllEditors, hotspotsApi, markerLine, screenshot, waitFor, workspaceRoot } from './helpers';

/** Rejects instead of hanging the suite when the webview never answers. */
function within<T>(what: string, promise: Promise<T>, handle: FlamePanelHandle, ms = 30_000): Promise<T> {
  const timeout = new Promise<T>((_, reject) =>
    setTimeout(() => reject(new Error(`timed out waiting for ${what}; the webview sent ${JSON.stringify(handle.received)}`)), ms),
  );
  return Promise.race([promise, timeout]);
}

// The flame graph panel in the real VS Code host: it opens, its webview starts and loads the profile
// (both reported over the typed protocol), and the message a frame selection produces opens the source.
describe('Flame graph panel', () => {
  let dir: string;
  let handle: FlamePanelHandle;

  before(async () => {
    await hotspotsApi();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-flame-it-'));
    execFileSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, 'hot.js'], { cwd: workspaceRoot(), stdio: 'ignore' });
    const [recorded] = fs.readdirSync(dir).filter(name => name.endsWith('.cpuprofile'));
    await vscode.commands.executeCommand('hotspots.openProfile', vscode.Uri.file(path.join(dir, recorded)));
  });
  after(async () => {
    handle?.panel.dispose();
    await vscode.commands.executeCommand('hotspots.clearAnnotations');
    await closeAllEditors();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('opens, and its webview reports ready and loads the latest profile', async () => {
    const api = await hotspotsApi();
    assert.ok(api.getLatestProfile(), 'a profile is loaded');
    handle = (await vscode.commands.executeCommand<FlamePanelHandle>('hotspots.showFlameGraph'))!;
    assert.ok(handle?.panel, 'the command returns the panel handle');
    assert.equal(handle.panel.viewType, 'hotspots.flameGraph');
    await within('the webview to report ready', handle.whenReady(), handle);
    const loaded = await within('speedscope to load the profile', handle.whenLoaded(), handle);
    assert.ok(loaded.frameCount >= 3, `frames of hot.js reached the webview (got ${loaded.frameCount})`);
    assert.ok(!handle.received.some(message => message.type === 'error'), JSON.stringify(handle.received));
    await screenshot('docs/images/flame-panel.png');
  });

  it('follows the VS Code theme: a theme change restarts speedscope in the new colour scheme', async () => {
    const workbench = vscode.workspace.getConfiguration('workbench');
    const previous = workbench.inspect<string>('colorTheme');
    const count = (type: string) => handle.received.filter(message => message.type === type).length;
    const [readyBefore, loadedBefore] = [count('ready'), count('loaded')];
    const dark = vscode.window.activeColorTheme.kind === vscode.ColorThemeKind.Dark ? 'Default Light Modern' : 'Default Dark Modern';
    await workbench.update('colorTheme', dark, vscode.ConfigurationTarget.Workspace);
    try {
      await waitFor('the webview to restart', () => count('ready') > readyBefore);
      await waitFor('the profile to load again', () => count('loaded') > loadedBefore);
      if (dark === 'Default Dark Modern') await screenshot('docs/images/flame-panel-dark.png');
    } finally {
      await workbench.update('colorTheme', previous?.workspaceValue, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('shows a new profile in the open panel', async () => {
    const loadedRuns = () => handle.received.filter(message => message.type === 'loaded').map(message => (message as { runId: string }).runId);
    const before = loadedRuns();
    const second = fs.mkdtempSync(path.join(dir, 'second-'));
    execFileSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', second, 'hot.js'], { cwd: workspaceRoot(), stdio: 'ignore' });
    const [recorded] = fs.readdirSync(second).filter(name => name.endsWith('.cpuprofile'));
    await vscode.commands.executeCommand('hotspots.openProfile', vscode.Uri.file(path.join(second, recorded)));
    await waitFor('the panel to load the new profile', () => loadedRuns().some(runId => !before.includes(runId)));
    assert.match(handle.panel.title, new RegExp(recorded.replace(/\./g, '\\.')));
  });

  it('opens the editor at the line a frame selection asks for', async () => {
    const hot = path.join(workspaceRoot(), 'hot.js');
    const line = markerLine('hot.js', 'HOT');
    await handle.receive({ type: 'openSource', location: { file: hot, line } });
    const editor = await waitFor('an editor on hot.js', () => {
      const active = vscode.window.activeTextEditor;
      return active?.document.uri.fsPath === hot ? active : undefined;
    });
    assert.equal(editor.selection.active.line + 1, line);
    assert.notEqual(editor.viewColumn, handle.panel.viewColumn, 'the source opens beside the flame graph');
  });

  it('ignores malformed messages', async () => {
    const before = vscode.window.activeTextEditor?.document.uri.fsPath;
    await handle.receive({ type: 'openSource', location: { file: path.join(workspaceRoot(), 'loop.js'), line: 0 } });
    await handle.receive({ type: 'openSource' });
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, before);
  });

  it('exports the self-contained HTML report', async () => {
    const target = vscode.Uri.file(path.join(dir, 'report.html'));
    const written = await vscode.commands.executeCommand<vscode.Uri>('hotspots.exportHtmlReport', target);
    assert.equal(written?.fsPath, target.fsPath);
    const html = fs.readFileSync(target.fsPath, 'utf8');
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;nonce-/);
    assert.ok(html.includes(path.join(workspaceRoot(), 'hot.js')), 'the hotspots table names hot.js');
    assert.ok(!/<script[^>]+src=|<link[^>]+href=/.test(html), 'no external scripts or styles');
  });
});
