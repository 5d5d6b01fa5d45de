// Lint in the real VS Code host: diagnostics on a fixture, code actions (safe fix, suggestion, disable
// for this line, learn more), settings. Each test writes its own file into the workspace copy.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { hotspotsApi, openEditor, waitFor, workspaceRoot, workspaceUri } from './helpers';

const SAMPLE = path.resolve(__dirname, '../../../../test/fixtures/lint/samples/all-rules.ts');
const LOOKUP = 'export function count(xs: string[]): number {\n  const ids: string[] = JSON.parse(load());\n  let n = 0;\n  for (const x of JSON.parse(load()) as string[]) {\n    if (ids.includes(x)) n++;\n  }\n  return n;\n}\ndeclare function load(): string;\n';
const LOOKUP_FIXED = 'export function count(xs: string[]): number {\n  const ids: string[] = JSON.parse(load());\n  let n = 0;\n  const idsSet = new Set(ids);\n  for (const x of JSON.parse(load()) as string[]) {\n    if (idsSet.has(x)) n++;\n  }\n  return n;\n}\ndeclare function load(): string;\n';

/** Lookups in the large files of the off-thread tests: their lint takes seconds, longer than an edit's round trip. */
const LARGE = 1500;

/** A TypeScript file with `count` includes-in-loop findings, large enough that its lint takes a while. */
function manyLookups(count: number, from = 0): string {
  return Array.from({ length: count }, (_, index) => LOOKUP.replace('count(', `count${from + index}(`).replace('declare function load(): string;\n', '')).join('')
    + 'declare function load(): string;\n';
}

function typescriptParserOnHost(): boolean {
  return Object.keys(require.cache).some(file => path.basename(file) === 'tsParser.js');
}

function hotspotsDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter(diagnostic => diagnostic.source === 'hotspots');
}

function ruleOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' && code !== null ? String(code.value) : String(code);
}

async function writeAndOpen(name: string, text: string): Promise<vscode.TextEditor> {
  fs.writeFileSync(path.join(workspaceRoot(), name), text);
  return openEditor(name);
}

async function codeActions(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  return (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range)) ?? [];
}

