// "Compare with previous run": compares two runs of the history (src/core/compare) and shows the
// change: ▼/▲ annotations on the lines that got faster or slower (their own decoration, apart from the
// heat), a "Comparison" section in the Hotspots view and the overall speedup in a notification.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ComparedLine, Comparison } from '../core/compare/compare';
import { formatDuration } from './heatModel';
import { fileKey } from './heatModel';
import { describeEntry, HistoryEntry, RunHistory } from './history';
import type { Notifier } from './notifier';
import type { HotspotsTreeProvider } from './treeView';
import { comparedWaitLines, ComparedLineOrWait } from './waitComparison';

/** The comparison on screen (read by the tests through the extension API). */
export interface ShownComparison {
  comparison: Comparison;
  before: HistoryEntry;
  after: HistoryEntry;
  /** "2.40× faster (−58.3%)" */
  overall: string;
}
export interface AppliedComparison {
  uri: string;
  lines: { line: number; kind: 'faster' | 'slower'; annotation: string }[];
}

/** Lines annotated in the editor: the biggest changes, each at least this share of the slower run. */
const MAX_ANNOTATED_LINES = 10;
const MIN_ANNOTATED_SHARE = 1;
const MIN_ANNOTATED_MS = 2;

export interface CompareRequest {
  /** History ids; default: the latest run and the previous run of the same workload. */
  before?: string;
  after?: string;
  /** Pick the earlier run from the history even when one of the same workload exists. */
  pick?: boolean;
}

export class ComparisonController implements vscode.Disposable {
  private shown: ShownComparison | undefined;
  private annotated = new Map<string, ComparedLine[]>();
  private types: { faster: vscode.TextEditorDecorationType; slower: vscode.TextEditorDecorationType } | undefined;
  private readonly applied = new Map<string, AppliedComparison>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly history: RunHistory,
    private readonly tree: HotspotsTreeProvider,
    private readonly notifier: Notifier,
  ) {
    this.disposables.push(
      vscode.window.onDidChangeVisibleTextEditors(editors => { for (const editor of editors) this.applyTo(editor); }),
      history.onDidChange(() => this.updateContext()),
    );
    this.updateContext();
  }

  get current(): ShownComparison | undefined {
    return this.shown;
  }

  appliedTo(uri: vscode.Uri): AppliedComparison | undefined {
    return this.applied.get(uri.toString());
  }

  async compare(request: CompareRequest = {}): Promise<void> {
    const entries = this.history.list();
    const after = request.after ? this.history.get(request.after) : entries[0];
    if (!after) {
      this.notifier.show('info', 'Hotspots: no profile run to compare yet. Profile a file, npm script or test file, change the code, profile it again, then compare.');
      return;
    }
    let before = request.before ? this.history.get(request.before) : request.pick ? undefined : this.history.previous(after);
    if (!before) {
      const earlier = entries.filter(entry => entry.id !== after.id && entry.time <= after.time);
      if (earlier.length === 0) {
        this.notifier.show('info', `Hotspots: ${after.name} is the only run in the history. Change the code, profile it again, then compare.`);
        return;
      }
      const picked = await vscode.window.showQuickPick(earlier.map(entry => ({
        label: entry.name,
        description: new Date(entry.time).toLocaleString(),
        detail: `${formatDuration(entry.totalMs)} sampled${entry.workloadKey === after.workloadKey ? '' : ' · a different workload'}`,
        entry,
      })), { title: `Compare ${describeEntry(after)} with…`, placeHolder: 'Earlier run (before)' });
      if (!picked) return;
      before = picked.entry;
    }
    const [{ compareReports }, { describeOverall, signedMs }, { readSourceFromDisk }] = await Promise.all([
      import('../core/compare/compare'), import('../core/compare/format'), import('../core/compare/sourceContext'),
    ]);
    const [beforeReport, afterReport] = await Promise.all([this.history.loadReport(before), this.history.loadReport(after)]);
    const comparison = compareReports(beforeReport, afterReport, { readSource: readSourceFromDisk });
    const overall = describeOverall(comparison);
    this.show({ comparison, before, after, overall });

    const biggest = comparison.lines[0];
    const where = biggest ? ` Biggest change: ${path.basename(biggest.file)}:${biggest.afterLine ?? biggest.beforeLine} ${signedMs(biggest.deltaMs)}.` : '';
    const actions: Record<string, () => unknown> = { 'Show Comparison': () => vscode.commands.executeCommand('hotspots.hotspots.focus') };
    if (biggest?.afterLine) actions['Go to Line'] = () => openAt(biggest.file, biggest.afterLine!);
    this.notifier.show(comparison.speedup !== null && comparison.speedup < 1 ? 'warning' : 'info',
      `Hotspots: ${after.name} ${overall}: ${formatDuration(comparison.before.totalMs)} → ${formatDuration(comparison.after.totalMs)} sampled.${where}`
      + `${comparison.warnings.length ? ` Note: ${comparison.warnings[0]}` : ''}`, actions);
  }

  clear(): void {
    if (!this.shown) return;
    this.shown = undefined;
    this.annotated.clear();
    this.refresh();
  }

  private show(shown: ShownComparison): void {
    this.shown = shown;
    const { comparison } = shown;
    const slowerTotal = Math.max(comparison.before.totalMs, comparison.after.totalMs);
    this.annotated = new Map();
    const candidates = [...comparison.lines, ...comparedWaitLines(comparison)]
      .sort((x, y) => Math.abs(y.deltaMs) - Math.abs(x.deltaMs))
      .filter(line => line.afterLine !== null && Math.abs(line.deltaMs) >= MIN_ANNOTATED_MS
        && (slowerTotal === 0 || (Math.abs(line.deltaMs) / slowerTotal) * 100 >= MIN_ANNOTATED_SHARE))
      .slice(0, MAX_ANNOTATED_LINES);
    for (const line of candidates) {
      const key = fileKey(line.file);
      this.annotated.set(key, [...(this.annotated.get(key) ?? []), line]);
    }
    this.refresh();
  }

  private refresh(): void {
    for (const editor of vscode.window.visibleTextEditors) this.applyTo(editor);
    this.tree.setComparison(this.shown);
    this.updateContext();
  }

  private updateContext(): void {
    void vscode.commands.executeCommand('setContext', 'hotspots.hasComparison', !!this.shown);
    void vscode.commands.executeCommand('setContext', 'hotspots.canCompare', this.history.list().length >= 2);
  }

  private applyTo(editor: vscode.TextEditor): void {
    if (editor.document.uri.scheme !== 'file') return;
    const uri = editor.document.uri.toString();
    const lines = this.annotated.get(fileKey(editor.document.uri.fsPath)) ?? [];
    if (lines.length === 0 && !this.applied.has(uri)) return;
    const types = this.types ??= {
      faster: vscode.window.createTextEditorDecorationType({
        after: { color: new vscode.ThemeColor('hotspots.fasterForeground'), margin: '0 0 0 3ch', fontWeight: 'bold' },
        overviewRulerColor: new vscode.ThemeColor('hotspots.fasterForeground'),
        overviewRulerLane: vscode.OverviewRulerLane.Left,
        rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
      }),
      slower: vscode.window.createTextEditorDecorationType({
        after: { color: new vscode.ThemeColor('hotspots.slowerForeground'), margin: '0 0 0 3ch', fontWeight: 'bold' },
        overviewRulerColor: new vscode.ThemeColor('hotspots.slowerForeground'),
        overviewRulerLane: vscode.OverviewRulerLane.Left,
        rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
      }),
    };
    const faster: vscode.DecorationOptions[] = [];
    const slower: vscode.DecorationOptions[] = [];
    const appliedLines: AppliedComparison['lines'] = [];
    for (const line of lines) {
      const number = line.afterLine!;
      if (number < 1 || number > editor.document.lineCount) continue;
      const end = editor.document.lineAt(number - 1).range.end;
      const kind = line.deltaMs < 0 ? 'faster' : 'slower';
      const annotation = (line as ComparedLineOrWait).waiting ? `⏳ ${changeAnnotation(line)} waiting` : changeAnnotation(line);
      (kind === 'faster' ? faster : slower).push({
        range: new vscode.Range(end, end),
        renderOptions: { after: { contentText: annotation } },
        hoverMessage: compareHover(line, this.shown!),
      });
      appliedLines.push({ line: number, kind, annotation });
    }
    editor.setDecorations(types.faster, faster);
    editor.setDecorations(types.slower, slower);
    if (appliedLines.length > 0) this.applied.set(uri, { uri, lines: appliedLines });
    else this.applied.delete(uri);
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
    this.types?.faster.dispose();
    this.types?.slower.dispose();
  }
}

