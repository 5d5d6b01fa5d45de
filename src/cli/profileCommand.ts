// `hotspots profile [options] <script> [-- <args>...]` or `hotspots profile [options] -- <command...>`:
// run a script or a whole command (npm test, npx mocha, node --test) under the profiler, print its hot
// lines, optionally write the Report JSON and an HTML report. Exits with the program's own exit code.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ProfileLaunchError, ProfileRunOptions, ProfileRunResult, SCRIPT_EXTENSIONS, startProfileRun } from '../core/profile/launch';
import { canRunInProcess, runInProcess, startStopWatchdogEarly } from '../core/profile/inProcessRun';
import type { Report } from '../core/profile/types';
import { markPhase, noteDuration, printPhases } from './phaseTimes';
import { CliError, CliIO, EXIT_OK, EXIT_USAGE } from './common';

const USAGE = `usage: hotspots profile [options] <script> [-- <args>...]
       hotspots profile [options] -- <command> [<args>...]

Runs <script> with node under the CPU profiler (child processes and worker threads included) and
prints the lines that took the most CPU time. Arguments after the script go to the script.

With a command after --, e.g. \`-- npm test\`, \`-- npx mocha\` or \`-- node --test\`, runs it (found on the
PATH) and profiles every Node.js process it starts, except npm, npx, yarn, pnpm and corepack themselves.

options:
  --json <file|->     also write the report as JSON (- = stdout; the table then goes to stderr)
  --html <file>       also write a self-contained HTML report (hot lines, sources, flame graph)
  --pprof <file>      also write the profile as gzipped pprof (.pb.gz: go tool pprof, Pyroscope, Datadog)
  --out-dir <dir>     where raw .cpuprofile files are kept, one subdirectory per run (default .hotspots/)
  --interval-us <n>   sampling interval in microseconds (default 1000)
  --top <n>           how many lines and functions to show (default 10)
  --node <path>       node executable to run the script with (default: node on the PATH)
  --memory            also sample the heap: bytes allocated per function (built-ins charged to
                      their caller), heap still held at the end, peak heap and RSS, GC time
  --memory=retained   sample only what is still alive at the end: bytes each function still holds
                      (a cache that grows, a leak) instead of what it allocated (one or the other
                      per run: V8 has one heap sampler)
  --memory-interval <bytes>
                      heap sampling interval in bytes (default 32768)
  --keep-inlining     keep V8 inlining: slightly less overhead, but time of inlined functions is
                      shown on their callers' lines
  --no-waits          do not measure waiting per await line (no instrumentation of your awaits)
  --separate-process  run the script in a process of its own. By default a script runs inside this
                      process when it can (not with --memory, --html, --pprof, --json -, another
                      --node, or on Windows), which saves a Node.js start (~100 ms); set
                      HOTSPOTS_SEPARATE_PROCESS=1 to make this the default
  --include-package-managers
                      with a command: profile npm, npx, yarn, pnpm and corepack processes too
  --help              show this help`;

interface ProfileCliOptions {
  /** Exactly one of script and command. */
  script?: string;
  scriptArgs: string[];
  command?: { file: string; args: string[] };
  includePackageManagers: boolean;
  json?: string;
  html?: string;
  pprof?: string;
  outDir: string;
  intervalUs: number;
  top: number;
  node?: string;
  keepInlining: boolean;
  /** Measure waiting per await line (default on; `--no-waits`). */
  waits: boolean;
  memory: boolean;
  memoryIntervalBytes?: number;
  /** `--memory=retained`: live objects only (bytes still held per function). */
  memoryMode?: 'retained';
  /** `--separate-process`: run the script in a child process even where it could run in this one. */
  separateProcess: boolean;
  /** `--help` before the script (after it, --help belongs to the script). */
  help: boolean;
}

