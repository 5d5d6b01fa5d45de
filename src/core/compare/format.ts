// Plain-text rendering of a Comparison for the terminal.
import { displayPath, fitLeft, fitRight as fit, formatMs } from '../profile/format';
import type { Comparison, ComparedFunction, ComparedLine } from './compare';
import { describeElapsed, formatComparedWaits } from './formatWaitsComparison';

export interface ComparisonFormatOptions {
  /** How many lines and functions to list in each section. */
  top: number;
  /** Paths under this directory are shown relative to it. */
  cwd: string;
}

const WIDTH = 100;

export function formatComparisonText(comparison: Comparison, options: ComparisonFormatOptions): string {
  const out: string[] = [];
  out.push(comparison.measure === 'elapsed' ? describeElapsed(comparison) : `Before: ${formatMs(comparison.before.totalMs)} busy   After: ${formatMs(comparison.after.totalMs)} busy   ${describeOverall(comparison)}`);
  // Next to the verdict it qualifies, not among the warnings at the end.
  if (comparison.workloadDifference) out.push(`Note: ${comparison.workloadDifference}`);

  const changed = comparison.lines.filter(line => line.deltaMs !== 0).slice(0, options.top);
  out.push('', 'Lines that changed most (self time and share, before → after)');
  if (changed.length === 0) out.push('  (no line changed)');
  for (const line of changed) out.push(formatLine(line, options.cwd));

  const functions = comparison.functions.filter(fn => fn.deltaMs !== 0).slice(0, options.top);
  if (functions.length > 0) {
    out.push('', 'Functions that changed most (self time and share, before → after)');
    for (const fn of functions) out.push(formatFunction(fn, options.cwd));
  }

  out.push(...formatComparedWaits(comparison, options.top, options.cwd));

  if (comparison.newHotspots.length > 0) {
    out.push('', 'New hotspots (no time before)');
    for (const line of comparison.newHotspots.slice(0, options.top)) out.push(formatLine(line, options.cwd));
  }

  const warnings = comparison.warnings.filter(warning => warning !== comparison.workloadDifference);
  if (warnings.length > 0) {
    out.push('', 'Warnings');
    for (const warning of warnings) out.push(`  - ${warning}`);
  }
  return `${out.join('\n')}\n`;
}

/** "2.40× faster (−58.3%)", "1.50× slower (+50.0%)", "no change". */
export function describeOverall(comparison: Comparison): string {
  const { before, after, speedup } = comparison;
  if (speedup === null) return 'after run sampled no time';
  const [beforeMs, afterMs] = comparison.measure === 'elapsed' ? [before.wallMs ?? 0, after.wallMs ?? 0] : [before.totalMs, after.totalMs];
  if (beforeMs === 0) return 'before run sampled no time';
  const change = ((afterMs - beforeMs) / beforeMs) * 100;
  if (Math.abs(change) < 0.05) return 'no change';
  return speedup >= 1
    ? `${speedup.toFixed(2)}× faster (${signedPercent(change)})`
    : `${(1 / speedup).toFixed(2)}× slower (${signedPercent(change)})`;
}

/** Two rows per line: what changed and where, then the source text (it is what users recognise). */
export function formatLine(line: ComparedLine, cwd: string): string {
  const place = line.beforeLine === line.afterLine
    ? `:${line.afterLine}`
    : line.afterLine === null ? `:${line.beforeLine} (gone)` : line.beforeLine === null ? `:${line.afterLine} (new)` : `:${line.afterLine} (was ${line.beforeLine})`;
  const times = `${formatMs(line.beforeMs)} ${line.beforePercent.toFixed(1)}% → ${formatMs(line.afterMs)} ${line.afterPercent.toFixed(1)}%`;
  return `  ${arrow(line.deltaMs)} ${signedMs(line.deltaMs).padStart(11)}  ${fitLeft(`${displayPath(line.file, cwd)}${place}`, 48)}  ${times}\n` +
    `                 ${fit(line.text, WIDTH - 17)}`;
}

function formatFunction(fn: ComparedFunction, cwd: string): string {
  const times = `${formatMs(fn.beforeMs)} ${fn.beforePercent.toFixed(1)}% → ${formatMs(fn.afterMs)} ${fn.afterPercent.toFixed(1)}%`;
  return `  ${arrow(fn.deltaMs)} ${signedMs(fn.deltaMs).padStart(11)}  ${fit(fn.name || '(anonymous)', 24).padEnd(24)} ${fitLeft(displayPath(fn.file, cwd), 30)}  ${times}`;
}

function arrow(deltaMs: number): string {
  return deltaMs < 0 ? '▼' : '▲';
}

export function signedMs(ms: number): string {
  return `${ms < 0 ? '−' : '+'}${formatMs(Math.abs(ms))}`;
}

function signedPercent(percent: number): string {
  return `${percent < 0 ? '−' : '+'}${Math.abs(percent).toFixed(1)}%`;
}

