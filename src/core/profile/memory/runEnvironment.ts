// The launcher's side of `--memory`, kept apart from the report side (runMemory.ts): the preload's
// environment and the heap profile files a run wrote. launch.ts needs only this before it spawns the
// program, so the CLI does not load the allocation model until the program runs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HEAP_PROFILE_EXTENSION } from './heapProfile';
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
