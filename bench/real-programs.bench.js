// Real-program study (issue 15): npm packages as a user would profile them.
// npm run build first; run: node bench/real-programs.bench.js [--runs N] [--only name]
//
// For each workload in bench/workloads/real/ (each prints elapsed_ms of its own work), the variants run
// alternating, N rounds (medians): plain `node`, `hotspots profile` (default: exact lines, inlining off),
// `hotspots profile --keep-inlining`, `node --cpu-prof` (its file then read by `hotspots report`, untimed).
// Printed as Markdown: whole-command and own-work ratios vs node, and per mode the top lines, the top
// line of the user's own code ("your code": the workload file) and what the report says about gaps and
// inlined ticks, so the modes can be compared with each other and with the source (USER markers).
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.join(__dirname, '..');
const cli = path.join(root, 'dist', 'cli.js');
const dir = path.join(__dirname, 'workloads', 'real');
const arg = name => { const at = process.argv.indexOf(name); return at > 0 ? process.argv[at + 1] : undefined; };
const RUNS = Number(arg('--runs') ?? 3);
const only = arg('--only');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-real-'));
const node = process.execPath;
const median = values => [...values].sort((a, b) => a - b)[values.length >> 1];

function run(argv) {
  const started = performance.now();
  const result = spawnSync(argv[0], argv.slice(1), { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  const wallMs = performance.now() - started;
  if (result.status !== 0) throw new Error(`${argv.join(' ')} failed (${result.status}): ${result.stderr}`);
  const own = /elapsed_ms=([\d.]+)/.exec(result.stdout);
  return { wallMs, ownMs: own ? Number(own[1]) : NaN };
}

function summarize(report, workload) {
  const busy = report.totalSampledMs - report.categories.idleMs;
  const where = line => `${line.file.includes('node_modules') ? line.file.slice(line.file.lastIndexOf('node_modules') + 13) : path.basename(line.file)}:${line.line}`;
  const top = report.lines.slice(0, 3).map(line => `${where(line)} ${line.selfPercent.toFixed(1)}% (${line.hits})`).join('; ');
  const user = (report.userLines ?? []).find(line => line.file === workload);
  const userText = user ? `${path.basename(user.file)}:${user.line} ${user.totalPercent.toFixed(1)}%${user.via[0] ? ` → ${user.via[0].name}` : ''}` : '-';
  const inlined = report.warnings.find(text => /came from inlined code/.test(text));
  return {
    top,
    user: userText,
    unsampled: `${(((report.categories.unsampledMs ?? 0) / Math.max(1, busy)) * 100).toFixed(0)}%`,
    inlined: inlined ? /^([\d.]+%)/.exec(inlined)[1] : '0%',
  };
}

const workloads = fs.readdirSync(dir).filter(name => name.endsWith('.js') && (!only || name.includes(only))).sort();
const rows = [];
const details = [];
for (const name of workloads) {
  const file = path.join(dir, name);
  const variants = [
    { name: 'node', argv: () => [node, file] },
    { name: 'default', argv: round => [node, cli, 'profile', '--json', path.join(scratch, `${name}-default-${round}.json`), '--out-dir', path.join(scratch, 'runs'), file] },
    { name: 'keep-inlining', argv: round => [node, cli, 'profile', '--keep-inlining', '--json', path.join(scratch, `${name}-keep-${round}.json`), '--out-dir', path.join(scratch, 'runs'), file] },
    { name: 'cpu-prof', argv: round => [node, '--cpu-prof', '--cpu-prof-dir', path.join(scratch, `${name}-cpu-${round}`), file] },
  ];
  const measured = new Map(variants.map(variant => [variant.name, { wallMs: [], ownMs: [] }]));
  for (let round = 0; round < RUNS; round++) {
    for (const variant of round % 2 ? variants : [...variants].reverse()) {
      const result = run(variant.argv(round));
      measured.get(variant.name).wallMs.push(result.wallMs);
      measured.get(variant.name).ownMs.push(result.ownMs);
    }
  }
  const last = RUNS - 1;
  const cpuDir = path.join(scratch, `${name}-cpu-${last}`);
  const cpuJson = path.join(scratch, `${name}-cpu.json`);
  const cpuFiles = fs.readdirSync(cpuDir).map(entry => path.join(cpuDir, entry));
  spawnSync(node, [cli, 'report', ...cpuFiles, '--json', cpuJson], { cwd: root });
  const wall = variant => median(measured.get(variant).wallMs);
  const own = variant => median(measured.get(variant).ownMs);
  rows.push(`| ${name} | ${wall('node').toFixed(0)} ms | ${(wall('default') / wall('node')).toFixed(2)}× | ${(wall('keep-inlining') / wall('node')).toFixed(2)}× | ${(wall('cpu-prof') / wall('node')).toFixed(2)}× | ` +
    `${(own('default') / own('node')).toFixed(2)}× | ${(own('keep-inlining') / own('node')).toFixed(2)}× | ${(own('keep-inlining') / own('cpu-prof')).toFixed(2)}× |`);
  for (const [mode, json] of [['default', `${name}-default-${last}.json`], ['keep-inlining', `${name}-keep-${last}.json`], ['cpu-prof', `${name}-cpu.json`]]) {
    const summary = summarize(JSON.parse(fs.readFileSync(path.join(scratch, json), 'utf8')), file);
    details.push(`| ${name} | ${mode} | ${summary.top} | ${summary.user} | ${summary.unsampled} | ${summary.inlined} |`);
  }
  console.error(`done: ${name}`);
}
console.log(`Whole command and the workload's own time (elapsed_ms), medians of ${RUNS} alternating rounds:\n`);
console.log('| workload | node (whole) | default / node | keep-inlining / node | --cpu-prof / node | own: default / node | own: keep-inlining / node | own: keep-inlining / --cpu-prof |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const row of rows) console.log(row);
console.log('\nTop lines per mode (share of busy time, samples), the top line of the workload\'s own code, gaps (unsampled / busy) and inlined ticks outside their caller (share of line time):\n');
console.log('| workload | mode | top 3 lines | your code: top line | unsampled | inlined outside caller |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const row of details) console.log(row);
fs.rmSync(scratch, { recursive: true, force: true });
