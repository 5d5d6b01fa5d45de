// What the preload's wait recorder stores in a profile's `$hotspots.waits` (pure data, shared by the
// recorder and the report builder).

/** Global symbol under which the preload's wait recorder lives in each thread (`Symbol.for(...)`). */
export const WAIT_RECORDER_KEY = 'hotspots.waits';

/** A `//# sourceMappingURL=` comment line (as sourceMaps.ts reads them): the file has its own source map. */
export const SOURCE_MAP_COMMENT = /^[ \t]*\/\/[#@][ \t]*sourceMappingURL=/m;

/** Source text that reaches the recorder from instrumented code (it is absent when waits are not measured). */
export const WAIT_RECORDER_EXPRESSION = `globalThis[Symbol.for(${JSON.stringify(WAIT_RECORDER_KEY)})]`;

/** Instrumented awaits of one thread: sites, per-site sums, and the awaits long enough to have waited. */
export interface WaitRecording {
  /** performance.now() (ms) + this = the V8 profile clock (µs): `us = ms * 1000 + clockOffsetUs`. */
  clockOffsetUs: number;
  /**
   * Script URL (as V8 reports it) and flat 0-based [line, column] pairs of its sites, in site-id order.
   * `inserted`, for a file with a source map: flat [line0, column0, length] of each piece of text the
   * instrumentation added before that position of the file on disk, in file order. V8 reports columns of
   * the code that ran; the map knows the file's own.
   */
  files: { url: string; sites: number[]; names: string[]; inserted?: number[] }[];
  /** Per site id: awaits that completed, and their summed suspension across event-loop turns (µs). */
  counts: number[];
  waitUs: number[];
  /** Per site id: the longest single suspension (µs). */
  maxWaitUs?: number[];
  /**
   * Awaits that resumed in a later event-loop turn than they started in, five numbers each: site id,
   * start (performance.now ms: the end of the turn it started in), duration (ms), the await's id, the id
   * of the await that was waiting for this async function invocation (-1: none known). Awaits that
   * resumed in their own turn (settled promises) cannot have waited on I/O: counted, not timed.
   */
  records: number[];
  minRecordUs: number;
  /** Records left out when the cap was reached (their counts and wait sums are still in `counts`/`waitUs`). */
  droppedRecords: number;
  /**
   * When the user's first file started running (performance.now ms; after the parser was loaded and the
   * file instrumented): the start of the program's elapsed time. Absent: the profile's start.
   */
  programStartMs?: number;
  /** Files loaded without instrumentation, and why (unknown syntax). */
  skipped: { file: string; reason: string }[];
}

export const RECORD_FIELDS = 5;
