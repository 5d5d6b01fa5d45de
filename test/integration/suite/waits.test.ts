import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HotspotsApi } from '../../../src/host/api';
import { closeAllEditors, hotspotsApi, markerLine, openEditor, screenshot, sleep } from './helpers';

// "Profile this file" on a program that mostly waits (test/fixtures/workspace/waits.js): the await line
// gets the waiting heat and its ⏳ annotation, a hover with the chain, the "Waiting" group and the status bar.
describe('Waiting heat', () => {
  let api: HotspotsApi;
  const waitLine = () => markerLine('waits.js', 'WAIT');
  const requestLine = () => markerLine('waits.js', 'REQUEST');

  before(async () => {
    api = await hotspotsApi();
    await closeAllEditors();
  });

  it('puts the waiting heat and the ⏳ annotation on the await line', async () => {
    const editor = await openEditor('waits.js');
    await vscode.commands.executeCommand('hotspots.profileFile');
    await api.whenIdle();
    const outcome = api.getLastOutcome();
    assert.equal(outcome?.kind, 'completed', outcome?.message);

    const applied = api.getAppliedHeat(editor.document.uri);
    assert.ok(applied?.waits, `waiting heat applied: ${JSON.stringify(applied)}`);
    const wait = applied.waits.find(line => line.line === waitLine());
    assert.ok(wait, `the await line ${waitLine()} carries the waiting heat: ${JSON.stringify(applied.waits)}`);
    assert.match(wait.annotation ?? '', /^⏳ \d+ ms waiting · \d+(\.\d+)?% of wall \(20×\)$/);
    assert.match(wait.hover, /\| awaits \| 20 \|/);
    assert.match(wait.hover, /mean wait/);
    assert.match(wait.hover, /longest wait/);
    const request = applied.waits.find(line => line.line === requestLine());
    assert.ok(request, 'the callee\'s await line waits too');
    assert.match(request.hover, /Awaited by/);
    assert.match(request.hover, new RegExp(`waits\\.js:${waitLine()}`));

    assert.match(api.getStatusBarText() ?? '', new RegExp(`waits\\.js:(${waitLine()}|${requestLine()}) ⏳ \\d+ ms waiting`));
    const items = await api.getTreeItems();
    const waiting = items.find(item => item.label === 'Waiting (blocked time per await line)');
    assert.ok(waiting, JSON.stringify(items.map(item => item.label)));
    assert.ok(waiting.children.some(child => child.label === `waits.js:${waitLine()}`));
    // The workbench paints what the (remote) extension host sent a moment later on a loaded machine.
    await vscode.commands.executeCommand('hotspots.hotspots.focus');
    await sleep(5000);
    await screenshot('docs/images/editor-waits.png');
    await sleep(5000); // the screenshot is taken asynchronously: keep the state until it is
  });
});
