import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HotspotsApi } from '../../../src/host/api';
import { closeAllEditors, hotspotsApi, markerLine, openEditor, screenshot, sleep } from './helpers';

// Issue 15: time inside a dependency is charged to the user's line that called it, in the Hotspots view.
describe('Your code in the Hotspots view', () => {
  let api: HotspotsApi;

  before(async () => {
    api = await hotspotsApi();
    await closeAllEditors();
  });

  it('lists the calling line of the user\'s file first, with the dependency it spent its time in', async () => {
    const callLine = markerLine('uses-dependency.js', 'CALL');
    await openEditor('uses-dependency.js');
    await vscode.commands.executeCommand('hotspots.profileFile');
    await api.whenIdle();
    const outcome = api.getLastOutcome();
    assert.equal(outcome?.kind, 'completed', outcome?.message);

    const items = await api.getTreeItems();
    assert.deepEqual(items.map(item => item.label), ['Your code (with the dependencies it called)', 'Top lines (self time)', 'Top functions (total time)']);
    const first = items[0].children[0];
    assert.equal(first.label, `uses-dependency.js:${callLine}`);
    assert.match(first.description ?? '', /^\d+\.\d% · \d+ ms {2}→ slowdep \d+%$/);
    await vscode.commands.executeCommand('hotspots.hotspots.focus');
    // The workbench draws the view's new rows a moment after focusing it.
    await sleep(2000);
    await screenshot('docs/images/editor-your-code.png');
  });
});
