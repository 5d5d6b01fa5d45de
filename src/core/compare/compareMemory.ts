// Memory before and after: allocated / held at the end / peak heap of two reports, the functions whose
// allocation changed most, and the memory regression check (`check --max-memory-regression`).
import { fileKey } from './compare';
import { median } from './check';
import { displayPath, fitLeft, fitRight } from '../profile/format';
import type { Report } from '../profile/types';
import { formatBytes } from '../profile/memory/allocations';

export interface MemoryMeasures {
  allocatedBytes: number;
  retainedBytes: number;
  peakHeapBytes: number;
}

export interface ComparedAllocation {
  function: string;
  /** The file as in the after report (before's when the function is gone). */
  file: string;
  line: number;
  beforeBytes: number;
  afterBytes: number;
  deltaBytes: number;
}

export interface MemoryComparison {
  before: MemoryMeasures;
  after: MemoryMeasures;
  /** Change of allocated bytes, in percent of before. */
  allocatedChangePercent: number;
  /** Functions by the size of their change, largest first. */
  functions: ComparedAllocation[];
  /** Both runs used `--memory=retained`: the per-function bytes are what is still held. */
  stillHeld?: boolean;
  /** The runs sampled differently (one allocated, one still held): their per-function bytes do not compare. */
  mismatch?: string;
}

/** null unless both reports carry memory. */
export function compareMemory(before: Report, after: Report): MemoryComparison | null {
  if (!before.memory || !after.memory) return null;
  // Functions are matched by name and file (relative to the run's directory): edits move their lines.
  const keyOf = (report: Report, fn: { function: string; file: string }): string => `${fileKey(report.workload?.cwd, fn.file)}\0${fn.function}`;
  const rows = new Map<string, ComparedAllocation>();
  for (const entry of before.allocations ?? []) {
    rows.set(keyOf(before, entry), { function: entry.function, file: entry.file, line: entry.line, beforeBytes: entry.allocatedBytes, afterBytes: 0, deltaBytes: 0 });
  }
  for (const entry of after.allocations ?? []) {
    const key = keyOf(after, entry);
    const row = rows.get(key) ?? { function: entry.function, file: entry.file, line: entry.line, beforeBytes: 0, afterBytes: 0, deltaBytes: 0 };
    Object.assign(row, { file: entry.file, line: entry.line, afterBytes: row.afterBytes + entry.allocatedBytes });
    rows.set(key, row);
  }
  for (const row of rows.values()) row.deltaBytes = row.afterBytes - row.beforeBytes;
  const measures = (report: Report): MemoryMeasures => ({
    allocatedBytes: report.memory!.allocatedBytes,
    retainedBytes: report.memory!.retainedBytes,
    peakHeapBytes: report.memory!.peakHeapBytes,
  });
  const beforeMode = before.memory.mode ?? 'allocated';
  const afterMode = after.memory.mode ?? 'allocated';
  return {
    before: measures(before),
    after: measures(after),
    allocatedChangePercent: percentChange(before.memory.allocatedBytes, after.memory.allocatedBytes),
    functions: [...rows.values()].filter(row => row.deltaBytes !== 0).sort((a, b) => Math.abs(b.deltaBytes) - Math.abs(a.deltaBytes)),
    ...(beforeMode === 'retained' && afterMode === 'retained' ? { stillHeld: true } : {}),
    ...(beforeMode !== afterMode
      ? { mismatch: `before sampled ${beforeMode === 'retained' ? 'what was still held' : 'every allocation'}, after ${afterMode === 'retained' ? 'what was still held' : 'every allocation'}: per-function bytes do not compare (profile both with the same --memory mode)` }
      : {}),
  };
}

