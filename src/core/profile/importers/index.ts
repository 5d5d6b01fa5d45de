// One importer per profile format, and the one way to load profiles (CLI, editor, compare, flame graph).
//
// Every importer returns the same profile model: a V8-shaped call tree (frames with function, file,
// line, column; one node per distinct stack; per-node line ticks) plus samples whose weights the one
// weight function (../sampleWeights.ts) turns into microseconds. The importer is picked by the file's
// extension, then by its first bytes (a `.cpuprofile` renamed to `.json`, a pprof without extension).
import * as fs from 'node:fs';
import { LoadedCpuProfile, LoadedCpuProfileTable, nodeTableOf, ProfileFormatError, readCpuProfileFile, readCpuProfileFileSync } from './cpuprofile';
import { looksLikePprof, PPROF_EXTENSIONS } from './pprofSignature';
import { CHROME_TRACE_EXTENSIONS, looksLikeChromeTrace, readChromeTraceFile, readChromeTraceThreads } from './chromeTrace';
import { applyPathMapping, inferPathMappings, isWebUrl, profileFiles, type PathMapping } from './pathMapping';

export { ProfileFormatError } from './cpuprofile';
export type { PathMapping } from './pathMapping';

export type ProfileFormat = 'cpuprofile' | 'pprof' | 'chrome-trace';

interface Importer {
  format: ProfileFormat;
  extensions: string[];
  /** Whether the first bytes of a file look like this format. */
  sniff(head: Uint8Array): boolean;
  read(file: string): Promise<LoadedCpuProfile>;
  readTable?(file: string): Promise<LoadedCpuProfileTable>;
  readSync(file: string): LoadedCpuProfile;
  /** Formats that hold several threads in one file: all of them, the main one first. */
  readAllSync?(file: string): LoadedCpuProfile[];
}

