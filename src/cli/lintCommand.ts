// `hotspots lint`: findings for files and directories as text, JSON or SARIF; `--fix` applies only the
// fixes the rules mark safe and reports how many.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliError, type CliIO, EXIT_FINDINGS, EXIT_OK } from './common';
import { DEFAULT_MAX_FILE_SIZE_KB } from '../core/lint/engine';
import { applyFixes } from '../core/lint/fixes';
import { lintFile, lintFiles, type LintFilesOptions } from '../core/lint/files';
import { formatSarif, formatText } from '../core/lint/output';
import { findRule, RULES } from '../core/lint/registry';
import type { Finding, RuleSetting } from '../core/lint/types';
import { ComparisonInputError, loadReportOrProfile } from '../core/compare/load';
import { readSourceFromDisk } from '../core/compare/sourceContext';
import { measureFindings } from '../core/insight/measureFindings';
import { addMeasuredAllocation } from '../core/insight/measureAllocations';

const USAGE = `usage: hotspots lint [options] <paths...>

Find quadratic loops and sequential awaits in JavaScript and TypeScript files.
Directories recurse, skipping node_modules and .gitignore'd paths.

options:
  --format text|json|sarif     output format (default text)
  --fix                        apply the fixes that provably keep behaviour, then report what is left
  --all                        also list hints (findings whose collection size is unknown; JSON always has them)
  --rule <id>=<level>          off | hint | info | warning | error (repeatable), e.g. --rule async/sequential-awaits=off
  --max-file-size-kb <n>       skip larger files with a notice (default ${DEFAULT_MAX_FILE_SIZE_KB})
  --profile <report.json>      rank findings by the time a profile (Report JSON or .cpuprofile) measured on
                               their loop or statements; findings on code that never ran drop one severity

rules:
${RULES.map(rule => `  ${rule.meta.id.padEnd(30)} ${rule.meta.description}`).join('\n')}

exit status: 0 no findings (or only hints), 1 findings, 2 usage or internal error`;

const LEVELS: readonly RuleSetting[] = ['off', 'hint', 'info', 'warning', 'error'];
/** `--fix` re-lints after applying, since overlapping fixes wait for the next pass. */
const MAX_FIX_PASSES = 5;

interface LintArgs { format: 'text' | 'json' | 'sarif'; fix: boolean; all: boolean; rules: Record<string, RuleSetting>; maxFileSizeKb: number; paths: string[]; profile?: string }

function parseArgs(argv: string[]): LintArgs | 'help' {
  const args: LintArgs = { format: 'text', fix: false, all: false, rules: {}, maxFileSizeKb: DEFAULT_MAX_FILE_SIZE_KB, paths: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') && !arg.startsWith('--rule=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const next = inline ?? argv[++i];
      if (next === undefined) throw new CliError(`lint: ${flag} needs a value`);
      return next;
    };
    if (flag === '--help' || flag === '-h') return 'help';
    else if (flag === '--fix') args.fix = true;
    else if (flag === '--all') args.all = true;
    else if (flag === '--format') {
      const format = value();
      if (format !== 'text' && format !== 'json' && format !== 'sarif') throw new CliError(`lint: --format must be text, json or sarif (got '${format}')`);
      args.format = format;
    } else if (flag === '--rule' || flag.startsWith('--rule=')) {
      const setting = flag.startsWith('--rule=') ? flag.slice('--rule='.length) : value();
      const match = /^([^=]+)=(.+)$/.exec(setting);
      if (!match) throw new CliError(`lint: --rule expects <id>=<level> (got '${setting}')`);
      const [, id, level] = match;
      if (!findRule(id)) throw new CliError(`lint: unknown rule '${id}' (known: ${RULES.map(rule => rule.meta.id).join(', ')})`);
      if (!LEVELS.includes(level as RuleSetting)) throw new CliError(`lint: level for ${id} must be one of ${LEVELS.join(', ')} (got '${level}')`);
      args.rules[id] = level as RuleSetting;
    } else if (flag === '--profile') {
      args.profile = value();
    } else if (flag === '--max-file-size-kb') {
      const size = Number(value());
      if (!Number.isFinite(size) || size <= 0) throw new CliError('lint: --max-file-size-kb must be a positive number');
      args.maxFileSizeKb = size;
    } else if (arg.startsWith('-') && arg !== '-') throw new CliError(`lint: unknown option '${arg}' (see hotspots lint --help)`);
    else args.paths.push(arg);
  }
  if (args.paths.length === 0) throw new CliError('lint: no paths given (see hotspots lint --help)');
  return args;
}

