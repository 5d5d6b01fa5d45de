// Allocation-heavy workload for bench/memory.bench.js: records, strings and arrays built and mostly
// dropped (a parse-transform-aggregate job), ~1-2 s. Prints elapsed_ms= like the other workloads.
const started = performance.now();

function makeRecords(count) {
  const records = [];
  for (let i = 0; i < count; i++) records.push({ id: i, user: `user${i % 997}`, path: `/api/items/${i % 113}`, ms: (i * 7) % 250 });
  return records;
}

function serialize(records) {
  return records.map(record => `${record.id} ${record.user} ${record.path} ${record.ms}`).join('\n');
}

function aggregate(text) {
  const byPath = new Map();
  for (const line of text.split('\n')) {
    const [, user, route, ms] = line.split(' ');
    const entry = byPath.get(route) ?? { users: new Set(), total: 0 };
    entry.users.add(user);
    entry.total += Number(ms);
    byPath.set(route, entry);
  }
  return byPath.size;
}

let routes = 0;
for (let round = 0; round < 3; round++) routes += aggregate(serialize(makeRecords(60_000)));
console.log(`routes=${routes} elapsed_ms=${(performance.now() - started).toFixed(1)}`);
