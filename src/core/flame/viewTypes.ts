// Data the flame view (webview panel, HTML report) is built from. Pure types; shared/protocol.ts
// re-exports them for the host and the webview.
import type { ReportAllocation, ReportFunction, ReportLine } from '../profile/types';
import type { SpeedscopeFrame } from './frames';

/** A hot line as the webview lists it under the selected frame (the report's fields it needs). */
export type FlameHotLine = Pick<ReportLine, 'file' | 'line' | 'function' | 'selfMs' | 'selfPercent'>;

/** A function from the report, used to bound a frame's lines and to list the hottest functions. */
export type FlameHotFunction = Omit<ReportFunction, 'callers'>;

/** Everything the flame view needs; the host builds it once per run. */
export interface FlameViewData {
  /** Identifies the run the data came from, so the webview can tell a new profile from a re-send. */
  runId: string;
  title: string;
  /** A speedscope file (src/core/flame/speedscope.ts), JSON encoded as base64 for `loadFileFromBase64`. */
  speedscopeBase64: string;
  /** The file's `shared.frames` again, so the webview need not parse the (possibly large) file itself. */
  frames: SpeedscopeFrame[];
  lines: FlameHotLine[];
  functions: FlameHotFunction[];
  /** The .cpuprofile files shown; the webview keeps them in its state so a window reload can restore them. */
  profilePaths: string[];
  /** Runs with memory, in the editor's panel: the weight shown and the allocating functions (the switch time ↔ bytes). */
  memory?: FlameMemoryView;
}

/** What the flame graph is weighted by: time (CPU profiles) or bytes (the heap profiles of a memory run). */
export type FlameWeight = 'time' | 'bytes';

/** A function of the report's `allocations`, as the webview lists it. */
export type FlameAllocation = Pick<ReportAllocation, 'function' | 'file' | 'line' | 'allocatedBytes' | 'allocatedPercent'>;

export interface FlameMemoryView {
  weight: FlameWeight;
  /** A `--memory=retained` run: the bytes are what is still held at the end. */
  stillHeld: boolean;
  allocations: FlameAllocation[];
}

export type ColorScheme = 'DARK' | 'LIGHT';
