// What the editor shows for a Report: heat steps per line, the annotated lines and hover facts.
// Pure data (no 'vscode'), so decorations, the tree view, the status bar and the tests all read the
// same numbers.
import type { Report, ReportCaller, ReportFunction, ReportLine } from '../core/profile/types';
import type { HeatSettings } from './settings';
import { ChargedTime, chargedUserLines } from './chargedUserLines';

/** Lower bounds (percent of sampled time) of heat steps 2..5; step 1 starts at the heat threshold. */
export const HEAT_STEP_SHARES = [2, 5, 10, 25] as const;
export const HEAT_STEPS = HEAT_STEP_SHARES.length + 1;

export interface HeatLine {
  file: string;
  /** 1-based, as in the Report. */
  line: number;
  selfMs: number;
  selfPercent: number;
  hits: number;
  functionName: string;
  /** Inclusive time of the function owning the line, when the model knows it. */
  functionTotalMs: number | undefined;
  callers: ReportCaller[];
  /** 1 (coolest) .. HEAT_STEPS (hottest). */
  step: number;
  /** Inline after-text such as `41.2% · 820 ms`, only on the hottest lines. */
  annotation: string | undefined;
  /** Set when the file was edited since profiling and the line moved: its number in the profiled text. */
  profiledLine?: number;
  /** A line of the user's code charged with the time of the dependencies it called (chargedUserLines.ts). */
  charged?: ChargedTime;
}

export interface FileHeat {
  file: string;
  lines: HeatLine[];
}

export interface HeatModel {
  report: Report;
  /** Where the profile came from: a run of a script, or .cpuprofile files the user opened. */
  source: { kind: 'run'; script: string; profiles: string[] } | { kind: 'profiles'; profiles: string[] };
  /** Keyed by {@link fileKey}. */
  files: Map<string, FileHeat>;
  /** All lines with heat, hottest first. */
  lines: HeatLine[];
  /** User functions (and dependencies when included), by total time. */
  functions: ReportFunction[];
  /** The user's calling lines charged with dependency time, heaviest first (also in `files`, not in `lines`). */
  chargedLines: HeatLine[];
}

/** The profiler's own preload never reaches here: the report counts its frames as internals (model.ts). */
export function buildHeatModel(report: Report, source: HeatModel['source'], settings: HeatSettings): HeatModel {
  const visible = (file: string) => settings.includeDependencies || !isDependency(file);
  const lines: HeatLine[] = [];
  let annotated = 0;
  const byFunctionStart = indexFunctions(report.functions);
  for (const line of [...report.lines].sort((a, b) => b.selfMs - a.selfMs)) {
    if (!visible(line.file) || line.selfPercent < settings.heatThreshold || line.selfMs <= 0) continue;
    const wantsAnnotation = annotated < settings.annotatedLines && line.selfPercent >= settings.annotationMinShare;
    if (wantsAnnotation) annotated++;
    const owner = findOwningFunction(byFunctionStart, line);
    lines.push({
      file: line.file,
      line: line.line,
      selfMs: line.selfMs,
      selfPercent: line.selfPercent,
      hits: line.hits,
      functionName: line.function || owner?.name || '(anonymous)',
      functionTotalMs: functionTotalOf(line) ?? owner?.totalMs,
      callers: line.callers ?? owner?.callers ?? [],
      step: heatStep(line.selfPercent),
      annotation: wantsAnnotation ? formatShareAndTime(line.selfPercent, line.selfMs) : undefined,
    });
  }
  const chargedLines = mergeChargedLines(report, settings, lines, byFunctionStart);
  const files = new Map<string, FileHeat>();
  for (const line of [...lines, ...chargedLines.filter(line => !lines.includes(line))]) {
    const key = fileKey(line.file);
    let entry = files.get(key);
    if (!entry) files.set(key, entry = { file: line.file, lines: [] });
    entry.lines.push(line);
  }
  const functions = report.functions.filter(fn => visible(fn.file) && !fn.file.startsWith('node:'))
    .sort((a, b) => b.totalMs - a.totalMs);
  return { report, source, files, lines, functions, chargedLines };
}

/**
 * Gives the user's calling lines their charged heat: a line already hot by itself gets the hotter step
 * and says it includes dependency time; a cold one becomes a heat line of its own (in `files` only: the
 * "Top lines" stay self time).
 */
