// Re-linting a document after an edit: top-level statements the edit did not touch keep their parsed
// trees (shifted to their new offsets); only the statements around the edit are parsed again. Scope
// analysis and rules still see the whole file, so findings equal a full lint (tested on random edits).
// Falls back to a full parse whenever reuse could differ from one: a parse error in the re-parsed part,
// or a boundary where automatic semicolon insertion could join statements.
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { visitorKeys } from '@typescript-eslint/visitor-keys';
import { lintWith, parseSource, type StatementCaches } from './engine';
import type { Finding, LintOptions } from './types';

type Node = TSESTree.Node;

interface Parsed { text: string; fileName: string; ast: TSESTree.Program }

/** Statements after which any following text starts a new statement (no ASI joining). */
function endsCleanly(statement: Node, text: string): boolean {
  if (text[statement.range[1] - 1] === ';') return true;
  const declaration = statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration' ? statement.declaration : statement;
  return !!declaration && (declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration'
    || declaration.type === 'TSInterfaceDeclaration' || declaration.type === 'TSModuleDeclaration' || declaration.type === 'TSEnumDeclaration');
}

function shift(root: Node, delta: number): void {
  if (delta === 0) return;
  const keysByType = visitorKeys as Record<string, readonly string[] | undefined>;
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    node.range = [node.range[0] + delta, node.range[1] + delta];
    for (const key of keysByType[node.type] ?? []) {
      const child = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(child)) {
        for (const item of child) if (item && typeof (item as Node).type === 'string') stack.push(item as Node);
      } else if (child && typeof (child as Node).type === 'string') {
        stack.push(child as Node);
      }
    }
  }
}

export type ParseKind = 'full' | 'incremental' | 'unchanged' | 'none';

export class IncrementalLinter {
  private previous: Parsed | null = null;
  private lastParseKind: ParseKind = 'none';
  /** Scope analyses, node buckets and names of interest of top-level statements: a reused statement keeps its own. */
  private readonly statementCaches: StatementCaches = { scopes: new WeakMap(), index: new WeakMap(), names: new WeakMap() };

  /** How the last lint parsed its text (for tests and the benchmark). */
  get lastParse(): ParseKind {
    return this.lastParseKind;
  }

  lint(text: string, options: LintOptions): Finding[] {
    this.lastParseKind = 'none';
    return lintWith(text, options, (source, fileName) => {
      const ast = this.parse(source, fileName);
      this.previous = { text: source, fileName, ast };
      return ast;
    }, this.statementCaches);
  }

  /** The tree of the last lint, when it was of exactly this text (for measureFindings, which needs one too). */
  treeOf(text: string, fileName: string): TSESTree.Program | undefined {
    const previous = this.previous;
    return previous && previous.text === text && previous.fileName === fileName ? previous.ast : undefined;
  }

  private parse(text: string, fileName: string): TSESTree.Program {
    const previous = this.previous;
    this.previous = null; // its nodes are about to be reused and shifted
    const reused = previous && previous.fileName === fileName ? this.reparse(previous, text, fileName) : null;
    if (reused) return reused;
    this.lastParseKind = 'full';
    return parseSource(text, fileName);
  }

  private reparse(previous: Parsed, text: string, fileName: string): TSESTree.Program | null {
    const old = previous.text;
    if (old === text) {
      this.lastParseKind = 'unchanged';
      return previous.ast;
    }
    let prefix = 0;
    const shortest = Math.min(old.length, text.length);
    while (prefix < shortest && old.charCodeAt(prefix) === text.charCodeAt(prefix)) prefix++;
    let suffix = 0;
    while (suffix < shortest - prefix && old.charCodeAt(old.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)) suffix++;
    const oldChangeEnd = old.length - suffix;
    const delta = text.length - old.length;
    const body = previous.ast.body as Node[];
    // Keep statements that end before the change (with a gap) and end cleanly; likewise after it.
    let before = 0;
    while (before < body.length && body[before].range[1] < prefix && endsCleanly(body[before], old)) before++;
    let after = body.length;
    while (after > before && body[after - 1].range[0] > oldChangeEnd) after--;
    const regionStart = before > 0 ? body[before - 1].range[1] : 0;
    const regionEndOld = after < body.length ? body[after].range[0] : old.length;
    const regionEndNew = regionEndOld + delta;
    if (regionEndNew < regionStart) return null;
    let region: TSESTree.Program;
    try {
      region = parseSource(text.slice(regionStart, regionEndNew), fileName);
    } catch {
      return null;
    }
    const reparsed = region.body as Node[];
    if (after < body.length && reparsed.length > 0 && !endsCleanly(reparsed[reparsed.length - 1], text.slice(regionStart, regionEndNew))) return null;
    if (after < body.length && reparsed.length === 0 && before > 0 && !endsCleanly(body[before - 1], old)) return null;
    for (const statement of reparsed) shift(statement, regionStart);
    const kept = body.slice(after);
    for (const statement of kept) shift(statement, delta);
    const program = previous.ast;
    program.body = [...body.slice(0, before), ...reparsed, ...kept] as TSESTree.ProgramStatement[];
    program.range = [0, text.length];
    this.lastParseKind = 'incremental';
    return program;
  }
}
