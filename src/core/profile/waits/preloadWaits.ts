// Preload side of wait attribution (bundled into dist/preload.js, Node built-ins only): installs the
// recorder for this thread and instruments the user's CommonJS files (TypeScript included: the preload's
// require hook compiles through Module.prototype._compile too). ES modules are instrumented by the
// loader hooks (esmHooks.ts). The parser (acorn, dist/awaitInstrumenter.js) is loaded on the first file
// that awaits. Files under node_modules are never instrumented: their waiting shows on the user's await.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { InstrumentOptions } from './instrument';
import type { RawSourceMap } from './stackTraceMap';
import type { WaitRecording } from './recording';
import { createWaitRecorder } from './recorder';
import { withoutAddedText } from './addedText';
import { SOURCE_MAP_COMMENT, WAIT_RECORDER_KEY } from './recording';
import type { StackTraceMaps } from '../stackTraceMaps';
import { isTypeScriptFile, withoutInlineSourceMap } from '../transpile';
import { RUN_ENV } from '../runProtocol';

/** Set to '0' by the launcher when waits are turned off. */
export const WAITS_VARIABLE = RUN_ENV.waits;
export const INSTRUMENTER_BUNDLE = 'awaitInstrumenter.js';
const RECORDER_KEY = Symbol.for(WAIT_RECORDER_KEY);
/** Marks our Function.prototype.toString (a thread installs it once). */
const AS_WRITTEN = Symbol.for('hotspots.toStringAsWritten');

export interface AwaitInstrumenter {
  instrumentAwaits(code: string, url: string, module: boolean, options?: InstrumentOptions): { code: string } | null;
  mayContainAwait(code: string): boolean;
}

export function waitsEnabled(): boolean {
  return process.env[WAITS_VARIABLE] !== '0';
}

/** Files the user wrote: on disk, outside node_modules and outside Hotspots' own bundles. */
export function isUserFile(filename: string, ownDir: string): boolean {
  return path.isAbsolute(filename) && !/[\\/]node_modules[\\/]/.test(filename) && !filename.startsWith(ownDir + path.sep);
}

/**
 * Whether Node runs this entry script as an ES module (.mjs, or .js or a file without an extension, such as
 * a package's `bin/cli`, under `"type": "module"`).
 */
export function isModuleEntry(entry: string): boolean {
  if (entry.endsWith('.mjs') || entry.endsWith('.mts')) return true;
  if (!/\.(js|ts|tsx)$/.test(entry) && path.extname(entry) !== '') return false;
  for (let dir = path.dirname(path.resolve(entry)); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { type?: string }).type === 'module';
      } catch {
        return false;
      }
    }
    if (path.dirname(dir) === dir) return false;
  }
}

/** What the CommonJS loader compiles for an ES module entry it cannot load itself (see the preload). */
export function esModuleEntryStub(filename: string): string {
  return `import(${JSON.stringify(pathToFileURL(filename).href)});`;
}

/**
 * Installs the recorder and the CommonJS instrumentation. Returns a function that takes what was recorded
 * (the preload stores it in the profile).
 */
export function startWaitRecording(ownDir: string, stackTraceMaps: StackTraceMaps): () => WaitRecording {
  const { recorder, take } = createWaitRecorder(() => stackTraceMaps.modulesLoaded());
  (globalThis as Record<symbol, unknown>)[RECORDER_KEY] = recorder;
  showFunctionSourcesAsWritten();
  let instrumenter: AwaitInstrumenter | null = null;
  const Module = require('node:module') as { prototype: { _compile(content: string, filename: string): unknown } };
  const compile = Module.prototype._compile;
  Module.prototype._compile = function compileWithWaits(this: unknown, content: string, filename: string): unknown {
    let changed = false;
    if (typeof content === 'string' && content.includes('await') && isUserFile(filename, ownDir)) {
      try {
        instrumenter ??= require(path.join(ownDir, INSTRUMENTER_BUNDLE)) as AwaitInstrumenter;
        const instrumented = instrumentCommonJs(instrumenter, content, filename, stackTraceMaps.userMapsEverything);
        if (instrumented) {
          content = instrumented;
          changed = true;
        }
      } catch (error) {
        recorder.skip(filename, (error as Error).message);
      }
    }
    // The stub that hands a .mts entry to the ES module loader runs before the module graph is even loaded.
    if (isUserFile(filename, ownDir) && content !== esModuleEntryStub(filename)) recorder.programStarts();
    const mappingBefore = stackTraceMaps.compiling(changed);
    try {
      return compile.call(this, content, filename);
    } finally {
      stackTraceMaps.compiled(mappingBefore);
    }
  };
  return take;
}

/**
 * Makes `Function.prototype.toString` of this thread leave out the instrumentation's text (see addedText.ts:
 * code that sends a function's source elsewhere). Installed before any of the program's code runs, so a
 * library that keeps a reference to it at load time gets this one. Native in every other way: same property
 * attributes, name and length, a TypeError for a non-function, and its own text is the native one's.
 */
function showFunctionSourcesAsWritten(): void {
  const nativeToString = Function.prototype.toString;
  const descriptor = Object.getOwnPropertyDescriptor(Function.prototype, 'toString');
  if (!descriptor || (nativeToString as unknown as Record<symbol, unknown>)[AS_WRITTEN]) return;
  const { toString } = {
    toString(this: unknown): string {
      const source = Reflect.apply(nativeToString, this === toString ? nativeToString : this, []) as string;
      return withoutAddedText(source);
    },
  };
  Object.defineProperty(toString, AS_WRITTEN, { value: true });
  Object.defineProperty(Function.prototype, 'toString', { ...descriptor, value: toString });
}

/**
 * A CommonJS file with its awaits instrumented and a map for its stack traces (null: nothing to instrument):
 * TypeScript we transpiled keeps its map, moved past the added text; JavaScript gets a map to itself, even
 * one with a map of its own, whose stack traces Node shows unmapped in a run without Hotspots, unless the
 * user turned Node's mapping on (then its own map stays, as it is).
 */
function instrumentCommonJs(instrumenter: AwaitInstrumenter, content: string, filename: string, userMapsEverything: boolean): string | null {
  const url = pathToFileURL(filename).href;
  const transpiled = withoutInlineSourceMap(content);
  if (transpiled && isTypeScriptFile(filename)) {
    return instrumenter.instrumentAwaits(transpiled.code, url, false, { mapped: true, stackTraceMap: { base: transpiled.map as RawSourceMap } })?.code ?? null;
  }
  const ownMap = SOURCE_MAP_COMMENT.test(content);
  const stackTraceMap = ownMap && userMapsEverything ? undefined : {};
  return instrumenter.instrumentAwaits(content, url, false, { stackTraceMap })?.code ?? null;
}
