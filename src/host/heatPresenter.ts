// Owns the current heat model and keeps every view of it in sync: editor decorations (re-applied when
// editors open or switch), staleness after edits, the tree view and the status bar.
import * as vscode from 'vscode';
import { encodeFingerprint, readSourceFromDisk, splitSourceLines } from '../core/compare/sourceContext';
import type { Report } from '../core/profile/types';
import { AppliedMemory, MemoryDecorator } from './memoryDecorations';
import { AppliedHeat, HeatDecorator } from './decorations';
import { buildHeatModel, fileKey, FileHeat, HeatModel } from './heatModel';
import { LineTracker } from './lineTracker';
import { readHeatSettings } from './settings';
import { HotspotsStatusBar } from './statusBar';
import { HotspotsTreeProvider } from './treeView';
import { buildWaitModel, WaitDecorator, WaitLine, WaitModel } from './waitHeat';

export class HeatPresenter implements vscode.Disposable {
  private model: HeatModel | undefined;
  /** Profiled files the user edited after the profile was taken (by fileKey()): stale heat. */
  private readonly editedFiles = new Map<string, { lines: LineTracker; isProfiledText: (text: string) => boolean }>();
  private decorator: HeatDecorator | undefined;
  private waitModel: WaitModel | undefined;
  private waitDecorator: WaitDecorator | undefined;
  private memoryDecorator: MemoryDecorator | undefined;
  private treeRefreshTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly modelChanged = new vscode.EventEmitter<HeatModel | undefined>();
  readonly onDidChangeModel = this.modelChanged.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly tree: HotspotsTreeProvider,
    readonly statusBar: HotspotsStatusBar,
  ) {
    this.disposables.push(
      vscode.window.onDidChangeVisibleTextEditors(editors => {
        this.decorator?.forgetHidden(editors);
        this.waitDecorator?.forgetHidden(editors);
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
    if (!keepStale) this.editedFiles.clear();
    this.model = buildHeatModel(report, source, readHeatSettings());
    this.waitModel = buildWaitModel(report, readHeatSettings());
    this.refreshAll();
    return this.model;
  }

  clear(): void {
    this.model = undefined;
    this.waitModel = undefined;
    this.editedFiles.clear();
    this.refreshAll();
  }

  isStale(file: string): boolean {
    return this.editedFiles.has(fileKey(file));
  }

  appliedTo(uri: vscode.Uri): AppliedHeat | undefined {
    const heat = this.decorator?.appliedTo(uri);
    const waits = this.waitDecorator?.appliedTo(uri);
    if (!waits) return heat;
    return { ...(heat ?? { uri: uri.toString(), stale: this.isStale(uri.fsPath), lines: [] }), waits };
  }

  get currentWaits(): WaitModel | undefined {
    return this.waitModel;
  }

  memoryAppliedTo(uri: vscode.Uri): AppliedMemory | undefined {
    return this.memoryDecorator?.appliedTo(uri);
  }

  private refreshAll(): void {
    for (const editor of vscode.window.visibleTextEditors) this.applyTo(editor);
    this.tree.setWaits(this.waitModel);
    this.statusBar.setWaits(this.waitModel);
    this.tree.setModel(this.model, {
      isStale: file => this.isStale(file),
      currentLine: (file, line) => {
        const edited = this.editedFiles.get(fileKey(file));
        return edited ? edited.lines.currentLine(line) : line;
      },
    });
    this.statusBar.showIdle(this.model, file => this.isStale(file));
    void vscode.commands.executeCommand('setContext', 'hotspots.hasResults', !!this.model);
    this.modelChanged.fire(this.model);
  }

  private applyTo(editor: vscode.TextEditor): void {
    if (editor.document.uri.scheme !== 'file') return;
    const key = fileKey(editor.document.uri.fsPath);
    const heat = this.model?.files.get(key);
    const edited = this.editedFiles.get(key);
    const waits = this.waitModel?.files.get(key);
    if (waits || this.waitDecorator?.appliedTo(editor.document.uri)) {
      this.waitDecorator ??= new WaitDecorator(this.extensionUri);
      this.waitDecorator.apply(editor, waits && edited ? followWaitEdits(waits, edited.lines) : waits, !!edited);
    }
    if (this.model?.report.allocations || this.memoryDecorator) (this.memoryDecorator ??= new MemoryDecorator()).apply(editor, this.model?.report);
    if (!heat && !this.decorator?.appliedTo(editor.document.uri)) return; // nothing shown, nothing to clear
    this.decorator ??= new HeatDecorator(this.extensionUri); // created once, on the first heat shown
    this.decorator.apply(editor, heat && edited ? followEdits(heat, edited.lines) : heat, !!edited);
  }

  private onEdit(event: vscode.TextDocumentChangeEvent): void {
    if (!this.model || event.contentChanges.length === 0 || event.document.uri.scheme !== 'file') return;
    const key = fileKey(event.document.uri.fsPath);
    const heat = this.model.files.get(key) ?? { file: event.document.uri.fsPath, lines: [] };
    const waits = this.waitModel?.files.get(key) ?? [];
    if (heat.lines.length === 0 && waits.length === 0) return;
    let edited = this.editedFiles.get(key);
    if (!edited) {
      edited = { lines: new LineTracker(), isProfiledText: profiledTextCheck(this.model.report, heat.file, event.document.uri.fsPath) };
      this.editedFiles.set(key, edited);
    }
    // Heat lines, plus function starts so the tree's function items open at the right place too.
    const profiledLines = new Set([...heat.lines.map(line => line.line), ...waits.map(wait => wait.line),
      ...this.model.functions.filter(fn => fileKey(fn.file) === key).map(fn => fn.line)]);
    for (const change of event.contentChanges) {
      edited.lines.apply({ startLine: change.range.start.line, startCharacter: change.range.start.character, endLine: change.range.end.line, endCharacter: change.range.end.character, text: change.text }, profiledLines);
    }
    // Undo or revert back to the profiled text: the heat is exact again.
    if (edited.isProfiledText(event.document.getText())) this.editedFiles.delete(key);
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document === event.document) this.applyTo(editor);
    }
    this.statusBar.showIdle(this.model, file => this.isStale(file));
    this.scheduleTreeRefresh();
  }

  /** Edits come per keystroke; the tree only needs to catch up once typing pauses. */
  private scheduleTreeRefresh(): void {
    if (this.treeRefreshTimer) return;
    this.treeRefreshTimer = setTimeout(() => {
      this.treeRefreshTimer = undefined;
      this.tree.refresh();
    }, 300);
  }

  dispose(): void {
    clearTimeout(this.treeRefreshTimer);
    for (const disposable of this.disposables) disposable.dispose();
    this.decorator?.dispose();
    this.waitDecorator?.dispose();
  }
}

