// Types of the heap profiles the preload writes (V8 `HeapProfiler` sampling profile + `$hotspots` metadata).
// Pure data, shared by the preload (writer) and the reader.

/**
 * 'allocated': every sampled allocation of the run, dead or alive. 'retained': only the sampled objects
 * still alive at the end (after a full GC), so bytes per function are what it still holds. One run gives
 * one or the other (see DEVELOPERS-NOTES.md, "Heap profiles").
 */
export type HeapSamplingMode = 'allocated' | 'retained';

export interface HeapProfileCallFrame {
  functionName: string;
  scriptId: string | number;
  /** Empty for CommonJS modules on Node 20 (see DEVELOPERS-NOTES.md, "Heap profiles"). */
  url: string;
  /** 0-based start of the function; -1 when V8 did not resolve the script. */
  lineNumber: number;
  columnNumber: number;
}

export interface RawHeapProfileNode {
  callFrame: HeapProfileCallFrame;
  /** Sampled bytes allocated by this function itself (scaled by V8 to estimate the true size). */
  selfSize: number;
  id: number;
  children: RawHeapProfileNode[];
}

export interface RawHeapProfile {
  head: RawHeapProfileNode;
  samples?: { size: number; nodeId: number; ordinal: number }[];
}

export interface HeapProfileMeta {
  pid: number;
  threadId: number;
  mode: HeapSamplingMode;
  samplingIntervalBytes: number;
  /** Largest used V8 heap seen (before any GC, or at the end). */
  peakHeapBytes: number;
  /** Peak resident set size of the whole process so far. */
  peakRssBytes: number;
  heapAtStartBytes: number;
  /** Used heap after a full GC at the end; null when it could not be measured (or the profile is interim). */
  heapAtEndBytes: number | null;
  heapLimitBytes: number;
  gcMs: number;
  /** 'exit', 'signal:SIGINT', 'stop', 'near-heap-limit' (written early: the program was close to running out of memory) ... */
  reason: string;
}

export interface HeapProfileFile extends RawHeapProfile {
  $hotspots?: HeapProfileMeta;
}
