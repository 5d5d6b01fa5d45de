// Realistic CPU-bound workload for the overhead bench: generate access-log lines, parse them with a
// regex, aggregate per route and status with Maps, sort, compute percentiles, serialize a JSON
// summary. Uses the usual mix of strings, regexes, closures, array callbacks and objects. ~2 s.
const started = performance.now();
const routes = ['/api/users', '/api/orders', '/api/orders/:id', '/login', '/static/app.js', '/api/search', '/health'];
const methods = ['GET', 'POST', 'PUT', 'DELETE'];

function makeLines(count, seed) {
  const lines = [];
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < count; i++) {
    const route = routes[Math.floor(next() * routes.length)].replace(':id', String(Math.floor(next() * 5000)));
    const status = next() < 0.9 ? 200 : next() < 0.5 ? 404 : 500;
    lines.push(`10.0.${i % 256}.${(i * 7) % 256} - - [23/Nov/2026:10:${String(i % 60).padStart(2, '0')}:00 +0000] "${methods[i % 4]} ${route} HTTP/1.1" ${status} ${Math.floor(next() * 50000)} ${(next() * 300).toFixed(3)}`);
  }
  return lines;
}

const LINE = /^(\S+) \S+ \S+ \[([^\]]+)\] "(\w+) (\S+) [^"]+" (\d{3}) (\d+) ([\d.]+)$/;
function parse(lines) {
  return lines.map(line => {
    const match = LINE.exec(line);
    if (!match) return null;
    return { ip: match[1], method: match[3], path: match[4], status: Number(match[5]), bytes: Number(match[6]), ms: Number(match[7]) };
  }).filter(Boolean);
}

function normalize(path) {
  return path.split('/').map(part => (/^\d+$/.test(part) ? ':id' : part)).join('/');
}

function aggregate(entries) {
  const byRoute = new Map();
  for (const entry of entries) {
    const key = `${entry.method} ${normalize(entry.path)}`;
    let bucket = byRoute.get(key);
    if (!bucket) byRoute.set(key, (bucket = { key, count: 0, bytes: 0, errors: 0, times: [] }));
    bucket.count++;
    bucket.bytes += entry.bytes;
    if (entry.status >= 500) bucket.errors++;
    bucket.times.push(entry.ms);
  }
  return [...byRoute.values()].map(bucket => {
    const times = bucket.times.sort((a, b) => a - b);
    const at = share => times[Math.min(times.length - 1, Math.floor(times.length * share))];
    return { route: bucket.key, count: bucket.count, bytes: bucket.bytes, errorRate: bucket.errors / bucket.count, p50: at(0.5), p99: at(0.99) };
  }).sort((a, b) => b.count - a.count);
}

let summaryLength = 0;
for (let batch = 0; batch < 4; batch++) {
  const entries = parse(makeLines(120000, batch + 1));
  const summary = aggregate(entries);
  summaryLength += JSON.stringify({ batch, summary, sample: entries.slice(0, 2000) }).length;
}
console.log(`elapsed_ms=${(performance.now() - started).toFixed(1)} cpu_ms=${cpuMs()} summary_bytes=${summaryLength}`);

/** CPU time of this whole process so far (all threads): less sensitive than wall time to other load on the machine. */
function cpuMs() {
  const { user, system } = process.cpuUsage();
  return ((user + system) / 1000).toFixed(1);
}
