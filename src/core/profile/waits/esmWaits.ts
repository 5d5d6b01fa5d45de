// ES module side of await instrumentation (bundled into dist/esmHooks.mjs; runs on Node's loader thread).
// A module the parser cannot read is loaded as it is, with one statement appended that tells the
// profiled thread's recorder (the warning and the report come from there). Every user module marks
// when the program starts (see withProgramStartMark).
import { fileURLToPath } from 'node:url';
import type { AwaitInstrumenter } from './preloadWaits';
import { isUserFile } from './preloadWaits';
import { SOURCE_MAP_COMMENT, WAIT_RECORDER_EXPRESSION } from './recording';
import { shiftedSourceMap, type RawSourceMap } from './stackTraceMap';
import { withInlineSourceMap } from '../transpile';

interface LoadedModule { format: string; source?: string | Buffer | null; shortCircuit?: boolean }

let instrumenter: Promise<AwaitInstrumenter> | null = null;

/**
 * `base`: the source map of TypeScript the hooks transpiled (not referenced from the source): the result
 * ends with it, moved past any text added, for Node's mapping of error stack traces.
 */
export async function instrumentModuleAwaits<T extends LoadedModule>(instrumenterUrl: string, url: string, loaded: T, ownDir: string, base?: RawSourceMap): Promise<T> {
  if (loaded.source === null || loaded.source === undefined) return loaded;
  const filename = fileURLToPath(url);
  const source = typeof loaded.source === 'string' ? loaded.source : Buffer.from(loaded.source).toString('utf8');
  if (!isUserFile(filename, ownDir)) return base ? { ...loaded, source: withInlineSourceMap(source, base) } : loaded;
  const marked = (): string => {
    const { text, inserted } = withProgramStartMark(source);
    return base ? withInlineSourceMap(text, shiftedSourceMap(base, inserted)) : text;
  };
  if (!source.includes('await')) return { ...loaded, source: marked() };
  try {
    instrumenter ??= import(instrumenterUrl).then(imported => ((imported as { default?: AwaitInstrumenter }).default ?? imported) as AwaitInstrumenter);
    // A file with a map of its own keeps it when the user has Node apply maps (else Node shows its own lines).
    const keepOwnMap = !base && SOURCE_MAP_COMMENT.test(source) && (process as { sourceMapsEnabled?: boolean }).sourceMapsEnabled === true;
    const instrumented = (await instrumenter).instrumentAwaits(source, url, true, { mapped: base !== undefined, stackTraceMap: keepOwnMap ? undefined : { base } });
    return { ...loaded, source: instrumented ? instrumented.code : marked() };
  } catch (error) {
    const report = `${WAIT_RECORDER_EXPRESSION}?.skip(${JSON.stringify(filename)}, ${JSON.stringify((error as Error).message)});`;
    return { ...loaded, source: `${marked()}\n;${report}` };
  }
}

/**
 * The user's program starts when its first module runs, after Node has loaded (and for TypeScript, the
 * loader thread transpiled) the whole module graph. A module with awaits says so as its instrumentation
 * starts (the recorder's `file`); any other module of the user's says so with this statement. It is put
 * first (after a `#!` line), where a statement always may start, on the same line: no line moves. Not in
 * a file with its own source map: its first line may be a whole minified bundle, whose columns must stay.
 * `inserted`: where (as in WaitRecording.inserted).
 */
function withProgramStartMark(source: string): { text: string; inserted: number[] } {
  if (SOURCE_MAP_COMMENT.test(source)) return { text: source, inserted: [] };
  const mark = `${WAIT_RECORDER_EXPRESSION}?.programStarts();`;
  if (!source.startsWith('#!')) return { text: mark + source, inserted: [0, 0, mark.length] };
  const lineEnd = source.search(/\r?\n/);
  if (lineEnd < 0) return { text: source, inserted: [] };
  const bodyStart = source[lineEnd] === '\r' ? lineEnd + 2 : lineEnd + 1;
  return { text: source.slice(0, bodyStart) + mark + source.slice(bodyStart), inserted: [1, 0, mark.length] };
}
