// Starts a program (a script, or any command such as `npm test`) under the Hotspots preload and collects
// the profiles of its whole process tree.
// Used by `hotspots profile` (stdio 'inherit') and by the VS Code extension (stdio 'pipe', Stop/Cancel).
// Nothing here builds a report (runReport.ts does): the CLI starts the program with only this loaded and
// loads the report model while the program runs.
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { distFile } from '../paths';
import { heapProfilesIn, memoryEnvironment, MemoryRunOption } from './memory/runEnvironment';
import { DEFAULT_RUN_INTERVAL_US, MAIN_PROCESS_FILE, PROFILE_FILE_EXTENSION, profileFileName, RUN_ENV, STOP_REQUEST_FILE } from './runProtocol';
import { isTypeScriptFile, typeScriptModuleFormat } from './transpile';

export const MIN_NODE_MAJOR = 18;

/**
 * node:child_process, loaded on first use: `hotspots profile` running the script in its own process
 * spawns nothing without a terminal, and loading the module (with net, dgram and streams) costs ~8 ms
 * of the fixed cost of every run (bench/fixed-cost.bench.js).
 */
export function childProcess(): typeof import('node:child_process') {
  return require('node:child_process') as typeof import('node:child_process');
}

export const SCRIPT_EXTENSIONS = ['.js', '.mjs', '.cjs', '.jsx', '.ts', '.mts', '.cts', '.tsx'] as const;
export { MAIN_PROCESS_FILE, STOP_REQUEST_FILE } from './runProtocol';

export type ProfileLaunchProblem =
  | 'node-not-found'
  | 'node-too-old'
  | 'script-not-found'
  | 'command-not-found'
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

/** A command to profile instead of a script, e.g. `{ file: 'npm', args: ['run', 'bench'] }`. */
export interface ProfileCommand {
  /**
   * The program: a name looked up on the PATH of the run's environment (`npm`, `npx`, `node`, `mocha`),
   * or a path (absolute or relative to `cwd`). Run without a shell (except .cmd/.bat files on Windows).
   */
  file: string;
  args?: string[];
}

/** Give exactly one of `script` (run with node) and `command` (any program; every Node.js process it starts is profiled). */
export interface ProfileRunOptions {
  /** Path of the script, absolute or relative to `cwd`. */
  script?: string;
  /** Arguments of the script (with `command`, put them in `command.args`). */
  args?: string[];
  /**
   * Instead of `script`: run this command and profile every Node.js process it starts (the first one is
   * the report's 'main' process), except the package managers themselves (npm, npx, yarn, pnpm,
   * corepack) unless `includePackageManagers`.
   */
  command?: ProfileCommand;
  /** With `command`: profile npm/npx/yarn/pnpm/corepack processes too (default false). */
  includePackageManagers?: boolean;
  /**
   * Node executable; default: `node` on the PATH (what the user gets in a terminal). With `command`,
   * its directory is put first on the command's PATH, so `node` and `#!/usr/bin/env node` find it.
   */
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
  /** Measure waiting per await line by instrumenting the user's awaits (default true). */
  waits?: boolean;
  /** 'inherit' (terminal) or 'pipe' (output through `onOutput`). Default 'pipe'. */
  stdio?: 'inherit' | 'pipe';
  onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
  /** With stdio 'inherit': the program's stdout goes to our stderr (our stdout carries JSON). */
  stdoutToStderr?: boolean;
  /** Forward this process's SIGINT/SIGTERM/SIGHUP to the program. Default: true with stdio 'inherit'. */
  forwardSignals?: boolean;
  /** How long stop() lets the program write its profiles and exit before killing it (default 5000 ms). */
  stopGraceMs?: number;
  /** Also sample the heap (`profile --memory`): the report gets `memory` and `allocations`. */
  memory?: MemoryRunOption;
}

export interface ProfileRunResult {
  /** Exit code of the program, null when it ended by a signal. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  wallMs: number;
  /** The command as run: node, script, args; with `command`: its file as given, then its args. */
  command: string[];
  /** Absolute working directory of the run. */
  cwd: string;
  /** Absolute path of the script; null when a command was profiled. */
  script: string | null;
  /** The script's arguments, or the command's. */
  args: string[];
  /** .cpuprofile files of every profiled process and worker thread, in the order they were written. */
  profiles: string[];
  /** .heapprofile files (with `memory`), one per profiled thread. */
  heapProfiles?: string[];
  /** Whether the run sampled the heap. */
  memory?: boolean;
  outDir: string;
  /** How the run ended on our side: null when the program ended on its own. */
  endedBy: 'stop' | 'cancel' | null;
  warnings: string[];
}

