// Removing duplicates with indexOf inside a loop: every lookup scans the whole result so far,
// so 20,000 ids cost ~200 million comparisons. A Set makes it linear.
function makeIds(count) {
  const ids = [];
  for (let i = 0; i < count; i++) ids.push(`user-${(i * 7919) % (count * 0.8 | 0)}`);
  return ids;
}

function dedupe(ids) {
  const unique = [];
  for (const id of ids) {
    if (unique.indexOf(id) === -1) unique.push(id); // slow: linear search per item
  }
  return unique;
}

const ids = makeIds(40_000);
const started = Date.now();
const unique = dedupe(ids);
console.log(`${ids.length} ids, ${unique.length} unique, ${Date.now() - started} ms`);
// Fix: const unique = [...new Set(ids)];
