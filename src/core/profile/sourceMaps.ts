// Maps generated script locations (what V8 reports) to original sources (.ts, pre-bundle files).
//
// Where a map comes from, in order:
//  1. `$hotspots.sourceMaps[url]`: maps of TypeScript the preload transpiled in memory (no file on disk);
//  2. the script's own `//# sourceMappingURL=` comment: an inline `data:` URL or a file relative to the script.
// A script whose map is referenced but unusable falls back to generated locations with ONE warning.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodedMappings, GREATEST_LOWER_BOUND, LEAST_UPPER_BOUND, originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import { isDependencyFile, packageNameOf } from './packages';
import type { HotspotsProfileMeta } from './types';

export interface OriginalLocation {
  /** Absolute path of the original source when mapped, else the script's path (or URL if not a file). */
  file: string;
  /** 1-based. */
  line: number;
  /** Whether a source map moved the location. */
  mapped: boolean;
}

export interface LocationResolver {
  /**
   * Original location of a generated position. `line0`/`column0` are 0-based like V8 call frames.
   * Without a column (positionTicks only carry a line), the line maps to the original line of the first
   * mapped segment on that generated line: transpilers emit one statement per line and start the line with
   * that statement's own mapping, while later segments on the line may belong to inlined helpers.
   * `fromColumn0`, without a column: only segments at or after it count (the function's start, for a tick
   * on its first line: in minified code the segments before it belong to other functions on that line).
   */
  resolve(url: string, line0: number, column0?: number, fromColumn0?: number): OriginalLocation;
  /**
   * Like resolve, for a position in the script as it is on disk rather than as it ran: the await sites the
   * instrumentation recorded before it added its text (resolve takes that text out of V8's columns).
   */
  resolveOnDisk(url: string, line0: number, column0?: number, fromColumn0?: number): OriginalLocation;
  /**
   * Whether a line of TypeScript the preload transpiled maps to nothing: esbuild's helpers (`__name`,
   * `__toESM`, the getters of a namespace import) at the top of the generated code. Such a line is not a
   * line of the .ts file, although the script's URL is that file.
   */
  isTranspilerHelper(url: string, line0: number): boolean;
  /** Lines of a script as found on disk (read anyway to look for its map); undefined if not read. */
  generatedLineCount(url: string): number | undefined;
  /** Whether locations in this script are mapped (by a source map): if not, columns never change a location. */
  hasSourceMap(url: string): boolean;
  /** Registers the in-memory maps the preload stored in a profile. Earlier registrations win. */
  addProfileMaps(meta: HotspotsProfileMeta | undefined): void;
  /**
   * Text of an original source that is not on disk but embedded in its map (`sourcesContent`, as in
   * minified dependencies): lines then map to it and their text comes from here.
   */
  embeddedSource(file: string): string | undefined;
  /** One message per script whose map could not be used (dependencies': one line for all of them). */
  readonly warnings: readonly string[];
  /** The same, with the dependencies' line made by `summarise` (none when it returns undefined). */
  warningsWith(summarise: DependencyMapSummariser): string[];
}

/** One warning line for the dependency scripts whose source maps were unusable, or none. */
export type DependencyMapSummariser = (scripts: ReadonlySet<string>) => string | undefined;

interface ScriptMap {
  map: TraceMap;
  /** Absolute paths (or URLs) of `map.sources`, indexed like the segments' source index. */
  sources: string[];
}

/** Path of a script URL as users know it: file:// URLs become paths, other URLs stay as they are. */
export function scriptUrlToPath(url: string): string {
  if (url.startsWith('file://')) {
    try {
      return fileURLToPath(url);
    } catch {
      return url;
    }
  }
  return url;
}

