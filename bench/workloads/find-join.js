// Array.find with a small callback inside a loop (the examples/join-find.ts pattern): TurboFan inlines
// both the builtin and the callback into the loop, which the exact-lines mode gives up.
const started = performance.now();
const users = Array.from({ length: 8000 }, (_, i) => ({ id: i, name: `user ${i}` }));
const orders = Array.from({ length: 40000 }, (_, i) => ({ id: i, userId: (i * 7919) % 8000 }));
function join() {
  let found = 0;
  for (const order of orders) if (users.find(candidate => candidate.id === order.userId)) found++;
  return found;
}
const found = join();
console.log(`elapsed_ms=${(performance.now() - started).toFixed(1)} found=${found}`);
