// Glue between a profiled run and memory profiling: the preload's environment, the heap profile files a
// run wrote, and the Report's `memory` / `allocations` built from them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Report } from '../types';
import { buildMemoryReport, CpuProfileInput, HeapProfileInput } from './allocations';
import { HEAP_PROFILE_EXTENSION, readHeapProfileFile } from './heapProfile';
import type { HeapSamplingMode } from './heapProfileTypes';
import { RUN_ENV } from '../runProtocol';

/** `true` = at the default interval. */
export type MemoryRunOption = boolean | { mode?: HeapSamplingMode; intervalBytes?: number };

export function memoryEnvironment(option: MemoryRunOption | undefined): Record<string, string> {
  if (!option) return { [RUN_ENV.memory]: '0' };
  const settings = typeof option === 'object' ? option : {};
  return {
    [RUN_ENV.memory]: settings.mode ?? 'allocated',
    ...(settings.intervalBytes ? { [RUN_ENV.memoryIntervalBytes]: String(settings.intervalBytes) } : {}),
  };
}

/** Heap profiles in a run's out dir, oldest first. */
export function heapProfilesIn(outDir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(outDir).filter(name => name.endsWith(HEAP_PROFILE_EXTENSION));
  } catch {
    return [];
  }
  return names.map(name => path.join(outDir, name)).sort((a, b) => fs.statSync(a).mtimeMs - fs.statSync(b).mtimeMs);
}

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
