import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, hotspotsApi } from './helpers';

// Runs first (files are sorted): nothing has used the extension yet.
describe('activation', () => {
  // Times are printed, not asserted (a loaded machine would make such a test fail at random): the 50 ms
  // budget is measured side by side in bench/activation.bench.js. What is asserted is what keeps
  // activation cheap: nothing heavy is loaded, and the bundle parsed before activate() stays small.
  it('is lazy: registers commands, loads nothing heavy', async () => {
    const api = await hotspotsApi();
    console.log(`[hotspots] activate() took ${api.activationMs.toFixed(2)} ms`);
    assert.equal(api.isHostLoaded(), false, 'the profiling host must load on the first command, not at activation');
    const loaded = Object.keys(require.cache);
    for (const heavy of ['lintEngine.js', 'tsParser.js', 'flameWorker.js', 'speedscope.js']) {
      assert.ok(!loaded.some(file => path.basename(file) === heavy), `${heavy} is loaded on first use, not at activation`);
    }
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['hotspots.profileFile', 'hotspots.profileFileWithArgs', 'hotspots.stopProfiling',
      'hotspots.clearAnnotations', 'hotspots.openProfile']) {
      assert.ok(commands.includes(id), `${id} registered`);
    }
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)?.isActive);
  });

  it('parses a small bundle before activate(): the linter\'s TypeScript parser and speedscope live elsewhere', async () => {
    const api = await hotspotsApi();
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    const bundle = path.join(extension.extensionPath, extension.packageJSON.main as string);
    // Load a second copy the way require() does (read + compile + run the top level). The unique
    // trailer keeps V8 from reusing the compilation of the copy the host already loaded.
    const NodeModule = require('node:module') as { new (id: string, parent?: NodeModule): NodeModule & { _compile(code: string, file: string): void; paths: string[] }; _nodeModulePaths(dir: string): string[] };
    const copy = new NodeModule(bundle, module);
    copy.filename = bundle;
    copy.paths = NodeModule._nodeModulePaths(path.dirname(bundle));
    const started = performance.now();
    copy._compile(`${fs.readFileSync(bundle, 'utf8')}\n// ${Date.now()}`, bundle);
    const loadMs = performance.now() - started;
    const sizeKb = Math.round(fs.statSync(bundle).size / 1024);
    console.log(`[hotspots] activation: load ${sizeKb} KB bundle ${loadMs.toFixed(1)} ms + activate() ${api.activationMs.toFixed(1)} ms`);
    assert.ok(sizeKb < 1024, `${sizeKb} KB of ${path.basename(bundle)} are parsed before activate(); heavy modules `
      + '(the TypeScript parser of the linter, speedscope) must live in separate bundles loaded on first use');
    assert.doesNotMatch(fs.readFileSync(bundle, 'utf8'), /\bcreateSourceFile\b/, 'the TypeScript compiler is not in the activation bundle');
  });

  it('shows the view welcome (no items) before any profile', async () => {
    const api = await hotspotsApi();
    assert.deepEqual(await api.getTreeItems(), []);
  });
});
