// Run-time side of wait attribution, bundled into dist/preload.js (Node built-ins only). Instrumented
// files (see instrument.ts) call it around every await: `n()` starts an async function invocation,
// `s()` marks the await's start, `e()` its resumption, `it()` wraps a `for await` source.
//
// Chains: an invocation that suspends for the first time (its caller's synchronous call just returned
// its promise) is "fresh". The next await started in the same synchronous run is the caller awaiting it
// (`await loadOrder()`, `await Promise.all(ids.map(load))`), so the fresh invocations started after the
// awaiting one are linked to that await: their awaits are part of its chain. A microtask clears what no
// await claimed.
//
// Cost: reading a clock costs more than an await of a settled promise, so awaits are not timed one by one.
// The event loop's turns are numbered instead (a setImmediate per turn in which awaits started ends the
// turn and notes the time): an await that resumes in the turn it started in (a settled promise) never
// waited for I/O and is only counted; one that resumes in a later turn is timed from the end of its
// turn (the thread was busy until then) to its resumption.
import type { WaitRecording } from './recording';
import { RECORD_FIELDS } from './recording';

/** A million timed awaits (~40 MB of numbers, ~50 MB in the profile); beyond, awaits are counted without intervals. */
const MAX_RECORDS = 1_000_000;

interface Invocation {
  /** Id of the await that waits for this invocation, or -1. */
  parent: number;
  /** Whether it has not suspended yet. */
  fresh: boolean;
  /** Order of creation: a caller's invocation starts before its callees'. */
  seq: number;
  site: number;
  /** Event-loop turn in which the pending await started. */
  startedTurn: number;
  id: number;
}

export interface WaitRecorder {
  n(): Invocation;
  s<T>(invocation: Invocation, site: number, value: T): T;
  e<T>(invocation: Invocation, value: T): T;
  it(invocation: Invocation, site: number, source: unknown): AsyncIterable<unknown>;
  /** `inserted`: where the instrumentation added text, for files with a source map (WaitRecording.files). */
  file(url: string, sites: number[], names: string[], inserted?: number[]): number;
  /** The user's first file is about to run (the first call counts). */
  programStarts(): void;
  /** A file that runs without instrumentation (syntax the parser does not know). */
  skip(file: string, reason: string): void;
}

