// Editor view of `profile --memory`: an annotation on the first line of each allocating function
// (`▣ 31.8 MB allocated · 77% of the run`), a faint marker in the left border over the function's body
// (allocation is known per function, not per line: no line heat pretends otherwise), a hover with the
// callers that allocated through it, and the "Memory" items of the Hotspots view.
import * as vscode from 'vscode';
import { formatBytes } from '../core/profile/memory/allocations';
import { functionEndLine } from '../core/profile/memory/functionRange';
import type { Report, ReportAllocation } from '../core/profile/types';
import { fileKey } from './heatModel';

/** What was last put on one document (read by the tests through the extension API). */
export interface AppliedMemory {
  uri: string;
  functions: { line: number; endLine: number; annotation: string; hover: string }[];
}

/** How many functions of a file get an annotation; the rest is in the Hotspots view. */
const MAX_ANNOTATED = 5;
/** Functions below this share of the run's allocation get no annotation. */
const MIN_ANNOTATED_PERCENT = 1;

export function memoryAnnotation(entry: ReportAllocation): string {
  const share = `${entry.allocatedPercent.toFixed(entry.allocatedPercent >= 10 ? 0 : 1)}%`;
  // A "still held" run (--memory=retained) sampled only the objects alive at the end.
  if (entry.retainedBytes !== undefined) return `▣ ${share} of what is held · ${formatBytes(entry.retainedBytes)} still held (whole function)`;
  return `▣ ${formatBytes(entry.allocatedBytes)} allocated · ${share} (whole function)`;
}

export class MemoryDecorator implements vscode.Disposable {
  private readonly annotationType = vscode.window.createTextEditorDecorationType({
    after: { color: new vscode.ThemeColor('hotspots.annotationForeground'), margin: '0 0 0 3ch' },
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
  private readonly rangeType = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    borderWidth: '0 0 0 2px',
    borderStyle: 'solid',
    borderColor: new vscode.ThemeColor('hotspots.memoryRange'),
    overviewRulerColor: new vscode.ThemeColor('hotspots.memoryRange'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
  private readonly applied = new Map<string, AppliedMemory>();

  apply(editor: vscode.TextEditor, report: Report | undefined): void {
    const document = editor.document;
    const key = fileKey(document.uri.fsPath);
    const entries = (report?.allocations ?? [])
      .filter(entry => fileKey(entry.file) === key && entry.allocatedPercent >= MIN_ANNOTATED_PERCENT && entry.line >= 1 && entry.line <= document.lineCount)
      .slice(0, MAX_ANNOTATED);
    const annotations: vscode.DecorationOptions[] = [];
    const ranges: vscode.DecorationOptions[] = [];
    const applied: AppliedMemory['functions'] = [];
    for (const entry of entries) {
      const first = document.lineAt(entry.line - 1);
      const endLine = functionEndLine(document, entry.line - 1) + 1;
      const hover = memoryHover(entry);
      const annotation = memoryAnnotation(entry);
      annotations.push({ range: new vscode.Range(first.range.end, first.range.end), hoverMessage: hover, renderOptions: { after: { contentText: annotation } } });
      ranges.push({ range: new vscode.Range(entry.line - 1, 0, endLine - 1, 0), hoverMessage: hover });
      applied.push({ line: entry.line, endLine, annotation, hover: hover.value });
    }
    editor.setDecorations(this.annotationType, annotations);
    editor.setDecorations(this.rangeType, ranges);
    const uri = document.uri.toString();
    if (applied.length) this.applied.set(uri, { uri, functions: applied });
    else this.applied.delete(uri);
  }

  appliedTo(uri: vscode.Uri): AppliedMemory | undefined {
    return this.applied.get(uri.toString());
  }

  dispose(): void {
    this.annotationType.dispose();
    this.rangeType.dispose();
    this.applied.clear();
  }
}

function memoryHover(entry: ReportAllocation): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  const name = entry.function.replace(/`/g, "'");
  if (entry.retainedBytes !== undefined) {
    md.appendMarkdown(`**Hotspots memory** · \`${name}\`: **${formatBytes(entry.retainedBytes)}** still held at the end (${entry.allocatedPercent}% of the sampled objects still alive; what it allocated and freed is not counted in this run)\n\n`);
  } else {
    md.appendMarkdown(`**Hotspots memory** · \`${name}\`: **${formatBytes(entry.allocatedBytes)}** allocated over the run (${entry.allocatedPercent}% of all sampled allocation)\n\n`);
  }
  md.appendMarkdown('V8 records allocations per function, not per line: the number is for the whole function, built-ins it called (`split`, `JSON.parse`, ...) included.\n\n');
  if (entry.callers?.length) {
    md.appendMarkdown('**Allocated when called from**\n\n');
    for (const caller of entry.callers.slice(0, 3)) {
      const where = `${caller.file.split(/[\\/]/).pop()}:${caller.line}`;
      md.appendMarkdown(`- \`${(caller.name || '(anonymous)').replace(/`/g, "'")}\` [${where}](${vscode.Uri.file(caller.file).with({ fragment: `L${caller.line}` }).toString()}) · ${formatBytes(caller.bytes)}\n`);
    }
  }
  return md;
}
