// Loaded into the profiled program with `--require` (through NODE_OPTIONS, so child processes and
// worker threads get it too). Starts the V8 sampling profiler in this thread through an in-thread
// inspector session and writes `<HOTSPOTS_OUT_DIR>/<pid>-<threadId>.cpuprofile` when the thread ends.
// Bundled to dist/preload.js: only Node built-ins, and as little work as possible before user code runs.
// Package managers (npm, npx, yarn, pnpm, corepack) run it too when a whole command is profiled: they
// are left unprofiled (unless HOTSPOTS_INCLUDE_PACKAGE_MANAGERS=1) and pass NODE_OPTIONS on unchanged.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isPackageManagerProcess } from '../run/packageManagers';
import { startHeapSampling } from './memory/heapSampling';
import { asProfilerEvaluation, DEFAULT_RUN_INTERVAL_US, IN_PROCESS_RUN_HOOK, InProcessRunEnded, MAIN_PROCESS_FILE, RUN_ENV, RUN_ENV_PREFIX, SIGNAL_FALLBACK_HOOK, STOP_REQUEST_HOOK as STOP_REQUEST_KEY, STOP_WATCHDOG_STARTED, StopRequest, WATCHED_SIGNALS, WatchedSignal } from './runProtocol';
import { SIGNALS_UNAVAILABLE, signalWatchState, startStopWatchdog } from './stopWatchdog';
import type { CpuProfile, HotspotsProfileMeta, ProcessKind } from './types';
import { isTypeScriptFile, loadEsbuild, ownTypeScriptLoader, resolutionAlternatives, transpileProjectFile, typeScriptModuleFormat, withInlineSourceMap, EsbuildTransformer } from './transpile';
import { ProjectConfigs } from './tsconfig';
import { StackTraceMaps } from './stackTraceMaps';
import { esModuleEntryStub, INSTRUMENTER_BUNDLE, isModuleEntry, isUserFile, startWaitRecording, waitsEnabled } from './waits/preloadWaits';
import { addMapsNodeKept, recordMapsOfCompiledCode } from './compiledCodeMaps';

/**
 * In the environment of threads we start ourselves (Node's loader-hooks thread, the stop watchdog):
 * they copy the environment, run this preload too, run no user code and must not be profiled.
 */
const INTERNAL_THREAD_MARK = RUN_ENV.internalThread;
const STOP_REQUEST_HOOK = Symbol.for(STOP_REQUEST_KEY);
/** Set in every profiled worker: writes its profile now (called through the inspector by its parent thread). */
const SAVE_WORKER_PROFILE_HOOK = 'hotspots.saveWorkerProfile';
/** How long a thread that is ending waits for the workers it started to write their profiles. */
const WORKER_SAVE_DEADLINE_MS = 3000;
/** After the workers saved at the end of their parent thread: time for them to leave the save request. */
const WORKER_RETURN_GRACE_MS = 100;
const outDir = process.env[RUN_ENV.outDir];
/** Node's own Worker class, before the preload patches it for the program's workers. */
const PLAIN_WORKER = (require('node:worker_threads') as typeof import('node:worker_threads')).Worker;

function isUnprofiledPackageManager(): boolean {
  return process.env[RUN_ENV.includePackageManagers] !== '1' && isPackageManagerProcess(process.argv);
}

/**
 * The first profiled process of a run is its 'main' process (the script, or with a command the first
 * Node.js program it starts, e.g. the test runner): it creates the marker file, the others find it there.
 */
function claimMainProcess(profileDir: string): boolean {
  try {
    fs.writeFileSync(path.join(profileDir, MAIN_PROCESS_FILE), String(process.pid), { flag: 'wx' });
    return true;
  } catch {
    return false;
  }
}

