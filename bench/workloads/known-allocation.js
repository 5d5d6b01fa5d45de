// Allocation of a known size for bench/memory.bench.js: makeArrays allocates ARRAYS arrays of 1000
// small integers and drops them. The size of one such array on this V8 is measured first (heap growth
// while 2000 of them are kept alive, after a full GC), so the truth is computed, not assumed.
const v8 = require('node:v8');
v8.setFlagsFromString('--expose-gc');
const gc = require('node:vm').runInNewContext('gc');
const ARRAYS = Number(process.env.ARRAYS) || 20_000;

function measureOneArray() {
  const keep = new Array(2000);
  gc();
  const before = v8.getHeapStatistics().used_heap_size;
  for (let i = 0; i < keep.length; i++) keep[i] = new Array(1000).fill(0);
  gc();
  const after = v8.getHeapStatistics().used_heap_size;
  return Math.round((after - before) / keep.length);
}

function makeArrays(count) {
  let total = 0;
  for (let i = 0; i < count; i++) total += new Array(1000).fill(0).length;
  return total;
}

const bytesPerArray = measureOneArray();
makeArrays(ARRAYS);
console.log(`bytes_per_array=${bytesPerArray} true_bytes=${bytesPerArray * ARRAYS}`);
