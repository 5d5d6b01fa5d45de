// Benchmark of `hotspots report` on a huge profile, side by side with a plain JSON.parse of the same file.
//
//   npm run build && node bench/report.bench.js [--runs 5] [--samples 3000000] [--regenerate] [--distinct-frames] [--pprof]
//
// Generates bench/.data/big.cpuprofile (>= 100 MB: 3 million samples, stacks ~50 deep, a few hundred
// thousand nodes with positionTicks) once, then alternates the two commands and reports medians:
//   time ratio  report / JSON.parse      target <= 1.5
//   peak RSS    report / file size       target <= 3
// Each child reports its own peak RSS (process.resourceUsage().maxRSS) through a --require snippet, so
// all sides are measured the same way. A third column runs the report command from a bundle of its own
// (bench/.data/report-only.js): dist/cli.js also carries the lint engine and its TypeScript parser,
// whose load time and memory are not the report's.
//
// --distinct-frames: the same profile where (nearly) every node has a call frame of its own (a distinct
// column), as in profiles of generated or minified code: bench/.data/big-distinct.cpuprofile.
// --pprof: the same tree as an uncompressed pprof of >= 100 MB (one sample per V8 sample, 1.2M samples),
// next to the very same profile as .cpuprofile: `hotspots report` on each, side by side.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const dataDir = path.join(__dirname, '.data');
const profileFile = path.join(dataDir, 'big.cpuprofile');
const distinctFile = path.join(dataDir, 'big-distinct.cpuprofile');
/** The pprof bench: one profile written both ways. */
const pprofFile = path.join(dataDir, 'big.pb');
const pprofTwinFile = path.join(dataDir, 'big-pprof-twin.cpuprofile');
const PPROF_SAMPLES = 1_200_000;
const rssProbe = path.join(dataDir, 'maxrss-probe.js');
const cli = path.join(root, 'dist', 'cli.js');
const reportOnly = path.join(dataDir, 'report-only.js');

/** Bundles just `hotspots report` (same esbuild settings as dist/cli.js). */
function bundleReportOnly() {
  require('esbuild').buildSync({
    stdin: {
      contents: [
        "import { reportCommand } from './src/cli/reportCommand';",
        'reportCommand(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env })',
        '  .then(code => { process.exitCode = code; }, error => { console.error(error.message); process.exitCode = 2; });',
      ].join('\n'),
      resolveDir: root,
      loader: 'ts',
    },
    outfile: reportOnly,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    logLevel: 'warning',
  });
}

function option(name, fallback) {
  const index = process.argv.indexOf(name);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}
const runs = option('--runs', 5);
const sampleCount = option('--samples', 3_000_000);
const MIN_BYTES = 100 * 1024 * 1024;

