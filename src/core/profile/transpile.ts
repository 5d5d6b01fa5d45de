// TypeScript → JavaScript for the profiled program, shared by the CommonJS require hook (preload.ts)
// and the ESM loader hooks (esmHooks.ts). Bundled into both, so it must only use Node built-ins;
// esbuild itself is loaded from the path the launcher resolved (HOTSPOTS_ESBUILD), never bundled.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RUN_ENV } from './runProtocol';
import { isFile, type ProjectConfigs, type ProjectOptions, type TypeScriptCompiler } from './tsconfig';

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

/** Packages that compile TypeScript for Node as it loads (as `--import`, `--loader` or `--require`). */
const TYPESCRIPT_LOADER = /(?:^|[\\/:@])(?:tsx|ts-node|swc-node[\\/]register|esbuild-register|esbuild-kit[\\/](?:esm|cjs)-loader|babel[\\/]register|sucrase[\\/]register|jiti[\\/]register|oxc-node[\\/]core)(?:[\\/.]|$)/;

/**
 * The TypeScript loader of the program's own among Node's options (`node --import tsx`, the child `tsx`
 * starts, `--loader ts-node/esm`, `NODE_OPTIONS=-r ts-node/register`), or undefined. With one, it compiles
 * TypeScript and Hotspots must not: both would compile, and the second one the first one's output.
 */
