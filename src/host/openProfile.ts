// "Open CPU profile…": shows the heat of existing profiles (.cpuprofile from `node --cpu-prof`, Chrome
// DevTools or a Hotspots run; DevTools Performance traces; pprof) on the workspace sources. Only reads files, so it works in Restricted Mode.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PathMapping } from '../core/profile/importers';
import type { Report } from '../core/profile/types';
import { formatDuration, formatPercent } from './heatModel';
import type { HeatPresenter } from './heatPresenter';
import type { Notifier } from './notifier';
import { profileLoadOptions } from './profileLoadOptions';

export async function openCpuProfiles(target: vscode.Uri | vscode.Uri[] | undefined, presenter: HeatPresenter, notifier: Notifier): Promise<Report | undefined> {
  let files = (Array.isArray(target) ? target : target ? [target] : []).filter(uri => uri.scheme === 'file');
  if (!files.length) {
    files = await vscode.window.showOpenDialog({
      title: 'Open CPU profile(s)',
      canSelectMany: true,
      filters: { 'CPU profiles (.cpuprofile, DevTools trace .json, pprof)': ['cpuprofile', 'json', 'gz', 'pprof', 'pb'], 'All files': ['*'] },
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    }) ?? [];
    if (!files.length) return undefined;
  }
  const [{ loadProfiles }, { buildReport }, { describePathMappings }] = await Promise.all([
    import('../core/profile/importers'), import('../core/profile/model'), import('../core/profile/importers/pathMapping'),
  ]);
  const pathMappings: PathMapping[] = [];
  const loaded = await loadProfiles(files.map(file => file.fsPath), { ...profileLoadOptions(), skipUnreadable: true, onPathMappings: used => pathMappings.push(...used) });
  const inputs = loaded.profiles;
  const problems = loaded.unreadable.map(({ path: file, message }) => `${path.basename(file)}: ${message}`);
  // Shown (and settable with hotspots.pathMappings) so a wrong guess can be corrected.
  const mappingNote = pathMappings.length ? ` Paths mapped: ${describePathMappings(pathMappings)} (setting hotspots.pathMappings).` : '';
  if (!inputs.length) {
    notifier.show('error', `Hotspots: could not read ${problems.join('; ')}`);
    return undefined;
  }
  const report = buildReport(inputs, { command: [], exitCode: null, signal: null, wallMs: 0, includeDependencies: true, warnings: problems });
  const workspaceRoots = (vscode.workspace.workspaceFolders ?? []).map(folder => folder.uri.fsPath);
  const mapped = mapToWorkspace(report, workspaceRoots);
  const model = presenter.show(mapped, { kind: 'profiles', profiles: inputs.map(input => input.path) });
  const hottest = model.lines[0];
  const what = files.length === 1 ? path.basename(files[0].fsPath) : `${files.length} profiles`;
  if (hottest) {
    notifier.show(problems.length ? 'warning' : 'info',
      `Hotspots: ${what}: hottest line ${path.basename(hottest.file)}:${hottest.line} in ${hottest.functionName}, `
      + `${formatPercent(hottest.selfPercent)} (${formatDuration(hottest.selfMs)}).${mappingNote}${problems.length ? ` Skipped: ${problems.join('; ')}` : ''}`,
      { 'Go to Hottest Line': () => vscode.window.showTextDocument(vscode.Uri.file(hottest.file), { selection: new vscode.Range(hottest.line - 1, 0, hottest.line - 1, 0) }) });
  } else {
    notifier.show('warning', `Hotspots: ${what} has no samples in user code above the heat threshold.${mappingNote}`);
  }
  return mapped;
}

/**
 * Profiles recorded elsewhere (another machine, a container, CI) name files by paths that do not exist
 * here. Each missing file is mapped to the workspace file with the longest matching path suffix
 * (e.g. /app/src/server.js → <workspace>/src/server.js), so the heat lands on the local sources.
 */
export function mapToWorkspace(report: Report, workspaceRoots: string[]): Report {
  const cache = new Map<string, string>();
  const mapFile = (file: string): string => {
    let mapped = cache.get(file);
    if (mapped === undefined) {
      mapped = findLocalFile(file, workspaceRoots) ?? file;
      cache.set(file, mapped);
    }
    return mapped;
  };
  const mapCallers = <T extends { callers?: { file: string }[] }>(item: T): T =>
    item.callers ? { ...item, callers: item.callers.map(caller => ({ ...caller, file: mapFile(caller.file) })) } : item;
  return {
    ...report,
    lines: report.lines.map(line => mapCallers({ ...line, file: mapFile(line.file) })),
    functions: report.functions.map(fn => mapCallers({ ...fn, file: mapFile(fn.file) })),
  };
}

function findLocalFile(file: string, workspaceRoots: string[]): string | undefined {
  if (!path.isAbsolute(file) || fs.existsSync(file)) return undefined;
  const parts = file.split(/[\\/]+/).filter(Boolean);
  for (let start = 0; start < parts.length; start++) {
    for (const root of workspaceRoots) {
      const candidate = path.join(root, ...parts.slice(start));
      if (fs.existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}