/** The file's heat moved along with the user's edits; lines that were deleted drop out. */
function followEdits(heat: FileHeat, tracker: LineTracker): FileHeat {
  const lines = [];
  for (const line of heat.lines) {
    const current = tracker.currentLine(line.line);
    if (current !== undefined) lines.push({ ...line, line: current, profiledLine: line.line });
  }
  return { file: heat.file, lines };
}

function followWaitEdits(lines: readonly WaitLine[], tracker: LineTracker): WaitLine[] {
  const moved: WaitLine[] = [];
  for (const line of lines) {
    const current = tracker.currentLine(line.line);
    if (current !== undefined) moved.push({ ...line, line: current, profiledLine: line.line });
  }
  return moved;
}

/**
 * Tells whether a document's text is again the text that was profiled. A run records a fingerprint of each
 * profiled file while the files on disk are the ones that ran; comparing with it never depends on the disk,
 * which auto-save (on by default in VS Code for the web) may already have overwritten with an edit. Profiles
 * opened from elsewhere have no fingerprint: then the file on disk at the first edit stands for the profiled text.
 */
function profiledTextCheck(report: Report, reportFile: string, diskFile: string): (text: string) => boolean {
  const fingerprint = report.sourceFingerprints?.[reportFile];
  if (fingerprint) return text => encodeFingerprint(splitSourceLines(text)) === fingerprint;
  const profiledText = readSourceFromDisk(diskFile);
  return text => profiledText !== undefined && text === profiledText;
}