export function createLocationResolver(metas: Iterable<HotspotsProfileMeta | undefined> = []): LocationResolver {
  const embeddedMaps = new Map<string, unknown>();
  const scriptMaps = new Map<string, ScriptMap | null>();
  const lineCounts = new Map<string, number | undefined>();
  const existingFiles = new Map<string, boolean>();
  const warnings: string[] = [];
  /** Dependencies' unusable maps are not the user's to fix: one summary line instead of one per file. */
  const dependencyMapProblems = new Set<string>();
  const warn = (scriptPath: string, message: string): void => {
    if (isDependencyFile(scriptPath)) dependencyMapProblems.add(scriptPath);
    else warnings.push(message);
  };
  /** Original sources missing on disk whose text the map carries (sourcesContent), by absolute path. */
  const embeddedSources = new Map<string, string>();

  /** Per script path and line: flat [column0, length] of the text the await instrumentation added there. */
  const insertedText = new Map<string, Map<number, number[]>>();

  const addProfileMaps = (meta: HotspotsProfileMeta | undefined): void => {
    for (const [url, map] of Object.entries(meta?.sourceMaps ?? {})) if (!embeddedMaps.has(url)) embeddedMaps.set(url, map);
    for (const { url, inserted } of meta?.waits?.files ?? []) {
      const file = scriptUrlToPath(url);
      if (!inserted || insertedText.has(file)) continue;
      const lines = new Map<number, number[]>();
      for (let i = 0; i + 2 < inserted.length; i += 3) {
        let line = lines.get(inserted[i]);
        if (!line) lines.set(inserted[i], (line = []));
        line.push(inserted[i + 1], inserted[i + 2]);
      }
      insertedText.set(file, lines);
    }
  };
  for (const meta of metas) addProfileMaps(meta);

  const fileExists = (file: string): boolean => {
    let exists = existingFiles.get(file);
    if (exists === undefined) {
      exists = fs.existsSync(file);
      existingFiles.set(file, exists);
    }
    return exists;
  };

  const scriptMapFor = (url: string): ScriptMap | null => {
    if (scriptMaps.has(url)) return scriptMaps.get(url) ?? null;
    const scriptPath = scriptUrlToPath(url);
    let loaded: ScriptMap | null = null;
    try {
      const script = loadScript(scriptPath, embeddedMaps.get(url));
      loaded = script.scriptMap;
      lineCounts.set(url, script.lineCount);
    } catch (error) {
      warn(scriptPath, `source map for ${scriptPath} could not be read (${describeError(error)}); showing generated lines`);
    }
    scriptMaps.set(url, loaded);
    return loaded;
  };

  const generatedLineCount = (url: string): number | undefined => {
    if (!url || url.startsWith('node:')) return undefined;
    scriptMapFor(url);
    return lineCounts.get(url);
  };

  /** A map whose sources are not on disk is useless in the editor: drop it for the whole script. */
  const usableSource = (url: string, source: string, scriptMap: ScriptMap): boolean => {
    if (!path.isAbsolute(source) || fileExists(source) || embeddedSources.has(source)) return true;
    const content = embeddedContentOf(scriptMap, source);
    if (content !== undefined) {
      embeddedSources.set(source, content);
      return true;
    }
    const scriptPath = scriptUrlToPath(url);
    warn(scriptPath, `source map for ${scriptPath} points to ${source}, which does not exist; showing generated lines`);
    scriptMaps.set(url, null);
    return false;
  };

  const scriptPaths = new Map<string, string>();
  const scriptPath = (url: string): string => {
    let file = scriptPaths.get(url);
    if (file === undefined) scriptPaths.set(url, (file = scriptUrlToPath(url)));
    return file;
  };
  const generated = (url: string, line0: number): OriginalLocation => ({ file: scriptPath(url), line: line0 + 1, mapped: false });

  /** The column on disk of a column of the code that ran, where instrumentation added text before it. */
  const columnOnDisk = (insertions: readonly number[], column: number): number => {
    let added = 0;
    for (let i = 0; i < insertions.length; i += 2) {
      const [at, length] = [insertions[i], insertions[i + 1]];
      if (column < at + added) break;
      // Inside the added text: it belongs to the code that follows it.
      if (column < at + added + length) return at;
      added += length;
    }
    return column - added;
  };

  const resolve = (url: string, line0: number, column0?: number, fromColumn0?: number): OriginalLocation => {
    const insertions = insertedText.size === 0 || !url ? undefined : insertedText.get(scriptPath(url))?.get(line0);
    if (!insertions) return resolveOnDisk(url, line0, column0, fromColumn0);
    return resolveOnDisk(url, line0, column0 === undefined || column0 < 0 ? column0 : columnOnDisk(insertions, column0), fromColumn0 === undefined ? undefined : columnOnDisk(insertions, fromColumn0));
  };

  const resolveOnDisk = (url: string, line0: number, column0?: number, fromColumn0 = 0): OriginalLocation => {
    if (!url || url.startsWith('node:') || line0 < 0) return generated(url, line0);
    const scriptMap = scriptMapFor(url);
    if (!scriptMap) return generated(url, line0);
    let found: { source: string; line: number } | undefined;
    if (column0 !== undefined && column0 >= 0) {
      for (const bias of [GREATEST_LOWER_BOUND, LEAST_UPPER_BOUND] as const) {
        const position = originalPositionFor(scriptMap.map, { line: line0 + 1, column: column0, bias });
        if (position.source !== null && position.line !== null) {
          found = { source: scriptUrlToPath(position.source), line: position.line };
          break;
        }
      }
    }
    if (!found) {
      const segments = decodedMappings(scriptMap.map)[line0] ?? [];
      // The first mapped segment from `fromColumn0` on, else the last one before it (it covers that column).
      let first: readonly number[] | undefined;
      for (const segment of segments) {
        if (segment.length < 4) continue;
        first = segment;
        if (segment[0] >= fromColumn0) break;
      }
      if (first) found = { source: scriptMap.sources[first[1]], line: first[2] + 1 };
      if (found && isMinified(url, scriptMap)) noteMinified(url, found.source);
    }
    if (!found || !usableSource(url, found.source, scriptMap)) return generated(url, line0);
    return { file: found.source, line: found.line, mapped: true };
  };

  /**
   * Scripts whose code ran with many original lines on one line (minified whitespace: tsx's output, a
   * minified build): a tick carries only its line, so their time shows on each function's first line.
   */
  const minifiedScripts = new Map<string, boolean>();
  /** Only the program's own scripts are looked at: a minified dependency is the usual case, and not the user's to change. */
  const isMinified = (url: string, scriptMap: ScriptMap): boolean => {
    let minified = minifiedScripts.get(url);
    if (minified === undefined) minifiedScripts.set(url, (minified = !isDependencyFile(scriptPath(url)) && isMinifiedMap(scriptMap.map)));
    return minified;
  };
  /** The program's own minified sources, and whether a loader compiled them as they loaded. */
  const minifiedOwnSources = new Map<string, { compiledAsLoaded: boolean }>();
  const noteMinified = (url: string, source: string): void => {
    // A .ts file that ran under its own name was compiled as it loaded, by a loader that minifies (tsx).
    if (!minifiedOwnSources.has(source)) minifiedOwnSources.set(source, { compiledAsLoaded: /\.[cm]?tsx?$/.test(scriptPath(url)) });
  };
  const minifiedWarnings = (): string[] => {
    if (minifiedOwnSources.size === 0) return [];
    const names = [...minifiedOwnSources.keys()];
    const listed = names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
    const hint = [...minifiedOwnSources.values()].some(source => source.compiledAsLoaded)
      ? ' (tsx compiles TypeScript so; `hotspots profile` on the .ts file itself runs it with its lines kept)'
      : ' (profile an unminified build for lines)';
    return [`${listed} ran as minified code, many lines on one line: the time shows on the first line of each function, not on the line that spent it${hint}`];
  };

  const isTranspilerHelper = (url: string, line0: number): boolean => {
    if (!embeddedMaps.has(url) || line0 < 0) return false;
    const scriptMap = scriptMapFor(url);
    return !!scriptMap && !(decodedMappings(scriptMap.map)[line0] ?? []).some(segment => segment.length >= 4);
  };

  const hasSourceMap = (url: string): boolean => !!url && !url.startsWith('node:') && scriptMapFor(url) !== null;

  return {
    resolve,
    resolveOnDisk,
    isTranspilerHelper,
    addProfileMaps,
    generatedLineCount,
    hasSourceMap,
    embeddedSource: file => embeddedSources.get(file),
    get warnings(): readonly string[] {
      return [...warnings, ...minifiedWarnings(), ...(dependencyMapProblems.size === 0 ? [] : [dependencyMapSummary(dependencyMapProblems)])];
    },
    warningsWith(summarise: DependencyMapSummariser): string[] {
      const summary = dependencyMapProblems.size === 0 ? undefined : summarise(dependencyMapProblems);
      return [...warnings, ...minifiedWarnings(), ...(summary === undefined ? [] : [summary])];
    },
  };
}

