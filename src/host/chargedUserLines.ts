// Heat for the user's calling lines that "your code" charges with dependency time (Report.userLines):
// `total = slow.checksum(values)` spends 91% inside slowlib, yet its own self time is tiny, so the self
// heat alone leaves it cold. Pure data (no 'vscode'): heatModel.ts merges these lines into the editor's
// heat, the status bar names the hottest of them.
import type { Report, ReportUserLine } from '../core/profile/types';
import { userLineDescription } from '../core/profile/userLinesView';
import type { HeatSettings } from './settings';

/** What a calling line is charged with, beyond its own time. */
export interface ChargedTime {
  /** Self time plus the dependencies' and internals' time called from the line. */
  totalMs: number;
  totalPercent: number;
  /** "→ slowlib 91%": where most of it went. */
  via: string;
}

/**
 * The user's lines whose time is mostly in what they called (a package, Node.js internals, generated
 * code), above the heat threshold: heaviest first. A line that is mostly its own time is left to the
 * self heat, and so is a function's first line standing in for an unknown calling line.
 */
export function chargedUserLines(report: Report, settings: HeatSettings): { line: ReportUserLine; charged: ChargedTime }[] {
  return (report.userLines ?? [])
    // Without a known calling line the time sits on the function's first line, which did not call anything.
    .filter(line => !line.callLineUnknown && line.totalPercent >= settings.heatThreshold && line.totalMs > 0 && userLineDescription(line) !== 'own line')
    .sort((a, b) => b.totalMs - a.totalMs)
    .map(line => ({ line, charged: { totalMs: line.totalMs, totalPercent: line.totalPercent, via: userLineDescription(line) } }));
}
