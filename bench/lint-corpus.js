// `node bench/lint-corpus.js [--sample N] [--hints N] [--out DIR] [--triage bench/lint-triage.md] [--installed [--list] [--threads N]]` — lint findings on a
// real-code corpus of popular packages (dev dependencies, pinned in package.json), for triage by reading the code (bench/lint-triage.md).
// Writes DIR/lint-corpus-findings.tsv (every finding, hints included) and prints a stratified sample of
// the Problems-panel findings (info/warning/error): per rule, in proportion to its findings, at least 3
// per rule when it has them, picked deterministically (a hash of file:line), so re-runs after a change
// show the same findings where they still exist. Needs `npm run build` first.
// `--installed` widens the corpus to every top-level package package-lock.json installs (see installedFiles below)
// and writes DIR/lint-corpus-findings-installed.tsv instead; the CORPUS list and its figures are unchanged by it.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { Worker, isMainThread, parentPort, workerData } = require('node:worker_threads');

const ROOT = path.resolve(__dirname, '..');
// HOTSPOTS_CLI=<other checkout>/dist/cli.js measures another build's rules on this corpus: the lint engine bundle
// built beside that CLI (dist/lintEngine.js) is loaded instead of this checkout's.
const ENGINE = process.env.HOTSPOTS_CLI
  ? path.join(path.dirname(path.resolve(process.env.HOTSPOTS_CLI)), 'lintEngine.js')
  : path.join(ROOT, 'dist/lintEngine.js');
const { lintText } = require(ENGINE);

