// Cost of measuring waits (npm run bench:waits; needs a build). `hotspots profile` with waits on (the
// default) vs `--no-waits`, side by side, ALTERNATING runs, medians of N (default 5):
//   1. an I/O-bound workload (HTTP requests to a local server, file reads): target ≤ 1.03×;
//   2. an await-heavy CPU workload (2M awaits of resolved promises): target ≤ 1.3×;
//   3. report build time of a run with ≥ 1M awaits (hotspots report on its profile, with and without
//      the recorded waits).
// Figures: the workload's own elapsed time (printed by it) and the wall time of the whole command.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.join(__dirname, '..');
const cli = path.join(root, 'dist', 'cli.js');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-waits-bench-'));

if (!fs.existsSync(cli)) {
  console.error('dist/cli.js is missing: run npm run build first');
  process.exit(2);
}

function run(argv) {
  const started = performance.now();
  const result = spawnSync(argv[0], argv.slice(1), { cwd: scratch, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const wallMs = performance.now() - started;
  if (result.status !== 0) throw new Error(`${argv.join(' ')} failed (${result.status}): ${result.stderr}`);
  const work = /elapsed_ms=([\d.]+)/.exec(result.stdout);
  return { wallMs, workMs: work ? Number(work[1]) : wallMs };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Every variant once per round, order alternating, RUNS rounds after one warm-up round. */
function compare(variants) {
  const samples = new Map(variants.map(variant => [variant.name, { workMs: [], wallMs: [] }]));
  for (let round = -1; round < RUNS; round++) {
    for (const variant of round % 2 ? variants : [...variants].reverse()) {
      const measured = run(variant.argv());
      if (round < 0) continue;
      samples.get(variant.name).workMs.push(measured.workMs);
      samples.get(variant.name).wallMs.push(measured.wallMs);
    }
  }
  return new Map([...samples].map(([name, { workMs, wallMs }]) => [name, { workMs: median(workMs), wallMs: median(wallMs) }]));
}

const ratio = (value, base) => `${(value / base).toFixed(3)}×`;
const ms = value => `${value.toFixed(0).padStart(6)} ms`;
let runNumber = 0;
const profileArgv = (workload, ...flags) => () => [process.execPath, cli, 'profile', ...flags, '--out-dir', path.join(scratch, `run-${runNumber++}`), '--json', path.join(scratch, 'r.json'), workload];

function overhead(title, workload, target) {
  const results = compare([
    { name: 'waits off (--no-waits)', argv: profileArgv(workload, '--no-waits') },
    { name: 'waits on (default)', argv: profileArgv(workload) },
  ]);
  const off = results.get('waits off (--no-waits)');
  console.log(`\n${title}: ${path.relative(root, workload)}, median of ${RUNS} alternating runs (target ≤ ${target})`);
  console.log(`   ${'variant'.padEnd(26)}${'workload'.padStart(10)} ${'ratio'.padStart(7)}${'whole command'.padStart(15)} ${'ratio'.padStart(7)}`);
  for (const [name, result] of results) {
    console.log(`   ${name.padEnd(26)}${ms(result.workMs).padStart(10)} ${ratio(result.workMs, off.workMs).padStart(7)}${ms(result.wallMs).padStart(15)} ${ratio(result.wallMs, off.wallMs).padStart(7)}`);
  }
}

function reportBuild() {
  const workload = path.join(__dirname, 'workloads', 'await-heavy.js');
  const outDir = path.join(scratch, 'report-run');
  run([process.execPath, cli, 'profile', '--out-dir', outDir, '--json', path.join(scratch, 'r.json'), workload]);
  const runDir = path.join(outDir, fs.readdirSync(outDir)[0]);
  const profile = path.join(runDir, fs.readdirSync(runDir).find(name => name.endsWith('.cpuprofile')));
  const content = JSON.parse(fs.readFileSync(profile, 'utf8'));
  const recording = content.$hotspots.waits;
  const awaits = recording.counts.reduce((sum, count) => sum + count, 0);
  const withoutWaits = path.join(scratch, 'without-waits.cpuprofile');
  delete content.$hotspots.waits;
  fs.writeFileSync(withoutWaits, JSON.stringify(content));
  const results = compare([
    { name: 'without waits', argv: () => [process.execPath, cli, 'report', '--json', path.join(scratch, 'a.json'), withoutWaits] },
    { name: 'with waits', argv: () => [process.execPath, cli, 'report', '--json', path.join(scratch, 'b.json'), profile] },
  ]);
  const base = results.get('without waits');
  console.log(`\n3. Report build (hotspots report, whole command) of a run with ${awaits} awaits (${recording.records.length / 5} timed), median of ${RUNS} alternating runs`);
  for (const [name, result] of results) console.log(`   ${name.padEnd(26)}${ms(result.wallMs).padStart(10)} ${ratio(result.wallMs, base.wallMs).padStart(7)}`);
}

console.log(`node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map(load => load.toFixed(1)).join(' ')}`);
overhead('1. I/O-bound', path.join(__dirname, 'workloads', 'io-bound.js'), '1.03×');
overhead('2. Await-heavy CPU (2M awaits of resolved promises)', path.join(__dirname, 'workloads', 'await-heavy.js'), '1.3×');
reportBuild();
console.log(`\nload average at the end ${os.loadavg().map(load => load.toFixed(1)).join(' ')}`);
fs.rmSync(scratch, { recursive: true, force: true });
