// lintText: parse once, walk once (setting parents and bucketing nodes by type; for acorn trees that is
// the walk that shapes them as typescript-estree's), then let each enabled rule look at the node types it
// asked for. Never throws: a parse error or a rule crash becomes a finding.
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { parse as acornParse } from 'acorn';
import { visitorKeys } from '@typescript-eslint/visitor-keys';
import { Analysis, DECLARING_NODE_TYPES, FUNCTION_TYPES, type StatementNamesCache, type StatementScopeCache } from './analysis';
import { typescriptEstreeParse } from './typescriptParser';

/** What the incremental linter keeps per top-level statement between lints of one document. */
export interface StatementCaches { scopes: StatementScopeCache; index: StatementIndexCache; names: StatementNamesCache }
import { RULES } from './registry';
import { debuggingAidEvidence } from './scale';
import type { Finding, Fix, LintOptions, OffsetFix, Rule, RuleContext, RuleReport, Severity } from './types';

export const DEFAULT_MAX_FILE_SIZE_KB = 1024;
export const SUPPRESSION_DIRECTIVE = 'hotspots-disable-next-line';
/** Node types the shared analysis looks up (awaits, exits from loops) whichever rules are enabled. */
const ANALYSIS_NODE_TYPES = ['AwaitExpression', 'YieldExpression', 'ForOfStatement', 'ReturnStatement', 'BreakStatement', 'ContinueStatement', 'LabeledStatement', 'VariableDeclaration', 'CallExpression', 'AssignmentExpression', ...FUNCTION_TYPES, ...DECLARING_NODE_TYPES];
const LINTABLE_EXTENSION = /\.(?:[cm]?[jt]sx?)$/i;

export function isLintableFile(fileName: string): boolean {
  return LINTABLE_EXTENSION.test(fileName) && !/\.d\.[cm]?ts$/i.test(fileName);
}

/** Rules enabled by `options.rules`, with the severity each reports at. */
export function enabledRules(settings: LintOptions['rules']): { rule: Rule; severity: Severity }[] {
  return RULES.flatMap(rule => {
    const setting = settings?.[rule.meta.id] ?? rule.meta.defaultSeverity;
    return setting === 'off' ? [] : [{ rule, severity: setting }];
  });
}

/**
 * Whether the text could hold a finding of `rule`: its trigger patterns (words every candidate
 * contains, such as `includes` and a loop keyword) all occur. Far cheaper than parsing.
 */
export function mayContainCandidate(text: string, rule: Rule): boolean {
  return rule.triggers.every(pattern => pattern.test(text));
}

export function mayContainCandidates(text: string, rules: readonly Rule[]): boolean {
  return rules.some(rule => mayContainCandidate(text, rule));
}

export function lintText(text: string, options: LintOptions): Finding[] {
  return lintWith(text, options, parseSource);
}

/** The parse step lintText uses; the incremental linter swaps in one that reuses unchanged statements. */
export type Parser = (text: string, fileName: string) => TSESTree.Program;

export function parseSource(text: string, fileName: string): TSESTree.Program {
  return (PLAIN_JS.test(fileName) ? parseJsFast(text) : null) ?? parseFull(text, fileName);
}

/** typescript-estree, for every file: the parser whose AST and errors lintText is defined by. */
export function parseFull(text: string, fileName: string): TSESTree.Program {
  return typescriptEstreeParse()(text, { loc: false, range: true, comment: false, tokens: false, jsx: usesJsx(fileName) });
}

const PLAIN_JS = /\.[cm]?js$/i;
const ACORN_OPTIONS = { ecmaVersion: 'latest', ranges: true, allowHashBang: true, allowReturnOutsideFunction: true, allowAwaitOutsideFunction: true, sourceType: 'module' } as const;

/**
 * Plain .js/.mjs/.cjs files: acorn builds the same ESTree several times faster than typescript-estree
 * (which parses as TypeScript, then converts). Null when acorn rejects the text (JSX, sloppy-mode code...): the caller then parses it with typescript-estree, which also words any parse error.
 */
export function parseJsFast(text: string): TSESTree.Program | null {
  let program: TSESTree.Program;
  try {
    // Module code only: it is strict, so acorn rejects what typescript-estree would report as an error
    // but sloppy-mode acorn accepts (legacy octal literals, `with`...).
    program = acornParse(text, ACORN_OPTIONS) as unknown as TSESTree.Program;
  } catch {
    return null;
  }
  return toTypescriptEstreeShape(program, text);
}