describe('lint diagnostics and code actions', () => {
  before(async () => { await hotspotsApi(); });
  afterEach(async () => { await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor'); });

  it('reports every rule on the all-rules fixture, with source, severity and a docs link', async () => {
    const editor = await writeAndOpen('lint-all-rules.ts', fs.readFileSync(SAMPLE, 'utf8'));
    const uri = editor.document.uri;
    const diagnostics = await waitFor('hotspots diagnostics', () => hotspotsDiagnostics(uri).length >= 8 && hotspotsDiagnostics(uri));
    const rules = new Set(diagnostics.map(ruleOf));
    for (const id of ['quadratic/includes-in-loop', 'quadratic/dedupe-indexof', 'quadratic/accumulating-spread', 'quadratic/shift-in-loop', 'async/await-in-loop', 'async/sequential-awaits', 'async/foreach-async']) {
      assert.ok(rules.has(id), `missing ${id}: ${[...rules].join(', ')}`);
    }
    const lookup = diagnostics.find(diagnostic => ruleOf(diagnostic) === 'quadratic/includes-in-loop')!;
    // `blocked` and the loop both come from `orders`: nothing shows their size, so the finding is a hint
    // (graded as in the CLI: `hotspots lint --all` prints it as a hint too).
    assert.equal(lookup.severity, vscode.DiagnosticSeverity.Hint);
    assert.equal(lookup.range.start.line, 7);
    const target = (lookup.code as { target: vscode.Uri }).target;
    assert.match(target.toString(), /docs\/rules\/quadratic\/includes-in-loop\.md$/);
  });

  it('the safe fix yields the expected text, and the diagnostic goes away', async () => {
    const editor = await writeAndOpen('lint-fix.ts', LOOKUP);
    const uri = editor.document.uri;
    const [diagnostic] = await waitFor('lookup diagnostic', () => hotspotsDiagnostics(uri).length === 1 && hotspotsDiagnostics(uri));
    const actions = await codeActions(uri, diagnostic.range);
    const titles = actions.map(action => action.title);
    assert.ok(titles.some(title => title === 'Disable quadratic/includes-in-loop for this line'), titles.join('\n'));
    assert.ok(titles.some(title => title === 'Learn more about quadratic/includes-in-loop'), titles.join('\n'));
    const fix = actions.find(action => action.title.startsWith('Fix: '));
    assert.ok(fix?.edit, titles.join('\n'));
    assert.equal(fix.isPreferred, true);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(editor.document.getText(), LOOKUP_FIXED);
    await waitFor('diagnostic cleared after the edit', () => hotspotsDiagnostics(uri).length === 0);
  });

  it('"disable for this line" inserts the suppression comment', async () => {
    const editor = await writeAndOpen('lint-disable.ts', LOOKUP);
    const uri = editor.document.uri;
    const [diagnostic] = await waitFor('lookup diagnostic', () => hotspotsDiagnostics(uri).length === 1 && hotspotsDiagnostics(uri));
    const disable = (await codeActions(uri, diagnostic.range)).find(action => action.title.startsWith('Disable '));
    assert.ok(await vscode.workspace.applyEdit(disable!.edit!));
    assert.equal(editor.document.lineAt(4).text, '    // hotspots-disable-next-line quadratic/includes-in-loop');
    await waitFor('diagnostic suppressed', () => hotspotsDiagnostics(uri).length === 0);
  });

  it('a suggestion is offered as a code action and applies its rewrite', async () => {
    const text = 'export async function both() {\n  const a = await getA();\n  const b = await getB();\n  return a + b;\n}\ndeclare function getA(): Promise<number>;\ndeclare function getB(): Promise<number>;\n';
    const editor = await writeAndOpen('lint-suggestion.ts', text);
    const uri = editor.document.uri;
    const [diagnostic] = await waitFor('sequential-awaits diagnostic', () => hotspotsDiagnostics(uri).length === 1 && hotspotsDiagnostics(uri));
    // A fixed number of awaits does not scale: VS Code's unobtrusive hint until a profile measures it.
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Hint);
    const actions = await codeActions(uri, diagnostic.range);
    assert.ok(!actions.some(action => action.title.startsWith('Fix: ')), 'Promise.all is never a safe fix');
    const suggestion = actions.find(action => action.title.startsWith('Suggestion: '));
    assert.ok(await vscode.workspace.applyEdit(suggestion!.edit!));
    assert.equal(editor.document.lineAt(1).text, '  const [a, b] = await Promise.all([getA(), getB()]);');
  });

  // TypeScript is linted on a worker thread while the host thread has no TypeScript parser (nothing in
  // this suite before these tests loads it there): an answer for an older version, or for a document
  // closed meanwhile, must never be shown.
  it('off-thread lint: an answer for an older version of the document is dropped, the newest is shown', async function () {
    // With a profile shown the host lints TypeScript itself (loading the parser), and from then on there is no
    // off-thread lint to test: suite/index.ts runs this file before the suites that show profiles.
    if (typescriptParserOnHost()) this.skip();
    const api = await hotspotsApi();
    // Version 3 has to replace version 2 while version 2 is still on the worker: on a quiet machine the worker
    // can answer first, so each attempt that lost the race tries again with a document twice as large.
    for (let attempt = 0, size = LARGE; ; attempt++, size *= 2) {
      await waitFor('no lint on its way', () => api.getLintStats()!.pendingOnWorker === 0, 60_000);
      const editor = await writeAndOpen(`lint-worker-versions-${attempt}.ts`, manyLookups(size));
      const uri = editor.document.uri;
      await waitFor(`${size} diagnostics`, () => hotspotsDiagnostics(uri).length === size && api.getLintStats()!.pendingOnWorker === 0, 60_000);
      const before = api.getLintStats()!;
      assert.ok(before.publishedFromWorker > 0, 'TypeScript linted on the worker thread');
      // Version 2 (one finding more) goes to the worker; while it is linted there, version 3 (two fewer) replaces it.
      const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
      assert.ok(await editor.edit(edit => edit.insert(end, manyLookups(1, 1000))));
      await waitFor('version 2 sent to the worker', () => api.getLintStats()!.pendingOnWorker > 0, 10_000);
      const whole = new vscode.Range(0, 0, editor.document.lineCount, 0);
      assert.ok(await editor.edit(edit => edit.replace(whole, manyLookups(size - 2))));
      const answeredBeforeVersion3 = api.getLintStats()!.publishedFromWorker > before.publishedFromWorker;
      if (answeredBeforeVersion3 && attempt < 3) continue;
      assert.ok(!answeredBeforeVersion3, `the worker answered version 2 before version 3 in ${attempt + 1} attempts (largest: ${size} lookups)`);
      const counts = new Set<number>();
      await waitFor('version 3 shown', () => {
        counts.add(hotspotsDiagnostics(uri).length);
        return hotspotsDiagnostics(uri).length === size - 2 && api.getLintStats()!.pendingOnWorker === 0;
      }, 60_000);
      assert.ok(!counts.has(size + 1), `the findings of version 2 were shown (counts seen: ${[...counts].join(', ')})`);
      assert.ok(api.getLintStats()!.droppedFromWorker > before.droppedFromWorker, 'the answer for version 2 was dropped');
      return;
    }
  });

  it('off-thread lint: a document closed before its answer arrives gets no diagnostics', async function () {
    // With a profile shown the host lints TypeScript itself (loading the parser), and from then on there is no
    // off-thread lint to test: suite/index.ts runs this file before the suites that show profiles.
    if (typescriptParserOnHost()) this.skip();
    const api = await hotspotsApi();
    // The close has to win the race against the worker: on a quiet machine a lint of 1,500 lookups can come
    // back first, so each attempt that lost the race tries again with a document twice as large.
    for (let attempt = 0, size = LARGE; ; attempt++, size *= 2) {
      // Other documents' lints still on their way would make the counters below ambiguous.
      await waitFor('no lint on its way', () => api.getLintStats()!.pendingOnWorker === 0, 60_000);
      const before = api.getLintStats()!;
      const editor = await writeAndOpen(`lint-worker-closed-${attempt}.ts`, manyLookups(size));
      const document = editor.document;
      await waitFor('lint sent to the worker', () => api.getLintStats()!.pendingOnWorker > 0, 10_000);
      // Changing the language closes the TypeScript document for extensions (onDidCloseTextDocument) and
      // opens it again as plain text, which is not linted.
      let closed = false;
      let answeredBeforeClose = false;
      const listener = vscode.workspace.onDidCloseTextDocument(closing => {
        if (closing.uri.toString() !== document.uri.toString()) return;
        closed = true;
        answeredBeforeClose = api.getLintStats()!.publishedFromWorker > before.publishedFromWorker;
      });
      try {
        const reopened = await vscode.languages.setTextDocumentLanguage(document, 'plaintext');
        assert.equal(reopened.languageId, 'plaintext');
        await waitFor('the TypeScript document closed', () => closed, 10_000);
      } finally {
        listener.dispose();
      }
      if (answeredBeforeClose && attempt < 3) continue;
      assert.ok(!answeredBeforeClose, `the worker answered before the close in ${attempt + 1} attempts (largest: ${size} lookups)`);
      await waitFor('the answer arrived', () => api.getLintStats()!.pendingOnWorker === 0, 60_000);
      const after = api.getLintStats()!;
      assert.ok(after.droppedFromWorker > before.droppedFromWorker, `the answer was dropped (stats before ${JSON.stringify(before)}, after ${JSON.stringify(after)})`);
      assert.deepEqual(hotspotsDiagnostics(document.uri), []);
      return;
    }
  });

  it('TypeScript with its types blanked out (the first lint while the worker loads) finds what the full lint finds, without fixes', async function () {
    const engine = require(path.resolve(__dirname, '../../../../dist/lintEngine.js')) as typeof import('../../../src/core/lintEngine');
    if (typeof (require('node:module') as { stripTypeScriptTypes?: unknown }).stripTypeScriptTypes !== 'function') {
      console.log(`[hotspots] skipped: this host's Node ${process.version} cannot strip TypeScript types`);
      this.skip();
    }
    const key = (finding: { line: number; column: number; ruleId: string; severity: string }) => `${finding.line}:${finding.column} ${finding.ruleId} ${finding.severity}`;
    const text = fs.readFileSync(SAMPLE, 'utf8');
    const full = engine.lintText(text, { fileName: 'all-rules.ts' });
    const withoutTypes = engine.lintWithoutTypes(text, { fileName: 'all-rules.ts' });
    assert.ok(withoutTypes, 'its types could be blanked out');
    assert.deepEqual(withoutTypes.map(key), full.map(key), 'the same findings at the same places');
    assert.ok(full.some(finding => finding.fix || finding.suggestions.length > 0), 'the full lint offers fixes');
    assert.ok(withoutTypes.every(finding => finding.fix === null && finding.suggestions.length === 0), 'a fix built from the blanked text would drop types: none offered');
    // `const ids: string[] = JSON.parse(…)`: only the declared type shows an Array; that finding comes with the full lint.
    assert.deepEqual(engine.lintText(LOOKUP, { fileName: 'lookup.ts' }).map(finding => finding.ruleId), ['quadratic/includes-in-loop']);
    assert.deepEqual(engine.lintWithoutTypes(LOOKUP, { fileName: 'lookup.ts' }), []);
    assert.equal(engine.lintWithoutTypes('enum Kind { A, B }\nfor (const k of list) if (seen.includes(k)) seen.push(k);\n', { fileName: 'enum.ts' }), null, 'syntax stripping cannot take waits for the full lint');
    assert.equal(engine.lintWithoutTypes('const a = <div />;\n', { fileName: 'view.tsx' }), null, 'TSX is not stripped');
  });

  it('honours hotspots.lint.rules severities and hotspots.lint.enable', async () => {
    const config = vscode.workspace.getConfiguration('hotspots.lint');
    const editor = await writeAndOpen('lint-settings.ts', LOOKUP);
    const uri = editor.document.uri;
    await waitFor('lookup diagnostic', () => hotspotsDiagnostics(uri).length === 1);
    try {
      await config.update('rules', { 'quadratic/includes-in-loop': 'error' }, vscode.ConfigurationTarget.Workspace);
      await waitFor('severity error', () => hotspotsDiagnostics(uri)[0]?.severity === vscode.DiagnosticSeverity.Error);
      // The bare rule name (as the settings schema lists them) works too.
      await config.update('rules', { 'includes-in-loop': 'info' }, vscode.ConfigurationTarget.Workspace);
      await waitFor('severity info', () => hotspotsDiagnostics(uri)[0]?.severity === vscode.DiagnosticSeverity.Information);
      await config.update('enable', false, vscode.ConfigurationTarget.Workspace);
      await waitFor('diagnostics removed when disabled', () => hotspotsDiagnostics(uri).length === 0);
    } finally {
      await config.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
      await config.update('enable', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitFor('diagnostics back', () => hotspotsDiagnostics(workspaceUri('lint-settings.ts')).length === 1);
  });
});
