// When the regression check judges by elapsed time instead of CPU samples.
import type { Report } from '../profile/types';

/** Waiting on the user's awaits at least this share of a run's elapsed time makes it count. */
const WAITING_SHARE = 0.1;

/** Every report knows its elapsed time and at least one spent a noticeable share of it waiting. */
export function waitingMatters(reports: readonly Report[]): boolean {
  if (reports.length === 0 || !reports.every(report => (report.elapsedMs ?? 0) > 0)) return false;
  return reports.some(report => (report.categories.blockedMs ?? 0) >= WAITING_SHARE * report.elapsedMs!);
}
