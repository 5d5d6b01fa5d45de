// Status bar when waiting is the biggest thing: the await line that blocked longest, when it blocked
// longer than the hottest CPU line's self time.
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { formatDuration, formatPercent } from './heatModel';
import type { WaitModel } from './waitHeat';

/** Shows the biggest wait on `item` and returns true when it outweighs `hottestCpuMs`. */
export function showBiggestWait(item: vscode.StatusBarItem, waits: WaitModel | undefined, hottestCpuMs: number, isStale: (file: string) => boolean): boolean {
  const biggest = waits?.lines[0];
  if (!biggest || biggest.wait.blockedMs <= hottestCpuMs) return false;
  const stale = isStale(biggest.file) ? ' (stale)' : '';
  item.text = `$(watch) ${path.basename(biggest.file)}:${biggest.line} ⏳ ${formatDuration(biggest.wait.blockedMs)} waiting${stale}`;
  item.tooltip = `Biggest cost: waiting on ${biggest.file}:${biggest.line} in ${biggest.wait.function}, ${formatDuration(biggest.wait.blockedMs)} `
    + `(${formatPercent(biggest.wait.blockedPercent)} of the wall time, ${biggest.wait.count} awaits). Click to show the Hotspots view.`;
  item.show();
  return true;
}
