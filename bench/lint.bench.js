// `npm run bench:lint` — lint speed on ~20 MB of real npm packages (dev dependencies):
//   (a) lint CPU time vs parse-only with lintText's own parse step, one thread           target ≤ 1.25×
//   (b) wall time, hotspots lintFiles (worker threads + pre-filter) vs ESLint running its
//       closest core rules on the same files                                                target ≥ 2× faster
//   (c) re-lint of a 5,000-line file after a one-character edit                              target p95 < 50 ms
// ONLY=c runs part (c) alone. Medians of RUNS runs, interleaved, printed side by side. Needs `node esbuild.js` first (the npm script
// does it) and runs best with --expose-gc: `node esbuild.js && node --expose-gc bench/lint.bench.js`.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const ROOT = path.resolve(__dirname, '..');
const RUNS = Number(process.env.RUNS || 3);
const NO_SIZE_LIMIT_KB = 64 * 1024;

const { lintText, mayContainCandidates, parseSource } = require(path.join(ROOT, 'out/src/core/lint/engine.js'));
const { lintFiles } = require(path.join(ROOT, 'out/src/core/lint/files.js'));
const { RULES } = require(path.join(ROOT, 'out/src/core/lint/registry.js'));
const { IncrementalLinter } = require(path.join(ROOT, 'out/src/core/lint/incremental.js'));

function listJs(dir, { recurse = true, pattern = /\.(?:js|mjs|cjs)$/ } = {}) {
  const full = path.join(ROOT, 'node_modules', dir);
  if (!fs.existsSync(full)) throw new Error(`missing node_modules/${dir}: npm install (it is a dev dependency)`);
  if (fs.statSync(full).isFile()) return [full];
  return fs.readdirSync(full, { withFileTypes: true }).flatMap(entry => {
    const child = path.join(dir, entry.name);
    if (entry.isDirectory()) return recurse && entry.name !== 'node_modules' ? listJs(child, { recurse, pattern }) : [];
    return pattern.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path.join(full, entry.name)] : [];
  });
}

function corpus() {
  return [
    ...listJs('lodash', { recurse: false }),
    ...listJs('express/lib'),
    ...listJs('rxjs/dist/cjs'),
    ...listJs('rxjs/dist/esm5'),
    ...listJs('typescript/lib/typescript.js'),
    ...listJs('typescript/lib/_tsc.js'),
    ...listJs('prettier/plugins', { pattern: /\.js$/ }),
    ...listJs('prettier/index.mjs'),
    ...listJs('prettier/standalone.js'),
    ...listJs('prettier/doc.js'),
  ];
}

const median = values => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil(values.length * p) - 1)];
const cpuMs = () => { const usage = process.cpuUsage(); return (usage.user + usage.system) / 1000; };
const ms = value => `${value.toFixed(0)} ms`;

/**
 * Parse-only, exactly as lintText parses (its own parse step: acorn for plain JS, else typescript-estree).
 * For acorn trees that step includes the one walk that gives them typescript-estree's shape, which also
 * sets `parent` on every node and buckets the node types rules visit (lint does not walk the tree again).
 */
function parseOnly(texts) {
  for (const { file, text } of texts) {
    try { parseSource(text, file); } catch { /* counted like lint: a parse error ends that file */ }
  }
}

function lintAll(texts) {
  let findings = 0;
  for (const { file, text } of texts) findings += lintText(text, { fileName: file, maxFileSizeKb: NO_SIZE_LIMIT_KB }).length;
  return findings;
}

/** Collects the previous run's garbage first (with --expose-gc), so it is not billed to the next one. */
const collectGarbage = () => { if (global.gc) global.gc(); };

/**
 * Runs the measurements round-robin (A B C A B C ...) so that load from other processes on this shared
 * machine drifts over all of them alike; returns the median of each. `measure` gives one sample.
 */
async function interleaved(works, measure) {
  const samples = works.map(() => []);
  for (let run = 0; run < RUNS; run++) {
    for (const [index, work] of works.entries()) {
      collectGarbage();
      samples[index].push(await measure(work));
    }
  }
  return samples.map(median);
}

/** CPU time of the whole process (all threads, workers included) and wall time of one run. */
async function cpuAndWall(work) {
  const cpuStart = cpuMs();
  const wallStart = performance.now();
  await work();
  return { cpu: cpuMs() - cpuStart, wall: performance.now() - wallStart };
}

