import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HotspotsApi } from '../../../src/host/api';
import { closeAllEditors, hotspotsApi, markerLine, openEditor, screenshot, waitFor } from './helpers';

// "Profile memory of this file" on test/fixtures/workspace/allocates.js: the memory annotation appears on
// the first line of the allocating function, with the range marker over its body and the hover.
describe('Profile memory of this file', () => {
  let api: HotspotsApi;

  before(async () => {
    api = await hotspotsApi();
    await closeAllEditors();
    await vscode.extensions.getExtension('vscode.typescript-language-features')?.activate();
  });

  it('puts the memory annotation on the allocating function of the file', async () => {
    const editor = await openEditor('allocates.js');
    const document = editor.document;
    await vscode.commands.executeCommand('hotspots.profileFileMemory');
    await api.whenIdle();
    const outcome = api.getLastOutcome();
    assert.equal(outcome?.kind, 'completed', outcome?.message);

    const report = api.getCurrentModel()?.report;
    assert.ok(report?.memory, `the report has memory: ${JSON.stringify(outcome?.warnings)}`);
    assert.equal(report.allocations?.[0].function, 'buildIndex');

    const applied = await waitFor('memory annotations', () => api.getAppliedMemory(document.uri));
    const allocating = applied.functions.find(fn => fn.line === markerLine('allocates.js', 'ALLOC'));
    assert.ok(allocating, `annotation on buildIndex's first line: ${JSON.stringify(applied.functions)}`);
    assert.match(allocating.annotation, /^▣ [\d.]+ MB allocated · \d+% \(whole function\)$/);
    assert.equal(allocating.endLine, allocating.line + 6, 'the range marker covers the function body');
    assert.match(allocating.hover, /per function, not per line/);
    const smallLine = document.getText().split('\n').findIndex(line => line.startsWith('function small')) + 1;
    assert.ok(smallLine > 0 && !applied.functions.some(fn => fn.line === smallLine), 'no annotation below 1%');

    editor.selection = new vscode.Selection(allocating.line - 1, 0, allocating.line - 1, 0);
    await vscode.commands.executeCommand('hotspots.hotspots.focus');
    await screenshot('docs/images/memory-editor.png');
  });

  it('the setting hotspots.profileMemory makes "Profile this file" sample the heap too', async () => {
    const config = vscode.workspace.getConfiguration('hotspots');
    await config.update('profileMemory', true, vscode.ConfigurationTarget.Workspace);
    try {
      await openEditor('allocates.js');
      await vscode.commands.executeCommand('hotspots.profileFile');
      await api.whenIdle();
      assert.equal(api.getCurrentModel()?.report.allocations?.[0].function, 'buildIndex');
    } finally {
      await config.update('profileMemory', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await openEditor('allocates.js');
    await vscode.commands.executeCommand('hotspots.profileFile');
    await api.whenIdle();
    assert.equal(api.getCurrentModel()?.report.memory, undefined, 'without the setting, no heap sampling');
  });
});
