// Fixed cost of a profile run (npm run build first; run: node bench/fixed-cost.bench.js [--runs N]).
//
// What `hotspots profile` adds before and after the program, measured side by side in one run
// (variants alternate every round so machine load hits all alike; medians of N rounds):
//   1. an empty script: plain `node` | `node --cpu-prof` | node spawning node (the floor of a launcher) | `hotspots profile` (whole command: CLI start,
//      preload, profiler, report; the script runs in the CLI's process) | the same with --separate-process (a child
//      process, as before) | plain node and `hotspots profile` in a terminal (script(1)) | `node` with the preload only (no CLI, no report);
//   2. the report build for a ~1 s run (read the profile, build the model, attach source text),
//      timed in-process on the transpiled tree (out/).
//   3. where the time of `hotspots profile` goes (HOTSPOTS_PHASES=1: when each phase ended, medians).
// Targets (issue 15): empty script ≤ plain node + 100 ms; report build for a 1 s run ≤ 100 ms.
// `--before <other dist/cli.js>` adds that build's `hotspots profile` (e.g. an older commit's) to part 1.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.join(__dirname, '..');
const cli = path.join(root, 'dist', 'cli.js');
const preload = path.join(root, 'dist', 'preload.js');
const launch = path.join(root, 'out', 'src', 'core', 'profile', 'launch.js');
const runReport = path.join(root, 'out', 'src', 'core', 'profile', 'runReport.js');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 9;
const beforeArg = process.argv.indexOf('--before');
const beforeCli = beforeArg > 0 ? path.resolve(process.argv[beforeArg + 1]) : undefined;
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

/** script(1) from util-linux, to run a variant with a terminal (absent: those variants are left out). */
const terminal = fs.existsSync('/usr/bin/script') ? '/usr/bin/script' : undefined;
const median = values => [...values].sort((a, b) => a - b)[values.length >> 1];
const node = process.execPath;
const variants = [
  { name: 'node', argv: () => [node, empty] },
  { name: 'node --cpu-prof', argv: () => [node, '--cpu-prof', '--cpu-prof-dir', path.join(scratch, 'cpu'), empty] },
  { name: 'hotspots profile', argv: () => [node, cli, 'profile', '--out-dir', path.join(scratch, 'runs'), empty] },
  // The script in a child process, as before the CLI ran it in its own process (and as with --memory, --html...).
  { name: 'hotspots profile --separate-process', argv: () => [node, cli, 'profile', '--separate-process', '--out-dir', path.join(scratch, 'runs'), empty] },
  // With a terminal (script(1) gives one): compare with plain node under the same script(1).
  ...(terminal ? [
    { name: 'node (terminal)', argv: () => [terminal, '-qfec', `'${node}' '${empty}'`, '/dev/null'] },
    { name: 'hotspots profile (terminal)', argv: () => [terminal, '-qfec', `'${node}' '${cli}' profile --out-dir '${path.join(scratch, 'runs')}' '${empty}'`, '/dev/null'] },
  ] : []),
  // The floor of any launcher that runs the program in a child process: node starting node, nothing else.
  { name: 'node spawning node', argv: () => [node, '-e', `require('node:child_process').spawnSync(process.execPath, [${JSON.stringify(empty)}], { stdio: 'inherit' })`] },
  ...(beforeCli ? [{ name: 'hotspots profile (before)', argv: () => [node, beforeCli, 'profile', '--out-dir', path.join(scratch, 'runs-before'), empty] }] : []),
  {
    name: 'node + preload only',
    argv: () => [node, empty],
    env: () => {
      const dir = fs.mkdtempSync(path.join(scratch, 'preload-'));
      return { NODE_OPTIONS: `--require ${preload}`, HOTSPOTS_OUT_DIR: dir, HOTSPOTS_LAUNCHER_PID: String(process.pid) };
    },
  },
];
/**
 * CPU time (user + system, ms) of this process's waited-for children and their descendants so far
 * (Linux: /proc/self/stat cutime + cstime), NaN elsewhere. Far less disturbed by other load than wall time.
 */
function childrenCpuMs() {
  try {
    const fields = fs.readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ');
    // After the command name: field 16 (cutime) and 17 (cstime) of proc(5) are at 13 and 14 here, in clock ticks.
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
  } catch {
    return NaN;
  }
}
const times = new Map(variants.map(variant => [variant.name, []]));
const cpuTimes = new Map(variants.map(variant => [variant.name, []]));
for (let round = -1; round < RUNS; round++) {
  for (const variant of round % 2 ? variants : [...variants].reverse()) {
    const [argv, env] = [variant.argv(), { ...process.env, ...(variant.env?.() ?? {}) }];
    const [started, cpuBefore] = [performance.now(), childrenCpuMs()];
    const result = spawnSync(argv[0], argv.slice(1), { cwd: scratch, env, stdio: 'ignore' });
    const ms = performance.now() - started;
    if (result.status !== 0) throw new Error(`${variant.name} failed (${result.status})`);
    if (round >= 0) times.get(variant.name).push(ms);
    if (round >= 0) cpuTimes.get(variant.name).push(childrenCpuMs() - cpuBefore);
  }
}
const base = median(times.get('node'));
const cpuBase = median(cpuTimes.get('node'));
const signed = value => (value >= 0 ? '+' : '') + value.toFixed(0);
console.log(`Empty script, median of ${RUNS} alternating rounds (wall; CPU of all its processes and threads):`);
for (const [name, values] of times) {
  const [ms, cpu] = [median(values), median(cpuTimes.get(name))];
  console.log(`  ${name.padEnd(36)} ${ms.toFixed(0).padStart(6)} ms ${signed(ms - base).padStart(6)} ms vs node   CPU ${cpu.toFixed(0).padStart(5)} ms ${signed(cpu - cpuBase).padStart(6)} ms vs node`);
}

if (terminal) {
  const inTerminal = median(times.get('hotspots profile (terminal)')) - median(times.get('node (terminal)'));
  console.log(`  in a terminal: hotspots profile ${signed(inTerminal)} ms vs node in the same terminal`);
}

// 3. Phases of `hotspots profile` on the empty script, in ms since the CLI process started.
const phases = new Map();
for (let round = 0; round < RUNS; round++) {
  const result = spawnSync(node, [cli, 'profile', '--out-dir', path.join(scratch, 'runs'), empty], { cwd: scratch, env: { ...process.env, HOTSPOTS_PHASES: '1' }, encoding: 'utf8' });
  const line = result.stderr.split('\n').find(text => text.startsWith('hotspots phases'));
  if (!line) throw new Error(`no phases printed: ${result.stderr}`);
  for (const entry of line.slice(line.indexOf(':') + 1).split('|')) {
    const match = /^\s*\(?([a-z ]+?) ([\d.]+)\)?\s*$/.exec(entry);
    if (match) phases.set(match[1], [...(phases.get(match[1]) ?? []), Number(match[2])]);
  }
}
console.log(`Phases of hotspots profile (empty script), ms since the CLI started, median of ${RUNS}:`);
console.log(`  ${[...phases].map(([phase, values]) => `${phase} ${median(values).toFixed(0)}`).join(' | ')}`);

(async () => {
  const { startProfileRun } = require(launch);
  const { buildRunReport } = require(runReport);
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
