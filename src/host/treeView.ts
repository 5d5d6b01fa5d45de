// The "Hotspots" view: top lines and top functions across all files, with their share.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ComparedFunction, ComparedLine } from '../core/compare/compare';
import type { ReportFunction, ReportUserLine } from '../core/profile/types';
import { userLineDescription, userLinesWorthShowing } from '../core/profile/userLinesView';
import type { ShownComparison } from './comparison';
import { formatDuration, formatPercent, formatShareAndTime, HeatLine, HeatModel } from './heatModel';
import type { WaitLine, WaitModel } from './waitHeat';
import { waitTreeItem } from './waitTree';
import { memoryChildren, memoryGroup, MemoryNode, memoryTreeItem } from './memoryTree';

const MAX_ITEMS = 25;

type Node =
  | { kind: 'group'; group: 'lines' | 'functions' | 'waiting' | 'userLines' }
  | { kind: 'line'; line: HeatLine }
  | { kind: 'wait'; line: WaitLine }
  | { kind: 'userLine'; line: ReportUserLine }
  | { kind: 'function'; fn: ReportFunction }
  | { kind: 'message'; text: string }
  | { kind: 'comparison' }
  | { kind: 'comparisonGroup'; group: 'lines' | 'functions' | 'new' }
  | { kind: 'comparedLine'; line: ComparedLine; group: string }
  | { kind: 'comparedFunction'; fn: ComparedFunction }
  | MemoryNode;

const MAX_COMPARED_ITEMS = 10;

/** Where a profiled line is now, after the user's edits (undefined: deleted), and whether its file changed. */
export interface LineLocator {
  currentLine(file: string, profiledLine: number): number | undefined;
  isStale(file: string): boolean;
}
const UNEDITED: LineLocator = { currentLine: (_file, line) => line, isStale: () => false };

