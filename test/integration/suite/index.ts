// Test entry loaded by the VS Code extension host (same contract as @vscode/test-electron's
// extensionTestsPath). runTests.js tells it, through the environment, which session this is:
// HOTSPOTS_TEST_TRUST=untrusted runs only *.untrusted.test.js (the folder is in Restricted Mode).
import * as path from 'node:path';
import Mocha from 'mocha';
import { globSync } from 'glob';

export function run(): Promise<void> {
  const untrusted = process.env.HOTSPOTS_TEST_TRUST === 'untrusted';
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, grep: process.env.HOTSPOTS_TEST_GREP });
  const files = globSync('**/*.test.js', { cwd: __dirname })
    .filter(file => file.endsWith('.untrusted.test.js') === untrusted)
    .sort((a, b) => runOrder(a) - runOrder(b) || a.localeCompare(b));
  for (const file of files) mocha.addFile(path.resolve(__dirname, file));
  return new Promise((resolve, reject) => {
    mocha.run(failures => (failures ? reject(new Error(`${failures} integration test(s) failed`)) : resolve()));
  });
}

/**
 * Suites that need a window whose extension host has not loaded the TypeScript parser yet (the first
 * diagnostics of a fresh window, the off-thread lint) run before the profile suites load it; then the rest.
 */
const FIRST = ['activation.test.js', 'firstDiagnostics.test.js', 'lint.test.js'];

function runOrder(file: string): number {
  const index = FIRST.indexOf(path.basename(file));
  return index < 0 ? FIRST.length : index;
}

