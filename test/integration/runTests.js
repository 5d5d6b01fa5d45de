#!/usr/bin/env node
// Runs the extension's integration tests (test/integration/suite) inside a real VS Code.
//
//   node test/integration/runTests.js [--grep <regex>] [--no-build] [--verbose] [--timeout-s 600]
//                                     [--cache <dir>] [--keep-run-dir] [--skip-untrusted]
//   node test/integration/runTests.js --electron     (@vscode/test-electron; needs to download VS Code)
//
// Default host: code-server 4.139.1 driven by headless Chromium (this network cannot download VS Code).
// Everything it needs (apt chromium + build deps, Node 24, code-server, playwright-core) is installed
// once by host/setup.sh into a cache OUTSIDE the repo: $VSCODE_HOST_CACHE or ~/.cache/vscode-host.
//
// Two sessions run: a trusted one (all suites except *.untrusted.test.js) and one with Workspace Trust
// enabled where the folder opens in Restricted Mode (only *.untrusted.test.js). The fixture workspace is
// copied to a temp dir per session so runs never dirty the repo.
// Exit code: 0 all passed; 1 tests failed; 2 usage/setup/build error; 3 timeout or host failure.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const util = require('node:util');

const REPO = path.resolve(__dirname, '..', '..');
const FIXTURE_WORKSPACE = path.join(REPO, 'test', 'fixtures', 'workspace');
const TEST_ENTRY = path.join(REPO, 'out', 'test', 'integration', 'suite', 'index.js');
const TAG = 'integration';

// Workbench log lines that are not test output (shown with --verbose).
const WORKBENCH_NOISE = [
  /^Resolv(ing|ed) connection token/, /^Creating a socket/, /^\[reconnection-grace-time\]/,
  /^Ignoring fetching additional builtin extensions/, /^\[Service Worker\]/, /^\[AgentHost:/,
  /^\[AccountPolicyGate\]/, /^Updating additional builtin extensions cache/,
  /^(Error: )?Canceled(: Canceled)*\s*(\n\s+at .*)*$/, /^Timed out waiting for authentication provider/,
];

function parseCli(argv) {
  const opts = { electron: false, build: true, verbose: false, timeoutS: 600, grep: undefined, cache: undefined,
    keepRunDir: false, untrusted: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => { if (i + 1 >= argv.length) usageError(`${arg} needs a value`); return argv[++i]; };
    if (arg === '--electron') opts.electron = true;
    else if (arg === '--no-build') opts.build = false;
    else if (arg === '--verbose') opts.verbose = true;
    else if (arg === '--keep-run-dir') opts.keepRunDir = true;
    else if (arg === '--skip-untrusted') opts.untrusted = false;
    else if (arg === '--grep') opts.grep = value();
    else if (arg === '--cache') opts.cache = value();
    else if (arg === '--timeout-s') opts.timeoutS = Number(value());
    else if (arg === '-h' || arg === '--help') { console.log(fs.readFileSync(__filename, 'utf8').split('\n').slice(1, 16).join('\n')); process.exit(0); }
    else usageError(`unknown option ${arg}`);
  }
  if (!Number.isFinite(opts.timeoutS) || opts.timeoutS <= 0) usageError('--timeout-s needs a positive number');
  return opts;
}
function usageError(message) {
  console.error(`[${TAG}] ${message} (see --help)`);
  process.exit(2);
}
function log(...args) {
  console.log(`[${TAG} ${new Date().toISOString().slice(11, 19)}]`, ...args);
}

function build() {
  const started = Date.now();
  const result = spawnSync(process.execPath, ['esbuild.js'], { cwd: REPO, stdio: 'inherit' });
  if (result.status !== 0) { console.error(`[${TAG}] build failed`); process.exit(2); }
  log(`build done in ${Date.now() - started} ms`);
}

/** Fresh copy of the fixture workspace (tests write files into it, and the profiler writes .hotspots/). */
function copyWorkspace() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-ws-'));
  const workspace = path.join(dir, 'workspace');
  fs.cpSync(FIXTURE_WORKSPACE, workspace, { recursive: true });
  return workspace;
}

/** Environment the extension host inherits: how the suite knows which tests to run. */
function sessionEnv(opts, trustMode) {
  return {
    HOTSPOTS_TEST_TRUST: trustMode,
    ...(opts.grep ? { HOTSPOTS_TEST_GREP: opts.grep } : {}),
    HOTSPOTS_REPO_ROOT: REPO,
  };
}

