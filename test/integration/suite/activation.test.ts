import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, hotspotsApi } from './helpers';

// Runs first (files are sorted): nothing has used the extension yet.
describe('activation', () => {
  it('is lazy and fast: registers commands, loads nothing heavy', async () => {
    const api = await hotspotsApi();
    console.log(`[hotspots] activate() took ${api.activationMs.toFixed(2)} ms`);
    assert.ok(api.activationMs < 50, `activation took ${api.activationMs} ms`);
    assert.equal(api.isHostLoaded(), false, 'the profiling host must load on the first command, not at activation');
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['hotspots.profileFile', 'hotspots.profileFileWithArgs', 'hotspots.stopProfiling',
      'hotspots.clearAnnotations', 'hotspots.openProfile']) {
      assert.ok(commands.includes(id), `${id} registered`);
    }
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)?.isActive);
  });

  it('shows the view welcome (no items) before any profile', async () => {
    const api = await hotspotsApi();
    assert.deepEqual(await api.getTreeItems(), []);
  });
});
