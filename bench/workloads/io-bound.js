// I/O-bound workload for bench/waits.bench.js: a client awaiting a local HTTP server (8 ms per answer)
// and file reads, one after another, ~1 s. Prints its own elapsed time.
const fs = require('node:fs/promises');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

async function handle(request, response) {
  await sleep(8);
  response.end(JSON.stringify({ path: request.url, at: Date.now() }));
}

async function main() {
  const started = performance.now();
  const server = http.createServer((request, response) => { handle(request, response); });
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const scratch = path.join(os.tmpdir(), `hotspots-io-bench-${process.pid}.json`);
  let bytes = 0;
  for (let i = 0; i < 100; i++) {
    const response = await fetch(`http://127.0.0.1:${port}/item/${i}`);
    const body = await response.text();
    await fs.writeFile(scratch, body);
    bytes += (await fs.readFile(scratch, 'utf8')).length;
  }
  await fs.rm(scratch, { force: true });
  server.close();
  console.log(`bytes=${bytes} elapsed_ms=${(performance.now() - started).toFixed(1)}`);
}
main();
