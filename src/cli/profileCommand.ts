// `hotspots profile [options] <script> [-- <args>...]`: run a script under the profiler, print its hot
// lines, optionally write the Report JSON. Exits with the script's own exit code.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatReportText } from '../core/profile/format';
import { profileScript, ProfileLaunchError } from '../core/profile/launch';
import { CliError, CliIO, EXIT_OK } from './common';

const USAGE = `usage: hotspots profile [options] <script> [-- <args>...]

Runs <script> with node under the CPU profiler (child processes and worker threads included) and
prints the lines that took the most CPU time. Arguments after the script go to the script.

options:
  --json <file|->     also write the report as JSON (- = stdout; the table then goes to stderr)
  --out-dir <dir>     where raw .cpuprofile files are kept, one subdirectory per run (default .hotspots/)
  --interval-us <n>   sampling interval in microseconds (default 1000)
  --top <n>           how many lines and functions to show (default 10)
  --node <path>       node executable to run the script with (default: node on the PATH)
  --keep-inlining     keep V8 inlining: slightly less overhead, but time of inlined functions is
                      shown on their callers' lines
  --help              show this help`;

interface ProfileCliOptions {
  script: string;
  scriptArgs: string[];
  json?: string;
  outDir: string;
  intervalUs: number;
  top: number;
  node?: string;
  keepInlining: boolean;
  /** `--help` before the script (after it, --help belongs to the script). */
  help: boolean;
}

export async function profileCommand(argv: string[], io: CliIO): Promise<number> {
  const options = parseArguments(argv);
  if (options.help) {
    io.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  // `hotspots profile x.js | head`: a reader that stops early is not an error of ours.
  for (const stream of [io.stdout, io.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => { if (error.code !== 'EPIPE') throw error; });
  }
  const runDir = path.resolve(io.cwd, options.outDir, runDirectoryName(options.script));

  let outcome;
  try {
    outcome = await profileScript({
      script: options.script,
      args: options.scriptArgs,
      node: options.node,
      cwd: io.cwd,
      env: io.env,
      outDir: runDir,
      intervalUs: options.intervalUs,
      keepInlining: options.keepInlining,
      stdio: 'inherit',
      // `--json -`: stdout is the JSON alone, so the script's own output goes to stderr.
      stdoutToStderr: options.json === '-',
    });
  } catch (error) {
    if (error instanceof ProfileLaunchError) throw new CliError(error.message);
    throw error;
  }
  const { report, result } = outcome;

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
  tableStream.write(`\n${formatReportText(report, { top: options.top, cwd: io.cwd })}\n`);
  const shownDir = path.relative(io.cwd, runDir) || '.';
  tableStream.write(`raw profiles (${result.profiles.length}): ${shownDir.startsWith('..') ? runDir : shownDir}${path.sep}\n`);
  return exitCodeOf(result.exitCode, result.signal);
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

function parseArguments(argv: string[]): ProfileCliOptions {
  const options: Partial<ProfileCliOptions> & { scriptArgs: string[] } = {
    outDir: '.hotspots',
    intervalUs: 1000,
    top: 10,
    keepInlining: false,
    help: false,
    scriptArgs: [],
  };
  const valueOf = (index: number, name: string): string => {
    const value = argv[index + 1];
    if (value === undefined || (value.startsWith('--') && value !== '-')) throw new CliError(`profile: ${name} needs a value`);
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
        [options.script, ...options.scriptArgs] = argv.slice(index + 1);
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
      case '--out-dir': options.outDir = valueOf(index++, arg); break;
      case '--interval-us': options.intervalUs = positiveInteger(valueOf(index++, arg), arg); break;
      case '--top': options.top = positiveInteger(valueOf(index++, arg), arg); break;
      case '--node': options.node = valueOf(index++, arg); break;
      case '--keep-inlining': options.keepInlining = true; break;
      case '--help': case '-h': options.help = true; break;
      default:
        if (arg.startsWith('-')) throw new CliError(`profile: unknown option '${arg}' (see hotspots profile --help)`);
        options.script = arg;
    }
  }
  if (options.help) return options as ProfileCliOptions;
  if (!options.script) throw new CliError('profile: missing <script> (see hotspots profile --help)');
  return options as ProfileCliOptions;
}
