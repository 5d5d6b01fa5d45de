// Real program: parse, compare and sort 60,000 version ranges with semver (~1 s).
const semver = require('semver');
const versions = Array.from({ length: 15_000 }, (_, i) => `${i % 17}.${(i * 7) % 31}.${(i * 13) % 97}${i % 11 === 0 ? '-beta.' + (i % 5) : ''}`);
const started = performance.now();
let satisfied = 0;
for (let round = 0; round < 3; round++) {
  const sorted = [...versions].sort(semver.compare); // USER: sort
  for (const version of sorted) if (semver.satisfies(version, '^3.4.0 || >=9.1.2 <12')) satisfied++; // USER: satisfies
}
console.log(`satisfied=${satisfied} elapsed_ms=${(performance.now() - started).toFixed(1)}`);