/**
 * Whether a map describes minified code: its generated lines hold three or more original lines each on the
 * whole (a compiler that only joins a multi-line call or array now and then, as Babel does, stays near one).
 */
function isMinifiedMap(map: TraceMap): boolean {
  const originalLines = new Set<string>();
  let generatedLines = 0;
  for (const segments of decodedMappings(map)) {
    let mapped = false;
    for (const segment of segments) {
      if (segment.length < 4) continue;
      mapped = true;
      originalLines.add(`${segment[1]}:${segment[2]}`);
    }
    if (mapped) generatedLines++;
  }
  return originalLines.size >= 6 && originalLines.size >= 3 * generatedLines;
}

interface LoadedScript {
  scriptMap: ScriptMap | null;
  /** Lines of the generated script as read from disk; undefined when it was not read. */
  lineCount?: number;
}

function loadScript(scriptPath: string, embedded: unknown): LoadedScript {
  let raw: unknown = embedded;
  let mapLocation = scriptPath;
  let lineCount: number | undefined;
  if (raw === undefined) {
    if (!path.isAbsolute(scriptPath)) return { scriptMap: null };
    let code: string;
    try {
      code = fs.readFileSync(scriptPath, 'utf8');
    } catch {
      // The script itself is gone (profile from another machine or a deleted temp file): nothing to map.
      return { scriptMap: null };
    }
    lineCount = countLines(code);
    const reference = findSourceMappingUrl(code);
    if (reference === undefined) return { scriptMap: null, lineCount };
    if (reference.startsWith('data:')) {
      raw = decodeDataUrl(reference);
    } else {
      mapLocation = reference.startsWith('file://') ? fileURLToPath(reference) : path.resolve(path.dirname(scriptPath), decodeURI(reference));
      raw = fs.readFileSync(mapLocation, 'utf8');
    }
  }
  const parsed = typeof raw === 'string' ? JSON.parse(raw) : raw;
  if (typeof parsed !== 'object' || parsed === null || typeof (parsed as { mappings?: unknown }).mappings !== 'string') {
    throw new Error(`${embedded === undefined ? 'map' : 'embedded map'} has no "mappings"`);
  }
  const map = new TraceMap(parsed as ConstructorParameters<typeof TraceMap>[0], mapLocation);
  return { scriptMap: { map, sources: map.resolvedSources.map(source => scriptUrlToPath(source)) }, lineCount };
}

