// `node bench/lint-corpus.js [--sample N] [--out DIR]` — lint findings on a real-code corpus of popular
// packages (dev dependencies, pinned in package.json), for triage by reading the code (bench/lint-triage.md).
// Writes DIR/lint-corpus-findings.tsv (every finding, hints included) and prints a stratified sample of
// the Problems-panel findings (info/warning/error): per rule, in proportion to its findings, at least 3
// per rule when it has them, picked deterministically (a hash of file:line), so re-runs after a change
// show the same findings where they still exist. Needs `node esbuild.js` first.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');

const ROOT = path.resolve(__dirname, '..');
const { lintText } = require(path.join(ROOT, 'out/src/core/lint/engine.js'));

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
};

function listFiles(pkg, spec) {
  const [rel, mode] = spec.split(':');
  const full = path.join(ROOT, 'node_modules', pkg, rel);
  if (!fs.existsSync(full)) throw new Error(`missing node_modules/${pkg}/${rel}: npm ci (it is a dev dependency)`);
  if (fs.statSync(full).isFile()) return [full];
  return fs.readdirSync(full, { withFileTypes: true }).flatMap(entry => {
    const child = path.join(full, entry.name);
    if (entry.isDirectory()) return mode === 'flat' || entry.name === 'node_modules' ? [] : listFiles(pkg, path.relative(path.join(ROOT, 'node_modules', pkg), child));
    return /\.(?:js|cjs|ts)$/.test(entry.name) && !/\.d\.[cm]?ts$/.test(entry.name) && !/\.min\.js$/.test(entry.name) ? [child] : [];
  });
}

function main() {
  const args = process.argv.slice(2);
  const sampleSize = Number(args[args.indexOf('--sample') + 1]) || 70;
  const outDir = args.includes('--out') ? path.resolve(args[args.indexOf('--out') + 1]) : path.join(ROOT, 'bench');
  const findings = [];
  let files = 0;
  let bytes = 0;
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
  const key = finding => `${finding.file}:${finding.line}:${finding.ruleId}`;
  const rows = findings.map(finding => [key(finding), finding.severity, finding.evidence ?? '', finding.message].join('\t'));
  fs.writeFileSync(path.join(outDir, 'lint-corpus-findings.tsv'), `${['finding', 'severity', 'evidence', 'message'].join('\t')}\n${rows.join('\n')}\n`);

  const shown = findings.filter(finding => finding.severity !== 'hint');
  const byRule = new Map();
  for (const finding of shown) byRule.set(finding.ruleId, [...(byRule.get(finding.ruleId) ?? []), finding]);
  const hash = finding => crypto.createHash('sha1').update(key(finding)).digest('hex');
  const sample = [];
  for (const [, list] of [...byRule].sort()) {
    const wanted = Math.min(list.length, Math.max(3, Math.round(sampleSize * list.length / Math.max(1, shown.length))));
    sample.push(...[...list].sort((a, b) => hash(a).localeCompare(hash(b))).slice(0, wanted));
  }
  const count = (list, severity) => list.filter(finding => finding.severity === severity).length;
  console.log(`${Object.keys(CORPUS).length} packages, ${files} files, ${(bytes / 1e6).toFixed(1)} MB: ${findings.length} findings `
    + `(${count(findings, 'error')} error, ${count(findings, 'warning')} warning, ${count(findings, 'info')} info, ${count(findings, 'hint')} hint)`);
  for (const [rule, list] of [...byRule].sort()) console.log(`  ${rule}: ${list.length} shown`);
  console.log(`\nsample (${sample.length}):`);
  for (const finding of sample) console.log(`${key(finding)}\t${finding.severity}\t${finding.evidence ?? ''}\t${finding.message}`);
}

main();
