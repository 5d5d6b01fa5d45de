// Where a line tick outside its function's own range really belongs.
//
// With V8 inlining on (`--keep-inlining`, `node --cpu-prof`, DevTools files), code TurboFan inlined into
// a caller is sampled as the caller's node, but the tick's line is the inlined callee's line, counted in
// the callee's own script. A tick outside the caller's lines is therefore one of:
//  - a callee in the same file: the line is already right, keep it (the callee is a frame of this file
//    elsewhere in the profile, or the source shows that exactly one function called from the caller
//    contains the line);
//  - a callee in another file: exactly one function the caller calls elsewhere in the profile, in another
//    script, contains the line: the tick moves to that script's line;
//  - otherwise unknown: shown as inlined code on the caller's own line, never dropped and never on a line
//    it may not belong to.
import { scriptUrlToPath } from './sourceMaps';
import { enclosingFunction, lastLineOf, linesCalling, SourceCache } from './sourceScan';
import type { CpuProfileCallFrame } from './types';

export type InlinedTickPlace =
  /** `frame`: the callee's own frame when the profile has one. */
  | { kind: 'sameFile'; frame?: CpuProfileCallFrame }
  | { kind: 'callee'; callee: CpuProfileCallFrame }
  | { kind: 'unknown' };

/** 1-based first and last line of a function in its script. */
interface LineRange {
  start: number;
  end: number;
}

/**
 * Answers for one profile: which frames call which (from its call tree) and where functions end
 * (from the scripts on disk, plain JavaScript only: other files are not what V8 ran).
 */
export class InlinedTickResolver {
  private readonly ranges = new Map<CpuProfileCallFrame, LineRange | null>();
  private framesByUrl: Map<string, CpuProfileCallFrame[]> | undefined;
  private readonly sourceFrames = new Map<string, CpuProfileCallFrame>();

  constructor(
    private readonly sources: SourceCache,
    /** All distinct call frames of the profile. */
    private readonly frames: readonly CpuProfileCallFrame[],
    /** Frames called from a frame anywhere in the profile (its children's frames). */
    private readonly calleesOf: (caller: CpuProfileCallFrame) => readonly CpuProfileCallFrame[],
  ) {}

  /** Lines of a frame's function in its script, when its script is plain JavaScript on disk. */
  rangeOf(frame: CpuProfileCallFrame): LineRange | undefined {
    let range = this.ranges.get(frame);
    if (range === undefined) {
      range = null;
      const lines = isPlainJavaScript(frame.url) ? this.sources.lines(scriptUrlToPath(frame.url)) : undefined;
      if (lines && frame.lineNumber >= 0) {
        const start = frame.lineNumber + 1;
        range = { start, end: lastLineOf(lines, frame.functionName, start, frame.columnNumber) };
      }
      this.ranges.set(frame, range);
    }
    return range ?? undefined;
  }

  /** Whether a 1-based tick line lies outside the caller's own lines (so it came from inlined code). */
  isOutside(caller: CpuProfileCallFrame, line: number): boolean {
    const range = this.rangeOf(caller);
    return range !== undefined && (line < range.start || line > range.end);
  }

  /** Where an outside tick of `caller` at 1-based `line` belongs. */
  place(caller: CpuProfileCallFrame, line: number): InlinedTickPlace {
    const contains = (frame: CpuProfileCallFrame): boolean => {
      const range = this.rangeOf(frame);
      return range !== undefined && line >= range.start && line <= range.end;
    };
    const otherScripts = uniqueBy(this.calleesOf(caller).filter(callee => callee.url !== caller.url && contains(callee)));
    // Functions around the caller (its module, an outer function) contain every line near it: not callees.
    const callerStart = this.rangeOf(caller)?.start ?? 0;
    const sameFile = this.framesOf(caller.url).filter(frame => frame !== caller && contains(frame) && !containsLine(this.rangeOf(frame)!, callerStart));
    if (sameFile.length === 0 && otherScripts.length === 0) {
      const byName = this.sameFileFunctionCalledBy(caller, line);
      if (byName) return { kind: 'sameFile', frame: byName };
    }
    if (sameFile.length > 0 && otherScripts.length === 0) return { kind: 'sameFile', frame: innermost(sameFile, this) };
    if (otherScripts.length === 1 && sameFile.length === 0) return { kind: 'callee', callee: otherScripts[0] };
    return { kind: 'unknown' };
  }

  /** A function of the caller's file that contains the line and that the caller calls by name. */
  private sameFileFunctionCalledBy(caller: CpuProfileCallFrame, line: number): CpuProfileCallFrame | undefined {
    // e.g. js-yaml: a helper declared above its caller and inlined into it, that never ran on its own.
    const lines = isPlainJavaScript(caller.url) ? this.sources.lines(scriptUrlToPath(caller.url)) : undefined;
    const range = this.rangeOf(caller);
    if (!lines || !range || line > lines.length) return undefined;
    const around = enclosingFunction(lines, line);
    if (!around || (around.startLine <= range.start && around.endLine >= range.end)) return undefined;
    if (linesCalling(lines, range.start, range.end, around.name).length === 0) return undefined;
    // The helper's own frame, as V8 would have named it had it run on its own (cached: one per function).
    const key = `${caller.url}\0${around.startLine}`;
    let helper = this.sourceFrames.get(key);
    if (!helper) {
      helper = { functionName: around.name, scriptId: caller.scriptId, url: caller.url, lineNumber: around.startLine - 1, columnNumber: 0 };
      this.sourceFrames.set(key, helper);
    }
    return helper;
  }

  private framesOf(url: string): CpuProfileCallFrame[] {
    if (!this.framesByUrl) {
      this.framesByUrl = new Map();
      for (const frame of this.frames) {
        let list = this.framesByUrl.get(frame.url);
        if (!list) this.framesByUrl.set(frame.url, (list = []));
        list.push(frame);
      }
    }
    return this.framesByUrl.get(url) ?? [];
  }
}

function containsLine(range: LineRange, line: number): boolean {
  return line >= range.start && line <= range.end;
}

function isPlainJavaScript(url: string): boolean {
  return /\.[cm]?js$/.test(url) && (url.startsWith('file://') || url.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(url));
}

/** Frames of the same function (V8 repeats a frame per script id and column) count once. */
function uniqueBy(frames: CpuProfileCallFrame[]): CpuProfileCallFrame[] {
  const seen = new Map<string, CpuProfileCallFrame>();
  for (const frame of frames) {
    const key = `${frame.url}\0${frame.lineNumber}\0${frame.columnNumber}`;
    if (!seen.has(key)) seen.set(key, frame);
  }
  return [...seen.values()];
}

/** The frame with the shortest range (the innermost of nested functions). */
function innermost(frames: CpuProfileCallFrame[], resolver: InlinedTickResolver): CpuProfileCallFrame {
  let best = frames[0];
  let bestSize = Infinity;
  for (const frame of frames) {
    const range = resolver.rangeOf(frame)!;
    if (range.end - range.start < bestSize) [best, bestSize] = [frame, range.end - range.start];
  }
  return best;
}
