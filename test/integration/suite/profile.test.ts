import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { HotspotsApi } from '../../../src/host/api';
import { closeAllEditors, hotspotsApi, markerLine, openEditor, screenshot, sleep, waitFor, workspaceUri } from './helpers';

// "Profile this file" end to end on test/fixtures/workspace/hot.js, then what the user does next:
// hover, tree view, status bar, editing (stale), switching editors, clearing.
describe('Profile this file', () => {
  let api: HotspotsApi;
  const hotLine = () => markerLine('hot.js', 'HOT');

  before(async () => {
    api = await hotspotsApi();
    await closeAllEditors();
    // Opening a .js file starts the TypeScript extension; let it finish so its save participant
    // does not make the first save time out on a loaded machine.
    await vscode.extensions.getExtension('vscode.typescript-language-features')?.activate();
  });

  it('saves the dirty file, runs it and puts graded heat and an annotation on the hot line', async () => {
    const editor = await openEditor('hot.js');
    const document = editor.document;
    await editor.edit(edit => edit.insert(document.lineAt(document.lineCount - 1).range.end, '\n// edited before profiling'));
    assert.ok(document.isDirty);

    await vscode.commands.executeCommand('hotspots.profileFile');
    await api.whenIdle();

    assert.notEqual(api.getLastOutcome()?.kind, 'rejected', api.getLastOutcome()?.message);
    assert.equal(document.isDirty, false, 'the file is saved before it runs');
    assert.match(fs.readFileSync(document.uri.fsPath, 'utf8'), /edited before profiling/);
    const outcome = api.getLastOutcome();
    assert.equal(outcome?.kind, 'completed', outcome?.message);
    assert.equal(outcome?.exitCode, 0);
    assert.match(outcome!.message, new RegExp(`hot\\.js:${hotLine()} in checksum`));

    const model = api.getCurrentModel();
    assert.ok(model, 'a model is shown');
    assert.equal(model.lines[0].file, document.uri.fsPath);
    assert.equal(model.lines[0].line, hotLine());
    assert.ok(model.lines[0].selfPercent >= 25, `hot line share ${model.lines[0].selfPercent}`);

    const applied = api.getAppliedHeat(document.uri);
    assert.ok(applied, 'heat applied to the visible editor');
    assert.equal(applied.stale, false);
    const hot = applied.lines.find(line => line.line === hotLine());
    assert.ok(hot, 'the hot line carries heat');
    assert.equal(hot.step, 5, 'a quarter of the time or more: hottest step');
    assert.match(hot.annotation ?? '', /^\d+\.\d% · \d+ ms$/);
    assert.match(hot.hover, /self time/);
    assert.match(hot.hover, /`checksum`/);
    assert.match(hot.hover, /function total/);
    assert.match(hot.hover, /Top callers/);
    // Graded by share: steps start at 2, 5, 10 and 25 % (step 1 from the heat threshold).
    for (const line of applied.lines) {
      const share: number = model.lines.find(modelLine => modelLine.file === document.uri.fsPath && modelLine.line === line.line)!.selfPercent;
      assert.equal(line.step, 1 + [2, 5, 10, 25].filter(bound => share >= bound).length, `step of line ${line.line} (${share}%)`);
    }
    assert.equal(vscode.window.activeTextEditor?.document, document, 'the profiled file stays in front');

    assert.match(api.getStatusBarText() ?? '', new RegExp(`hot\\.js:${hotLine()} \\d+\\.\\d%`));
    await screenshot('docs/images/editor-heat.png');
  });

  it('shows the line facts in a hover', async () => {
    const editor = vscode.window.activeTextEditor!;
    const line = hotLine() - 1;
    // On the comment: the hover then holds only Hotspots' facts, not the language server's type info.
    const column = editor.document.lineAt(line).text.indexOf('// HOT') + 3;
    editor.selection = new vscode.Selection(line, column, line, column);
    await vscode.commands.executeCommand('editor.action.showHover');
    await screenshot('docs/images/editor-hover.png');
    await vscode.commands.executeCommand('editor.action.hideHover').then(undefined, () => undefined);
  });

  it('lists top lines and functions in the Hotspots view; clicking opens the line', async () => {
    const items = await api.getTreeItems();
    assert.deepEqual(items.map(item => item.label), ['Top lines (self time)', 'Top functions (total time)']);
    assert.equal(items[0].children[0].label, `hot.js:${hotLine()}`);
    assert.match(items[0].children[0].description ?? '', /^\d+\.\d% · \d+ ms {2}checksum$/);
    assert.ok(items[1].children.some(item => item.label === 'checksum'));
    await vscode.commands.executeCommand('hotspots.hotspots.focus');
    await screenshot('docs/images/editor-tree.png');

    // The tree item's command, as a click runs it.
    await closeAllEditors();
    const model = api.getCurrentModel()!;
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(model.lines[0].file),
      { selection: new vscode.Range(model.lines[0].line - 1, 0, model.lines[0].line - 1, 0) });
    const editor = await waitFor('hot.js reopened', () => vscode.window.activeTextEditor);
    assert.equal(editor.selection.active.line, hotLine() - 1);
  });

  it('keeps its theme colours in dark and high-contrast themes (screenshots)', async () => {
    const workbench = vscode.workspace.getConfiguration('workbench');
    try {
      for (const [theme, shot] of [['Default Dark Modern', 'editor-heat-dark'], ['Default High Contrast', 'editor-heat-hc']]) {
        await workbench.update('colorTheme', theme, vscode.ConfigurationTarget.Global);
        await screenshot(`docs/images/${shot}.png`);
      }
    } finally {
      await workbench.update('colorTheme', undefined, vscode.ConfigurationTarget.Global);
    }
    assert.ok(api.getAppliedHeat(workspaceUri('hot.js')), 'theme changes keep the heat');
  });

  it('re-applies heat when the file is opened again', async () => {
    const uri = workspaceUri('hot.js');
    await waitFor('heat re-applied on open', () => api.getAppliedHeat(uri)?.lines.some(line => line.line === hotLine()));
  });

  it('marks the annotations stale after an edit and keeps them on the code they measured', async () => {
    const editor = await openEditor('hot.js');
    // The line as profiled, read once: the edits below are not saved, and the expectations are about the
    // profiled text, not about whatever is on disk while the test runs.
    const profiledHotLine = hotLine();
    await editor.edit(edit => edit.insert(new vscode.Position(0, 0), '// a new first line\n'));
    const applied = await waitFor('stale heat', () => { const heat = api.getAppliedHeat(editor.document.uri); return heat?.stale && heat; });
    const moved = applied.lines.find(line => line.line === profiledHotLine + 1);
    assert.ok(moved, `the HOT heat moved down with its code: ${JSON.stringify(applied.lines.map(line => line.line))}`);
    assert.match(editor.document.lineAt(moved.line - 1).text, /\/\/ HOT/);
    assert.match(moved.hover, new RegExp(`Stale.*this was line ${profiledHotLine} then`));
    assert.ok(applied.lines.every(line => /Stale/.test(line.hover)), 'every hover says the numbers are stale');
    assert.match(api.getStatusBarText() ?? '', /\(stale\)/);
    const [topLine] = (await api.getTreeItems())[0].children;
    assert.equal(topLine.label, `hot.js:${profiledHotLine + 1}`, 'the tree follows the moved line');
    assert.match(topLine.description ?? '', /\(edited\)$/);
    await screenshot('docs/images/editor-stale.png');

    // Deleting the hot line drops its heat instead of leaving it on a neighbour.
    await editor.edit(edit => edit.delete(new vscode.Range(moved.line - 1, 0, moved.line, 0)));
    // When HOT was the only line with heat (WARM below the threshold in a loaded run), none is left at all.
    const afterDelete = await waitFor('heat after deleting the hot line', () => {
      const heat = api.getAppliedHeat(editor.document.uri) ?? { lines: [] };
      return heat.lines.length < applied.lines.length && heat;
    });
    assert.ok(afterDelete.lines.every(line => !/\/\/ HOT/.test(editor.document.lineAt(line.line - 1).text)));
    assert.equal(afterDelete.lines.some(line => line.annotation === applied.lines.find(l => l.line === moved.line)?.annotation), false);

    // Undoing both edits restores the profiled text: the heat is exact again.
    await vscode.commands.executeCommand('undo');
    await vscode.commands.executeCommand('undo');
    await waitFor('fresh heat after undo', () => { const heat = api.getAppliedHeat(editor.document.uri); return heat && !heat.stale && heat.lines.some(line => line.line === profiledHotLine); });
    assert.doesNotMatch(api.getStatusBarText() ?? '', /stale/);
  });

  it('"Clear hot-line annotations" removes heat, tree items and the status item', async () => {
    await vscode.commands.executeCommand('hotspots.clearAnnotations');
    assert.equal(api.getCurrentModel(), undefined);
    assert.equal(api.getAppliedHeat(workspaceUri('hot.js')), undefined);
    assert.deepEqual(await api.getTreeItems(), []);
    await sleep(100);
  });

  it('puts heat on the TypeScript original of a .ts script', async () => {
    const editor = await openEditor('src/app.ts');
    await vscode.commands.executeCommand('hotspots.profileFile');
    await api.whenIdle();
    assert.equal(api.getLastOutcome()?.kind, 'completed', api.getLastOutcome()?.message);
    const applied = api.getAppliedHeat(editor.document.uri);
    assert.ok(applied?.lines.some(line => line.line === markerLine('src/app.ts', 'TS-HOT') && line.annotation),
      `heat on app.ts: ${JSON.stringify(applied?.lines.map(line => line.line))}`);
  });

  it('profiles a file with spaces and non-ASCII characters in its path from the Explorer', async () => {
    await closeAllEditors();
    const uri = workspaceUri('dir with spaces/héllo wörld.js');
    await vscode.commands.executeCommand('hotspots.profileFile', uri, [uri]);
    await api.whenIdle();
    assert.equal(api.getLastOutcome()?.kind, 'completed', api.getLastOutcome()?.message);
    assert.equal(api.getCurrentModel()?.lines[0].file, uri.fsPath);
    assert.equal(api.getAppliedHeat(uri), undefined, 'not open: nothing applied yet');
    await openEditor('dir with spaces/héllo wörld.js');
    await waitFor('heat when the file is opened', () => api.getAppliedHeat(uri)?.lines.some(line => line.line === markerLine('dir with spaces/héllo wörld.js', 'UNICODE-HOT')));
  });

  it('profiles a program without an extension that starts with #!/usr/bin/env node (bin/www)', async () => {
    await closeAllEditors();
    const editor = await openEditor('bin/www');
    assert.equal(editor.document.languageId, 'javascript', 'VS Code reads the #! line: the title bar offers "Profile this file"');
    await vscode.commands.executeCommand('hotspots.profileFile');
    await api.whenIdle();
    assert.equal(api.getLastOutcome()?.kind, 'completed', api.getLastOutcome()?.message);
    assert.equal(api.getCurrentModel()?.lines[0].file, editor.document.uri.fsPath);
    await waitFor('heat on the hot line', () => api.getAppliedHeat(editor.document.uri)?.lines.some(line => line.line === markerLine('bin/www', 'BIN-HOT')));
    await screenshot('test-results/profile-bin-www.png');
  });
});
