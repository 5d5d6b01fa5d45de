// Terminal text of a report's memory part: the summary and the "Top allocations" table (80 columns).
import { displayPath, fitLeft, fitRight, formatMs } from '../format';
import type { Report } from '../types';
import { formatBytes } from './allocations';

const WIDTH = 80;
const LOCATION_WIDTH = 28;
const BYTES_WIDTH = 9;

export function formatMemoryText(report: Report, options: { top: number; cwd: string }): string {
  const { memory, allocations = [] } = report;
  if (!memory) return '';
  const out: string[] = [];
  const retained = memory.mode === 'retained';
  const summary = [
    retained ? `sampled objects still alive ${formatBytes(memory.allocatedBytes)}` : `allocated ${formatBytes(memory.allocatedBytes)}`,
    memory.outOfMemory ? 'held at the end: unknown (out of memory)' : `held at the end ${formatBytes(memory.retainedBytes)}`,
    `peak heap ${formatBytes(memory.peakHeapBytes)}`,
    `peak RSS ${formatBytes(memory.peakRssBytes)}`,
  ];
  if (memory.gcMs !== undefined) summary.push(`GC ${formatMs(memory.gcMs)}`);
  out.push(`Memory (heap sampled every ${formatBytes(memory.samplingIntervalBytes)})`);
  out.push(`  ${summary.join(' · ')}`);
  out.push(
    '',
    retained
      ? 'Top allocations still held (bytes each function allocated that are still alive at the end; what died is not counted)'
      : 'Top allocations (bytes allocated over the run per function; built-ins charged to their caller)',
  );
  if (allocations.length === 0) {
    out.push(retained ? '  (no sampled object of your code is still alive)' : '  (no allocation sampled in your code)');
    return `${out.join('\n')}\n`;
  }
  const nameWidth = WIDTH - 2 - 2 - LOCATION_WIDTH - 2 - BYTES_WIDTH - 2 - 6;
  out.push(`  ${'function'.padEnd(nameWidth)}  ${'location (function start)'.padEnd(LOCATION_WIDTH)}  ${(retained ? 'held' : 'allocated').padStart(BYTES_WIDTH)}  ${'share'.padStart(6)}`);
  for (const entry of allocations.slice(0, options.top)) {
    const location = fitLeft(`${displayPath(entry.file, options.cwd)}:${entry.line}`, LOCATION_WIDTH);
    out.push(
      `  ${fitRight(entry.function, nameWidth).padEnd(nameWidth)}  ${location.padEnd(LOCATION_WIDTH)}  ${formatBytes(entry.retainedBytes ?? entry.allocatedBytes).padStart(BYTES_WIDTH)}  ` +
        `${`${entry.allocatedPercent.toFixed(1)}%`.padStart(6)}`,
    );
  }
  if (!retained) out.push('  (what each function still holds at the end: profile --memory=retained)');
  return `${out.join('\n')}\n`;
}
