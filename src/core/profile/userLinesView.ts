// What the terminal and the Hot Lines view say about a line of the user's code (pure, no 'vscode').
import { GENERATED_CODE_LABEL } from './generatedCode';
import type { ReportUserLine } from './types';
import { NODE_INTERNALS_LABEL } from './userAttribution';

/** A line of the user's whose time went mostly into Node.js (zlib, crypto, fs…) is worth its own row from this share of busy time on. */
const NODE_CALL_WORTH_SHOWING_PERCENT = 10;

/**
 * Whether "your code" adds anything to the top lines: some line of the user's called into a package, or
 * spent a noticeable share of the run in Node.js's own code (`zlib.gzipSync(…)`: the top lines, own time
 * only, would not list that line at all).
 */
export function userLinesWorthShowing(userLines: readonly ReportUserLine[] | undefined): boolean {
  return !!userLines && userLines.some(line => line.via.some(via => via.name !== NODE_INTERNALS_LABEL
    || (via.ms > line.selfMs && line.totalPercent >= NODE_CALL_WORTH_SHOWING_PERCENT)));
}

/** "→ lodash 92%" for the heaviest place the line's time went, "own line" when most of it is its own. */
export function userLineDescription(line: ReportUserLine): string {
  const via = line.via[0];
  if (!via || line.totalMs <= 0 || via.ms < line.selfMs) return 'own line';
  const name = via.name === NODE_INTERNALS_LABEL ? 'Node.js' : via.name === GENERATED_CODE_LABEL ? 'generated' : via.name;
  return `→ ${name} ${Math.round((via.ms / line.totalMs) * 100)}%`;
}
