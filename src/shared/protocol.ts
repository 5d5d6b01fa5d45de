// Typed messages between the extension host and the flame graph webview (and, in the self-contained
// HTML report, between the report page and the flame graph frame inside it). Pure types and tiny
// guards: imported by the host, the webview bundle and tests alike.
// The flame view's data types live with the code that builds them (core/flame/viewTypes.ts): core never
// imports from here, so the two folders do not import each other.
import type { FlameViewData, FlameWeight } from '../core/flame/viewTypes';

export type { ColorScheme, FlameAllocation, FlameHotFunction, FlameHotLine, FlameViewData, FlameWeight } from '../core/flame/viewTypes';

/** What the webview persists with `setState` (VS Code hands it back to the panel serializer). */
export interface FlameWebviewState {
  profilePaths?: string[];
}

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
  /** The user switched the flame graph between time and allocated bytes (runs with memory). */
  | { type: 'showWeight'; weight: FlameWeight }
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
    case 'showWeight':
      return (message as { weight?: unknown }).weight === 'time' || (message as { weight?: unknown }).weight === 'bytes';
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