const IMPORTERS: readonly Importer[] = [
  {
    format: 'cpuprofile',
    extensions: ['.cpuprofile'],
    sniff: head => /^\s*\{\s*"(nodes|startTime|endTime|samples|timeDeltas|\$hotspots)"\s*:/.test(Buffer.from(head).toString('latin1')),
    read: file => readCpuProfileFile(file),
    // The streaming reader builds the node table directly (fast on 100 MB files).
    readTable: file => readCpuProfileFile(file, true) as Promise<LoadedCpuProfileTable>,
    readSync: readCpuProfileFileSync,
  },
  {
    format: 'pprof',
    extensions: PPROF_EXTENSIONS,
    sniff: looksLikePprof,
    read: async file => readPprof(file),
    readSync: file => readPprof(file),
  },
  {
    // DevTools' Performance panel (Trace-*.json, or gzipped). `.json` is sniffed: it is every format's fallback name.
    format: 'chrome-trace',
    extensions: CHROME_TRACE_EXTENSIONS,
    sniff: head => looksLikeChromeTrace(Buffer.from(head).toString('latin1')),
    read: async file => readChromeTraceFile(file),
    readSync: readChromeTraceFile,
    readAllSync: readChromeTraceThreads,
  },
];

/** The pprof importer, loaded only when a pprof file is read (node:zlib and the protobuf codec). */
function readPprof(file: string): LoadedCpuProfile {
  return (require('./pprof') as typeof import('./pprof')).readPprofFile(file);
}

/** Extensions of files the importers read (for file pickers and "is this a profile?" checks). */
export const PROFILE_EXTENSIONS: readonly string[] = IMPORTERS.flatMap(importer => importer.extensions);

export interface LoadOptions {
  /** Rewrite file paths of the profile (e.g. a deploy path /app/ → the workspace); see pathMapping.ts. */
  pathMappings?: readonly PathMapping[];
  /**
   * Without `pathMappings`: map the missing files of profiles recorded elsewhere (pprof from production)
   * into these folders by their longest existing path suffix; `onPathMappings` learns what was mapped.
   */
  workspaceRoots?: readonly string[];
  onPathMappings?: (mappings: readonly PathMapping[]) => void;
}

/** Which importer reads `file`: by extension, else by its first bytes; undefined when none does. */
export function profileFormatOf(file: string): ProfileFormat | undefined {
  return importerFor(file)?.format;
}

function importerFor(file: string): Importer | undefined {
  const lower = file.toLowerCase();
  const byExtension = IMPORTERS.find(importer => importer.extensions.some(extension => lower.endsWith(extension)));
  if (byExtension) return byExtension;
  const head = readHead(file);
  return head ? IMPORTERS.find(importer => importer.sniff(head)) : undefined;
}

function readHead(file: string): Uint8Array | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const head = Buffer.alloc(256);
    return head.subarray(0, fs.readSync(fd, head, 0, head.length, 0));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function requireImporter(file: string): Importer {
  const importer = importerFor(file);
  if (importer) return importer;
  if (!fs.existsSync(file)) throw new ProfileFormatError(file, 'cannot be read (ENOENT)');
  throw new ProfileFormatError(file, `is not a CPU profile (expected a .cpuprofile, a DevTools Performance trace .json, or a pprof ${PPROF_EXTENSIONS.join('/')} file)`);
}

/** Reads one profile file in whatever format it is. Throws ProfileFormatError with a one-line message. */
export async function loadProfile(file: string, options: LoadOptions = {}): Promise<LoadedCpuProfile> {
  const importer = requireImporter(file);
  return mapped(await importer.read(file), options, importer.format);
}

/**
 * loadProfile with the nodes as a NodeTable, what the report model reads fastest (`asNodes`: keep the
 * node objects, e.g. to export them too; the report model reads both).
 */
export async function loadProfileTable(file: string, options: LoadOptions & { asNodes?: boolean } = {}): Promise<LoadedCpuProfile | LoadedCpuProfileTable> {
  const importer = requireImporter(file);
  if (importer.readTable && !options.pathMappings?.length && !options.asNodes) {
    const table = await importer.readTable(file);
    // The table's distinct call frames stand for its nodes (mapping rewrites call frames only).
    const frames = table.nodeTable.frames.map(callFrame => ({ callFrame }));
    mapped({ ...table, nodes: frames as unknown as LoadedCpuProfile['nodes'] }, options, importer.format);
    return table;
  }
  const profile = mapped(await importer.read(file), options, importer.format);
  if (options.asNodes) return profile;
  const { nodes, ...rest } = profile;
  return { ...rest, nodeTable: nodeTableOf(nodes) };
}

/**
 * Every profile one file holds, as loadProfileTable reads them: one, or each thread of a DevTools trace
 * (the main one first). Each is a process or worker of the report.
 */
export async function loadProfileParts(file: string, options: LoadOptions & { asNodes?: boolean } = {}): Promise<(LoadedCpuProfile | LoadedCpuProfileTable)[]> {
  return requireImporter(file).readAllSync ? loadProfilePartsSync(file, options) : [await loadProfileTable(file, options)];
}

/** Each profile of `file` (see loadProfileParts), synchronously. */
function loadProfilePartsSync(file: string, options: LoadOptions): LoadedCpuProfile[] {
  const importer = requireImporter(file);
  const profiles = importer.readAllSync ? importer.readAllSync(file) : [importer.readSync(file)];
  return profiles.map(profile => mapped(profile, options, importer.format));
}

/** loadProfile for synchronous callers (compare and lint --profile). */
export function loadProfileSync(file: string, options: LoadOptions = {}): LoadedCpuProfile {
  const importer = requireImporter(file);
  return mapped(importer.readSync(file), options, importer.format);
}

export interface LoadedProfiles {
  profiles: { path: string; profile: LoadedCpuProfile }[];
  /** "skipped an unreadable profile: …", one per file that could not be read (when `skipUnreadable`). */
  warnings: string[];
  /** The files behind `warnings`, with their one-line errors. */
  unreadable: { path: string; message: string }[];
}

/**
 * Reads every file. With `skipUnreadable`, a file that cannot be read becomes a warning (a process killed
 * mid-write); otherwise its ProfileFormatError is thrown.
 */
export async function loadProfiles(files: readonly string[], options: LoadOptions & { skipUnreadable?: boolean } = {}): Promise<LoadedProfiles> {
  const result: LoadedProfiles = { profiles: [], warnings: [], unreadable: [] };
  for (const file of files) {
    try {
      for (const profile of await loadProfileParts(file, { ...options, asNodes: true })) result.profiles.push({ path: file, profile: profile as LoadedCpuProfile });
    } catch (error) {
      skipUnreadable(result, file, error, options);
    }
  }
  return result;
}

/** loadProfiles for synchronous callers (a report built while the process exits: `profile` in-process). */
export function loadProfilesSync(files: readonly string[], options: LoadOptions & { skipUnreadable?: boolean } = {}): LoadedProfiles {
  const result: LoadedProfiles = { profiles: [], warnings: [], unreadable: [] };
  for (const file of files) {
    try {
      for (const profile of loadProfilePartsSync(file, options)) result.profiles.push({ path: file, profile });
    } catch (error) {
      skipUnreadable(result, file, error, options);
    }
  }
  return result;
}

function skipUnreadable(result: LoadedProfiles, file: string, error: unknown, options: { skipUnreadable?: boolean }): void {
  if (!options.skipUnreadable) throw error;
  result.unreadable.push({ path: file, message: (error as Error).message });
  result.warnings.push(`skipped an unreadable profile: ${(error as Error).message}`);
}

function mapped(profile: LoadedCpuProfile, options: LoadOptions, format: ProfileFormat): LoadedCpuProfile {
  let mappings: readonly PathMapping[] = options.pathMappings ?? [];
  // Only pprof comes from other machines as a rule; .cpuprofile paths are mapped on the report (editor).
  // Scripts a browser loaded (http://localhost:5173/src/app.ts) never exist here by their name: any format.
  if (mappings.length === 0 && options.workspaceRoots?.length) {
    const files = profileFiles(profile.nodes);
    mappings = format === 'pprof' ? inferPathMappings(files, options.workspaceRoots) : inferPathMappings([...files].filter(isWebUrl), options.workspaceRoots);
  }
  if (mappings.length > 0) {
    applyPathMapping(profile.nodes, mappings);
    options.onPathMappings?.(mappings);
  }
  return profile;
}
