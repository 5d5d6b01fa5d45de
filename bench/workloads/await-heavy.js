// Await-heavy CPU workload for bench/waits.bench.js: 2 million awaits of already-resolved promises
// across small async functions, with a little arithmetic each. Prints its own elapsed time.
async function step(value) {
  return (value * 31 + 7) % 1000003;
}

async function main() {
  const started = performance.now();
  const ready = Promise.resolve(3);
  let value = 1;
  for (let i = 0; i < 1_000_000; i++) {
    value = await step(value);
    value += await ready;
  }
  console.log(`value=${value} elapsed_ms=${(performance.now() - started).toFixed(1)}`);
}
main();