/** One frozen empty array for every default list: nothing writes them, and a fresh one per node is garbage. */
const NONE: readonly never[] = Object.freeze([]);
const NO_DECORATORS = { decorators: NONE, optional: false };
const CLASS_DEFAULTS = { abstract: false, declare: false, decorators: NONE, implements: NONE };
/** Fields typescript-estree sets on plain JavaScript nodes that acorn leaves out (scope analysis reads some). */
const TS_ESTREE_DEFAULTS: Record<string, Record<string, unknown>> = {
  VariableDeclaration: { declare: false },
  VariableDeclarator: { definite: false },
  Identifier: NO_DECORATORS,
  RestElement: NO_DECORATORS,
  ObjectPattern: NO_DECORATORS,
  ArrayPattern: NO_DECORATORS,
  AssignmentPattern: NO_DECORATORS,
  Property: { optional: false },
  FunctionExpression: { declare: false },
  FunctionDeclaration: { declare: false },
  ClassExpression: CLASS_DEFAULTS,
  ClassDeclaration: CLASS_DEFAULTS,
  MethodDefinition: { decorators: NONE, optional: false, override: false },
  PropertyDefinition: { declare: false, decorators: NONE, definite: false, optional: false, override: false, readonly: false },
  ExportNamedDeclaration: { exportKind: 'value' },
  ExportAllDeclaration: { exportKind: 'value' },
  ExportDefaultDeclaration: { exportKind: 'value' },
  ExportSpecifier: { exportKind: 'value' },
  ImportDeclaration: { importKind: 'value', phase: null },
  ImportSpecifier: { importKind: 'value' },
  ImportExpression: { phase: null },
};

/** Node types the walk after an acorn parse buckets: every type a rule or the shared analysis asks for. */
const INDEXED_TYPES: ReadonlySet<string> = new Set([...RULES.flatMap(rule => rule.nodeTypes), ...ANALYSIS_NODE_TYPES]);
/**
 * Node buckets built by parseJsFast's walk over a tree it returned, taken (once) by lintWith: the shape
 * conversion visits every node anyway, so it also sets parents and buckets nodes, and lint need not walk
 * the tree a second time.
 */
const PARSED_INDEX = Symbol('hotspots.parsedIndex');
type IndexedProgram = TSESTree.Program & { [PARSED_INDEX]?: Map<string, TSESTree.Node[]> };

/**
 * Makes acorn's tree what typescript-estree gives for the same JavaScript: its default fields (the
 * empty lists shared and frozen), template elements spanning their delimiters, the source type it
 * infers. The same walk sets `parent` on every node and buckets the INDEXED_TYPES nodes in source
 * order (for lintWith).
 */
function toTypescriptEstreeShape(program: TSESTree.Program, text: string): TSESTree.Program {
  const keysByType = visitorKeys as Record<string, readonly string[] | undefined>;
  const byType = new Map<string, TSESTree.Node[]>();
  const stack: TSESTree.Node[] = [program];
  let isModule = false;
  while (stack.length > 0) {
    const node = stack.pop() as TSESTree.Node & Record<string, unknown>;
    const type = node.type;
    const defaults = TS_ESTREE_DEFAULTS[type];
    if (defaults) {
      for (const key in defaults) {
        if (node[key] === undefined) node[key] = defaults[key];
      }
    }
    if (type === 'TemplateElement') {
      // typescript-estree: from the backtick or `}` to the closing backtick or `${`.
      const range = node.range;
      node.range = [range[0] - 1, range[1] + (text[range[1]] === '`' ? 1 : 2)];
    } else if (type === 'ImportDeclaration' || type === 'ExportNamedDeclaration' || type === 'ExportAllDeclaration' || type === 'ExportDefaultDeclaration') {
      isModule = true;
    }
    if (INDEXED_TYPES.has(type)) {
      const bucket = byType.get(type);
      if (bucket) bucket.push(node); else byType.set(type, [node]);
    }
    const keys = keysByType[type];
    if (keys) pushChildren(node, keys, stack);
  }
  (program as { sourceType: string }).sourceType = isModule ? 'module' : 'script';
  for (const bucket of byType.values()) inSourceOrder(bucket);
  // Not enumerable: the tree stays, as data, exactly typescript-estree's (a WeakMap costs the GC more).
  Object.defineProperty(program, PARSED_INDEX, { value: byType, configurable: true, writable: true });
  return program;
}

/** The node buckets parseJsFast built for this tree, once (a later call gets undefined). */
export function takeParsedIndex(ast: TSESTree.Program): Map<string, TSESTree.Node[]> | undefined {
  const index = (ast as IndexedProgram)[PARSED_INDEX];
  if (index) delete (ast as IndexedProgram)[PARSED_INDEX];
  return index;
}

