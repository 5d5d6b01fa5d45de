// Reads .cpuprofile files for the flame graph: names each process and maps locations through source
// maps exactly like the report model, so flame graph frames and report lines agree.
import { readCpuProfileFile } from '../profile/cpuprofile';
import { createLocationResolver } from '../profile/sourceMaps';
import type { HotspotsProfileMeta } from '../profile/types';
import * as path from 'node:path';
import { mapperFromResolver, toSpeedscope, type LocationMapper, type NamedCpuProfile, type SpeedscopeFile } from './speedscope';

export interface LoadedFlameProfiles {
  profiles: NamedCpuProfile[];
  mapLocation: LocationMapper;
}

export async function loadFlameProfiles(profilePaths: readonly string[]): Promise<LoadedFlameProfiles> {
  const profiles: NamedCpuProfile[] = [];
  const metas: (HotspotsProfileMeta | undefined)[] = [];
  for (const profilePath of profilePaths) {
    const profile = await readCpuProfileFile(profilePath);
    metas.push(profile.$hotspots);
    profiles.push({ name: profileDisplayName(profilePath, profile.$hotspots), profile });
  }
  return { profiles, mapLocation: mapperFromResolver(createLocationResolver(metas)) };
}

/** Reads and converts in one go (the panel and the benchmark). */
export async function speedscopeFromFiles(profilePaths: readonly string[], title: string): Promise<SpeedscopeFile> {
  const { profiles, mapLocation } = await loadFlameProfiles(profilePaths);
  return toSpeedscope(profiles, { name: title, mapLocation });
}

/** "main 1234: node app.js" for profiles our preload wrote, else the file name. */
export function profileDisplayName(profilePath: string, meta: HotspotsProfileMeta | undefined): string {
  if (!meta) return path.basename(profilePath);
  const command = meta.argv.map(arg => path.basename(arg)).join(' ');
  const thread = meta.kind === 'worker' ? ` thread ${meta.threadId}` : '';
  return `${meta.kind} ${meta.pid}${thread}: ${command}`.trim();
}
