// Items of the Hotspots view's "Waiting" group: one per await line, biggest blocked time first.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatDuration, formatPercent } from './heatModel';
import type { WaitLine } from './waitHeat';

export function waitTreeItem(line: WaitLine, currentLine: number | undefined, stale: boolean, open: vscode.Command): vscode.TreeItem {
  const { wait } = line;
  const item = new vscode.TreeItem(`${path.basename(line.file)}:${currentLine ?? line.line}`);
  item.id = `wait:${line.file}:${line.line}`;
  item.description = `⏳ ${formatPercent(wait.blockedPercent)} · ${formatDuration(wait.blockedMs)}  ${wait.count}×  ${wait.function}${stale ? currentLine === undefined ? '  (deleted)' : '  (edited)' : ''}`;
  item.tooltip = `${line.file}:${line.line}\n${formatDuration(wait.blockedMs)} waiting (${formatPercent(wait.blockedPercent)} of the wall time) over ${wait.count} awaits in ${wait.function}`;
  item.iconPath = new vscode.ThemeIcon('watch', new vscode.ThemeColor(stale ? 'hotspots.staleForeground' : 'hotspots.wait'));
  item.command = open;
  item.contextValue = 'hotspots.wait';
  return item;
}