const cpuOnly = async work => (await cpuAndWall(work)).cpu;

async function eslintRun(files) {
  const { ESLint } = require('eslint');
  const eslint = new ESLint({
    cwd: ROOT,
    overrideConfigFile: true,
    cache: false,
    overrideConfig: [
      // The corpus lives in node_modules, which ESLint ignores by default.
      { ignores: ['!**/node_modules/'] },
      {
        files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
        languageOptions: { ecmaVersion: 'latest', sourceType: 'script' },
        linterOptions: { reportUnusedDisableDirectives: 'off' },
        // ESLint's closest core rules: awaits in loops, functions created in loops, races on awaited state.
        rules: { 'no-await-in-loop': 'warn', 'no-loop-func': 'warn', 'require-atomic-updates': 'warn' },
      },
      { files: ['**/*.mjs', '**/esm5/**'], languageOptions: { sourceType: 'module' } },
    ],
  });
  const results = await eslint.lintFiles(files);
  return {
    findings: results.reduce((sum, result) => sum + result.messages.filter(message => !message.fatal && message.ruleId).length, 0),
    ignored: results.filter(result => result.messages.some(message => !message.ruleId && !message.fatal)).length,
    fatal: results.filter(result => result.messages.some(message => message.fatal)).length,
  };
}

function fiveThousandLineFile() {
  const sample = fs.readFileSync(path.join(ROOT, 'test/fixtures/lint/samples/all-rules.ts'), 'utf8').split('\n');
  const body = sample.filter(line => !line.startsWith('declare') && !line.startsWith('interface') && !line.startsWith('//'));
  const lines = ['interface User { id: number; name: string }', 'declare function loadBlocked(): number[];', 'declare function fetchUser(id: number): Promise<User>;', 'declare const cache: Map<number, User>;'];
  for (let copy = 0; lines.length + body.length <= 5000; copy++) {
    lines.push(...body.map(line => line.replace(/function (\w+)/, `function $1${copy}`)));
  }
  while (lines.length < 5000) lines.push(`export const padding${lines.length} = ${lines.length};`);
  return lines.join('\n');
}

async function main() {
  // ONLY=c: part (c) alone (the editor re-lint), quick to repeat while working on it.
  if (process.env.ONLY === 'c') {
    console.log(`load average ${require('node:os').loadavg().map(load => load.toFixed(1)).join(' ')} on ${require('node:os').availableParallelism()} cores (the machine is shared)`);
    relintBench();
    return;
  }
  // BENCH_QUICK=1: a few lodash files, to check the script itself without loading the shared machine.
  const files = process.env.BENCH_QUICK ? listJs('lodash', { recurse: false }).slice(0, 40) : corpus();
  const texts = files.map(file => ({ file, text: fs.readFileSync(file, 'utf8') }));
  const bytes = texts.reduce((sum, { text }) => sum + Buffer.byteLength(text), 0);
  const candidates = texts.filter(({ text }) => mayContainCandidates(text, RULES));
  console.log(`load average ${require('node:os').loadavg().map(load => load.toFixed(1)).join(' ')} on ${require('node:os').availableParallelism()} cores (the machine is shared)`);
  console.log(`corpus: ${files.length} files, ${(bytes / 1024 / 1024).toFixed(1)} MB; ${candidates.length} pass the pre-filter; ${RUNS} runs each, medians`);

  // (a) one thread, CPU time. Warm up once so JIT and module loading do not count.
  parseOnly(texts.slice(0, 50)); lintAll(texts.slice(0, 50));
  const [parseAll, lintCpu, parseCandidates, lintCandidates] = await interleaved([
    () => parseOnly(texts), () => lintAll(texts), () => parseOnly(candidates), () => lintAll(candidates),
  ], cpuOnly);
  const findingCount = lintAll(texts);
  console.log('\n(a) CPU time, one thread            parse-only   lint      ratio  (target ≤ 1.25×)');
  console.log(`    all files                       ${ms(parseAll).padStart(9)}  ${ms(lintCpu).padStart(8)}  ${(lintCpu / parseAll).toFixed(2)}×`);
  console.log(`    files that pass the pre-filter  ${ms(parseCandidates).padStart(9)}  ${ms(lintCandidates).padStart(8)}  ${(lintCandidates / parseCandidates).toFixed(2)}×  (rule cost on parsed files)`);
  console.log(`    findings: ${findingCount}`);

  // (b) wall time, whole corpus: hotspots with worker threads vs ESLint in-process.
  let eslintSummary = null;
  const runs = { hotspots: [], eslint: [] };
  await interleaved([
    async () => runs.hotspots.push(await cpuAndWall(() => lintFiles(files, { maxFileSizeKb: NO_SIZE_LIMIT_KB }))),
    async () => runs.eslint.push(await cpuAndWall(async () => { eslintSummary = await eslintRun(files); })),
  ], async work => { await work(); return 0; });
  const hotspotsWall = median(runs.hotspots.map(run => run.wall));
  const eslintWall = median(runs.eslint.map(run => run.wall));
  const hotspotsCpu = median(runs.hotspots.map(run => run.cpu));
  const eslintCpu = median(runs.eslint.map(run => run.cpu));
  console.log('\n(b) whole corpus                    hotspots     ESLint    speed-up  (target ≥ 2× wall)');
  console.log(`    wall, ${`${require('node:os').availableParallelism()} cores`.padEnd(26)}${ms(hotspotsWall).padStart(9)}  ${ms(eslintWall).padStart(8)}  ${(eslintWall / hotspotsWall).toFixed(2)}×`);
  console.log(`    CPU, all threads                ${ms(hotspotsCpu).padStart(9)}  ${ms(eslintCpu).padStart(8)}  ${(eslintCpu / hotspotsCpu).toFixed(2)}×   (load average now ${require('node:os').loadavg()[0].toFixed(1)})`);
  console.log(`    ESLint rules: no-await-in-loop, no-loop-func, require-atomic-updates; ${eslintSummary.findings} findings, ${eslintSummary.fatal} files with parse errors, ${eslintSummary.ignored} files ignored`);
  if (eslintSummary.ignored > 0) throw new Error('ESLint ignored files: the comparison would be unfair');


  relintBench();
}

