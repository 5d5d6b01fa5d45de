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
    .sort();
  for (const file of files) mocha.addFile(path.resolve(__dirname, file));
  return new Promise((resolve, reject) => {
    mocha.run(failures => (failures ? reject(new Error(`${failures} integration test(s) failed`)) : resolve()));
  });
}
