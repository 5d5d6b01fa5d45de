// ES module loader hooks (module.register from the preload; bundled to dist/esmHooks.mjs). They run on
// Node's loader thread: transpile TypeScript with esbuild and send each source map back to the
// profiled thread, which stores it in the profile's `$hotspots.sourceMaps`.
import * as fs from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { MessagePort } from 'node:worker_threads';
import { instrumentModuleAwaits } from './waits/esmWaits';
import type { RawSourceMap } from './waits/stackTraceMap';
import { esbuildPath, isTypeScriptFile, transpileTypeScript, typeScriptAlternatives, typeScriptModuleFormat, withInlineSourceMap, EsbuildTransformer } from './transpile';

interface ResolveContext { parentURL?: string; conditions?: string[] }
interface ResolveResult { url: string; format?: string | null; shortCircuit?: boolean }
interface LoadContext { format?: string | null; conditions?: string[] }
interface LoadResult { format: string; source?: string | Buffer | null; shortCircuit?: boolean }

let sourceMapPort: MessagePort | null = null;
let esbuild: EsbuildTransformer | null = null;
/** URL of dist/awaitInstrumenter.js when the awaits of ES modules are measured. */
let instrumenterUrl: string | null = null;
let ownDir = '';

export function initialize(data: { sourceMapPort?: MessagePort; instrumenter?: string | null; ownDir?: string } | undefined): void {
  sourceMapPort = data?.sourceMapPort ?? null;
  instrumenterUrl = data?.instrumenter ?? null;
  ownDir = data?.ownDir ?? '';
}

export async function resolve(
  specifier: string,
  context: ResolveContext,
  nextResolve: (specifier: string, context: ResolveContext) => Promise<ResolveResult>,
): Promise<ResolveResult> {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const relative = specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('file:');
    if (!relative || (error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    for (const candidate of typeScriptAlternatives(specifier)) {
      try { return await nextResolve(candidate, context); } catch { /* next candidate */ }
    }
    throw error;
  }
}

export async function load(
  url: string,
  context: LoadContext,
  nextLoad: (url: string, context: LoadContext) => Promise<LoadResult>,
): Promise<LoadResult> {
  if (!url.startsWith('file:')) return nextLoad(url, context);
  if (!isTypeScriptFile(new URL(url).pathname)) {
    const loaded = await nextLoad(url, context);
    return instrumenterUrl && loaded.format === 'module' ? instrumentModuleAwaits(instrumenterUrl, url, loaded, ownDir) : loaded;
  }
  const filename = fileURLToPath(url);
  const format = typeScriptModuleFormat(filename);
  // CommonJS TypeScript goes through the CommonJS loader, where the preload's require hook compiles it.
  if (format === 'commonjs') return { format, shortCircuit: true };
  esbuild ??= ((await import(pathToFileURL(esbuildPath()).href)) as { default: EsbuildTransformer }).default;
  const { code, map } = transpileTypeScript(esbuild, fs.readFileSync(filename, 'utf8'), filename, 'esm');
  sourceMapPort?.postMessage({ url, map });
  const loaded: LoadResult = { format: 'module', source: code, shortCircuit: true };
  // The instrumentation ends the code with the map, moved past the text it adds (for Node's stack traces).
  if (instrumenterUrl) return instrumentModuleAwaits(instrumenterUrl, url, loaded, ownDir, map as RawSourceMap);
  return { ...loaded, source: withInlineSourceMap(code, map) };
}
