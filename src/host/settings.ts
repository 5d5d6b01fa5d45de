// Typed snapshot of the `hotspots.*` settings. Read once per operation and passed explicitly, so
// code below the command handlers never reads configuration itself.
import * as path from 'node:path';
import * as vscode from 'vscode';

export interface HeatSettings {
  /** Minimum share (percent) for a line to get heat. */
  heatThreshold: number;
  /** How many of the hottest lines get an inline annotation. */
  annotatedLines: number;
  /** Minimum share (percent) for an inline annotation. */
  annotationMinShare: number;
  /** Show heat in node_modules too. */
  includeDependencies: boolean;
}

export interface RunSettings {
  nodePath: string | undefined;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  samplingIntervalUs: number;
  keepInlining: boolean;
  measureWaits: boolean;
  /** Also sample the heap (`hotspots.profileMemory`, or "Profile memory of this file"); an object for "still held" runs. */
  profileMemory: boolean | { mode: 'retained' };
}

export function readHeatSettings(scope?: vscode.Uri): HeatSettings {
  const config = vscode.workspace.getConfiguration('hotspots', scope);
  return {
    heatThreshold: clampNumber(config.get<number>('heatThreshold'), 0, 100, 0.5),
    annotatedLines: Math.round(clampNumber(config.get<number>('annotatedLines'), 0, 100, 5)),
    annotationMinShare: clampNumber(config.get<number>('annotationMinShare'), 0, 100, 1),
    includeDependencies: config.get<boolean>('includeDependencies') === true,
  };
}

export function readRunSettings(script: vscode.Uri): RunSettings {
  const config = vscode.workspace.getConfiguration('hotspots', script);
  const folder = vscode.workspace.getWorkspaceFolder(script)?.uri.fsPath;
  const fileDirname = path.dirname(script.fsPath);
  const expand = (value: string) => value
    .replace(/\$\{workspaceFolder\}/g, folder ?? fileDirname)
    .replace(/\$\{fileDirname\}/g, fileDirname);
  const configuredCwd = (config.get<string>('cwd') ?? '').trim();
  const cwd = configuredCwd ? path.resolve(folder ?? fileDirname, expand(configuredCwd)) : folder ?? fileDirname;
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(config.get<Record<string, unknown>>('env') ?? {})) {
    if (value !== null && value !== undefined) env[key] = expand(String(value));
  }
  const nodePath = (config.get<string>('nodePath') ?? '').trim();
  return {
    nodePath: nodePath ? expand(nodePath) : undefined,
    args: (config.get<unknown[]>('args') ?? []).map(arg => expand(String(arg))),
    env,
    cwd,
    samplingIntervalUs: Math.round(clampNumber(config.get<number>('samplingIntervalUs'), 50, 100_000, 1000)),
    keepInlining: config.get<boolean>('keepInlining') === true,
    measureWaits: config.get<boolean>('measureWaits') !== false,
    profileMemory: config.get<boolean>('profileMemory') === true,
  };
}

function clampNumber(value: number | undefined, min: number, max: number, fallback: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, value));
}