/** A real click (tests ask with `[vscode-host:click] <selector>`) on the first element found in any frame: webviews are nested frames. */
async function clickInAnyFrame(page, selector) {
  for (const frame of page.frames()) {
    const element = await frame.$(selector).catch(() => null);
    if (element) {
      await element.click();
      return true;
    }
  }
  return false;
}

async function runElectron(opts) {
  const { runTests } = require('@vscode/test-electron');
  const workspace = copyWorkspace();
  Object.assign(process.env, sessionEnv(opts, 'trusted'));
  try {
    return await runTests({
      extensionDevelopmentPath: REPO,
      extensionTestsPath: TEST_ENTRY,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    });
  } catch (error) {
    console.error(`[${TAG}] ${error && error.message ? error.message : error}`);
    return 1;
  } finally {
    fs.rmSync(path.dirname(workspace), { recursive: true, force: true });
  }
}

/** One code-server + Chromium session; resolves to the exit code. */
async function runCodeServerSession(host, cache, opts, trustMode) {
  const workspaceTrust = trustMode === 'untrusted';
  const playwright = host.loadPlaywright(cache);
  const runDir = host.makeRunDir(opts.keepRunDir, { workspaceTrust });
  const workspace = copyWorkspace();
  let server = null;
  let browser = null;
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return; cleaned = true;
    await host.closeBrowser(browser);
    if (server) await server.stop();
    host.removeRunDir(runDir);
    fs.rmSync(path.dirname(workspace), { recursive: true, force: true });
  };
  host.onSignals(cleanup);

  let exitCode = 3;
  const deadline = Date.now() + opts.timeoutS * 1000;
  try {
    const env = sessionEnv(opts, trustMode);
    Object.assign(process.env, env); // startCodeServer copies process.env into the server (and extension host)
    server = await host.startCodeServer(cache, runDir, { verbose: opts.verbose, workspaceTrust });
    log(`[${trustMode}] code-server up on ${server.url}`);
    browser = await host.launchChromium(playwright, runDir);
    const { page } = browser;
    let resolveExit;
    const exitPromise = new Promise(resolve => { resolveExit = resolve; });
    let testsDone = false;
    const screenshots = [];
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      if (testsDone) return;
      const line = util.format(...(Array.isArray(args) ? args : [args]));
      if (!opts.verbose && WORKBENCH_NOISE.some(re => re.test(line))) return;
      const shot = /^\[vscode-host:screenshot\]\s+(\S.*)$/.exec(line.trim());
      if (shot) {
        const out = path.resolve(REPO, shot[1]);
        fs.mkdirSync(path.dirname(out), { recursive: true });
        screenshots.push(page.screenshot({ path: out }).then(() => log(`screenshot -> ${path.relative(REPO, out)}`),
          error => log(`screenshot ${out} failed: ${error.message}`)));
        return;
      }
      const click = /^\[vscode-host:click\]\s+(\S.*)$/.exec(line.trim());
      if (click) {
        clickInAnyFrame(page, click[1]).then(clicked => log(clicked ? `clicked ${click[1]}` : `click: no frame has ${click[1]}`), error => log(`click ${click[1]} failed: ${error.message}`));
        return;
      }
      (type === 'error' || type === 'warn' ? console.error : console.log)(line);
    });
    // HOTSPOTS_WINDOW_WATCH=<selector>[||<selector>…]: when the window first drew an element matching each
    // selector, by the page's clock (Date.now(), the extension host's clock too), checked at every change of
    // the page's elements; printed as `[vscode-host:seen] <epoch ms> <selector>` per selector when the tests
    // are done. What a user sees, not when an API call resolved in the extension host
    // (bench/first-diagnostics.bench.js).
    const watchSelectors = (process.env.HOTSPOTS_WINDOW_WATCH ?? '').split('||').map(selector => selector.trim()).filter(Boolean);
    if (watchSelectors.length > 0) {
      await page.addInitScript(selectors => {
        window.hotspotsSeenAt = {};
        // On every change of the page's elements (Monaco draws squiggles by replacing a layer's children).
        const observer = new MutationObserver(() => {
          for (const selector of selectors) {
            if (window.hotspotsSeenAt[selector] === undefined && document.querySelector(selector)) window.hotspotsSeenAt[selector] = Date.now();
          }
          if (selectors.every(selector => window.hotspotsSeenAt[selector] !== undefined)) observer.disconnect();
        });
        observer.observe(document, { childList: true, subtree: true });
      }, watchSelectors);
    }
    await page.exposeFunction('codeAutomationExit', async code => {
      testsDone = true;
      if (watchSelectors.length > 0) {
        const seenAt = await page.evaluate(() => window.hotspotsSeenAt).catch(() => undefined);
        for (const selector of watchSelectors) console.log(`[vscode-host:seen] ${seenAt?.[selector] ?? 'never'} ${selector}`);
      }
      resolveExit(typeof code === 'number' ? code : 1);
    });
    const payload = [
      ['extensionDevelopmentPath', host.remoteUri(server.port, REPO)],
      ['extensionTestsPath', host.remoteUri(server.port, TEST_ENTRY)],
    ];
    let timer;
    const timeout = new Promise(resolve => { timer = setTimeout(() => resolve('timeout'), Math.max(1000, deadline - Date.now())); });
    const serverDied = server.exitP.then(died => ({ died }));
    await page.goto(host.workbenchUrl(server.url, workspace, payload), { waitUntil: 'domcontentloaded', timeout: 60_000 });
    const outcome = await Promise.race([exitPromise, timeout, serverDied]);
    clearTimeout(timer);
    await Promise.all(screenshots);
    if (outcome === 'timeout') {
      console.error(`[${TAG}] tests did not finish within ${opts.timeoutS} s (code-server log: ${runDir.serverLog})`);
      exitCode = 3;
    } else if (typeof outcome === 'object') {
      console.error(`[${TAG}] code-server exited unexpectedly (${JSON.stringify(outcome.died)})`);
      exitCode = 3;
    } else {
      exitCode = outcome;
      // The workbench may report 0 when the extension host died on its own: cross-check the server log.
      const until = Date.now() + 1500;
      while (server.extHostExits.length === 0 && Date.now() < until) await new Promise(r => setTimeout(r, 100));
      const crashed = server.extHostExits.find(e => (e.code !== 0 && e.code !== null)
        || (e.signal && !['SIGTERM', 'SIGKILL', 'SIGINT', 'SIGHUP'].includes(e.signal)));
      if (exitCode === 0 && crashed) {
        console.error(`[${TAG}] the extension host exited by itself (code ${crashed.code}, signal ${crashed.signal})`);
        exitCode = crashed.code || 1;
      }
    }
  } catch (error) {
    console.error(`[${TAG}] ${error.message}`);
    exitCode = 3;
  }
  if (exitCode === 3) runDir.keep = true;
  await cleanup();
  if (runDir.keep) log(`run dir kept: ${runDir.root}`);
  return exitCode;
}

