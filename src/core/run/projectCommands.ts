// What to run to profile a project's npm scripts and test files: the scripts in package.json, the test
// runner a test file uses and the Node command that runs just that file. (Which processes are package
// managers, to leave out of a profile, is in packageManagers.ts: the preload needs only that.)
//
// Test commands start the runner's JS entry from node_modules with `node` directly rather than through
// npx or a .bin shim, so the processes that run the tests are Node processes the preload profiles, with
// no shell or package manager in between.
import * as fs from 'node:fs';
import * as path from 'node:path';

export type TestRunner = 'node:test' | 'mocha' | 'jest' | 'vitest';

export interface NpmScript {
  name: string;
  command: string;
}

export interface TestFileCommand {
  /** `node` unless the caller gave another executable. */
  command: string;
  args: string[];
  /** Run in the project directory: runners find their configuration there. */
  cwd: string;
  /** What the user should know about where the time will show up, when it is not the obvious place. */
  note?: string;
}

/** A project file is missing or malformed, or a runner is not installed. The message names the file. */
export class ProjectCommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProjectCommandError';
  }
}

// ---------------------------------------------------------------------------------------------------
// package.json

/** The scripts of `<packageJsonDir>/package.json`, in the order the file lists them. */
export function listNpmScripts(packageJsonDir: string): NpmScript[] {
  const file = path.join(packageJsonDir, 'package.json');
  const manifest = readPackageJson(file);
  if (manifest === undefined) throw new ProjectCommandError(`no package.json in ${packageJsonDir}`);
  const scripts = manifest.scripts;
  if (scripts === undefined) return [];
  if (typeof scripts !== 'object' || scripts === null || Array.isArray(scripts)) {
    throw new ProjectCommandError(`${file}: "scripts" must be an object mapping script names to commands`);
  }
  // npm ignores entries that are not strings; so do we.
  return Object.entries(scripts as Record<string, unknown>)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .map(([name, command]) => ({ name, command }));
}

/** The nearest directory at or above `file`'s directory that holds a package.json, or null. */
export function findProjectDir(file: string): string | null {
  for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return null;
  }
}

type PackageJson = Record<string, unknown>;