/** Package → the directories or files holding its own code (one build of each, no tests or bundled copies). */
const CORPUS = {
  eslint: ['lib'],
  express: ['lib'],
  lodash: ['.:flat'],
  rxjs: ['dist/cjs'],
  ajv: ['dist'],
  acorn: ['dist/acorn.js'],
  mocha: ['lib'],
  glob: ['dist/commonjs'],
  knex: ['lib'],
  undici: ['lib'],
  axios: ['lib'],
  yargs: ['build/lib'],
  ioredis: ['built'],
  denque: ['index.js'],
  async: ['internal', '.:flat'],
  bluebird: ['js/release'],
  ws: ['lib'],
  commander: ['lib'],
  typescript: ['lib/typescript.js'],
  sequelize: ['lib'],
  got: ['dist/source'],
  'playwright-core': ['lib/server', 'lib/coreBundle.js', 'lib/tools'],
  prettier: ['index.mjs'],
  webpack: ['lib'],
  mongoose: ['lib'],
  mongodb: ['lib'],
  graphql: ['.:flat', 'language', 'utilities', 'validation', 'execution', 'type'],
  jsdom: ['lib/jsdom'],
  '@babel/core': ['lib'],
  '@babel/traverse': ['lib'],
  '@babel/generator': ['lib'],
  terser: ['lib'],
  less: ['lib/less', 'lib/less-node'],
  fastify: ['lib', 'fastify.js'],
  handlebars: ['lib'],
  moment: ['src/lib'],
  pg: ['lib'],
  mysql2: ['lib'],
  postcss: ['lib'],
  rollup: ['dist/shared/rollup.js'],
  'socket.io': ['dist'],
  underscore: ['modules'],
  jquery: ['src'],
  '@typescript-eslint/typescript-estree': ['dist'],
  '@typescript-eslint/scope-manager': ['dist'],
  'markdown-it': ['lib'],
  parse5: ['dist/cjs'],
  jszip: ['lib'],
  'js-yaml': ['lib'],
  semver: ['classes', 'functions', 'internal', 'ranges'],
  qs: ['lib'],
  micromatch: ['index.js'],
  xml2js: ['lib'],
  espree: ['lib', 'espree.js'],
  'source-map': ['lib'],
  'iconv-lite': ['lib', 'encodings'],
  cheerio: ['dist/commonjs'],
  koa: ['lib'],
  '@hapi/hapi': ['lib'],
  'uglify-js': ['lib'],
  '@babel/parser': ['lib'],
  sass: ['sass.dart.js'],
  pug: ['lib'],
  'pug-lexer': ['index.js'],
  'pug-parser': ['index.js', 'lib'],
  'pug-code-gen': ['index.js'],
  'pug-linker': ['index.js'],
  'pug-filters': ['index.js', 'lib'],
  ejs: ['lib/cjs'],
  'date-fns': ['.:flat:cjs', '_lib:cjs'],
  dayjs: ['esm:flat', 'esm/plugin'],
  luxon: ['build/node/luxon.js'],
  immutable: ['dist/immutable.js'],
  ramda: ['src'],
  '@redis/client': ['dist/lib'],
  marked: ['lib/marked.umd.js'],
  yaml: ['dist'],
  'csv-parse': ['dist/cjs'],
  papaparse: ['papaparse.js'],
  'chart.js': ['dist/chart.cjs', 'dist/chunks/index.cjs'],
  'd3-array': ['dist/d3-array.js'],
  'd3-scale': ['dist/d3-scale.js'],
  'd3-shape': ['dist/d3-shape.js'],
  'd3-hierarchy': ['dist/d3-hierarchy.js'],
  validator: ['lib'],
  joi: ['lib'],
  zod: ['v4/core:cjs', 'v4/classic:cjs', 'v3:cjs'],
  winston: ['lib'],
  pino: ['lib', 'pino.js'],
  inquirer: ['dist'],
  '@inquirer/core': ['dist'],
  htmlparser2: ['dist'],
  'css-tree': ['cjs'],
  csso: ['cjs'],
  svgo: ['lib', 'plugins'],
  'clean-css': ['lib'],
  'html-minifier-terser': ['dist/htmlminifier.cjs'],
  mustache: ['mustache.js'],
  liquidjs: ['dist/liquid.node.js'],
  showdown: ['dist/showdown.js'],
  'highlight.js': ['lib/core.js'],
  esprima: ['dist/esprima.js'],
  escodegen: ['escodegen.js'],
  recast: ['lib', 'main.js'],
  'node-forge': ['lib'],
  'bignumber.js': ['dist/bignumber.cjs'],
  'decimal.js': ['decimal.js'],
  mathjs: ['lib/cjs'],
  redux: ['dist/cjs/redux.cjs'],
  immer: ['dist/cjs/immer.cjs.development.js'],
  mobx: ['dist/mobx.cjs.development.js'],
  '@vue/compiler-core': ['dist/compiler-core.cjs.js'],
  svelte: ['src/compiler'],
  preact: ['src'],
  'fast-xml-parser': ['src'],
  '@xmldom/xmldom': ['lib'],
  sax: ['lib'],
  tar: ['dist/commonjs'],
  'adm-zip': ['.:flat', 'util', 'methods', 'headers'],
  superagent: ['lib'],
  dagre: ['lib'],
  graphlib: ['lib'],
  diff: ['libcjs'],
  'js-beautify': ['js/src'],
  coffeescript: ['lib/coffeescript'],
  'magic-string': ['dist/index.mjs'],
  minimatch: ['dist/commonjs'],
  'fast-glob': ['out'],
  browserslist: ['.:flat'],
  autoprefixer: ['lib'],
  'postcss-selector-parser': ['dist'],
  yup: ['index.js'],
  'class-validator': ['cjs'],
  'lru-cache': ['dist/commonjs/index.js'],
  '@npmcli/arborist': ['lib'],
  kafkajs: ['src'],
  amqplib: ['lib'],
  mqtt: ['build/lib'],
  nodemailer: ['dist/cjs'],
  'pdf-lib': ['cjs'],
  objection: ['lib'],
  kysely: ['dist/cjs'],
  'cron-parser': ['dist'],
  jsonwebtoken: ['.:flat', 'lib'],
  '@angular/compiler': ['fesm2022/compiler.mjs'],
  three: ['src'],
  '@vue/compiler-sfc': ['dist/compiler-sfc.cjs.js'],
  '@vue/runtime-core': ['dist/runtime-core.cjs.js'],
  '@vue/reactivity': ['dist/reactivity.cjs.js'],
  react: ['cjs/react.development.js'],
  'react-dom': ['cjs/react-dom-client.development.js', 'cjs/react-dom-server.node.development.js'],
  leaflet: ['src'],
  cytoscape: ['dist/cytoscape.cjs.js'],
  katex: ['dist/katex.js'],
  peggy: ['lib'],
  nearley: ['lib'],
  chevrotain: ['lib/src'],
  protobufjs: ['src'],
  '@grpc/grpc-js': ['build/src'],
  'fuse.js': ['dist/fuse.cjs'],
  lunr: ['lunr.js'],
  minisearch: ['dist/cjs:cjs'],
  graphology: ['dist/graphology.cjs.js'],
  'simple-statistics': ['dist/simple-statistics.cjs'],
  'ml-matrix': ['matrix.js'],
  'sql-formatter': ['dist/cjs'],
  prismjs: ['prism.js'],
  jshint: ['src'],
  '@graphql-tools/utils': ['cjs'],
  '@graphql-tools/schema': ['cjs'],
  sucrase: ['dist:flat', 'dist/parser', 'dist/transformers', 'dist/util'],
  eta: ['dist/index.cjs'],
  '@msgpack/msgpack': ['dist.cjs'],
  'engine.io': ['build'],
  'prosemirror-model': ['dist/index.cjs'],
  'prosemirror-transform': ['dist/index.cjs'],
  'prosemirror-state': ['dist/index.cjs'],
  '@codemirror/state': ['dist/index.cjs'],
  '@codemirror/view': ['dist/index.cjs'],
  '@lezer/lr': ['dist/index.cjs'],
  codemirror: ['lib/codemirror.js'],
  jsondiffpatch: ['lib'],
  'fast-json-patch': ['commonjs'],
  json5: ['lib'],
  'jsonpath-plus': ['dist/index-node-cjs.cjs'],
  jmespath: ['jmespath.js'],
  mnemonist: ['.:flat'],
  rbush: ['index.js'],
  supercluster: ['index.js'],
  earcut: ['src/earcut.js'],
  proj4: ['lib'],
  stylelint: ['lib:mjs'],
  'monaco-editor': ['esm/vs/base', 'esm/vs/editor', 'esm/vs/platform', 'esm/vs/features', 'esm/external'],
  echarts: ['lib'],
  '@angular/core': ['fesm2022:mjs'],
  '@angular/common': ['fesm2022:mjs'],
  '@angular/compiler-cli': ['bundles:flat'],
  '@angular/forms': ['fesm2022:mjs'],
  '@angular/router': ['fesm2022:mjs'],
  '@typescript-eslint/eslint-plugin': ['dist'],
  'eslint-plugin-react': ['lib'],
  '@babel/preset-env': ['lib'],
  '@mikro-orm/core': ['.:js'],
  'drizzle-orm': ['.:cjs'],
  cssnano: ['src'],
  'cssnano-preset-default': ['src'],
  'postcss-merge-rules': ['src'],
  'postcss-merge-longhand': ['src'],
  'postcss-discard-duplicates': ['src'],
  'postcss-minify-selectors': ['src'],
  'postcss-unique-selectors': ['src'],
  'postcss-colormin': ['src'],
  vega: ['build/vega.js'],
  'vega-lite': ['build:js'],
  'apache-arrow': ['.:js'],
  'happy-dom': ['lib'],
  linkedom: ['cjs'],
  turndown: ['lib/turndown.cjs.js'],
  'node-html-parser': ['dist/index.cjs'],
  remark: ['index.js'],
  unified: ['lib'],
  micromark: ['lib'],
  'mdast-util-from-markdown': ['lib'],
  'mdast-util-to-markdown': ['lib'],
  '@iarna/toml': ['lib', '.:flat'],
  meriyah: ['dist/meriyah.cjs'],
  'html-webpack-plugin': ['lib', 'index.js'],
  'css-loader': ['dist'],
  'mini-css-extract-plugin': ['dist'],
  'ag-grid-community': ['dist/package/main.cjs.js'],
  xlsx: ['xlsx.js'],
  tinymce: ['tinymce.js', 'models', 'plugins', 'themes'],
  quill: ['core', 'blots', 'formats', 'modules', 'ui', 'themes', 'quill.js', 'core.js'],
  'prosemirror-view': ['dist/index.cjs'],
  lexical: ['dist/Lexical.dev.js'],
  yjs: ['dist/yjs.cjs'],
  'puppeteer-core': ['lib/cjs'],
  'istanbul-lib-instrument': ['src'],
  'istanbul-lib-report': ['lib', 'index.js'],
  'eslint-plugin-import': ['lib'],
  stylus: ['lib'],
  tailwindcss: ['lib'],
  purgecss: ['lib/purgecss.js'],
  dompurify: ['dist/purify.cjs.js'],
  'sanitize-html': ['index.js'],
  dataloader: ['index.js'],
  '@nestjs/core': ['.:js'],
  '@nestjs/common': ['.:js'],
  apexcharts: ['src'],
  'matter-js': ['src'],
  compromise: ['src'],
  flexsearch: ['src'],
  browserify: ['index.js', 'lib'],
  gulp: ['index.js'],
  '@lumino/widgets': ['dist/index.js'],
  '@lumino/datagrid': ['dist/index.js'],
  '@codemirror/language': ['dist/index.cjs'],
  '@codemirror/autocomplete': ['dist/index.cjs'],
  ethers: ['lib.commonjs'],
  ol: ['.:flat:js', ...['renderer', 'interaction', 'source', 'tilegrid', 'format', 'structs', 'worker', 'reproj', 'render', 'events', 'webgl', 'control', 'style', 'extent', 'proj', 'layer', 'vec', 'geom', 'expr', 'pointer'].map(dir => `${dir}:js`)],
  'pixi.js': ['lib:js'],
  highcharts: ['es-modules'],
  handsontable: ['.:flat:js', ...['helpers', 'editors', 'mixins', 'shortcuts', 'translations', 'dataMap', 'validators', 'focusManager', 'core', 'renderers', 'utils', 'plugins', 'cellTypes', 'selection'].map(dir => `${dir}:js`)],
  jest: ['build'],
  '@jest/core': ['build'],
  'jest-haste-map': ['build'],
  'jest-runtime': ['build'],
  'jest-snapshot': ['build'],
  'jest-resolve': ['build'],
  'jest-config': ['build'],
  konva: ['lib'],
  paper: ['dist/paper-core.js'],
  zrender: ['lib'],
  domutils: ['lib:flat:js'],
  'css-select': ['lib:flat:js'],
  'enhanced-resolve': ['lib'],
  'chromium-bidi': ['lib/cjs'],
  '@babel/types': ['lib'],
};

