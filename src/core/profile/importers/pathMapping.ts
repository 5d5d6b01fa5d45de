// Path mapping for profiles recorded on another machine (production, a container, CI): their files are
// named by deploy paths such as /app/src/server.js, which are mapped to the workspace (<root>/src/server.js)
// so the report reads the local sources and the editor heats them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CpuProfileNode } from '../types';
import { scriptUrlToPath } from '../sourceMaps';

/** Files under `from` (a path prefix) are read from under `to`. */
export interface PathMapping {
  from: string;
  to: string;
}

/** "FROM=TO" (the CLI's --path-map value); undefined when malformed. */
export function parsePathMapping(text: string): PathMapping | undefined {
  const at = text.indexOf('=');
  if (at <= 0 || at === text.length - 1) return undefined;
  return { from: text.slice(0, at), to: text.slice(at + 1) };
}

/** "/app → /home/me/project" for messages. */
export function describePathMappings(mappings: readonly PathMapping[]): string {
  return mappings.map(mapping => `${mapping.from} → ${mapping.to}`).join(', ');
}

/** The file a path maps to (the first mapping whose prefix matches a whole path component), else the path. */
export function mapPath(file: string, mappings: readonly PathMapping[]): string {
  for (const { from, to } of mappings) {
    const prefix = from.replace(/[\\/]+$/, '');
    if (file === prefix || file.startsWith(`${prefix}/`) || file.startsWith(`${prefix}\\`)) return path.join(to, file.slice(prefix.length));
  }
  return file;
}

/** Rewrites the script URLs of the profile's frames (each distinct call frame once). */
export function applyPathMapping(nodes: readonly CpuProfileNode[], mappings: readonly PathMapping[]): void {
  const seen = new Set<object>();
  for (const { callFrame } of nodes) {
    if (seen.has(callFrame) || !callFrame.url) continue;
    seen.add(callFrame);
    const file = scriptUrlToPath(callFrame.url);
    const target = mapPath(file, mappings);
    if (target !== file) callFrame.url = target;
  }
}

/**
 * Mappings that bring the profile's missing files into the workspace: for a file that does not exist
 * here, the longest path suffix that exists under a workspace root gives one prefix mapping
 * (/app/src/server.js + <root>/src/server.js → /app ⇒ <root>), which then serves every file under /app.
 */
export function inferPathMappings(files: Iterable<string>, workspaceRoots: readonly string[], exists: (file: string) => boolean = fs.existsSync): PathMapping[] {
  const mappings: PathMapping[] = [];
  for (const file of files) {
    if (!path.isAbsolute(file) || exists(file) || /[\\/]node_modules[\\/]/.test(file)) continue;
    if (mapPath(file, mappings) !== file) continue;
    const parts = file.split(/[\\/]+/).filter(Boolean);
    search: for (let start = 1; start < parts.length; start++) {
      for (const root of workspaceRoots) {
        if (exists(path.join(root, ...parts.slice(start)))) {
          const from = (file.startsWith('/') ? '/' : '') + parts.slice(0, start).join('/');
          mappings.push({ from, to: root });
          break search;
        }
      }
    }
  }
  return mappings;
}

/** Files (as paths) the profile's frames name. */
export function profileFiles(nodes: readonly CpuProfileNode[]): Set<string> {
  const files = new Set<string>();
  for (const { callFrame } of nodes) if (callFrame.url) files.add(scriptUrlToPath(callFrame.url));
  return files;
}
