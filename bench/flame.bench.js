#!/usr/bin/env node
// Flame graph at scale: a ~100 MB .cpuprofile (3 million samples, stacks ~50 deep) through the path the
// panel and the HTML report take, and speedscope loading the result in headless Chromium.
//   (a) read the profile (H1's reader)                         reported
//   (b) convert to speedscope's format with merged stacks      target < 2 s; output target < 10 MB
//   (c) speedscope in Chromium: page start → flame graph drawn target < 5 s ("opens in seconds")
// The profile is generated once into bench/.data/ (gitignored) with a fixed seed.
//   node esbuild.js && node bench/flame.bench.js [--samples 3000000] [--no-browser]
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const ROOT = path.join(__dirname, '..');
const OUT = path.join(ROOT, 'out', 'src', 'core');
const DATA = path.join(__dirname, '.data');
const CHROMIUM = process.env.HOTSPOTS_CHROMIUM || '/usr/bin/chromium';

const args = process.argv.slice(2);
const SAMPLES = Number(args[args.indexOf('--samples') + 1]) || 3_000_000;
const WITH_BROWSER = !args.includes('--no-browser');
const LEAVES = 12_500;

/** Deterministic pseudo-random numbers (mulberry32), so every run benchmarks the same profile. */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A call tree shaped like a real server run: LEAVES leaf stacks, each branching off an earlier one at a
 * random depth and going on to depth 40..60, over 400 functions in 40 files (~250,000 nodes: with the
 * 3 million samples that is the ~100 MB of a long real run). Written as a stream: the JSON is large.
 */
