// The line range of a function from its first line: where allocations of a function are shown (editor)
// and which lint findings lie inside an allocating function (`lint --profile`).

/**
 * 0-based last line of the function starting on `startLine`: the line where the braces opened from the
 * function's first `{` are balanced again (strings and comments are skipped roughly); the start line for
 * a body without braces (`x => x * 2`).
 */
export function functionEndLine(document: { lineCount: number; lineAt(line: number): { text: string } }, startLine: number): number {
  let depth = 0;
  let opened = false;
  let quote: string | null = null;
  for (let line = startLine; line < document.lineCount; line++) {
    const text = document.lineAt(line).text;
    for (let i = 0; i < text.length; i++) {
      const char = text[i];
      if (quote) {
        if (char === '\\') i++;
        else if (char === quote) quote = null;
        continue;
      }
      if (char === '/' && text[i + 1] === '/') break;
      if (char === '"' || char === "'" || char === '`') quote = char;
      else if (char === '{') { depth++; opened = true; }
      else if (char === '}' && --depth === 0 && opened) return line;
    }
    // Template literals may span lines; other quotes end with the line.
    if (quote !== '`') quote = null;
    if (!opened && line > startLine + 3) return startLine;
  }
  return startLine;
}
