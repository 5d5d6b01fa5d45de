// The .vsix allow-list (.vscodeignore) against what vsce would really pack: `vsce ls` runs the same file
// collection as `vsce package` (production dependencies from `npm list`, then .vscodeignore), in about
// 2 s and without building or touching dist/. Needs a built dist/ (npm test builds first).
// The packaged extension itself is checked by installing hotspots.vsix into code-server
// (docs/images/vsix-installed.png; see issue 3 for the command).
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';

const ROOT = path.resolve(__dirname, '../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  main: string;
  icon: string;
  dependencies?: Record<string, string>;
  scripts: Record<string, string>;
  repository?: unknown;
};

/** Files (relative, with `/`) that `vsce package` would put under extension/ in the .vsix. */
function vsceList(): string[] {
  const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const stdout = execFileSync(process.execPath, [vsce, 'ls'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  return stdout.split(/\r?\n/).map(line => line.trim()).filter(Boolean).sort();
}

describe('npm run package: .vsix contents (vsce ls)', () => {
  let files: string[] = [];
  before(() => {
    assert.ok(fs.existsSync(path.join(ROOT, manifest.main)), `${manifest.main} is missing: run npm run build first`);
    files = vsceList();
  });

  it('ships every bundle the extension loads at run time, but not the CLI or source maps', () => {
    const dist = (dir: string): string[] => fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap(entry =>
      entry.isDirectory() ? dist(`${dir}/${entry.name}`) : [`${dir}/${entry.name}`]);
    const expected = dist('dist').filter(file => !file.endsWith('.map') && file !== 'dist/cli.js' && file !== 'dist/cliLint.js');
    for (const file of [manifest.main.replace(/^\.\//, ''), 'dist/preload.js', 'dist/esmHooks.mjs', 'dist/lintEngine.js', 'dist/tsParser.js', 'dist/flameWorker.js', 'dist/webview/flame.js', 'dist/speedscope/speedscope.js']) {
      assert.ok(expected.includes(file), `${file} was not built`);
    }
    assert.deepEqual(files.filter(file => file.startsWith('dist/')), expected.sort());
  });

  it('ships the manifest, icons, licence, changelog and the rule docs the lint hovers open', () => {
    for (const file of ['package.json', 'LICENSE', 'CHANGELOG.md', manifest.icon, 'media/activity.svg', 'media/gutter/heat5.svg', 'media/gutter/stale.svg', 'docs/rules/async/await-in-loop.md', 'docs/rules/quadratic/includes-in-loop.md']) {
      assert.ok(files.includes(file), `${file} is not in the .vsix`);
    }
    if (fs.existsSync(path.join(ROOT, 'README.md'))) assert.ok(files.includes('README.md'));
  });

  it('ships esbuild (API and the platform binary only), which TypeScript profiling loads with require.resolve', () => {
    assert.deepEqual(Object.keys(manifest.dependencies ?? {}), ['esbuild'], 'every runtime dependency ends up in the .vsix: keep esbuild the only one');
    const platformPackage = `node_modules/@esbuild/${process.platform}-${process.arch}`;
    const binary = process.platform === 'win32' ? `${platformPackage}/esbuild.exe` : `${platformPackage}/bin/esbuild`;
    const modules = files.filter(file => file.startsWith('node_modules/'));
    assert.deepEqual(modules, ['node_modules/esbuild/LICENSE.md', 'node_modules/esbuild/lib/main.js', 'node_modules/esbuild/package.json', binary, `${platformPackage}/package.json`].sort());
    const esbuildManifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/esbuild/package.json'), 'utf8')) as { main: string };
    assert.equal(path.posix.join('node_modules/esbuild', esbuildManifest.main), 'node_modules/esbuild/lib/main.js');
  });

  it('ships nothing else (sources, tests, examples, benchmarks, dev scripts, images)', () => {
    const allowed = /^(package\.json|README\.md|CHANGELOG\.md|LICENSE|media\/(activity\.svg|icon\.png|gutter\/[\w-]+\.svg)|dist\/.+|docs\/rules\/.+\.md|node_modules\/.+)$/;
    assert.deepEqual(files.filter(file => !allowed.test(file)), []);
    const bytes = files.reduce((sum, file) => sum + fs.statSync(path.join(ROOT, file)).size, 0);
    // Today about 25 MB uncompressed (7 MB .vsix): the esbuild binary 11 MB, three bundles with TypeScript's parser 4 MB each.
    assert.ok(bytes < 40 * 1024 * 1024, `the .vsix content grew to ${(bytes / 1024 / 1024).toFixed(1)} MB`);
  });

  it('packages offline for this platform, with a repository for README links', () => {
    assert.match(manifest.scripts.package, /scripts\/package\.js/);
    assert.ok(manifest.repository, 'vsce warns without a repository field and cannot resolve relative README links');
  });
});

describe('production bundles (what the .vsix ships)', () => {
  // A minified build turns `\n` inside template literals into real newlines. preload.ts once wrote
  // `\n//# sourceMappingURL=data:...${base64}` for transpiled TypeScript, which made a line of the
  // minified dist/preload.js read as the bundle's own source-map comment: every TypeScript profile from
  // the installed extension then warned "source map for .../dist/preload.js could not be read".
  // preload.ts now assembles that comment at run time.
  it('the minified preload and ESM hooks have no line that reads as a sourceMappingURL comment', async () => {
    const esbuild = await import('esbuild');
    for (const entry of ['src/core/profile/preload.ts', 'src/core/profile/esmHooks.ts']) {
      const result = await esbuild.build({
        entryPoints: [path.join(ROOT, entry)], bundle: true, write: false, minify: true, platform: 'node', target: 'node18',
        format: entry.endsWith('esmHooks.ts') ? 'esm' : 'cjs', external: ['esbuild'], logLevel: 'silent',
      });
      const code = result.outputFiles[0].text;
      assert.deepEqual(code.match(/^[ \t]*\/\/[#@][ \t]*sourceMappingURL=\S+[ \t]*$/gm) ?? [], [], entry);
    }
  });
});
