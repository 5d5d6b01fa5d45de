// "Hotspots: Export HTML report": writes the self-contained report of the latest profile.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { profileLoadOptions } from '../profileLoadOptions';
import type { LatestProfile } from '../api';

/** Returns the written file, or undefined when there was nothing to export or the user cancelled. */
export async function exportHtmlReport(profile: LatestProfile | undefined, target: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
  if (!profile) {
    void vscode.window.showInformationMessage('Hotspots: profile a program first (or open a .cpuprofile), then export its report.');
    return undefined;
  }
  const baseName = profile.script ? path.parse(profile.script).name : 'profile';
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const uri =
    target ??
    (await vscode.window.showSaveDialog({
      title: 'Export Hotspots HTML report',
      defaultUri: folder ? vscode.Uri.joinPath(folder, `hotspots-${baseName}.html`) : undefined,
      filters: { 'HTML report': ['html'] },
    }));
  if (!uri) return undefined;
  const { writeHtmlReport } = await import('../../core/flame/htmlReport');
  try {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Hotspots: writing HTML report…' }, () =>
      writeHtmlReport(profile.report, profile.profilePaths, uri.fsPath, { title: `Hotspots: ${baseName}`, load: profileLoadOptions() }),
    );
  } catch (error) {
    void vscode.window.showErrorMessage(`Hotspots: could not write the HTML report: ${(error as Error).message}`);
    return undefined;
  }
  if (!target) {
    void vscode.window.showInformationMessage(`Hotspots: wrote ${path.basename(uri.fsPath)}.`, 'Open in Browser').then(choice => {
      if (choice) void vscode.env.openExternal(uri);
    });
  }
  return uri;
}
