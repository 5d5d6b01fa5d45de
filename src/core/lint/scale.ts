// Whether a loop runs once per item of data that grows with the program's input: the evidence that puts
// a quadratic finding in the Problems panel. Most loops walk something whose size the code does not
// show (a parameter, one call's result, an object's keys); those findings stay hints. Evidence is:
// a work queue (the loop walks a collection it keeps adding to), the lines of a text, a directory
// listing, a parsed document, the rows of a query. Collections reached through an options or config
// object are configuration, sized by hand: they are never evidence, even in a pairwise scan.
// Only asked about findings (rare), so the text scans here cost nothing on files without one.
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { type Analysis, iteratedExpression, type LoopContext, memberName, methodCall } from './analysis';

type Node = TSESTree.Node;

export interface Scaling { scales: boolean; reason: string }

/** Calls whose result is data read from outside the program (sized by the input, not by the code). */
const READ_CALLS: ReadonlyMap<string, string> = new Map([
  ['readdirSync', 'a directory listing'], ['readdir', 'a directory listing'], ['globSync', 'a file glob'],
  ['matchAll', 'the matches of a pattern in a text'], ['querySelectorAll', 'the elements of a document'],
  ['getElementsByTagName', 'the elements of a document'], ['getElementsByClassName', 'the elements of a document'],
]);
/** Array methods whose result is (part of) their receiver: `lines.filter(f).map(g)` still walks the lines. */
const DERIVING_METHODS: ReadonlySet<string> = new Set(['filter', 'map', 'slice', 'flat', 'flatMap', 'reverse', 'sort', 'toSorted', 'toReversed', 'entries', 'keys', 'values']);
/** Words of a name that mean configuration: a collection set by hand, a few entries. */
const CONFIGURATION_WORDS: ReadonlySet<string> = new Set(['option', 'options', 'opts', 'config', 'configs', 'configuration', 'settings', 'plugins', 'presets', 'interceptors', 'middlewares']);
/** Words of a name that mean the parts of one thing (one call, one declaration, one path): a few by construction. */
const PART_WORDS: ReadonlySet<string> = new Set(['groups', 'categories', 'frames', 'segments', 'parts', 'args', 'arguments', 'params', 'parameters', 'directives', 'aliases', 'headers', 'hooks', 'columns', 'fields', 'attributes', 'attrs', 'constraints']);

function escaped(name: string): string {
  return name.replace(/\$/g, '\\$');
}

/** `x.split('\n')`, `x.split(/\r?\n/)`, `x.split(EOL)`: the lines of a text. */
function splitsLines(call: TSESTree.CallExpression): boolean {
  const separator = call.arguments[0];
  if (!separator) return false;
  if (separator.type === 'Literal') {
    if (typeof separator.value === 'string') return separator.value.includes('\n');
    return 'regex' in separator && !!separator.regex && /\\n|\\r|\\s/.test(separator.regex.pattern);
  }
  return separator.type === 'Identifier' && separator.name === 'EOL' || separator.type === 'MemberExpression' && memberName(separator) === 'EOL';
}

/** What input `expression` (or the variable it names, one assignment back) holds, when it is read or parsed data. */
export function inputDataOf(analysis: Analysis, expression: Node | null | undefined, hops = 2): string | null {
  let current = expression;
  while (current) {
    if (current.type === 'AwaitExpression') { current = current.argument; continue; }
    if (current.type === 'TSAsExpression' || current.type === 'TSNonNullExpression' || current.type === 'ChainExpression') { current = current.expression; continue; }
    if (current.type === 'MemberExpression') {
      // A collection inside read data (`JSON.parse(text).items`), or a query result's rows.
      if (current.computed) return null;
      if (memberName(current) === 'rows') return 'the rows of a query result';
      current = current.object;
      continue;
    }
    if (current.type === 'Identifier') {
      const variable = hops > 0 ? analysis.resolve(current) : null;
      const declared = variable ? analysis.declaratorOf(variable) : null;
      if (!declared || declared.kind !== 'const' && variable!.references.some(reference => reference.isWrite() && !reference.init)) return null;
      return inputDataOf(analysis, declared.declarator.init, hops - 1);
    }
    if (current.type !== 'CallExpression') return null;
    const call = methodCall(current);
    const callee = call ? call.method : current.callee.type === 'Identifier' ? current.callee.name : null;
    if (callee === null) return null;
    if (callee === 'split') return splitsLines(current) ? 'the lines of a text' : null;
    if (callee === 'parse' && call?.receiver.type === 'Identifier' && call.receiver.name === 'JSON') return 'a parsed JSON document';
    const read = READ_CALLS.get(callee);
    if (read) return read;
    if (call && call.receiver.type === 'Identifier' && call.receiver.name === 'Object' && /^(?:keys|values|entries)$/.test(callee)) {
      current = current.arguments[0];
      continue;
    }
    if (call && (DERIVING_METHODS.has(callee) || callee === 'from' && call.receiver.type === 'Identifier' && call.receiver.name === 'Array')) {
      current = callee === 'from' ? current.arguments[0] : call.receiver;
      continue;
    }
    return null;
  }
  return null;
}