/** `spec` is `path[:flat][:ext]`: `flat` skips subdirectories, `ext` keeps only that extension (for packages shipping
 * the same code as .js and .cjs). */
function listFiles(pkg, spec) {
  const [rel, ...options] = spec.split(':');
  const mode = options.includes('flat') ? 'flat' : undefined;
  const onlyExt = options.find(option => option !== 'flat');
  const full = path.join(ROOT, 'node_modules', pkg, rel);
  if (!fs.existsSync(full)) throw new Error(`missing node_modules/${pkg}/${rel}: npm ci (it is a dev dependency)`);
  if (fs.statSync(full).isFile()) return [full];
  return fs.readdirSync(full, { withFileTypes: true }).flatMap(entry => {
    const child = path.join(full, entry.name);
    if (entry.isDirectory()) return mode === 'flat' || entry.name === 'node_modules' ? [] : listFiles(pkg, [path.relative(path.join(ROOT, 'node_modules', pkg), child), ...options].join(':'));
    const wanted = onlyExt ? entry.name.endsWith(`.${onlyExt}`) : /\.(?:js|cjs|ts)$/.test(entry.name);
    return wanted && !/\.d\.[cm]?ts$/.test(entry.name) && !/\.min\.js$/.test(entry.name) ? [child] : [];
  });
}

