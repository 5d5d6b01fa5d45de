// The Report of a finished profiled run (launch.ts starts the run and collects its files).
import { attachSourceContext, readSourceFromDisk } from './sourceContext';
import { addMemoryToReport } from './memory/runMemory';
import { LoadedProfiles, loadProfiles, loadProfilesSync } from './importers';
import { buildReport } from './model';
import { warnDependencyMapsOnce } from './dependencyMapWarnings';
import { ProfileRunOptions, ProfileRunResult, startProfileRun } from './launch';
import type { Report } from './types';

/**
 * Runs the program (`script` or `command`) to the end and builds its report from every profile the run
 * wrote, with line texts and the workload (see buildRunReport).
 */
export async function profileScript(options: ProfileRunOptions): Promise<{ report: Report; result: ProfileRunResult }> {
  const result = await startProfileRun(options).done;
  return { report: await buildRunReport(result), result };
}

/**
 * The Report of a finished run (for callers that keep the ProfileRun to stop or cancel it). Unreadable
 * profiles (a process killed mid-write) become warnings, never errors. Lines carry their source text and
 * the report its workload, so a later run can be compared with it after edits (src/core/compare).
 * With `dependencyMapState` (a file in the folder of a workspace's runs), dependencies' unusable source
 * maps are warned about once per dependency version (dependencyMapWarnings.ts).
 */
export async function buildRunReport(result: ProfileRunResult, options: RunReportOptions = {}): Promise<Report> {
  const loaded = await loadProfiles(result.profiles, { skipUnreadable: true });
  const report = cpuReport(result, loaded, options);
  if (result.memory) await addMemoryToReport(report, result, loaded.profiles);
  return withSourceContext(report, result);
}

/**
 * buildRunReport without waiting for anything, for a report built while the process exits (`hotspots
 * profile` running the program in its own process). Runs with heap profiles are not read here.
 */
export function buildRunReportSync(result: ProfileRunResult, options: RunReportOptions = {}): Report {
  if (result.memory) throw new Error('buildRunReportSync: a run with heap profiles needs buildRunReport');
  return withSourceContext(cpuReport(result, loadProfilesSync(result.profiles, { skipUnreadable: true }), options), result);
}

export interface RunReportOptions {
  dependencyMapState?: string;
}

function cpuReport(result: ProfileRunResult, loaded: LoadedProfiles, options: RunReportOptions): Report {
  return buildReport(loaded.profiles, {
    command: result.command,
    exitCode: result.exitCode,
    signal: result.signal,
    wallMs: result.wallMs,
    warnings: [...result.warnings, ...loaded.warnings],
    ...(options.dependencyMapState ? { dependencyMapWarning: warnDependencyMapsOnce(options.dependencyMapState) } : {}),
  });
}

function withSourceContext(report: Report, result: ProfileRunResult): Report {
  return attachSourceContext(report, readSourceFromDisk, { command: result.command, cwd: result.cwd, script: result.script, args: result.args });
}
