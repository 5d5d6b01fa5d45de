#!/usr/bin/env node
// `npm run package`: production build, then a platform-specific .vsix for the platform we run on.
//   npm run package                      -> hotspots.vsix for this machine (e.g. linux-x64)
//   npm run package -- --out other.vsix  extra arguments go to `vsce package`
// The extension ships esbuild (its one runtime dependency) to run TypeScript programs, and esbuild is
// a native binary per platform, so each .vsix is for one VS Code target (`vsce package --target`).
// Everything is local: vsce reads the installed dependencies with `npm list`, no network.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');

/** VS Code's name for this platform (https://code.visualstudio.com/api/working-with-extensions/publishing-extension#platformspecific-extensions). */
function vscodeTarget() {
  const arch = process.arch === 'arm' ? 'armhf' : process.arch;
  if (process.platform === 'linux') {
    const musl = !process.report?.getReport().header.glibcVersionRuntime;
    if (musl && (arch === 'x64' || arch === 'arm64')) return `alpine-${arch}`;
  }
  return `${process.platform}-${arch}`;
}

function run(command, args) {
  execFileSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
}

const extra = process.argv.slice(2);
const target = vscodeTarget();
const esbuildPlatform = `@esbuild/${process.platform}-${process.arch}`;
if (!fs.existsSync(path.join(root, 'node_modules', esbuildPlatform, 'package.json'))) {
  console.error(`package: ${esbuildPlatform} is not installed (run npm install); the .vsix would not run TypeScript programs`);
  process.exit(1);
}
run(process.execPath, ['esbuild.js', '--production']);
const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
run(process.execPath, [vsce, 'package', '--target', target, ...(extra.includes('--out') ? [] : ['--out', 'hotspots.vsix']), ...extra]);