export function ownTypeScriptLoader(execArgv: readonly string[], nodeOptions = ''): string | undefined {
  const words = [...execArgv, ...(nodeOptions.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? []).map(word => word.replace(/["']/g, ''))];
  for (let index = 0; index < words.length; index++) {
    const option = /^(--import|--loader|--experimental-loader|--require|-r)(?:=(.*))?$/.exec(words[index]);
    if (!option) continue;
    const value = option[2] ?? words[++index] ?? '';
    if (TYPESCRIPT_LOADER.test(value)) return value;
  }
  return undefined;
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

/** What an import without an extension can name, in the order tsx tries it (ES modules need the exact file). */
function withExtensions(file: string): string[] {
  return [
    ...['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json'].map(extension => file + extension),
    ...['index.ts', 'index.tsx', 'index.mts', 'index.js', 'index.mjs', 'index.cjs'].map(index => path.join(file, index)),
  ];
}

/**
 * What to try, in order, when the import `specifier` of `parentFile` is not found as written, as tsx and
 * tsc resolve it: `./util.js` written for `./util.ts`; a bare import through the project's tsconfig `paths`
 * and `baseUrl`. `exactFiles` (the ES module loader, which does not add extensions): existing files only,
 * extensions and index files tried, also for a TypeScript file's relative import without an extension
 * (`moduleResolution: bundler`). CommonJS adds extensions itself (the TypeScript ones too: they are
 * registered). Plain JavaScript imports stay as strict as under node, except through `paths`.
 */
export function resolutionAlternatives(specifier: string, parentFile: string | undefined, projects: ProjectConfigs, exactFiles: boolean): string[] {
  const relative = /^\.{1,2}(?:[\\/]|$)/.test(specifier) || path.isAbsolute(specifier);
  if (relative) {
    const alternatives = typeScriptAlternatives(specifier);
    if (!exactFiles || !parentFile || !isTypeScriptFile(parentFile)) return alternatives;
    const file = path.resolve(path.dirname(parentFile), specifier);
    return [...alternatives.map(alternative => path.resolve(path.dirname(parentFile), alternative)), ...withExtensions(file)].filter(isFile);
  }
  if (!parentFile) return [];
  const aliased = projects.aliasCandidates(specifier, parentFile);
  if (!exactFiles) return aliased.flatMap(file => [file, ...typeScriptAlternatives(file)]);
  return aliased.flatMap(file => [file, ...typeScriptAlternatives(file), ...withExtensions(file)]).filter(isFile);
}

/**
 * A TypeScript file of the program, compiled as its project says (tsconfig.ts): esbuild with the project's
 * options, or the project's own TypeScript where esbuild cannot emit what it needs.
 */
export function transpileProjectFile(esbuild: EsbuildTransformer, filename: string, format: 'cjs' | 'esm', projects: ProjectConfigs): TranspiledModule {
  const source = fs.readFileSync(filename, 'utf8');
  const project = projects.forFile(filename);
  return transpileTypeScript(esbuild, source, filename, format, project, projects.compilerFor(project, source));
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

export function transpileTypeScript(esbuild: EsbuildTransformer, source: string, filename: string, format: 'cjs' | 'esm', project: ProjectOptions | null = null, compiler: TypeScriptCompiler | null = null): TranspiledModule {
  let result: { code: string; map: string };
  try {
    result = compiler && project?.decoratorMetadata
      ? transpileWithTypeScript(compiler, source, filename, format, project.decoratorMetadata)
      : transformTypeScript(esbuild, source, filename, format, project);
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
  return nodeStyleSyntaxError(first.text, filename, line, column, lineText);
}

/** `line` 1-based, `column` 0-based. */
function nodeStyleSyntaxError(message: string, filename: string, line: number, column: number, lineText: string): SyntaxError {
  const syntaxError = new SyntaxError(`${message} (${filename}:${line}:${column + 1})`);
  syntaxError.stack = `${filename}:${line}\n${lineText}\n${' '.repeat(column)}^\n\nSyntaxError: ${message}\n    at ${filename}:${line}:${column + 1}`;
  return syntaxError;
}

/**
 * `project`: the file's tsconfig.json (tsconfig.ts): its decorators, class-field, JSX and import-elision
 * options, as tsc and tsx apply them. JSX left as it is (`preserve`) cannot run: it becomes React's
 * automatic runtime, the default without a config.
 */
function transformTypeScript(esbuild: EsbuildTransformer, source: string, filename: string, format: 'cjs' | 'esm', project: ProjectOptions | null): { code: string; map: string } {
  const compilerOptions = { ...project?.compilerOptions };
  const runnableJsx = runnableJsxOf(compilerOptions);
  if (!runnableJsx) delete compilerOptions.jsx;
  return esbuild.transformSync(source, {
    tsconfigRaw: { compilerOptions },
    loader: filename.endsWith('.tsx') ? 'tsx' : 'ts',
    format,
    sourcefile: filename,
    sourcemap: 'external',
    sourcesContent: false,
    // Names matter more than bytes here: the report shows function names.
    keepNames: true,
    minify: false,
    target: `node${process.versions.node.split('.')[0]}`,
    ...(runnableJsx ? {} : { jsx: 'automatic' }),
  });
}

/** The config's `jsx` when its output runs in Node (not `preserve`/`react-native`, which leave JSX as it is). */
function runnableJsxOf(compilerOptions: Record<string, unknown>): string | undefined {
  const { jsx } = compilerOptions;
  return jsx === 'react' || jsx === 'react-jsx' || jsx === 'react-jsxdev' ? jsx : undefined;
}

/**
 * TypeScript's own single-file emit, for what esbuild cannot emit (decorator metadata): the project's emit
 * options, the module system Node loads the file with, a source map beside (not in) the code. Type errors
 * are not reported (like esbuild, it compiles what tsc would refuse); syntax errors are, as Node reports them.
 */
function transpileWithTypeScript(compiler: TypeScriptCompiler, source: string, filename: string, format: 'cjs' | 'esm', emitOptions: Record<string, unknown>): { code: string; map: string } {
  const jsx = runnableJsxOf(emitOptions) ?? 'react-jsx';
  const { outputText, sourceMapText, diagnostics } = compiler.transpileModule(source, {
    fileName: filename,
    reportDiagnostics: true,
    compilerOptions: {
      ...emitOptions,
      jsx,
      module: format === 'cjs' ? 'commonjs' : 'esnext',
      sourceMap: true,
      inlineSourceMap: false,
      inlineSources: false,
      declaration: false,
      noEmit: false,
    },
  });
  // Only syntax is checked in one file: TypeScript still emits something for broken code, which must not run.
  const syntaxError = diagnostics?.find(diagnostic => diagnostic.category === 1 && diagnostic.start !== undefined);
  if (syntaxError) {
    const before = source.slice(0, syntaxError.start);
    const lineStart = before.lastIndexOf('\n') + 1;
    const lineEnd = source.indexOf('\n', lineStart);
    const message = typeof syntaxError.messageText === 'string' ? syntaxError.messageText : syntaxError.messageText.messageText;
    throw nodeStyleSyntaxError(message, filename, before.split('\n').length, syntaxError.start! - lineStart, source.slice(lineStart, lineEnd < 0 ? undefined : lineEnd).replace(/\r$/, ''));
  }
  return { code: outputText.replace(/\n\/\/# sourceMappingURL=[^\n]*\s*$/, '\n'), map: sourceMapText ?? '{"version":3,"sources":[],"mappings":""}' };
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
