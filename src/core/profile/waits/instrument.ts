// Load-time instrumentation of `await` sites in the user's files (bundled with acorn into
// dist/awaitInstrumenter.js, loaded by the preload and the ESM hooks only when waits are measured).
//
// Only insertions, never a newline: every line keeps its number, so CPU lines and source maps stay valid
// (an inline map for error stack traces, see stackTraceMap.ts, may follow the last line).
//   await X                →  __hsW.e(__hsI, await __hsW.s(__hsI, __hsb + K, X))
//   for await (... of X)   →  for await (... of __hsW.it(__hsI, __hsb + K, X))
//   async function body    →  const __hsI = __hsW.n();   (after its directives; arrows get a block)
//   the file               →  var __hsW = <recorder>, __hsb = __hsW.file(url, sites), __hsI = __hsW.n();
// `__hsI` is the async function invocation the await suspends; `__hsb + K` the site's global id. The exact
// text added inside functions is in addedText.ts (Function.prototype.toString takes it back out).
import { parse, tokenizer } from 'acorn';
import { ADDED } from './addedText';
import { SOURCE_MAP_COMMENT, WAIT_RECORDER_EXPRESSION } from './recording';
import { identitySourceMap, shiftedSourceMap, type RawSourceMap } from './stackTraceMap';
import { withInlineSourceMap } from '../transpile';

export interface InstrumentedCode {
  code: string;
  /** 0-based line and column of each site in the code given (before instrumentation), flat pairs. */
  sites: number[];
  /** Name of the function around each site ('(top level)' outside functions). */
  names: string[];
}

