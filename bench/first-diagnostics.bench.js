#!/usr/bin/env node
// First diagnostics in a fresh window: the time from opening the first JS (or TS) file of a new VS Code
// window to its lint findings, two ways: when the window first draws the finding's warning squiggle (timed in
// the page by the runner, test/integration/runTests.js, HOTSPOTS_WINDOW_WATCH), and when the extension host saw
// the findings with showTextDocument resolved (the host thread is shared with every extension that activates
// on the file, so this can be later than what the user sees). Each round starts a new code-server +
// Chromium (test/integration/runTests.js) and runs one case of test/integration/suite/firstDiagnostics.test.ts;
// JavaScript and TypeScript rounds alternate. Prints medians (target: 2 s on 2 cores).
// The window is prepared by nothing but its own startup: the test opens the file as soon as the test
// runner starts in the extension host (`hostUptimeMs` after the host process started). The extension
// activates on onStartupFinished too, so it is usually active by then (`activeBeforeOpen`), and the
// off-thread TypeScript linter may already have its parser (`worker: ready`); both are printed per round.
// `--open-after <ms>`: open the file only when the extension host has been running that long (a user who
// lets the new window finish starting before opening a file); by default it opens as early as it can.
// `--control`: also rounds of the control case, a file of the same shape without a Hotspots finding, on which
// the test itself set a warning before it opened the file: what the window takes to draw a squiggle it
// already has, the host's floor, measured side by side with ours. Every round also times the editor's first
// line of text drawn.
//   flock /tmp/hotspots-bench.lock flock /tmp/hotspots-integration.lock node bench/first-diagnostics.bench.js [--rounds 3] [--open-after 10000] [--control]
// Needs a build (npm run build) and the integration host (the first integration run installs it).
'use strict';
const { spawnSync } = require('node:child_process');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const roundsIndex = process.argv.indexOf('--rounds');
const rounds = roundsIndex > 0 ? Number(process.argv[roundsIndex + 1]) : 3;
const openAfterIndex = process.argv.indexOf('--open-after');
const openAfterMs = openAfterIndex > 0 ? Number(process.argv[openAfterIndex + 1]) : 0;
const withControl = process.argv.includes('--control');
const MARK = '[hotspots:first-diagnostics] ';
const SQUIGGLE = '.monaco-editor .squiggly-warning';
const TEXT = '.monaco-editor .view-line';
const GREP = { JavaScript: 'first JavaScript file opened', TypeScript: 'first TypeScript file opened', control: 'set before the first file opened' };

function oneRound(language) {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'test/integration/runTests.js'), '--no-build', '--skip-untrusted',
    '--grep', GREP[language]], {
    cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, HOTSPOTS_FIRST_DIAGNOSTICS_OPEN_AFTER_MS: String(openAfterMs), HOTSPOTS_WINDOW_WATCH: `${SQUIGGLE}||${TEXT}` },
  });
  const line = run.stdout.split('\n').find(text => text.includes(MARK));
  if (run.status !== 0 || !line) {
    process.stderr.write(`${language} round failed (exit ${run.status}):\n${run.stdout.slice(-3000)}${run.stderr.slice(-2000)}\n`);
    process.exit(1);
  }
  const result = JSON.parse(line.slice(line.indexOf(MARK) + MARK.length));
  // The runner's `[vscode-host:seen] <epoch ms> <selector>`: when the page first drew the warning squiggle, the text.
  const seenMs = selector => {
    const seen = run.stdout.split('\n').find(text => text.includes('[vscode-host:seen] ') && text.trim().endsWith(selector));
    const at = seen && /\[vscode-host:seen\] (\d+) /.exec(seen);
    return at ? Number(at[1]) - result.openedAt : undefined;
  };
  result.squiggleMs = seenMs(SQUIGGLE);
  result.textMs = seenMs(TEXT);
  if (!result.fresh) throw new Error('a JS/TS document was linted before the first file opened: not a fresh window');
  return result;
}

const median = values => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const results = withControl ? { JavaScript: [], TypeScript: [], control: [] } : { JavaScript: [], TypeScript: [] };
console.log(openAfterMs > 0 ? `the file opens when the extension host has run ${openAfterMs} ms` : 'the file opens as soon as the test starts in the extension host');
console.log(`load average ${os.loadavg().map(load => load.toFixed(1)).join(' ')} on ${os.availableParallelism()} cores (the machine is shared)`);
for (let round = 0; round < rounds; round++) {
  for (const language of Object.keys(results)) {
    const result = oneRound(language);
    results[language].push(result);
    const drawn = `  round ${round + 1} ${language.padEnd(10)} squiggle drawn after ${String(result.squiggleMs ?? '?').padStart(5)} ms, text after ${String(result.textMs ?? '?').padStart(5)} ms`;
    if (language === 'control') console.log(`${drawn}, the test's warning set before the open, editor shown after ${result.shownMs} ms (opened ${result.hostUptimeMs} ms after the host started)   load ${os.loadavg()[0].toFixed(1)}`);
    else console.log(`${drawn}, findings after ${String(result.diagnosticsMs).padStart(6)} ms (set by the extension after ${result.publishedMs} ms; opened ${result.hostUptimeMs} ms after the host started; extension ${result.activeBeforeOpen ? 'already active' : `active after ${result.activatedMs} ms`}, TS worker ${result.worker}${result.withoutTypes ? `; first lint with types blanked out, the worker's full findings after ${result.fullMs} ms` : ''}; editor shown after ${result.shownMs} ms, activate() ${result.activationMs} ms, TypeScript parser loaded: ${result.typescriptParserLoaded})   load ${os.loadavg()[0].toFixed(1)}`);
  }
}
console.log(`\nfirst diagnostics in a fresh window, median of ${rounds} (target ≤ 2000 ms):`);
for (const [language, list] of Object.entries(results)) {
  const squiggles = list.map(result => result.squiggleMs ?? NaN);
  const texts = list.map(result => result.textMs ?? NaN);
  console.log(`  ${language.padEnd(10)} squiggle drawn in the window ${String(median(squiggles)).padStart(6)} ms (all: ${squiggles.join(', ')} ms); `
    + `text drawn ${String(median(texts)).padStart(6)} ms (all: ${texts.join(', ')} ms); `
    + `findings seen by the extension host with the editor shown ${String(median(list.map(result => result.diagnosticsMs))).padStart(6)} ms (all: ${list.map(result => result.diagnosticsMs).join(', ')} ms)`);
}
console.log(JSON.stringify(Object.fromEntries(Object.entries(results).map(([language, list]) => [language, { squiggleMs: median(list.map(result => result.squiggleMs ?? NaN)), textMs: median(list.map(result => result.textMs ?? NaN)), diagnosticsMs: median(list.map(result => result.diagnosticsMs)) }]))));
