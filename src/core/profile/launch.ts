// Starts a program under the Hotspots preload and collects the profiles of its whole process tree.
// Used by `hotspots profile` (stdio 'inherit') and by the VS Code extension (stdio 'pipe', Stop/Cancel).
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { distFile } from '../paths';
import { readCpuProfileFile } from './cpuprofile';
import { buildReport } from './model';
import { isTypeScriptFile, typeScriptModuleFormat } from './transpile';
import type { Report } from './types';

export const MIN_NODE_MAJOR = 18;
export const SCRIPT_EXTENSIONS = ['.js', '.mjs', '.cjs', '.jsx', '.ts', '.mts', '.cts', '.tsx'] as const;
/** Name of the file whose appearance in the run's out dir asks every profiled process to stop. */
export const STOP_REQUEST_FILE = 'stop-requested';

export type ProfileLaunchProblem =
  | 'node-not-found'
  | 'node-too-old'
  | 'script-not-found'
  | 'script-is-directory'
  | 'not-javascript'
  | 'out-dir-not-writable'
  | 'typescript-unavailable';

/** A problem found before anything was started; the message is one line a user can act on. */
export class ProfileLaunchError extends Error {
  constructor(readonly problem: ProfileLaunchProblem, message: string) {
    super(message);
    this.name = 'ProfileLaunchError';
  }
}

export interface ResolvedNode {
  /** Absolute path of the node executable. */
  path: string;
  /** e.g. '20.11.1' */
  version: string;
  major: number;
}

export interface ProfileRunOptions {
  /** Path of the script, absolute or relative to `cwd`. */
  script: string;
  args?: string[];
  /** Node executable; default: `node` on the PATH (what the user gets in a terminal). */
  node?: string;
  cwd?: string;
  /** Added to (and overriding) the current environment. */
  env?: Record<string, string | undefined>;
  /** Directory the profiles are written to (created if missing). Use a fresh directory per run. */
  outDir: string;
  /** Sampling interval in microseconds (default 1000). */
  intervalUs?: number;
  /** Keep TurboFan inlining: less overhead, but inlined callees' time lands on their callers' lines. */
  keepInlining?: boolean;
  /** 'inherit' (terminal) or 'pipe' (output through `onOutput`). Default 'pipe'. */
  stdio?: 'inherit' | 'pipe';
  onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
  /** With stdio 'inherit': the program's stdout goes to our stderr (our stdout carries JSON). */
  stdoutToStderr?: boolean;
  /** Forward this process's SIGINT/SIGTERM/SIGHUP to the program. Default: true with stdio 'inherit'. */
  forwardSignals?: boolean;
  /** How long stop() lets the program write its profiles and exit before killing it (default 5000 ms). */
  stopGraceMs?: number;
}

export interface ProfileRunResult {
  /** Exit code of the program, null when it ended by a signal. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  wallMs: number;
  /** The command as run: node, script, args. */
  command: string[];
  /** .cpuprofile files of every profiled process and worker thread, in the order they were written. */
  profiles: string[];
  outDir: string;
  /** How the run ended on our side: null when the program ended on its own. */
  endedBy: 'stop' | 'cancel' | null;
  warnings: string[];
}

export interface ProfileRun {
  pid: number;
  /** SIGINT to the whole process tree: profiles are written, then the run ends (killed after a grace period). */
  stop(): void;
  /** SIGTERM then SIGKILL: the whole tree is gone within 2 s; profiles written until then are kept. */
  cancel(): void;
  done: Promise<ProfileRunResult>;
}

const versionCache = new Map<string, string>();

/**
 * Finds the node executable a user would get (`nodePath`, else `node` on the PATH of `env`) and checks
 * that it is recent enough. Throws ProfileLaunchError.
 */