function startProfiling(profileDir: string): void {
  const v8 = require('node:v8') as typeof import('node:v8');
  const workerThreads = require('node:worker_threads') as typeof import('node:worker_threads');
  const keepInlining = process.env[RUN_ENV.keepInlining] === '1';
  // TurboFan inlining credits an inlined callee's ticks to the caller's frame (with the callee's line
  // numbers), so hot lines land in the wrong file. Array builtins (find, map, forEach...) inlined into
  // the caller while their callback is not, lose the caller's frame in samples: their time landed on
  // the caller's caller (examples/join-find.ts: a third of the time on the line calling joinOrders).
  // Must be set before user code gets optimized.
  if (!keepInlining) {
    v8.setFlagsFromString('--no-turbo-inlining');
    v8.setFlagsFromString('--no-turbo-inline-array-builtins');
    // Maglev (V8's mid-tier compiler, on by default from Node 22) inlines too, with the same effect on
    // attribution. V8 11 (Node 20) already knows the flag; older V8 would print "unrecognized flag".
    if (Number(process.versions.v8.split('.')[0]) >= 11) v8.setFlagsFromString('--no-maglev-inlining');
  }

  let inspector: typeof import('node:inspector');
  try {
    inspector = require('node:inspector') as typeof import('node:inspector');
  } catch {
    process.emitWarning('hotspots: this Node.js has no inspector; the program runs without profiling');
    return;
  }
  const intervalUs = Math.max(1, Number(process.env[RUN_ENV.intervalUs]) || DEFAULT_RUN_INTERVAL_US);
  const sourceMaps: Record<string, unknown> = {};
  const session = new inspector.Session();
  try {
    session.connect();
  } catch {
    // Some processes run without an inspector (the `node --test` runner's own process): they only
    // orchestrate; their children are profiled. Never let profiling break the program.
    return;
  }
  // In-thread sessions answer synchronously: the callback has run when post() returns.
  const post = (method: string, params?: object): unknown => {
    let failure: Error | null = null;
    let answer: unknown;
    session.post(method, params, (error: Error | null, result: unknown) => { failure = error; answer = result; });
    if (failure) throw failure;
    return answer;
  };
  // Before the TypeScript hooks: their require hook compiles through the instrumented _compile.
  const stackTraceMaps = new StackTraceMaps();
  const takeWaits = waitsEnabled() ? startWaitRecording(__dirname, stackTraceMaps) : null;
  if (takeWaits) stackTraceMaps.mapCrashes();
  // After the waits' _compile wrapper: it sees the text the program's own loader (Jest, ts-node, …) gave.
  recordMapsOfCompiledCode(sourceMaps, file => isUserFile(file, __dirname));
  const projects = new ProjectConfigs(message => process.emitWarning(message));
  const esmSourceMapPort = installTypeScriptSupport(sourceMaps, stackTraceMaps, projects);
  post('Profiler.enable');
  post('Profiler.setSamplingInterval', { interval: intervalUs });

  const threadId = workerThreads.threadId;
  // `--memory`: V8's sampling heap profiler beside the CPU profiler (null when not asked for).
  const heapSampling = startHeapSampling(post, path.join(profileDir, `${process.pid}-${threadId}`), { pid: process.pid, threadId });
  const workerProfiles = new WorkerProfileRescue(session, profileDir);
  // Set when `hotspots profile` runs the program inside its own process (inProcessRun.ts).
  const inProcessRunEnded = workerThreads.isMainThread ? (globalThis as Record<symbol, InProcessRunEnded | undefined>)[Symbol.for(IN_PROCESS_RUN_HOOK)] : undefined;
  // The stop watchdog is ours, not the program's: started from the Worker class before it is patched.
  const UnprofiledWorker = workerThreads.Worker;
  profileWorkersWithTheirOwnEnvironment(workerThreads, workerProfiles, !!inProcessRunEnded);
  const kind: ProcessKind = !workerThreads.isMainThread ? 'worker' : claimMainProcess(profileDir) ? 'main' : 'child';
  const profilePath = path.join(profileDir, `${process.pid}-${threadId}.cpuprofile`);
  // Removed once the profile is written: a marker left behind tells the launcher which process or
  // worker was killed before it could write (SIGKILL, out of memory, terminate()).
  const runningMarker = path.join(profileDir, `${process.pid}-${threadId}.running`);
  try {
    fs.writeFileSync(runningMarker, JSON.stringify({ pid: process.pid, threadId, kind, argv: process.argv }));
  } catch { /* the warning is a nicety; profiling works without it */ }

  /** Profile taken when the program kept a signal for itself; merged with the rest at exit. */
  let earlierProfile: CpuProfile | null = null;
  let finished = false;

  const takeProfile = (): CpuProfile => {
    const { profile } = post('Profiler.stop') as { profile: CpuProfile };
    return earlierProfile ? concatenateProfiles(earlierProfile, profile) : profile;
  };
  const writeProfile = (profile: CpuProfile, reason: string): void => {
    if (esmSourceMapPort) drainSourceMaps(esmSourceMapPort, sourceMaps);
    addMapsNodeKept(sourceMaps, profile.nodes.map(node => node.callFrame.url), file => isUserFile(file, __dirname));
    const meta: HotspotsProfileMeta = {
      pid: process.pid,
      ppid: process.ppid,
      threadId,
      kind,
      // In a worker, argv[1] is its script (or '[worker eval]') by the time it ends.
      argv: process.argv.slice(),
      sampleIntervalUs: intervalUs,
      inliningDisabled: !keepInlining,
      sourceMaps,
      reason,
      profilerScripts: [...profilerScriptUrls(), ...projects.compilerUrls()],
      waits: takeWaits?.() ?? undefined,
    };
    try {
      fs.mkdirSync(profileDir, { recursive: true });
      // Readers (the launcher, the extension) must never see half a file: write aside, then rename.
      const partial = `${profilePath}.partial`;
      fs.writeFileSync(partial, JSON.stringify({ ...profile, $hotspots: meta }));
      fs.renameSync(partial, profilePath);
      fs.rmSync(runningMarker, { force: true });
    } catch (error) {
      process.emitWarning(`hotspots: could not write ${profilePath}: ${(error as Error).message}`);
    }
  };
  const finish = (reason: string, exitCode?: number): void => {
    if (finished) return;
    finished = true;
    const profile = takeProfile();
    // Workers still running when their thread ends are terminated without an 'exit' event: have them
    // write their profiles first (the wait is not sampled: this thread's profile is already taken).
    workerProfiles.saveAllNow();
    heapSampling?.save(reason);
    writeProfile(profile, reason);
    session.disconnect();
    inProcessRunEnded?.(reason, exitCode);
  };

  // 'exit' also runs for process.exit(), uncaught exceptions and unhandled rejections.
  process.on('exit', code => finish('exit', code));
  if (workerThreads.isMainThread) {
    const signalOwners = new Map<WatchedSignal, () => void>();
    /** Whether the program listens for `signal` itself (our own handler, when installed, aside). */
    const programListens = (signal: WatchedSignal): boolean => process.listeners(signal).some(listener => listener !== signalOwners.get(signal));
    /** Our handler of `signal` (when installed) leaves: the signal's default action applies again. */
    const releaseSignal = (signal: WatchedSignal): void => {
      const ours = signalOwners.get(signal);
      if (ours) process.removeListener(signal, ours);
    };
    /**
     * A signal, seen by the watchdog (or by our handler). Returns true when it ends the program (the profile
     * is written and our handler, if any, is gone): the caller then raises it again for its default action.
     */
    const onSignalFor = (signal: WatchedSignal): boolean => {
      if (finished) return false;
      if (programListens(signal)) {
        // The program decides what the signal means (graceful shutdown, ignore, ...): save what we
        // have in case it never exits normally, keep sampling, and write everything again at exit.
        earlierProfile = takeProfile();
        writeProfile(earlierProfile, `signal:${signal}`);
        post('Profiler.start');
        return false;
      }
      finish(`signal:${signal}`);
      releaseSignal(signal);
      return true;
    };
    // The watchdog thread catches the signals, even while this thread is busy (a handler here would replace
    // the default action and never run). Only when it cannot, handlers here take them.
    const installSignalHandlers = (): void => {
      if (signalOwners.size > 0 || finished) return;
      for (const signal of WATCHED_SIGNALS) {
        const onSignal = (): void => {
          // Restore the default action so the process ends the way it would have without us.
          if (onSignalFor(signal)) process.kill(process.pid, signal);
        };
        signalOwners.set(signal, onSignal);
        process.on(signal, onSignal);
      }
    };
    (globalThis as Record<symbol, unknown>)[Symbol.for(SIGNAL_FALLBACK_HOOK)] = installSignalHandlers;
    if (Atomics.load(signalWatchState(), 0) === SIGNALS_UNAVAILABLE) installSignalHandlers();
    /**
     * Runs inside whatever JavaScript the main thread is busy with (an inspector interrupt). Returns the
     * signal the watchdog should now end the process with, or null to leave the process be.
     */
    (globalThis as Record<symbol, unknown>)[STOP_REQUEST_HOOK] = (how: StopRequest): NodeJS.Signals | null => {
      if (how.startsWith('signal:')) {
        const signal = how.slice('signal:'.length) as WatchedSignal;
        return onSignalFor(signal) ? signal : null;
      }
      if (how === 'cancel') {
        // Cancel: write what was sampled right away, whatever the program does with signals, then let the
        // SIGTERM end it. A program with its own SIGTERM handler gets the pending SIGTERM when it yields
        // (or the launcher's SIGKILL at the deadline).
        finish('cancel');
        if (programListens('SIGTERM')) return null;
        releaseSignal('SIGTERM');
        return 'SIGTERM';
      }
      // A program with its own SIGINT handler gets the pending SIGINT as soon as it yields: leave it to that.
      if (finished || programListens('SIGINT')) return null;
      finish('stop');
      releaseSignal('SIGINT');
      return 'SIGINT';
    };
  } else {
    // A terminated worker gets no 'exit' event: its parent calls this through the inspector first.
    (globalThis as Record<symbol, unknown>)[Symbol.for(SAVE_WORKER_PROFILE_HOOK)] = (target: number | 'all'): boolean => {
      if (target !== 'all' && target !== threadId) return false;
      finish('terminated');
      return true;
    };
  }
  // Last, so the profile holds the program and not our own setup.
  post('Profiler.start');
  // After the profiler started, not before: a Worker still booting while Profiler.start runs made an
  // empty script's run 35-40 ms longer (Node 20.20, 11 alternating runs: +85 ms over plain node with the
  // watchdog started first, +48 ms after); still before any user code, so Stop reaches programs that
  // are busy from their first line. Its main-thread part (~1 ms) is sampled as the profiler's own time.
  // `hotspots profile` running the program in its own process starts it earlier itself (inProcessRun.ts).
  const startedAlready = (globalThis as Record<symbol, unknown>)[Symbol.for(STOP_WATCHDOG_STARTED)] === true;
  if (workerThreads.isMainThread && !startedAlready) startStopWatchdog(profileDir, UnprofiledWorker);
}

