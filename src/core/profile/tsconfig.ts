// What a TypeScript project's tsconfig.json says about how its files run, read the way tsx and ts-node read
// it (the nearest tsconfig.json above the file, `extends` followed): the compiler options that change the
// JavaScript esbuild emits (legacy decorators, class-field semantics, JSX, import elision) and the `paths`
// / `baseUrl` aliases its imports resolve through. Without them a project that runs under tsx fails under
// Hotspots (a NestJS or TypeORM class's decorators get the standard-decorator arguments; `@lib/util` is
// not found) or behaves differently (class fields declared without a value).
//
// Node built-ins only: bundled into the preload and the ES module hooks.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The compiler options esbuild's transform reads from `tsconfigRaw` (others are ignored by it). */
const ESBUILD_OPTIONS = [
  'alwaysStrict', 'experimentalDecorators', 'importsNotUsedAsValues', 'jsx', 'jsxFactory', 'jsxFragmentFactory',
  'jsxImportSource', 'preserveValueImports', 'target', 'useDefineForClassFields', 'verbatimModuleSyntax',
] as const;

/**
 * Options for TypeScript's own transpileModule when esbuild cannot emit what the project needs: the
 * metadata of `emitDecoratorMetadata` (NestJS, TypeORM, Angular and other dependency injection read the
 * constructor's parameter types from it). The emit options that change what runs, as in tsc's build.
 */
const TYPESCRIPT_EMIT_OPTIONS = [
  'target', 'experimentalDecorators', 'emitDecoratorMetadata', 'useDefineForClassFields', 'esModuleInterop',
  'allowSyntheticDefaultImports', 'importHelpers', 'downlevelIteration', 'jsx', 'jsxFactory', 'jsxFragmentFactory',
  'jsxImportSource', 'preserveConstEnums', 'verbatimModuleSyntax', 'alwaysStrict',
] as const;

/** The part of the TypeScript compiler's API used here. */
export interface TypeScriptCompiler {
  transpileModule(input: string, options: { fileName: string; reportDiagnostics?: boolean; compilerOptions: Record<string, unknown> }): {
    outputText: string;
    sourceMapText?: string;
    /** category 1: error; `start`: offset in the input, absent for option problems. */
    diagnostics?: { category: number; start?: number; messageText: string | { messageText: string } }[];
  };
}

/**
 * A decorator: `@Name` starting a line (class, method, property) or in a parameter list (`(@Inject(A) a`);
 * not a JSDoc tag (` * @param`) or an address in a string.
 */
const DECORATOR = /^[ \t]*@[\p{ID_Start}$_]|[(,][ \t]*@[\p{ID_Start}$_]/mu;

export interface ProjectOptions {
  /** The tsconfig.json that applies (absolute), for messages. */
  configFile: string;
  /** For esbuild's `tsconfigRaw.compilerOptions`. */
  compilerOptions: Record<string, unknown>;
  /** `paths` patterns, their targets relative to `pathsBase`. */
  paths: Record<string, string[]> | null;
  pathsBase: string;
  /** `baseUrl` (absolute): bare imports are also looked up under it. */
  baseUrl: string | null;
  /** Set when the project emits decorator metadata: the options its files with decorators compile with. */
  decoratorMetadata: Record<string, unknown> | null;
}

interface ReadConfig {
  compilerOptions: Record<string, unknown>;
  paths?: Record<string, string[]>;
  pathsBase?: string;
  baseUrl?: string;
}

/** JSON with the comments and trailing commas tsconfig.json allows. Throws SyntaxError like JSON.parse. */
export function parseJsonWithComments(text: string): unknown {
  let json = '';
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < text.length) {
    const char = text[i];
    if (char === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      json += text.slice(start, ++i);
    } else if (char === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (char === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
      json += ' ';
    } else if (char === ',' && /^(?:\s|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*[}\]]/.test(text.slice(i + 1, i + 200))) {
      i++; // a trailing comma
    } else {
      json += char;
      i++;
    }
  }
  return JSON.parse(json);
}

/**
 * Reads and caches the tsconfig.json that applies to each file (one reader per thread). `warn`: told once
 * per config file that cannot be read (the file then runs with esbuild's defaults, as before).
 */