function generateProfile(file) {
  const next = random(42);
  const nodes = [{ id: 1, callFrame: { functionName: '(root)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 }, children: [] }];
  const leaves = [];
  const fn = index => ({ functionName: `fn${index}`, scriptId: String(1 + (index % 40)), url: `file:///srv/app/src/module${index % 40}.js`, lineNumber: 10 + (index % 97) * 7, columnNumber: 4 + (index % 13) });
  for (let leaf = 0; leaf < LEAVES; leaf++) {
    let parent = nodes[0];
    let depth = 0;
    if (leaves.length > 0) {
      // Walk down an earlier leaf's stack to a random depth, then branch.
      const path = leaves[Math.floor(next() * leaves.length)];
      const branchAt = Math.floor(next() * path.length);
      parent = path[branchAt];
      depth = branchAt + 1;
    }
    const stack = leaves.length > 0 ? leaves[leaves.length - 1].slice(0, depth) : [];
    const targetDepth = 40 + Math.floor(next() * 21);
    while (depth < targetDepth) {
      const node = { id: nodes.length + 1, callFrame: fn(Math.floor(next() * 400)), children: [], positionTicks: [] };
      nodes.push(node);
      parent.children.push(node.id);
      stack.push(node);
      parent = node;
      depth++;
    }
    leaves.push(stack);
  }
  const leafIds = leaves.map(stack => stack[stack.length - 1].id);
  const out = fs.openSync(file, 'w');
  const write = text => fs.writeSync(out, text);
  write('{"nodes":[');
  nodes.forEach((node, i) => {
    if (node.positionTicks) node.positionTicks = [{ line: node.callFrame.lineNumber + 2, ticks: 1 + Math.floor(next() * 50) }];
    write((i ? ',' : '') + JSON.stringify(node));
  });
  write(`],"startTime":1000000,"endTime":${1000000 + SAMPLES * 1000},"samples":[`);
  const chunk = [];
  const flush = last => {
    write(chunk.join(',') + (last ? '' : ','));
    chunk.length = 0;
  };
  for (let i = 0; i < SAMPLES; i++) {
    // Most time in a few hot stacks, like real programs; any node can be sampled.
    const id = next() < 0.7 ? leafIds[Math.floor(next() * next() * leafIds.length)] : 2 + Math.floor(next() * (nodes.length - 1));
    chunk.push(id);
    if (chunk.length === 100_000) flush(i === SAMPLES - 1);
  }
  if (chunk.length) flush(true);
  write('],"timeDeltas":[');
  for (let i = 0; i < SAMPLES; i++) {
    chunk.push(i === 0 ? 50 : 900 + Math.floor(next() * 250));
    if (chunk.length === 100_000) flush(i === SAMPLES - 1);
  }
  if (chunk.length) flush(true);
  write('],"$hotspots":{"pid":4242,"ppid":1,"threadId":0,"kind":"main","argv":["node","server.js"],"sampleIntervalUs":1000,"inliningDisabled":true}}');
  fs.closeSync(out);
  return nodes.length;
}

function mb(bytes) {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

async function main() {
  const { readCpuProfileFile } = require(path.join(OUT, 'profile', 'cpuprofile.js'));
  const { buildReport } = require(path.join(OUT, 'profile', 'model.js'));
  const { createLocationResolver } = require(path.join(OUT, 'profile', 'sourceMaps.js'));
  const { mapperFromResolver, toSpeedscope } = require(path.join(OUT, 'flame', 'speedscope.js'));
  const { renderHtmlReport } = require(path.join(OUT, 'flame', 'htmlReport.js'));

  fs.mkdirSync(DATA, { recursive: true });
  const profilePath = path.join(DATA, `flame-${SAMPLES}-${LEAVES}.cpuprofile`);
  if (!fs.existsSync(profilePath)) {
    const started = performance.now();
    const nodeCount = generateProfile(profilePath);
    console.log(`generated ${path.relative(ROOT, profilePath)}: ${nodeCount} nodes in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  console.log(`profile: ${mb(fs.statSync(profilePath).size)}, ${SAMPLES.toLocaleString('en')} samples`);

  let started = performance.now();
  const profile = await readCpuProfileFile(profilePath);
  const readMs = performance.now() - started;
  console.log(`(a) read + validate:               ${readMs.toFixed(0)} ms  (nodes: ${profile.nodes.length})`);

  started = performance.now();
  const mapLocation = mapperFromResolver(createLocationResolver([profile.$hotspots]));
  const file = toSpeedscope([{ name: 'main 4242: node server.js', profile }], { name: 'bench', mapLocation });
  const convertMs = performance.now() - started;
  started = performance.now();
  const json = JSON.stringify(file);
  const base64 = Buffer.from(json).toString('base64');
  const encodeMs = performance.now() - started;
  console.log(`(b) convert (merged stacks):       ${convertMs.toFixed(0)} ms  → ${file.profiles[0].events.length.toLocaleString('en')} open/close events, ${file.shared.frames.length} frames`);
  console.log(`    JSON + base64:                 ${encodeMs.toFixed(0)} ms  → ${mb(json.length)} JSON, ${mb(base64.length)} base64 (${((json.length / fs.statSync(profilePath).size) * 100).toFixed(1)}% of the profile)`);
  console.log(`    targets: convert < 2000 ms ${convertMs < 2000 ? 'OK' : 'MISSED'}, output < 10 MB ${json.length < 10e6 ? 'OK' : 'MISSED'}`);

  if (!WITH_BROWSER) return;
  if (!fs.existsSync(CHROMIUM)) {
    console.log(`(c) skipped: no Chromium at ${CHROMIUM}`);
    return;
  }
  started = performance.now();
  const report = buildReport([{ path: profilePath, profile }], { command: ['node', 'server.js'], exitCode: 0, signal: null, wallMs: SAMPLES });
  const reportMs = performance.now() - started;
  started = performance.now();
  const html = renderHtmlReport(report, file, { readSource: () => undefined });
  const htmlMs = performance.now() - started;
  const htmlPath = path.join(DATA, 'flame-bench-report.html');
  fs.writeFileSync(htmlPath, html);
  console.log(`    report model ${reportMs.toFixed(0)} ms, HTML report render ${htmlMs.toFixed(0)} ms → ${mb(html.length)}`);

  const { chromium } = require('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors = [];
    page.on('pageerror', error => errors.push(error.message));
    page.on('console', message => message.type() === 'error' && errors.push(message.text()));
    let importMs;
    page.on('console', message => {
      const match = /^import: ([\d.]+) ?ms/.exec(message.text());
      if (match) importMs = Number(match[1]);
    });
    started = performance.now();
    await page.goto(`file://${htmlPath}`);
    const frameElement = await page.waitForSelector('#hotspots-flame-frame');
    const frame = await frameElement.contentFrame();
    await frame.waitForFunction(() => document.body.innerText.includes('main 4242') && document.querySelector('#hotspots-companion a[data-file]'), null, { timeout: 120_000 });
    // speedscope draws on a WebGL canvas: "drawn" is when a screenshot of the frame stops being blank
    // (a blank frame compresses to a few KB, a drawn flame graph to hundreds).
    let shot;
    do shot = await frameElement.screenshot();
    while (shot.length < 30_000 && performance.now() - started < 120_000);
    const loadMs = performance.now() - started;
    const memory = await frame.evaluate(() => (performance.memory ? performance.memory.usedJSHeapSize : 0));
    console.log(`(c) Chromium: page start → flame graph drawn: ${loadMs.toFixed(0)} ms (target < 5000 ms ${loadMs < 5000 ? 'OK' : 'MISSED'}); speedscope's own import ${importMs ?? '?'} ms; flame frame JS heap ${mb(memory)}`);
    if (process.env.HOTSPOTS_SCREENSHOTS) fs.writeFileSync(path.join(process.env.HOTSPOTS_SCREENSHOTS, 'flame-100mb.png'), shot);
    if (errors.length) console.log(`    page errors: ${errors.join(' | ')}`);
  } finally {
    await browser.close();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
