// The stop watchdog: an idle helper thread that turns the stop-request file into an interrupt of the main
// thread. Started by the preload in every profiled process, or earlier by `hotspots profile` running the
// program in its own process (inProcessRun.ts). Bundled into dist/preload.js: Node built-ins only.
import { asProfilerEvaluation, RUN_ENV, STOP_REQUEST_FILE } from './runProtocol';

/**
 * A busy main thread never gets to run a JavaScript signal handler, so stop() would have to kill it
 * and lose its profile. This idle helper thread waits for the launcher's stop-request file and then
 * interrupts the main thread through the inspector, which runs the stop hook even inside a hot loop.
 */
export function startStopWatchdog(profileDir: string, Worker: typeof import('node:worker_threads').Worker): void {
  const source = `
    const fs = require('node:fs');
    const { join } = require('node:path');
    const { dir, file } = require('node:worker_threads').workerData;
    // The file says 'stop' or 'cancel'; a cancel may follow a stop the program kept for itself.
    const fired = new Set();
    let busy = false;
    const check = () => {
      if (busy) return;
      let how;
      try { how = fs.readFileSync(join(dir, file), 'utf8'); } catch { return; }
      // Anything else: the launcher is still writing the file; its next event brings the content.
      if ((how !== 'stop' && how !== 'cancel') || fired.has(how)) return;
      fired.add(how);
      busy = true;
      const session = new (require('node:inspector').Session)();
      session.connectToMainThread();
      const expression = 'globalThis[Symbol.for("hotspots.stopRequested")](' + JSON.stringify(how) + ')' + ${JSON.stringify(asProfilerEvaluation(''))};
      session.post('Runtime.evaluate', { expression, returnByValue: true }, (error, answer) => {
        // Disconnect before the signal: Node waits for (and prints about) debugger sessions still attached at exit.
        session.disconnect();
        busy = false;
        const signal = error ? null : answer.result.value;
        // Only now: an open watcher is what keeps this thread alive until the answer.
        if (signal || how === 'cancel') watcher.close();
        if (signal) process.kill(process.pid, signal);
        else check();
      });
    };
    const watcher = fs.watch(dir, check);
    check();`;
  try {
    const watchdog = new Worker(source, {
      eval: true,
      workerData: { dir: profileDir, file: STOP_REQUEST_FILE },
      // Without NODE_OPTIONS (a worker given an env parses its options from that env alone): neither this
      // preload nor the user's own `--require`/`--import` modules have any business in the profiler's
      // helper thread (and loading them costs start-up time). It reads no other variable.
      env: { [RUN_ENV.internalThread]: '1' },
      stdout: false,
      stderr: false,
    });
    watchdog.unref();
    watchdog.on('error', () => { /* without the watchdog, stop() still works for programs that are not busy */ });
  } catch {
    // Same: signals still work for idle programs.
  }
}