/**
 * Sets `node` as the parent of its children and pushes them on the walk's stack, last key and last item
 * first, so that they come off the stack in pre-order (buckets then rarely need sorting).
 */
function pushChildren(node: TSESTree.Node, keys: readonly string[], stack: TSESTree.Node[]): void {
  for (let k = keys.length - 1; k >= 0; k--) {
    const child = (node as unknown as Record<string, unknown>)[keys[k]];
    if (Array.isArray(child)) {
      for (let i = child.length - 1; i >= 0; i--) {
        const item = child[i] as TSESTree.Node | null;
        if (item && typeof item.type === 'string') { (item as { parent: TSESTree.Node }).parent = node; stack.push(item); }
      }
    } else if (child && typeof (child as TSESTree.Node).type === 'string') {
      (child as { parent: TSESTree.Node }).parent = node;
      stack.push(child as TSESTree.Node);
    }
  }
}

/** Sorts nodes by start offset (stable: a parent before a child starting at the same offset), if needed. */
function inSourceOrder(bucket: TSESTree.Node[]): void {
  for (let i = 1; i < bucket.length; i++) {
    if (bucket[i].range[0] < bucket[i - 1].range[0]) {
      bucket.sort((a, b) => a.range[0] - b.range[0]);
      return;
    }
  }
}

export function usesJsx(fileName: string): boolean {
  return /\.[cm]?[jt]sx$|\.[cm]?js$/i.test(fileName);
}

