// Memory profiling (npm run build first; run: node bench/memory.bench.js [--runs N]).
//
// Part 1, overhead: `hotspots profile --memory` (and `--memory=retained`) vs `hotspots profile` on an allocation-heavy workload
// (bench/workloads/alloc-heavy.js), run ALTERNATING (after one warm-up round), medians of N runs. Figures:
// the workload's own time (elapsed_ms, printed by the workload) and the wall time of the whole command.
// Part 2, accuracy: bench/workloads/known-allocation.js allocates a computed number of bytes in makeArrays;
// the report's allocatedBytes for makeArrays is compared with that truth (median of the runs).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { compareAlternating, median, runTimed } = require('./measure');

const root = path.join(__dirname, '..');
const cli = path.join(root, 'dist', 'cli.js');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-bench-memory-'));
const heavy = path.join(__dirname, 'workloads', 'alloc-heavy.js');
const known = path.join(__dirname, 'workloads', 'known-allocation.js');

if (!fs.existsSync(cli)) {
  console.error('dist/cli.js is missing: run npm run build first');
  process.exit(2);
}

const run = argv => runTimed(argv, scratch);

const profile = (...options) => [process.execPath, cli, 'profile', '--out-dir', path.join(scratch, 'profiles'), ...options];
const variants = [
  { name: 'hotspots profile', argv: () => profile(heavy) },
  { name: 'hotspots profile --memory', argv: () => profile('--memory', heavy) },
  { name: 'hotspots profile --memory=retained', argv: () => profile('--memory=retained', heavy) },
];
console.log(`load average ${os.loadavg().map(value => value.toFixed(2)).join(' ')}; ${RUNS} alternating runs after a warm-up`);
const medians = compareAlternating(variants, RUNS, scratch);
const base = medians.get(variants[0].name);
const memory = medians.get(variants[1].name);
const ratio = (value, baseValue) => (value / baseValue).toFixed(3);
console.log('\nPart 1: overhead on bench/workloads/alloc-heavy.js (medians)');
console.log('| variant | workload | vs profile | whole command | vs profile |');
console.log('| --- | --- | --- | --- | --- |');
for (const variant of variants) {
  const measured = medians.get(variant.name);
  console.log(`| \`${variant.name}\` | ${measured.workMs.toFixed(0)} ms | ${ratio(measured.workMs, base.workMs)}× | ${measured.wallMs.toFixed(0)} ms | ${ratio(measured.wallMs, base.wallMs)}× |`);
}

console.log('\nPart 2: allocated bytes of makeArrays vs the truth (bench/workloads/known-allocation.js)');
const errors = [];
for (let i = 0; i < RUNS; i++) {
  const json = path.join(scratch, `known-${i}.json`);
  const measured = run(profile('--memory', '--json', json, known));
  const truth = Number(/true_bytes=(\d+)/.exec(measured.stdout)[1]);
  const report = JSON.parse(fs.readFileSync(json, 'utf8'));
  const entry = report.allocations.find(allocation => allocation.function === 'makeArrays');
  const reported = entry ? entry.allocatedBytes : 0;
  errors.push((reported - truth) / truth);
  console.log(`  run ${i + 1}: reported ${(reported / 1048576).toFixed(1)} MB, truth ${(truth / 1048576).toFixed(1)} MB, ${(((reported - truth) / truth) * 100).toFixed(1)}%`);
}
console.log(`median error ${(median(errors) * 100).toFixed(1)}%, largest ${(Math.max(...errors.map(Math.abs)) * 100).toFixed(1)}%`);
console.log(`\ntargets: --memory ≤ 1.10× profile (workload ${ratio(memory.workMs, base.workMs)}×, whole command ${ratio(memory.wallMs, base.wallMs)}×); allocated within 15% of the truth`);
fs.rmSync(scratch, { recursive: true, force: true });
