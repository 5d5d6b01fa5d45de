// Reads .cpuprofile files for the flame graph: names each process and maps locations through source
// maps exactly like the report model, so flame graph frames and report lines agree.
import * as path from 'node:path';
import { loadProfileParts, type LoadOptions } from '../profile/importers';
import type { LoadedCpuProfile } from '../profile/importers/cpuprofile';
import { createLocationResolver } from '../profile/sourceMaps';
import type { HotspotsProfileMeta } from '../profile/types';
import { mapperFromResolver, SpeedscopeBuilder, type ConvertOptions, type SpeedscopeFile } from './speedscope';

/**
 * Reads and converts the profiles into one speedscope file, one profile in memory at a time (each
 * can be 100 MB). Source maps the preload stored in a profile are registered before its conversion.
 */
export async function speedscopeFromFiles(profilePaths: readonly string[], options: Omit<ConvertOptions, 'mapLocation'> & Omit<LoadOptions, 'onPathMappings'> = {}): Promise<SpeedscopeFile> {
  const resolver = createLocationResolver();
  const { workspaceRoots, pathMappings, ...convertOptions } = options;
  const builder = new SpeedscopeBuilder({ ...convertOptions, mapLocation: mapperFromResolver(resolver) });
  for (const profilePath of profilePaths) {
    // Same importer and path mapping as the report, so frames point at the same workspace files.
    // A DevTools trace holds a profile per thread that ran script code: each is a profile of the graph.
    for (const profile of await loadProfileParts(profilePath, { workspaceRoots, pathMappings, asNodes: true }) as LoadedCpuProfile[]) {
      resolver.addProfileMaps(profile.$hotspots);
      builder.add(profileDisplayName(profilePath, profile.$hotspots), profile);
    }
  }
  return builder.build();
}

/** "main 1234: node app.js" for profiles our preload wrote, else the file name. */
export function profileDisplayName(profilePath: string, meta: HotspotsProfileMeta | undefined): string {
  if (!meta) return path.basename(profilePath);
  const command = meta.argv.map(arg => path.basename(arg)).join(' ');
  const thread = meta.kind === 'worker' ? ` thread ${meta.threadId}` : '';
  return `${meta.kind} ${meta.pid}${thread}: ${command}`.trim();
}
