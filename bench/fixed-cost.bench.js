// Fixed cost of a profile run (npm run build first; run: node bench/fixed-cost.bench.js [--runs N]).
//
// What `hotspots profile` adds before and after the program, measured side by side in one run
// (variants alternate every round so machine load hits all alike; medians of N rounds):
//   1. an empty script: plain `node` | `node --cpu-prof` | `hotspots profile` (whole command: CLI start,
//      preload, profiler, watchdog thread, report) | `node` with the preload only (no CLI, no report);
//   2. the report build for a ~1 s run (read the profile, build the model, attach source text),
//      timed in-process on the transpiled tree (out/).
// Targets (issue 15): empty script ≤ plain node + 100 ms; report build for a 1 s run ≤ 100 ms.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.join(__dirname, '..');
const cli = path.join(root, 'dist', 'cli.js');
const preload = path.join(root, 'dist', 'preload.js');
const launch = path.join(root, 'out', 'src', 'core', 'profile', 'launch.js');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 9;
if (!fs.existsSync(cli) || !fs.existsSync(launch)) {
  console.error('dist/cli.js or out/ is missing: run npm run build first');
  process.exit(2);
}
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-fixed-'));
const empty = path.join(scratch, 'empty.js');
fs.writeFileSync(empty, '');
const oneSecond = path.join(scratch, 'one-second.js');
fs.writeFileSync(oneSecond, [
  'function step(x, i) { return (Math.imul(x ^ i, 2654435761) >>> 0) % 1000003; }',
  'const end = Date.now() + 1000;',
  'let x = 1;',
  'for (let i = 0; Date.now() < end; i++) x = step(x, i);',
  'console.log(x);',
].join('\n'));

const median = values => [...values].sort((a, b) => a - b)[values.length >> 1];
const node = process.execPath;
const variants = [
  { name: 'node', argv: () => [node, empty] },
  { name: 'node --cpu-prof', argv: () => [node, '--cpu-prof', '--cpu-prof-dir', path.join(scratch, 'cpu'), empty] },
  { name: 'hotspots profile', argv: () => [node, cli, 'profile', '--out-dir', path.join(scratch, 'runs'), empty] },
  {
    name: 'node + preload only',
    argv: () => [node, empty],
    env: () => {
      const dir = fs.mkdtempSync(path.join(scratch, 'preload-'));
      return { NODE_OPTIONS: `--require ${preload}`, HOTSPOTS_OUT_DIR: dir, HOTSPOTS_LAUNCHER_PID: String(process.pid) };
    },
  },
];
const times = new Map(variants.map(variant => [variant.name, []]));
for (let round = -1; round < RUNS; round++) {
  for (const variant of round % 2 ? variants : [...variants].reverse()) {
    const started = performance.now();
    const result = spawnSync(variant.argv()[0], variant.argv().slice(1), { cwd: scratch, env: { ...process.env, ...(variant.env?.() ?? {}) }, stdio: 'ignore' });
    const ms = performance.now() - started;
    if (result.status !== 0) throw new Error(`${variant.name} failed (${result.status})`);
    if (round >= 0) times.get(variant.name).push(ms);
  }
}
const base = median(times.get('node'));
console.log(`Empty script, median of ${RUNS} alternating rounds:`);
for (const [name, values] of times) {
  const ms = median(values);
  console.log(`  ${name.padEnd(22)} ${ms.toFixed(0).padStart(6)} ms   ${(ms - base >= 0 ? '+' : '') + (ms - base).toFixed(0)} ms vs node`);
}

(async () => {
  const { startProfileRun, buildRunReport } = require(launch);
  const builds = [];
  for (let round = 0; round < Math.max(3, Math.ceil(RUNS / 2)); round++) {
    const result = await startProfileRun({ script: oneSecond, args: [], cwd: scratch, env: process.env, outDir: path.join(scratch, `report-${round}`), intervalUs: 1000, stdio: 'ignore' }).done;
    const started = performance.now();
    const report = await buildRunReport(result);
    builds.push(performance.now() - started);
    if (report.lines.length === 0) throw new Error('the 1 s run has no lines');
  }
  console.log(`Report build for a ~1 s run (read + model + source text), median of ${builds.length}: ${median(builds).toFixed(0)} ms`);
  fs.rmSync(scratch, { recursive: true, force: true });
})();