export function formatMemoryComparison(comparison: MemoryComparison, options: { top: number; cwd: string }): string {
  const out: string[] = ['', 'Memory (before → after)'];
  const row = (label: string, key: keyof MemoryMeasures): string => {
    const before = comparison.before[key];
    const after = comparison.after[key];
    return `  ${label.padEnd(18)}${formatBytes(before).padStart(10)} → ${formatBytes(after).padStart(10)}  ${signedPercent(percentChange(before, after))}`;
  };
  out.push(row(comparison.stillHeld ? 'held (sampled)' : 'allocated', 'allocatedBytes'), row('held at the end', 'retainedBytes'), row('peak heap', 'peakHeapBytes'));
  if (comparison.mismatch) out.push(`  note: ${comparison.mismatch}`);
  if (comparison.functions.length > 0) {
    out.push('', comparison.stillHeld ? 'Bytes still held changed most (by function)' : 'Allocation changed most (by function)');
    for (const fn of comparison.functions.slice(0, options.top)) {
      const location = fitLeft(`${displayPath(fn.file, options.cwd)}:${fn.line}`, 28);
      out.push(`  ${fitRight(fn.function, 20).padEnd(20)}  ${location.padEnd(28)}  ${formatBytes(fn.beforeBytes).padStart(9)} → ${formatBytes(fn.afterBytes).padStart(9)}`);
    }
  }
  return `${out.join('\n')}\n`;
}

export interface MemoryVerdict {
  baselineBytes: number;
  runsBytes: number[];
  medianBytes: number;
  changePercent: number;
  maxRegressionPercent: number;
  regressed: boolean;
  /** Functions allocating more than in the baseline (median run), largest increase first. */
  responsible: ComparedAllocation[];
}

/** Allocated bytes of the median run against the baseline's: a regression when it grew by more than the allowed percent. */
export function evaluateMemoryRegression(baseline: Report, runs: readonly Report[], maxRegressionPercent: number): MemoryVerdict {
  if (!baseline.memory) throw new RangeError('the baseline has no memory');
  const runsBytes = runs.map(run => run.memory?.allocatedBytes ?? 0);
  const medianBytes = median(runsBytes);
  const medianRun = runs[runsBytes.indexOf([...runsBytes].sort((a, b) => a - b)[Math.floor((runsBytes.length - 1) / 2)])];
  const changePercent = percentChange(baseline.memory.allocatedBytes, medianBytes);
  const comparison = compareMemory(baseline, medianRun);
  return {
    baselineBytes: baseline.memory.allocatedBytes,
    runsBytes,
    medianBytes,
    changePercent,
    maxRegressionPercent,
    regressed: changePercent > maxRegressionPercent,
    responsible: (comparison?.functions ?? []).filter(fn => fn.deltaBytes > 0),
  };
}

export function formatMemoryVerdict(verdict: MemoryVerdict, options: { top: number; cwd: string }): string {
  const change = `allocated ${formatBytes(verdict.baselineBytes)} → ${formatBytes(verdict.medianBytes)} (${signedPercent(verdict.changePercent)})`;
  const out = [verdict.regressed
    ? `MEMORY REGRESSION: ${change}, allowed: +${verdict.maxRegressionPercent}%`
    : `MEMORY OK: ${change}, allowed: +${verdict.maxRegressionPercent}%`];
  if (verdict.regressed) {
    for (const fn of verdict.responsible.slice(0, options.top)) {
      out.push(`  ${fitRight(fn.function, 20).padEnd(20)}  ${fitLeft(`${displayPath(fn.file, options.cwd)}:${fn.line}`, 28).padEnd(28)}  +${formatBytes(fn.deltaBytes)}`);
    }
  }
  return `${out.join('\n')}\n`;
}

function percentChange(before: number, after: number): number {
  if (before <= 0) return after > 0 ? Infinity : 0;
  return Math.round(((after - before) / before) * 10000) / 100;
}

function signedPercent(percent: number): string {
  if (!Number.isFinite(percent)) return 'new';
  return `${percent > 0 ? '+' : ''}${percent.toFixed(1)}%`;
}
