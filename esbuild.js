// One build script for every bundle: the extension host entry, the CLI, the profiler preload and the
// webview. Type-checking is left to `tsc --noEmit` (npm run typecheck) so builds stay fast.
//   node esbuild.js               development build (source maps, no minify)
//   node esbuild.js --watch       rebuild on change
//   node esbuild.js --production  minified, no source maps (used by `npm run package`)
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Node bundles: everything is bundled except `vscode` (provided by the host) and esbuild (native binary). */
const nodeBundles = [
  { entry: 'src/extension.ts', out: 'dist/extension.js' },
  { entry: 'src/cli.ts', out: 'dist/cli.js', banner: '#!/usr/bin/env node' },
  // Loaded with --require into the profiled program: must stay dependency-free and tiny. Never
  // minified, so its few frames in a user's profile keep readable names.
  { entry: 'src/core/profile/preload.ts', out: 'dist/preload.js', keepReadable: true },
  { entry: 'src/core/profile/esmHooks.ts', out: 'dist/esmHooks.mjs', format: 'esm', keepReadable: true },
  // acorn and the await instrumentation: loaded by the preload and the ESM hooks only when a user file awaits.
  { entry: 'src/core/profile/waits/instrument.ts', out: 'dist/awaitInstrumenter.js' },
  // The lint engine bundles the TypeScript compiler (its parser): its own bundles, loaded on first use,
  // keep it out of dist/extension.js and dist/cli.js so activation and `hotspots profile` stay light.
  // dist/lintEngine.js is also the script of lint worker threads.
  { entry: 'src/core/lintEngine.ts', out: 'dist/lintEngine.js' },
  // typescript-estree + the TypeScript compiler (~10 MB): loaded by the engine on the first file acorn
  // cannot parse, so plain JavaScript is linted without loading it (first diagnostics in a fresh window).
  { entry: 'src/core/lint/typescriptParserEntry.ts', out: 'dist/tsParser.js' },
  { entry: 'src/cli/lintCommand.ts', out: 'dist/cliLint.js' },
  // Converts large profiles for the flame graph off the extension host thread.
  { entry: 'src/core/flame/worker.ts', out: 'dist/flameWorker.js' },
];
/** Browser bundles for webviews and the HTML report. */
const browserBundles = [
  { entry: 'src/webview/flame.ts', out: 'dist/webview/flame.js' },
];

function options({ entry, out, banner, format, keepReadable }, platform) {
  return {
    entryPoints: [entry],
    outfile: out,
    bundle: true,
    platform,
    format: format || (platform === 'node' ? 'cjs' : 'iife'),
    target: platform === 'node' ? 'node18' : 'chrome114',
    external: ['vscode', 'esbuild'],
    sourcemap: production ? false : 'linked',
    sourcesContent: false,
    minify: production && !keepReadable,
    banner: banner ? { js: banner } : undefined,
    logLevel: 'warning',
    define: { HOTSPOTS_VERSION: JSON.stringify(require('./package.json').version), 'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development') },
  };
}

/**
 * Tests (and the modules they import) are transpiled file by file into out/ without bundling, so
 * unit tests can import any core module and integration tests `require('vscode')` from the host.
 */
function listTypeScript(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : listTypeScript(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}
function transpileTreeOptions() {
  return {
    entryPoints: [...listTypeScript('src'), ...listTypeScript('test')],
    outdir: 'out',
    outbase: '.',
    bundle: false,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    sourcemap: 'inline',
    logLevel: 'warning',
    define: { HOTSPOTS_VERSION: JSON.stringify(require('./package.json').version) },
  };
}

/**
 * speedscope's built app (npm package, dist/release/) for the flame graph webview and the HTML report.
 * Its JS and CSS get stable names (the release's are content-hashed); the font keeps its name because
 * the CSS refers to it. Source-map comments are dropped: the maps are not shipped, and a missing map is
 * a request devtools would make. The wasm file (Java profiles only) and the example profile are left out.
 */
function copySpeedscopeAssets() {
  const release = path.join(path.dirname(require.resolve('speedscope/package.json')), 'dist', 'release');
  const target = path.join('dist', 'speedscope');
  fs.mkdirSync(target, { recursive: true });
  const stripMapComment = text => text.replace(/\n\/[*/]# sourceMappingURL=[^\n]*\n?$/, '\n');
  for (const name of fs.readdirSync(release)) {
    const from = path.join(release, name);
    if (/^speedscope-[\w-]+\.js$/.test(name)) fs.writeFileSync(path.join(target, 'speedscope.js'), stripMapComment(fs.readFileSync(from, 'utf8')));
    else if (/^speedscope-[\w-]+\.css$/.test(name)) fs.writeFileSync(path.join(target, 'speedscope.css'), stripMapComment(fs.readFileSync(from, 'utf8')));
    else if (name.endsWith('.woff2') || name === 'release.txt' || name.endsWith('.LICENSE.md')) fs.copyFileSync(from, path.join(target, name));
  }
  fs.copyFileSync(path.join(release, '..', '..', 'LICENSE'), path.join(target, 'LICENSE'));
}

async function main() {
  const configs = [
    ...(production ? [] : [transpileTreeOptions()]),
    ...nodeBundles.filter(b => fs.existsSync(b.entry)).map(b => options(b, 'node')),
    ...browserBundles.filter(b => fs.existsSync(b.entry)).map(b => options(b, 'browser')),
  ];
  copySpeedscopeAssets();
  if (watch) {
    for (const config of configs) {
      const ctx = await esbuild.context(config);
      await ctx.watch();
    }
    console.log(`[esbuild] watching ${configs.length} bundles`);
    return;
  }
  const started = Date.now();
  await Promise.all(configs.map(config => esbuild.build(config)));
  if (fs.existsSync('dist/cli.js')) fs.chmodSync('dist/cli.js', 0o755);
  console.log(`[esbuild] built ${configs.length} bundles in ${Date.now() - started} ms${production ? ' (production)' : ''}`);
}

main().catch(error => {
  console.error(error.message || error);
  process.exit(1);
});