export async function lintCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv);
  if (args === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  for (const given of args.paths) {
    if (!fs.existsSync(path.resolve(io.cwd, given))) throw new CliError(`lint: no such file or directory: ${given}`);
  }
  // Loaded before linting so a wrong --profile path fails at once.
  const profile = args.profile ? loadProfileForLint(path.resolve(io.cwd, args.profile), io.cwd) : undefined;
  const options: LintFilesOptions = { rules: args.rules, maxFileSizeKb: args.maxFileSizeKb };
  const absolutePaths = args.paths.map(given => path.resolve(io.cwd, given));
  let { findings, notices, filesLinted } = await lintFiles(absolutePaths, options);
  if (args.fix) {
    const fixed = fixFiles(findings, options);
    notices.push(`fixed ${fixed.fixes} problem${fixed.fixes === 1 ? '' : 's'} in ${fixed.files} file${fixed.files === 1 ? '' : 's'}`);
    if (fixed.files > 0) ({ findings } = await lintFiles(absolutePaths, options));
  }
  if (profile) findings = measureFindings(findings, profile, { readSource: readSourceFromDisk, cwd: io.cwd });
  if (profile?.allocations) findings = addMeasuredAllocation(findings, profile, readSourceFromDisk, io.cwd);
  if (filesLinted === 0) {
    // A folder named on purpose that holds no file to lint: say why, instead of a bare "0 files".
    const folders = args.paths.filter(given => fs.statSync(path.resolve(io.cwd, given)).isDirectory());
    if (folders.length > 0) notices.push(`no file to lint in ${folders.join(', ')}: folders are read without node_modules and .gitignore'd paths (name a file to lint it anyway)`);
  }
  for (const notice of notices) io.stderr.write(`hotspots: ${notice}\n`);
  if (args.format === 'json') io.stdout.write(`${JSON.stringify(findings, null, 2)}\n`);
  else if (args.format === 'sarif') io.stdout.write(`${JSON.stringify(formatSarif(findings, io.cwd, HOTSPOTS_VERSION), null, 2)}\n`);
  else io.stdout.write(formatText(findings, io.cwd, args.all, terminalWidth(io.stdout), filesLinted));
  // Hints alone (size unknown, or measured cold) do not fail a CI job.
  return findings.some(finding => finding.severity !== 'hint') ? EXIT_FINDINGS : EXIT_OK;
}

/** Applies safe fixes file by file, re-linting each changed file until nothing more applies. */
function fixFiles(findings: readonly Finding[], options: LintFilesOptions): { fixes: number; files: number } {
  const files = [...new Set(findings.filter(finding => finding.fix).map(finding => finding.file))];
  let fixes = 0;
  for (const file of files) {
    let text = fs.readFileSync(file, 'utf8');
    let pending = findings.filter(finding => finding.file === file && finding.fix);
    for (let pass = 0; pass < MAX_FIX_PASSES && pending.length > 0; pass++) {
      const result = applyFixes(text, pending.map(finding => finding.fix!));
      if (result.applied === 0) break;
      fixes += result.applied;
      text = result.output;
      fs.writeFileSync(file, text);
      pending = lintFile(file, options, []).filter(finding => finding.fix);
    }
  }
  return { fixes, files: files.length };
}

function loadProfileForLint(file: string, cwd: string) {
  try {
    return loadReportOrProfile(file, [cwd]);
  } catch (error) {
    if (error instanceof ComparisonInputError) throw new CliError(`lint: --profile ${error.message}`);
    throw error;
  }
}

declare const HOTSPOTS_VERSION: string;

/** Columns of the terminal `stream` writes to; undefined for a pipe or a file. */
function terminalWidth(stream: NodeJS.WritableStream): number | undefined {
  const terminal = stream as NodeJS.WriteStream;
  return terminal.isTTY && terminal.columns > 0 ? terminal.columns : undefined;
}
