import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HotspotsApi } from '../../../src/host/api';
import { closeAllEditors, hotspotsApi, markerLine, openEditor, screenshot, sleep, waitFor } from './helpers';

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

  it('gives the calling line heat and an annotation that include the dependency time, and names it in the status bar', async () => {
    const callLine = markerLine('uses-dependency.js', 'CALL');
    const editor = await openEditor('uses-dependency.js');
    // The run of the test above is still shown.
    const userLine = api.getCurrentModel()?.report.userLines?.[0];
    assert.equal(userLine?.line, callLine);
    const applied = await waitFor('heat on the calling line', () => api.getAppliedHeat(editor.document.uri)?.lines.find(line => line.line === callLine));
    assert.ok(applied.step >= 4, `step ${applied.step} for ${userLine!.totalPercent}% with the dependency`);
    assert.match(applied.annotation ?? '', /^\d+\.\d% · \d+ ms incl\. dependencies → slowdep \d+%$/);
    assert.match(applied.hover, /including the dependencies it called \(→ slowdep \d+%\)/);
    assert.match(api.getStatusBarText() ?? '', new RegExp(`^\\$\\(flame\\) uses-dependency\\.js:${callLine} \\d+\\.\\d% → slowdep \\d+%$`));
    editor.revealRange(new vscode.Range(Math.max(0, callLine - 8), 0, callLine + 8, 0));
    await sleep(1500);
    await screenshot('docs/images/editor-your-code-heat.png');
  });
});
