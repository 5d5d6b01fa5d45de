// Heap profiles → the Report's `memory` summary and `allocations` (bytes per user function).
//
// Attribution:
//  - a heap-profile node is a function on an allocating stack; its selfSize is what V8's sampler saw it
//    allocate (already scaled to estimate the true bytes). Frames that are not the user's code (built-ins
//    such as `split` or `Array.from`, Node internals, dependencies under node_modules) charge their bytes
//    to the nearest user function above them on the stack: a line of the user's code is what can change.
//  - V8 keys heap-profile nodes by function (script, start position, name): no allocating line exists in
//    the profile, so `line` is the function's first line in the original source.
//  - Node 20 reports CommonJS frames with an empty url and line -1 but a valid scriptId: scripts and
//    function starts are then found through the CPU profile the same thread wrote (same scriptIds).
//  - several profiles (main, children, workers) are summed; peaks are the largest of any thread/process.
//  - a live-only profile (`--memory=retained`) holds the samples of objects still alive at the end: the
//    same walk then gives the bytes each function still holds (`retainedBytes`, and `mode: 'retained'`).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CpuProfileLike, LoadedCpuProfileTable } from '../cpuprofile';
import { createLocationResolver, LocationResolver, scriptUrlToPath } from '../sourceMaps';
import type { CpuProfileCallFrame, ReportAllocation, ReportAllocationCaller, ReportMemory } from '../types';
import { formatBytes } from './bytes';
import type { HeapProfileCallFrame, HeapProfileFile, RawHeapProfileNode } from './heapProfileTypes';

export { formatBytes };

export interface HeapProfileInput {
  path: string;
  profile: HeapProfileFile;
}

export interface CpuProfileInput {
  path: string;
  profile: CpuProfileLike | LoadedCpuProfileTable;
}

export interface MemoryReportPart {
  memory: ReportMemory;
  allocations: ReportAllocation[];
  warnings: string[];
}

const MAX_CALLERS = 5;
const DEFAULT_INTERVAL_BYTES = 32768;

interface FunctionBytes {
  name: string;
  file: string;
  line: number;
  bytes: number;
  callerBytes: Map<number, number>;
}

/** Where one thread's scripts are: scriptId → url, and (scriptId, function name) → start positions. */
interface ScriptIndex {
  urls: Map<string, string>;
  starts: Map<string, CpuProfileCallFrame[]>;
  profilerScripts: Set<string>;
}

