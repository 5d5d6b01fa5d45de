// Light, tolerant reading of source text around a function: where it ends, which lines call what.
// A CPU profile names functions and their first line only; it never says which line of a caller made
// a call, nor where a function ends. These scans answer both well enough for attribution (userLines,
// inlined-tick recovery) without a parser; callers treat every answer as "found" or "not found".
import * as fs from 'node:fs';

/** Source lines of files, read once each (undefined when a file cannot be read). */
export class SourceCache {
  private readonly files = new Map<string, string[] | undefined>();

  lines(file: string): string[] | undefined {
    if (this.files.has(file)) return this.files.get(file);
    let lines: string[] | undefined;
    try {
      lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
    } catch {
      lines = undefined;
    }
    this.files.set(file, lines);
    return lines;
  }
}

/**
 * 1-based last line of the function starting at `startLine` (1-based): the line of the `}` matching the
 * first `{` from its start, skipping strings and comments. A function without braces (an arrow with an
 * expression body) ends on its first line. Undefined when the braces never balance.
 */
export function functionEndLine(lines: readonly string[], startLine: number, startColumn = 0): number | undefined {
  // A function said to start before the first line (a foreign profile's -1) has no text to scan.
  if (startLine < 1) return undefined;
  let depth = 0;
  let opened = false;
  let quote = '';
  let blockComment = false;
  for (let l = startLine - 1; l < lines.length; l++) {
    const text = lines[l];
    for (let c = l === startLine - 1 ? Math.max(0, startColumn) : 0; c < text.length; c++) {
      const ch = text[c];
      if (blockComment) {
        if (ch === '*' && text[c + 1] === '/') { blockComment = false; c++; }
        continue;
      }
      if (quote) {
        if (ch === '\\') c++;
        else if (ch === quote) quote = '';
        continue;
      }
      if (ch === '/' && text[c + 1] === '/') break;
      if (ch === '/' && text[c + 1] === '*') { blockComment = true; c++; continue; }
      if (ch === '"' || ch === "'" || ch === '`') { quote = ch; continue; }
      if (ch === '{') { depth++; opened = true; }
      else if (ch === '}') {
        depth--;
        if (opened && depth === 0) return l + 1;
      } else if (!opened && (ch === ';' || (ch === ',' && depth === 0)) && l > startLine - 1) return l + 1;
    }
    // Template literals and strings in plain JavaScript do not span lines except template literals.
    if (quote && quote !== '`') quote = '';
    if (!opened && l >= startLine + 1) return startLine;
  }
  return undefined;
}

/**
 * Whether a profile's function is a module's top-level code: V8 reports it anonymous at 1:1, Chrome's
 * traces also before the first line (line number -1 there, 0 here).
 */
export function isModuleCode(name: string, startLine: number, startColumn = 0): boolean {
  return (name === '' || name === '(anonymous)') && startLine <= 1 && startColumn <= 0;
}

/** Last line of a function, or of the whole file for a module's top-level code. */
export function lastLineOf(lines: readonly string[], name: string, startLine: number, startColumn = 0): number {
  if (isModuleCode(name, startLine, startColumn)) return lines.length;
  return functionEndLine(lines, startLine, startColumn) ?? lines.length;
}

/** 1-based lines in [from, to] where `name` is called: `name(`, `.name(`, `new name(`, `name.call(`. */
export function linesCalling(lines: readonly string[], from: number, to: number, name: string): number[] {
  if (!/^[\w$]+$/.test(name)) return [];
  const call = new RegExp(`(^|[^\\w$])${name.replace(/\$/g, '\\$')}\\s*(\\(|\\.call\\(|\\.apply\\(|\`)`);
  const found: number[] = [];
  for (let l = Math.max(1, from); l <= Math.min(lines.length, to); l++) if (call.test(stripComment(lines[l - 1]))) found.push(l);
  return found;
}

/** 1-based lines in [from, to] that use one of `names` (an imported binding): `name.`, `name(`, `name[`. */
export function linesUsing(lines: readonly string[], from: number, to: number, names: readonly string[]): number[] {
  const usable = names.filter(name => /^[\w$]+$/.test(name));
  if (usable.length === 0) return [];
  const use = new RegExp(`(^|[^\\w$.])(${usable.map(name => name.replace(/\$/g, '\\$')).join('|')})\\s*[.([\`]`);
  const found: number[] = [];
  for (let l = Math.max(1, from); l <= Math.min(lines.length, to); l++) if (use.test(stripComment(lines[l - 1]))) found.push(l);
  return found;
}

/**
 * Names a file binds to a package: `const _ = require('lodash')`, `const { sortBy } = require('lodash')`,
 * `import _ from 'lodash'`, `import * as _ from 'lodash'`, `import { sortBy as s } from 'lodash'`
 * (also subpaths such as 'lodash/fp').
 */
export function bindingsOfPackage(lines: readonly string[], packageName: string): string[] {
  const names = new Set<string>();
  const quoted = `['"]${packageName.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(?:/[^'"]*)?['"]`;
  const requireRe = new RegExp(`(?:const|let|var)\\s+([\\w$]+|\\{[^}]*\\})\\s*=\\s*require\\(\\s*${quoted}\\s*\\)`);
  const importRe = new RegExp(`import\\s+(.+?)\\s+from\\s+${quoted}`);
  for (const text of lines) {
    const match = requireRe.exec(text) ?? importRe.exec(text);
    if (!match) continue;
    for (const part of match[1].replace(/[{}]/g, ',').split(',')) {
      const name = part.trim().replace(/^\*\s+as\s+/, '').split(/\s+as\s+|\s*:\s*/).pop()!.trim();
      if (name && name !== 'type') names.add(name);
    }
  }
  return [...names];
}

function stripComment(text: string): string {
  const at = text.indexOf('//');
  return at >= 0 ? text.slice(0, at) : text;
}

/** A function declared in source: `function name(`, `name(...) {` (method), `name = function` / arrow. */
const DECLARATION = /(?:function\s*\*?\s*([\w$]+)\s*\(|^\s*(?:async\s+|static\s+|get\s+|set\s+)*([\w$]+)\s*\([^)]*\)\s*\{|([\w$]+)\s*[:=]\s*(?:async\s+)?(?:function\b|\([^)]*\)\s*=>|[\w$]+\s*=>))/;

/**
 * The innermost function declared around 1-based `line`, found by walking up to a declaration whose
 * body reaches the line. Undefined when none is found.
 */
export function enclosingFunction(lines: readonly string[], line: number): { name: string; startLine: number; endLine: number } | undefined {
  for (let l = Math.min(line, lines.length); l >= 1; l--) {
    const match = DECLARATION.exec(stripComment(lines[l - 1]));
    if (!match) continue;
    const name = match[1] ?? match[2] ?? match[3];
    if (!name || /^(if|for|while|switch|catch|with|return)$/.test(name)) continue;
    const endLine = functionEndLine(lines, l, match.index);
    if (endLine !== undefined && endLine >= line) return { name, startLine: l, endLine };
  }
  return undefined;
}

/** Names a file binds to code it generates: `const validate = new Function(...)`, `= eval(...)`. */
export function bindingsOfGeneratedCode(lines: readonly string[]): string[] {
  const names = new Set<string>();
  const pattern = /(?:const|let|var)\s+([\w$]+)\s*=\s*(?:new\s+Function\b|Function\(|eval\(|vm\.compileFunction\(|new\s+vm\.Script\b)/;
  for (const text of lines) {
    const match = pattern.exec(text);
    if (match) names.add(match[1]);
  }
  return [...names];
}
