// `hotspots report <profile.cpuprofile>...`: the profile report from existing .cpuprofile files
// (our own runs, Chrome DevTools, `node --cpu-prof`). Several files are merged into one report.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LoadedCpuProfile, LoadedCpuProfileTable } from '../core/profile/cpuprofile';
import { loadProfileParts, ProfileFormatError } from '../core/profile/importers';
import { describePathMappings, parsePathMapping, type PathMapping } from '../core/profile/importers/pathMapping';
import { formatReportText, reportJsonChunks } from '../core/profile/format';
import { ReportBuilder } from '../core/profile/model';
import type { Report } from '../core/profile/types';
import { CliError, CliIO, EXIT_OK, EXIT_USAGE } from './common';

import type { CpuProfileInput } from '../core/profile/memory/allocations';
import { formatMemoryText } from '../core/profile/memory/format';
import { HEAP_PROFILE_EXTENSION } from '../core/profile/memory/heapProfile';
import { addMemoryToReport } from '../core/profile/memory/runMemory';
import { PROFILE_FILE_EXTENSION } from '../core/profile/runProtocol';
const USAGE = `usage: hotspots report <profile>... [options]

Builds the hot-lines report from existing CPU profiles (.cpuprofile, or pprof .pb.gz/.pprof/.pb,
gzipped or not); several files are merged. A folder stands for the .cpuprofile files in it (the run
folder \`hotspots profile\` prints as "raw profiles").

options:
  --json <file|->   also write the Report JSON (v1) to <file>; '-' writes only JSON to stdout
  --html <file>     also write a self-contained HTML report (hot lines, source heat, flame graph)
  --top <n>         lines and functions to list in the text report (default 20)
  --memory          add memory from the .heapprofile next to each .cpuprofile (\`profile --memory\` writes them)
  --pprof <file>    also write the profiles as gzipped pprof (.pb.gz, for go tool pprof, Pyroscope, Datadog)
  --path-map <from>=<to>
                    read files under <from> (a path in the profile, e.g. /app) from <to>; repeatable.
                    Without it, pprof paths that do not exist here are mapped to the current directory
                    by their longest existing suffix (the mapping is printed)
  -h, --help        show this help`;

const DEFAULT_TOP = 20;

interface ReportArguments {
  profiles: string[];
  jsonTarget?: string;
  htmlTarget?: string;
  pprofTarget?: string;
  pathMappings: PathMapping[];
  top: number;
  help: boolean;
  memory: boolean;
}

/** Returns the parsed arguments, or the message of a usage error. */
function parseArguments(argv: string[]): ReportArguments | string {
  const parsed: ReportArguments = { profiles: [], top: DEFAULT_TOP, help: false, memory: false, pathMappings: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inlineValue] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => inlineValue ?? argv[++i];
    if (flag === '-h' || flag === '--help') parsed.help = true;
    else if (flag === '--memory') parsed.memory = true;
    else if (flag === '--json') {
      const target = value();
      if (!target) return "option '--json' needs a file name or '-'";
      parsed.jsonTarget = target;
    } else if (flag === '--html') {
      const target = value();
      if (!target) return "option '--html' needs a file name";
      parsed.htmlTarget = target;
    } else if (flag === '--pprof') {
      const target = value();
      if (!target || target === '-') return "option '--pprof' needs a file name";
      parsed.pprofTarget = target;
    } else if (flag === '--path-map') {
      const text = value();
      const mapping = text ? parsePathMapping(text) : undefined;
      if (!mapping) return `option '--path-map' needs <from>=<to> (got '${text ?? ''}')`;
      parsed.pathMappings.push(mapping);
    } else if (flag === '--top') {
      const text = value();
      const top = Number(text);
      if (!text || !Number.isInteger(top) || top < 1) return `option '--top' needs a positive whole number (got '${text ?? ''}')`;
      parsed.top = top;
    } else if (flag === '--') {
      parsed.profiles.push(...argv.slice(i + 1));
      break;
    } else if (flag.startsWith('-') && flag !== '-') return `unknown option '${flag}'`;
    else parsed.profiles.push(arg);
  }
  return parsed;
}

