// The stop watchdog: an idle helper thread that turns the stop-request file and SIGINT, SIGTERM and SIGHUP
// into an interrupt of the main thread. Started by the preload in every profiled process, or earlier by `hotspots profile` running the
// program in its own process (inProcessRun.ts). Bundled into dist/preload.js: Node built-ins only.
import { asProfilerEvaluation, RUN_ENV, SIGNAL_FALLBACK_HOOK, SIGNAL_WATCH_STATE, STOP_REQUEST_FILE, STOP_REQUEST_HOOK, WATCHED_SIGNALS } from './runProtocol';

/**
 * A busy main thread never gets to run a JavaScript signal handler, so stop() would have to kill it
 * and lose its profile, and a SIGTERM or Ctrl+C would not end it at all (the preload's handlers replace
 * the default action). This idle helper thread waits for the launcher's stop-request file, and for SIGINT,
 * SIGTERM and SIGHUP itself, and interrupts the main thread through the inspector, which runs the stop
 * hook even inside a hot loop. The main thread installs handlers of its own only when this thread cannot
 * catch the signals (signalWatchState, SIGNAL_FALLBACK_HOOK).
 */
export function startStopWatchdog(profileDir: string, Worker: typeof import('node:worker_threads').Worker): void {
  const source = `
    const fs = require('node:fs');
    const { join } = require('node:path');
    const { dir, file, state } = require('node:worker_threads').workerData;
    // The file says 'stop' or 'cancel'; a cancel may follow a stop the program kept for itself.
    const fired = new Set();
    const requests = [];
    let busy = false;
    const signalWatchers = [];
    const pump = () => {
      if (busy || requests.length === 0) return;
      const how = requests.shift();
      busy = true;
      const session = new (require('node:inspector').Session)();
      session.connectToMainThread();
      const expression = 'globalThis[Symbol.for(${JSON.stringify(STOP_REQUEST_HOOK)})](' + JSON.stringify(how) + ')' + ${JSON.stringify(asProfilerEvaluation(''))};
      session.post('Runtime.evaluate', { expression, returnByValue: true }, (error, answer) => {
        // Disconnect before the signal: Node waits for (and prints about) debugger sessions still attached at exit.
        session.disconnect();
        busy = false;
        const signal = error ? null : answer.result.value;
        // Only now: an open watcher is what keeps this thread alive until the answer.
        if (signal || how === 'cancel') watcher.close();
        if (signal) {
          // Our own signal handlers would catch the signal again: the process must meet its default action.
          Atomics.store(state, 0, ${SIGNALS_RELEASED});
          for (const signalWatcher of signalWatchers) signalWatcher.close();
          process.kill(process.pid, signal);
        } else {
          check();
          pump();
        }
      });
    };
    const check = () => {
      let how;
      try { how = fs.readFileSync(join(dir, file), 'utf8'); } catch { return; }
      // Anything else: the launcher is still writing the file; its next event brings the content.
      if ((how !== 'stop' && how !== 'cancel') || fired.has(how)) return;
      fired.add(how);
      requests.push(how);
      pump();
    };
    const watcher = fs.watch(dir, check);
    check();
    // Signals reach this thread only through Node's signal binding (process.on is the main thread's):
    // internalBinding (this thread runs with --expose-internals) on Node 20-24, process.binding on older
    // ones. Without either, signals go to the main thread's handlers as before.
    try {
      let Signal;
      try {
        // Node's internal module (not a dependency of the preload: it exists only with --expose-internals).
        const internals = 'internal/test/binding';
        ({ Signal } = require(internals).internalBinding('signal_wrap'));
      } catch {
        process.noDeprecation = true;
        ({ Signal } = process.binding('signal_wrap'));
      }
      for (const name of ${JSON.stringify(WATCHED_SIGNALS)}) {
        const signalWatcher = new Signal();
        signalWatcher.onsignal = () => { requests.push('signal:' + name); pump(); };
        if (signalWatcher.start(require('node:os').constants.signals[name]) === 0) signalWatchers.push(signalWatcher);
        else signalWatcher.close();
      }
      if (signalWatchers.length === ${WATCHED_SIGNALS.length}) Atomics.store(state, 0, ${SIGNALS_WATCHED});
    } catch { /* as below */ }
    if (Atomics.load(state, 0) !== ${SIGNALS_WATCHED}) {
      for (const signalWatcher of signalWatchers) signalWatcher.close();
      require('node:worker_threads').parentPort.postMessage(${JSON.stringify(SIGNALS_UNAVAILABLE_MESSAGE)});
    }`;
  const state = signalWatchState();
  // The main thread's own handlers then take the signals (they work while it is not busy).
  const unavailable = (): void => {
    if (Atomics.compareExchange(state, 0, SIGNALS_STARTING, SIGNALS_UNAVAILABLE) !== SIGNALS_STARTING) return;
    ((globalThis as Record<symbol, (() => void) | undefined>)[Symbol.for(SIGNAL_FALLBACK_HOOK)])?.();
  };
  try {
    const watchdog = new Worker(source, {
      eval: true,
      workerData: { dir: profileDir, file: STOP_REQUEST_FILE, state },
      // Without NODE_OPTIONS (a worker given an env parses its options from that env alone): neither this
      // preload nor the user's own `--require`/`--import` modules have any business in the profiler's
      // helper thread (and loading them costs start-up time). It reads no other variable.
      env: { [RUN_ENV.internalThread]: '1' },
      // For the signal binding; --no-warnings: the internals' "for testing only" warning is not the program's.
      execArgv: ['--expose-internals', '--no-warnings'],
      stdout: false,
      stderr: false,
    });
    // Without the watchdog, stop() and signals still work for programs that are not busy.
    watchdog.on('message', message => { if (message === SIGNALS_UNAVAILABLE_MESSAGE) unavailable(); });
    watchdog.on('error', unavailable);
    watchdog.on('exit', unavailable);
    // After the listeners: a 'message' listener refs the worker's port again, and the process would wait for it.
    watchdog.unref();
  } catch {
    unavailable();
  }
}

/** signalWatchState()[0]: the watchdog is starting (nobody handles signals yet: their default action ends the process). */
const SIGNALS_STARTING = 0;
/** It catches SIGINT, SIGTERM and SIGHUP itself. */
const SIGNALS_WATCHED = 1;
/** It cannot: the main thread's handlers take them (SIGNAL_FALLBACK_HOOK). */
export const SIGNALS_UNAVAILABLE = 2;
/** It ended the process with a signal and let go of it (the signal's default action must happen). */
const SIGNALS_RELEASED = 3;
const SIGNALS_UNAVAILABLE_MESSAGE = 'hotspots:signals-unavailable';

/**
 * Shared with the watchdog thread: [0] says who handles SIGINT, SIGTERM and SIGHUP (SIGNALS_*). One per
 * process, on globalThis: the CLI may start the watchdog before it loads the preload, a separate bundle.
 */
export function signalWatchState(): Int32Array {
  const global = globalThis as Record<symbol, Int32Array | undefined>;
  return (global[Symbol.for(SIGNAL_WATCH_STATE)] ??= new Int32Array(new SharedArrayBuffer(4)));
}
