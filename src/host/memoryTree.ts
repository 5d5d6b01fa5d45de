// The "Memory" group of the Hotspots view: functions by bytes allocated (runs with memory).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatBytes } from '../core/profile/memory/allocations';
import type { Report, ReportAllocation } from '../core/profile/types';

export type MemoryNode = { kind: 'memoryGroup'; stillHeld: boolean } | { kind: 'allocation'; entry: ReportAllocation };

export function memoryGroup(report: Report): MemoryNode[] {
  return report.memory ? [{ kind: 'memoryGroup', stillHeld: report.memory.mode === 'retained' }] : [];
}

export function memoryChildren(report: Report, max: number): MemoryNode[] {
  return (report.allocations ?? []).slice(0, max).map(entry => ({ kind: 'allocation', entry }));
}

export function memoryTreeItem(node: MemoryNode, openAt: (file: string, line: number) => vscode.Command): vscode.TreeItem {
  if (node.kind === 'memoryGroup') {
    const label = node.stillHeld ? 'Memory (bytes still held per function)' : 'Memory (bytes allocated per function)';
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Expanded);
    item.id = 'group:memory';
    return item;
  }
  const { entry } = node;
  const item = new vscode.TreeItem(entry.function || '(anonymous)');
  item.id = `allocation:${entry.file}:${entry.line}:${entry.function}`;
  item.description = `${formatBytes(entry.allocatedBytes)} · ${entry.allocatedPercent}%  ${path.basename(entry.file)}:${entry.line}`;
  item.tooltip = entry.retainedBytes !== undefined
    ? `${entry.file}:${entry.line}\n${formatBytes(entry.retainedBytes)} still held at the end (${entry.allocatedPercent}% of what is held), whole function`
    : `${entry.file}:${entry.line}\n${formatBytes(entry.allocatedBytes)} allocated over the run (${entry.allocatedPercent}%), whole function`;
  item.iconPath = new vscode.ThemeIcon('database');
  item.command = openAt(entry.file, entry.line);
  item.contextValue = 'hotspots.allocation';
  return item;
}
