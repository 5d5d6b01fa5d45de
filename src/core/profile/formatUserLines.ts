// The "your code" table of the terminal report: the user's lines with the dependency time they cause.
import { formatMs } from './format';
import { fitLocation } from './packages';
import type { ReportUserLine } from './types';
import { userLineDescription, userLinesWorthShowing } from './userLinesView';

const WIDTH = 80;
const LOCATION_WIDTH = 32;
const MS_WIDTH = 9;
const HITS_WIDTH = 5;

/**
 * Rows of the "Your code" section, or none when no line of the user's called into a dependency (then
 * the top lines already are the user's own code).
 */
export function formatUserLines(userLines: readonly ReportUserLine[] | undefined, top: number, shownPath: (file: string) => string): string[] {
  if (!userLines || !userLinesWorthShowing(userLines)) return [];
  const out = ['', 'Your code (own time + the dependencies it called, share of busy time, samples)'];
  const whereWidth = WIDTH - 2 - LOCATION_WIDTH - 2 - MS_WIDTH - 2 - 6 - 2 - HITS_WIDTH - 2;
  out.push(`  ${'location'.padEnd(LOCATION_WIDTH)}  ${'total'.padStart(MS_WIDTH)}  ${'share'.padStart(6)}  ${'hits'.padStart(HITS_WIDTH)}  spent in`);
  for (const line of userLines.slice(0, top)) {
    const location = `${fitLocation(shownPath(line.file), line.line, LOCATION_WIDTH - (line.callLineUnknown ? 1 : 0))}${line.callLineUnknown ? '?' : ''}`;
    out.push(
      `  ${location.padEnd(LOCATION_WIDTH)}  ${formatMs(line.totalMs).padStart(MS_WIDTH)}  ${`${line.totalPercent.toFixed(1)}%`.padStart(6)}  ` +
        `${String(line.hits).padStart(HITS_WIDTH)}  ${fit(userLineDescription(line), whereWidth)}`,
    );
  }
  if (userLines.slice(0, top).some(line => line.callLineUnknown)) out.push('  (? the calling line is not known: the function\'s first line is shown)');
  return out;
}

function fit(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}
