// Node's own mapping of error stack traces through source maps, for the code Hotspots changes as it loads it
// (bundled into dist/preload.js; Node built-ins only).
//
// The waits instrumentation adds text within lines; the files it changes carry an inline map that takes the
// text back out (waits/stackTraceMap.ts), but Node reads a script's map only if its mapping is on when the
// script is compiled, and applies it only while it is on. Mapping every stack trace costs: Node formats a
// stack about twice as slowly (a program that reads many stacks would show that as its own time) and reads
// each dependency's map as it loads. So for JavaScript it is on only while Hotspots compiles a file it
// changed, while an ES module graph with such files loads, and when an uncaught exception is about to be
// printed: the crash shows the user's own line and column, as without Hotspots. It stays on throughout when
// the user turned it on, or for TypeScript (as under tsx).
import * as Module from 'node:module';

type SourceMapsSupport = (enabled: boolean, options?: { nodeModules?: boolean; generatedCode?: boolean }) => void;

export class StackTraceMaps {
  /** The user ran with Node's mapping on (--enable-source-maps): their files' own maps are what they read. */
  readonly userMapsEverything: boolean;
  /** On for the whole run: the user's choice, or TypeScript we transpiled. */
  private throughout: boolean;
  private enabled: boolean;

  constructor() {
    this.userMapsEverything = (process as { sourceMapsEnabled?: boolean }).sourceMapsEnabled === true;
    this.throughout = this.userMapsEverything;
    this.enabled = this.throughout;
  }

  /** TypeScript we transpiled: every stack trace is mapped from now on, dependencies' included. */
  mapEverything(): void {
    if (this.throughout && this.enabled) return;
    this.throughout = true;
    this.set(true, true);
  }

  /**
   * Before Node compiles one CommonJS module: its map is read if it is code we changed, else as the user's
   * run would. Returns what `compiled` restores. (Two calls rather than a wrapper: the user's stack traces of
   * errors thrown while a module loads show each function of ours that is on the stack.)
   */
  compiling(changedByUs: boolean): boolean {
    const before = this.enabled;
    if (!this.throughout) this.set(changedByUs, false);
    return before;
  }

  /** After that compile (and the module's own code) ran or threw. */
  compiled(before: boolean): void {
    if (!this.throughout) this.set(before, false);
  }

  /** On while an ES module graph loads (its modules are all compiled before any of them runs). */
  whileModulesLoad(): void {
    if (!this.throughout) this.set(true, false);
  }

  /** The program has started: modules compiled from now on are read as the user's run would. */
  modulesLoaded(): void {
    if (!this.throughout) this.set(false, false);
  }

  /**
   * Maps the stack trace of an uncaught exception: the one Node prints as the process ends, or the one the
   * program's own 'uncaughtException' handler reads (then only for that handler: the run goes on unmapped).
   */
  mapCrashes(): void {
    process.on('uncaughtExceptionMonitor', () => {
      if (this.throughout || this.enabled) return;
      this.set(true, false);
      if (process.listenerCount('uncaughtException') > 0) process.nextTick(() => { if (!this.throughout) this.set(false, false); });
    });
  }

  private set(enabled: boolean, everything: boolean): void {
    if (enabled === this.enabled && !everything) return;
    this.enabled = enabled;
    const setSupport = (Module as unknown as { setSourceMapsSupport?: SourceMapsSupport }).setSourceMapsSupport;
    // Node >= 22.14 can leave node_modules and eval'd code alone, as a run without Hotspots would.
    if (setSupport && !everything) setSupport(enabled, enabled ? { nodeModules: false, generatedCode: false } : undefined);
    else (process as { setSourceMapsEnabled?: (enabled: boolean) => void }).setSourceMapsEnabled?.(enabled);
  }
}