export async function profileCommand(argv: string[], io: CliIO): Promise<number> {
  const options = parseArguments(argv);
  if (options.help) {
    io.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  // Like node, everything after the script is the script's: say so when that looks like a slip.
  const ours = options.scriptArgs.filter(arg => PROFILE_OPTIONS.has(arg.split('=')[0]));
  if (options.script && ours.length > 0) {
    io.stderr.write(`hotspots: ${ours.join(', ')} after the script name ${ours.length > 1 ? 'go' : 'goes'} to the script, not to Hotspots; put Hotspots' options before the script\n`);
  }
  const runName = options.command ? [options.command.file, ...options.command.args.slice(0, 1)].map(word => path.basename(word)).join('-') : options.script!;
  const runDir = path.resolve(io.cwd, options.outDir, runDirectoryName(runName));

  const runOptions: ProfileRunOptions = {
    ...(options.command ? { command: options.command, includePackageManagers: options.includePackageManagers } : { script: options.script, args: options.scriptArgs }),
    node: options.node,
    cwd: io.cwd,
    env: io.env,
    outDir: runDir,
    intervalUs: options.intervalUs,
    keepInlining: options.keepInlining,
    waits: options.waits,
    memory: options.memory && { intervalBytes: options.memoryIntervalBytes, mode: options.memoryMode },
    stdio: 'inherit',
    // `--json -`: stdout is the JSON alone, so the script's own output goes to stderr.
    stdoutToStderr: options.json === '-',
  };
  const dependencyMapState = (file: string): string => path.resolve(io.cwd, options.outDir, file);
  if (!options.separateProcess && !options.html && !options.pprof && canRunInProcess(runOptions)) {
    // Before the rest of the setup, which gives the watchdog thread time to start (see startStopWatchdogEarly).
    startStopWatchdogEarly(runDir);
    // The program's own output streams, as under plain node: without the CLI's EPIPE handling.
    process.stdout.removeAllListeners('error');
    try {
      runInProcess(runOptions, result => {
        markPhase('program ended');
        try {
          // Loaded only now, after the profile was taken: not sampled, and Profiler.start had less code to
          // list. Synchronously: the process is ending.
          const { buildRunReportSync } = require('../core/profile/runReport') as typeof import('../core/profile/runReport');
          const { formatReportText } = require('../core/profile/format') as typeof import('../core/profile/format');
          const { formatMemoryText } = require('../core/profile/memory/format') as typeof import('../core/profile/memory/format');
          const { WARNED_DEPENDENCY_MAPS_FILE } = require('../core/profile/dependencyMapWarnings') as typeof import('../core/profile/dependencyMapWarnings');
          const report = buildRunReportSync(result, { dependencyMapState: dependencyMapState(WARNED_DEPENDENCY_MAPS_FILE) });
          markPhase('report built');
          writeReport(report, result, options, io, { runDir, formatReportText, formatMemoryText });
        } catch (error) {
          io.stderr.write(`hotspots: could not build the report: ${error instanceof CliError ? error.message : (error as Error).stack}\n`);
          // As when the program ran in a child process: the command failed (read by Node after the 'exit' listeners).
          process.exitCode = error instanceof CliError ? error.exitCode : EXIT_USAGE;
        }
      });
    } catch (error) {
      if (error instanceof ProfileLaunchError) throw new CliError(error.message);
      throw error;
    }
    markPhase('program started');
    // The program owns the process now and ends it; this command never returns.
    return new Promise<number>(() => {});
  }

  // `hotspots profile x.js | head`: a reader that stops early is not an error of ours.
  for (const stream of [io.stdout, io.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => { if (error.code !== 'EPIPE') throw error; });
  }
  let result;
  let reporting: ReturnType<typeof loadReporting> | undefined;
  try {
    const run = startProfileRun(runOptions);
    markPhase('program started');
    // The report's modules load while the program starts (on another core), not before it.
    reporting = loadReporting();
    result = await run.done;
  } catch (error) {
    if (error instanceof ProfileLaunchError) throw new CliError(error.message);
    throw error;
  }
  noteDuration('program ran', result.wallMs);
  markPhase('run collected');
  const [{ buildRunReport }, { formatReportText }, { formatMemoryText }, { WARNED_DEPENDENCY_MAPS_FILE }] = await reporting;
  // The out dir holds all runs of this workspace: a dependency's broken source map is said once there.
  const report = await buildRunReport(result, { dependencyMapState: dependencyMapState(WARNED_DEPENDENCY_MAPS_FILE) });
  markPhase('report built');

  let htmlPath: string | undefined;
  if (options.html) {
    htmlPath = path.resolve(io.cwd, options.html);
    try {
      // Loaded only when asked for: the report page carries speedscope.
      const { writeHtmlReport } = await import('../core/flame/htmlReport');
      await writeHtmlReport(report, result.profiles, htmlPath);
    } catch (error) {
      throw new CliError(`cannot write the HTML report ${options.html}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  let pprofPath: string | undefined;
  if (options.pprof) {
    pprofPath = path.resolve(io.cwd, options.pprof);
    try {
      const [{ loadProfiles }, { writePprofFile }] = await Promise.all([import('../core/profile/importers'), import('../core/profile/exporters/pprof')]);
      writePprofFile(pprofPath, (await loadProfiles(result.profiles, { skipUnreadable: true })).profiles);
    } catch (error) {
      throw new CliError(`cannot write the pprof profile ${options.pprof}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  return writeReport(report, result, options, io, { runDir, htmlPath, pprofPath, formatReportText, formatMemoryText });
}

/** Writes the report (JSON, table) and returns the command's exit code: the program's own. Synchronous. */
function writeReport(report: Report, result: ProfileRunResult, options: ProfileCliOptions, io: CliIO, output: {
  runDir: string;
  htmlPath?: string;
  pprofPath?: string;
  formatReportText: typeof import('../core/profile/format').formatReportText;
  formatMemoryText: typeof import('../core/profile/memory/format').formatMemoryText;
}): number {
  const tableStream = options.json === '-' ? io.stderr : io.stdout;
  if (options.json === '-') {
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else if (options.json) {
    const jsonPath = path.resolve(io.cwd, options.json);
    try {
      fs.mkdirSync(path.dirname(jsonPath), { recursive: true });
      fs.writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
    } catch (error) {
      throw new CliError(`cannot write ${options.json}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  const failed = result.exitCode !== 0 || result.signal !== null;
  const how = result.signal ? `was killed by ${result.signal}` : `exited with code ${result.exitCode}`;
  // No CPU profile at all: the process ended without running any handler (a fatal out-of-memory error, an
  // abort, SIGKILL), so what was sampled is lost; it is not "nothing was sampled".
  const profileLost = failed && result.profiles.length === 0
    ? `hotspots: the program ${how} and wrote no CPU profile: a fatal error (such as running out of memory) or SIGKILL ends a process before it can save one (its own error output says why)\n`
    : undefined;
  if (failed && report.lines.length === 0 && !report.memory) {
    // Typically a SyntaxError or a missing module: the program's own error (printed by Node, before or after
    // this: in the CLI's own process Node prints an uncaught error after the 'exit' event) is what matters, and
    // an empty table would only bury it.
    tableStream.write(`\n${profileLost ?? `hotspots: the program ${how} before any of its code was sampled (its own error output says why)\n`}`);
    return exitCodeOf(result.exitCode, result.signal);
  }
  tableStream.write(`\n${output.formatReportText(report, { top: options.top, cwd: io.cwd })}\n`);
  if (report.memory) tableStream.write(`${output.formatMemoryText(report, { top: options.top, cwd: io.cwd })}\n`);
  if (profileLost) tableStream.write(profileLost);
  tableStream.write(`raw profiles (${result.profiles.length}): ${shownPath(output.runDir, io.cwd)}${path.sep}\n`);
  if (output.htmlPath) tableStream.write(`HTML report: ${shownPath(output.htmlPath, io.cwd)}\n`);
  if (output.pprofPath) tableStream.write(`pprof profile: ${shownPath(output.pprofPath, io.cwd)}\n`);
  markPhase('printed');
  printPhases(io.stderr);
  return exitCodeOf(result.exitCode, result.signal);
}

/** What builds and prints the report (the profile model, importers, source maps, formatting). */
function loadReporting() {
  return Promise.all([
    import('../core/profile/runReport'),
    import('../core/profile/format'),
    import('../core/profile/memory/format'),
    import('../core/profile/dependencyMapWarnings'),
  ]);
}

/** Relative to the working directory when inside it, else absolute. */
function shownPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file) || '.';
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

/** The script's exit code, the shell way: killed by signal n → 128 + n. */
function exitCodeOf(exitCode: number | null, signal: NodeJS.Signals | null): number {
  if (exitCode !== null) return exitCode;
  const signalNumber = signal ? os.constants.signals[signal] : undefined;
  return signalNumber ? 128 + signalNumber : 1;
}

/** e.g. `20261123-153001-482-dedupe-indexof`: sorts by time, says which script. */
function runDirectoryName(script: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').replace('.', '-').replace('Z', '');
  const name = path.basename(script).replace(/\.[^.]+$/, '').replace(/[^\w.-]+/g, '_');
  return `${stamp}-${name}`;
}

/** Options of `hotspots profile` (what follows the script is the script's own, see parseArguments). */
const PROFILE_OPTIONS: ReadonlySet<string> = new Set(['--json', '--html', '--pprof', '--include-package-managers', '--out-dir', '--interval-us', '--top', '--node', '--keep-inlining', '--separate-process', '--no-waits', '--memory', '--memory-interval']);

function parseArguments(argv: string[]): ProfileCliOptions {
  const options: Partial<ProfileCliOptions> & { scriptArgs: string[] } = {
    outDir: '.hotspots',
    intervalUs: 1000,
    top: 10,
    keepInlining: false,
    waits: true,
    memory: false,
    includePackageManagers: false,
    separateProcess: process.env.HOTSPOTS_SEPARATE_PROCESS === '1',
    help: false,
    scriptArgs: [],
  };
  /** The last option that took a value: `--json app.js` leaves no script, and the error says why. */
  let lastValue: { name: string; value: string } | undefined;
  const valueOf = (index: number, name: string): string => {
    const value = argv[index + 1];
    if (value === undefined || (value.startsWith('--') && value !== '-')) throw new CliError(`profile: ${name} needs a value`);
    lastValue = { name, value };
    return value;
  };
  const positiveInteger = (text: string, name: string): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value <= 0) throw new CliError(`profile: ${name} must be a positive integer, got '${text}'`);
    return value;
  };
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === '--') {
      if (options.script === undefined) {
        const [file, ...rest] = argv.slice(index + 1);
        if (file === undefined) throw new CliError('profile: missing <command> after -- (see hotspots profile --help)');
        // `-- app.js args` is a script as before; anything else (`-- npm test`) is a command.
        if (SCRIPT_EXTENSIONS.some(extension => file.endsWith(extension))) [options.script, options.scriptArgs] = [file, rest];
        else options.command = { file, args: rest };
      } else {
        options.scriptArgs.push(...argv.slice(index + 1));
      }
      break;
    }
    if (options.script !== undefined) {
      // Like node: everything after the script belongs to the script.
      options.scriptArgs.push(arg);
      continue;
    }
    switch (arg) {
      case '--json': options.json = valueOf(index++, arg); break;
      case '--html': options.html = valueOf(index++, arg); break;
      case '--pprof': options.pprof = valueOf(index++, arg); break;
      case '--include-package-managers': options.includePackageManagers = true; break;
      case '--out-dir': options.outDir = valueOf(index++, arg); break;
      case '--interval-us': options.intervalUs = positiveInteger(valueOf(index++, arg), arg); break;
      case '--top': options.top = positiveInteger(valueOf(index++, arg), arg); break;
      case '--node': options.node = valueOf(index++, arg); break;
      case '--keep-inlining': options.keepInlining = true; break;
      case '--separate-process': options.separateProcess = true; break;
      case '--no-waits': options.waits = false; break;
      case '--memory': options.memory = true; break;
      case '--memory-interval': options.memoryIntervalBytes = positiveInteger(valueOf(index++, arg), arg); options.memory = true; break;
      case '--help': case '-h': options.help = true; break;
      case '--memory=allocated': options.memory = true; break;
      case '--memory=retained': options.memory = true; options.memoryMode = 'retained'; break;
      default:
        if (arg.startsWith('--memory=')) throw new CliError(`profile: --memory= takes 'allocated' or 'retained', got '${arg.slice('--memory='.length)}'`);
        if (arg.startsWith('-')) throw new CliError(`profile: unknown option '${arg}' (see hotspots profile --help)`);
        options.script = arg;
    }
  }
  if (options.help) return options as ProfileCliOptions;
  if (!options.script && !options.command) {
    const took = lastValue && SCRIPT_EXTENSIONS.some(extension => lastValue!.value.endsWith(extension)) ? `${lastValue.name} took '${lastValue.value}' as its value; ` : '';
    throw new CliError(`profile: missing <script> or -- <command> (${took}see hotspots profile --help)`);
  }
  if (options.includePackageManagers && !options.command) throw new CliError('profile: --include-package-managers needs a command after -- (see hotspots profile --help)');
  if (options.html === '-') throw new CliError('profile: --html needs a file name');
  if (options.pprof === '-') throw new CliError('profile: --pprof needs a file name');
  return options as ProfileCliOptions;
}
