// Follows profiled lines through the user's edits, so stale heat stays on the code it was measured on
// (or disappears with deleted lines) instead of pointing at whatever now sits at the old line number.
// Pure: fed with the same facts as vscode.TextDocumentContentChangeEvent.

export interface LineEdit {
  /** 0-based range replaced, in the document as it was before this edit. */
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
  text: string;
}

export class LineTracker {
  /** original 1-based line → current 1-based line; missing = line deleted or rewritten. */
  private readonly current = new Map<number, number>();
  private readonly deleted = new Set<number>();

  currentLine(originalLine: number): number | undefined {
    if (this.deleted.has(originalLine)) return undefined;
    return this.current.get(originalLine) ?? originalLine;
  }

  /** Applies one edit to every tracked line (`originalLines`: the lines that have heat). */
  apply(edit: LineEdit, originalLines: Iterable<number>): void {
    const spansLines = edit.endLine > edit.startLine;
    const delta = (edit.text.match(/\n/g) ?? []).length - (edit.endLine - edit.startLine);
    for (const original of originalLines) {
      const line = this.currentLine(original);
      if (line === undefined) continue;
      const at = line - 1; // 0-based
      if (at < edit.startLine) continue;
      if (at > edit.endLine) {
        this.current.set(original, line + delta);
      } else if (at === edit.endLine && spansLines && edit.endCharacter === 0) {
        // Everything before this line was replaced; its own text is untouched and follows the new text.
        this.current.set(original, line + delta);
      } else if (at === edit.startLine && !spansLines) {
        // Text inserted at the very start of a line that ends in a line break pushes the line down;
        // any other edit within one line changes that line in place.
        const pushedDown = edit.startCharacter === 0 && edit.endCharacter === 0 && edit.text.endsWith('\n');
        if (pushedDown) this.current.set(original, line + delta);
      } else if (at === edit.startLine && edit.startCharacter > 0) {
        // The line keeps its beginning (and gets the rest of the replacement): edited in place.
      } else {
        this.deleted.add(original); // removed, or merged into the start line of a multi-line replacement
      }
    }
  }
}
