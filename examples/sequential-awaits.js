// Fetching independent items one after another: each await waits for the previous "request"
// (simulated I/O, 20 ms) although none depends on another. Promise.all overlaps the waiting.
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

async function fetchProduct(id) {
  await sleep(20); // simulated network latency
  return { id, price: 10 + (id % 7), tags: Array.from({ length: 200 }, (_, i) => `tag-${(id * i) % 50}`) };
}

function summarize(product) {
  // Some real CPU per item, so the profile shows both waiting (idle) and work.
  const counts = {};
  for (let round = 0; round < 400; round++) for (const tag of product.tags) counts[tag] = (counts[tag] || 0) + 1;
  return Object.keys(counts).length;
}

async function main() {
  const started = Date.now();
  let tagKinds = 0;
  for (let id = 0; id < 40; id++) {
    const product = await fetchProduct(id); // slow: waits for each request before starting the next
    tagKinds += summarize(product);
  }
  console.log(`40 products, ${tagKinds} tag kinds, ${Date.now() - started} ms`);
}
main();
// Fix: const products = await Promise.all(ids.map(fetchProduct));
