// ES module loader hooks (module.register from the preload; bundled to dist/esmHooks.mjs). They run on
// Node's loader thread: transpile TypeScript with esbuild and send each source map back to the
// profiled thread, which stores it in the profile's `$hotspots.sourceMaps`.
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { MessagePort } from 'node:worker_threads';
import { instrumentModuleAwaits } from './waits/esmWaits';
import type { RawSourceMap } from './waits/stackTraceMap';
import { esbuildPath, isTypeScriptFile, resolutionAlternatives, transpileProjectFile, typeScriptModuleFormat, withInlineSourceMap, EsbuildTransformer } from './transpile';
import { ProjectConfigs } from './tsconfig';

interface ResolveContext { parentURL?: string; conditions?: string[] }
interface ResolveResult { url: string; format?: string | null; shortCircuit?: boolean }
interface LoadContext { format?: string | null; conditions?: string[] }
interface LoadResult { format: string; source?: string | Buffer | null; shortCircuit?: boolean }

let sourceMapPort: MessagePort | null = null;
let esbuild: EsbuildTransformer | null = null;
/** URL of dist/awaitInstrumenter.js when the awaits of ES modules are measured. */
let instrumenterUrl: string | null = null;
let ownDir = '';
/** tsconfig.json of the modules this thread transpiles and resolves (their options, their `paths`). */
const projects = new ProjectConfigs(message => process.emitWarning(message));

export function initialize(data: { sourceMapPort?: MessagePort; instrumenter?: string | null; ownDir?: string } | undefined): void {
  sourceMapPort = data?.sourceMapPort ?? null;
  instrumenterUrl = data?.instrumenter ?? null;
  ownDir = data?.ownDir ?? '';
}

/** Node's errors for an import it cannot find (a directory, a `#name` the package does not define, the rest). */
const NOT_FOUND = new Set(['ERR_MODULE_NOT_FOUND', 'ERR_UNSUPPORTED_DIR_IMPORT', 'ERR_PACKAGE_IMPORT_NOT_DEFINED']);

export async function resolve(
  specifier: string,
  context: ResolveContext,
  nextResolve: (specifier: string, context: ResolveContext) => Promise<ResolveResult>,
): Promise<ResolveResult> {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (!NOT_FOUND.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
    const parentFile = context.parentURL?.startsWith('file:') ? fileURLToPath(context.parentURL) : undefined;
    const written = specifier.startsWith('file:') ? fileURLToPath(specifier) : specifier;
    for (const candidate of resolutionAlternatives(written, parentFile, projects, true)) {
      try { return await nextResolve(path.isAbsolute(candidate) ? pathToFileURL(candidate).href : candidate, context); } catch { /* next candidate */ }
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
  const { code, map } = transpileProjectFile(esbuild, filename, 'esm', projects);
  sourceMapPort?.postMessage({ url, map });
  const loaded: LoadResult = { format: 'module', source: code, shortCircuit: true };
  // The instrumentation ends the code with the map, moved past the text it adds (for Node's stack traces).
  if (instrumenterUrl) return instrumentModuleAwaits(instrumenterUrl, url, loaded, ownDir, map as RawSourceMap);
  return { ...loaded, source: withInlineSourceMap(code, map) };
}
