// Chrome DevTools Performance-panel recordings (`Trace-*.json`): what DevTools saves for a page, and for
// Node through chrome://inspect, now that its JavaScript Profiler panel is gone. The CPU profile is spread
// over trace events: a `Profile` event (its start time) and `ProfileChunk` events, each with the call-tree
// nodes that appeared since the last chunk (children name their `parent`), samples, time deltas and the
// line of each sample. One series per profiled thread (pid + id). The same events speedscope's Chrome
// importer reads; an old whole-profile `CpuProfile` event is read too.
//
// A recording holds several threads (the page's main thread, the browser's, web workers, other renderers):
// every thread with samples in script code is a profile. The main one comes first: Chrome's CrRendererMain
// with the most script samples, else the thread with the most (Node's main thread); the page's web workers
// are workers of the report, other processes' threads children. The browser's own threads (no script) are
// left out.
import * as fs from 'node:fs';
import type { CpuProfileCallFrame, CpuProfileNode, ProcessKind } from '../types';
import { LoadedCpuProfile, ProfileFormatError } from './cpuprofile';
import { estimateSampleIntervalUs } from '../sampleWeights';

interface TraceEvent {
  name?: string;
  pid?: number;
  tid?: number;
  id?: string | number;
  args?: { data?: TraceData };
}

interface TraceData {
  startTime?: number;
  cpuProfile?: { nodes?: TraceNode[]; samples?: number[]; startTime?: number; endTime?: number; timeDeltas?: number[] };
  timeDeltas?: number[];
  /** 1-based line of each sample's top frame (0 for frames without a script). */
  lines?: number[];
}

interface TraceNode {
  id: number;
  callFrame: CpuProfileCallFrame & { codeType?: string };
  parent?: number;
  children?: number[];
}

/** One profiled thread's series, as its chunks arrive. */
interface ThreadSeries {
  pid: number;
  tid: number;
  startTime: number | undefined;
  nodes: Map<number, TraceNode>;
  samples: number[];
  timeDeltas: number[];
  lines: (number | undefined)[];
}

/** Whether the start of a file looks like a trace: `{"traceEvents":` or a JSON array of events. */
export function looksLikeChromeTrace(head: string): boolean {
  return /^\s*(\{\s*"(traceEvents|metadata)"\s*:|\[\s*\{\s*"(args|cat|name|ph|pid|tid|ts)"\s*:)/.test(head);
}

/** File name endings read as traces by name: DevTools can save a trace gzipped. */
export const CHROME_TRACE_EXTENSIONS = ['.json.gz'];

export function readChromeTraceFile(file: string): LoadedCpuProfile {
  return parseChromeTrace(readTraceText(file), file);
}

function readTraceText(file: string): string {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    throw new ProfileFormatError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      // node:zlib only now: a profile run never reads a trace, and its fixed cost counts every module.
      bytes = (require('node:zlib') as typeof import('node:zlib')).gunzipSync(bytes);
    } catch (error) {
      throw new ProfileFormatError(file, `is not a valid gzipped trace (${(error as Error).message})`);
    }
  }
  return bytes.toString('utf8');
}

/** The trace's main thread (the one with the most script samples). */
export function parseChromeTrace(text: string, name = '<trace>'): LoadedCpuProfile {
  return parseChromeTraceThreads(text, name)[0];
}

/** Every thread of the trace that ran script code, the main thread first (see the top of this file). */
export function readChromeTraceThreads(file: string): LoadedCpuProfile[] {
  return parseChromeTraceThreads(readTraceText(file), file);
}

export function parseChromeTraceThreads(text: string, name = '<trace>'): LoadedCpuProfile[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ProfileFormatError(name, `is not valid JSON (${(error as Error).message})`);
  }
  const events = Array.isArray(parsed) ? parsed : (parsed as { traceEvents?: unknown } | null)?.traceEvents;
  if (!Array.isArray(events)) throw new ProfileFormatError(name, 'is not a Chrome trace (no traceEvents)');
  const threads = new Map<string, ThreadSeries>();
  const series = (event: TraceEvent): ThreadSeries => {
    const key = `${event.pid ?? ''}:${event.id ?? event.tid ?? ''}`;
    let thread = threads.get(key);
    if (!thread) threads.set(key, (thread = { pid: event.pid ?? 0, tid: event.tid ?? 0, startTime: undefined, nodes: new Map(), samples: [], timeDeltas: [], lines: [] }));
    return thread;
  };
  /** `thread_name` metadata events: "CrRendererMain", "DedicatedWorker thread", … by pid:tid. */
  const threadNames = new Map<string, string>();
  for (const event of events as TraceEvent[]) {
    if (event?.name === 'thread_name' && typeof (event.args as { name?: unknown } | undefined)?.name === 'string') {
      threadNames.set(`${event.pid}:${event.tid}`, (event.args as { name: string }).name);
    }
    const data = event?.args?.data;
    if (!data) continue;
    if (event.name === 'Profile') {
      const thread = series(event);
      thread.startTime ??= data.startTime;
      thread.tid = event.tid ?? thread.tid;
    } else if (event.name === 'ProfileChunk' || event.name === 'CpuProfile') {
      const thread = series(event);
      const profile = data.cpuProfile ?? {};
      for (const node of profile.nodes ?? []) thread.nodes.set(node.id, node);
      const samples = profile.samples ?? [];
      const deltas = data.timeDeltas ?? profile.timeDeltas ?? [];
      thread.startTime ??= profile.startTime;
      for (let i = 0; i < samples.length; i++) {
        thread.samples.push(samples[i]);
        thread.timeDeltas.push(deltas[i] ?? 0);
        thread.lines.push(data.lines?.[i]);
      }
    }
  }
  // A page's main thread is Chrome's "CrRendererMain" even when a worker ran more script than it did.
  const isPageMain = (thread: ThreadSeries): number => (threadNames.get(`${thread.pid}:${thread.tid}`) === 'CrRendererMain' ? 1 : 0);
  const ranked = [...threads.values()].map(thread => ({ thread, scriptSamples: scriptSampleCount(thread) }))
    .filter(candidate => candidate.thread.samples.length > 0)
    .sort((a, b) => (a.scriptSamples > 0 && b.scriptSamples > 0 ? isPageMain(b.thread) - isPageMain(a.thread) : 0)
      || b.scriptSamples - a.scriptSamples || b.thread.samples.length - a.thread.samples.length);
  if (ranked.length === 0) throw new ProfileFormatError(name, 'is a trace without a CPU profile (record with the Performance panel\'s JavaScript samples on)');
  const [main, ...others] = ranked;
  const withThread = (thread: ThreadSeries, kind: ProcessKind, threadId: number): LoadedCpuProfile => {
    const profile = toCpuProfile(thread, name);
    // The name says which thread (the main one is the trace itself: no name, as no command line).
    const threadName = kind === 'main' ? undefined : threadNames.get(`${thread.pid}:${thread.tid}`);
    return {
      ...profile,
      $hotspots: {
        pid: thread.pid, ppid: 0, threadId, kind, argv: threadName ? [threadName] : [],
        // As a profile without this record: inlining on, the interval from the samples.
        sampleIntervalUs: estimateSampleIntervalUs(profile.timeDeltas), inliningDisabled: false,
      },
    };
  };
  // Another process's thread (a second page, an iframe's renderer) is a child; the page's own, a worker.
  const workers = others.filter(candidate => candidate.scriptSamples > 0)
    .map(({ thread }, index) => withThread(thread, thread.pid === main.thread.pid ? 'worker' : 'child', index + 1));
  return [withThread(main.thread, 'main', 0), ...workers];
}