/** `q.length`, `q.length > 0`, `q.length !== 0`, `0 < q.length`: a test that the array `q` is not empty. */
function nonEmptyTestOf(test: Node): TSESTree.Identifier | null {
  const lengthOf = (side: Node) => side.type === 'MemberExpression' && memberName(side) === 'length' && side.object.type === 'Identifier' ? side.object : null;
  if (test.type !== 'BinaryExpression') return lengthOf(test);
  const zero = (side: Node) => side.type === 'Literal' && side.value === 0;
  if (zero(test.right) && /^(?:>|!==?)$/.test(test.operator)) return lengthOf(test.left);
  if (zero(test.left) && /^(?:<|!==?)$/.test(test.operator)) return lengthOf(test.right);
  return null;
}

/**
 * The array a loop consumes while adding to it (a work queue): `while (q.length) { q.shift()/pop(); q.push(...) }`.
 * Not `while (q.length < 8) q.unshift('')`: that fills to a fixed size.
 */
function workQueueOf(analysis: Analysis, loop: LoopContext): TSESTree.Identifier | null {
  const node = loop.node;
  if (loop.kind !== 'statement') return null;
  const grows = (name: string, body: Node) => new RegExp(`(?<![\\w$.])${escaped(name)}\\s*\\.\\s*(?:push|unshift)\\b`).test(analysis.source(body));
  if (node.type === 'WhileStatement' || node.type === 'DoWhileStatement') {
    const queue = nonEmptyTestOf(node.test);
    const consumed = queue && new RegExp(`(?<![\\w$.])${escaped(queue.name)}\\s*\\.\\s*(?:shift|pop|splice)\\b`).test(analysis.source(node.body));
    return queue && consumed && grows(queue.name, node.body) ? queue : null;
  }
  // `for (i = 0; i < q.length; i++) q.push(...)` also visits what it appends, but on real code (a union's
  // members, a container's entries) it is mostly a closure over a few items: not evidence on its own.
  return null;
}

/** Evidence that `loop` runs once per item of data that grows with the input; null when nothing shows it. */
export function loopScale(analysis: Analysis, loop: LoopContext): Scaling | null {
  const queue = workQueueOf(analysis, loop);
  if (queue && !configurationName(analysis, queue)) {
    return { scales: true, reason: `a work queue: the loop runs once per item it discovers (\`${queue.name}\` grows inside it)` };
  }
  const walked = iteratedExpression(loop);
  const input = inputDataOf(analysis, walked);
  if (input && !configurationName(analysis, walked)) return { scales: true, reason: `the loop walks ${input}` };
  return null;
}

/** The first of `loops` (innermost first) with evidence that it scales. */
export function firstScalingLoop(analysis: Analysis, loops: readonly LoopContext[]): Scaling | null {
  for (const loop of loops) {
    const scaling = loopScale(analysis, loop);
    if (scaling) return scaling;
  }
  return null;
}

/** The words of a camelCase / snake_case name, lower case: `restOptionsArray` → rest, options, array. */
function wordsOf(name: string): string[] {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(/[\s_$]+/).map(word => word.toLowerCase()).filter(Boolean);
}

const isSmallWord = (word: string) => CONFIGURATION_WORDS.has(word) || PART_WORDS.has(word);

/**
 * The configuration (or parts-of-one-thing) name `expression` is reached through (`this.options.global`, `config.plugins`,
 * `restOptionsArray`), or through the variable it was assigned from; null when none.
 */
export function configurationName(analysis: Analysis, expression: Node | null | undefined, hops = 1): string | null {
  let current = expression;
  while (current) {
    if (current.type === 'MemberExpression') {
      const name = memberName(current);
      if (name !== null && wordsOf(name).some(isSmallWord)) return analysis.source(current);
      current = current.object;
    } else if (current.type === 'CallExpression') {
      current = current.callee;
    } else if (current.type === 'LogicalExpression') {
      return configurationName(analysis, current.left, hops) ?? configurationName(analysis, current.right, hops);
    } else if (current.type === 'TSAsExpression' || current.type === 'TSNonNullExpression' || current.type === 'ChainExpression') {
      current = current.expression;
    } else if (current.type === 'Identifier') {
      if (wordsOf(current.name).some(isSmallWord)) return current.name;
      if (hops === 0) return null;
      const variable = analysis.resolve(current);
      const declared = variable ? analysis.declaratorOf(variable) : null;
      return declared ? configurationName(analysis, declared.declarator.init, hops - 1) : null;
    } else {
      return null;
    }
  }
  return null;
}

/** The reason a finding over a configuration (or parts) collection is a hint. */
export function configurationReason(name: string): Scaling {
  return wordsOf(name.slice(name.lastIndexOf('.') + 1)).some(word => PART_WORDS.has(word))
    ? { scales: false, reason: `\`${name}\` names the parts of one thing (a few by construction, not sized by the input)` }
    : { scales: false, reason: `\`${name}\` is configuration: its size is set by hand, not by the input` };
}

/**
 * A file whose name (or folder) says it is a debugging aid: `debug-helpers.js`, `debugger/devToolsLogger.js`,
 * `_debug_node-chunk.mjs`. Only the last two path segments count (a project may live under ~/debug/).
 */
export function isDebuggingAid(file: string): boolean {
  return /(?:^|[\\/._-])(?:debug|devtools?)/i.test(file.split(/[\\/]/).slice(-2).join('/'));
}

/** Quadratic findings in a debugging aid are hints: that code runs when someone debugs, not in production. */
export function debuggingAidEvidence(file: string, family: string, evidence: Scaling | undefined): Scaling | undefined {
  if (family !== 'quadratic' || !evidence?.scales || !isDebuggingAid(file)) return evidence;
  return { scales: false, reason: `${evidence.reason}; but this file is a debugging aid (its name says so), rarely run` };
}
