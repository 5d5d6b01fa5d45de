// Editor heat: gutter bars graded by share, a subtle whole-line background, overview-ruler marks,
// inline annotations on the hottest lines and a hover with the line's facts. Decoration types are
// created once per extension lifetime and reused for every editor and every profile.
import * as vscode from 'vscode';
import { FileHeat, formatDuration, formatPercent, HEAT_STEPS, HeatLine } from './heatModel';
import type { AppliedWait } from './waitHeat';

/** What was last put on the editors of one document (read by the tests through the extension API). */
export interface AppliedHeat {
  uri: string;
  stale: boolean;
  lines: AppliedLine[];
  /** Await lines with waiting heat (src/host/waitHeat.ts). */
  waits?: AppliedWait[];
}
export interface AppliedLine {
  /** 1-based. */
  line: number;
  step: number;
  annotation: string | undefined;
  hover: string;
}

export class HeatDecorator implements vscode.Disposable {
  private readonly stepTypes: vscode.TextEditorDecorationType[];
  private readonly staleLineType: vscode.TextEditorDecorationType;
  private readonly annotationType: vscode.TextEditorDecorationType;
  private readonly staleAnnotationType: vscode.TextEditorDecorationType;
  private readonly applied = new Map<string, AppliedHeat>();

  constructor(extensionUri: vscode.Uri) {
    this.stepTypes = Array.from({ length: HEAT_STEPS }, (_, index) => vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      gutterIconPath: vscode.Uri.joinPath(extensionUri, 'media', 'gutter', `heat${index + 1}.svg`),
      gutterIconSize: 'contain',
      backgroundColor: new vscode.ThemeColor(`hotspots.heat${index + 1}Background`),
      overviewRulerColor: new vscode.ThemeColor(`hotspots.heat${index + 1}`),
      overviewRulerLane: vscode.OverviewRulerLane.Right,
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    }));
    this.staleLineType = vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      gutterIconPath: vscode.Uri.joinPath(extensionUri, 'media', 'gutter', 'stale.svg'),
      gutterIconSize: 'contain',
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    });
    this.annotationType = vscode.window.createTextEditorDecorationType({
      after: { color: new vscode.ThemeColor('hotspots.annotationForeground'), margin: '0 0 0 3ch' },
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    });
    this.staleAnnotationType = vscode.window.createTextEditorDecorationType({
      after: { color: new vscode.ThemeColor('hotspots.staleForeground'), margin: '0 0 0 3ch', fontStyle: 'italic' },
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    });
  }

  /** Shows `heat` (or nothing, when undefined) on the editor. */
  apply(editor: vscode.TextEditor, heat: FileHeat | undefined, stale: boolean): void {
    const document = editor.document;
    const perStep: vscode.DecorationOptions[][] = this.stepTypes.map(() => []);
    const staleLines: vscode.DecorationOptions[] = [];
    const annotations: vscode.DecorationOptions[] = [];
    const appliedLines: AppliedLine[] = [];
    for (const line of heat?.lines ?? []) {
      if (line.line < 1 || line.line > document.lineCount) continue; // the file got shorter since profiling
      const textLine = document.lineAt(line.line - 1);
      const hover = hoverMarkdown(line, stale);
      const options: vscode.DecorationOptions = { range: textLine.range, hoverMessage: hover };
      (stale ? staleLines : perStep[line.step - 1]).push(options);
      if (line.annotation) {
        annotations.push({
          range: new vscode.Range(textLine.range.end, textLine.range.end),
          hoverMessage: hover,
          renderOptions: { after: { contentText: stale ? `${line.annotation} (stale)` : line.annotation } },
        });
      }
      appliedLines.push({ line: line.line, step: line.step, annotation: line.annotation, hover: hover.value });
    }
    this.stepTypes.forEach((type, index) => editor.setDecorations(type, perStep[index]));
    editor.setDecorations(this.staleLineType, staleLines);
    editor.setDecorations(stale ? this.staleAnnotationType : this.annotationType, annotations);
    editor.setDecorations(stale ? this.annotationType : this.staleAnnotationType, []);
    const key = document.uri.toString();
    if (appliedLines.length) this.applied.set(key, { uri: key, stale, lines: appliedLines });
    else this.applied.delete(key);
  }

  clear(editor: vscode.TextEditor): void {
    this.apply(editor, undefined, false);
  }

  /** Forgets what was applied to documents that no longer have a visible editor. */
  forgetHidden(visible: readonly vscode.TextEditor[]): void {
    const shown = new Set(visible.map(editor => editor.document.uri.toString()));
    for (const key of [...this.applied.keys()]) if (!shown.has(key)) this.applied.delete(key);
  }

  appliedTo(uri: vscode.Uri): AppliedHeat | undefined {
    return this.applied.get(uri.toString());
  }

  dispose(): void {
    for (const type of [...this.stepTypes, this.staleLineType, this.annotationType, this.staleAnnotationType]) type.dispose();
    this.applied.clear();
  }
}

export function hoverMarkdown(line: HeatLine, stale: boolean): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  if (stale) {
    const moved = line.profiledLine !== undefined && line.profiledLine !== line.line ? ` (this was line ${line.profiledLine} then)` : '';
    md.appendMarkdown(`$(warning) **Stale:** this file was edited after it was profiled${moved}; the numbers describe the code as it was. Profile again to refresh.\n\n`);
  }
  if (line.charged) {
    md.appendMarkdown(`**Hotspots** · line ${line.profiledLine ?? line.line}: **${formatPercent(line.charged.totalPercent)}** of the sampled time, including the dependencies it called (${line.charged.via})\n\n`);
  } else {
    md.appendMarkdown(`**Hotspots** · line ${line.profiledLine ?? line.line}: **${formatPercent(line.selfPercent)}** of the sampled time\n\n`);
  }
  md.appendMarkdown('| | |\n|---|---|\n');
  if (line.charged) md.appendMarkdown(`| with dependency time | ${formatDuration(line.charged.totalMs)} (${formatPercent(line.charged.totalPercent)}) ${escapeText(line.charged.via)} |\n`);
  md.appendMarkdown(`| self time | ${formatDuration(line.selfMs)} (${formatPercent(line.selfPercent)}) |\n`);
  md.appendMarkdown(`| samples (hits) | ${line.hits} |\n`);
  md.appendMarkdown(`| function | \`${escapeCode(line.functionName)}\` |\n`);
  if (line.functionTotalMs !== undefined) md.appendMarkdown(`| function total | ${formatDuration(line.functionTotalMs)} |\n`);
  if (line.callers.length) {
    md.appendMarkdown('\n**Top callers**\n\n');
    for (const caller of line.callers.slice(0, 3)) {
      const where = caller.file ? `${baseName(caller.file)}:${caller.line}` : '';
      const link = caller.file ? `[${escapeText(where)}](${vscode.Uri.file(caller.file).with({ fragment: `L${caller.line}` }).toString()})` : '';
      md.appendMarkdown(`- \`${escapeCode(caller.name || '(anonymous)')}\` ${link} · ${formatDuration(caller.ms)}\n`);
    }
  }
  return md;
}

function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}
function escapeCode(text: string): string {
  return text.replace(/`/g, "'");
}
function escapeText(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|]/g, match => `\\${match}`);
}