export class HotspotsTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private model: HeatModel | undefined;
  private locator: LineLocator = UNEDITED;
  private comparison: ShownComparison | undefined;
  private waits: WaitModel | undefined;

  /** Await lines of the shown report (the "Waiting" group). */
  setWaits(waits: WaitModel | undefined): void {
    this.waits = waits;
  }

  /** The "Comparison" section shown above the heat (undefined: none). */
  setComparison(comparison: ShownComparison | undefined): void {
    this.comparison = comparison;
    this.changed.fire(undefined);
  }

  setModel(model: HeatModel | undefined, locator: LineLocator = UNEDITED): void {
    this.model = model;
    this.locator = locator;
    this.changed.fire(undefined);
  }

  /** Lines moved or files became stale: labels and click targets change. */
  refresh(): void {
    this.changed.fire(undefined);
  }

  getChildren(node?: Node): Node[] {
    const model = this.model;
    if (node?.kind === 'comparisonGroup') return this.comparisonChildren(node);
    // The comparison's groups sit at the top level next to the heat's: nested expanded groups got their
    // children mixed up with their neighbours' in the workbench (code-server 4.139 / VS Code 1.10x).
    const comparison: Node[] = this.comparison ? [{ kind: 'comparison' }, ...this.comparisonGroups()] : [];
    if (!model) return comparison; // the view's welcome content explains what to do
    if (!node) {
      const waiting: Node[] = this.waits?.lines.length ? [{ kind: 'group', group: 'waiting' }] : [];
      if (!model.lines.length && !model.functions.length) {
        return [...comparison, ...waiting, { kind: 'message', text: 'No samples in your code above the heat threshold.' }];
      }
      // "Your code" first when dependencies hold time: it says which of the user's calls to change.
      const yourCode: Node[] = userLinesWorthShowing(model.report.userLines) ? [{ kind: 'group', group: 'userLines' }] : [];
      return [...comparison, ...yourCode, { kind: 'group', group: 'lines' }, ...waiting, { kind: 'group', group: 'functions' }, ...memoryGroup(model.report)];
    }
    if (node.kind === 'memoryGroup') return memoryChildren(model.report, MAX_ITEMS);
    if (node.kind !== 'group') return [];
    if (node.group === 'waiting') return (this.waits?.lines ?? []).slice(0, MAX_ITEMS).map(line => ({ kind: 'wait', line }));
    if (node.group === 'userLines') return (model.report.userLines ?? []).slice(0, MAX_ITEMS).map(line => ({ kind: 'userLine', line }));
    return node.group === 'lines'
      ? model.lines.slice(0, MAX_ITEMS).map(line => ({ kind: 'line', line }))
      : model.functions.slice(0, MAX_ITEMS).map(fn => ({ kind: 'function', fn }));
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'group': {
        const label = { lines: 'Top lines (self time)', functions: 'Top functions (total time)', waiting: 'Waiting (blocked time per await line)',
          userLines: 'Your code (with the dependencies it called)' }[node.group];
        const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `group:${node.group}`;
        return item;
      }
      case 'line': {
        const { line } = node;
        const stale = this.locator.isStale(line.file);
        const now = this.locator.currentLine(line.file, line.line);
        const item = new vscode.TreeItem(`${path.basename(line.file)}:${now ?? line.line}`);
        item.id = `line:${line.file}:${line.line}`;
        item.description = `${formatShareAndTime(line.selfPercent, line.selfMs)}  ${line.functionName}${stale ? now === undefined ? '  (deleted)' : '  (edited)' : ''}`;
        item.tooltip = `${line.file}:${line.line}${stale ? ` when profiled; the file was edited since${now !== undefined && now !== line.line ? ` and the line is now ${now}` : ''}` : ''}\n`
          + `${formatPercent(line.selfPercent)} of the sampled time (${formatDuration(line.selfMs)}, ${line.hits} samples) in ${line.functionName}`;
        item.iconPath = new vscode.ThemeIcon('flame', new vscode.ThemeColor(stale ? 'hotspots.staleForeground' : `hotspots.heat${line.step}`));
        item.command = openAt(line.file, now ?? line.line);
        item.contextValue = 'hotspots.line';
        return item;
      }
      case 'function': {
        const { fn } = node;
        const item = new vscode.TreeItem(fn.name || '(anonymous)');
        item.id = `function:${fn.file}:${fn.line}:${fn.name}`;
        item.description = `${formatShareAndTime(fn.totalPercent, fn.totalMs)} total  ${path.basename(fn.file)}:${fn.line}`;
        item.tooltip = `${fn.file}:${fn.line}\ntotal ${formatDuration(fn.totalMs)} (${formatPercent(fn.totalPercent)}), self ${formatDuration(fn.selfMs)} (${formatPercent(fn.selfPercent)})`;
        item.iconPath = new vscode.ThemeIcon('symbol-function');
        item.command = openAt(fn.file, this.locator.currentLine(fn.file, fn.line) ?? fn.line);
        item.contextValue = 'hotspots.function';
        return item;
      }
      case 'wait': {
        const now = this.locator.currentLine(node.line.file, node.line.line);
        return waitTreeItem(node.line, now, this.locator.isStale(node.line.file), openAt(node.line.file, now ?? node.line.line));
      }
      case 'userLine': {
        const { line } = node;
        const now = this.locator.currentLine(line.file, line.line);
        const item = new vscode.TreeItem(`${path.basename(line.file)}:${now ?? line.line}`);
        item.id = `userLine:${line.file}:${line.line}`;
        item.description = `${formatShareAndTime(line.totalPercent, line.totalMs)}  ${userLineDescription(line)}`;
        item.tooltip = `${line.file}:${line.line} in ${line.function}\n${formatPercent(line.totalPercent)} of the sampled time (${formatDuration(line.totalMs)}, ${line.hits} samples): ` +
          `${formatDuration(line.selfMs)} on the line itself${line.via.map(via => `, ${formatDuration(via.ms)} in ${via.name}`).join('')}` +
          `${line.callLineUnknown ? '\nThe calling line is not known: the function\'s first line is shown.' : ''}`;
        item.iconPath = new vscode.ThemeIcon('account');
        item.command = openAt(line.file, now ?? line.line);
        item.contextValue = 'hotspots.userLine';
        return item;
      }
      case 'message':
        return new vscode.TreeItem(node.text);
      case 'memoryGroup':
      case 'allocation':
        return memoryTreeItem(node, (file, line) => openAt(file, this.locator.currentLine(file, line) ?? line));
      case 'comparison': {
        const { comparison, before, after, overall } = this.comparison!;
        // "2.40× faster" in the label, "(−58.3%) 1.20 s → 500 ms" in the description: the sidebar is narrow.
        const split = overall.indexOf(' (');
        const item = new vscode.TreeItem(`Comparison: ${split > 0 ? overall.slice(0, split) : overall}`, vscode.TreeItemCollapsibleState.None);
        item.id = `comparison:${before.id}:${after.id}`;
        item.description = `${split > 0 ? `${overall.slice(split + 1)} ` : ''}${formatDuration(comparison.before.totalMs)} → ${formatDuration(comparison.after.totalMs)}`;
        item.tooltip = `${after.name}: the run of ${new Date(after.time).toLocaleString()} compared with the run of ${new Date(before.time).toLocaleString()}`
          + ` (non-idle sampled time)${comparison.warnings.map(warning => `\n${warning}`).join('')}`;
        item.iconPath = new vscode.ThemeIcon('diff', new vscode.ThemeColor(comparison.speedup !== null && comparison.speedup < 1 ? 'hotspots.slowerForeground' : 'hotspots.fasterForeground'));
        item.contextValue = 'hotspots.comparison';
        return item;
      }
      case 'comparisonGroup': {
        const label = node.group === 'lines' ? 'Lines changed most' : node.group === 'functions' ? 'Functions changed most' : 'New hotspots';
        const item = new vscode.TreeItem(label, node.group === 'functions' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded);
        item.id = `comparison-group:${node.group}`;
        return item;
      }
      case 'comparedLine': {
        const { line } = node;
        const place = line.afterLine ?? line.beforeLine;
        const item = new vscode.TreeItem(`${path.basename(line.file)}:${place}${line.afterLine === null ? ' (gone)' : line.beforeLine === null ? ' (new)' : ''}`);
        item.description = `${arrow(line.deltaMs)} ${formatDuration(Math.abs(line.deltaMs))}  ${formatDuration(line.beforeMs)} → ${formatDuration(line.afterMs)}  ${line.text.trim()}`;
        item.tooltip = `${line.file}:${place}\n${line.text.trim()}\nbefore ${formatDuration(line.beforeMs)} (${formatPercent(line.beforePercent)})`
          + `${line.beforeLine !== null && line.beforeLine !== line.afterLine ? ` at line ${line.beforeLine}` : ''}, after ${formatDuration(line.afterMs)} (${formatPercent(line.afterPercent)})`;
        item.iconPath = changeIcon(line.deltaMs);
        if (line.afterLine !== null) item.command = openAt(line.file, line.afterLine);
        return item;
      }
      case 'comparedFunction': {
        const { fn } = node;
        const item = new vscode.TreeItem(fn.name || '(anonymous)');
        item.description = `${arrow(fn.deltaMs)} ${formatDuration(Math.abs(fn.deltaMs))} self  ${formatDuration(fn.beforeMs)} → ${formatDuration(fn.afterMs)}  ${path.basename(fn.file)}`;
        item.tooltip = `${fn.file}\nself ${formatDuration(fn.beforeMs)} → ${formatDuration(fn.afterMs)}, total ${formatDuration(fn.beforeTotalMs)} → ${formatDuration(fn.afterTotalMs)}`;
        item.iconPath = changeIcon(fn.deltaMs);
        return item;
      }
    }
  }

  private comparisonGroups(): Node[] {
    const comparison = this.comparison?.comparison;
    if (!comparison) return [];
    const groups: Node[] = [];
    if (comparison.lines.length) groups.push({ kind: 'comparisonGroup', group: 'lines' });
    if (comparison.functions.length) groups.push({ kind: 'comparisonGroup', group: 'functions' });
    if (comparison.newHotspots.length) groups.push({ kind: 'comparisonGroup', group: 'new' });
    return groups;
  }

  private comparisonChildren(node: Node): Node[] {
    const comparison = this.comparison?.comparison;
    if (!comparison || node.kind !== 'comparisonGroup') return [];
    if (node.group === 'functions') return comparison.functions.slice(0, MAX_COMPARED_ITEMS).map(fn => ({ kind: 'comparedFunction', fn }));
    const lines = node.group === 'lines' ? comparison.lines : comparison.newHotspots;
    return lines.slice(0, MAX_COMPARED_ITEMS).map(line => ({ kind: 'comparedLine', line, group: node.group }));
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function arrow(deltaMs: number): string {
  return deltaMs < 0 ? '▼' : '▲';
}

function changeIcon(deltaMs: number): vscode.ThemeIcon {
  return deltaMs < 0
    ? new vscode.ThemeIcon('arrow-down', new vscode.ThemeColor('hotspots.fasterForeground'))
    : new vscode.ThemeIcon('arrow-up', new vscode.ThemeColor('hotspots.slowerForeground'));
}

function openAt(file: string, line: number): vscode.Command {
  const position = new vscode.Position(Math.max(0, line - 1), 0);
  return {
    command: 'vscode.open',
    title: 'Open at line',
    arguments: [vscode.Uri.file(file), { selection: new vscode.Range(position, position), preview: true } satisfies vscode.TextDocumentShowOptions],
  };
}
