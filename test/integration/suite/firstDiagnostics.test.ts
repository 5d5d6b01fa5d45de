import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, hotspotsApi, markerLine, sleep, workspaceUri } from './helpers';

// Time from opening the first JS/TS file of a window to its lint findings, in the real host. The time is
// printed (`[hotspots:first-diagnostics] {...}`), never asserted: bench/first-diagnostics.bench.js runs
// each case alone, in a fresh window (a new code-server), and reports the medians in bench/RESULTS.md.
// In the whole suite earlier tests have already activated the extension, so `fresh` is false there.
describe('First diagnostics in a fresh window', () => {
  for (const [language, file] of [['JavaScript', 'first-diagnostics.js'], ['TypeScript', 'first-diagnostics.ts']] as const) {
    it(`shows the findings of the first ${language} file opened`, async () => {
      const fresh = !vscode.extensions.getExtension(EXTENSION_ID)?.isActive;
      const uri = workspaceUri(file);
      const findings = () => vscode.languages.getDiagnostics(uri).filter(diagnostic => diagnostic.source === 'hotspots');
      const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
      const started = performance.now();
      // Activation (onLanguage) happens when the document opens, whether or not the editor is shown yet.
      let activatedMs: number | undefined;
      const shown = vscode.workspace.openTextDocument(uri).then(document => vscode.window.showTextDocument(document, { preview: false }));
      let shownMs: number | undefined;
      void shown.then(() => { shownMs = performance.now() - started; });
      while (findings().length === 0) {
        if (activatedMs === undefined && extension.isActive) activatedMs = performance.now() - started;
        if (performance.now() - started > 120_000) assert.fail(`no findings on ${file} after 120 s`);
        await sleep(10);
      }
      activatedMs ??= performance.now() - started;
      await shown;
      const diagnosticsMs = performance.now() - started;
      const [finding] = findings();
      assert.equal(finding.range.start.line + 1, markerLine(file, 'FINDING'));
      assert.equal(finding.severity, vscode.DiagnosticSeverity.Warning);
      const api = await hotspotsApi();
      const loaded = Object.keys(require.cache).map(loadedFile => path.basename(loadedFile));
      const typescriptParserLoaded = loaded.includes('tsParser.js');
      if (fresh && language === 'JavaScript') {
        assert.equal(typescriptParserLoaded, false, 'plain JavaScript is linted without loading the TypeScript parser');
      }
      console.log(`[hotspots:first-diagnostics] ${JSON.stringify({ language, fresh, activatedMs: Math.round(activatedMs), shownMs: Math.round(shownMs ?? diagnosticsMs), diagnosticsMs: Math.round(diagnosticsMs), activationMs: Number(api.activationMs.toFixed(1)), typescriptParserLoaded })}`);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });
  }
});
