// Editor view of waiting: await lines get their own heat (an hourglass in the gutter, a blue line
// background, overview-ruler marks), an annotation such as `⏳ 812 ms waiting · 81% of wall (40×)` and a
// hover with count, mean/max wait and the chain. Visibly different from CPU heat (src/host/decorations.ts).
import * as vscode from 'vscode';
import type { Report, ReportWait } from '../core/profile/types';
import { waitsWallMs } from '../core/profile/waits/format';
import { fileKey, formatDuration, formatPercent } from './heatModel';
import type { HeatSettings } from './settings';

export interface WaitLine {
  file: string;
  /** 1-based, as in the Report. */
  line: number;
  wait: ReportWait;
  /** Inline after-text, only on the biggest waits. */
  annotation: string | undefined;
  /** Set when the file was edited since profiling and the line moved: its number in the profiled text. */
  profiledLine?: number;
}

export interface WaitModel {
  /** Biggest blocked time first. */
  lines: WaitLine[];
  /** Keyed by fileKey(). */
  files: Map<string, WaitLine[]>;
  wallMs: number;
}

/** What was last put on the editors of one document (read by the tests through the extension API). */
export interface AppliedWait {
  line: number;
  annotation: string | undefined;
  hover: string;
}

export function buildWaitModel(report: Report, settings: HeatSettings): WaitModel {
  const wallMs = waitsWallMs(report);
  const lines: WaitLine[] = [];
  const files = new Map<string, WaitLine[]>();
  let annotated = 0;
  for (const wait of report.waits ?? []) {
    if (wait.blockedMs <= 0 || wait.blockedPercent < settings.heatThreshold) continue;
    if (!settings.includeDependencies && /[\\/]node_modules[\\/]/.test(wait.file)) continue;
    const wantsAnnotation = annotated < settings.annotatedLines && wait.blockedPercent >= settings.annotationMinShare;
    if (wantsAnnotation) annotated++;
    const line: WaitLine = { file: wait.file, line: wait.line, wait, annotation: wantsAnnotation ? waitAnnotation(wait) : undefined };
    lines.push(line);
    const key = fileKey(wait.file);
    let list = files.get(key);
    if (!list) files.set(key, (list = []));
    list.push(line);
  }
  return { lines, files, wallMs };
}

/** `⏳ 812 ms waiting · 81% of wall (40×)`. */
export function waitAnnotation(wait: ReportWait): string {
  return `⏳ ${formatDuration(wait.blockedMs)} waiting · ${formatPercent(wait.blockedPercent)} of wall (${wait.count}×)`;
}

export function waitHoverMarkdown(line: WaitLine, stale: boolean): vscode.MarkdownString {
  const { wait } = line;
  const md = new vscode.MarkdownString(undefined, true);
  if (stale) md.appendMarkdown('$(warning) **Stale:** this file was edited after it was profiled; the numbers describe the code as it was.\n\n');
  md.appendMarkdown(`**Hotspots** · ⏳ line ${line.profiledLine ?? line.line} kept the program waiting **${formatDuration(wait.blockedMs)}** (${formatPercent(wait.blockedPercent)} of the wall time)\n\n`);
  md.appendMarkdown('| | |\n|---|---|\n');
  md.appendMarkdown(`| blocked (idle while pending, shared among concurrent awaits) | ${formatDuration(wait.blockedMs)} |\n`);
  md.appendMarkdown(`| awaits | ${wait.count} |\n`);
  const timed = wait.count > 0 ? wait.waitMs / wait.count : 0;
  md.appendMarkdown(`| mean wait | ${formatDuration(timed)} |\n`);
  if (wait.maxWaitMs !== undefined) md.appendMarkdown(`| longest wait | ${formatDuration(wait.maxWaitMs)} |\n`);
  md.appendMarkdown(`| suspended in total | ${formatDuration(wait.waitMs)} |\n`);
  md.appendMarkdown(`| function | \`${wait.function.replace(/`/g, "'")}\` |\n`);
  if (wait.awaitedBy?.length) {
    md.appendMarkdown('\n**Awaited by** (the chain up to the caller)\n\n');
    for (const parent of wait.awaitedBy) {
      const where = `${parent.file.split(/[\\/]/).pop()}:${parent.line}`;
      md.appendMarkdown(`- [${where}](${vscode.Uri.file(parent.file).with({ fragment: `L${parent.line}` }).toString()}) in \`${parent.function}\` · ${formatDuration(parent.ms)}\n`);
    }
  }
  return md;
}

export class WaitDecorator implements vscode.Disposable {
  private readonly lineType: vscode.TextEditorDecorationType;
  private readonly annotationType: vscode.TextEditorDecorationType;
  private readonly applied = new Map<string, AppliedWait[]>();

  constructor(extensionUri: vscode.Uri) {
    this.lineType = vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      gutterIconPath: vscode.Uri.joinPath(extensionUri, 'media', 'gutter', 'wait.svg'),
      gutterIconSize: 'contain',
      backgroundColor: new vscode.ThemeColor('hotspots.waitBackground'),
      overviewRulerColor: new vscode.ThemeColor('hotspots.wait'),
      overviewRulerLane: vscode.OverviewRulerLane.Left,
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    });
    this.annotationType = vscode.window.createTextEditorDecorationType({
      after: { color: new vscode.ThemeColor('hotspots.waitForeground'), margin: '0 0 0 3ch' },
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    });
  }

  apply(editor: vscode.TextEditor, lines: readonly WaitLine[] | undefined, stale: boolean): void {
    const document = editor.document;
    const decorated: vscode.DecorationOptions[] = [];
    const annotations: vscode.DecorationOptions[] = [];
    const applied: AppliedWait[] = [];
    for (const line of lines ?? []) {
      if (line.line < 1 || line.line > document.lineCount) continue;
      const textLine = document.lineAt(line.line - 1);
      const hover = waitHoverMarkdown(line, stale);
      decorated.push({ range: textLine.range, hoverMessage: hover });
      if (line.annotation) {
        annotations.push({
          range: new vscode.Range(textLine.range.end, textLine.range.end),
          hoverMessage: hover,
          renderOptions: { after: { contentText: stale ? `${line.annotation} (stale)` : line.annotation } },
        });
      }
      applied.push({ line: line.line, annotation: line.annotation, hover: hover.value });
    }
    editor.setDecorations(this.lineType, decorated);
    editor.setDecorations(this.annotationType, annotations);
    const key = document.uri.toString();
    if (applied.length) this.applied.set(key, applied);
    else this.applied.delete(key);
  }

  appliedTo(uri: vscode.Uri): AppliedWait[] | undefined {
    return this.applied.get(uri.toString());
  }

  forgetHidden(visible: readonly vscode.TextEditor[]): void {
    const shown = new Set(visible.map(editor => editor.document.uri.toString()));
    for (const key of [...this.applied.keys()]) if (!shown.has(key)) this.applied.delete(key);
  }

  dispose(): void {
    this.lineType.dispose();
    this.annotationType.dispose();
    this.applied.clear();
  }
}
