// Lint reads text and runs nothing, so it works in Restricted Mode (second integration session).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { hotspotsApi, openEditor, waitFor, workspaceRoot } from './helpers';

describe('lint in an untrusted workspace', () => {
  it('still shows hotspots diagnostics', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    await hotspotsApi();
    fs.writeFileSync(path.join(workspaceRoot(), 'lint-untrusted.js'), 'const ids = Array.from(load());\nfor (const x of xs) if (ids.includes(x)) n++;\n');
    const editor = await openEditor('lint-untrusted.js');
    const diagnostics = await waitFor('hotspots diagnostics', () => {
      const found = vscode.languages.getDiagnostics(editor.document.uri).filter(diagnostic => diagnostic.source === 'hotspots');
      return found.length > 0 && found;
    });
    assert.equal(diagnostics.length, 1);
  });
});