export function buildMemoryReport(heapInputs: HeapProfileInput[], cpuInputs: CpuProfileInput[], resolver?: LocationResolver): MemoryReportPart {
  const locations = resolver ?? createLocationResolver(cpuInputs.map(input => input.profile.$hotspots));
  const indexes = new Map<string, ScriptIndex>();
  for (const input of cpuInputs) indexes.set(threadKey(input.profile.$hotspots, input.path), scriptIndexOf(input.profile));

  const functions: FunctionBytes[] = [];
  const functionIndex = new Map<string, number>();
  const functionFor = (name: string, file: string, line: number): number => {
    const key = `${file}\0${line}\0${name}`;
    let index = functionIndex.get(key);
    if (index === undefined) {
      index = functions.length;
      functions.push({ name, file, line, bytes: 0, callerBytes: new Map() });
      functionIndex.set(key, index);
    }
    return index;
  };

  let allocatedBytes = 0;
  let retainedBytes = 0;
  let peakHeapBytes = 0;
  let peakRssBytes = 0;
  let gcMs = 0;
  let intervalBytes: number | undefined;
  let unlocatedBytes = 0;
  let outOfMemory = false;
  const warnings: string[] = [];
  const retainedMode = heapInputs.length > 0 && heapInputs.every(input => input.profile.$hotspots?.mode === 'retained');
  if (!retainedMode && heapInputs.some(input => input.profile.$hotspots?.mode === 'retained')) {
    warnings.push('some heap profiles sampled only the objects still alive at the end (--memory=retained), others every allocation: their bytes are summed as allocated');
  }
  for (const input of heapInputs) {
    const meta = input.profile.$hotspots;
    intervalBytes ??= meta?.samplingIntervalBytes;
    if (meta) {
      peakHeapBytes = Math.max(peakHeapBytes, meta.peakHeapBytes);
      peakRssBytes = Math.max(peakRssBytes, meta.peakRssBytes);
      gcMs += meta.gcMs;
      if (meta.heapAtEndBytes !== null) retainedBytes += Math.max(0, meta.heapAtEndBytes - meta.heapAtStartBytes);
      if (meta.reason === 'near-heap-limit') {
        outOfMemory = true;
        warnings.push(
          `process ${meta.pid}${meta.threadId ? ` (thread ${meta.threadId})` : ''} ran out of memory: its heap reached ` +
            `${formatBytes(meta.peakHeapBytes)} of its ${formatBytes(meta.heapLimitBytes)} limit; allocations up to that point are shown`,
        );
      }
    }
    const scripts = indexes.get(threadKey(meta, input.path)) ?? emptyIndex();
    const frameCache = new Map<string, number>();
    // -1: not user code (charged to the caller); -2: user code whose location is unknown.
    const functionOfFrame = (frame: HeapProfileCallFrame): number => {
      const cacheKey = `${frame.scriptId}\0${frame.lineNumber}\0${frame.columnNumber}\0${frame.functionName}`;
      let index = frameCache.get(cacheKey);
      if (index === undefined) {
        const located = locate(frame, scripts);
        if (!located || !isUserScript(located.url, scripts.profilerScripts)) index = located === undefined ? -2 : -1;
        else {
          const original = located.fromSource
            ? { file: scriptUrlToPath(located.url), line: located.line0 + 1 }
            : locations.resolve(located.url, located.line0, located.column0);
          index = functionFor(frame.functionName || '(anonymous)', original.file, original.line);
        }
        frameCache.set(cacheKey, index);
      }
      return index;
    };
    // Depth-first with an explicit stack: [node, nearest user function above it (or -1)].
    const pending: [RawHeapProfileNode, number][] = [[input.profile.head, -1]];
    while (pending.length > 0) {
      const [node, userAbove] = pending.pop()!;
      let own = functionOfFrame(node.callFrame);
      if (own === -2) own = userAbove >= 0 ? userAbove : -1;
      const owner = own >= 0 ? own : userAbove;
      if (node.selfSize > 0) {
        allocatedBytes += node.selfSize;
        if (owner >= 0) functions[owner].bytes += node.selfSize;
        else if (isUnlocatedUserFrame(node.callFrame, scripts)) unlocatedBytes += node.selfSize;
      }
      if (own >= 0 && userAbove >= 0 && userAbove !== own) {
        const subtree = subtreeBytes(node);
        const callers = functions[own].callerBytes;
        callers.set(userAbove, (callers.get(userAbove) ?? 0) + subtree);
      }
      for (const child of node.children) pending.push([child, owner]);
    }
  }
  if (unlocatedBytes > 0) {
    warnings.push(`${formatBytes(unlocatedBytes)} allocated by functions whose script could not be located (no url in the heap profile and no CPU sample of them); counted in the total only`);
  }

  const percent = (bytes: number): number => (allocatedBytes > 0 ? Math.round((bytes / allocatedBytes) * 10000) / 100 : 0);
  const allocations: ReportAllocation[] = functions
    .filter(fn => fn.bytes > 0 && !isDependency(fn.file))
    .sort((a, b) => b.bytes - a.bytes || a.file.localeCompare(b.file) || a.line - b.line)
    .map(fn => ({
      file: fn.file,
      line: fn.line,
      function: fn.name,
      allocatedBytes: fn.bytes,
      allocatedPercent: percent(fn.bytes),
      ...(retainedMode ? { retainedBytes: fn.bytes } : {}),
      callers: topCallers(fn, functions),
    }));
  return {
    memory: {
      peakHeapBytes,
      peakRssBytes,
      allocatedBytes,
      retainedBytes,
      samplingIntervalBytes: intervalBytes ?? DEFAULT_INTERVAL_BYTES,
      gcMs: Math.round(gcMs * 1000) / 1000,
      ...(outOfMemory ? { outOfMemory } : {}),
      ...(retainedMode ? { mode: 'retained' as const } : {}),
    },
    allocations,
    warnings,
  };
}

/** Names and locates the frames of one heap profile: `{ name, file, line }` for user code, `{ name }` else. */
export function heapFrameDescriber(input: HeapProfileInput, cpuInputs: CpuProfileInput[], resolver?: LocationResolver): (frame: HeapProfileCallFrame) => { name: string; file?: string; line?: number; col?: number } {
  const locations = resolver ?? createLocationResolver(cpuInputs.map(cpu => cpu.profile.$hotspots));
  const key = threadKey(input.profile.$hotspots, input.path);
  const cpu = cpuInputs.find(candidate => threadKey(candidate.profile.$hotspots, candidate.path) === key);
  const scripts = cpu ? scriptIndexOf(cpu.profile) : emptyIndex();
  return frame => {
    const name = frame.functionName || '(anonymous)';
    const located = locate(frame, scripts);
    if (!located || !isUserScript(located.url, scripts.profilerScripts)) return { name };
    if (located.fromSource) return { name, file: scriptUrlToPath(located.url), line: located.line0 + 1 };
    const original = locations.resolve(located.url, located.line0, located.column0);
    // Like the CPU flame graph's frames (one frame per function in both graphs): a column only when unmapped.
    return original.mapped ? { name, file: original.file, line: original.line } : { name, file: original.file, line: original.line, col: located.column0 + 1 };
  };
}

function topCallers(fn: FunctionBytes, functions: FunctionBytes[]): ReportAllocationCaller[] {
  return [...fn.callerBytes]
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_CALLERS)
    .map(([index, bytes]) => ({ name: functions[index].name, file: functions[index].file, line: functions[index].line, bytes }));
}

