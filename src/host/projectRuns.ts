// "Profile npm script…" and "Profile this test file": turn the project's package.json scripts and the
// test runner it uses (src/core/run/projectCommands.ts) into a RunSpec for the profiling controller.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { joinCommandLine } from './commandLine';
import type { ProfilingController, RunSpec } from './profiling';
import { readRunSettings } from './settings';

/** Arguments tests and keybindings may pass instead of answering the quick pick. */
export interface NpmScriptRequest {
  /** Script name. */
  script?: string;
  /** Directory of the package.json (default: asked, or the only one). */
  folder?: string;
}

/** The npm script to profile, asked with a quick pick over the scripts of the workspace's package.json files. */
export async function resolveNpmScript(controller: ProfilingController, request: NpmScriptRequest = {}): Promise<RunSpec | undefined> {
  const { listNpmScripts, findProjectDir, ProjectCommandError } = await import('../core/run/projectCommands');
  const dirs = request.folder ? [path.resolve(request.folder)] : candidateProjectDirs(findProjectDir);
  if (dirs.length === 0) {
    controller.rejectRequest('Hotspots: no package.json in this workspace, so there are no npm scripts to profile.');
    return undefined;
  }
  const items: (vscode.QuickPickItem & { dir: string; name: string; command: string })[] = [];
  for (const dir of dirs) {
    try {
      for (const script of listNpmScripts(dir)) {
        items.push({ label: script.name, description: script.command, detail: dirs.length > 1 ? displayDir(dir) : undefined, dir, name: script.name, command: script.command });
      }
    } catch (error) {
      if (!(error instanceof ProjectCommandError)) throw error;
      controller.rejectRequest(`Hotspots: ${error.message}`);
      return undefined;
    }
  }
  let picked = request.script !== undefined ? items.find(item => item.name === request.script) : undefined;
  if (request.script !== undefined && !picked) {
    controller.rejectRequest(`Hotspots: no npm script "${request.script}" in ${dirs.map(displayDir).join(', ')}.`);
    return undefined;
  }
  if (!picked) {
    if (items.length === 0) {
      controller.rejectRequest(`Hotspots: ${dirs.map(dir => path.join(displayDir(dir), 'package.json')).join(', ')} has no "scripts" to profile.`);
      return undefined;
    }
    picked = await vscode.window.showQuickPick(items, {
      title: 'Hotspots: Profile npm script',
      placeHolder: 'Script to run; every Node process it starts is profiled',
      matchOnDescription: true,
    });
    if (!picked) return undefined;
  }
  const manifest = path.join(picked.dir, 'package.json');
  const settings = readRunSettings(vscode.Uri.file(manifest));
  return {
    kind: 'npmScript',
    name: `npm run ${picked.name}`,
    file: manifest,
    workloadKey: `npm:${picked.dir}:${picked.name}`,
    // The launcher puts the directory of hotspots.nodePath first on the PATH: npm and the script's
    // `node` are that installation's.
    settings: { ...settings, cwd: picked.dir },
    commandLine: `npm run ${picked.name}   (${picked.command})`,
    target: { command: { file: 'npm', args: ['run', picked.name] } },
  };
}

/** "Profile this test file": the runner is detected from the file and its project. */
export async function resolveTestFile(controller: ProfilingController, target: vscode.Uri | undefined): Promise<RunSpec | undefined> {
  const uri = target ?? vscode.window.activeTextEditor?.document.uri;
  if (!uri || uri.scheme !== 'file') {
    controller.rejectRequest('Hotspots: open a test file (node:test, Mocha, Jest or Vitest) to profile it.');
    return undefined;
  }
  const document = vscode.workspace.textDocuments.find(doc => doc.uri.toString() === uri.toString());
  if (document?.isDirty && !(await document.save())) {
    controller.rejectRequest(`Hotspots: could not save ${path.basename(uri.fsPath)}; profile it again after saving.`);
    return undefined;
  }
  const { detectTestRunner, testFileCommand, findProjectDir, ProjectCommandError } = await import('../core/run/projectCommands');
  const file = uri.fsPath;
  const projectDir = findProjectDir(file) ?? vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? path.dirname(file);
  const runner = detectTestRunner(file, projectDir);
  if (!runner) {
    controller.rejectRequest(`Hotspots: cannot tell which test runner ${path.basename(file)} uses (it imports none of node:test, vitest, @jest/globals, and ${displayDir(projectDir)} configures no Mocha, Jest or Vitest). Use "Profile this file" or "Profile npm script…" instead.`);
    return undefined;
  }
  const settings = readRunSettings(uri);
  let command;
  try {
    // `node`: the launcher puts the directory of hotspots.nodePath first on the command's PATH.
    command = testFileCommand(runner, file, projectDir);
  } catch (error) {
    if (!(error instanceof ProjectCommandError)) throw error;
    controller.rejectRequest(`Hotspots: ${error.message}`);
    return undefined;
  }
  return {
    kind: 'testFile',
    name: path.basename(file),
    file,
    workloadKey: `test:${file}`,
    settings: { ...settings, cwd: command.cwd },
    commandLine: `${joinCommandLine(['node', ...command.args])}   (${runner})`,
    target: { command: { file: command.command, args: command.args } },
    note: command.note,
  };
}

/** package.json directories: the active file's project, then each workspace folder's root. */
function candidateProjectDirs(findProjectDir: (file: string) => string | null): string[] {
  const dirs: string[] = [];
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file') {
    const dir = findProjectDir(active.fsPath);
    if (dir && vscode.workspace.getWorkspaceFolder(vscode.Uri.file(dir))) dirs.push(dir);
  }
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme === 'file' && fs.existsSync(path.join(folder.uri.fsPath, 'package.json'))) dirs.push(folder.uri.fsPath);
  }
  return [...new Set(dirs)];
}

function displayDir(dir: string): string {
  return vscode.workspace.asRelativePath(dir, true) || dir;
}
