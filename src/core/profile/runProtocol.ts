// The run protocol between the launcher (launch.ts) and the preload (preload.ts, bundled into the
// profiled program as dist/preload.js): the environment variables the launcher sets, the files both read
// and write in the run's out dir, and the profile file names. Defined once here and imported by both.
// Constants and tiny pure helpers only: the preload bundle must stay free of dependencies.
// To add a variable: one entry in RUN_ENV, set it in launch.ts, read it in preload.ts.

/** Environment variables of a profiled run (all start with HOTSPOTS_, which the preload passes on to workers). */
export const RUN_ENV = {
  /** Where every profiled process writes its profile; its presence turns profiling on. */
  outDir: 'HOTSPOTS_OUT_DIR',
  /** Sampling interval in µs. */
  intervalUs: 'HOTSPOTS_INTERVAL_US',
  /** '1': keep V8 inlining (less exact lines). */
  keepInlining: 'HOTSPOTS_KEEP_INLINING',
  /** '1': profile npm/npx/yarn/pnpm/corepack processes too. */
  includePackageManagers: 'HOTSPOTS_INCLUDE_PACKAGE_MANAGERS',
  /** pid of the launcher (the extension host or the CLI). */
  launcherPid: 'HOTSPOTS_LAUNCHER_PID',
  /** Path of the esbuild the launcher resolved, for TypeScript ('' when none). */
  esbuild: 'HOTSPOTS_ESBUILD',
  /** '0': do not instrument awaits (waiting per await line is on by default). */
  waits: 'HOTSPOTS_WAITS',
  /** unset/'0': no heap sampling; otherwise what to sample (`profile --memory`). */
  memory: 'HOTSPOTS_MEMORY',
  /** Sampling interval of the heap profiler in bytes. */
  memoryIntervalBytes: 'HOTSPOTS_MEMORY_INTERVAL_BYTES',
  /** Set in threads the preload starts itself (loader hooks, stop watchdog): they are never profiled. */
  internalThread: 'HOTSPOTS_INTERNAL_THREAD',
} as const;

/** Prefix of every run variable. */
export const RUN_ENV_PREFIX = 'HOTSPOTS_';

/** Sampling interval when none is given. */
export const DEFAULT_RUN_INTERVAL_US = 1000;

/**
 * `Symbol.for` key of the function a launcher that runs the program in its own process (`hotspots profile`)
 * puts on globalThis before it loads the preload: the preload calls it on the main thread right after the
 * main profile is written (the program's end: exit, a signal, Stop), with the reason and the exit code.
 */
export const IN_PROCESS_RUN_HOOK = 'hotspots.inProcessRunEnded';
/** `Symbol.for` key of a global set to true when the main thread's stop watchdog is already running. */
export const STOP_WATCHDOG_STARTED = 'hotspots.stopWatchdogStarted';
/**
 * `Symbol.for` key of the function the stop watchdog calls on the main thread (through the inspector): with
 * 'stop', 'cancel' (the stop-request file) or `signal:<name>` (a signal it caught), it returns the signal to
 * end the process with, or null to leave the process be.
 */
export const STOP_REQUEST_HOOK = 'hotspots.stopRequested';
/** What STOP_REQUEST_HOOK is called with. */
export type StopRequest = 'stop' | 'cancel' | `signal:${WatchedSignal}`;
/** Signals the preload handles (to save the profile) and the stop watchdog watches. */
export const WATCHED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type WatchedSignal = typeof WATCHED_SIGNALS[number];
/**
 * `Symbol.for` key of the preload's function that installs its own signal handlers, called when the stop
 * watchdog cannot catch the signals itself (stopWatchdog.ts).
 */
export const SIGNAL_FALLBACK_HOOK = 'hotspots.signalFallback';
/** `Symbol.for` key of the Int32Array shared with the stop watchdog (see stopWatchdog.ts signalWatchState). */
export const SIGNAL_WATCH_STATE = 'hotspots.signalWatchState';
/** What IN_PROCESS_RUN_HOOK is called with. */
export type InProcessRunEnded = (reason: string, exitCode: number | undefined) => void;

/**
 * Script name of the code the profiler runs inside the program (inspector `Runtime.evaluate` expressions, the
 * `vm` script that fetches `gc`): a sample that lands in it is the profiler's time, not the program's
 * generated code (which V8 reports the same way: no URL of its own).
 */
export const PROFILER_EVALUATED_SCRIPT = 'hotspots-profiler-evaluated.js';
/** `expression` named as the profiler's own code (a sourceURL comment: V8 then reports that name as its URL). */
export function asProfilerEvaluation(expression: string): string {
  return `${expression}\n//# sourceURL=${PROFILER_EVALUATED_SCRIPT}`;
}

/** Name of the file whose appearance in the run's out dir asks every profiled process to stop. */
export const STOP_REQUEST_FILE = 'stop-requested';
/** Created (exclusively) by the first profiled process of a run, which is the run's 'main' process; holds its pid. */
export const MAIN_PROCESS_FILE = 'main-process';
/** Extension of the profiles the preload writes. */
export const PROFILE_FILE_EXTENSION = '.cpuprofile';
/** Top-level key of the metadata the preload adds to each profile (see HotspotsProfileMeta in types.ts). */
export const PROFILE_META_KEY = '$hotspots';

/** `<pid>-<threadId>.cpuprofile`: the profile of one thread (0 = the process's main thread). */
export function profileFileName(pid: number, threadId: number): string {
  return `${pid}-${threadId}${PROFILE_FILE_EXTENSION}`;
}