function mergeChargedLines(report: Report, settings: HeatSettings, lines: HeatLine[], byFunctionStart: Map<string, ReportFunction[]>): HeatLine[] {
  const merged: HeatLine[] = [];
  // hotspots.annotatedLines limits all annotations: charged lines share the budget of the lines' own.
  let annotated = lines.filter(heat => heat.annotation !== undefined).length;
  for (const { line, charged } of chargedUserLines(report, settings)) {
    const own = lines.find(heat => heat.line === line.line && fileKey(heat.file) === fileKey(line.file));
    const replacesOwn = own?.annotation !== undefined;
    const wantsAnnotation = (replacesOwn || annotated < settings.annotatedLines) && charged.totalPercent >= settings.annotationMinShare;
    if (wantsAnnotation && !replacesOwn) annotated++;
    const annotation = wantsAnnotation ? chargedAnnotation(charged) : undefined;
    if (own) {
      Object.assign(own, { charged, step: Math.max(own.step, heatStep(charged.totalPercent)), annotation: annotation ?? own.annotation });
      merged.push(own);
      continue;
    }
    const owner = findOwningFunction(byFunctionStart, { file: line.file, line: line.line, function: line.function } as ReportLine);
    merged.push({
      file: line.file,
      line: line.line,
      selfMs: line.selfMs,
      selfPercent: line.totalMs > 0 ? (line.selfMs / line.totalMs) * line.totalPercent : 0,
      hits: line.hits,
      functionName: line.function || owner?.name || '(anonymous)',
      functionTotalMs: owner?.totalMs,
      callers: owner?.callers ?? [],
      step: heatStep(charged.totalPercent),
      annotation,
      charged,
    });
  }
  return merged;
}

/** `91.2% · 820 ms incl. dependencies → slowlib 97%`: the share includes the time of what the line called. */
export function chargedAnnotation(charged: ChargedTime): string {
  return `${formatShareAndTime(charged.totalPercent, charged.totalMs)} incl. dependencies ${charged.via}`;
}

export function heatStep(selfPercent: number): number {
  let step = 1;
  for (const bound of HEAT_STEP_SHARES) if (selfPercent >= bound) step++;
  return step;
}

export function isDependency(file: string): boolean {
  return /[\\/]node_modules[\\/]/.test(file);
}

/** Map key for a file path: Windows paths compare case-insensitively, POSIX paths exactly. */
export function fileKey(file: string): string {
  return /^[a-zA-Z]:[\\/]/.test(file) ? file.replace(/\//g, '\\').toLowerCase() : file;
}

export function formatShareAndTime(percent: number, ms: number): string {
  return `${formatPercent(percent)} · ${formatDuration(ms)}`;
}

export function formatPercent(percent: number): string {
  return `${percent >= 10 ? percent.toFixed(1) : percent.toFixed(percent >= 1 ? 1 : 2)}%`;
}

export function formatDuration(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${Math.round(ms)} ms`;
  return `${ms.toFixed(1)} ms`;
}

function functionTotalOf(line: ReportLine): number | undefined {
  const total = (line as ReportLine & { functionTotalMs?: unknown }).functionTotalMs;
  return typeof total === 'number' ? total : undefined;
}

/** Functions per file sorted by start line, to find the function a line belongs to. */
function indexFunctions(functions: ReportFunction[]): Map<string, ReportFunction[]> {
  const byFile = new Map<string, ReportFunction[]>();
  for (const fn of functions) {
    const list = byFile.get(fn.file) ?? [];
    list.push(fn);
    byFile.set(fn.file, list);
  }
  for (const list of byFile.values()) list.sort((a, b) => a.line - b.line);
  return byFile;
}

/** The function of the line's name that starts closest above it (names repeat: prefer the same name). */
function findOwningFunction(byFile: Map<string, ReportFunction[]>, line: ReportLine): ReportFunction | undefined {
  const candidates = (byFile.get(line.file) ?? []).filter(fn => fn.line <= line.line);
  const sameName = candidates.filter(fn => fn.name === line.function);
  const pool = sameName.length ? sameName : candidates;
  return pool[pool.length - 1];
}
