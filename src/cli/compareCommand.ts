// `hotspots compare <before> <after>`: what changed between two runs, line by line across edits.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareReports } from '../core/compare/compare';
import { formatComparisonText } from '../core/compare/format';
import { ComparisonInputError, loadReportOrProfile } from '../core/compare/load';
import { readSourceFromDisk, ReportWithContext } from '../core/compare/sourceContext';
import { CliError, CliIO, EXIT_OK } from './common';
import { compareMemory, formatMemoryComparison } from '../core/compare/compareMemory';

const USAGE = `usage: hotspots compare <before.json|.cpuprofile> <after.json|.cpuprofile> [options]

Compares two runs: the overall change of busy (non-idle) time and the lines and functions that got
faster or slower. Lines are matched across edits: a line that only moved is the same line; deleted
or rewritten lines show as gone or new.

options:
  --json <file|->   also write the comparison as JSON (- = stdout; the text then goes to stderr)
  --top <n>         how many lines and functions to show (default 10)
  --memory          require memory in both (reports of \`profile --memory\`); shown anyway when both have it
  --help            show this help`;

export async function compareCommand(argv: string[], io: CliIO): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  const parsed = parseOptions('compare', argv, { valued: ['--json', '--top'], flags: ['--memory'] });
  if (parsed.positional.length !== 2) {
    throw new CliError(`compare: expected two reports (before and after), got ${parsed.positional.length}; see 'hotspots compare --help'`);
  }
  const top = positiveInteger('compare', '--top', parsed.values.get('--top') ?? '10');
  const [before, after] = parsed.positional.map(file => loadInput(path.resolve(io.cwd, file), io.cwd));
  if (parsed.flags.has('--memory')) {
    parsed.positional.forEach((file, index) => {
      if (![before, after][index].memory) throw new CliError(`compare: ${file} has no heap data (record it with hotspots profile --memory --json <file>)`);
    });
  }
  const comparison = compareReports(before, after, { readSource: readSourceFromDisk });
  const memory = compareMemory(before, after);
  const textStream = writeJson(parsed.values.get('--json'), memory ? { ...comparison, memory } : comparison, io);
  textStream.write(formatComparisonText(comparison, { top, cwd: io.cwd }));
  if (memory) textStream.write(formatMemoryComparison(memory, { top, cwd: io.cwd }));
  return EXIT_OK;
}

/** `cwd`: the workspace a profile recorded elsewhere is mapped into. */
export function loadInput(file: string, cwd: string): ReportWithContext {
  try {
    return loadReportOrProfile(file, [cwd]);
  } catch (error) {
    if (error instanceof ComparisonInputError) throw new CliError(error.message);
    throw error;
  }
}

/** Writes `value` as JSON to a file or stdout (`-`); returns the stream human-readable text should go to. */
export function writeJson(target: string | undefined, value: unknown, io: CliIO): NodeJS.WritableStream {
  if (target === undefined) return io.stdout;
  const json = `${JSON.stringify(value, null, 2)}\n`;
  if (target === '-') {
    io.stdout.write(json);
    return io.stderr;
  }
  const file = path.resolve(io.cwd, target);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, json);
  } catch (error) {
    throw new CliError(`cannot write ${target}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return io.stdout;
}

export interface ParsedOptions {
  positional: string[];
  values: Map<string, string>;
  flags: Set<string>;
  /** Everything after `--`. */
  rest: string[];
}

/**
 * Minimal option parser shared by compare and check: `--name value` or `--name=value` for `valued`
 * options, bare `--name` for `flags`; positional arguments in order; stops at `--` (or, with
 * `stopAtFirstPositional`, at the script: its own options belong to it).
 */
export function parseOptions(
  command: string, argv: string[],
  spec: { valued: string[]; flags?: string[]; stopAtFirstPositional?: boolean },
): ParsedOptions {
  const result: ParsedOptions = { positional: [], values: new Map(), flags: new Set(), rest: [] };
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === '--') {
      result.rest = argv.slice(index + 1);
      break;
    }
    if (arg.startsWith('--')) {
      const [name, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
      if (spec.valued.includes(name)) {
        const value = inline ?? argv[++index];
        if (value === undefined || (value.startsWith('--') && value !== '-')) throw new CliError(`${command}: ${name} needs a value`);
        result.values.set(name, value);
      } else if (spec.flags?.includes(name) && inline === undefined) {
        result.flags.add(name);
      } else {
        throw new CliError(`${command}: unknown option ${name}; see 'hotspots ${command} --help'`);
      }
      continue;
    }
    if (arg.startsWith('-') && arg !== '-') throw new CliError(`${command}: unknown option ${arg}; see 'hotspots ${command} --help'`);
    result.positional.push(arg);
    if (spec.stopAtFirstPositional) {
      result.rest = argv.slice(index + 1);
      if (result.rest[0] === '--') result.rest.shift();
      break;
    }
  }
  return result;
}

export function positiveInteger(command: string, name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new CliError(`${command}: ${name} must be a positive integer, got '${text}'`);
  return value;
}
