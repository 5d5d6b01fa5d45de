// Shared types of the profiling core. Pure data: no 'vscode', no Node I/O.
import type { WaitRecording } from './waits/recording';

/** Raw V8 CPU profile as written by the inspector (`Profiler.stop`), Chrome DevTools or `node --cpu-prof`. */
export interface CpuProfileCallFrame {
  functionName: string;
  scriptId: string | number;
  url: string;
  /** 0-based */
  lineNumber: number;
  /** 0-based */
  columnNumber: number;
}
export interface CpuProfileNode {
  id: number;
  callFrame: CpuProfileCallFrame;
  hitCount?: number;
  children?: number[];
  /** `line` is 1-based, in the script of the node's call frame. */
  positionTicks?: { line: number; ticks: number }[];
}
export interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
  /** Written by the Hotspots preload next to the V8 fields; other tools ignore it. */
  $hotspots?: HotspotsProfileMeta;
}

/** What the preload records about the process or worker a profile came from. */
export interface HotspotsProfileMeta {
  pid: number;
  ppid: number;
  threadId: number;
  kind: ProcessKind;
  argv: string[];
  /** Requested sampling interval in microseconds. */
  sampleIntervalUs: number;
  /** Whether TurboFan inlining was disabled for exact line attribution. */
  inliningDisabled: boolean;
  /** Source maps of code the preload transpiled itself (TypeScript), keyed by the script URL V8 reports. */
  sourceMaps?: Record<string, unknown>;
  /** Why the profile was written: 'exit' | 'signal:SIGINT' | 'uncaughtException' | 'stop' ... */
  reason?: string;
  /** URLs of the profiler's own scripts in this process (preload, ESM hooks, its esbuild). */
  profilerScripts?: string[];
  /** Instrumented awaits of this thread (absent when waits were off). */
  waits?: WaitRecording;
}

export type ProcessKind = 'main' | 'child' | 'worker';

