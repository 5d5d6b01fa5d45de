import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { hotspotsApi, markerLine, openEditor, workspaceUri } from './helpers';

// Runs in the second session: Workspace Trust enabled and the folder never trusted (Restricted Mode).
describe('untrusted workspace (Restricted Mode)', () => {
  it('really is untrusted', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('refuses to profile, explains why and starts nothing', async () => {
    const api = await hotspotsApi();
    await openEditor('hot.js');
    await vscode.commands.executeCommand('hotspots.profileFile');
    await vscode.commands.executeCommand('hotspots.profileFileWithArgs', workspaceUri('hot.js'), { args: [] });
    await api.whenIdle();
    const outcome = api.getLastOutcome();
    assert.equal(outcome?.kind, 'rejected');
    assert.match(outcome.message, /disabled in Restricted Mode\. Trust this workspace to profile/);
    assert.deepEqual(api.getMessages().map(message => message.actions), [['Manage Workspace Trust'], ['Manage Workspace Trust']]);
    assert.equal(api.getActiveRun(), undefined);
    assert.equal(api.getCurrentModel(), undefined);
  });

  it('refuses "Profile npm script…" and "Profile this test file" too, before asking anything', async () => {
    const api = await hotspotsApi();
    await vscode.commands.executeCommand('hotspots.profileNpmScript');
    assert.equal(api.getLastOutcome()?.kind, 'rejected');
    assert.match(api.getLastOutcome()!.message, /disabled in Restricted Mode/);
    await openEditor('test/sum.test.js');
    await vscode.commands.executeCommand('hotspots.profileTestFile');
    assert.equal(api.getLastOutcome()?.kind, 'rejected');
    assert.equal(api.getActiveRun(), undefined);
    assert.equal(api.getHistory().length, 0);
  });

  it('still opens CPU profiles (reading files runs no code)', async () => {
    const api = await hotspotsApi();
    const { execFileSync } = await import('node:child_process');
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-untrusted-'));
    execFileSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, workspaceUri('hot.js').fsPath], { stdio: 'ignore' });
    const [profile] = fs.readdirSync(dir);
    await vscode.commands.executeCommand('hotspots.openProfile', vscode.Uri.file(path.join(dir, profile)));
    assert.equal(api.getCurrentModel()?.lines[0].line, markerLine('hot.js', 'HOT'));
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
