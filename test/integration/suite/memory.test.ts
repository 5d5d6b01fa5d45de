import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HotspotsApi } from '../../../src/host/api';
import type { FlamePanelHandle } from '../../../src/host/flame/panel';
import type { SpeedscopeFile } from '../../../src/core/flame/speedscope';
import { clickInWindow, closeAllEditors, hotspotsApi, markerLine, openEditor, screenshot, waitFor } from './helpers';

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

  it('the flame graph switches to allocated bytes with a click in the panel, and back to time', async () => {
    assert.ok(api.getLatestProfile()?.report.memory, 'the latest run is the memory run of allocates.js');
    const handle = await vscode.commands.executeCommand<FlamePanelHandle>('hotspots.showFlameGraph');
    try {
      const timeRun = await Promise.race([handle.whenLoaded(), new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the flame graph never loaded: ${JSON.stringify(handle.received)}`)), 60_000))]);
      const loadedRuns = () => handle.received.filter(message => message.type === 'loaded').map(message => (message as { runId: string }).runId);
      const time = await handle.shownData();
      assert.equal(time?.memory?.weight, 'time', 'a memory run offers the switch');

      clickInWindow('button[data-weight="bytes"]');
      await waitFor('the click to reach the host', () => handle.received.some(message => message.type === 'showWeight'), 30_000);
      await waitFor('the bytes flame graph to load', () => loadedRuns().some(runId => runId !== timeRun.runId), 60_000);
      const bytes = await handle.shownData();
      assert.equal(bytes?.memory?.weight, 'bytes');
      const file = JSON.parse(Buffer.from(bytes!.speedscopeBase64, 'base64').toString('utf8')) as SpeedscopeFile;
      assert.ok(file.profiles.length > 0 && file.profiles.every(profile => profile.unit === 'bytes'), 'only allocation profiles, in bytes');
      const buildIndex = file.shared.frames.findIndex(frame => frame.name === 'buildIndex');
      assert.ok(buildIndex >= 0, 'buildIndex is a frame of the allocation flame graph');
      assert.equal(file.shared.frames[buildIndex].line, markerLine('allocates.js', 'ALLOC'));
      assert.equal(bytes!.memory!.allocations[0].function, 'buildIndex');
      await screenshot('docs/images/memory-flame.png');

      const before = loadedRuns().length;
      clickInWindow('button[data-weight="time"]');
      await waitFor('the time flame graph again', () => loadedRuns().length > before, 60_000);
      assert.equal((await handle.shownData())?.memory?.weight, 'time');
    } finally {
      handle.panel.dispose();
    }
  });

  it('"Profile memory still held by this file": the annotation says what the function still holds', async () => {
    const editor = await openEditor('holds.js');
    await vscode.commands.executeCommand('hotspots.profileFileRetainedMemory');
    await api.whenIdle();
    const outcome = api.getLastOutcome();
    assert.equal(outcome?.kind, 'completed', outcome?.message);
    const report = api.getCurrentModel()?.report;
    assert.equal(report?.memory?.mode, 'retained', JSON.stringify(outcome?.warnings));
    assert.equal(report.allocations?.[0].function, 'keep');
    const applied = await waitFor('memory annotations', () => api.getAppliedMemory(editor.document.uri));
    const keep = applied.functions.find(fn => fn.line === markerLine('holds.js', 'KEEP'));
    assert.ok(keep, `annotation on keep's first line: ${JSON.stringify(applied.functions)}`);
    assert.match(keep.annotation, /^▣ \d+% of what is held · [\d.]+ MB still held \(whole function\)$/);
    assert.match(keep.hover, /still held at the end/);
    const churnLine = editor.document.getText().split('\n').findIndex(line => line.startsWith('function churn')) + 1;
    assert.ok(!applied.functions.some(fn => fn.line === churnLine), 'churn allocated more but holds nothing: no annotation');
    editor.selection = new vscode.Selection(keep.line - 1, 0, keep.line - 1, 0);
    await screenshot('docs/images/memory-still-held.png');
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
