// The "Hotspots" view: top lines and top functions across all files, with their share.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ReportFunction } from '../core/profile/types';
import { formatDuration, formatPercent, formatShareAndTime, HeatLine, HeatModel } from './heatModel';

const MAX_ITEMS = 25;

type Node =
  | { kind: 'group'; group: 'lines' | 'functions' }
  | { kind: 'line'; line: HeatLine }
  | { kind: 'function'; fn: ReportFunction }
  | { kind: 'message'; text: string };

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
    if (!model) return []; // the view's welcome content explains what to do
    if (!node) {
      if (!model.lines.length && !model.functions.length) {
        return [{ kind: 'message', text: 'No samples in your code above the heat threshold.' }];
      }
      return [{ kind: 'group', group: 'lines' }, { kind: 'group', group: 'functions' }];
    }
    if (node.kind !== 'group') return [];
    return node.group === 'lines'
      ? model.lines.slice(0, MAX_ITEMS).map(line => ({ kind: 'line', line }))
      : model.functions.slice(0, MAX_ITEMS).map(fn => ({ kind: 'function', fn }));
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'group': {
        const item = new vscode.TreeItem(node.group === 'lines' ? 'Top lines (self time)' : 'Top functions (total time)',
          vscode.TreeItemCollapsibleState.Expanded);
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
      case 'message':
        return new vscode.TreeItem(node.text);
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function openAt(file: string, line: number): vscode.Command {
  const position = new vscode.Position(Math.max(0, line - 1), 0);
  return {
    command: 'vscode.open',
    title: 'Open at line',
    arguments: [vscode.Uri.file(file), { selection: new vscode.Range(position, position), preview: true } satisfies vscode.TextDocumentShowOptions],
  };
}