/** (c) editor re-lint after an edit. */
function relintBench() {
  const big = fiveThousandLineFile();
  const lines = big.split('\n');
  const durations = [];
  const fullDurations = [];
  const parseKinds = new Map();
  // The editor keeps one IncrementalLinter per document (src/host/lint); it re-parses only the
  // statements around the edit. A full lintText of the same texts is timed afterwards for reference, in
  // a pass of its own: interleaved, the garbage of each 5,000-line full lint was collected during the next
  // timed re-lint, a cost the editor (which never runs a full lint between edits) does not have.
  const editor = new IncrementalLinter();
  editor.lint(big, { fileName: 'big.ts' });
  const texts = [];
  const editorFindings = [];
  for (let i = 0; i < 60; i++) {
    const edited = [...lines];
    const at = 10 + ((i * 83) % 4900);
    edited[at] = `${edited[at]} `;
    const text = edited.join('\n');
    const start = performance.now();
    const found = editor.lint(text, { fileName: 'big.ts' });
    const elapsed = performance.now() - start;
    parseKinds.set(editor.lastParse, (parseKinds.get(editor.lastParse) || 0) + 1);
    if (i >= 10) durations.push(elapsed); // first 10: warm-up
    texts.push(text);
    editorFindings.push(found.length);
  }
  texts.forEach((text, i) => {
    const fullStart = performance.now();
    const full = lintText(text, { fileName: 'big.ts' });
    const fullElapsed = performance.now() - fullStart;
    if (i >= 10) fullDurations.push(fullElapsed);
    if (editorFindings[i] === 0 || editorFindings[i] !== full.length) throw new Error('the 5,000-line file should have the same findings either way');
  });
  console.log('\n(c) re-lint of a 5,000-line file     median     p95       (target p95 < 50 ms)');
  console.log(`    editor (incremental)            ${median(durations).toFixed(1).padStart(6)} ms  ${percentile(durations, 0.95).toFixed(1).padStart(6)} ms   parses: ${[...parseKinds].map(([kind, count]) => `${count} ${kind}`).join(', ')}`);
  console.log(`    full lintText, for reference    ${median(fullDurations).toFixed(1).padStart(6)} ms  ${percentile(fullDurations, 0.95).toFixed(1).padStart(6)} ms`);
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
