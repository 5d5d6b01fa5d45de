// Shared helpers of the integration suites (run inside the VS Code extension host).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HotspotsApi } from '../../../src/host/api';

export const EXTENSION_ID = 'hotspots.hotspots';

export async function hotspotsApi(): Promise<HotspotsApi> {
  const extension = vscode.extensions.getExtension<HotspotsApi>(EXTENSION_ID);
  if (!extension) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  return extension.isActive ? extension.exports : extension.activate();
}

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder open');
  return folder.uri.fsPath;
}

export function workspaceUri(relative: string): vscode.Uri {
  return vscode.Uri.file(path.join(workspaceRoot(), relative));
}

export async function openEditor(relative: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(workspaceUri(relative));
  return vscode.window.showTextDocument(document, { preview: false });
}

/** 1-based number of the line containing `// <marker>`. */
export function markerLine(relative: string, marker: string): number {
  const lines = fs.readFileSync(workspaceUri(relative).fsPath, 'utf8').split('\n');
  const index = lines.findIndex(line => line.includes(`// ${marker}`));
  if (index < 0) throw new Error(`marker ${marker} not found in ${relative}`);
  return index + 1;
}

export function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/**
 * Asks the runner (test/integration/runTests.js) for a screenshot of the live window; the path is
 * relative to the repository. Best effort: does nothing visible under @vscode/test-electron.
 */
export async function screenshot(relativeToRepo: string): Promise<void> {
  await sleep(700); // let the workbench paint decorations and hovers
  console.log(`[vscode-host:screenshot] ${relativeToRepo}`);
  await sleep(1200);
}

/**
 * Asks the runner for a real mouse click on the first element matching `selector` in any frame of the
 * window (webview contents included). Fire and forget: wait for its effect.
 */
export function clickInWindow(selector: string): void {
  console.log(`[vscode-host:click] ${selector}`);
}

/** Whether a process with this pid still exists (signal 0 only checks). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A killed process whose parent died too stays a zombie until PID 1 reaps it (containers often
  // never do): it runs nothing any more, so it counts as gone.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Direct and indirect children of `pid`, from /proc (Linux). */
export function descendantsOf(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
    } catch { /* exited meanwhile */ }
  }
  const result: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const [child, ppid] of parents) if (ppid === parent) { result.push(child); queue.push(child); }
  }
  return result;
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
