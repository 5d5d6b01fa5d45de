// Preload side of `hotspots profile --memory`: V8's sampling heap profiler in this thread, next to the CPU
// profiler, through the same in-thread inspector session. Writes `<pid>-<threadId>.heapprofile` beside the
// thread's .cpuprofile (before it, so the launcher never sees a CPU profile without its heap profile).
// Bundled into dist/preload.js: Node built-ins only, nothing runs unless memory profiling was asked for.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HeapProfileMeta, HeapSamplingMode, RawHeapProfile } from './heapProfileTypes';
import { asProfilerEvaluation, PROFILER_EVALUATED_SCRIPT, RUN_ENV } from '../runProtocol';

/** `HOTSPOTS_MEMORY`: unset/'0' = off, 'retained' = only what is still alive at the end, anything else = every allocation of the run. */
const MEMORY_VARIABLE = RUN_ENV.memory;
const INTERVAL_VARIABLE = RUN_ENV.memoryIntervalBytes;
export const DEFAULT_HEAP_SAMPLING_INTERVAL_BYTES = 32768;
/** Deep enough for real call chains; V8's default (128) costs more per sample. */
const STACK_DEPTH = 64;
/**
 * Shares of the heap limit at which an interim profile is written (each once), in case the program runs
 * out of memory. The limit includes the young generation, so V8 gives up well before it (at ~55% with a 64 MB old space).
 */
const NEAR_HEAP_LIMIT_SHARES = [0.35, 0.45, 0.55, 0.65, 0.75, 0.85];
const NEAR_LIMIT_POLL_MS = 100;
/** Must match the expression the near-limit watcher evaluates in the main thread. */
const NEAR_LIMIT_HOOK = 'hotspots.memoryNearLimitCheck';

type Post = (method: string, params?: object) => unknown;

export interface HeapSampling {
  /** Stops sampling and writes the heap profile (once). */
  save(reason: string): void;
}

export function heapSamplingMode(env: NodeJS.ProcessEnv): HeapSamplingMode | null {
  const value = env[MEMORY_VARIABLE];
  if (!value || value === '0') return null;
  return value === 'retained' ? 'retained' : 'allocated';
}

/**
 * Starts sampling when the run asked for memory (HOTSPOTS_MEMORY). `filePrefix` is `<dir>/<pid>-<threadId>`.
 * Never throws: a Node.js without the heap profiler runs with CPU profiling only.
 */
export function startHeapSampling(post: Post, filePrefix: string, identity: Pick<HeapProfileMeta, 'pid' | 'threadId'>): HeapSampling | null {
  const mode = heapSamplingMode(process.env);
  if (!mode) return null;
  const v8 = require('node:v8') as typeof import('node:v8');
  const intervalBytes = Math.max(1, Number(process.env[INTERVAL_VARIABLE]) || DEFAULT_HEAP_SAMPLING_INTERVAL_BYTES);
  const heapAtStart = v8.getHeapStatistics().used_heap_size;
  try {
    post('HeapProfiler.enable');
    // Without both flags V8 drops the sample of an object when a GC collects it, so what is left when
    // sampling stops is what is still alive ('retained'); with them it keeps every sample ('allocated'),
    // and nothing in the profile says which of those objects are still alive. One sampler per isolate:
    // a run gets one or the other (DEVELOPERS-NOTES.md, "Heap profiles").
    const everySample = mode === 'allocated';
    post('HeapProfiler.startSampling', {
      samplingInterval: intervalBytes,
      stackDepth: STACK_DEPTH,
      includeObjectsCollectedByMajorGC: everySample,
      includeObjectsCollectedByMinorGC: everySample,
    });
  } catch (error) {
    process.emitWarning(`hotspots: no heap sampling in this thread (${(error as Error).message}); CPU profiling only`);
    return null;
  }
  // Records heap statistics around every GC from native callbacks, so busy loops are covered too.
  const gcProfiler = typeof v8.GCProfiler === 'function' ? new v8.GCProfiler() : null;
  gcProfiler?.start();
  const heapLimit = v8.getHeapStatistics().heap_size_limit;
  const outFile = `${filePrefix}.heapprofile`;
  let saved = false;

  const meta = (reason: string, gc: { peakHeapBytes: number; gcMs: number }, heapAtEnd: number | null): HeapProfileMeta => ({
    ...identity,
    mode,
    samplingIntervalBytes: intervalBytes,
    peakHeapBytes: gc.peakHeapBytes,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    heapAtStartBytes: heapAtStart,
    heapAtEndBytes: heapAtEnd,
    heapLimitBytes: heapLimit,
    gcMs: gc.gcMs,
    reason,
  });
  const write = (profile: RawHeapProfile, hotspots: HeapProfileMeta): void => {
    try {
      fs.mkdirSync(path.dirname(outFile), { recursive: true });
      const partial = `${outFile}.partial`;
      fs.writeFileSync(partial, JSON.stringify({ ...profile, $hotspots: hotspots }));
      fs.renameSync(partial, outFile);
    } catch (error) {
      process.emitWarning(`hotspots: could not write ${outFile}: ${(error as Error).message}`);
    }
  };

  let nearLimitStep = 0;
  const checkNearLimit = (): void => {
    // Runs a few times a second (see watchNearHeapLimit): a heap close to its limit may end in a fatal
    // out-of-memory error that no exit handler sees, so what was sampled so far is written now.
    if (saved || nearLimitStep >= NEAR_HEAP_LIMIT_SHARES.length) return;
    const used = v8.getHeapStatistics().used_heap_size;
    if (used < heapLimit * NEAR_HEAP_LIMIT_SHARES[nearLimitStep]) return;
    while (nearLimitStep < NEAR_HEAP_LIMIT_SHARES.length && used >= heapLimit * NEAR_HEAP_LIMIT_SHARES[nearLimitStep]) nearLimitStep++;
    try {
      const { profile } = post('HeapProfiler.getSamplingProfile') as { profile: RawHeapProfile };
      write(profile, meta('near-heap-limit', { peakHeapBytes: used, gcMs: 0 }, null));
    } catch { /* the final save still happens if the program survives */ }
  };
  watchNearHeapLimit(checkNearLimit);

  return {
    save(reason: string): void {
      if (saved) return;
      saved = true;
      let profile: RawHeapProfile;
      // Live-only sampling: a full GC first, so the samples of objects that are already garbage are dropped.
      if (mode === 'retained') collectGarbageNow(v8);
      try {
        profile = (post('HeapProfiler.stopSampling') as { profile: RawHeapProfile }).profile;
      } catch (error) {
        process.emitWarning(`hotspots: could not take the heap profile: ${(error as Error).message}`);
        return;
      }
      // What is still held at the end: the heap after a full GC (dead objects must not count).
      const heapAtEnd = collectGarbageNow(v8);
      write(profile, meta(reason, gcSummary(gcProfiler, heapAtEnd), heapAtEnd));
    },
  };
}