export class ProjectConfigs {
  private readonly configOfDirectory = new Map<string, string | null>();
  private readonly optionsOfConfig = new Map<string, ProjectOptions | null>();
  private readonly compilerOfConfig = new Map<string, TypeScriptCompiler | null>();
  private readonly compilerFiles = new Set<string>();

  constructor(private readonly warn: (message: string) => void = () => undefined) {}

  /** The options of the project `filename` belongs to; null outside any project with a tsconfig.json. */
  forFile(filename: string): ProjectOptions | null {
    const configFile = this.nearestConfig(path.dirname(filename));
    if (!configFile) return null;
    let options = this.optionsOfConfig.get(configFile);
    if (options === undefined) {
      options = this.readProject(configFile);
      this.optionsOfConfig.set(configFile, options);
    }
    return options;
  }

  /**
   * The project's own TypeScript compiler when `source` needs it (decorators in a project that emits their
   * metadata; esbuild leaves the metadata out), as ts-node does; null: esbuild will do. Without `typescript`
   * installed where the project's tsconfig.json is, `warn` says so once and esbuild compiles it.
   */
  compilerFor(project: ProjectOptions | null, source: string): TypeScriptCompiler | null {
    if (!project?.decoratorMetadata || !DECORATOR.test(source)) return null;
    let compiler = this.compilerOfConfig.get(project.configFile);
    if (compiler === undefined) {
      compiler = null;
      try {
        const file = createRequire(project.configFile).resolve('typescript');
        compiler = createRequire(project.configFile)('typescript') as TypeScriptCompiler;
        this.compilerFiles.add(pathToFileURL(file).href);
      } catch {
        this.warn(`hotspots: ${project.configFile} asks for emitDecoratorMetadata, which needs the typescript package next to it (npm install -D typescript); its decorators run without their metadata`);
      }
      this.compilerOfConfig.set(project.configFile, compiler);
    }
    return compiler;
  }

  /** URLs of the TypeScript compilers loaded (their time is the profiler's, not the program's). */
  compilerUrls(): string[] {
    return [...this.compilerFiles];
  }

  /**
   * Absolute paths (without extension resolution) a bare import `specifier` of `fromFile` stands for under
   * its project's `paths` and `baseUrl`, in the order TypeScript tries them: the best `paths` pattern's
   * targets (an exact pattern, else the longest prefix before its `*`), then the path under `baseUrl`.
   * Empty for relative, absolute and `node:` specifiers and files in node_modules.
   */
  aliasCandidates(specifier: string, fromFile: string): string[] {
    if (/^(?:\.{1,2}(?:[\\/]|$)|[\\/]|[a-zA-Z][a-zA-Z\d+.-]*:)/.test(specifier)) return [];
    if (/[\\/]node_modules[\\/]/.test(fromFile)) return [];
    const options = this.forFile(fromFile);
    if (!options) return [];
    const candidates: string[] = [];
    if (options.paths) {
      let best: { targets: string[]; matched: string; prefixLength: number } | null = null;
      for (const [pattern, targets] of Object.entries(options.paths)) {
        const star = pattern.indexOf('*');
        if (star < 0) {
          if (pattern === specifier) { best = { targets, matched: '', prefixLength: Infinity }; break; }
          continue;
        }
        const prefix = pattern.slice(0, star);
        const suffix = pattern.slice(star + 1);
        const fits = specifier.length >= prefix.length + suffix.length && specifier.startsWith(prefix) && specifier.endsWith(suffix);
        if (fits && (!best || prefix.length > best.prefixLength)) {
          best = { targets, matched: specifier.slice(prefix.length, specifier.length - suffix.length), prefixLength: prefix.length };
        }
      }
      for (const target of Array.isArray(best?.targets) ? best.targets : []) {
        if (typeof target !== 'string') continue;
        const resolved = target.replace('${configDir}', path.dirname(options.configFile)).replace('*', best!.matched);
        candidates.push(path.resolve(options.pathsBase, resolved));
      }
    }
    if (options.baseUrl) candidates.push(path.resolve(options.baseUrl, specifier));
    return candidates;
  }

