// Shared by the benchmarks that time whole commands: one timed run of a command, and the median.
const { spawnSync } = require('node:child_process');

/** Runs `argv` in `cwd`; wall time, the workload's own `elapsed_ms=` / `cpu_ms=` when it prints them, and its stdout. */
function runTimed(argv, cwd) {
  const started = performance.now();
  const result = spawnSync(argv[0], argv.slice(1), { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const wallMs = performance.now() - started;
  if (result.status !== 0) throw new Error(`${argv.join(' ')} failed (${result.status}): ${result.stderr}`);
  const work = /elapsed_ms=([\d.]+)/.exec(result.stdout);
  const cpu = /cpu_ms=([\d.]+)/.exec(result.stdout);
  return { wallMs, workMs: work ? Number(work[1]) : wallMs, cpuMs: cpu ? Number(cpu[1]) : NaN, stdout: result.stdout };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Runs every variant (`{ name, argv() }`) once per round, alternating the order, for `rounds` rounds after one
 * warm-up round; medians of the workload time, the wall time and the CPU time per variant name.
 */
function compareAlternating(variants, rounds, cwd) {
  const samples = new Map(variants.map(variant => [variant.name, { workMs: [], wallMs: [], cpuMs: [] }]));
  for (let round = -1; round < rounds; round++) {
    for (const variant of round % 2 ? variants : [...variants].reverse()) {
      const measured = runTimed(variant.argv(), cwd);
      if (round < 0) continue;
      samples.get(variant.name).workMs.push(measured.workMs);
      samples.get(variant.name).wallMs.push(measured.wallMs);
      samples.get(variant.name).cpuMs.push(measured.cpuMs);
    }
  }
  return new Map([...samples].map(([name, { workMs, wallMs, cpuMs }]) => [name, { workMs: median(workMs), wallMs: median(wallMs), cpuMs: median(cpuMs) }]));
}

module.exports = { runTimed, median, compareAlternating };
