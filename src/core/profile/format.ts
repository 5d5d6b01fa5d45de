// Plain-text rendering of a Report for the terminal: aligned columns that fit in 80 columns.
import * as path from 'node:path';
import { formatUserLines } from './formatUserLines';
import { fitLocation } from './packages';
import type { Report } from './types';
import { formatWaitsText } from './waits/format';

export interface FormatOptions {
  /** How many lines and functions to list. */
  top: number;
  /** Paths under this directory are shown relative to it. */
  cwd: string;
}

const WIDTH = 80;
const LOCATION_WIDTH = 32;
/** Samples behind a row: a row from one or two samples is noise, whatever its milliseconds. */
const HITS_WIDTH = 5;
/** The function table also shows the name up front, so its locations get less room. */
const FUNCTION_LOCATION_WIDTH = 28;
/** formatMs never needs more: "9999.9 ms", "99999.9 s". */
const MS_WIDTH = 9;

export function formatReportText(report: Report, options: FormatOptions): string {
  const out: string[] = [];
  const busyMs = report.totalSampledMs - report.categories.idleMs;
  const share = (ms: number): string => (busyMs > 0 ? `${((ms / busyMs) * 100).toFixed(1)}%` : '-');
  const location = (file: string, line: number, width = LOCATION_WIDTH): string => fitLocation(displayPath(file, options.cwd), line, width);

  const header = [`${formatMs(report.totalSampledMs)} sampled`, `${formatMs(busyMs)} busy`, `interval ${report.sampleIntervalUs} µs`];
  if (report.wallMs > 0) header.push(`wall ${formatMs(report.wallMs)}`);
  out.push(`Hotspots: ${header.join(', ')}`);
  if (report.command.length > 0) {
    const outcome = report.signal ? `signal ${report.signal}` : report.exitCode === null ? '' : `exit ${report.exitCode}`;
    // The outcome is never cut off: the command is shortened instead.
    const suffix = outcome ? ` (${outcome})` : '';
    out.push(`${fitRight(`command: ${report.command.join(' ')}`, WIDTH - suffix.length)}${suffix}`);
  }

  out.push(...formatUserLines(report.userLines, options.top, file => displayPath(file, options.cwd)));
  out.push('', `Top lines (self time, share of busy time, samples)`);
  if (report.lines.length === 0) out.push('  (no samples in your code)');
  else {
    const functionWidth = WIDTH - 2 - LOCATION_WIDTH - 2 - MS_WIDTH - 2 - 6 - 2 - HITS_WIDTH - 2;
    out.push(`  ${'location'.padEnd(LOCATION_WIDTH)}  ${'self'.padStart(MS_WIDTH)}  ${'share'.padStart(6)}  ${'hits'.padStart(HITS_WIDTH)}  function`);
    for (const line of report.lines.slice(0, options.top)) {
      out.push(
        `  ${location(line.file, line.line).padEnd(LOCATION_WIDTH)}  ${formatMs(line.selfMs).padStart(MS_WIDTH)}  ` +
          `${share(line.selfMs).padStart(6)}  ${String(line.hits).padStart(HITS_WIDTH)}  ${fitRight(line.function, functionWidth)}`,
      );
    }
  }

  if (report.functions.length > 0) {
    const nameWidth = WIDTH - 2 - 2 - FUNCTION_LOCATION_WIDTH - 2 - MS_WIDTH - 2 - MS_WIDTH - 2 - 6;
    out.push('', 'Top functions (self and total time, share of total)');
    out.push(
      `  ${'function'.padEnd(nameWidth)}  ${'location'.padEnd(FUNCTION_LOCATION_WIDTH)}  ${'self'.padStart(MS_WIDTH)}  ` +
        `${'total'.padStart(MS_WIDTH)}  ${'share'.padStart(6)}`,
    );
    for (const fn of report.functions.slice(0, options.top)) {
      out.push(
        `  ${fitRight(fn.name, nameWidth).padEnd(nameWidth)}  ${location(fn.file, fn.line, FUNCTION_LOCATION_WIDTH).padEnd(FUNCTION_LOCATION_WIDTH)}  ` +
          `${formatMs(fn.selfMs).padStart(MS_WIDTH)}  ${formatMs(fn.totalMs).padStart(MS_WIDTH)}  ${share(fn.totalMs).padStart(6)}`,
      );
    }
  }

  const { categories } = report;
  out.push('', 'Time by category');
  const categoryRows: [string, number][] = [
    ['your code and dependencies', categories.userMs],
    ['Node.js internals', categories.nodeInternalsMs],
    ['garbage collection', categories.gcMs],
    ['V8 / native (program)', categories.programMs],
  ];
  for (const [label, ms] of categoryRows) out.push(`  ${label.padEnd(28)}${formatMs(ms).padStart(12)}  ${share(ms).padStart(6)}`);
  out.push(`  ${'idle (not in shares)'.padEnd(28)}${formatMs(categories.idleMs).padStart(12)}`);
  if (categories.unsampledMs) {
    out.push(`  ${'unsampled (descheduled)'.padEnd(28)}${formatMs(categories.unsampledMs).padStart(12)}  not in shares: gaps between samples`);
  }
  out.push(...formatWaitsText(report, { top: options.top, width: WIDTH, location: (file, line, width) => location(file, line, width), formatMs, fitRight }));

  if (report.processes.length > 1) {
    out.push('', `Processes (${report.processes.length})`);
    for (const process of report.processes) {
      const what = process.argv.length > 0 ? process.argv.join(' ') : path.basename(process.profile);
      out.push(fitRight(`  ${String(process.pid).padStart(7)}  ${process.kind.padEnd(6)}  ${formatMs(process.sampledMs).padStart(12)}  ${what}`, WIDTH));
    }
  }

  if (report.warnings.length > 0) {
    out.push('', 'Warnings');
    for (const warning of report.warnings) out.push(...wrap(warning, WIDTH - 4).map((text, i) => `${i === 0 ? '  - ' : '    '}${text}`));
  }
  return `${out.join('\n')}\n`;
}

