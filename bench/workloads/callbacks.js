// Array builtins with small callbacks (find/map/filter/reduce): what inlining helps most in real code.
const started = performance.now();
const users = Array.from({ length: 5000 }, (_, i) => ({ id: i, active: i % 3 !== 0, score: i % 97 }));
let total = 0;
for (let round = 0; round < 4000; round++) {
  const wanted = (round * 7919) % users.length;
  const user = users.find(candidate => candidate.id === wanted);
  const scores = users.filter(candidate => candidate.active).map(candidate => candidate.score + round);
  total += scores.reduce((sum, score) => sum + score, 0) + (user ? user.score : 0);
}
console.log(`elapsed_ms=${(performance.now() - started).toFixed(1)} cpu_ms=${cpuMs()} total=${total}`);

/** CPU time of this whole process so far (all threads): less sensitive than wall time to other load on the machine. */
function cpuMs() {
  const { user, system } = process.cpuUsage();
  return ((user + system) / 1000).toFixed(1);
}