function subtreeBytes(node: RawHeapProfileNode): number {
  let total = 0;
  const pending = [node];
  while (pending.length > 0) {
    const next = pending.pop()!;
    total += next.selfSize;
    for (const child of next.children) pending.push(child);
  }
  return total;
}

/** `<pid>-<threadId>`: pairs a heap profile with the CPU profile of the same thread. */
function threadKey(meta: { pid: number; threadId: number } | undefined, file: string): string {
  if (meta) return `${meta.pid}-${meta.threadId}`;
  return path.basename(file).replace(/\.[^.]+$/, '');
}

function emptyIndex(): ScriptIndex {
  return { urls: new Map(), starts: new Map(), profilerScripts: new Set() };
}

function scriptIndexOf(profile: CpuProfileLike | LoadedCpuProfileTable): ScriptIndex {
  const index = emptyIndex();
  for (const url of profile.$hotspots?.profilerScripts ?? []) index.profilerScripts.add(url);
  const frames: readonly CpuProfileCallFrame[] = 'nodeTable' in profile ? profile.nodeTable.frames : profile.nodes.map(node => node.callFrame);
  for (const frame of frames) {
    const scriptId = String(frame.scriptId);
    if (!frame.url || scriptId === '0') continue;
    index.urls.set(scriptId, frame.url);
    const key = `${scriptId}\0${frame.functionName}`;
    const known = index.starts.get(key);
    if (!known) index.starts.set(key, [frame]);
    else if (!known.some(other => other.lineNumber === frame.lineNumber && other.columnNumber === frame.columnNumber)) known.push(frame);
  }
  return index;
}

interface LocatedFrame {
  url: string;
  line0: number;
  column0: number;
  /** Found by searching the source text for the function's name (already an original location). */
  fromSource?: boolean;
}

/** undefined: user-looking frame whose location cannot be found; null: not a script (V8 pseudo frame, built-in). */
function locate(frame: HeapProfileCallFrame, scripts: ScriptIndex): LocatedFrame | null | undefined {
  const scriptId = String(frame.scriptId);
  // The CPU profile's url for the same script: the form source maps of transpiled TypeScript are keyed by.
  if (frame.url && frame.lineNumber >= 0) return { url: scripts.urls.get(scriptId) ?? frame.url, line0: frame.lineNumber, column0: frame.columnNumber };
  if (scriptId === '0') return null;
  const candidates = scripts.starts.get(`${scriptId}\0${frame.functionName}`);
  if (candidates?.length === 1) return { url: candidates[0].url, line0: candidates[0].lineNumber, column0: candidates[0].columnNumber };
  const url = frame.url || scripts.urls.get(scriptId);
  if (!url) return undefined;
  if (!isUserScript(url, scripts.profilerScripts)) return null;
  const line0 = frame.functionName ? findFunctionLine(url, frame.functionName) : null;
  return line0 === null ? undefined : { url, line0, column0: 0, fromSource: true };
}

function isUnlocatedUserFrame(frame: HeapProfileCallFrame, scripts: ScriptIndex): boolean {
  return String(frame.scriptId) !== '0' && !frame.url && !scripts.urls.has(String(frame.scriptId));
}

const sourceLines = new Map<string, string[] | null>();

/**
 * 0-based line declaring `name` in a plain JavaScript file (a function that allocated but was never on a
 * CPU sample, on a Node.js that gives no location): `function name(`, `name = (...) =>`, `name(...) {`.
 */
function findFunctionLine(url: string, name: string): number | null {
  const file = scriptUrlToPath(url);
  if (!/\.[cm]?js$/.test(file)) return null;
  let lines = sourceLines.get(file);
  if (lines === undefined) {
    try {
      lines = fs.readFileSync(file, 'utf8').split('\n');
    } catch {
      lines = null;
    }
    sourceLines.set(file, lines);
  }
  if (!lines) return null;
  const escaped = name.replace(/[$]/g, '\\$');
  const declaration = new RegExp(
    `\\bfunction\\s*\\*?\\s*${escaped}\\s*\\(|(?:^|[^.\\w$])${escaped}\\s*[:=]\\s*(?:async\\s*)?(?:function\\b|\\([^)]*\\)\\s*=>|[\\w$]+\\s*=>)|^\\s*(?:static\\s+)?(?:async\\s+)?\\*?${escaped}\\s*\\([^)]*\\)\\s*\\{`,
  );
  const found = lines.findIndex(line => declaration.test(line));
  return found >= 0 ? found : null;
}

function isUserScript(url: string, profilerScripts: ReadonlySet<string>): boolean {
  if (!(url.startsWith('file://') || url.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(url))) return false;
  return !profilerScripts.has(url) && !/[\\/]dist[\\/](preload\.js|esmHooks\.mjs)$/.test(url) && !isDependency(url);
}

function isDependency(file: string): boolean {
  return /[\\/]node_modules[\\/]/.test(file);
}