export function formatMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${ms.toFixed(1)} ms`;
}

export function displayPath(file: string, cwd: string): string {
  if (!path.isAbsolute(file)) return file;
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/** Keeps the end of long paths, where the file name and line are. */
export function fitLeft(text: string, width: number): string {
  return text.length <= width ? text : `…${text.slice(text.length - width + 1)}`;
}

/** Keeps the start of long text. */
export function fitRight(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/)) {
    if (current && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  if (current) lines.push(current);
  return lines;
}

/**
 * Report JSON (v1) as text pieces: the top level indented, one line per element of its arrays. Reports
 * of huge profiles have tens of thousands of lines; writing them piece by piece never builds one string
 * of the whole report.
 */
export function* reportJsonChunks(report: Report): Generator<string> {
  // Lines of one function share its `callers` array: serialize each such array once.
  const callersJson = new Map<unknown, string>();
  const elementJson = (value: unknown): string => {
    const callers = (value as { callers?: unknown } | null)?.callers;
    if (!Array.isArray(callers)) return JSON.stringify(value);
    const { callers: _, ...rest } = value as { callers: unknown[] };
    let text = callersJson.get(callers);
    if (text === undefined) callersJson.set(callers, (text = JSON.stringify(callers)));
    const head = JSON.stringify(rest);
    return head === '{}' ? `{"callers":${text}}` : `${head.slice(0, -1)},"callers":${text}}`;
  };
  yield '{\n';
  const entries = Object.entries(report);
  for (let i = 0; i < entries.length; i++) {
    const [key, value] = entries[i];
    const comma = i < entries.length - 1 ? ',' : '';
    if (!Array.isArray(value) || value.length === 0) {
      yield `  ${JSON.stringify(key)}: ${JSON.stringify(value)}${comma}\n`;
      continue;
    }
    yield `  ${JSON.stringify(key)}: [\n`;
    for (let j = 0; j < value.length; j++) yield `    ${elementJson(value[j])}${j < value.length - 1 ? ',' : ''}\n`;
    yield `  ]${comma}\n`;
  }
  yield '}\n';
}