export async function reportCommand(argv: string[], io: CliIO): Promise<number> {
  const parsed = parseArguments(argv);
  if (typeof parsed === 'string') {
    io.stderr.write(`hotspots: report: ${parsed} (see hotspots report --help)\n`);
    return EXIT_USAGE;
  }
  if (parsed.help) {
    io.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (parsed.profiles.length === 0) {
    io.stderr.write('hotspots: report: no profile given (see hotspots report --help)\n');
    return EXIT_USAGE;
  }
  parsed.profiles = parsed.profiles.flatMap(file => profilesIn(file, io.cwd));

  let command: string[] = [];
  let wallMs = 0;
  // command and wallMs come from the profiles themselves, known only after reading them all.
  const builder = new ReportBuilder({ command: [], exitCode: null, signal: null, wallMs: 0 });
  const pathMappingsUsed: PathMapping[] = [];
  const forPprof: { path: string; profile: LoadedCpuProfile }[] = [];
  // One profile in memory at a time: large profiles are added and dropped before the next is read
  // (unless --pprof needs them all; with --memory their call frames are kept, to locate the heap
  // profiles' functions).
  const memoryInputs = parsed.memory ? heapProfilesBeside(parsed.profiles, io.cwd) : undefined;
  const cpuFrames: CpuProfileInput[] = [];
  // A relative <to> of --path-map is the user's folder, from where the command runs.
  const load = { pathMappings: parsed.pathMappings.map(mapping => ({ ...mapping, to: path.resolve(io.cwd, mapping.to) })), workspaceRoots: [io.cwd] };
  for (const file of parsed.profiles) {
    const absolute = path.resolve(io.cwd, file);
    let parts: (LoadedCpuProfile | LoadedCpuProfileTable)[];
    try {
      parts = await loadProfileParts(absolute, {
        ...load,
        asNodes: parsed.pprofTarget !== undefined,
        onPathMappings: mappings => pathMappingsUsed.push(...mappings),
      });
    } catch (error) {
      if (error instanceof ProfileFormatError) throw new CliError(`report: ${file}: ${error.problem}`);
      throw error;
    }
    // One part per profile; a DevTools trace has one per thread that ran script code.
    for (const profile of parts) {
      if ('nodes' in profile) forPprof.push({ path: absolute, profile });
      builder.addProfile(absolute, profile);
      if (memoryInputs) cpuFrames.push({ path: absolute, profile });
      if (command.length === 0 && profile.$hotspots?.kind !== 'child' && profile.$hotspots?.kind !== 'worker') command = profile.$hotspots?.argv ?? [];
      wallMs = Math.max(wallMs, (profile.endTime - profile.startTime) / 1000);
    }
  }
  const built = builder.build();
  const mappingNote = pathMappingsUsed.length > 0 ? [`file paths mapped: ${describePathMappings(pathMappingsUsed)} (set with --path-map <from>=<to>)`] : [];
  const report = { ...built, command, wallMs: Math.round(wallMs * 1000) / 1000, warnings: [...mappingNote, ...built.warnings] };
  if (memoryInputs) await addMemoryToReport(report, { heapProfiles: memoryInputs }, cpuFrames);

  if (parsed.pprofTarget !== undefined) {
    const { writePprofFile } = await import('../core/profile/exporters/pprof');
    const pprofPath = path.resolve(io.cwd, parsed.pprofTarget);
    try {
      writePprofFile(pprofPath, forPprof);
    } catch (error) {
      throw new CliError(`report: cannot write ${parsed.pprofTarget} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    (parsed.jsonTarget === '-' ? io.stderr : io.stdout).write(`pprof profile: ${path.relative(io.cwd, pprofPath) || pprofPath}\n`);
  }

  if (parsed.htmlTarget !== undefined) {
    const { writeHtmlReport } = await import('../core/flame/htmlReport');
    const htmlPath = path.resolve(io.cwd, parsed.htmlTarget);
    try {
      await writeHtmlReport(report, parsed.profiles.map(file => path.resolve(io.cwd, file)), htmlPath, { load });
    } catch (error) {
      throw new CliError(`report: cannot write ${parsed.htmlTarget} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    // With `--json -` stdout carries only JSON, so the note goes to stderr.
    (parsed.jsonTarget === '-' ? io.stderr : io.stdout).write(`HTML report: ${path.relative(io.cwd, htmlPath) || htmlPath}\n`);
  }

  if (parsed.jsonTarget === '-') {
    for (const text of batched(reportJsonChunks(report))) io.stdout.write(text);
    return EXIT_OK;
  }
  if (parsed.jsonTarget !== undefined) writeJsonFile(path.resolve(io.cwd, parsed.jsonTarget), parsed.jsonTarget, report);
  io.stdout.write(formatReportText(report, { top: parsed.top, cwd: io.cwd }));
  if (report.memory) io.stdout.write(`\n${formatMemoryText(report, { top: parsed.top, cwd: io.cwd })}`);
  return EXIT_OK;
}

/** A folder's .cpuprofile files (a run folder: one per profiled thread), in name order; any other path as given. */
function profilesIn(file: string, cwd: string): string[] {
  let entries: string[];
  try {
    if (!fs.statSync(path.resolve(cwd, file)).isDirectory()) return [file];
    entries = fs.readdirSync(path.resolve(cwd, file));
  } catch {
    return [file]; // Missing or unreadable: reading it says why.
  }
  const profiles = entries.filter(name => name.endsWith(PROFILE_FILE_EXTENSION)).sort().map(name => path.join(file, name));
  if (profiles.length === 0) throw new CliError(`report: ${file} is a folder without ${PROFILE_FILE_EXTENSION} files`);
  return profiles;
}

/** The heap profile written beside each CPU profile; a clear error when one has none. */
function heapProfilesBeside(profiles: string[], cwd: string): string[] {
  return profiles.map(file => {
    const heapFile = path.resolve(cwd, file).replace(/\.cpuprofile$/, '') + HEAP_PROFILE_EXTENSION;
    if (!fs.existsSync(heapFile)) throw new CliError(`report: ${file} has no heap data (no ${path.basename(heapFile)} beside it; record one with hotspots profile --memory)`);
    return heapFile;
  });
}

/** Joins small text pieces into writes of about a megabyte. */
function* batched(pieces: Iterable<string>): Generator<string> {
  let pending: string[] = [];
  let pendingLength = 0;
  for (const piece of pieces) {
    pending.push(piece);
    pendingLength += piece.length;
    if (pendingLength >= 1 << 20) {
      yield pending.join('');
      pending = [];
      pendingLength = 0;
    }
  }
  if (pending.length > 0) yield pending.join('');
}

function writeJsonFile(target: string, shownName: string, report: Report): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(target, 'w');
    for (const text of batched(reportJsonChunks(report))) fs.writeSync(fd, text);
  } catch (error) {
    throw new CliError(`report: cannot write ${shownName} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