/** Small deterministic PRNG so every generated profile is the same. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generateProfile(file, { sampleCount, distinctFrames = false, pprofFile } = {}) {
  const rand = random(42);
  const pick = n => Math.floor(rand() * n);
  // A pool of functions in plausible files, plus Node internals and the V8 pseudo frames.
  const functions = [];
  for (let i = 0; i < 3000; i++) {
    const dependency = i % 5 === 0;
    const url = dependency
      ? `file:///home/developer/projects/big-application/node_modules/some-library-${i % 40}/lib/module-${i % 97}.js`
      : `file:///home/developer/projects/big-application/src/features/feature-${i % 60}/component-${i % 113}.js`;
    functions.push({ functionName: `function${i}_${['render', 'compute', 'parse', 'update', ''][i % 5]}`, url, lineNumber: 10 + (i % 700), columnNumber: 2 + (i % 30) });
  }
  for (const [functionName, url] of [['readFileSync', 'node:fs'], ['emit', 'node:events'], ['processTicksAndRejections', 'node:internal/process/task_queues'], ['JSONParse', '']]) {
    functions.push({ functionName, url, lineNumber: 100, columnNumber: 4 });
  }
  const pseudo = ['(program)', '(idle)', '(garbage collector)'];

  // The tree: chains grown from random existing nodes down to depth ~50.
  const targetNodes = 330_000;
  const parent = new Int32Array(targetNodes + 8).fill(-1);
  const depth = new Int32Array(targetNodes + 8);
  const fn = new Int32Array(targetNodes + 8);
  const leaves = [];
  let count = 1; // node 0 is (root)
  fn[0] = -1;
  for (const _ of pseudo) { parent[count] = 0; fn[count] = -2 - (count - 1); depth[count] = 1; count++; }
  while (count < targetNodes) {
    let at = pick(count);
    if (fn[at] < -1 || depth[at] > 45) at = 0;
    const chainEnd = 45 + pick(10);
    while (depth[at] < chainEnd && count < targetNodes) {
      parent[count] = at;
      depth[count] = depth[at] + 1;
      fn[count] = pick(functions.length);
      at = count++;
    }
    leaves.push(at);
  }
  // V8 writes nodes in depth-first pre-order and numbers them 1..n in that order: do the same.
  const kids = Array.from({ length: count }, () => []);
  for (let i = 1; i < count; i++) kids[parent[i]].push(i);
  const order = [];
  const pending = [0];
  while (pending.length) {
    const node = pending.pop();
    order.push(node);
    for (let k = kids[node].length - 1; k >= 0; k--) pending.push(kids[node][k]);
  }
  const idOf = new Int32Array(count);
  order.forEach((node, position) => { idOf[node] = position + 1; });
  const children = Array.from({ length: count }, (_, node) => kids[node].map(kid => idOf[kid]));

  // Samples: mostly leaves (stacks ~50 deep), some inner frames, idle, GC and program.
  const samples = new Int32Array(sampleCount);
  const hits = new Int32Array(count);
  for (let i = 0; i < sampleCount; i++) {
    const r = rand();
    const node = r < 0.7 ? leaves[pick(leaves.length)] : r < 0.9 ? 4 + pick(count - 4) : 1 + pick(3);
    samples[i] = idOf[node];
    hits[node]++;
  }

  const out = fs.openSync(file, 'w');
  let chunk = '';
  const write = text => {
    chunk += text;
    if (chunk.length > 1 << 20) { fs.writeSync(out, chunk); chunk = ''; }
  };
  write('{"nodes":[');
  for (let position = 0; position < count; position++) {
    const i = order[position];
    const frame = fn[i] === -1
      ? { functionName: '(root)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 }
      : fn[i] < -1
        ? { functionName: pseudo[-2 - fn[i]], scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 }
        : { ...functions[fn[i]], scriptId: String(1 + (fn[i] % 400)), ...(distinctFrames ? { columnNumber: 40 + position } : {}) };
    const node = { id: idOf[i], callFrame: frame, hitCount: hits[i] };
    if (children[i].length) node.children = children[i];
    if (hits[i] > 0 && frame.lineNumber >= 0) {
      // Split the hits over up to three lines of the function, like V8 does.
      const first = Math.ceil(hits[i] / 2);
      const ticks = [{ line: frame.lineNumber + 2, ticks: first }];
      if (hits[i] - first > 0) ticks.push({ line: frame.lineNumber + 3 + (i % 5), ticks: hits[i] - first });
      node.positionTicks = ticks;
    }
    write(`${position ? ',' : ''}${JSON.stringify(node)}`);
  }
  write('],"startTime":1000000000,"endTime":');
  const deltas = new Int32Array(sampleCount);
  let end = 1000000000;
  for (let i = 0; i < sampleCount; i++) { deltas[i] = 900 + pick(400); end += deltas[i]; }
  write(`${end},"samples":[`);
  for (let i = 0; i < sampleCount; i += 100_000) write(`${i ? ',' : ''}${samples.subarray(i, i + 100_000).join(',')}`);
  write('],"timeDeltas":[');
  for (let i = 0; i < sampleCount; i += 100_000) write(`${i ? ',' : ''}${deltas.subarray(i, i + 100_000).join(',')}`);
  write(']}');
  fs.writeSync(out, chunk);
  fs.closeSync(out);
  if (pprofFile) writePprof(pprofFile, { functions, fn, parent, samples, deltas, count, pseudo, idOf });
  return count;
}

/** The same samples as pprof: one pprof sample per V8 sample, leaf location on the sampled line. */
function writePprof(file, { functions, fn, parent, samples, deltas, count, pseudo, idOf }) {
  const { Function: PprofFunction, Line, Location, Profile, Sample, StringTable, ValueType } = require('pprof-format');
  const strings = new StringTable();
  const nodeOfId = new Int32Array(count + 1);
  for (let node = 0; node < count; node++) nodeOfId[idOf[node]] = node;
  const pprofFunctions = [];
  const functionIdOf = new Map();
  const functionId = index => {
    let id = functionIdOf.get(index);
    if (id === undefined) {
      const f = index >= 0 ? functions[index] : { functionName: pseudo[-2 - index], url: '', lineNumber: -1 };
      id = pprofFunctions.length + 1;
      const name = strings.dedup(f.functionName || '(anonymous)');
      pprofFunctions.push(new PprofFunction({ id, name, systemName: name, filename: strings.dedup(f.url.replace(/^file:\/\//, '')), startLine: f.lineNumber + 1 }));
      functionIdOf.set(index, id);
    }
    return id;
  };
  const locations = [];
  const locationIdOf = new Map();
  const locationId = (index, line) => {
    const key = `${index}:${line}`;
    let id = locationIdOf.get(key);
    if (id === undefined) {
      id = locations.length + 1;
      locations.push(new Location({ id, line: [new Line({ functionId: functionId(index), line })] }));
      locationIdOf.set(key, id);
    }
    return id;
  };
  const hitsSoFar = new Int32Array(count);
  const pprofSamples = [];
  for (let i = 0; i < samples.length; i++) {
    const node = nodeOfId[samples[i]];
    const index = fn[node];
    const f = index >= 0 ? functions[index] : undefined;
    const k = hitsSoFar[node]++;
    const stack = [locationId(index, f ? f.lineNumber + (k % 2 === 0 ? 2 : 3 + (node % 5)) : 0)];
    for (let up = parent[node]; up > 0; up = parent[up]) stack.push(locationId(fn[up], functions[fn[up]] ? functions[fn[up]].lineNumber + 1 : 0));
    const us = i + 1 < deltas.length ? deltas[i + 1] : 1000;
    pprofSamples.push(new Sample({ locationId: stack, value: [1, us * 1000] }));
  }
  const profile = new Profile({
    sampleType: [new ValueType({ type: strings.dedup('samples'), unit: strings.dedup('count') }), new ValueType({ type: strings.dedup('cpu'), unit: strings.dedup('nanoseconds') })],
    sample: pprofSamples,
    location: locations,
    function: pprofFunctions,
    stringTable: strings,
    periodType: new ValueType({ type: strings.dedup('cpu'), unit: strings.dedup('nanoseconds') }),
    period: 1_000_000,
  });
  fs.writeFileSync(file, profile.encode());
}

function measure(args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--require', rssProbe, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  const match = /HOTSPOTS_BENCH_MAXRSS_KB=(\d+) HOTSPOTS_BENCH_CPU_US=(\d+)/.exec(result.stderr);
  if (!match) throw new Error(`no resource usage from ${args.join(' ')}`);
  return { ms, rssBytes: Number(match[1]) * 1024, cpuMs: Number(match[2]) / 1000 };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function main() {
  if (!fs.existsSync(cli)) throw new Error('dist/cli.js is missing: run npm run build first');
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(
    rssProbe,
    "process.on('exit', () => { const usage = process.resourceUsage(); " +
      "process.stderr.write(`HOTSPOTS_BENCH_MAXRSS_KB=${usage.maxRSS} HOTSPOTS_BENCH_CPU_US=${usage.userCPUTime + usage.systemCPUTime}\\n`); });\n",
  );
  const distinct = process.argv.includes('--distinct-frames');
  const pprof = process.argv.includes('--pprof');
  const file = pprof ? pprofTwinFile : distinct ? distinctFile : profileFile;
  if (process.argv.includes('--regenerate') || !fs.existsSync(file) || (pprof && (!fs.existsSync(pprofFile) || fs.statSync(pprofFile).size < MIN_BYTES)) || fs.statSync(file).size < (pprof ? 0 : MIN_BYTES)) {
    const started = Date.now();
    const samples = pprof ? PPROF_SAMPLES : sampleCount;
    const nodes = generateProfile(file, { sampleCount: samples, distinctFrames: distinct, pprofFile: pprof ? pprofFile : undefined });
    console.log(`generated ${file}${pprof ? ` and ${pprofFile}` : ''}: ${nodes} nodes, ${samples} samples in ${Date.now() - started} ms`);
  }
  const size = fs.statSync(file).size;
  console.log(`profile: ${(size / 1024 / 1024).toFixed(1)} MB${pprof ? `; pprof ${(fs.statSync(pprofFile).size / 1024 / 1024).toFixed(1)} MB` : ''}; ${runs} alternating runs of each command`);

  bundleReportOnly();
  const parseScript = `JSON.parse(require('fs').readFileSync(${JSON.stringify(file)}, 'utf8'))`;
  const commands = pprof
    ? {
      'report .pb (pprof)': [reportOnly, pprofFile, '--json', '/dev/null'],
      'report .cpuprofile': [reportOnly, file, '--json', '/dev/null'],
      'JSON.parse': ['-e', parseScript],
    }
    : {
      'hotspots report': [cli, 'report', file, '--json', '/dev/null'],
      'report-only bundle': [reportOnly, file, '--json', '/dev/null'],
      'JSON.parse': ['-e', parseScript],
    };
  const names = Object.keys(commands);
  const results = Object.fromEntries(names.map(name => [name, []]));
  for (let run = 0; run < runs; run++) {
    // Alternate (rotating the order every run) so background load hits every side alike.
    const order = names.map((_, i) => names[(i + run) % names.length]);
    for (const name of order) results[name].push(measure(commands[name]));
    console.log(`  run ${run + 1}: ${names.map(name => `${name} ${results[name][run].ms.toFixed(0)} ms / ${(results[name][run].rssBytes / 1048576).toFixed(0)} MB`).join(', ')}`);
  }
  const medians = Object.fromEntries(
    names.map(name => [name, { ms: median(results[name].map(r => r.ms)), cpuMs: median(results[name].map(r => r.cpuMs)), rss: median(results[name].map(r => r.rssBytes)) }]),
  );
  const parse = medians['JSON.parse'];
  const rows = [
    ['', ...names, 'target'],
    ['median time', ...names.map(name => `${medians[name].ms.toFixed(0)} ms`), ''],
    ['time / JSON.parse', ...names.map(name => (medians[name].ms / parse.ms).toFixed(2)), '<= 1.5'],
    // CPU time (user + system, all threads) is less disturbed by other load on a shared machine.
    ['median CPU time', ...names.map(name => `${medians[name].cpuMs.toFixed(0)} ms`), ''],
    ['CPU / JSON.parse', ...names.map(name => (medians[name].cpuMs / parse.cpuMs).toFixed(2)), ''],
    ['median peak RSS', ...names.map(name => `${(medians[name].rss / 1048576).toFixed(0)} MB`), ''],
    ['peak RSS / file size', ...names.map(name => (medians[name].rss / size).toFixed(2)), '<= 3'],
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map(row => row[column].length)));
  for (const row of rows) console.log(row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  '));
  if (pprof) {
    const ratio = medians['report .pb (pprof)'].ms / medians['report .cpuprofile'].ms;
    console.log(`pprof / .cpuprofile of the same profile: ${ratio.toFixed(2)}× time, ${(medians['report .pb (pprof)'].rss / medians['report .cpuprofile'].rss).toFixed(2)}× peak RSS`);
    return;
  }
  const report = medians['hotspots report'];
  const ok = report.ms / parse.ms <= 1.5 && report.rss / size <= 3;
  console.log(ok ? 'hotspots report: within targets' : 'hotspots report: OUTSIDE targets');
  process.exitCode = ok ? 0 : 1;
}

main();
