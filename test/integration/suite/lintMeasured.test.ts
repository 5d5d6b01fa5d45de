import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HotspotsApi } from '../../../src/host/api';
import { closeAllEditors, hotspotsApi, markerLine, openEditor, screenshot, sleep, waitFor } from './helpers';

// Lint findings measured by a profile in the editor (test/fixtures/workspace/lint-measured.js): two loops
// of the same quadratic shape over arrays of unknown size are hints until "Profile this file" runs it;
// then the loop that took the time is a warning saying what it cost, and the one that ran on three
// items stays a hint. The status bar and the Top lines group point at the same line as the warning.
describe('Lint findings measured by a profile', () => {
  let api: HotspotsApi;
  const FILE = 'lint-measured.js';
  const hotLine = () => markerLine(FILE, 'HOT');
  const coldLine = () => markerLine(FILE, 'COLD');

  function findings(uri: vscode.Uri): vscode.Diagnostic[] {
    return vscode.languages.getDiagnostics(uri).filter(diagnostic => diagnostic.source === 'hotspots');
  }
  const onLine = (uri: vscode.Uri, line: number) => findings(uri).find(diagnostic => diagnostic.range.start.line === line - 1);

  before(async () => {
    api = await hotspotsApi();
    await closeAllEditors();
  });

  it('promotes the hot finding to a warning with its measured cost; the cold one stays a hint', async () => {
    const editor = await openEditor(FILE);
    const uri = editor.document.uri;
    // Before any profile: both findings are hints (the linter cannot know how big the arrays are).
    const unmeasured = await waitFor('both findings', () => findings(uri).length === 2 && findings(uri));
    assert.deepEqual(unmeasured.map(diagnostic => diagnostic.severity), [vscode.DiagnosticSeverity.Hint, vscode.DiagnosticSeverity.Hint]);
    assert.deepEqual(unmeasured.map(diagnostic => diagnostic.range.start.line + 1).sort((a, b) => a - b), [hotLine(), coldLine()]);
    assert.doesNotMatch(onLine(uri, hotLine())!.message, /of the run/);

    await vscode.commands.executeCommand('hotspots.profileFile');
    await api.whenIdle();
    const outcome = api.getLastOutcome();
    assert.equal(outcome?.kind, 'completed', outcome?.message);

    const hot = await waitFor('the hot finding promoted', () => onLine(uri, hotLine())?.severity === vscode.DiagnosticSeverity.Warning && onLine(uri, hotLine()));
    assert.equal((hot.code as { value: string }).value, 'quadratic/includes-in-loop');
    const cost = /This loop took (\d+)% of the run \((\d+(?:\.\d+)?) m?s\)\./.exec(hot.message);
    assert.ok(cost, hot.message);
    const model = api.getCurrentModel()!;
    const hotModelLine = model.lines.find(line => line.file === uri.fsPath && line.line === hotLine());
    assert.ok(hotModelLine, 'the profile measured the hot line');
    // The message states the measured cost: at least the hot line's own share (the loop's region holds it).
    assert.ok(Number(cost[1]) >= Math.floor(hotModelLine.selfPercent), `${hot.message} vs line ${hotModelLine.selfPercent}%`);

    const cold = onLine(uri, coldLine());
    assert.ok(cold, 'the cold finding is still reported');
    assert.equal(cold.severity, vscode.DiagnosticSeverity.Hint, cold.message);
    assert.doesNotMatch(cold.message, /took \d+% of the run/);

    // What the status bar and the Hotspots view point to is the line of the measured warning.
    assert.equal(model.lines[0].line, hotLine());
    assert.match(api.getStatusBarText() ?? '', new RegExp(`lint-measured\\.js:${hotLine()} `));
    const [topLines] = await api.getTreeItems();
    assert.equal(topLines.label, 'Top lines (self time)');
    assert.equal(topLines.children[0].label, `${FILE}:${hotLine()}`);

    await vscode.commands.executeCommand('hotspots.hotspots.focus');
    await sleep(2000); // the run's output panel opens late on a loaded machine: the Problems panel goes over it
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    // The hover on the warning shows its message with the measured cost (and the line's heat).
    await vscode.window.showTextDocument(editor.document, { preview: false, selection: new vscode.Range(hot.range.start, hot.range.start) });
    await vscode.commands.executeCommand('editor.action.showHover');
    await sleep(2000); // the workbench paints what the (remote) extension host sent a moment later on a loaded machine
    await screenshot('docs/images/editor-lint-measured.png');
    await sleep(3000); // the screenshot is taken asynchronously: keep the state until it is
    await vscode.commands.executeCommand('editor.action.hideHover').then(undefined, () => undefined);
  });
});
