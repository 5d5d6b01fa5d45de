// Pure helpers shared by the host, the HTML report and the webview bundle (no Node or DOM imports).
import type { FlameHotFunction, FlameHotLine } from './viewTypes';

/** A frame as speedscope's file format describes it. `line` and `col` are 1-based. */
export interface SpeedscopeFrame {
  name: string;
  file?: string;
  line?: number;
  col?: number;
}

/**
 * The text speedscope prints for a frame in the stack trace of its detail view: `name (file:line:col)`.
 * speedscope exposes no selection API, so the webview finds the selected frame by looking for exactly
 * this text in the DOM: it relies on speedscope's output format, never on its (hashed) class names.
 */
export function frameDisplayKey(frame: SpeedscopeFrame): string {
  if (!frame.file) return frame.name;
  let location = frame.file;
  if (frame.line != null) {
    location += `:${frame.line}`;
    if (frame.col != null) location += `:${frame.col}`;
  }
  return `${frame.name} (${location})`;
}

/**
 * The hot lines of the function a frame stands for, hottest first. Lines are matched by file and
 * function name; when the report names the function differently, the lines of the file between the
 * frame's start line and the next function known to start after it are used instead.
 */
export function hotLinesForFrame(
  frame: { name: string; file: string; line: number },
  lines: readonly FlameHotLine[],
  functions: readonly FlameHotFunction[],
  limit = 8,
): FlameHotLine[] {
  const inFile = lines.filter(line => line.file === frame.file);
  let matched = inFile.filter(line => line.function === frame.name);
  if (matched.length === 0) {
    const nextStart = functions
      .filter(fn => fn.file === frame.file && fn.line > frame.line)
      .reduce((lowest, fn) => Math.min(lowest, fn.line), Number.POSITIVE_INFINITY);
    matched = inFile.filter(line => line.line >= frame.line && line.line < nextStart);
  }
  return matched.slice().sort((a, b) => b.selfMs - a.selfMs || a.line - b.line).slice(0, limit);
}

/** "12.3 ms" / "1.24 s": compact durations for tables and links. */
export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(0)} ms`;
  return `${ms.toFixed(1)} ms`;
}

/** The last two path segments: enough to recognise a file in a narrow panel. */
export function shortPath(file: string): string {
  const parts = file.split(/[\\/]/).filter(Boolean);
  return parts.length <= 2 ? file : `…/${parts.slice(-2).join('/')}`;
}
