// Loads either side of a comparison: a Report JSON (any version-1 report, with or without recorded line
// texts) or a raw .cpuprofile (DevTools, `node --cpu-prof`, the Hotspots preload), turned into a report.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadProfilesSync, profileFormatOf, ProfileFormatError } from '../profile/importers';
import { buildReport } from '../profile/model';
import type { Report } from '../profile/types';
import type { ReportWithContext } from './sourceContext';

/** The file is neither a Report JSON v1 nor a CPU profile. The message names the file. */
export class ComparisonInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ComparisonInputError';
  }
}

/**
 * `workspaceRoots`: where the files of a profile recorded elsewhere are looked for (a production pprof's
 * deploy paths, a page's script URLs), as `hotspots report` and "Open CPU profile…" do.
 */
export function loadReportOrProfile(file: string, workspaceRoots: readonly string[] = []): ReportWithContext {
  // Profiles of any format go through their importer (streamed, never one big string).
  if (fs.existsSync(file) && !fs.statSync(file).isDirectory() && profileFormatOf(file)) return reportFromProfile(file, workspaceRoots);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ComparisonInputError(`${file}: cannot be read (${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code ?? (error as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ComparisonInputError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  return validateReport(file, parsed);
}

/** A profile has no line texts: they are read from disk when comparing (with a warning). */
function reportFromProfile(file: string, workspaceRoots: readonly string[]): ReportWithContext {
  try {
    // Every profile the file holds (a DevTools trace: each thread that ran script code).
    const { profiles } = loadProfilesSync([path.resolve(file)], { workspaceRoots });
    return buildReport(profiles, {
      command: [],
      exitCode: null,
      signal: null,
      wallMs: Math.max(0, ...profiles.map(({ profile }) => (profile.endTime - profile.startTime) / 1000)),
    });
  } catch (error) {
    if (error instanceof ProfileFormatError) throw new ComparisonInputError(error.message);
    throw error;
  }
}

function validateReport(file: string, value: unknown): ReportWithContext {
  const fail = (what: string): never => { throw new ComparisonInputError(`${file}: not a Hotspots report (${what})`); };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('expected a JSON object');
  const report = value as Partial<Report>;
  if (report.version !== 1) return fail(`version ${JSON.stringify(report.version)}, expected 1`);
  if (typeof report.totalSampledMs !== 'number') return fail('no totalSampledMs');
  if (!Array.isArray(report.lines)) return fail('no lines');
  if (!Array.isArray(report.functions)) return fail('no functions');
  for (const line of report.lines) {
    if (typeof line?.file !== 'string' || !Number.isInteger(line.line) || typeof line.selfMs !== 'number') {
      return fail(`malformed line entry ${JSON.stringify(line).slice(0, 80)}`);
    }
  }
  for (const fn of report.functions) {
    if (typeof fn?.name !== 'string' || typeof fn.file !== 'string' || typeof fn.selfMs !== 'number') {
      return fail(`malformed function entry ${JSON.stringify(fn).slice(0, 80)}`);
    }
  }
  return {
    ...report,
    command: Array.isArray(report.command) ? report.command : [],
    categories: { userMs: 0, nodeInternalsMs: 0, gcMs: 0, idleMs: 0, programMs: 0, ...report.categories },
    warnings: Array.isArray(report.warnings) ? report.warnings : [],
  } as ReportWithContext;
}
