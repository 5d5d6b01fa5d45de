// Builds what the flame view needs from a report and its profiles: once per run, in the host or the CLI.
import { randomBytes } from 'node:crypto';
import type { FlameViewData, FlameWeight } from './viewTypes';
import type { Report } from '../profile/types';
import type { SpeedscopeFrame } from './frames';
import type { SpeedscopeFile } from './speedscope';

/** The webview only lists lines and functions; the hottest few thousand are plenty and keep messages small. */
const MAX_LINES = 2000;
const MAX_FUNCTIONS = 1000;
const MAX_ALLOCATIONS = 200;

/** A speedscope file ready to send: base64 JSON for `loadFileFromBase64`, plus its frames for the webview. */
export interface EncodedSpeedscope {
  name: string;
  base64: string;
  frames: SpeedscopeFrame[];
}

export function encodeSpeedscope(file: SpeedscopeFile): EncodedSpeedscope {
  return { name: file.name, base64: Buffer.from(JSON.stringify(file), 'utf8').toString('base64'), frames: file.shared.frames };
}

/** `weight`: the editor's panel, which can switch a memory run's flame graph between time and bytes. */
export function buildFlameViewData(report: Report, speedscope: SpeedscopeFile | EncodedSpeedscope, runId: string, profilePaths: string[] = [], weight?: FlameWeight): FlameViewData {
  const encoded = 'base64' in speedscope ? speedscope : encodeSpeedscope(speedscope);
  return {
    runId,
    title: encoded.name,
    speedscopeBase64: encoded.base64,
    frames: encoded.frames,
    profilePaths,
    lines: report.lines.slice(0, MAX_LINES).map(({ file, line, function: fn, selfMs, selfPercent }) => ({ file, line, function: fn, selfMs, selfPercent })),
    functions: report.functions
      .slice(0, MAX_FUNCTIONS)
      .map(({ name, file, line, selfMs, totalMs, selfPercent, totalPercent }) => ({ name, file, line, selfMs, totalMs, selfPercent, totalPercent })),
    ...(weight && report.memory
      ? {
          memory: {
            weight,
            stillHeld: report.memory.mode === 'retained',
            allocations: (report.allocations ?? [])
              .slice(0, MAX_ALLOCATIONS)
              .map(({ function: fn, file, line, allocatedBytes, allocatedPercent }) => ({ function: fn, file, line, allocatedBytes, allocatedPercent })),
          },
        }
      : {}),
  };
}

/** A fresh CSP nonce: 128 random bits. */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}