/** "source maps of 3 files of 2 dependencies (a, b) are unusable ...": one line for all of them. */
export function dependencyMapSummary(scripts: ReadonlySet<string>): string {
  const packages = [...new Set([...scripts].map(script => packageNameOf(script) ?? script))].sort();
  const files = scripts.size === 1 ? 'the source map of 1 file' : `the source maps of ${scripts.size} files`;
  return `${files} of ${packages.length === 1 ? 'dependency' : `${packages.length} dependencies`} ${packages.join(', ')} could not be used (broken, or pointing to sources not shipped); showing their generated lines`;
}

/** The `sourcesContent` entry of a map's source (by its resolved path), when the map carries one. */
function embeddedContentOf(scriptMap: ScriptMap, source: string): string | undefined {
  const index = scriptMap.sources.indexOf(source);
  const content = index >= 0 ? scriptMap.map.sourcesContent?.[index] : undefined;
  return typeof content === 'string' ? content : undefined;
}

function countLines(code: string): number {
  let lines = 1;
  for (let at = code.indexOf('\n'); at >= 0; at = code.indexOf('\n', at + 1)) lines++;
  return lines;
}

/** The last `//# sourceMappingURL=` comment of the script (the spec says the last one wins). */
function findSourceMappingUrl(code: string): string | undefined {
  const pattern = /^[ \t]*\/\/[#@][ \t]*sourceMappingURL=(\S+)[ \t]*$/gm;
  let reference: string | undefined;
  // Only the tail is searched: the comment sits at the end, and large bundles make a full scan costly.
  const tail = code.length > 1_000_000 ? code.slice(code.lastIndexOf('\n', code.length - 1_000_000) + 1) : code;
  for (const match of tail.matchAll(pattern)) reference = match[1];
  return reference;
}

function decodeDataUrl(reference: string): string {
  const comma = reference.indexOf(',');
  if (comma < 0) throw new Error('malformed data: URL');
  const header = reference.slice(5, comma);
  const payload = reference.slice(comma + 1);
  return header.endsWith(';base64') ? Buffer.from(payload, 'base64').toString('utf8') : decodeURIComponent(payload);
}

function describeError(error: unknown): string {
  const nodeError = error as NodeJS.ErrnoException;
  if (nodeError?.code && nodeError.path) return `${nodeError.code}: ${nodeError.path}`;
  return error instanceof Error ? error.message : String(error);
}
