#!/usr/bin/env node
// Activation cost of the bundled extension (dist/extension.js): require() + activate(), measured in a
// fresh Node process per round with a minimal stand-in for the 'vscode' module (only what activate()
// touches). The real host adds its own overhead, so the integration test also prints the activate()
// time measured inside code-server. Budget: 50 ms.
//   node bench/activation.bench.js [--rounds 15]
'use strict';
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const BUDGET_MS = 50;
const EXTENSION = path.join(__dirname, '..', 'dist', 'extension.js');

if (process.argv[2] === '--child') {
  const Module = require('node:module');
  // Any property is a callable, constructible no-op that returns another such object, so activate()
  // of every feature (lint, flame) runs through without a real host.
  const standIn = () => new Proxy(function () {}, {
    get: (target, key) => (key === 'then' ? undefined : key === Symbol.toPrimitive ? () => 0 : standIn()),
    apply: () => standIn(),
    construct: () => standIn(),
  });
  // Bundles copy the module's own keys (esbuild's __toESM), so list the names the extension uses.
  const vscodeStandIn = Object.fromEntries(['window', 'workspace', 'commands', 'languages', 'extensions', 'env', 'l10n',
    'Uri', 'EventEmitter', 'Disposable', 'TreeItem', 'ThemeIcon', 'ThemeColor', 'MarkdownString', 'Range', 'Position',
    'Selection', 'Location', 'Diagnostic', 'DiagnosticSeverity', 'DiagnosticTag', 'CodeAction', 'CodeActionKind',
    'WorkspaceEdit', 'TreeItemCollapsibleState', 'StatusBarAlignment', 'OverviewRulerLane', 'DecorationRangeBehavior',
    'ProgressLocation', 'ConfigurationTarget', 'ViewColumn', 'RelativePattern', 'CancellationTokenSource', 'TextEdit']
    .map(name => [name, standIn()]));
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) { return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest); };
  require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscodeStandIn };
  const context = { subscriptions: [], extensionUri: { fsPath: path.dirname(path.dirname(EXTENSION)) }, workspaceState: { get() {}, update: async () => {} },
    globalState: { get() {}, update: async () => {} }, extensionPath: path.dirname(path.dirname(EXTENSION)) };
  const started = performance.now();
  const extension = require(EXTENSION);
  const loaded = performance.now();
  let activateMs = NaN;
  try {
    const api = extension.activate(context);
    activateMs = api.activationMs;
  } catch (error) {
    // A feature module (lint, flame) may touch more of the vscode API than this stand-in has.
    process.stderr.write(`activate() threw with the stand-in vscode module: ${error.message}\n`);
  }
  const total = performance.now() - started;
  process.stdout.write(JSON.stringify({ requireMs: loaded - started, activateMs, totalMs: total, bundleKb: Math.round(require('node:fs').statSync(EXTENSION).size / 1024) }));
  return;
}

const roundsIndex = process.argv.indexOf('--rounds');
const rounds = roundsIndex > 0 ? Number(process.argv[roundsIndex + 1]) : 15;
const results = [];
for (let i = 0; i < rounds; i++) {
  results.push(JSON.parse(execFileSync(process.execPath, [__filename, '--child'], { encoding: 'utf8' })));
}
const median = key => { const values = results.map(r => r[key]).sort((a, b) => a - b); return values[Math.floor(values.length / 2)]; };
const summary = { rounds, bundleKb: results[0].bundleKb, requireMs: median('requireMs'), activateMs: median('activateMs'), totalMs: median('totalMs'), budgetMs: BUDGET_MS };
console.log(`activation (median of ${rounds}, dist/extension.js ${summary.bundleKb} KB): require ${summary.requireMs.toFixed(2)} ms + activate ${summary.activateMs.toFixed(2)} ms = ${summary.totalMs.toFixed(2)} ms (budget ${BUDGET_MS} ms)`);
console.log(JSON.stringify(summary));
process.exit(summary.totalMs < BUDGET_MS ? 0 : 1);