/** The parsed manifest; undefined when the file does not exist; throws when it is not a JSON object. */
function readPackageJson(file: string): PackageJson | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new ProjectCommandError(`${file}: cannot be read (${code ?? (error as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ProjectCommandError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ProjectCommandError(`${file}: expected a JSON object`);
  return parsed as PackageJson;
}

// ---------------------------------------------------------------------------------------------------
// Test runners

const FRAMEWORK_RUNNERS = ['vitest', 'jest', 'mocha'] as const;
type FrameworkRunner = (typeof FRAMEWORK_RUNNERS)[number];

const CONFIG_FILES: Record<FrameworkRunner, RegExp> = {
  vitest: /^vitest\.config\.[cm]?[jt]s$/,
  jest: /^jest\.config\.(?:[cm]?[jt]s|json)$/,
  mocha: /^\.mocharc\.(?:[cm]?js|jsonc?|ya?ml)$/,
};

/** How a test script names each runner; the earliest match in the script wins. */
const SCRIPT_PATTERNS: Record<TestRunner, RegExp> = {
  vitest: /\bvitest\b/,
  jest: /\bjest\b/,
  mocha: /\bmocha\b/,
  'node:test': /\bnode\b[^&|;]*\s--test\b/,
};

/**
 * The runner `testFile` is written for, from the strongest evidence to the weakest:
 * 1. the file's own imports (`node:test`, `vitest`, `@jest/globals`);
 * 2. a runner configuration in the project (vitest.config.*, jest.config.* or "jest" in package.json,
 *    .mocharc.* or "mocha" in package.json), when only one runner has one;
 * 3. the runner the `test` script starts (`node --test` counts);
 * 4. the runner among the dependencies and devDependencies (vitest before jest before mocha when a
 *    project lists several, e.g. while migrating) — or the first runner with a configuration.
 * Null when nothing points at a runner. A malformed package.json is skipped, not an error: the file's
 * imports and the config files still tell.
 */
export function detectTestRunner(testFile: string, projectDir: string): TestRunner | null {
  const fromImports = runnerFromImports(readText(path.resolve(projectDir, testFile)));
  if (fromImports) return fromImports;

  let manifest: PackageJson | undefined;
  try {
    manifest = readPackageJson(path.join(projectDir, 'package.json'));
  } catch {
    manifest = undefined;
  }
  const entries = listDirectory(projectDir);
  const configured = FRAMEWORK_RUNNERS.filter(runner => entries.some(name => CONFIG_FILES[runner].test(name)) || (runner !== 'vitest' && manifest?.[runner] !== undefined));
  if (configured.length === 1) return configured[0];

  const testScript = (manifest?.scripts as Record<string, unknown> | undefined)?.test;
  const fromScript = typeof testScript === 'string' ? runnerFromScript(testScript) : null;
  if (fromScript) return fromScript;

  const dependencies = { ...asRecord(manifest?.dependencies), ...asRecord(manifest?.devDependencies) };
  return FRAMEWORK_RUNNERS.find(runner => runner in dependencies) ?? configured[0] ?? null;
}

function runnerFromImports(source: string | undefined): TestRunner | null {
  if (!source) return null;
  const imports = (module: string) => new RegExp(`(?:\\bfrom\\s*|\\brequire\\s*\\(\\s*|\\bimport\\s*\\(?\\s*)['"]${module.replace(/[/.]/g, '\\$&')}['"]`).test(source);
  if (imports('node:test')) return 'node:test';
  if (imports('vitest')) return 'vitest';
  if (imports('@jest/globals')) return 'jest';
  return null;
}

function runnerFromScript(script: string): TestRunner | null {
  let best: { runner: TestRunner; at: number } | null = null;
  for (const [runner, pattern] of Object.entries(SCRIPT_PATTERNS) as Array<[TestRunner, RegExp]>) {
    const match = pattern.exec(script);
    if (match && (!best || match.index < best.at)) best = { runner, at: match.index };
  }
  return best?.runner ?? null;
}

/** Each runner's npm package(s) and the bin name whose JS entry runs it. */
const RUNNER_PACKAGES: Record<FrameworkRunner, { packages: string[]; bin: string }> = {
  mocha: { packages: ['mocha'], bin: 'mocha' },
  jest: { packages: ['jest', 'jest-cli'], bin: 'jest' },
  vitest: { packages: ['vitest'], bin: 'vitest' },
};

/**
 * The Node command that runs only `testFile` with `runner`, started in `projectDir`. Framework runners
 * are started from their JS entry in node_modules (found in `projectDir` or a parent directory, as in
 * workspaces with hoisted dependencies); throws when the runner is not installed.
 */
export function testFileCommand(runner: TestRunner, testFile: string, projectDir: string, options: { node?: string } = {}): TestFileCommand {
  const node = options.node ?? 'node';
  const cwd = path.resolve(projectDir);
  const absolute = path.resolve(cwd, testFile);
  const relative = path.relative(cwd, absolute);
  // A path under the project reads better in the command line; jest and vitest also match it as given.
  const file = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : absolute;
  switch (runner) {
    case 'node:test':
      return { command: node, args: ['--test', file], cwd, note: 'node --test runs the file in a child process: the test time is in that process\'s profile.' };
    case 'mocha': {
      const command: TestFileCommand = { command: node, args: [runnerEntry('mocha', cwd), file], cwd };
      const config = mochaConfigText(cwd);
      if (config && /\bspec\b/.test(config)) command.note = 'Mocha adds the files listed in the config\'s "spec" to the ones given: they run (and are profiled) too.';
      if (config && /\bparallel\b/.test(config)) command.note = `${command.note ? `${command.note} ` : ''}The config may enable parallel mode: tests then run in worker processes, each profiled separately.`;
      return command;
    }
    case 'jest':
      // --runInBand: the tests run in this process rather than in a worker pool; --runTestsByPath: the
      // argument is this file, not a regular expression over all test paths.
      return { command: node, args: [runnerEntry('jest', cwd), '--runInBand', '--runTestsByPath', file], cwd };
    case 'vitest':
      return {
        command: node,
        args: [runnerEntry('vitest', cwd), 'run', file],
        cwd,
        note: 'Vitest runs test files in a worker: a child process with pool "forks" (the default since Vitest 2) or a worker thread with "threads". Both are profiled; the test time is in the worker\'s profile, not the main process\'s.',
      };
  }
}

/** Absolute path of the runner's bin JS entry, from the nearest node_modules that has the package. */
function runnerEntry(runner: FrameworkRunner, projectDir: string): string {
  const { packages, bin } = RUNNER_PACKAGES[runner];
  for (let dir = projectDir; ; dir = path.dirname(dir)) {
    for (const name of packages) {
      const packageDir = path.join(dir, 'node_modules', name);
      let manifest: PackageJson | undefined;
      try {
        manifest = readPackageJson(path.join(packageDir, 'package.json'));
      } catch {
        manifest = undefined;
      }
      const bins = manifest?.bin;
      const entry = typeof bins === 'string' ? bins : asRecord(bins)[bin];
      if (typeof entry === 'string') return path.join(packageDir, entry);
    }
    if (path.dirname(dir) === dir) break;
  }
  throw new ProjectCommandError(`${runner} is not installed for ${projectDir} (no node_modules/${packages[0]} with a "${bin}" bin here or above); install the project's dependencies first`);
}

function mochaConfigText(projectDir: string): string | undefined {
  const name = listDirectory(projectDir).find(entry => CONFIG_FILES.mocha.test(entry));
  return name ? readText(path.join(projectDir, name)) : undefined;
}

// ---------------------------------------------------------------------------------------------------

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function listDirectory(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
