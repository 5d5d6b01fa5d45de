// Await lines in the editor's comparison annotations: their blocked time before → after, shaped like
// compared lines so the ▼/▲ annotations and hovers treat them alike (marked `waiting`).
import type { Comparison, ComparedLine } from '../core/compare/compare';

export type ComparedLineOrWait = ComparedLine & { waiting?: true };

export function comparedWaitLines(comparison: Comparison): ComparedLineOrWait[] {
  const share = (ms: number, wallMs: number | undefined): number => (wallMs ? Math.round((ms / wallMs) * 10000) / 100 : 0);
  return (comparison.waits ?? []).map(wait => ({
    ...wait,
    beforePercent: share(wait.beforeMs, comparison.before.wallMs),
    afterPercent: share(wait.afterMs, comparison.after.wallMs),
    function: '',
    waiting: true as const,
  }));
}
