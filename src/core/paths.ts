import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Absolute path of a file built into dist/ (preload.js, esmHooks.mjs, lintEngine.js, webview assets).
 * Bundles live in dist/ themselves; the transpiled tree used by tests lives in out/src/..., so walk up
 * to the package root (the directory with package.json) and look in its dist/.
 */
export function distFile(name: string): string {
  const besideThisBundle = path.join(__dirname, name);
  if (fs.existsSync(besideThisBundle)) return besideThisBundle;
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'dist', name);
    const parent = path.dirname(dir);
    if (parent === dir) return besideThisBundle;
    dir = parent;
  }
}

/** Root of the installed package (extension or CLI), where package.json is. */
export function packageRoot(): string {
  return path.dirname(path.dirname(distFile('preload.js')));
}
