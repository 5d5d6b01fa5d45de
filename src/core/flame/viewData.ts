// Builds what the flame view needs from a report and its profiles: once per run, in the host or the CLI.
import { randomBytes } from 'node:crypto';
import type { FlameViewData } from '../../shared/protocol';
import type { Report } from '../profile/types';
import type { SpeedscopeFile } from './speedscope';

/** The webview only lists lines and functions; the hottest few thousand are plenty and keep messages small. */
const MAX_LINES = 2000;
const MAX_FUNCTIONS = 1000;

export function buildFlameViewData(report: Report, speedscope: SpeedscopeFile, runId: string): FlameViewData {
  return {
    runId,
    title: speedscope.name,
    speedscopeBase64: Buffer.from(JSON.stringify(speedscope), 'utf8').toString('base64'),
    lines: report.lines.slice(0, MAX_LINES).map(({ file, line, function: fn, selfMs, selfPercent }) => ({ file, line, function: fn, selfMs, selfPercent })),
    functions: report.functions
      .slice(0, MAX_FUNCTIONS)
      .map(({ name, file, line, selfMs, totalMs, selfPercent, totalPercent }) => ({ name, file, line, selfMs, totalMs, selfPercent, totalPercent })),
  };
}

/** A fresh CSP nonce: 128 random bits. */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}
