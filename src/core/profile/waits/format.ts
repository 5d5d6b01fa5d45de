// Terminal rendering of waits: "Top waits" and the one-line summary of where the wall time went.
import type { Report } from '../types';

/** Waiting is shown when the user's awaits blocked at least this share of the wall time... */
const NOTICEABLE_SHARE = 0.05;
/** ...or at least this long. */
const NOTICEABLE_MS = 50;

export interface WaitsFormatHelpers {
  top: number;
  width: number;
  location(file: string, line: number, width: number): string;
  formatMs(ms: number): string;
  fitRight(text: string, width: number): string;
}

/** Wall time the shares are of: the program's elapsed time when known, else the launcher's wall time. */
export function waitsWallMs(report: Report): number {
  return report.elapsedMs ?? report.wallMs;
}

export function waitingIsNoticeable(report: Report): boolean {
  const blockedMs = report.categories.blockedMs ?? 0;
  const wallMs = waitsWallMs(report);
  return blockedMs >= NOTICEABLE_MS || (wallMs > 0 && blockedMs / wallMs >= NOTICEABLE_SHARE);
}

/** Lines to print after the CPU tables (none when waits were not recorded or hardly mattered). */
export function formatWaitsText(report: Report, helpers: WaitsFormatHelpers): string[] {
  if (!report.waits) return [];
  const out: string[] = [];
  const wallMs = waitsWallMs(report);
  const { idleMs, blockedMs = 0 } = report.categories;
  const sampledMs = report.totalSampledMs;
  // The main thread's start-up (before the user's first file) is sampled CPU but not the program's time:
  // a row of its own, so busy + waiting + other idle is the program's elapsed time. Only the main process
  // knows where its program starts: the start-up of children and workers stays in busy. (Start-up is part of
  // the busy time; the bound only guards against a hand-edited report.)
  const startupMs = Math.min(report.startupMs ?? 0, Math.max(0, sampledMs - idleMs));
  const busyMs = Math.max(0, sampledMs - idleMs - startupMs);
  if (sampledMs > 0) {
    // Shares of the sampled time (profiler start to exit, every process and thread): they add up.
    const percent = (ms: number): string => `${Math.round((ms / sampledMs) * 100)}%`;
    const otherIdleMs = Math.max(0, idleMs - blockedMs);
    const scope = report.processes.length > 1 ? `${helpers.formatMs(sampledMs)} sampled in ${report.processes.length} processes` : `${helpers.formatMs(sampledMs)} sampled`;
    out.push('', `Where the time went (${scope}${wallMs > 0 ? `; your program ran ${helpers.formatMs(wallMs)}` : ''})`);
    const rows: [string, number][] = [['busy', busyMs], ['waiting on your awaits', blockedMs], ['other idle', otherIdleMs]];
    if (startupMs > 0) rows.unshift(['start-up (before your code)', startupMs]);
    for (const [label, ms] of rows) out.push(`  ${label.padEnd(28)}${helpers.formatMs(ms).padStart(12)}  ${percent(ms).padStart(6)}`);
  }
  if (!waitingIsNoticeable(report) || report.waits.length === 0) return out;
  const locationWidth = 34;
  const msWidth = 9;
  const functionWidth = helpers.width - 2 - locationWidth - 2 - msWidth - 2 - 6 - 2 - 7 - 2;
  out.push('', 'Top waits (blocked: idle while the await was pending; share of elapsed time)');
  out.push(`  ${'location'.padEnd(locationWidth)}  ${'blocked'.padStart(msWidth)}  ${'share'.padStart(6)}  ${'count'.padStart(7)}  function`);
  for (const wait of report.waits.slice(0, helpers.top)) {
    if (wait.blockedMs <= 0) break;
    out.push(
      `  ${helpers.location(wait.file, wait.line, locationWidth).padEnd(locationWidth)}  ${helpers.formatMs(wait.blockedMs).padStart(msWidth)}  ` +
        `${`${wait.blockedPercent.toFixed(1)}%`.padStart(6)}  ${String(wait.count).padStart(7)}  ${helpers.fitRight(wait.function, functionWidth)}`,
    );
  }
  return out;
}
