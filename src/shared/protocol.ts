// Typed messages between the extension host and the flame graph webview (and, in the self-contained
// HTML report, between the report page and the flame graph frame inside it). Pure types and tiny
// guards: imported by the host, the webview bundle and tests alike.
import type { SpeedscopeFrame } from '../core/flame/frames';
import type { ReportFunction, ReportLine } from '../core/profile/types';

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
}

/** What the webview persists with `setState` (VS Code hands it back to the panel serializer). */
export interface FlameWebviewState {
  profilePaths?: string[];
}

export type ColorScheme = 'DARK' | 'LIGHT';

/** A source location to open. `line` is 1-based. */
export interface SourceLocation {
  file: string;
  line: number;
}

export type HostToWebviewMessage =
  | { type: 'load'; data: FlameViewData }
  /** No profile yet: the webview shows the message instead of a flame graph. */
  | { type: 'empty'; message: string };

export type WebviewToHostMessage =
  /** The webview script runs and listens; the host may send `load`. */
  | { type: 'ready' }
  /** speedscope accepted the profile. */
  | { type: 'loaded'; runId: string; frameCount: number }
  /** The user selected a frame in the flame graph (read back from speedscope's detail view). */
  | { type: 'frameSelected'; frame: SelectedFrame }
  /** The user asked to open a source line. */
  | { type: 'openSource'; location: SourceLocation }
  | { type: 'error'; message: string };

export interface SelectedFrame {
  name: string;
  file: string;
  line: number;
}

/** Narrows an unknown message (from postMessage) to one the host understands. */
export function isWebviewToHostMessage(value: unknown): value is WebviewToHostMessage {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as { type?: unknown; location?: unknown; frame?: unknown };
  switch (message.type) {
    case 'ready':
      return true;
    case 'loaded':
      return typeof (message as { runId?: unknown }).runId === 'string';
    case 'error':
      return typeof (message as { message?: unknown }).message === 'string';
    case 'openSource':
      return isLocation(message.location);
    case 'frameSelected':
      return isLocation(message.frame) && typeof (message.frame as { name?: unknown }).name === 'string';
    default:
      return false;
  }
}

function isLocation(value: unknown): value is SourceLocation {
  if (typeof value !== 'object' || value === null) return false;
  const location = value as { file?: unknown; line?: unknown };
  return typeof location.file === 'string' && location.file.length > 0 && Number.isInteger(location.line) && (location.line as number) >= 1;
}