/** "▼ 790 ms (−96%)", "▲ 120 ms (+40%)", "▲ 35 ms (new)". */
export function changeAnnotation(line: ComparedLine): string {
  const arrow = line.deltaMs < 0 ? '▼' : '▲';
  const amount = formatDuration(Math.abs(line.deltaMs));
  if (line.beforeMs === 0) return `${arrow} ${amount} (new)`;
  let percent = Math.round((line.deltaMs / line.beforeMs) * 100);
  if (percent === -100 && line.afterMs > 0) percent = -99; // not gone, only nearly
  return `${arrow} ${amount} (${percent < 0 ? '−' : '+'}${Math.abs(percent)}%)`;
}

function compareHover(line: ComparedLine, shown: ShownComparison): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString();
  markdown.appendMarkdown(`**Hotspots comparison** — ${line.deltaMs < 0 ? 'faster' : 'slower'} by ${formatDuration(Math.abs(line.deltaMs))}\n\n`);
  markdown.appendMarkdown(`before (${escape(describeEntry(shown.before))}): ${formatDuration(line.beforeMs)}, ${line.beforePercent.toFixed(1)}% of the run`
    + `${line.beforeLine !== null && line.beforeLine !== line.afterLine ? `, line ${line.beforeLine}` : ''}\n\n`);
  markdown.appendMarkdown(`after (${escape(describeEntry(shown.after))}): ${formatDuration(line.afterMs)}, ${line.afterPercent.toFixed(1)}% of the run\n\n`);
  markdown.appendMarkdown(`whole run: ${escape(shown.overall)}`);
  return markdown;
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

function openAt(file: string, line: number): Thenable<unknown> {
  const position = new vscode.Position(Math.max(0, line - 1), 0);
  return vscode.window.showTextDocument(vscode.Uri.file(file), { selection: new vscode.Range(position, position) });
}
