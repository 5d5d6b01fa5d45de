// Source maps that take the text the waits instrumentation adds back out of error stack traces.
//
// The instrumentation only inserts text within lines (see instrument.ts), so every line keeps its number but
// columns after an insertion move, and the first line carries the recorder's header. Without a map, a
// program that throws there prints our code under its error message and a wrong column. Node applies a
// script's inline map to its stack traces (when its source-map support is on, see stackTraceMaps.ts), but it
// gives the original column of the nearest segment at or before the position, not an offset from it: the
// identity map therefore needs a segment at every place V8 may report, which are token starts.
import { decode, encode, type SourceMapMappings, type SourceMapSegment } from '@jridgewell/sourcemap-codec';

/** A source map as esbuild and Node read it (only what is shifted or set here is named). */
export interface RawSourceMap {
  version: number;
  sources: string[];
  mappings: string;
  [key: string]: unknown;
}

/**
 * Where text was added: flat [line0, column0, length] triples, column0 in the code before the insertions,
 * in file order (as instrument.ts records them for WaitRecording.inserted).
 */
export type Insertions = readonly number[];

/** Per generated line: the columns before which text was added, and the total added before each. */
function shiftsByLine(insertions: Insertions): Map<number, { columns: number[]; added: number[] }> {
  const byLine = new Map<number, { columns: number[]; added: number[] }>();
  for (let i = 0; i + 2 < insertions.length; i += 3) {
    const line = insertions[i];
    let shifts = byLine.get(line);
    if (!shifts) byLine.set(line, (shifts = { columns: [], added: [] }));
    const before = shifts.added.length > 0 ? shifts.added[shifts.added.length - 1] : 0;
    shifts.columns.push(insertions[i + 1]);
    shifts.added.push(before + insertions[i + 2]);
  }
  return byLine;
}

/** Column after the insertions of the character at `column` (text inserted at a column comes before it). */
function shiftedColumn(column: number, shifts: { columns: number[]; added: number[] } | undefined): number {
  if (!shifts) return column;
  let added = 0;
  for (let i = 0; i < shifts.columns.length && shifts.columns[i] <= column; i++) added = shifts.added[i];
  return column + added;
}

/** `map` (of the code before the insertions) for the code after them: generated columns move, nothing else. */
export function shiftedSourceMap(map: RawSourceMap, insertions: Insertions): RawSourceMap {
  const byLine = shiftsByLine(insertions);
  if (byLine.size === 0) return map;
  const lines: SourceMapMappings = decode(map.mappings);
  for (const [line, shifts] of byLine) {
    const segments = lines[line];
    if (!segments) continue;
    lines[line] = segments.map(segment => [shiftedColumn(segment[0], shifts), ...segment.slice(1)] as SourceMapSegment);
  }
  return { ...map, mappings: encode(lines) };
}

/**
 * A map from the instrumented code back to the file itself (`sourceUrl`): a segment at each word and each
 * other non-blank character of every line (every token start is one of them; strings and comments only add
 * segments that map to themselves).
 */
export function identitySourceMap(code: string, sourceUrl: string, insertions: Insertions): RawSourceMap {
  const byLine = shiftsByLine(insertions);
  const lines: SourceMapMappings = [];
  const tokenStart = /[\p{ID_Continue}$\u200c\u200d]+|\S/gu;
  let line = 0;
  for (const text of code.split('\n')) {
    const shifts = byLine.get(line);
    const segments: SourceMapSegment[] = [[shiftedColumn(0, shifts), 0, line, 0]];
    tokenStart.lastIndex = 0;
    for (let match = tokenStart.exec(text); match; match = tokenStart.exec(text)) {
      if (match.index > 0) segments.push([shiftedColumn(match.index, shifts), 0, line, match.index]);
    }
    lines.push(segments);
    line++;
  }
  return { version: 3, sources: [sourceUrl], names: [], mappings: encode(lines) };
}