/** `caches`: what an earlier lint of the same document found per top-level statement (incremental linter). */
export function lintWith(text: string, options: LintOptions, parser: Parser, caches?: StatementCaches): Finding[] {
  const fileName = options.fileName;
  const maxBytes = (options.maxFileSizeKb ?? DEFAULT_MAX_FILE_SIZE_KB) * 1024;
  if (text.length > maxBytes) {
    options.onNotice?.(`${fileName}: skipped, ${Math.round(text.length / 1024)} KB is above the ${Math.round(maxBytes / 1024)} KB lint limit`);
    return [];
  }
  const active = enabledRules(options.rules).filter(entry => mayContainCandidate(text, entry.rule));
  if (active.length === 0) return [];

  let ast: TSESTree.Program;
  try {
    ast = parser(text, fileName);
  } catch (error) {
    return [parseErrorFinding(text, fileName, error)];
  }
  // A tree fresh from parseJsFast comes with parents set and nodes bucketed; others are walked here.
  // The incremental linter (caches) walks anyway: its tree splices reused statements into the new parse,
  // and its per-statement index cache hands back the buckets of unchanged statements.
  const prebuilt = takeParsedIndex(ast);
  const nodesByType = prebuilt && !caches ? prebuilt
    : indexNodes(ast, new Set(active.flatMap(entry => entry.rule.nodeTypes).concat(ANALYSIS_NODE_TYPES)), caches?.index);
  const analysis = new Analysis(ast, text, nodesByType, caches?.scopes, caches?.names);
  const findings: Finding[] = [];
  for (const { rule, severity } of active) {
    const context: RuleContext = {
      text,
      analysis,
      report: report => findings.push(toFinding(report, rule, severity, analysis, fileName)),
    };
    try {
      for (const type of rule.nodeTypes) {
        for (const node of analysis.nodesOfType(type)) rule.visit(node, context);
      }
    } catch (error) {
      // A rule bug must not cost the user the other rules' findings, nor crash the editor.
      options.onNotice?.(`${fileName}: rule ${rule.meta.id} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return removeSuppressed(findings, text).sort((a, b) => a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId));
}

/**
 * Node buckets of top-level statements, kept by the incremental linter: a statement it reuses is the
 * same object with the same children (shifted), so its parents are still set and its buckets still hold.
 */
export type StatementIndexCache = WeakMap<TSESTree.Node, { key: string; byType: Map<string, TSESTree.Node[]> }>;

/**
 * One iterative walk: sets `parent` on every node and collects the node types rules asked for, in source
 * order. With `cache`, top-level statements indexed before (for the same node types) are not walked again.
 */
function indexNodes(ast: TSESTree.Program, wanted: ReadonlySet<string>, cache?: StatementIndexCache): Map<string, TSESTree.Node[]> {
  if (!cache) return indexTree(ast, wanted);
  const key = [...wanted].sort().join(',');
  const byType = new Map<string, TSESTree.Node[]>();
  if (wanted.has(ast.type)) byType.set(ast.type, [ast]);
  for (const statement of ast.body) {
    (statement as { parent: TSESTree.Node }).parent = ast;
    let entry = cache.get(statement);
    if (!entry || entry.key !== key) cache.set(statement, entry = { key, byType: indexTree(statement, wanted) });
    for (const [type, nodes] of entry.byType) {
      const bucket = byType.get(type);
      if (bucket) { for (const node of nodes) bucket.push(node); } else byType.set(type, nodes.slice());
    }
  }
  return byType;
}

/** Sets parents and buckets every node type a rule or the analysis asks for, as lintWith does (for tests). */
export function indexAll(ast: TSESTree.Program): Map<string, TSESTree.Node[]> {
  return indexTree(ast, INDEXED_TYPES);
}

function indexTree(root: TSESTree.Node, wanted: ReadonlySet<string>): Map<string, TSESTree.Node[]> {
  const byType = new Map<string, TSESTree.Node[]>();
  const stack: TSESTree.Node[] = [root];
  const keysByType = visitorKeys as Record<string, readonly string[] | undefined>;
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (wanted.has(node.type)) {
      let bucket = byType.get(node.type);
      if (!bucket) byType.set(node.type, bucket = []);
      bucket.push(node);
    }
    const keys = keysByType[node.type];
    if (keys) pushChildren(node, keys, stack);
  }
  // Source order, so findings and rules see nodes as written.
  for (const bucket of byType.values()) inSourceOrder(bucket);
  return byType;
}

function toFinding(report: RuleReport, rule: Rule, severity: Severity, analysis: Analysis, file: string): Finding {
  report = { ...report, evidence: debuggingAidEvidence(file, rule.meta.family, report.evidence) };
  const start = analysis.position(report.node.range[0]);
  const end = analysis.position(report.node.range[1]);
  return {
    file,
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
    ruleId: rule.meta.id,
    family: rule.meta.family,
    severity: report.evidence && !report.evidence.scales ? 'hint' : severity,
    message: report.message,
    ...(report.evidence ? { evidence: report.evidence.reason } : {}),
    fix: report.fix ? toLineColumnFix(report.fix, analysis) : null,
    suggestions: (report.suggestions ?? []).map(suggestion => toLineColumnFix(suggestion, analysis)),
  };
}

function toLineColumnFix(fix: OffsetFix, analysis: Analysis): Fix {
  return {
    description: fix.description,
    edits: fix.edits.map(edit => {
      const start = analysis.position(edit.start);
      const end = analysis.position(edit.end);
      return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column, text: edit.text };
    }),
  };
}

function parseErrorFinding(text: string, file: string, error: unknown): Finding {
  const details = error as { lineNumber?: number; column?: number; message?: string };
  const line = typeof details.lineNumber === 'number' && details.lineNumber > 0 ? details.lineNumber : 1;
  // typescript-estree reports a 0-based column.
  const column = typeof details.column === 'number' && details.column >= 0 ? details.column + 1 : 1;
  const lineText = text.split('\n', line)[line - 1] ?? '';
  return {
    file, line, column, endLine: line, endColumn: Math.max(column, lineText.length + 1),
    ruleId: 'parse-error', family: 'parse', severity: 'error',
    message: `Could not parse: ${(details.message ?? String(error)).split('\n')[0]}`,
    fix: null, suggestions: [],
  };
}

/** Drops findings on a line right after `// hotspots-disable-next-line <rule>[, <rule>...]` (no rule: all). */
function removeSuppressed(findings: Finding[], text: string): Finding[] {
  if (findings.length === 0 || !text.includes(SUPPRESSION_DIRECTIVE)) return findings;
  const lines = text.split('\n');
  return findings.filter(finding => {
    const previous = lines[finding.line - 2];
    if (previous === undefined) return true;
    const match = /\/\/\s*hotspots-disable-next-line\b(.*)$/.exec(previous) ?? /\/\*\s*hotspots-disable-next-line\b(.*?)\*\//.exec(previous);
    if (!match) return true;
    const listed = match[1].split(/[\s,]+/).filter(Boolean);
    return listed.length > 0 && !listed.includes(finding.ruleId);
  });
}

/** The text edit that inserts a suppression comment above a finding's line, keeping its indentation. */
export function suppressionEdit(text: string, finding: Pick<Finding, 'line' | 'ruleId'>): { line: number; column: number; endLine: number; endColumn: number; text: string } {
  const lineText = text.split('\n')[finding.line - 1] ?? '';
  const indent = /^[ \t]*/.exec(lineText)![0];
  return { line: finding.line, column: 1, endLine: finding.line, endColumn: 1, text: `${indent}// ${SUPPRESSION_DIRECTIVE} ${finding.ruleId}\n` };
}
