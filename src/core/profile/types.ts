// Shared types of the profiling core. Pure data: no 'vscode', no Node I/O.

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
