// How the editor loads profiles: the workspace folders to map foreign paths into (pprof from production)
// and the user's explicit mappings (`hotspots.pathMappings`), the same for the heat and the flame graph.
import * as vscode from 'vscode';
import type { LoadOptions, PathMapping } from '../core/profile/importers';

export function profileLoadOptions(): Pick<LoadOptions, 'pathMappings' | 'workspaceRoots'> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const workspaceRoots = folders.map(folder => folder.uri.fsPath);
  const configured = vscode.workspace.getConfiguration('hotspots').get<Record<string, unknown>>('pathMappings') ?? {};
  const first = workspaceRoots[0] ?? '';
  const pathMappings: PathMapping[] = Object.entries(configured)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[0].length > 0 && entry[1].length > 0)
    .map(([from, to]) => ({ from, to: to.replace(/\$\{workspaceFolder\}/g, first) }));
  return { pathMappings, workspaceRoots };
}