/** Full GC from inside the program (an exit handler cannot wait for the inspector's asynchronous one); used heap after it. */
function collectGarbageNow(v8: typeof import('node:v8')): number | null {
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc = (require('node:vm') as typeof import('node:vm')).runInNewContext('gc', undefined, { filename: PROFILER_EVALUATED_SCRIPT }) as () => void;
    gc();
    return v8.getHeapStatistics().used_heap_size;
  } catch {
    return null;
  }
}

interface GcStatistics { statistics: { cost: number; beforeGC: { heapStatistics: { usedHeapSize: number } } }[] }

function gcSummary(gcProfiler: { stop(): unknown } | null, heapAtEnd: number | null): { peakHeapBytes: number; gcMs: number } {
  const current = (require('node:v8') as typeof import('node:v8')).getHeapStatistics().used_heap_size;
  let peakHeapBytes = Math.max(current, heapAtEnd ?? 0);
  let gcUs = 0;
  const recorded = gcProfiler?.stop() as GcStatistics | undefined;
  for (const entry of recorded?.statistics ?? []) {
    // The heap is largest right before a collection.
    peakHeapBytes = Math.max(peakHeapBytes, entry.beforeGC.heapStatistics.usedHeapSize);
    gcUs += entry.cost;
  }
  return { peakHeapBytes, gcMs: Math.round(gcUs) / 1000 };
}

/**
 * A fatal out-of-memory error ends the process without exit handlers, and a program allocating in a
 * tight loop never yields to timers. A small idle thread asks the main thread through the inspector a few
 * times a second (an interrupt, which runs even inside a busy loop) to compare its heap with the limit.
 * Main thread only: workers have no inspector connection from a sibling thread.
 */
function watchNearHeapLimit(check: () => void): void {
  const workerThreads = require('node:worker_threads') as typeof import('node:worker_threads');
  if (!workerThreads.isMainThread) return;
  (globalThis as Record<symbol, unknown>)[Symbol.for(NEAR_LIMIT_HOOK)] = check;
  const source = `
    const { Session } = require('node:inspector');
    const session = new Session();
    session.connectToMainThread();
    const expression = ${JSON.stringify(asProfilerEvaluation(`globalThis[Symbol.for(${JSON.stringify(NEAR_LIMIT_HOOK)})]?.()`))};
    let waiting = false;
    setInterval(() => {
      if (waiting) return;
      waiting = true;
      session.post('Runtime.evaluate', { expression }, () => { waiting = false; });
    }, ${NEAR_LIMIT_POLL_MS});`;
  try {
    const watcher = new workerThreads.Worker(source, { eval: true, env: { ...process.env, HOTSPOTS_INTERNAL_THREAD: '1' }, stdout: false, stderr: false });
    watcher.unref();
    watcher.on('error', () => { /* without it, only the final profile is written */ });
  } catch { /* same */ }
}