interface AstNode {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

interface Insertion {
  at: number;
  text: string;
  /** Openings before closings at one position: outer openings first, inner closings first. */
  opening: boolean;
  depth: number;
}

export interface InstrumentOptions {
  /** The code has a source map that is not referenced from it (TypeScript the loader hooks transpiled). */
  mapped?: boolean;
  /**
   * End the code with an inline source map that takes the added text back out of error stack traces:
   * `base` (the map of transpiled code) with its columns moved, or without one a map to the file itself.
   */
  stackTraceMap?: { base?: RawSourceMap };
}

/** Offsets at which each line of `code` starts. */
function lineStarts(code: string): number[] {
  const starts = [0];
  for (let at = code.indexOf('\n'); at >= 0; at = code.indexOf('\n', at + 1)) starts.push(at + 1);
  return starts;
}

/** Flat [line0, column0, length] of each insertion, in the order they are made (see WaitRecording.inserted). */
function insertedText(insertions: readonly Insertion[], starts: readonly number[]): number[] {
  const flat: number[] = [];
  let line = 0;
  for (const insertion of insertions) {
    while (line + 1 < starts.length && starts[line + 1] <= insertion.at) line++;
    flat.push(line, insertion.at - starts[line], insertion.text.length);
  }
  return flat;
}

/** Quick test that a file has anything to instrument (most files do not await). */
export function mayContainAwait(code: string): boolean {
  return code.includes('await');
}

/**
 * Instruments `code` (a whole CommonJS or ES module file). Throws on syntax acorn does not parse
 * (JSX, Flow, proposals): the caller then loads the file as it is.
 */
export function instrumentAwaits(code: string, url: string, module: boolean, options: InstrumentOptions = {}): InstrumentedCode | null {
  const program = parse(code, {
    ecmaVersion: 'latest',
    sourceType: module ? 'module' : 'script',
    allowHashBang: true,
    allowReturnOutsideFunction: !module,
    allowAwaitOutsideFunction: module,
    locations: true,
  }) as unknown as AstNode;
  const insertions: Insertion[] = [];
  const sites: number[] = [];
  const instrumentedFunctions = new Set<AstNode>();
  const functionStack: AstNode[] = [];
  const names: string[] = [];
  const functionNames = new Map<AstNode, string>();

  const addSite = (node: AstNode): number => {
    const loc = node.loc as { start: { line: number; column: number } };
    sites.push(loc.start.line - 1, loc.start.column);
    const fn = functionStack[functionStack.length - 1];
    names.push(fn ? functionNames.get(fn) ?? '(anonymous)' : '(top level)');
    return sites.length / 2 - 1;
  };
  const markFunction = (): void => {
    const fn = functionStack[functionStack.length - 1];
    if (fn) instrumentedFunctions.add(fn);
  };

  const visit = (node: AstNode, depth: number, parent: AstNode | null): void => {
    const isFunction = node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression';
    if (isFunction) {
      functionStack.push(node);
      functionNames.set(node, functionName(node, parent));
    }
    if (node.type === 'AwaitExpression') {
      const argument = node.argument as AstNode;
      const site = addSite(node);
      markFunction();
      insertions.push({ at: node.start, text: ADDED.resumed, opening: true, depth });
      insertions.push({ at: argument.start, text: ADDED.started(site), opening: true, depth: depth + 1 });
      insertions.push({ at: argument.end, text: ADDED.close, opening: false, depth: depth + 1 });
      insertions.push({ at: node.end, text: ADDED.close, opening: false, depth });
    } else if (node.type === 'ForOfStatement' && node.await === true) {
      const right = node.right as AstNode;
      const site = addSite(node);
      markFunction();
      insertions.push({ at: right.start, text: ADDED.iterated(site), opening: true, depth: depth + 1 });
      insertions.push({ at: right.end, text: ADDED.close, opening: false, depth: depth + 1 });
    }
    for (const key in node) {
      if (key === 'loc' || key === 'start' || key === 'end') continue;
      const value = node[key];
      if (Array.isArray(value)) {
        for (const child of value) if (isNode(child)) visit(child, depth + 2, node);
      } else if (isNode(value)) visit(value, depth + 2, node);
    }
    if (isFunction) {
      functionStack.pop();
      if (instrumentedFunctions.has(node)) insertions.push(...invocationStart(code, node, depth + 1));
    }
  };
  visit(program, 0, null);
  if (sites.length === 0) return null;

  const body = program.body as AstNode[];
  const directives = body.filter(statement => typeof statement.directive === 'string');
  const lastDirective = directives.length > 0 ? directives[directives.length - 1] : undefined;
  const prologueAt = lastDirective ? lastDirective.end : body[0]?.start ?? code.length;
  const header = (inserted: number[] | null): string =>
    `${lastDirective ? endOfDirective(code, lastDirective) : ''}var __hsW=${WAIT_RECORDER_EXPRESSION},__hsb=__hsW.file(${JSON.stringify(url)},${JSON.stringify(sites)},${JSON.stringify(names)}${inserted ? `,${JSON.stringify(inserted)}` : ''}),__hsI=__hsW.n();`;
  const headerInsertion: Insertion = { at: prologueAt, text: header(null), opening: true, depth: -1 };
  insertions.push(headerInsertion);
  insertions.sort((a, b) => a.at - b.at || (a.opening === b.opening ? (a.opening ? a.depth - b.depth : b.depth - a.depth) : a.opening ? 1 : -1));
  let starts: number[] | undefined;
  const lineStartsOfCode = (): number[] => (starts ??= lineStarts(code));
  if (options.mapped || SOURCE_MAP_COMMENT.test(code)) {
    // The file's source map describes it as it is on disk: the report needs to know where text was added
    // to find, from a column V8 reports, the column the map knows. The list holds the header's own length,
    // which holds the list: a few rounds until the length stops changing.
    for (let round = 0; round < 5; round++) {
      const text = header(insertedText(insertions, lineStartsOfCode()));
      const settled = text.length === headerInsertion.text.length;
      headerInsertion.text = text;
      if (settled) break;
    }
  }
  const pieces: string[] = [];
  let last = 0;
  for (const insertion of insertions) {
    pieces.push(code.slice(last, insertion.at), insertion.text);
    last = insertion.at;
  }
  pieces.push(code.slice(last));
  if (options.stackTraceMap) {
    const inserted = insertedText(insertions, lineStartsOfCode());
    const { base } = options.stackTraceMap;
    return { code: withInlineSourceMap(pieces.join(''), base ? shiftedSourceMap(base, inserted) : identitySourceMap(code, url, inserted)), sites, names };
  }
  return { code: pieces.join(''), sites, names };
}

/** Declares the invocation at the start of an async function's body (after its directives). */
function invocationStart(code: string, fn: AstNode, depth: number): Insertion[] {
  const body = fn.body as AstNode;
  if (body.type !== 'BlockStatement') {
    // acorn leaves out the parentheses around an expression body (`async id => ({ id, row: await load(id) })`):
    // the block must go around them, from the `=>` to the arrow's own end.
    const parenthesized = fn.end > body.end;
    return [
      { at: parenthesized ? arrowTokenEnd(code, fn.start, body.start) : body.start, text: ADDED.arrowBodyOpen, opening: true, depth },
      { at: parenthesized ? fn.end : body.end, text: ADDED.arrowBodyClose, opening: false, depth },
    ];
  }
  let at = body.start + 1;
  for (const statement of body.body as AstNode[]) {
    if (typeof statement.directive !== 'string') break;
    at = statement.end;
  }
  return [{ at, text: ADDED.invocation, opening: true, depth }];
}

/** Where the `=>` of the arrow function between `from` and `to` ends. */
function arrowTokenEnd(code: string, from: number, to: number): number {
  let end = -1;
  for (const token of tokenizer(code.slice(from, to), { ecmaVersion: 'latest' })) {
    if (token.type.label === '=>') end = from + token.end;
  }
  if (end < 0) throw new Error('the arrow of an async arrow function was not found');
  return end;
}

/**
 * What ends the file's last directive before the header is added right after it: `'use strict'` written
 * without a semicolon ends at the line break (ASI), and a statement added on its line would join it.
 */
function endOfDirective(code: string, directive: AstNode): string {
  return code[directive.end - 1] === ';' ? '' : ';';
}

/** The name a function is known by: its own, or the variable, property or method it is assigned to. */
function functionName(fn: AstNode, parent: AstNode | null): string {
  const own = (fn.id as { name?: string } | null)?.name;
  if (own) return own;
  if (!parent) return '(anonymous)';
  const named = (parent.type === 'VariableDeclarator' ? parent.id : parent.type === 'AssignmentExpression' ? parent.left : parent.key) as AstNode | undefined;
  if (named?.type === 'Identifier') return named.name as string;
  if (named?.type === 'MemberExpression' && (named.property as AstNode).type === 'Identifier') return (named.property as AstNode).name as string;
  return '(anonymous)';
}

function isNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && typeof (value as AstNode).type === 'string';
}
