import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { hotspotsApi, waitFor, workspaceRoot, workspaceUri } from './helpers';

// hotspots.* settings that shape the heat apply to the shown profile right away.
describe('heat settings', () => {
  const config = () => vscode.workspace.getConfiguration('hotspots');
  after(async () => {
    for (const key of ['includeDependencies', 'annotatedLines', 'heatThreshold']) {
      await config().update(key, undefined, vscode.ConfigurationTarget.Workspace);
    }
    await vscode.commands.executeCommand('hotspots.clearAnnotations');
  });

  it('hides node_modules unless includeDependencies, and limits annotations and heat by share', async () => {
    const api = await hotspotsApi();
    // A dependency doing most of the work (written here: the repo's .gitignore skips node_modules/).
    const dependency = path.join(workspaceRoot(), 'node_modules', 'slow-dep', 'index.js');
    fs.mkdirSync(path.dirname(dependency), { recursive: true });
    fs.writeFileSync(dependency, [
      'exports.grind = function grind(rounds) {',
      '  let acc = 0;',
      '  for (let i = 0; i < rounds; i++) acc = (acc * 17 + i) % 65521; // DEP-HOT',
      '  return acc;',
      '};',
      '',
    ].join('\n'));
    const script = path.join(workspaceRoot(), 'uses-dep.js');
    fs.writeFileSync(script, [
      "const { grind } = require('slow-dep');",
      'const started = Date.now();',
      'let total = 0;',
      'while (Date.now() - started < 400) total += grind(100000);',
      'console.log(total > 0);',
      '',
    ].join('\n'));

    await vscode.commands.executeCommand('hotspots.profileFile', workspaceUri('uses-dep.js'));
    await api.whenIdle();
    assert.equal(api.getLastOutcome()?.kind, 'completed', api.getLastOutcome()?.message);
    const report = api.getCurrentModel()!.report;
    assert.ok(report.lines.some(line => line.file === dependency), 'the report itself keeps dependency lines');
    assert.ok(api.getCurrentModel()!.lines.every(line => !line.file.includes('node_modules')), 'no heat in node_modules by default');

    await config().update('includeDependencies', true, vscode.ConfigurationTarget.Workspace);
    const withDeps = await waitFor('dependency heat', () => { const model = api.getCurrentModel(); return model?.lines.some(line => line.file === dependency) && model; });
    assert.equal(withDeps.lines[0].file, dependency);
    assert.equal(withDeps.lines[0].line, 3);

    await config().update('annotatedLines', 1, vscode.ConfigurationTarget.Workspace);
    await waitFor('a single annotation', () => api.getCurrentModel()?.lines.filter(line => line.annotation).length === 1);

    await config().update('heatThreshold', 100, vscode.ConfigurationTarget.Workspace);
    await waitFor('no heat at a 100% threshold', () => api.getCurrentModel()?.lines.length === 0);
  });
});