/** Report JSON, version 1. Other tools and tests rely on these names; add fields, never rename. */
export interface Report {
  version: 1;
  command: string[];
  exitCode: number | null;
  signal: string | null;
  wallMs: number;
  sampleIntervalUs: number;
  totalSampledMs: number;
  categories: ReportCategories;
  processes: ReportProcess[];
  /** Sorted by selfMs descending; user code and dependencies, never `node:` internals. */
  lines: ReportLine[];
  functions: ReportFunction[];
  /**
   * "Your code": lines of the user's own files (not node_modules, not internals), each with its own
   * self time plus the time of the dependencies and Node internals it called. Sorted by totalMs.
   */
  userLines?: ReportUserLine[];
  warnings: string[];
  /** What was run, so a later run can be compared with this one (see src/core/compare). */
  workload?: ReportWorkload;
  /**
   * Per file (absolute path as in `lines`): one 32-bit hash per source line, base64. Lets a later
   * comparison diff the whole file as it was, not only the lines that had samples.
   */
  sourceFingerprints?: Record<string, string>;
  /** Await lines of the user's code, sorted by blockedMs descending (absent when waits were not recorded). */
  waits?: ReportWait[];
  /** The user's program from its start to its end (the main thread's profile), without Node's startup. */
  elapsedMs?: number;
  /**
   * The main thread's CPU time before the user's first file ran (Node's start-up, the loader reading the
   * entry and the profiler's preload): part of `totalSampledMs` and of the busy (non-idle) time, and of the
   * CPU tables, but not of `elapsedMs`. Without it busy + idle exceeds the program's elapsed time by a
   * start-up the user cannot see. Present when the main thread's program start is known (waits recorded).
   */
  startupMs?: number;
  /** `profile --memory`: heap summary of the run (see src/core/profile/memory). */
  memory?: ReportMemory;
  /** `profile --memory`: user functions by sampled bytes allocated, largest first (built-ins charged to their caller). */
  allocations?: ReportAllocation[];
}
/** One await line: how long its awaits kept their functions suspended, and their share of the idle time. */
export interface ReportWait {
  file: string;
  line: number;
  function: string;
  /** Awaits on this line that completed. */
  count: number;
  /** Suspension summed over those awaits (those that resumed in a later event-loop turn; settled promises count 0). */
  waitMs: number;
  /** The longest single suspension. */
  maxWaitMs?: number;
  /** Idle time charged to this line: shared among the async chains pending then (src/core/profile/waits/share.ts). */
  blockedMs: number;
  /** blockedMs as a share of the run's wall time, 0..100. */
  blockedPercent: number;
  text?: string;
  /** Await lines waiting for this one on its chains (callers' awaits), heaviest first. */
  awaitedBy?: { file: string; line: number; function: string; ms: number }[];
}
export interface ReportMemory {
  /** Largest used V8 heap of any one thread (main, child or worker). */
  peakHeapBytes: number;
  /** Largest peak resident set size of any one process. */
  peakRssBytes: number;
  /** Bytes allocated over the whole run (sampled estimate), all threads, objects that died included. */
  allocatedBytes: number;
  /** Heap still in use after a full GC at the end, minus the heap in use when profiling started (all threads). */
  retainedBytes: number;
  samplingIntervalBytes: number;
  /** Time in garbage collection as recorded around each GC (all threads). */
  gcMs?: number;
  /** A process ran out of memory: its numbers are from the last interim profile, `retainedBytes` is unknown. */
  outOfMemory?: boolean;
  /**
   * 'retained' (`profile --memory=retained`): only objects still alive at the end were sampled, so
   * `allocatedBytes` here and in `allocations` counts what was allocated and is still held. Absent: 'allocated'.
   */
  mode?: 'retained';
}
export interface ReportAllocation {
  /** Absolute path of the original source; `line` is the function's first line there. */
  file: string;
  line: number;
  function: string;
  allocatedBytes: number;
  /** Share of the run's allocated bytes, 0..100. */
  allocatedPercent: number;
  /** Of those, bytes still held at the end (sampled): only in runs with `--memory=retained` (see ReportMemory.mode). */
  retainedBytes?: number;
  /** User functions that called it, by bytes allocated through that call (for hovers). */
  callers?: ReportAllocationCaller[];
}
export interface ReportAllocationCaller {
  name: string;
  file: string;
  line: number;
  bytes: number;
}
export interface ReportWorkload {
  command: string[];
  /** Absolute working directory of the run; file paths under it are compared relative to it. */
  cwd: string;
  /** Absolute path of the profiled script, null when a whole command was profiled. */
  script: string | null;
  /** sha256 (first 16 hex digits) of the script's arguments as JSON, so arguments are not stored verbatim. */
  argsHash: string;
}
export interface ReportCategories {
  userMs: number;
  nodeInternalsMs: number;
  gcMs: number;
  idleMs: number;
  programMs: number;
  /** Idle time during which at least one await of the user's code was pending (part of idleMs). */
  blockedMs?: number;
  /**
   * Gaps between samples beyond what one sample may stand for (a few intervals): time the process was
   * not sampled (descheduled on a busy machine). Not part of `totalSampledMs` nor of any share.
   */
  unsampledMs?: number;
}
export interface ReportProcess {
  pid: number;
  kind: ProcessKind;
  argv: string[];
  profile: string;
  sampledMs: number;
}
export interface ReportLine {
  /** Absolute path of the original source (the .ts file when source maps exist). */
  file: string;
  /** 1-based line in `file`. */
  line: number;
  selfMs: number;
  /** Share of the non-idle sampled time, 0..100. */
  selfPercent: number;
  hits: number;
  function: string;
  /**
   * Part of selfMs that is code V8 inlined here from a function whose own line could not be told
   * (profiles recorded with inlining): it belongs to a callee of this line's function.
   */
  inlinedMs?: number;
  /** The line's source text, trimmed and capped, so a later run can be aligned across edits. */
  text?: string;
  /** Callers of the function that owns this line, heaviest first (extra field, for hovers). */
  callers?: ReportCaller[];
}
export interface ReportUserLine {
  file: string;
  /** 1-based: the line that made the call into a dependency, or where the time was spent. */
  line: number;
  function: string;
  /** selfMs plus the time of the dependencies and internals called from this line. */
  totalMs: number;
  /** Share of the non-idle sampled time, 0..100. */
  totalPercent: number;
  /** Time on the line itself. */
  selfMs: number;
  /** Samples behind totalMs. */
  hits: number;
  /** Where the charged time went, heaviest first: a package name, or 'Node.js internals'. */
  via: { name: string; ms: number }[];
  /** The calling line could not be told from the source: the time is on the function's first line. */
  callLineUnknown?: true;
}
export interface ReportCaller {
  name: string;
  file: string;
  line: number;
  ms: number;
}
export interface ReportFunction {
  name: string;
  file: string;
  /** 1-based line of the function's start in `file`. */
  line: number;
  selfMs: number;
  totalMs: number;
  selfPercent: number;
  totalPercent: number;
  callers?: ReportCaller[];
}