export function resolveNode(nodePath?: string, env: NodeJS.ProcessEnv = process.env): ResolvedNode {
  const executable = nodePath ? path.resolve(nodePath) : findOnPath('node', env);
  if (!executable || !isExecutableFile(executable)) {
    throw new ProfileLaunchError('node-not-found', nodePath
      ? `node executable not found: ${nodePath}`
      : 'node not found on the PATH (install Node.js >= 18 or pass the node executable to use)');
  }
  let version = versionCache.get(executable);
  if (!version) {
    try {
      // Without NODE_OPTIONS: a broken --require in the user's environment is not our version check's problem.
      const { NODE_OPTIONS: _ignored, ...cleanEnv } = env;
      version = execFileSync(executable, ['--version'], { env: cleanEnv, encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim().replace(/^v/, '');
    } catch (error) {
      throw new ProfileLaunchError('node-not-found', `cannot run ${executable} --version: ${(error as Error).message.split('\n')[0]}`);
    }
    versionCache.set(executable, version);
  }
  const major = Number(version.split('.')[0]);
  if (!Number.isInteger(major) || major < MIN_NODE_MAJOR) {
    throw new ProfileLaunchError('node-too-old', `${executable} is Node.js ${version}; profiling needs Node.js >= ${MIN_NODE_MAJOR}`);
  }
  return { path: executable, version, major };
}

function findOnPath(name: string, env: NodeJS.ProcessEnv): string | null {
  const isWindows = process.platform === 'win32';
  const searchPath = env.PATH ?? env.Path ?? '';
  const extensions = isWindows ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    for (const extension of extensions) {
      const candidate = path.join(dir, name + extension.toLowerCase());
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return null;
}

function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Checks the script path; returns its absolute path. Throws ProfileLaunchError. */
export function checkScript(script: string, cwd: string = process.cwd()): string {
  const absolute = path.resolve(cwd, script);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(absolute);
  } catch {
    throw new ProfileLaunchError('script-not-found', `script not found: ${script}`);
  }
  if (stat.isDirectory()) throw new ProfileLaunchError('script-is-directory', `${script} is a directory, not a script`);
  if (!SCRIPT_EXTENSIONS.some(extension => absolute.endsWith(extension))) {
    throw new ProfileLaunchError('not-javascript', `${script} is not a JavaScript or TypeScript file (expected ${SCRIPT_EXTENSIONS.join(' ')})`);
  }
  return absolute;
}

/** ES module TypeScript needs loader hooks registered from the preload: module.register, Node >= 20.6. */
function checkNodeRunsScript(node: ResolvedNode, script: string): void {
  if (!isTypeScriptFile(script) || typeScriptModuleFormat(script) !== 'module') return;
  const [major, minor] = node.version.split('.').map(Number);
  if (major > 20 || (major === 20 && minor >= 6)) return;
  throw new ProfileLaunchError('node-too-old', `${path.basename(script)} is an ES module in TypeScript: profiling it needs Node.js >= 20.6 (${node.path} is ${node.version}); use a newer node (--node) or profile the compiled JavaScript`);
}

function prepareOutDir(outDir: string): void {
  try {
    fs.mkdirSync(outDir, { recursive: true });
    fs.accessSync(outDir, fs.constants.W_OK);
  } catch (error) {
    throw new ProfileLaunchError('out-dir-not-writable', `cannot write profiles to ${outDir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** Quotes a path for NODE_OPTIONS, which splits on spaces and understands "..." with backslash escapes. */
function quoteNodeOption(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function resolveEsbuild(): string | undefined {
  try {
    return require.resolve('esbuild');
  } catch {
    return undefined;
  }
}

/**
 * Starts `node <script> <args>` with the profiler preload (pre-flight checks throw ProfileLaunchError
 * before anything is spawned). The program runs in its own process group so stop()/cancel() reach
 * its children too.
 */
export function startProfileRun(options: ProfileRunOptions): ProfileRun {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const baseEnv: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  const node = resolveNode(options.node, baseEnv);
  const script = checkScript(options.script, cwd);
  checkNodeRunsScript(node, script);
  const outDir = path.resolve(cwd, options.outDir);
  prepareOutDir(outDir);
  const preload = distFile('preload.js');
  if (!fs.existsSync(preload)) throw new Error(`Hotspots is not built: ${preload} is missing (run npm run build)`);

  const esbuild = resolveEsbuild();
  if (!esbuild && isTypeScriptFile(script)) {
    throw new ProfileLaunchError('typescript-unavailable', `cannot run ${path.basename(script)}: TypeScript support needs esbuild, which is not installed with Hotspots`);
  }
  const env: NodeJS.ProcessEnv = {
    ...baseEnv,
    NODE_OPTIONS: [baseEnv.NODE_OPTIONS, `--require ${quoteNodeOption(preload)}`].filter(Boolean).join(' '),
    HOTSPOTS_OUT_DIR: outDir,
    HOTSPOTS_INTERVAL_US: String(options.intervalUs ?? 1000),
    HOTSPOTS_KEEP_INLINING: options.keepInlining ? '1' : '0',
    HOTSPOTS_LAUNCHER_PID: String(process.pid),
    HOTSPOTS_ESBUILD: esbuild ?? '',
  };
  const args = options.args ?? [];
  const command = [node.path, script, ...args];
  const stdio = options.stdio ?? 'pipe';
  // Own process group, so one signal reaches the program and all its children. Not when the program
  // shares our terminal: a background group reading the TTY would be stopped (SIGTTIN); there the
  // terminal's Ctrl+C already reaches the whole foreground group.
  const ownGroup = process.platform !== 'win32' && !(stdio === 'inherit' && process.stdin.isTTY);
  const started = performance.now();
  const child: ChildProcess = spawn(node.path, [script, ...args], {
    cwd,
    env,
    stdio: stdio === 'pipe' ? ['ignore', 'pipe', 'pipe'] : options.stdoutToStderr ? ['inherit', 2, 'inherit'] : 'inherit',
    detached: ownGroup,
  });
  if (stdio === 'pipe') {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => options.onOutput?.(chunk, 'stdout'));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => options.onOutput?.(chunk, 'stderr'));
  }

  let endedBy: ProfileRunResult['endedBy'] = null;
  let exited = false;
  const timers: NodeJS.Timeout[] = [];
  const signalTree = (signal: NodeJS.Signals): void => {
    if (child.pid === undefined) return;
    try {
      if (ownGroup) process.kill(-child.pid, signal);
      else if (!exited) child.kill(signal);
    } catch { /* already gone */ }
  };
  const requestStop = (): void => {
    // Busy processes cannot run a signal handler until their loop yields: the preload's watchdog
    // notices this file and makes them write their profile right away.
    try { fs.writeFileSync(path.join(outDir, STOP_REQUEST_FILE), ''); } catch { /* signals still apply */ }
  };
  const stop = (): void => {
    if (endedBy) return;
    endedBy = 'stop';
    requestStop();
    signalTree('SIGINT');
    timers.push(setTimeout(() => signalTree('SIGKILL'), options.stopGraceMs ?? 5000).unref());
  };
  const cancel = (): void => {
    if (endedBy === 'cancel') return;
    endedBy = 'cancel';
    signalTree('SIGTERM');
    timers.push(setTimeout(() => signalTree('SIGKILL'), 1500).unref());
  };

  const forwardSignals = options.forwardSignals ?? stdio === 'inherit';
  const forwarded: [NodeJS.Signals, () => void][] = [];
  if (forwardSignals) {
    let interrupts = 0;
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as NodeJS.Signals[]) {
      const forward = (): void => {
        // A second Ctrl+C means "now": do not wait for a program that ignores the first.
        if (signal === 'SIGINT' && ++interrupts > 1) return signalTree('SIGKILL');
        if (signal === 'SIGINT') requestStop();
        // In our own terminal group the program got Ctrl+C itself: sending it again would make a
        // program that handles SIGINT see two.
        if (ownGroup || signal !== 'SIGINT') signalTree(signal);
      };
      process.on(signal, forward);
      forwarded.push([signal, forward]);
    }
  }

  const done = new Promise<ProfileRunResult>((resolve, reject) => {
    child.once('error', error => {
      for (const timer of timers) clearTimeout(timer);
      for (const [signal, forward] of forwarded) process.removeListener(signal, forward);
      reject(new ProfileLaunchError('node-not-found', `cannot start ${node.path}: ${error.message}`));
    });
    // 'close' (all output read) can wait forever when a leftover grandchild holds the pipes open, so
    // the end of the run is the main process's 'exit'; output is awaited after the group is gone.
    const outputClosed = new Promise<void>(resolveClosed => child.once('close', () => resolveClosed()));
    child.once('exit', (exitCode, signal) => {
      exited = true;
      const wallMs = performance.now() - started;
      void (async () => {
        // Children and workers may still be writing after the main process exited (they outlive it when
        // detached or orphaned): give them a moment, then kill whatever of the group is left.
        if (ownGroup) await waitForGroupToEnd(child.pid!, endedBy === 'cancel' ? 500 : 2000);
        await Promise.race([outputClosed, new Promise(resolveLater => setTimeout(resolveLater, 2000).unref())]);
        for (const timer of timers) clearTimeout(timer);
        for (const [sig, forward] of forwarded) process.removeListener(sig, forward);
        resolve(collectResult({ exitCode, signal, wallMs, command, outDir, endedBy }, child.pid!));
      })().catch(reject);
    });
  });
  return { pid: child.pid ?? -1, stop, cancel, done };
}

/** Waits until no process of the group is left, killing it after `timeoutMs`. */
async function waitForGroupToEnd(groupId: number, timeoutMs: number): Promise<void> {
  const alive = (): boolean => {
    try { process.kill(-groupId, 0); return true; } catch { return false; }
  };
  const deadline = performance.now() + timeoutMs;
  while (alive() && performance.now() < deadline) await new Promise(resolve => setTimeout(resolve, 20));
  if (alive()) {
    try { process.kill(-groupId, 'SIGKILL'); } catch { /* gone meanwhile */ }
  }
}

function collectResult(run: Omit<ProfileRunResult, 'profiles' | 'warnings'>, mainPid: number): ProfileRunResult {
  const warnings: string[] = [];
  const profiles = fs.readdirSync(run.outDir)
    .filter(name => name.endsWith('.cpuprofile'))
    .map(name => path.join(run.outDir, name))
    .sort((a, b) => fs.statSync(a).mtimeMs - fs.statSync(b).mtimeMs);
  const leftovers = fs.readdirSync(run.outDir).filter(name => name.endsWith('.partial'));
  for (const leftover of leftovers) {
    warnings.push(`a process was killed while writing its profile (${leftover}); its samples are lost`);
    fs.rmSync(path.join(run.outDir, leftover), { force: true });
  }
  for (const marker of fs.readdirSync(run.outDir).filter(name => name.endsWith('.running'))) {
    const markerPath = path.join(run.outDir, marker);
    try {
      const { pid, kind, argv } = JSON.parse(fs.readFileSync(markerPath, 'utf8')) as { pid: number; kind: string; argv: string[] };
      if (!(pid === mainPid && profiles.length === 0)) {
        warnings.push(`${kind === 'worker' ? 'a worker thread' : 'process'} ${pid} (${argv.slice(1).join(' ')}) ended without writing its profile (killed, or a worker terminated by its process); its samples are missing`);
      }
    } catch { /* unreadable marker: nothing useful to say */ }
    fs.rmSync(markerPath, { force: true });
  }
  fs.rmSync(path.join(run.outDir, STOP_REQUEST_FILE), { force: true });
  if (profiles.length === 0) {
    warnings.push(run.signal === 'SIGKILL' || run.endedBy
      ? `the program was killed (${run.signal ?? `exit code ${run.exitCode}`}) before it could write a profile`
      : 'no profile was written: the program did not run with the Hotspots preload (did it replace NODE_OPTIONS?)');
  } else if (!profiles.some(file => path.basename(file) === `${mainPid}-0.cpuprofile`)) {
    warnings.push('the main process wrote no profile (killed?): only its children and workers are in the report');
  }
  return { ...run, profiles, warnings };
}

/** Runs the program to the end and builds its report from every profile the run wrote. */
export async function profileScript(options: ProfileRunOptions): Promise<{ report: Report; result: ProfileRunResult }> {
  const result = await startProfileRun(options).done;
  return { report: await buildRunReport(result), result };
}

/**
 * The Report of a finished run (for callers that keep the ProfileRun to stop or cancel it). Unreadable
 * profiles (a process killed mid-write) become warnings, never errors.
 */
export async function buildRunReport(result: ProfileRunResult): Promise<Report> {
  const inputs = [];
  const warnings = [...result.warnings];
  for (const file of result.profiles) {
    try {
      inputs.push({ path: file, profile: await readCpuProfileFile(file) });
    } catch (error) {
      warnings.push(`skipped an unreadable profile: ${(error as Error).message}`);
    }
  }
  return buildReport(inputs, {
    command: result.command,
    exitCode: result.exitCode,
    signal: result.signal,
    wallMs: result.wallMs,
    warnings,
  });
}