async function main() {
  const opts = parseCli(process.argv.slice(2));
  const started = Date.now();
  if (opts.build) build();
  if (!fs.existsSync(TEST_ENTRY)) usageError(`${TEST_ENTRY} missing: run npm run build`);
  if (opts.electron) {
    const code = await runElectron(opts);
    log(`done: exit ${code}`);
    process.exit(code);
  }
  const host = await import('./host/codeServerHost.mjs');
  // setup.sh is idempotent (0.05 s when done): apt packages, Node 24, code-server, playwright-core.
  const cacheDir = path.resolve(opts.cache || process.env.VSCODE_HOST_CACHE || path.join(os.homedir(), '.cache', 'vscode-host'));
  const setup = spawnSync('bash', [path.join(__dirname, 'host', 'setup.sh'), cacheDir], { stdio: ['ignore', opts.verbose ? 'inherit' : 'pipe', 'inherit'] });
  if (setup.status !== 0) { console.error(`[${TAG}] host setup failed (exit ${setup.status})`); process.exit(2); }
  const cache = host.resolveCache(cacheDir, { autoSetup: false });

  let exitCode = await runCodeServerSession(host, cache, opts, 'trusted');
  if (opts.untrusted && exitCode !== 3) {
    const untrustedCode = await runCodeServerSession(host, cache, opts, 'untrusted');
    exitCode = Math.max(exitCode, untrustedCode);
  }
  log(`done: exit ${exitCode} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.exit(exitCode);
}

main().catch(error => { console.error(`[${TAG}] ${error && error.stack || error}`); process.exit(3); });
