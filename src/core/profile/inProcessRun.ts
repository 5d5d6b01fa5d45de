// `hotspots profile <script>` running the script inside the CLI's own process: the preload is loaded with
// require() instead of NODE_OPTIONS and the script becomes this process's main module. That saves the
// second Node.js start of a launcher (an empty script: node + 75-90 ms instead of + ~240 ms; in a terminal
// + 115-150 ms; bench/fixed-cost.bench.js, bench/RESULTS.md). Children and
// workers of the program are profiled as in a child-process run (NODE_OPTIONS is set for them).
// The program owns the process from then on: its exit code is the process's, and the report is built and
// printed synchronously when the preload has written the main profile (exit, process.exit(), an uncaught
// exception, a signal, Stop), through IN_PROCESS_RUN_HOOK.
// Ctrl+C on a program busy in a loop: a JavaScript signal handler cannot run until the program yields,
// so a tiny shell in the terminal's process group (the stop sentinel) receives the SIGINT too and writes
// the stop-request file, which makes the watchdog thread (stopWatchdog.ts, started here early) interrupt
// the program (as the launcher does for a child).
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isatty } from 'node:tty';
import { distFile } from '../paths';
import { childProcess, collectResult, prepareRun, ProfileRunOptions, ProfileRunResult } from './launch';
import { IN_PROCESS_RUN_HOOK, InProcessRunEnded, RUN_ENV, STOP_REQUEST_FILE, STOP_WATCHDOG_STARTED } from './runProtocol';
import { startStopWatchdog } from './stopWatchdog';

/**
 * Whether `options` can run in this process: a script (not a command) run by this very node, in this
 * working directory, its output on this terminal, without heap sampling (the heap would hold Hotspots'
 * own modules), and not on Windows (no stop sentinel there).
 */
export function canRunInProcess(options: ProfileRunOptions): boolean {
  if (process.platform === 'win32' || options.script === undefined || options.command || options.memory) return false;
  if (options.stdio !== 'inherit' || options.stdoutToStderr) return false;
  if (options.cwd !== undefined && path.resolve(options.cwd) !== process.cwd()) return false;
  if (options.env && Object.entries(options.env).some(([name, value]) => process.env[name] !== value)) return false;
  if (options.node === undefined) return true;
  try {
    return fs.realpathSync(options.node) === fs.realpathSync(process.execPath);
  } catch {
    return false;
  }
}

/**
 * Makes the script this process's main module, profiled; `onEnded` gets the finished run while the
 * process ends (synchronously: in an 'exit' listener or before a signal ends the process). Pre-flight
 * checks throw ProfileLaunchError before anything changed.
 */
export function runInProcess(options: ProfileRunOptions, onEnded: (result: ProfileRunResult) => void, stopInTerminal?: StopInTerminal): void {
  // This very node runs the program (canRunInProcess): no search of the PATH for another one.
  const { cwd, node, script, outDir, env } = prepareRun({ ...options, node: options.node ?? process.execPath });
  const args = options.args ?? [];
  const command = [node.path, script!, ...args];
  const sentinel = stopInTerminal?.sentinel;
  // Only the sentinel writes the stop-request file here: without it, the watchdog threads (which cost an
  // empty script's run ~15-60 ms, most of it joining a thread still starting when the process ends) would
  // wait for nothing.
  env[RUN_ENV.stopWatchdog] = sentinel ? '1' : '0';
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined) process.env[name] = value;
  }
  process.argv = [process.execPath, script!, ...args];
  const started = performance.now();
  const ended: InProcessRunEnded = (reason, exitCode) => {
    sentinel?.kill('SIGKILL');
    const signal = reason === 'stop' ? 'SIGINT' : reason === 'cancel' ? 'SIGTERM' : reason.startsWith('signal:') ? reason.slice('signal:'.length) as NodeJS.Signals : null;
    const wallMs = performance.now() - started;
    onEnded(collectResult({ exitCode: signal ? null : exitCode ?? Number(process.exitCode ?? 0), signal, wallMs, command, cwd, script, args, outDir, endedBy: null }));
  };
  (globalThis as Record<symbol, unknown>)[Symbol.for(IN_PROCESS_RUN_HOOK)] = ended;
  require(distFile('preload.js'));
  // Outside the caller's stack: an exception the script throws at its top level is the program's own
  // uncaught exception (printed by Node, exit code 1), not a rejection of the CLI's command; and no
  // frame of ours in its stack trace (runMain takes the script from process.argv[1]).
  process.nextTick((require('node:module') as { runMain(): void }).runMain);
}

export interface StopInTerminal {
  sentinel: ChildProcess;
}

/**
 * In a terminal: starts the stop sentinel and this process's stop watchdog for a run writing to `outDir`,
 * as early as the CLI can (a watchdog thread still starting when a short program ends costs its whole
 * start-up, ~40 ms, at exit). Undefined without a terminal or when `outDir` cannot be created (the run
 * then reports why).
 */
export function startStopInTerminal(outDir: string): StopInTerminal | undefined {
  if (process.platform === 'win32' || !isatty(0)) return undefined;
  try {
    fs.mkdirSync(outDir, { recursive: true });
  } catch {
    return undefined;
  }
  const sentinel = startStopSentinel(path.join(outDir, STOP_REQUEST_FILE));
  if (!sentinel) return undefined;
  startStopWatchdog(outDir, (require('node:worker_threads') as typeof import('node:worker_threads')).Worker);
  (globalThis as Record<symbol, unknown>)[Symbol.for(STOP_WATCHDOG_STARTED)] = true;
  return { sentinel };
}

/** A shell in this process group that turns the terminal's SIGINT into the stop-request file, and ends when this process does. */
function startStopSentinel(stopFile: string): ChildProcess | undefined {
  const script = [
    `trap 'printf stop > "$1"; exit 0' INT`,
    `trap 'exit 0' TERM HUP`,
    // `wait` returns as soon as a trapped signal arrives; the check ends a sentinel whose process died (SIGKILL).
    'while kill -0 "$2" 2>/dev/null; do sleep 1 & wait $!; done',
  ].join('\n');
  try {
    const sentinel = childProcess().spawn('/bin/sh', ['-c', script, 'hotspots-stop-sentinel', stopFile, String(process.pid)], { stdio: 'ignore' });
    sentinel.on('error', () => { /* no sentinel: Ctrl+C still stops programs that are not busy */ });
    sentinel.unref();
    return sentinel;
  } catch {
    return undefined;
  }
}