/** `onProgramStart`: called once, when the user's first file starts running. */
export function createWaitRecorder(onProgramStart: () => void = () => undefined): { recorder: WaitRecorder; take(): WaitRecording } {
  const now = performance.now.bind(performance);
  const clockOffsetUs = Number(process.hrtime.bigint() / 1000n) - now() * 1000;
  const files: WaitRecording['files'] = [];
  let counts = new Float64Array(64);
  let waitMs = new Float64Array(64);
  let maxWaitMs = new Float64Array(64);
  let siteCount = 0;
  const records: number[] = [];
  let droppedRecords = 0;
  let nextAwaitId = 0;
  let nextInvocation = 0;
  let freshInvocations: Invocation[] = [];
  let clearScheduled = false;
  const skipped: WaitRecording['skipped'] = [];
  let programStartMs: number | undefined;
  const markProgramStart = (): void => {
    if (programStartMs !== undefined) return;
    programStartMs = now();
    onProgramStart();
  };
  let turn = 0;
  let turnEndScheduled = false;
  /** turnEnds[t]: when turn t ended (performance.now ms). */
  let turnEnds = new Float64Array(1024);
  const endTurn = (): void => {
    turnEndScheduled = false;
    if (turn >= turnEnds.length) turnEnds = grow(turnEnds, turnEnds.length * 2);
    turnEnds[turn++] = now();
  };
  const clearFresh = (): void => {
    freshInvocations = [];
    clearScheduled = false;
  };

  /** The await of `invocation` at `site` spanned event-loop turns: how long it waited. */
  const finishTimed = (invocation: Invocation, site: number): void => {
    const started = turnEnds[invocation.startedTurn];
    const duration = now() - started;
    waitMs[site] += duration;
    if (duration > maxWaitMs[site]) maxWaitMs[site] = duration;
    if (records.length >= MAX_RECORDS * RECORD_FIELDS) droppedRecords++;
    else records.push(site, started, duration, invocation.id, invocation.parent);
  };

  const finish = (invocation: Invocation): void => {
    const site = invocation.site;
    if (site < 0) return;
    invocation.site = -1;
    counts[site]++;
    if (invocation.startedTurn !== turn) finishTimed(invocation, site);
  };

  const recorder: WaitRecorder = {
    n: () => ({ parent: -1, fresh: true, seq: nextInvocation++, site: -1, startedTurn: 0, id: -1 }),
    s(invocation, site, value) {
      // The previous await of this invocation threw (no e()): it ended when the function went on.
      if (invocation.site >= 0) finish(invocation);
      const id = nextAwaitId++;
      if (freshInvocations.length > 0) {
        // Only invocations started after this one can be its callees (`ids.map(load)`: the second
        // load's first await does not wait for the first load).
        const unclaimed: Invocation[] = [];
        for (const callee of freshInvocations) {
          if (callee.seq > invocation.seq) callee.parent = id;
          else if (callee !== invocation) unclaimed.push(callee);
        }
        freshInvocations = unclaimed;
      }
      if (invocation.fresh) {
        invocation.fresh = false;
        freshInvocations.push(invocation);
        if (!clearScheduled) {
          clearScheduled = true;
          queueMicrotask(clearFresh);
        }
      }
      invocation.site = site;
      invocation.id = id;
      invocation.startedTurn = turn;
      if (!turnEndScheduled) {
        turnEndScheduled = true;
        setImmediate(endTurn);
      }
      return value;
    },
    e(invocation, value) {
      // finish(), written out: this runs after every await, and the profiler turns V8's inlining off.
      const site = invocation.site;
      if (site < 0) return value;
      invocation.site = -1;
      counts[site]++;
      if (invocation.startedTurn !== turn) finishTimed(invocation, site);
      return value;
    },
    it(invocation, site, source) {
      return timedIteration(source, () => recorder.s(invocation, site, undefined), () => finish(invocation));
    },
    file(url, sites, names, inserted) {
      // ES modules have no compile hook in this thread: their first instrumented file marks the start.
      markProgramStart();
      const base = siteCount;
      files.push(inserted ? { url, sites, names, inserted } : { url, sites, names });
      siteCount += sites.length / 2;
      if (siteCount > counts.length) {
        const size = Math.max(siteCount, counts.length * 2);
        counts = grow(counts, size);
        waitMs = grow(waitMs, size);
        maxWaitMs = grow(maxWaitMs, size);
      }
      return base;
    },
    programStarts() {
      markProgramStart();
    },
    skip(file, reason) {
      skipped.push({ file, reason });
      process.emitWarning(`hotspots: waits are not measured in ${file} (${reason}); CPU is still profiled`);
    },
  };

  const take = (): WaitRecording => ({
    clockOffsetUs,
    files,
    counts: Array.from(counts.subarray(0, siteCount)),
    waitUs: Array.from(waitMs.subarray(0, siteCount), ms => Math.round(ms * 1000)),
    maxWaitUs: Array.from(maxWaitMs.subarray(0, siteCount), ms => Math.round(ms * 1000)),
    // Microseconds are enough (the profile's own resolution) and keep the profile file smaller.
    records: records.map(value => Math.round(value * 1000) / 1000),
    minRecordUs: 0,
    droppedRecords,
    programStartMs,
    skipped,
  });
  return { recorder, take };
}

function grow(array: Float64Array<ArrayBuffer>, size: number): Float64Array<ArrayBuffer> {
  const bigger = new Float64Array(size);
  bigger.set(array);
  return bigger;
}

/** `for await` over `source`, timing each step from the request of the next value to its arrival. */
function timedIteration(source: unknown, started: () => void, ended: () => void): AsyncIterable<unknown> {
  const iterable = source as Partial<AsyncIterable<unknown> & Iterable<unknown>>;
  return {
    [Symbol.asyncIterator]() {
      const asyncIterator = iterable[Symbol.asyncIterator]?.call(iterable);
      const iterator = (asyncIterator ?? iterable[Symbol.iterator]!.call(iterable)) as AsyncIterator<unknown> | Iterator<unknown>;
      const timed = async (step: () => unknown): Promise<IteratorResult<unknown>> => {
        started();
        try {
          const result = (await step()) as IteratorResult<unknown>;
          // A sync iterator's values are awaited by `for await` too.
          return asyncIterator || result.done ? result : { done: false, value: await result.value };
        } finally {
          ended();
        }
      };
      return {
        next: (value?: unknown) => timed(() => iterator.next(value)),
        return: (value?: unknown) => Promise.resolve(iterator.return ? iterator.return(value) : { done: true, value }) as Promise<IteratorResult<unknown>>,
        throw: (error?: unknown) => (iterator.throw ? Promise.resolve(iterator.throw(error)) : Promise.reject(error)) as Promise<IteratorResult<unknown>>,
      };
    },
  };
}
