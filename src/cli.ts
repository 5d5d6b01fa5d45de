// `hotspots` command line: a thin dispatcher over src/core. Each subcommand lives in src/cli/ and is
// loaded only when used, so `hotspots lint` never loads the profiler and vice versa.
import { CliError, CliIO, EXIT_USAGE, isCliError, Subcommand } from './cli/common';
import { distFile } from './core/paths';
import { markPhase } from './cli/phaseTimes';

const USAGE = `usage: hotspots <command> [options]

commands:
  profile [options] <script> [-- <args>...]   run a script under the CPU profiler and show its hot lines
  report <profile.cpuprofile>... [options]    build the same report from existing .cpuprofile files
  lint [options] <paths...>                   find quadratic loops and sequential awaits
  compare <before> <after> [options]          compare two runs line by line, across edits
  check --baseline <before.json> <script>     fail when a run is slower than its baseline (for CI)

Run 'hotspots <command> --help' for the options of a command.`;

const subcommands: Record<string, () => Promise<Subcommand>> = {
  profile: async () => (await import('./cli/profileCommand')).profileCommand,
  report: async () => (await import('./cli/reportCommand')).reportCommand,
  // A bundle of its own (dist/cliLint.js): the parser brings the TypeScript compiler, which no other
  // command needs. A computed path keeps esbuild from inlining it here.
  lint: async () => (require(distFile('cliLint.js')) as typeof import('./cli/lintCommand')).lintCommand,
  compare: async () => (await import('./cli/compareCommand')).compareCommand,
  check: async () => (await import('./cli/checkCommand')).checkCommand,
};

// `hotspots report … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

async function main(argv: string[]): Promise<number> {
  const io: CliIO = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
  markPhase('cli loaded');
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return name ? 0 : EXIT_USAGE;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${HOTSPOTS_VERSION}\n`);
    return 0;
  }
  const load = subcommands[name];
  if (!load) throw new CliError(`unknown command '${name}' (expected one of: ${Object.keys(subcommands).join(', ')})`);
  const command = await load();
  markPhase('command loaded');
  return command(rest, io);
}

declare const HOTSPOTS_VERSION: string;

main(process.argv.slice(2)).then(
  code => { process.exitCode = code; },
  (error: unknown) => {
    if (isCliError(error)) {
      process.stderr.write(`hotspots: ${error.message}\n`);
      process.exitCode = error.exitCode;
    } else {
      process.stderr.write(`hotspots: internal error: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = EXIT_USAGE;
    }
  },
);
