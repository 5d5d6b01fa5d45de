// ES module side of await instrumentation (bundled into dist/esmHooks.mjs; runs on Node's loader thread).
// A module the parser cannot read is loaded as it is, with one statement appended that tells the
// profiled thread's recorder (the warning and the report come from there).
import { fileURLToPath } from 'node:url';
import type { AwaitInstrumenter } from './preloadWaits';
import { isUserFile } from './preloadWaits';

interface LoadedModule { format: string; source?: string | Buffer | null; shortCircuit?: boolean }

let instrumenter: Promise<AwaitInstrumenter> | null = null;

export async function instrumentModuleAwaits<T extends LoadedModule>(instrumenterUrl: string, url: string, loaded: T, ownDir: string): Promise<T> {
  if (loaded.source === null || loaded.source === undefined) return loaded;
  const filename = fileURLToPath(url);
  const source = typeof loaded.source === 'string' ? loaded.source : Buffer.from(loaded.source).toString('utf8');
  if (!source.includes('await') || !isUserFile(filename, ownDir)) return loaded;
  try {
    instrumenter ??= import(instrumenterUrl).then(imported => ((imported as { default?: AwaitInstrumenter }).default ?? imported) as AwaitInstrumenter);
    const instrumented = (await instrumenter).instrumentAwaits(source, url, true);
    return instrumented ? { ...loaded, source: instrumented.code } : loaded;
  } catch (error) {
    const report = `globalThis[Symbol.for('hotspots.waits')]?.skip(${JSON.stringify(filename)}, ${JSON.stringify((error as Error).message)});`;
    return { ...loaded, source: `${source}\n;${report}` };
  }
}