  private nearestConfig(directory: string): string | null {
    const known = this.configOfDirectory.get(directory);
    if (known !== undefined) return known;
    const candidate = path.join(directory, 'tsconfig.json');
    const parent = path.dirname(directory);
    const found = isFile(candidate) ? candidate : parent === directory ? null : this.nearestConfig(parent);
    this.configOfDirectory.set(directory, found);
    return found;
  }

  private readProject(configFile: string): ProjectOptions | null {
    let config: ReadConfig;
    try {
      config = readConfig(configFile, new Set());
    } catch (error) {
      this.warn(`hotspots: ${configFile} cannot be read (${(error as Error).message}); its TypeScript runs with esbuild's defaults`);
      return null;
    }
    const configDir = path.dirname(configFile);
    // TypeScript 5.5: `${configDir}` in a shared base config means the directory of the config in use.
    const own = (value: string): string => value.replace('${configDir}', configDir);
    const baseUrl = config.baseUrl ? own(config.baseUrl) : null;
    const options = config.compilerOptions;
    const pick = (names: readonly string[]): Record<string, unknown> => Object.fromEntries(names.filter(name => options[name] !== undefined).map(name => [name, options[name]]));
    return {
      configFile,
      compilerOptions: pick(ESBUILD_OPTIONS),
      paths: config.paths ?? null,
      pathsBase: baseUrl ?? config.pathsBase ?? configDir,
      baseUrl,
      decoratorMetadata: options.emitDecoratorMetadata === true && options.experimentalDecorators === true ? pick(TYPESCRIPT_EMIT_OPTIONS) : null,
    };
  }
}

/** One config with its `extends` chain merged: later configs override earlier ones, option by option. */
function readConfig(configFile: string, chain: Set<string>): ReadConfig {
  // Only the configs being read above this one: two bases may well extend a common one.
  if (chain.has(configFile)) throw new Error(`\`extends\` goes round in a circle at ${configFile}`);
  chain.add(configFile);
  try {
    return readOneConfig(configFile, chain);
  } finally {
    chain.delete(configFile);
  }
}

function readOneConfig(configFile: string, chain: Set<string>): ReadConfig {
  const raw = parseJsonWithComments(fs.readFileSync(configFile, 'utf8')) as { extends?: unknown; compilerOptions?: Record<string, unknown> } | null;
  const directory = path.dirname(configFile);
  const merged: ReadConfig = { compilerOptions: {} };
  const bases = typeof raw?.extends === 'string' ? [raw.extends] : Array.isArray(raw?.extends) ? raw.extends : [];
  for (const base of bases) {
    if (typeof base !== 'string') continue;
    const baseFile = resolveExtends(base, directory);
    if (!baseFile) throw new Error(`the config it extends, "${base}", is not found`);
    const read = readConfig(baseFile, chain);
    Object.assign(merged.compilerOptions, read.compilerOptions);
    if (read.paths) { merged.paths = read.paths; merged.pathsBase = read.pathsBase; }
    if (read.baseUrl) merged.baseUrl = read.baseUrl;
  }
  const own = raw?.compilerOptions ?? {};
  Object.assign(merged.compilerOptions, own);
  // Relative to the config that says them (a base config's paths point into the base's directory).
  if (typeof own.baseUrl === 'string') merged.baseUrl = own.baseUrl.startsWith('${configDir}') ? own.baseUrl : path.resolve(directory, own.baseUrl);
  if (own.paths && typeof own.paths === 'object') { merged.paths = own.paths as Record<string, string[]>; merged.pathsBase = directory; }
  return merged;
}

/** The file an `extends` entry names: a path (with or without `.json`), or a package's config. */
function resolveExtends(base: string, directory: string): string | null {
  if (base.startsWith('.') || path.isAbsolute(base)) {
    const file = path.resolve(directory, base);
    return [file, `${file}.json`].find(isFile) ?? null;
  }
  // A package (`@tsconfig/node20/tsconfig.json`, `@tsconfig/strictest`): looked up in node_modules above,
  // as TypeScript does, without `exports` (config packages rarely export their JSON).
  for (let dir = directory; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'node_modules', base);
    const found = [file, `${file}.json`, path.join(file, 'tsconfig.json')].find(isFile);
    if (found) return found;
    if (path.dirname(dir) === dir) return null;
  }
}

/** Whether `file` exists and is a file (not a folder). */
export function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