/**
 * Worker threads get this preload through NODE_OPTIONS, read from the worker's environment: a Worker
 * created with its own `env` object would run unprofiled. Add our variables to such environments.
 */
function profileWorkersWithTheirOwnEnvironment(workerThreads: typeof import('node:worker_threads'), workerProfiles: WorkerProfileRescue, loadedInProcess: boolean): void {
  const hotspotsVariables: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith(RUN_ENV_PREFIX) && name !== INTERNAL_THREAD_MARK && value !== undefined) hotspotsVariables[name] = value;
  }
  const requirePreload = `--require "${__filename.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const OriginalWorker = workerThreads.Worker;
  type WorkerOptions = ConstructorParameters<typeof OriginalWorker>[1];
  const withPreload = (options: WorkerOptions): WorkerOptions => {
    const env = options?.env;
    // A worker without an env of its own takes this thread's start-up options, not NODE_OPTIONS: those have
    // the preload unless it was loaded in-process (`hotspots profile` running the program itself), where
    // the worker gets a copy of the environment the launcher set up (a worker given an env reads it).
    if (env === undefined && loadedInProcess) return { ...options, env: { ...process.env } };
    if (!env || typeof env !== 'object') return options; // default (parent's copy) or SHARE_ENV: has it already
    const own = env as Record<string, string | undefined>;
    const nodeOptions = own.NODE_OPTIONS?.includes(__filename) ? own.NODE_OPTIONS : [own.NODE_OPTIONS, requirePreload].filter(Boolean).join(' ');
    return { ...options, env: { ...own, ...hotspotsVariables, NODE_OPTIONS: nodeOptions } };
  };
  const ProfiledWorker = class Worker extends OriginalWorker {
    constructor(filename: string | URL, options?: WorkerOptions) {
      workerProfiles.enable();
      super(filename, withPreload(options));
      workerProfiles.track(this);
    }

    override terminate(): Promise<number> {
      return workerProfiles.save(this.threadId).then(() => {
        const ended = super.terminate();
        // The worker saved from inside an inspector request; a termination that reaches it before it has
        // returned from that request is lost (V8 cancels it there) and the worker would spin on forever.
        // Ask again until it has ended: terminating a thread that is already stopping does nothing more.
        const again = setInterval(() => { void super.terminate(); }, 250);
        again.unref();
        return ended.finally(() => clearInterval(again));
      });
    }
  };
  workerThreads.Worker = ProfiledWorker;
  // `import { Worker } from 'node:worker_threads'` in ES modules sees the patched class too.
  (require('node:module') as { syncBuiltinESMExports(): void }).syncBuiltinESMExports();
}

/**
 * Saves the profiles of workers this thread started before they are terminated: `worker.terminate()`,
 * or the end of this thread (process.exit(), a signal, Stop) stops a worker without running its 'exit'
 * handlers, so it would never write its profile. The parent reaches the worker through its own inspector
 * session (NodeWorker domain), which runs the worker's save hook even inside a busy loop, as the stop
 * watchdog does for the main thread. The worker writes the file; the parent only waits for it.
 */
class WorkerProfileRescue {
  /** Inspector sessions of the workers attached now (they come and go with the workers). */
  private readonly workerSessions = new Set<string>();
  /** Threads of the workers started here that may still be running. */
  private readonly liveThreads = new Set<number>();
  private enabled: boolean | undefined;

  constructor(private readonly session: import('node:inspector').Session, private readonly profileDir: string) {}

  /**
   * Attaches to this thread's workers, from the program's first Worker on: a program without workers
   * (most) pays nothing, and the profiler's own watchdog thread is not attached for nothing.
   */
  enable(): void {
    if (this.enabled !== undefined) return;
    type Attached = { params: { sessionId: string } };
    this.session.on('NodeWorker.attachedToWorker', (message: Attached) => this.workerSessions.add(message.params.sessionId));
    this.session.on('NodeWorker.detachedFromWorker', (message: Attached) => this.workerSessions.delete(message.params.sessionId));
    // In-thread sessions answer synchronously. Without the domain (older Node, some threads) workers
    // still save on their own exit.
    let failed = true;
    this.session.post('NodeWorker.enable', { waitForDebuggerOnStart: false }, (error: Error | null) => { failed = !!error; });
    this.enabled = !failed;
  }

  track(worker: import('node:worker_threads').Worker): void {
    const threadId = worker.threadId;
    this.liveThreads.add(threadId);
    worker.once('exit', () => this.liveThreads.delete(threadId));
  }

  /** Before terminate(): asks one worker to save and waits (without blocking this thread) until it has. */
  async save(threadId: number): Promise<void> {
    if (!this.request(threadId)) return;
    const deadline = Date.now() + WORKER_SAVE_DEADLINE_MS;
    while (this.isUnsaved(threadId) && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 5));
  }

  /** This thread is ending: asks every live worker to save and blocks until they have, or the deadline. */
  saveAllNow(): void {
    // Only workers that started profiling (they left a running-marker) have anything to save: the grace
    // below would otherwise be 100 ms added to the end of every run with an idle or unprofiled worker.
    if (![...this.liveThreads].some(threadId => this.isUnsaved(threadId)) || !this.request('all')) return;
    const deadline = Date.now() + WORKER_SAVE_DEADLINE_MS;
    const sleeper = new Int32Array(new SharedArrayBuffer(4));
    while ([...this.liveThreads].some(threadId => this.isUnsaved(threadId)) && Date.now() < deadline) Atomics.wait(sleeper, 0, 0, 2);
    // Node terminates the workers once this thread has ended, and joins them. A worker still returning from
    // the save request would lose that termination (see ProfiledWorker.terminate) and never be joined:
    // give it a moment to get back to its own code. Nothing can ask again here.
    Atomics.wait(sleeper, 0, 0, WORKER_RETURN_GRACE_MS);
  }

  private request(target: number | 'all'): boolean {
    if (!this.enabled || this.workerSessions.size === 0) return false;
    const expression = asProfilerEvaluation(`globalThis[Symbol.for(${JSON.stringify(SAVE_WORKER_PROFILE_HOOK)})]?.(${JSON.stringify(target)})`);
    const message = JSON.stringify({ id: 1, method: 'Runtime.evaluate', params: { expression } });
    // An error answer only means that worker is gone.
    for (const sessionId of this.workerSessions) this.session.post('NodeWorker.sendMessageToWorker', { sessionId, message }, () => {});
    return true;
  }

  /** The worker's running-marker is still there: it started profiling and has not written yet. */
  private isUnsaved(threadId: number): boolean {
    return fs.existsSync(path.join(this.profileDir, `${process.pid}-${threadId}.running`));
  }
}

/**
 * Two profiles of one thread taken back to back (before and after a signal the program handled)
 * as one profile: node ids of the second are shifted, its root merges into the first root.
 */
function concatenateProfiles(first: CpuProfile, second: CpuProfile): CpuProfile {
  const idOffset = first.nodes.reduce((max, node) => Math.max(max, node.id), 0);
  const firstRoot = first.nodes[0];
  const secondRootId = second.nodes[0].id;
  const shift = (id: number): number => (id === secondRootId ? firstRoot.id : id + idOffset);
  const nodes = first.nodes.map(node => ({ ...node, children: [...(node.children ?? [])] }));
  nodes[0].children!.push(...(second.nodes[0].children ?? []).map(shift));
  for (const node of second.nodes.slice(1)) {
    nodes.push({ ...node, id: shift(node.id), children: (node.children ?? []).map(shift) });
  }
  const firstDeltas = first.timeDeltas ?? [];
  const lastFirstSample = first.startTime + firstDeltas.reduce((sum, delta) => sum + delta, 0);
  const secondDeltas = [...(second.timeDeltas ?? [])];
  if (secondDeltas.length) secondDeltas[0] += second.startTime - lastFirstSample;
  return {
    nodes,
    startTime: first.startTime,
    endTime: second.endTime,
    samples: [...(first.samples ?? []), ...(second.samples ?? []).map(shift)],
    timeDeltas: [...firstDeltas, ...secondDeltas],
  };
}

/**
 * Runs .ts/.mts/.cts/.tsx through esbuild: CommonJS with a require hook, ES modules with loader hooks
 * (module.register, Node >= 20.6). Returns the port the ESM hooks report their source maps on (they run
 * on a loader thread), or null without ESM hooks.
 */
/**
 * Scripts of the profiler itself that run inside the program: this preload, the ESM hooks and the
 * esbuild that transpiles TypeScript for it. The report counts their time as the profiler's, not as
 * the program's (a program that uses esbuild itself loads its own copy, at another path).
 */
function profilerScriptUrls(): string[] {
  // cli.js: `hotspots profile` running the program in its own process is below the program's first stacks.
  const urls = [pathToFileURL(__filename).href, pathToFileURL(path.join(__dirname, 'esmHooks.mjs')).href, pathToFileURL(path.join(__dirname, INSTRUMENTER_BUNDLE)).href, pathToFileURL(path.join(__dirname, 'cli.js')).href];
  const esbuild = process.env[RUN_ENV.esbuild];
  if (esbuild) urls.push(pathToFileURL(esbuild).href);
  return urls;
}

function installTypeScriptSupport(sourceMaps: Record<string, unknown>, stackTraceMaps: StackTraceMaps, projects: ProjectConfigs): import('node:worker_threads').MessagePort | null {
  const Module = require('node:module') as typeof import('node:module') & {
    _extensions: Record<string, (module: { _compile(code: string, filename: string): void }, filename: string) => void>;
    _resolveFilename: (request: string, ...rest: unknown[]) => string;
  };
  // The program compiles its TypeScript itself (tsx, ts-node/esm, `-r ts-node/register`): leave it to it,
  // and keep Node's source-map support on so that Node keeps the maps of what it compiled (addMapsNodeKept).
  if (ownTypeScriptLoader(process.execArgv, process.env.NODE_OPTIONS)) {
    stackTraceMaps.mapEverything();
    return null;
  }
  let esbuild: EsbuildTransformer | null = null;
  const entryFile = process.argv[1] ?? '';
  if (workerThreadsIsMain() && isTypeScriptFile(entryFile) && typeScriptModuleFormat(path.resolve(entryFile)) === 'commonjs') {
    // esbuild's synchronous API starts a helper thread on first use (~60 ms): do that before the profiler
    // starts, so it is not reported as time of the user's first TypeScript file. (An ES module entry is
    // transpiled by the loader hooks' own esbuild; this thread starts one only if CommonJS TypeScript comes.)
    esbuild = startEsbuild();
  }
  /** Set once the ES module hooks are registered: they load an ES module entry in TypeScript. */
  let esmHooksRegistered = false;
  const compileTypeScript = (module: { _compile(code: string, filename: string): void }, filename: string): void => {
    // Node runs a .mts entry with the CommonJS loader (it does not know the extension), where top-level
    // await and import.meta fail: hand it to the ES module loader, whose hooks transpile it as a module.
    if (esmHooksRegistered && filename === path.resolve(process.argv[1] ?? '') && typeScriptModuleFormat(filename) === 'module') {
      module._compile(esModuleEntryStub(filename), filename);
      return;
    }
    // ts-node and `pirates` hooks (@swc-node/register, esbuild-register, @babel/register) registered after
    // this one wrap it: they give the module its own _compile that compiles what it is handed as source.
    // Hand it the file as written (what Node's default loader would), or they would compile our output.
    if (Object.prototype.hasOwnProperty.call(module, '_compile')) {
      module._compile(fs.readFileSync(filename, 'utf8'), filename);
      return;
    }
    esbuild ??= startEsbuild();
    const { code, map } = transpileProjectFile(esbuild, filename, 'cjs', projects);
    sourceMaps[pathToFileURL(filename).href] = map;
    // Error stack traces through it show its own lines, as under tsx or ts-node (esbuild's helpers and
    // removed types move the generated lines): Node maps them through the inline map.
    stackTraceMaps.mapEverything();
    module._compile(withInlineSourceMap(code, map), filename);
  };
  for (const extension of ['.ts', '.mts', '.cts', '.tsx']) Module._extensions[extension] = compileTypeScript;
  if (workerThreadsIsMain()) process.on('exit', endEsbuildServices);

  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function resolveWithTypeScript(this: unknown, request: string, ...rest: unknown[]): string {
    try {
      return resolveFilename.call(this, request, ...rest);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_IMPORT_NOT_DEFINED') {
        const parentFile = (rest[0] as { filename?: string } | null | undefined)?.filename ?? undefined;
        for (const candidate of resolutionAlternatives(request, parentFile, projects, false)) {
          try { return resolveFilename.call(this, candidate, ...rest); } catch { /* next candidate */ }
        }
      }
    }
    // Node's own error from Node's own line: rethrown here, a crash would print this file's line above it.
    return resolveFilename.call(this, request, ...rest);
  };

  const entry = process.argv[1] ?? '';
  const register = (Module as { register?: (specifier: string, options: object) => void }).register;
  // Starting the loader-hooks thread costs ~20 ms per process: only pay it when the entry is TypeScript
  // (or an ES module whose awaits are measured).
  const instrumentModules = waitsEnabled() && isModuleEntry(entry);
  if (!isTypeScriptFile(entry) && !instrumentModules) return null;
  if (!register) {
    if (entry.endsWith('.mts')) {
      process.emitWarning('hotspots: ES module TypeScript needs Node.js >= 20.6 (module.register); .mts files are loaded as CommonJS');
    }
    return null;
  }
  const { MessageChannel } = require('node:worker_threads') as typeof import('node:worker_threads');
  const channel = new MessageChannel();
  process.env[INTERNAL_THREAD_MARK] = '1';
  try {
    register(pathToFileURL(path.join(__dirname, 'esmHooks.mjs')).href, {
      data: { sourceMapPort: channel.port2, instrumenter: instrumentModules ? pathToFileURL(path.join(__dirname, INSTRUMENTER_BUNDLE)).href : null, ownDir: __dirname },
      transferList: [channel.port2],
    });
    esmHooksRegistered = true;
    if (isTypeScriptFile(entry)) stackTraceMaps.mapEverything();
    else stackTraceMaps.whileModulesLoad();
  } finally {
    delete process.env[INTERNAL_THREAD_MARK];
  }
  channel.port1.unref();
  return channel.port1;
}

/**
 * esbuild's service processes (this thread's and the loader hooks' thread's) outlive this process by about
 * 1.5 s: they notice it is gone only at their next ping (measured on a `--separate-process` run of an
 * empty .mts: 1.6-2.3 s for the command, 0.43 s with them ended here). A launcher waits for the whole process group to
 * end, so a TypeScript run took that much longer: end them with this process. Linux only (/proc); the
 * processes are children of this process's threads.
 */
function endEsbuildServices(): void {
  try {
    for (const thread of fs.readdirSync('/proc/self/task')) {
      for (const child of fs.readFileSync(`/proc/self/task/${thread}/children`, 'utf8').split(' ').filter(Boolean)) {
        try {
          // Only esbuild's JavaScript API service (`esbuild --service=<version> --ping`), not an esbuild the
          // program started to outlive it.
          const command = fs.readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0');
          if (path.basename(command[0]) === 'esbuild' && command.some(arg => arg.startsWith('--service='))) process.kill(Number(child), 'SIGTERM');
        } catch { /* ended meanwhile */ }
      }
    }
  } catch {
    // No /proc (not Linux): they end on their own shortly after.
  }
}

/** Loads esbuild and starts its helper thread, marked internal so it is not profiled. */
function startEsbuild(): EsbuildTransformer {
  process.env[INTERNAL_THREAD_MARK] = '1';
  // esbuild's helper thread (started by its first synchronous call, with `execArgv: []`) would take its
  // options from NODE_OPTIONS: the user's own `--require`/`--import` have no business in it.
  const workerThreads = require('node:worker_threads') as typeof import('node:worker_threads');
  const current = workerThreads.Worker;
  workerThreads.Worker = class extends PLAIN_WORKER {
    constructor(filename: string | URL, options?: ConstructorParameters<typeof PLAIN_WORKER>[1]) {
      const { NODE_OPTIONS: _ignored, ...env } = process.env;
      super(filename, { ...options, env });
    }
  };
  try {
    const esbuild = loadEsbuild();
    esbuild.transformSync('', { loader: 'ts' });
    return esbuild;
  } finally {
    workerThreads.Worker = current;
    delete process.env[INTERNAL_THREAD_MARK];
  }
}

function workerThreadsIsMain(): boolean {
  return (require('node:worker_threads') as typeof import('node:worker_threads')).isMainThread;
}

function drainSourceMaps(port: import('node:worker_threads').MessagePort, sourceMaps: Record<string, unknown>): void {
  const { receiveMessageOnPort } = require('node:worker_threads') as typeof import('node:worker_threads');
  for (let received = receiveMessageOnPort(port); received; received = receiveMessageOnPort(port)) {
    const { url, map } = received.message as { url: string; map: unknown };
    sourceMaps[url] = map;
  }
}

/**
 * Node's own threads that load preloads like a worker: the loader-hooks thread a program's loader started
 * (`--import tsx`, `module.register`). Not the program's code, and Node ends it without a goodbye: a profile
 * of it would only be a "worker ended without writing its profile" warning. Node 22.14+ says so
 * (isInternalThread); before, it is the only thread without a parentPort.
 */
function isNodeInternalThread(): boolean {
  const workerThreads = require('node:worker_threads') as typeof import('node:worker_threads') & { isInternalThread?: boolean };
  if (workerThreads.isMainThread) return false;
  return workerThreads.isInternalThread ?? workerThreads.parentPort === null;
}

// Last: everything above (the class too) must be defined before profiling starts.
if (outDir && !process.env[INTERNAL_THREAD_MARK]) {
  // The threads a loader's hooks start (esbuild's, under tsx) are loader machinery too.
  if (isNodeInternalThread()) process.env[INTERNAL_THREAD_MARK] = '1';
  else if (!isUnprofiledPackageManager()) startProfiling(outDir);
}
