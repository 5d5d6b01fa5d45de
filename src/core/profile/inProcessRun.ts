// `hotspots profile <script>` running the script inside the CLI's own process: the preload is loaded with
// require() instead of NODE_OPTIONS and the script becomes this process's main module. That saves the
// second Node.js start of a launcher (an empty script at load 0.8-1.3: node + 53-69 ms instead of + 112-138 ms,
// with or without a terminal; bench/fixed-cost.bench.js, bench/RESULTS.md). Children and workers of the
// program are profiled as in a child-process run (NODE_OPTIONS is set for them).
// The program owns the process from then on: its exit code is the process's, and the report is built and
// printed synchronously when the preload has written the main profile (exit, process.exit(), an uncaught
// exception, a signal, Stop), through IN_PROCESS_RUN_HOOK.
// Ctrl+C, SIGTERM or SIGHUP on a program busy in a loop: a JavaScript signal handler cannot run until the
// program yields, so the watchdog thread (stopWatchdog.ts, started here early) catches the signal itself and
// interrupts the program (as it does for the launcher's Stop).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { distFile } from '../paths';
import { collectResult, prepareRun, ProfileRunOptions, ProfileRunResult } from './launch';
import { IN_PROCESS_RUN_HOOK, InProcessRunEnded, STOP_WATCHDOG_STARTED } from './runProtocol';
import { startStopWatchdog } from './stopWatchdog';

/**
 * Whether `options` can run in this process: a script (not a command) run by this very node, in this
 * working directory, its output on this terminal, without heap sampling (the heap would hold Hotspots'
 * own modules), and not on Windows (its signal handling there is untried).
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
export function runInProcess(options: ProfileRunOptions, onEnded: (result: ProfileRunResult) => void): void {
  // This very node runs the program (canRunInProcess): no search of the PATH for another one.
  const { cwd, node, script, outDir, env } = prepareRun({ ...options, node: options.node ?? process.execPath });
  const args = options.args ?? [];
  const command = [node.path, script!, ...args];
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined) process.env[name] = value;
  }
  process.argv = [process.execPath, script!, ...args];
  const started = performance.now();
  const ended: InProcessRunEnded = (reason, exitCode) => {
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

/**
 * Starts this process's stop watchdog for a run writing to `outDir`, as early as the CLI can (a watchdog
 * thread still starting when a short program ends costs its whole start-up, ~40 ms, at exit). Without it
 * a program busy in a loop could not be stopped by Ctrl+C, SIGTERM (`timeout`, CI) or SIGHUP at all: the
 * preload's handlers, which save the profile, replace the signals' default action. Does nothing when
 * `outDir` cannot be created (the run then reports why).
 */
export function startStopWatchdogEarly(outDir: string): void {
  try {
    fs.mkdirSync(outDir, { recursive: true });
  } catch {
    return;
  }
  startStopWatchdog(outDir, (require('node:worker_threads') as typeof import('node:worker_threads')).Worker);
  (globalThis as Record<symbol, unknown>)[Symbol.for(STOP_WATCHDOG_STARTED)] = true;
}
