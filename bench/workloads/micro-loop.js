// Micro workload for the inlining cost: a tight loop calling a tiny helper (the best case for inlining).
const started = performance.now();
function mix(a, b) {
  let x = Math.imul(a ^ b, 2246822507);
  x = Math.imul(x ^ (x >>> 13), 3266489909);
  return (x ^ (x >>> 16)) >>> 0;
}
let hash = 0;
for (let i = 0; i < 2e8; i++) hash = mix(hash, i);
console.log(`elapsed_ms=${(performance.now() - started).toFixed(1)} cpu_ms=${cpuMs()} hash=${hash}`);

/** CPU time of this whole process so far (all threads): less sensitive than wall time to other load on the machine. */
function cpuMs() {
  const { user, system } = process.cpuUsage();
  return ((user + system) / 1000).toFixed(1);
}
