// Glue between a profiled run and memory profiling: the Report's `memory` / `allocations` built from the
// heap profiles a run wrote (the preload's environment and finding those files: runEnvironment.ts).
import type { Report } from '../types';
import { buildMemoryReport, CpuProfileInput, HeapProfileInput } from './allocations';
import { readHeapProfileFile } from './heapProfile';

/** Adds `memory` and `allocations` (and their warnings) to a report built from the same run's CPU profiles. */
export async function addMemoryToReport(report: Report, run: { heapProfiles?: string[] }, cpuInputs: CpuProfileInput[]): Promise<Report> {
  const heapInputs: HeapProfileInput[] = [];
  for (const file of run.heapProfiles ?? []) {
    try {
      heapInputs.push({ path: file, profile: await readHeapProfileFile(file) });
    } catch (error) {
      report.warnings.push(`skipped an unreadable heap profile: ${(error as Error).message}`);
    }
  }
  if (heapInputs.length === 0) {
    report.warnings.push('no heap profile was written (the program was killed before the end, or its Node.js has no heap profiler): memory is not in this report');
    return report;
  }
  const { memory, allocations, warnings } = buildMemoryReport(heapInputs, cpuInputs);
  report.memory = memory;
  report.allocations = allocations;
  if (memory.outOfMemory) {
    // The launcher could only guess why no CPU profile was written; the heap profile says why.
    report.warnings = report.warnings.filter(warning => !/^no profile was written|ended without writing its profile/.test(warning));
  }
  report.warnings.push(...warnings);
  return report;
}
