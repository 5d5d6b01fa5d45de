// Owns the current heat model and keeps every view of it in sync: editor decorations (re-applied when
// editors open or switch), staleness after edits, the tree view and the status bar.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Report } from '../core/profile/types';
import { AppliedHeat, HeatDecorator } from './decorations';
import { buildHeatModel, fileKey, HeatModel } from './heatModel';
import { readHeatSettings } from './settings';
import { HotspotsStatusBar } from './statusBar';
import { HotspotsTreeProvider } from './treeView';

export class HeatPresenter implements vscode.Disposable {
  private model: HeatModel | undefined;
  /** fileKey()s of profiled files the user edited after the profile was taken. */
  private readonly staleFiles = new Set<string>();
  private decorator: HeatDecorator | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly modelChanged = new vscode.EventEmitter<HeatModel | undefined>();
  /** The profiler's own files (preload and ESM hooks, bundled and their sources): never heat. */
  private readonly profilerFiles: ReadonlySet<string>;
  readonly onDidChangeModel = this.modelChanged.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly tree: HotspotsTreeProvider,
    readonly statusBar: HotspotsStatusBar,
  ) {
    const root = extensionUri.fsPath;
    this.profilerFiles = new Set(['dist/preload.js', 'dist/esmHooks.mjs', 'src/core/profile/preload.ts', 'src/core/profile/esmHooks.ts']
      .map(relative => fileKey(path.join(root, relative))));
    this.disposables.push(
      vscode.window.onDidChangeVisibleTextEditors(editors => {
        this.decorator?.forgetHidden(editors);
        for (const editor of editors) this.applyTo(editor);
      }),
      vscode.workspace.onDidChangeTextDocument(event => this.onEdit(event)),
      vscode.workspace.onDidChangeConfiguration(event => {
        if (event.affectsConfiguration('hotspots') && this.model) this.show(this.model.report, this.model.source, { keepStale: true });
      }),
      this.modelChanged,
    );
  }

  get current(): HeatModel | undefined {
    return this.model;
  }

  show(report: Report, source: HeatModel['source'], { keepStale = false } = {}): HeatModel {
    if (!keepStale) this.staleFiles.clear();
    this.model = buildHeatModel(report, source, readHeatSettings(), this.profilerFiles);
    this.refreshAll();
    return this.model;
  }

  clear(): void {
    this.model = undefined;
    this.staleFiles.clear();
    this.refreshAll();
  }

  isStale(file: string): boolean {
    return this.staleFiles.has(fileKey(file));
  }

  appliedTo(uri: vscode.Uri): AppliedHeat | undefined {
    return this.decorator?.appliedTo(uri);
  }

  private refreshAll(): void {
    for (const editor of vscode.window.visibleTextEditors) this.applyTo(editor);
    this.tree.setModel(this.model);
    this.statusBar.showIdle(this.model, file => this.isStale(file));
    void vscode.commands.executeCommand('setContext', 'hotspots.hasResults', !!this.model);
    this.modelChanged.fire(this.model);
  }

  private applyTo(editor: vscode.TextEditor): void {
    if (editor.document.uri.scheme !== 'file') return;
    const key = fileKey(editor.document.uri.fsPath);
    const heat = this.model?.files.get(key);
    if (!heat && !this.decorator?.appliedTo(editor.document.uri)) return; // nothing shown, nothing to clear
    this.decorator ??= new HeatDecorator(this.extensionUri); // created once, on the first heat shown
    this.decorator.apply(editor, heat, this.staleFiles.has(key));
  }

  private onEdit(event: vscode.TextDocumentChangeEvent): void {
    if (!this.model || event.contentChanges.length === 0 || event.document.uri.scheme !== 'file') return;
    const key = fileKey(event.document.uri.fsPath);
    if (!this.model.files.has(key) || this.staleFiles.has(key)) return;
    this.staleFiles.add(key);
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document === event.document) this.applyTo(editor);
    }
    this.statusBar.showIdle(this.model, file => this.isStale(file));
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
    this.decorator?.dispose();
  }
}
