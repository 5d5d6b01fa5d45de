// Terminal rendering of the waiting part of a comparison: elapsed time with busy and waiting beside it,
// and the await lines whose blocked time changed.
import type { Comparison } from './compare';
import { describeOverall, signedMs } from './format';
import { displayPath, fitLeft, fitRight, formatMs } from '../profile/format';

const WIDTH = 100;

/** "Before: 1.02 s elapsed (busy 150 ms, waiting 850 ms)   After: ...   4.10× faster (−75.6%)". */
export function describeElapsed(comparison: Comparison): string {
  const side = (figures: Comparison['before']): string =>
    `${formatMs(figures.wallMs ?? 0)} elapsed (busy ${formatMs(figures.busyMs ?? figures.totalMs)}, waiting ${formatMs(figures.blockedMs ?? 0)})`;
  return `Before: ${side(comparison.before)}   After: ${side(comparison.after)}   ${describeOverall(comparison)}`;
}

export function formatComparedWaits(comparison: Comparison, top: number, cwd: string): string[] {
  const changed = (comparison.waits ?? []).filter(wait => wait.deltaMs !== 0).slice(0, top);
  if (changed.length === 0) return [];
  const out = ['', 'Await lines whose waiting changed most (blocked time, before → after)'];
  for (const wait of changed) {
    const place = wait.beforeLine === wait.afterLine
      ? `:${wait.afterLine}`
      : wait.afterLine === null ? `:${wait.beforeLine} (gone)` : wait.beforeLine === null ? `:${wait.afterLine} (new)` : `:${wait.afterLine} (was ${wait.beforeLine})`;
    out.push(
      `  ${wait.deltaMs < 0 ? '▼' : '▲'} ${signedMs(wait.deltaMs).padStart(11)}  ${fitLeft(`${displayPath(wait.file, cwd)}${place}`, 48)}  ${formatMs(wait.beforeMs)} → ${formatMs(wait.afterMs)}`,
      `                 ${fitRight(wait.text, WIDTH - 17)}`,
    );
  }
  return out;
}
