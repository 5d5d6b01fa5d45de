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
  /** Said with the mapping: why its lines may not be the files' (a dev server's transform of sources). */
  caution?: string;
}

/** Sources a dev server transforms before the browser runs them (Vite serves /src/app.ts as JavaScript). */
const TRANSFORMED_SOURCE = /\.(?:[cm]?tsx?|jsx|vue|svelte|astro)$/;
const TRANSFORMED_CAUTION = 'the page ran a dev server\'s transform of these sources, whose lines can differ: for exact lines, profile a build with source maps';

/** "FROM=TO" (the CLI's --path-map value); undefined when malformed. */
export function parsePathMapping(text: string): PathMapping | undefined {
  const at = text.indexOf('=');
  if (at <= 0 || at === text.length - 1) return undefined;
  return { from: text.slice(0, at), to: text.slice(at + 1) };
}

/** "/app → /home/me/project" for messages. */
export function describePathMappings(mappings: readonly PathMapping[]): string {
  // Each once: the threads of one trace each find the same server's files.
  return [...new Set(mappings.map(mapping => `${mapping.from} → ${mapping.to}${mapping.caution ? ` (${mapping.caution})` : ''}`))].join(', ');
}

/** The file a path maps to (the first mapping whose prefix matches a whole path component), else the path. */
export function mapPath(file: string, mappings: readonly PathMapping[]): string {
  for (const { from, to } of mappings) {
    const prefix = from.replace(/[\\/]+$/, '');
    if (file === prefix || file.startsWith(`${prefix}/`) || file.startsWith(`${prefix}\\`)) return path.join(to, file.slice(prefix.length));
  }
  return file;
}

/** A script a browser loaded over HTTP(S) (a DevTools profile of a page). */
export function isWebUrl(file: string): boolean {
  return /^https?:\/\//i.test(file);
}

/** A file path, or a web URL without its query and fragment (`?v=3`, Vite's `?t=…` are not part of the file). */
function scriptFile(url: string): string {
  if (!isWebUrl(url)) return scriptUrlToPath(url);
  // A page's own inline scripts are named by the page's URL: `/` and `/shop/` are the folder's index.html.
  const file = url.replace(/[?#].*$/, '');
  return /^https?:\/\/[^/]+\/?$|\/$/i.test(file) ? `${file.replace(/\/?$/, '/')}index.html` : file;
}

/** Where a web server's files usually are in its project: the project itself, or its static or build folder. */
const WEB_ROOT_FOLDERS = ['', 'public', 'dist', 'build', 'out', 'static', 'www'];

/**
 * The mapping that puts a web URL's file in the workspace: the longest end of its path that exists under a
 * root (or its static or build folder), `http://localhost:5173/src/app.ts` ⇒ <root>/src/app.ts and
 * `http://localhost:8080/assets/index.js` ⇒ <root>/dist/assets/index.js; the URL's start up to there is the
 * prefix (so it serves every file of that server under the same folder).
 */
function inferWebMapping(url: string, workspaceRoots: readonly string[], exists: (file: string) => boolean, filesNamed: (name: string) => readonly string[]): PathMapping | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const parts = parsed.pathname.split('/').filter(Boolean).map(part => { try { return decodeURIComponent(part); } catch { return part; } });
  const mappingAt = (start: number, folder: string): PathMapping => ({ from: [parsed.origin, ...parts.slice(0, start).map(encodeURIComponent)].join('/'), to: folder });
  for (let start = 0; start < parts.length; start++) {
    for (const root of workspaceRoots) {
      for (const folder of WEB_ROOT_FOLDERS) {
        if (exists(path.join(root, folder, ...parts.slice(start)))) return mappingAt(start, path.join(root, folder));
      }
    }
  }
  // A web project deeper in the workspace (packages/web/public/bundle.js): the file of that name whose path
  // ends with the most of the URL's path (then the shortest path).
  let best: { matched: number; file: string } | undefined;
  for (const file of filesNamed(parts[parts.length - 1] ?? '')) {
    const fileParts = file.split(path.sep);
    let matched = 0;
    while (matched < parts.length && matched < fileParts.length && fileParts[fileParts.length - 1 - matched] === parts[parts.length - 1 - matched]) matched++;
    if (!best || matched > best.matched || (matched === best.matched && file.length < best.file.length)) best = { matched, file };
  }
  if (!best) return undefined;
  const folder = best.file.split(path.sep).slice(0, -best.matched).join(path.sep);
  return mappingAt(parts.length - best.matched, folder);
}

/**
 * The files of the workspace by name (not in node_modules or hidden folders), read on first use and once
 * for all the URLs of a profile (a page loads dozens of scripts); a bounded walk of a big workspace.
 */
function workspaceFilesByName(workspaceRoots: readonly string[], limit = 50_000): (name: string) => readonly string[] {
  let byName: Map<string, string[]> | undefined;
  return name => {
    if (!byName) {
      byName = new Map();
      const pending = [...workspaceRoots];
      let seen = 0;
      while (pending.length > 0 && seen < limit) {
        const dir = pending.pop()!;
        let entries: fs.Dirent[];
        try {
          entries = fs.readdirSync(dir, { withFileTypes: true });
        } catch {
          continue;
        }
        for (const entry of entries) {
          seen++;
          if (entry.isDirectory()) {
            if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) pending.push(path.join(dir, entry.name));
          } else {
            const files = byName.get(entry.name);
            if (files) files.push(path.join(dir, entry.name));
            else byName.set(entry.name, [path.join(dir, entry.name)]);
          }
        }
      }
    }
    return byName.get(name) ?? [];
  };
}

/** Rewrites the script URLs of the profile's frames (each distinct call frame once). */
export function applyPathMapping(nodes: readonly CpuProfileNode[], mappings: readonly PathMapping[]): void {
  const seen = new Set<object>();
  for (const { callFrame } of nodes) {
    if (seen.has(callFrame) || !callFrame.url) continue;
    seen.add(callFrame);
    const file = scriptFile(callFrame.url);
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
  const filesNamed = workspaceFilesByName(workspaceRoots);
  const webFiles: string[] = [];
  for (const file of files) {
    if (isWebUrl(file)) {
      webFiles.push(file);
      const mapping = mapPath(file, mappings) === file ? inferWebMapping(file, workspaceRoots, exists, filesNamed) : undefined;
      if (mapping) mappings.push(mapping);
      continue;
    }
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
  for (const mapping of mappings) {
    if (webFiles.some(file => TRANSFORMED_SOURCE.test(file) && mapPath(file, [mapping]) !== file)) mapping.caution = TRANSFORMED_CAUTION;
  }
  return mappings;
}

/** Files (as paths) the profile's frames name. */
export function profileFiles(nodes: readonly CpuProfileNode[]): Set<string> {
  const files = new Set<string>();
  for (const { callFrame } of nodes) if (callFrame.url) files.add(scriptFile(callFrame.url));
  return files;
}