export interface ProfileRun {
  pid: number;
  /** SIGINT to the whole process tree: profiles are written, then the run ends (killed after a grace period). */
  stop(): void;
  /**
   * Ends the run now: busy processes are interrupted to write what they sampled so far (like stop()),
   * then SIGTERM, and SIGKILL at 1.5 s: the whole tree is gone within 2 s.
   */
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
  let version = versionCache.get(executable) ?? versionOfThisProcess(executable);
  if (!version) {
    try {
      // Without NODE_OPTIONS: a broken --require in the user's environment is not our version check's problem.
      const { NODE_OPTIONS: _ignored, ...cleanEnv } = env;
      version = childProcess().execFileSync(executable, ['--version'], { env: cleanEnv, encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim().replace(/^v/, '');
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

/**
 * The version of `executable` when it is the very node running Hotspots: known without starting it
 * (`node --version` costs a process start, ~50-100 ms, on every profile run).
 */
function versionOfThisProcess(executable: string): string | undefined {
  try {
    return fs.realpathSync(executable) === fs.realpathSync(process.execPath) ? process.versions.node : undefined;
  } catch {
    return undefined;
  }
}

function findOnPath(name: string, env: NodeJS.ProcessEnv): string | null {
  const isWindows = process.platform === 'win32';
  const searchPath = pathOf(env) ?? '';
  const extensions = isWindows ? [...(path.extname(name) ? [''] : []), ...(env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';')] : [''];
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    for (const extension of extensions) {
      const candidate = path.join(dir, name + extension.toLowerCase());
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return null;
}

/** The PATH variable's name in `env` (Windows spells it Path) and its value. */
function pathVariable(env: NodeJS.ProcessEnv): string {
  return Object.keys(env).find(name => name.toUpperCase() === 'PATH' && env[name] !== undefined) ?? 'PATH';
}
function pathOf(env: NodeJS.ProcessEnv): string | undefined {
  return env[pathVariable(env)];
}

/** Finds the program of a command: a path (relative to `cwd`) or a name on the PATH. Throws ProfileLaunchError. */
export function resolveCommand(file: string, cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): string {
  if (!file) throw new ProfileLaunchError('command-not-found', 'no command to run');
  const isPath = file.includes('/') || (process.platform === 'win32' && file.includes('\\'));
  const found = isPath ? path.resolve(cwd, file) : findOnPath(file, env);
  if (!found || !isExecutableFile(found)) {
    throw new ProfileLaunchError('command-not-found', isPath ? `command not found (or not executable): ${file}` : `command not found on the PATH: ${file}`);
  }
  return found;
}

/** cmd.exe quoting for the .cmd/.bat shims of npm and friends on Windows (they cannot be spawned without a shell). */
function quoteForCmd(arg: string): string {
  return /^[\w@%+=:,./\\-]+$/.test(arg) ? arg : `"${arg.replace(/"/g, '""')}"`;
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
  if (!SCRIPT_EXTENSIONS.some(extension => absolute.endsWith(extension)) && !isNodeShebangScript(absolute)) {
    throw new ProfileLaunchError('not-javascript', `${script} is not a JavaScript or TypeScript file (expected ${SCRIPT_EXTENSIONS.join(' ')}, or a file without an extension that starts with #!/usr/bin/env node)`);
  }
  return absolute;
}

/**
 * A program's executable without an extension that node runs (Express's `bin/www`, a package's `bin/cli`):
 * `#!/usr/bin/env node`, `#!/usr/local/bin/node`, `#!/usr/bin/env -S node --flags`. Node loads such a file as
 * JavaScript (CommonJS, or an ES module where its package.json says "type": "module").
 */
export function isNodeShebangScript(file: string): boolean {
  if (path.extname(file) !== '') return false;
  let firstLine: string;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const head = Buffer.alloc(256);
      firstLine = head.subarray(0, fs.readSync(fd, head, 0, head.length, 0)).toString('utf8').split('\n', 1)[0];
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
  if (!firstLine.startsWith('#!')) return false;
  const words = firstLine.slice(2).trim().split(/\s+/);
  // `env` takes options (-S splits the rest into words) and VAR=value assignments before the program.
  const program = path.posix.basename(words[0] ?? '') === 'env' ? words.slice(1).find(word => !word.startsWith('-') && !word.includes('=')) : words[0];
  return program !== undefined && /^(?:node|nodejs)$/.test(path.posix.basename(program));
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
    // Left by an earlier run into the same directory, they would stop this one at once or misname its main process.
    for (const name of [STOP_REQUEST_FILE, MAIN_PROCESS_FILE]) fs.rmSync(path.join(outDir, name), { force: true });
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

/** What a run needs before it starts (pre-flight checks throw ProfileLaunchError). */
export interface PreparedRun {
  cwd: string;
  node: ResolvedNode;
  /** Absolute path of the script; null with a command. */
  script: string | null;
  /** What is spawned: node, or the command's program. */
  executable: string;
  outDir: string;
  /** The run's whole environment: the caller's plus the preload in NODE_OPTIONS and the run variables. */
  env: NodeJS.ProcessEnv;
}

/** Checks everything a run needs and builds its environment; starts nothing. Throws ProfileLaunchError. */
export function prepareRun(options: ProfileRunOptions): PreparedRun {
  if ((options.script === undefined) === (options.command === undefined)) {
    throw new TypeError('startProfileRun: give either script or command');
  }
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const baseEnv: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  const node = resolveNode(options.node, baseEnv);
  if (options.command && options.node) {
    // The command's own `node` (and npm's `#!/usr/bin/env node`) is the one asked for.
    const name = pathVariable(baseEnv);
    baseEnv[name] = [path.dirname(node.path), baseEnv[name]].filter(Boolean).join(path.delimiter);
  }
  const script = options.script !== undefined ? checkScript(options.script, cwd) : null;
  if (script) checkNodeRunsScript(node, script);
  const executable = options.command ? resolveCommand(options.command.file, cwd, baseEnv) : node.path;
  const outDir = path.resolve(cwd, options.outDir);
  prepareOutDir(outDir);
  const preload = distFile('preload.js');
  if (!fs.existsSync(preload)) throw new Error(`Hotspots is not built: ${preload} is missing (run npm run build)`);

  const esbuild = resolveEsbuild();
  if (!esbuild && script && isTypeScriptFile(script)) {
    throw new ProfileLaunchError('typescript-unavailable', `cannot run ${path.basename(script)}: TypeScript support needs esbuild, which is not installed with Hotspots`);
  }
  const env: NodeJS.ProcessEnv = {
    ...baseEnv,
    NODE_OPTIONS: [baseEnv.NODE_OPTIONS, `--require ${quoteNodeOption(preload)}`].filter(Boolean).join(' '),
    [RUN_ENV.outDir]: outDir,
    [RUN_ENV.intervalUs]: String(options.intervalUs ?? DEFAULT_RUN_INTERVAL_US),
    [RUN_ENV.keepInlining]: options.keepInlining ? '1' : '0',
    [RUN_ENV.includePackageManagers]: options.includePackageManagers ? '1' : '0',
    [RUN_ENV.launcherPid]: String(process.pid),
    [RUN_ENV.esbuild]: esbuild ?? '',
    [RUN_ENV.waits]: options.waits === false ? '0' : '1',
    ...memoryEnvironment(options.memory),
  };
  return { cwd, node, script, executable, outDir, env };
}

/**
 * Starts `node <script> <args>`, or `options.command`, with the profiler preload (pre-flight checks
 * throw ProfileLaunchError before anything is spawned). The program runs in its own process group so
 * stop()/cancel() reach its children too.
 */
export function startProfileRun(options: ProfileRunOptions): ProfileRun {
  const { cwd, node, script, executable, outDir, env } = prepareRun(options);
  const args = options.command ? options.command.args ?? [] : options.args ?? [];
  const command = options.command ? [options.command.file, ...args] : [node.path, script!, ...args];
  const spawnArgs = script ? [script, ...args] : args;
  // npm.cmd and friends: Node refuses to spawn .cmd/.bat files without a shell (CVE-2024-27980).
  const needsShell = process.platform === 'win32' && /\.(cmd|bat)$/i.test(executable);
  const stdio = options.stdio ?? 'pipe';
  // Own process group, so one signal reaches the program and all its children. Not when the program
  // shares our terminal: a background group reading the TTY would be stopped (SIGTTIN); there the
  // terminal's Ctrl+C already reaches the whole foreground group.
  const ownGroup = process.platform !== 'win32' && !(stdio === 'inherit' && process.stdin.isTTY);
  const started = performance.now();
  const child: ChildProcess = childProcess().spawn(needsShell ? quoteForCmd(executable) : executable, needsShell ? spawnArgs.map(quoteForCmd) : spawnArgs, {
    cwd,
    env,
    shell: needsShell,
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
  const requestStop = (how: 'stop' | 'cancel'): void => {
    // Busy processes cannot run a signal handler until their loop yields: the preload's watchdog
    // notices this file and makes them write their profile right away.
    try { fs.writeFileSync(path.join(outDir, STOP_REQUEST_FILE), how); } catch { /* signals still apply */ }
  };
  const stop = (): void => {
    if (endedBy) return;
    endedBy = 'stop';
    requestStop('stop');
    signalTree('SIGINT');
    timers.push(setTimeout(() => signalTree('SIGKILL'), options.stopGraceMs ?? 5000).unref());
  };
  const cancel = (): void => {
    if (endedBy === 'cancel') return;
    endedBy = 'cancel';
    // Processes write what they sampled so far (the watchdog interrupts busy ones), then end with the
    // SIGTERM; whatever is still running at the deadline is killed, written or not.
    requestStop('cancel');
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
        if (signal === 'SIGINT') requestStop('stop');
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
      reject(new ProfileLaunchError(options.command ? 'command-not-found' : 'node-not-found', `cannot start ${executable}: ${error.message}`));
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
        const result = collectResult({ exitCode, signal, wallMs, command, cwd, script, args, outDir, endedBy });
        resolve(options.memory ? { ...result, memory: true, heapProfiles: heapProfilesIn(outDir) } : result);
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

/** The run's profile files and what the out dir says about processes that did not write theirs. */
export function collectResult(run: Omit<ProfileRunResult, 'profiles' | 'warnings'>): ProfileRunResult {
  const warnings: string[] = [];
  let mainPid: number | null = null;
  try {
    mainPid = Number(fs.readFileSync(path.join(run.outDir, MAIN_PROCESS_FILE), 'utf8')) || null;
  } catch { /* no process was profiled */ }
  const profiles = fs.readdirSync(run.outDir)
    .filter(name => name.endsWith(PROFILE_FILE_EXTENSION))
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
      const { pid, threadId, kind, argv } = JSON.parse(fs.readFileSync(markerPath, 'utf8')) as { pid: number; threadId?: number; kind: string; argv: string[] };
      if (!(pid === mainPid && profiles.length === 0)) {
        // A worker's argv is not set yet when the preload writes the marker: name it by its thread.
        const who = kind === 'worker' ? `worker thread ${threadId ?? '?'} of process ${pid}` : `process ${pid} (${argv.slice(1).join(' ')})`;
        warnings.push(`${who} ended without writing its profile (killed, or it did not answer before its process ended); its samples are missing`);
      }
    } catch { /* unreadable marker: nothing useful to say */ }
    fs.rmSync(markerPath, { force: true });
  }
  for (const name of [STOP_REQUEST_FILE, MAIN_PROCESS_FILE]) fs.rmSync(path.join(run.outDir, name), { force: true });
  if (profiles.length === 0) {
    warnings.push(run.signal === 'SIGKILL' || run.endedBy
      ? `the program was killed (${run.signal ?? `exit code ${run.exitCode}`}) before it could write a profile`
      : run.script === null
        ? 'no profile was written: the command started no Node.js process other than package managers (or replaced NODE_OPTIONS)'
        : 'no profile was written: the program did not run with the Hotspots preload (did it replace NODE_OPTIONS?)');
  } else if (mainPid !== null && !profiles.some(file => path.basename(file) === profileFileName(mainPid!, 0))) {
    warnings.push('the main process wrote no profile (killed?): only its children and workers are in the report');
  }
  return { ...run, profiles, warnings };
}