const key = finding => `${finding.file}:${finding.line}:${finding.ruleId}`;
// One line per finding: evidence and messages may quote multi-line source.
const oneLine = text => String(text ?? '').replace(/\s+/g, ' ');
const hash = finding => crypto.createHash('sha1').update(key(finding)).digest('hex');

/** Per rule, in proportion to its findings and at least 3 per rule, picked by a hash of the key (stable across runs). */
function stratifiedSample(list, size) {
  const byRule = new Map();
  for (const finding of list) byRule.set(finding.ruleId, [...(byRule.get(finding.ruleId) ?? []), finding]);
  return [...byRule].sort().flatMap(([, ofRule]) => {
    const wanted = Math.min(ofRule.length, Math.max(3, Math.round(size * ofRule.length / Math.max(1, list.length))));
    return [...ofRule].sort((a, b) => hash(a).localeCompare(hash(b))).slice(0, wanted);
  });
}

/** Verdicts of the triage file: table rows `| n | \`file:line:rule\` | true/false/debatable | reason |`. */
function readVerdicts(file) {
  const verdicts = new Map();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const match = /^\|[^|]*\|\s*`([^`]+:\d+:[\w/-]+)`\s*\|\s*(true|false|debatable)\s*\|/.exec(line);
    if (match) verdicts.set(match[1], match[2]);
  }
  return verdicts;
}

/** Precision of the Problems-panel findings against the triage, and the true positives no longer reported at all. */
function printTriage(findings, file) {
  const verdicts = readVerdicts(file);
  const shown = findings.filter(finding => finding.severity !== 'hint');
  const tally = { true: 0, false: 0, debatable: 0 };
  const untriaged = [];
  for (const finding of shown) {
    const verdict = verdicts.get(key(finding));
    if (verdict) tally[verdict]++;
    else untriaged.push(finding);
  }
  const judged = tally.true + tally.false + tally.debatable;
  console.log(`\ntriage (${path.relative(ROOT, file)}): ${shown.length} Problems-panel findings, ${judged} judged: `
    + `${tally.true} true, ${tally.false} false, ${tally.debatable} debatable; strict precision ${tally.true}/${judged} = ${(100 * tally.true / Math.max(1, judged)).toFixed(1)}%`);
  const reported = new Map(findings.map(finding => [key(finding), finding.severity]));
  const truePositives = [...verdicts].filter(([, verdict]) => verdict === 'true').map(([k]) => k);
  const lost = truePositives.filter(k => !reported.has(k));
  const demoted = truePositives.filter(k => reported.get(k) === 'hint');
  console.log(`true positives judged: ${truePositives.length}; still reported: ${truePositives.length - lost.length} (${demoted.length} of them as hints); lost: ${lost.length}`);
  for (const k of lost) console.log(`  LOST\t${k}`);
  for (const k of demoted) console.log(`  HINT\t${k}`);
  console.log(`untriaged Problems-panel findings: ${untriaged.length}`);
  for (const finding of untriaged) console.log(`  NEW\t${key(finding)}\t${finding.severity}\t${oneLine(finding.evidence)}\t${oneLine(finding.message)}`);
}

// ---- --installed: every package that `npm ci` installs at the top level of node_modules ----
//
// Which packages: the entries `node_modules/<name>` and `node_modules/@scope/<name>` of package-lock.json that are
// on disk (so a fresh `npm ci` gives the same list); nested node_modules (a second version of a dependency) are not
// read. A package of the CORPUS list is read through its CORPUS entry, exactly as the default run (so its findings
// stay comparable with the earlier runs); every other package through the choice below.
//
// Which files of a package (its own code, one build of it):
// - lintable files as the CLI lints them (.js/.cjs/.mjs/.jsx/.ts/.tsx/.mts/.cts, no .d.ts), no `*.min.js`/`-min.js`,
//   no `*.test.*`/`*.spec.*`; directories skipped: node_modules, tests, fixtures, mocks, examples, demos,
//   benchmarks, docs, coverage and dot-directories (SKIPPED_DIR);
// - when the package has source beside its build (a top-level `src`/`source` directory with lintable files), the
//   source is read and the top-level build directories (BUILD_DIR: dist, lib, build, cjs, esm, umd, …) are not:
//   they hold the same code compiled or bundled;
// - the same module shipped as several builds (`dist/cjs/x.js` + `dist/esm/x.js`, `lib/x.js` + `es/x.js`,
//   `index.js` + `index.mjs` + `index.cjs`, `dist/commonjs` + `dist/browser` + `dist/react-native`, `vue.cjs.js` + `vue.esm-bundler.js`) is read once: files whose path is
//   equal once build-format directory names and build-format suffixes are removed (buildKey) are one module, and
//   the lowest buildRank is kept: source (.ts or under src) < CommonJS (cjs dir, .cjs, .cjs./.common. suffix) <
//   plain < ESM (.mjs, esm/es/module dir) < UMD/browser/global bundles, production builds after development ones;
//   ties by path. Files of identical content within a package are read once;
// - files above the editor's and the CLI's size limit (DEFAULT_MAX_FILE_SIZE_KB, 1 MB) are skipped, as the CLI
//   does, and counted.
const SKIPPED_DIR = /^(?:node_modules|tests?|__tests__|specs?|__specs__|fixtures?|__fixtures__|__mocks__|mocks?|examples?|demos?|benchmarks?|bench|docs?|coverage|\..*)$/i;
const SOURCE_DIR = /^(?:src|source)$/;
const BUILD_DIR = /^(?:dist|lib|build|built|out|cjs|commonjs|esm|es|es5|es6|es20\d\d|esnext|mjs|module|umd|amd|system|bundles?|browser|react-native|node|legacy|modern)$/;
const FORMAT_SEGMENT = /^(?:dist|lib|build|built|out|src|source|cjs|commonjs|esm|es|es5|es6|es20\d\d|esnext|mjs|module|umd|amd|system|bundles?|browser|react-native|node|legacy|modern)$/;
const FORMAT_SUFFIX = /\.(?:cjs|esm(?:-bundler|-browser|-node)?|es|es5|es6|umd|common(?:js)?|module|node|browser|global|bundle|runtime|development|production|dev|prod)$/;
const LINTABLE = /\.(?:[cm]?[jt]sx?)$/i;

function installedPackages() {
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
  return Object.keys(lock.packages)
    .filter(entry => /^node_modules\/(?:@[^/]+\/)?[^/@][^/]*$/.test(entry))
    .map(entry => entry.slice('node_modules/'.length))
    .filter(name => fs.existsSync(path.join(ROOT, 'node_modules', name, 'package.json')))
    .sort();
}

function walkPackage(dir, files) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const child = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIR.test(entry.name)) walkPackage(child, files);
    } else if (entry.isFile() && LINTABLE.test(entry.name) && !/\.d\.[cm]?tsx?$|[.-]min\.[cm]?js$|\.(?:test|spec)\.[cm]?[jt]sx?$/i.test(entry.name)) {
      files.push(child);
    }
  }
  return files;
}

/** The module a file is a build of: its package-relative path without build-format directories and suffixes. */
function buildKey(relative) {
  const segments = relative.split('/');
  let base = segments.pop().replace(LINTABLE, '');
  while (FORMAT_SUFFIX.test(base)) base = base.replace(FORMAT_SUFFIX, '');
  return [...segments.filter(segment => !FORMAT_SEGMENT.test(segment)), base].join('/');
}

function buildRank(relative) {
  const segments = relative.split('/');
  const name = segments[segments.length - 1];
  let rank;
  if (/\.[cm]?tsx?$/.test(name) || segments.some(segment => SOURCE_DIR.test(segment))) rank = 0;
  else if (segments.some(segment => /^(?:cjs|commonjs)$/.test(segment)) || /\.cjs$|\.(?:cjs|common|commonjs)\./.test(name)) rank = 1;
  else if (segments.some(segment => /^(?:umd|amd|system|bundles?|browser|react-native)$/.test(segment)) || /\.(?:umd|global|browser|bundle)\./.test(name)) rank = 4;
  else if (/\.mjs$/.test(name) || segments.some(segment => /^(?:esm|es|es6|es20\d\d|esnext|mjs|module)$/.test(segment)) || /\.(?:esm|es|es5|es6|es20\d\d|module)[.-]/.test(name)) rank = 3;
  else rank = 2;
  return rank + (/\.(?:production|prod)\./.test(name) ? 0.5 : 0);
}

/** The files of one package outside CORPUS, as described above; `skipped` collects the ones above the size limit. */
function ownFiles(pkg, maxBytes, skipped) {
  const root = path.join(ROOT, 'node_modules', pkg);
  const all = walkPackage(root, []).map(file => path.relative(root, file).split(path.sep).join('/'));
  const hasSource = all.some(relative => SOURCE_DIR.test(relative.split('/')[0]) && relative.includes('/'));
  const kept = hasSource ? all.filter(relative => !(relative.includes('/') && BUILD_DIR.test(relative.split('/')[0]))) : all;
  const byModule = new Map();
  for (const relative of kept) {
    const moduleKey = buildKey(relative);
    const best = byModule.get(moduleKey);
    if (!best || buildRank(relative) < buildRank(best) || (buildRank(relative) === buildRank(best) && relative < best)) byModule.set(moduleKey, relative);
  }
  const seenContent = new Set();
  const files = [];
  for (const relative of [...byModule.values()].sort()) {
    const file = path.join(root, relative);
    const size = fs.statSync(file).size;
    if (size > maxBytes) {
      skipped.push({ file, size });
      continue;
    }
    const digest = crypto.createHash('sha1').update(fs.readFileSync(file)).digest('hex');
    if (seenContent.has(digest)) continue;
    seenContent.add(digest);
    files.push(file);
  }
  return files;
}

/** Every file of the widened corpus: [{ pkg, file, maxFileSizeKb }], CORPUS packages as the default run reads them. */
function installedFiles() {
  const { DEFAULT_MAX_FILE_SIZE_KB } = require(ENGINE);
  const skipped = [];
  const jobs = [];
  const packages = installedPackages();
  for (const pkg of packages) {
    const files = pkg in CORPUS
      ? [...new Set(CORPUS[pkg].flatMap(spec => listFiles(pkg, spec)))].map(file => ({ pkg, file, maxFileSizeKb: 64 * 1024 }))
      : ownFiles(pkg, DEFAULT_MAX_FILE_SIZE_KB * 1024, skipped).map(file => ({ pkg, file, maxFileSizeKb: DEFAULT_MAX_FILE_SIZE_KB }));
    jobs.push(...files);
  }
  return { packages, jobs, skipped };
}

/** Lints the jobs on `threads` worker threads (each loads the same engine bundle), largest files first. */
function lintOnThreads(jobs, threads) {
  const queue = [...jobs].sort((a, b) => fs.statSync(b.file).size - fs.statSync(a.file).size);
  return new Promise((resolve, reject) => {
    const findings = [];
    let bytes = 0;
    let running = threads;
    for (let index = 0; index < threads; index++) {
      const worker = new Worker(__filename, { workerData: { engine: ENGINE } });
      const feed = () => {
        const job = queue.shift();
        if (job) worker.postMessage(job);
        else worker.postMessage(null);
      };
      worker.on('message', result => {
        findings.push(...result.findings);
        bytes += result.bytes;
        feed();
      });
      worker.on('error', reject);
      worker.on('exit', () => {
        if (--running === 0) resolve({ findings, bytes });
      });
      feed();
    }
  });
}

function lintWorker() {
  const engine = require(workerData.engine);
  parentPort.on('message', job => {
    if (!job) {
      parentPort.close();
      return;
    }
    const text = fs.readFileSync(job.file, 'utf8');
    const findings = engine.lintText(text, { fileName: job.file, maxFileSizeKb: job.maxFileSizeKb })
      .filter(finding => finding.ruleId !== 'parse-error')
      .map(finding => ({ ...finding, file: path.relative(path.join(ROOT, 'node_modules'), job.file), pkg: job.pkg }));
    parentPort.postMessage({ findings, bytes: text.length });
  });
}

async function main() {
  const args = process.argv.slice(2);
  const option = name => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const installed = args.includes('--installed');
  const sampleSize = Number(option('--sample')) || 70;
  const hintSampleSize = Number(option('--hints')) || 30;
  const outDir = option('--out') ? path.resolve(option('--out')) : path.join(ROOT, 'bench');
  const findings = [];
  let files = 0;
  let bytes = 0;
  let corpusLine;
  if (installed) {
    const corpus = installedFiles();
    if (args.includes('--list')) {
      // The files the widened corpus reads, one per line, to check the build choice without linting.
      for (const job of corpus.jobs) console.log(`${job.pkg}\t${path.relative(path.join(ROOT, 'node_modules'), job.file)}`);
      return;
    }
    const threads = Math.max(1, Number(option('--threads')) || require('node:os').availableParallelism());
    const result = await lintOnThreads(corpus.jobs, threads);
    findings.push(...result.findings.sort((a, b) => key(a).localeCompare(key(b), 'en')));
    files = corpus.jobs.length;
    bytes = result.bytes;
    const skippedMb = corpus.skipped.reduce((sum, { size }) => sum + size, 0) / 1e6;
    const withFiles = new Set(corpus.jobs.map(job => job.pkg)).size;
    corpusLine = `${corpus.packages.length} installed packages (${withFiles} with lintable code of their own; ${corpus.packages.filter(pkg => pkg in CORPUS).length} read as their CORPUS entry), `
      + `${files} files, ${(bytes / 1e6).toFixed(1)} MB (${corpus.skipped.length} files, ${skippedMb.toFixed(1)} MB above the size limit skipped)`;
  } else {
    for (const [pkg, specs] of Object.entries(CORPUS)) {
      for (const file of [...new Set(specs.flatMap(spec => listFiles(pkg, spec)))]) {
        const text = fs.readFileSync(file, 'utf8');
        files++;
        bytes += text.length;
        for (const finding of lintText(text, { fileName: file, maxFileSizeKb: 64 * 1024 })) {
          if (finding.ruleId === 'parse-error') continue;
          findings.push({ ...finding, file: path.relative(path.join(ROOT, 'node_modules'), file), pkg });
        }
      }
    }
    const pinned = Object.keys(CORPUS).filter(pkg => pkg in require(path.join(ROOT, 'package.json')).devDependencies).length;
    corpusLine = `${Object.keys(CORPUS).length} packages (${pinned} pinned as devDependencies, the others parts of one), ${files} files, ${(bytes / 1e6).toFixed(1)} MB`;
  }
  const rows = findings.map(finding => [key(finding), finding.severity, oneLine(finding.evidence), oneLine(finding.message)].join('\t'));
  fs.writeFileSync(path.join(outDir, installed ? 'lint-corpus-findings-installed.tsv' : 'lint-corpus-findings.tsv'), `${['finding', 'severity', 'evidence', 'message'].join('\t')}\n${rows.join('\n')}\n`);

  const shown = findings.filter(finding => finding.severity !== 'hint');
  const count = (list, severity) => list.filter(finding => finding.severity === severity).length;
  console.log(`engine ${path.relative(process.cwd(), ENGINE) || ENGINE}`);
  console.log(`${corpusLine}: ${findings.length} findings `
    + `(${count(findings, 'error')} error, ${count(findings, 'warning')} warning, ${count(findings, 'info')} info, ${count(findings, 'hint')} hint)`);
  const perRule = list => [...new Set(list.map(finding => finding.ruleId))].sort().map(rule => `${rule} ${list.filter(finding => finding.ruleId === rule).length}`).join(', ');
  console.log(`  shown per rule: ${perRule(shown)}`);
  console.log(`  hints per rule: ${perRule(findings.filter(finding => finding.severity === 'hint'))}`);
  const print = finding => console.log(`${key(finding)}\t${finding.severity}\t${oneLine(finding.evidence)}\t${oneLine(finding.message)}`);
  const sample = stratifiedSample(shown, sampleSize);
  console.log(`\nProblems-panel sample (${sample.length} of ${shown.length}):`);
  sample.forEach(print);
  const hintSample = stratifiedSample(findings.filter(finding => finding.severity === 'hint'), hintSampleSize);
  console.log(`\nhint sample (${hintSample.length}), for recall:`);
  hintSample.forEach(print);
  if (option('--triage')) printTriage(findings, path.resolve(option('--triage')));
}

if (isMainThread) {
  main().catch(error => {
    console.error(error);
    process.exitCode = 1;
  });
} else {
  lintWorker();
}