function scriptSampleCount(thread: ThreadSeries): number {
  let count = 0;
  for (const id of thread.samples) if (thread.nodes.get(id)?.callFrame.url) count++;
  return count;
}

/** The series as a V8 profile: children lists from the parent links, each sample's line as position ticks. */
function toCpuProfile(thread: ThreadSeries, name: string): LoadedCpuProfile {
  const nodes: CpuProfileNode[] = [];
  const byId = new Map<number, CpuProfileNode>();
  for (const traced of thread.nodes.values()) {
    // Pseudo frames ((program), (idle), (garbage collector)) come without a url or position.
    const { functionName, scriptId, url, lineNumber, columnNumber } = traced.callFrame;
    // A script's top-level code comes with line -1 in traces: it starts at the script's start.
    const atScriptStart = !!url && (lineNumber ?? -1) < 0;
    const node: CpuProfileNode = {
      id: traced.id,
      callFrame: {
        functionName: functionName ?? '', scriptId: scriptId ?? 0, url: url ?? '',
        lineNumber: atScriptStart ? 0 : lineNumber ?? -1, columnNumber: atScriptStart ? 0 : columnNumber ?? -1,
      },
      children: [...(traced.children ?? [])],
    };
    nodes.push(node);
    byId.set(node.id, node);
  }
  for (const traced of thread.nodes.values()) {
    if (traced.parent === undefined) continue;
    const parent = byId.get(traced.parent);
    if (!parent) throw new ProfileFormatError(name, `has a profile node (${traced.id}) whose parent (${traced.parent}) is missing`);
    if (!parent.children!.includes(traced.id)) parent.children!.push(traced.id);
  }
  const ticks = new Map<number, Map<number, number>>();
  for (let i = 0; i < thread.samples.length; i++) {
    const id = thread.samples[i];
    const node = byId.get(id);
    if (!node) throw new ProfileFormatError(name, `has a sample of an unknown profile node (${id})`);
    node.hitCount = (node.hitCount ?? 0) + 1;
    const line = thread.lines[i];
    if (line !== undefined && line > 0 && node.callFrame.url) {
      let perLine = ticks.get(id);
      if (!perLine) ticks.set(id, (perLine = new Map()));
      perLine.set(line, (perLine.get(line) ?? 0) + 1);
    }
  }
  for (const [id, perLine] of ticks) byId.get(id)!.positionTicks = [...perLine].map(([line, count]) => ({ line, ticks: count }));
  const startTime = thread.startTime ?? 0;
  let endTime = startTime;
  for (const delta of thread.timeDeltas) endTime += delta;
  return {
    nodes,
    startTime,
    endTime,
    samples: Int32Array.from(thread.samples),
    timeDeltas: Float64Array.from(thread.timeDeltas),
  };
}
