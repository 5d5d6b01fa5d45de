// TypeScript → JavaScript for the profiled program, shared by the CommonJS require hook (preload.ts)
// and the ESM loader hooks (esmHooks.ts). Bundled into both, so it must only use Node built-ins;
// esbuild itself is loaded from the path the launcher resolved (HOTSPOTS_ESBUILD), never bundled.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RUN_ENV } from './runProtocol';

/** The part of esbuild's API we use, typed locally so this file does not import esbuild. */
export interface EsbuildTransformer {
  transformSync(source: string, options: Record<string, unknown>): { code: string; map: string };
}

export interface TranspiledModule {
  code: string;
  /** Source map (v3) whose single source is the absolute path of the TypeScript file. */
  map: { sources: string[]; [key: string]: unknown };
}

export const TYPESCRIPT_EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx'] as const;

export function isTypeScriptFile(filename: string): boolean {
  return TYPESCRIPT_EXTENSIONS.some(extension => filename.endsWith(extension));
}

/**
 * TypeScript-ESM code imports `./util.js` when the file on disk is `./util.ts`: the candidates to try
 * when the written specifier does not exist.
 */
export function typeScriptAlternatives(specifier: string): string[] {
  const match = /\.(js|mjs|cjs|jsx)$/.exec(specifier);
  if (!match) return [];
  const stem = specifier.slice(0, -match[0].length);
  switch (match[1]) {
    case 'mjs': return [`${stem}.mts`];
    case 'cjs': return [`${stem}.cts`];
    case 'jsx': return [`${stem}.tsx`];
    default: return [`${stem}.ts`, `${stem}.tsx`];
  }
}

/** Absolute path of esbuild's main file, resolved by the launcher from the Hotspots package. */
export function esbuildPath(): string {
  const resolved = process.env[RUN_ENV.esbuild];
  if (!resolved) {
    throw new Error('hotspots: cannot run TypeScript here: esbuild was not found next to Hotspots (or the program was not started by `hotspots profile`)');
  }
  return resolved;
}

/** CommonJS callers only: the ES module hooks import esbuildPath() instead (they have no `require`). */
export function loadEsbuild(): EsbuildTransformer {
  return require(esbuildPath()) as EsbuildTransformer;
}

export function transpileTypeScript(esbuild: EsbuildTransformer, source: string, filename: string, format: 'cjs' | 'esm'): TranspiledModule {
  let result: { code: string; map: string };
  try {
    result = transformTypeScript(esbuild, source, filename, format);
  } catch (error) {
    throw asSyntaxError(error, filename) ?? error;
  }
  const map = JSON.parse(result.map) as TranspiledModule['map'];
  map.sources = [filename];
  return { code: result.code, map };
}

interface EsbuildMessage { text: string; location: { line: number; column: number; lineText: string } | null }

/**
 * esbuild's "Transform failed" error (its stack deep in esbuild, its message list printed as an object) as
 * the SyntaxError Node prints for a JavaScript file: where, the line, a caret, the message. Null when it is
 * not a syntax error with a location.
 */
function asSyntaxError(error: unknown, filename: string): SyntaxError | null {
  const first = (error as { errors?: EsbuildMessage[] } | null)?.errors?.[0];
  if (!first?.location) return null;
  const { line, column, lineText } = first.location;
  const syntaxError = new SyntaxError(`${first.text} (${filename}:${line}:${column + 1})`);
  syntaxError.stack = `${filename}:${line}\n${lineText}\n${' '.repeat(column)}^\n\nSyntaxError: ${first.text}\n    at ${filename}:${line}:${column + 1}`;
  return syntaxError;
}

function transformTypeScript(esbuild: EsbuildTransformer, source: string, filename: string, format: 'cjs' | 'esm'): { code: string; map: string } {
  return esbuild.transformSync(source, {
    loader: filename.endsWith('.tsx') ? 'tsx' : 'ts',
    format,
    sourcefile: filename,
    sourcemap: 'external',
    sourcesContent: false,
    // Names matter more than bytes here: the report shows function names.
    keepNames: true,
    minify: false,
    target: `node${process.versions.node.split('.')[0]}`,
    jsx: 'automatic',
  });
}

/**
 * Start of the inline source-map comment appended to transpiled TypeScript, assembled at run time: written
 * out in one piece, a minified build turns the `\n` before it into a real newline, and that line of the
 * bundle then reads as the bundle's own source-map comment.
 */
const INLINE_SOURCE_MAP_PREFIX = ['//# sourceMappingURL', 'data:application/json;base64,'].join('=');

/** `code` with its map inline, for Node's own mapping of error stack traces. */
export function withInlineSourceMap(code: string, map: TranspiledModule['map']): string {
  return `${code}\n${INLINE_SOURCE_MAP_PREFIX}${Buffer.from(JSON.stringify(map)).toString('base64')}\n`;
}

/** The inverse of withInlineSourceMap: the code before that comment and its map (null: no such ending). */
export function withoutInlineSourceMap(code: string): { code: string; map: TranspiledModule['map'] } | null {
  const start = code.lastIndexOf(`\n${INLINE_SOURCE_MAP_PREFIX}`);
  if (start < 0) return null;
  const lineEnd = code.indexOf('\n', start + 1);
  if (lineEnd !== -1 && lineEnd !== code.length - 1) return null;
  const base64 = code.slice(start + 1 + INLINE_SOURCE_MAP_PREFIX.length, lineEnd === -1 ? code.length : lineEnd);
  try {
    return { code: code.slice(0, start), map: JSON.parse(Buffer.from(base64, 'base64').toString('utf8')) as TranspiledModule['map'] };
  } catch {
    return null;
  }
}

/** Module system of a TypeScript file, decided the way Node decides it for the matching .js/.mjs/.cjs. */
export function typeScriptModuleFormat(filename: string): 'module' | 'commonjs' {
  if (filename.endsWith('.mts')) return 'module';
  if (filename.endsWith('.cts')) return 'commonjs';
  for (let dir = path.dirname(filename); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { type?: string }).type === 'module' ? 'module' : 'commonjs';
      } catch {
        return 'commonjs';
      }
    }
    if (path.dirname(dir) === dir) return 'commonjs';
  }
}
