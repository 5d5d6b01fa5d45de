// ES module side of await instrumentation (bundled into dist/esmHooks.mjs; runs on Node's loader thread).
// A module the parser cannot read is loaded as it is, with one statement appended that tells the
// profiled thread's recorder (the warning and the report come from there). Every user module marks
// when the program starts (see withProgramStartMark).
import { fileURLToPath } from 'node:url';
import type { AwaitInstrumenter } from './preloadWaits';
import { isUserFile } from './preloadWaits';
import { SOURCE_MAP_COMMENT, WAIT_RECORDER_EXPRESSION } from './recording';

interface LoadedModule { format: string; source?: string | Buffer | null; shortCircuit?: boolean }

let instrumenter: Promise<AwaitInstrumenter> | null = null;

/** `mapped`: the source has a source map it does not reference (TypeScript transpiled by the hooks). */
export async function instrumentModuleAwaits<T extends LoadedModule>(instrumenterUrl: string, url: string, loaded: T, ownDir: string, mapped = false): Promise<T> {
  if (loaded.source === null || loaded.source === undefined) return loaded;
  const filename = fileURLToPath(url);
  const source = typeof loaded.source === 'string' ? loaded.source : Buffer.from(loaded.source).toString('utf8');
  if (!isUserFile(filename, ownDir)) return loaded;
  if (!source.includes('await')) return { ...loaded, source: withProgramStartMark(source) };
  try {
    instrumenter ??= import(instrumenterUrl).then(imported => ((imported as { default?: AwaitInstrumenter }).default ?? imported) as AwaitInstrumenter);
    const instrumented = (await instrumenter).instrumentAwaits(source, url, true, { mapped });
    return { ...loaded, source: instrumented ? instrumented.code : withProgramStartMark(source) };
  } catch (error) {
    const report = `${WAIT_RECORDER_EXPRESSION}?.skip(${JSON.stringify(filename)}, ${JSON.stringify((error as Error).message)});`;
    return { ...loaded, source: `${withProgramStartMark(source)}\n;${report}` };
  }
}

/**
 * The user's program starts when its first module runs, after Node has loaded (and for TypeScript, the
 * loader thread transpiled) the whole module graph. A module with awaits says so as its instrumentation
 * starts (the recorder's `file`); any other module of the user's says so with this statement. It is put
 * first (after a `#!` line), where a statement always may start, on the same line: no line moves. Not in
 * a file with its own source map: its first line may be a whole minified bundle, whose columns must stay.
 */
function withProgramStartMark(source: string): string {
  if (SOURCE_MAP_COMMENT.test(source)) return source;
  const mark = `${WAIT_RECORDER_EXPRESSION}?.programStarts();`;
  if (!source.startsWith('#!')) return mark + source;
  const lineEnd = source.search(/\r?\n/);
  if (lineEnd < 0) return source;
  const bodyStart = source[lineEnd] === '\r' ? lineEnd + 2 : lineEnd + 1;
  return source.slice(0, bodyStart) + mark + source.slice(bodyStart);
}
