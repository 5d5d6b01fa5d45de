// Source maps of code that runs under a file's name but is not that file's text: what test runners and
// TypeScript/Babel loaders compile. Jest (`new vm.Script`), Vitest 3 (vite-node's `vm.runInThisContext`),
// ts-node, tsx's CommonJS hook, @babel/register and other `pirates` hooks (`Module.prototype._compile`)
// hand V8 transformed code with the map inline at its end, under the original file's path. V8 reports the
// samples at the lines of the transformed code, and the file on disk has no map: without the map they land
// a few lines off (Babel drops blank lines, Vite hoists imports, TypeScript drops interfaces).
//
// The preload records, per script URL, the map such code carries (a `data:` URL; a map file referenced by
// path is found on disk anyway) in `$hotspots.sourceMaps`, beside the maps of TypeScript it transpiled itself.
// Only the program's own files: dependencies are rarely transformed, and scanning their text would cost.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isTypeScriptFile } from './transpile';

const MAP_COMMENT = 'sourceMappingURL=';
/** The comment's URL: everything up to the first blank. */
const URL_TO_BLANK = /^\S*/;

/**
 * The source map (JSON text) inlined in `code` by its last `//# sourceMappingURL=data:…` comment, as V8
 * reads it (the last such comment wins, wherever it is: vite-node wraps the code after it); undefined
 * when the last one is not inline or there is none.
 */
export function inlineSourceMapOf(code: string): string | undefined {
  const at = code.lastIndexOf(MAP_COMMENT);
  if (at < 4) return undefined;
  // `//# sourceMappingURL=` or the older `//@ sourceMappingURL=`, with at most blanks between.
  const before = code.slice(Math.max(0, at - 8), at);
  if (!/\/\/[#@][ \t]*$/.test(before)) return undefined;
  const start = at + MAP_COMMENT.length;
  if (!code.startsWith('data:', start)) return undefined;
  const reference = URL_TO_BLANK.exec(code.slice(start))![0];
  const comma = reference.indexOf(',');
  if (comma < 0) return undefined;
  const header = reference.slice(5, comma);
  if (!/^application\/json\b/.test(header)) return undefined;
  const payload = reference.slice(comma + 1);
  try {
    // A new string either way: the recorded map must not keep the whole compiled text alive.
    return header.endsWith(';base64') ? Buffer.from(payload, 'base64').toString('utf8') : decodeURIComponent(payload);
  } catch {
    return undefined;
  }
}

/** The path of a script compiled under `filename` (a path or a file: URL); undefined for other names. */
function scriptPathOf(filename: unknown): string | undefined {
  if (typeof filename !== 'string') return undefined;
  try {
    const file = filename.startsWith('file:') ? fileURLToPath(filename) : filename;
    return path.isAbsolute(file) ? file : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `code` can be the file's text as it is on disk (same size): its map, if any, is found there. */
function mayBeFileOnDisk(file: string, code: string): boolean {
  try {
    return fs.statSync(file).size === Buffer.byteLength(code);
  } catch {
    return false;
  }
}

type VmModule = typeof import('node:vm');
type CompileFunction = (this: unknown, content: string, filename: string, ...rest: unknown[]) => unknown;

/**
 * Records the inline maps of code compiled for the program's files into `sourceMaps` (keyed by script URL;
 * a URL already there, a file the preload transpiled itself, keeps its map). `isProgramFile` tells the
 * program's own files from dependencies and the profiler's. Installed on the CommonJS loader's
 * `Module.prototype._compile` (call it after any other wrapper of ours, so it sees the text as the program's
 * loader gave it) and on `node:vm`'s compiling functions.
 */
export function recordMapsOfCompiledCode(sourceMaps: Record<string, unknown>, isProgramFile: (file: string) => boolean): void {
  const record = (code: unknown, filename: unknown): void => {
    if (typeof code !== 'string') return;
    const file = scriptPathOf(filename);
    if (file === undefined || !isProgramFile(file) || !code.includes(MAP_COMMENT)) return;
    // V8 names a script compiled under a path by its file: URL.
    const url = typeof filename === 'string' && filename.startsWith('file:') ? filename : pathToFileURL(file).href;
    if (url in sourceMaps || mayBeFileOnDisk(file, code)) return;
    const map = inlineSourceMapOf(code);
    if (map !== undefined) sourceMaps[url] = map;
  };

  const Module = require('node:module') as { prototype: { _compile: CompileFunction } };
  const compile = Module.prototype._compile;
  Module.prototype._compile = function compileRecordingMap(this: unknown, content: string, filename: string, ...rest: unknown[]): unknown {
    record(content, filename);
    return compile.call(this, content, filename, ...rest);
  };

  const vm = require('node:vm') as VmModule;
  const vmExports = vm as unknown as Record<string, unknown>;
  /** The `filename` of vm's options argument, given as an object or (older API) as the string itself. */
  const filenameOf = (options: unknown): unknown => (typeof options === 'string' ? options : (options as { filename?: unknown } | null | undefined)?.filename);
  const wrap = (name: 'runInThisContext' | 'runInContext' | 'runInNewContext' | 'compileFunction', optionsIndex: number): void => {
    const original = vmExports[name] as (...args: unknown[]) => unknown;
    if (typeof original !== 'function') return;
    const wrapped = {
      [name](this: unknown, ...args: unknown[]): unknown {
        record(args[0], filenameOf(args[optionsIndex]));
        return original.apply(this, args);
      },
    }[name];
    Object.defineProperty(wrapped, 'length', { value: original.length });
    vmExports[name] = wrapped;
  };
  wrap('runInThisContext', 1);
  wrap('runInContext', 2);
  wrap('runInNewContext', 2);
  wrap('compileFunction', 2);
  // A Proxy, not a subclass: `instanceof vm.Script` and the class's own properties stay what they were.
  vm.Script = new Proxy(vm.Script, {
    construct(target, args, newTarget) {
      record(args[0], filenameOf(args[1]));
      return Reflect.construct(target, args, newTarget) as object;
    },
  });
  // `import { runInThisContext } from 'node:vm'` in an ES module reads the exports as they are now.
  (require('node:module') as { syncBuiltinESMExports(): void }).syncBuiltinESMExports();
}

/**
 * Adds the maps Node itself kept of the program's TypeScript files in the profile that `sourceMaps` lacks:
 * ES modules a TypeScript loader of the program's own compiled (tsx, ts-node/esm), whose text no hook of
 * ours sees. Node keeps a module's map when its source-map support is on as the module is compiled (the
 * preload keeps it on when such a loader runs).
 */
export function addMapsNodeKept(sourceMaps: Record<string, unknown>, profileUrls: Iterable<string>, isProgramFile: (file: string) => boolean): void {
  const findSourceMap = (require('node:module') as { findSourceMap?: (url: string) => { payload?: unknown } | undefined }).findSourceMap;
  if (!findSourceMap) return;
  for (const url of new Set(profileUrls)) {
    if (url in sourceMaps || !url.startsWith('file:') || !isTypeScriptFile(url)) continue;
    const file = scriptPathOf(url);
    if (file === undefined || !isProgramFile(file)) continue;
    try {
      const payload = findSourceMap(url)?.payload;
      if (payload) sourceMaps[url] = payload;
    } catch { /* no map kept */ }
  }
}
