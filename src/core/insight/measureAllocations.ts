// `lint --profile` with a report of `profile --memory`: findings of rules about repeated copying (an
// accumulator spread or concatenated every step) are as much an allocation problem as a CPU one, so they
// get the bytes their enclosing function allocated over the run. Per function: V8 records no allocating line.
import * as path from 'node:path';
import { formatBytes } from '../profile/memory/allocations';
import { functionEndLine } from '../profile/memory/functionRange';
import type { SourceReader } from '../compare/sourceContext';
import type { Finding } from '../lint/types';
import type { Report, ReportAllocation } from '../profile/types';

/** Rules whose fix removes allocation (copies of a growing accumulator). */
export const ALLOCATION_RULES: ReadonlySet<string> = new Set(['quadratic/accumulating-spread']);

export interface AllocationMeasurement {
  /** Bytes the function containing the finding allocated over the run, and its share of all allocation. */
  measuredAllocatedBytes?: number;
  measuredAllocatedPercent?: number;
}

export function addMeasuredAllocation<T extends Finding>(findings: T[], report: Report, readSource: SourceReader, cwd: string): (T & AllocationMeasurement)[] {
  const allocations = report.allocations ?? [];
  if (allocations.length === 0) return findings;
  const reportCwd = report.workload?.cwd;
  const sameFile = (entry: ReportAllocation, file: string): boolean => entry.file === file
    || (!!reportCwd && path.relative(reportCwd, entry.file) === path.relative(cwd, file));
  return findings.map(finding => {
    if (!ALLOCATION_RULES.has(finding.ruleId)) return finding;
    const source = readSource(finding.file);
    if (source === undefined) return finding;
    const lines = source.split('\n');
    const document = { lineCount: lines.length, lineAt: (line: number) => ({ text: lines[line] ?? '' }) };
    // The innermost allocating function whose body holds the finding.
    const enclosing = allocations
      .filter(entry => sameFile(entry, finding.file) && entry.line <= finding.line && functionEndLine(document, entry.line - 1) + 1 >= finding.line)
      .sort((a, b) => b.line - a.line)[0];
    if (!enclosing) return finding;
    return {
      ...finding,
      message: `${finding.message} Its function \`${enclosing.function}\` allocated ${formatBytes(enclosing.allocatedBytes)} over the run (${enclosing.allocatedPercent}% of all allocation).`,
      measuredAllocatedBytes: enclosing.allocatedBytes,
      measuredAllocatedPercent: enclosing.allocatedPercent,
    };
  });
}
