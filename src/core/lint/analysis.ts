// Facts about one parsed file that several rules need: parents, enclosing loops, what a name refers to,
// whether an array is mutated or escapes, where a statement can be inserted. Scope analysis is the
// expensive part, so it is computed only when a rule first asks (most files have no candidate at all),
// and only of what the question needs: the innermost function that declares the name asked about, with
// whatever does not mention that name left out (the whole file only for module-level and global names).
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { analyze, type Reference, type ScopeManager, type Variable } from '@typescript-eslint/scope-manager';
import { visitorKeys } from '@typescript-eslint/visitor-keys';

type Node = TSESTree.Node;

/** Array methods that take a per-element callback: a callback passed to one runs once per element. */
export const ITERATION_METHODS: ReadonlySet<string> = new Set([
  'forEach', 'map', 'filter', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex', 'findLast',
  'findLastIndex', 'flatMap', 'sort', 'toSorted',
]);
/** Methods that neither change an array nor let it escape (they only read it). */
const READ_METHODS: ReadonlySet<string> = new Set([
  'includes', 'indexOf', 'lastIndexOf', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex',
  'filter', 'map', 'forEach', 'reduce', 'reduceRight', 'slice', 'join', 'concat', 'at', 'entries', 'keys',
  'values', 'flat', 'flatMap', 'toString', 'toSorted', 'toReversed', 'toSpliced', 'with',
]);
const MUTATING_METHODS: ReadonlySet<string> = new Set([
  'push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin',
]);
/**
 * Methods only arrays have (strings have includes/indexOf/slice/concat/at too, so those prove nothing).
 * Queue operations (push/pop/shift/unshift/splice) are left out: O(1) queues (denque, FixedQueue,
 * linked lists) have them too, so a `.shift()` call is no evidence that its receiver is an Array.
 */
const ARRAY_ONLY_METHODS: ReadonlySet<string> = new Set([
  'map', 'filter', 'forEach', 'reduce', 'reduceRight', 'some',
  'every', 'find', 'findIndex', 'join', 'sort', 'reverse', 'flat', 'flatMap', 'fill',
]);
const ARRAY_RETURNING_METHODS: ReadonlySet<string> = new Set([
  'map', 'filter', 'slice', 'concat', 'flat', 'flatMap', 'toSorted', 'toReversed', 'toSpliced', 'splice',
]);
/** Words one of which any loop or per-element callback contains (for the rules' pre-filter triggers). */
export const LOOP_WORDS = /\b(?:for|while|do|forEach|map|filter|reduce|reduceRight|some|every|find|findIndex|findLast|findLastIndex|flatMap|sort|toSorted|from)\b/;

/** Methods whose receiver a rule resolves (lookups and queue operations). */
const RESOLVED_RECEIVER_METHODS: ReadonlySet<string> = new Set(['includes', 'indexOf', 'lastIndexOf', 'some', 'find', 'findIndex', 'filter', 'shift', 'unshift']);
export const FUNCTION_TYPES = ['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression'];

/** Literal arrays at most this long, never modified, are constants: a lookup in them is cheap. */
export const SMALL_ARRAY_LIMIT = 16;

export type ArrayEvidence = 'strong' | 'weak' | 'small-literal' | 'not-array' | 'unknown';
export type ReferenceUse = 'declaration' | 'read' | 'mutate' | 'reassign' | 'escape';

export interface LoopContext {
  /** The loop statement, or the call whose callback runs per element. */
  node: Node;
  kind: 'statement' | 'callback';
}

/** Whether a numeric or array literal is a small constant (the loop over it runs a fixed, small number of times). */
function isSmallArrayLiteral(node: Node | null | undefined): boolean {
  return node?.type === 'ArrayExpression' && node.elements.length <= SMALL_ARRAY_LIMIT && node.elements.every(element => element !== null && element.type !== 'SpreadElement');
}

/**
 * Loops that run a small, fixed number of times: `for (k of ['anyOf', 'oneOf'])`, `['a', 'b'].forEach(...)`,
 * `for (let i = 0; i < 3; i++)`. Work repeated by them does not grow with any input.
 */
export function isSmallFixedLoop(loop: LoopContext): boolean {
  const node = loop.node;
  if (loop.kind === 'callback') {
    const call = methodCall(node);
    return !!call && isSmallArrayLiteral(call.receiver);
  }
  if (node.type === 'ForOfStatement') return isSmallArrayLiteral(node.right);
  if (node.type === 'ForStatement' && node.test?.type === 'BinaryExpression' && (node.test.operator === '<' || node.test.operator === '<=')) {
    const bound = node.test.right;
    return bound.type === 'Literal' && typeof bound.value === 'number' && bound.value <= SMALL_ARRAY_LIMIT;
  }
  return false;
}

/** The collection a loop walks: `for (x of xs)`, `xs.forEach(...)`, `for (i = 0; i < xs.length; i++)`; null when unknown. */
export function iteratedExpression(loop: LoopContext): Node | null {
  const node = loop.node;
  if (loop.kind === 'callback') return methodCall(node)?.receiver ?? null;
  if (node.type === 'ForOfStatement' || node.type === 'ForInStatement') return node.right;
  if (node.type === 'ForStatement' && node.test?.type === 'BinaryExpression' && node.test.right.type === 'MemberExpression' && memberName(node.test.right) === 'length') return node.test.right.object;
  if ((node.type === 'WhileStatement' || node.type === 'DoWhileStatement') && node.test.type === 'BinaryExpression' && node.test.left.type === 'MemberExpression' && memberName(node.test.left) === 'length') return node.test.left.object;
  return null;
}

/** The identifier an expression starts from: `users` in `users.map(f).filter(g)`, `xs` in `xs[0].children`. */
export function rootIdentifier(node: Node | null | undefined): TSESTree.Identifier | null {
  let current = node;
  while (current) {
    if (current.type === 'Identifier') return current;
    if (current.type === 'MemberExpression') current = current.object;
    else if (current.type === 'CallExpression') current = current.callee;
    else if (current.type === 'TSAsExpression' || current.type === 'TSNonNullExpression' || current.type === 'ChainExpression') current = current.expression;
    else return null;
  }
  return null;
}

export function isFunction(node: Node): node is TSESTree.FunctionLike {
  return node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression';
}

export function isLoopStatement(node: Node): node is TSESTree.ForStatement | TSESTree.ForInStatement | TSESTree.ForOfStatement | TSESTree.WhileStatement | TSESTree.DoWhileStatement {
  return node.type === 'ForStatement' || node.type === 'ForInStatement' || node.type === 'ForOfStatement'
    || node.type === 'WhileStatement' || node.type === 'DoWhileStatement';
}

export function contains(outer: Node, inner: Node): boolean {
  return outer.range[0] <= inner.range[0] && inner.range[1] <= outer.range[1];
}

/** `a.b` / `a['b']` property name, or null when computed from a non-literal. */
export function memberName(member: TSESTree.MemberExpression): string | null {
  if (!member.computed && member.property.type === 'Identifier') return member.property.name;
  if (member.computed && member.property.type === 'Literal' && typeof member.property.value === 'string') return member.property.value;
  return null;
}

/** `receiver.method(...)`: the method name and receiver, for plain (non-optional) calls only. */
export function methodCall(node: Node): { receiver: TSESTree.Expression; method: string; call: TSESTree.CallExpression } | null {
  if (node.type !== 'CallExpression' || node.optional || node.callee.type !== 'MemberExpression' || node.callee.optional) return null;
  const method = memberName(node.callee);
  if (method === null || node.callee.object.type === 'Super') return null;
  return { receiver: node.callee.object, method, call: node };
}

/** Whether `fn` is the per-element callback of an iteration method (`xs.map(fn)`, `Array.from(xs, fn)`). */
export function iterationCallOf(fn: Node): TSESTree.CallExpression | null {
  const parent = fn.parent;
  if (!parent || parent.type !== 'CallExpression') return null;
  const call = methodCall(parent);
  if (!call) return null;
  if (ITERATION_METHODS.has(call.method) && parent.arguments[0] === fn) return parent;
  if (call.method === 'from' && call.receiver.type === 'Identifier' && call.receiver.name === 'Array' && parent.arguments[1] === fn) return parent;
  return null;
}

/** Whether `child` sits where a loop statement evaluates it once per iteration. */
function isRepeatedPart(loop: Node, child: Node): boolean {
  switch (loop.type) {
    case 'ForStatement': return child === loop.body || child === loop.test || child === loop.update;
    case 'ForInStatement': case 'ForOfStatement': return child === loop.body;
    case 'WhileStatement': case 'DoWhileStatement': return child === loop.body || child === loop.test;
    default: return false;
  }
}

/**
 * Scope analyses of single top-level statements, keyed by the statement node. The incremental linter
 * keeps one across edits: statements it reuses keep their analysis. `key` is the detachment pattern
 * (see detachUnrelatedFunctionBodies) the analysis was made with.
 */
export type StatementScopeCache = WeakMap<Node, { key: string; references: Map<Node, Reference> }>;
/** Names of interest (see namesOfInterest) per top-level statement, kept by the incremental linter. */
export type StatementNamesCache = WeakMap<Node, readonly string[]>;

/** The nodes of `sorted` (in source order) that start inside `region`. */
function startingWithin<T extends Node>(sorted: readonly T[], region: Node): readonly T[] {
  const firstAtOrAfter = (offset: number) => {
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (sorted[mid].range[0] < offset) low = mid + 1; else high = mid;
    }
    return low;
  };
  return sorted.slice(firstAtOrAfter(region.range[0]), firstAtOrAfter(region.range[1]));
}

export class Analysis {
  private relatedPatternCache: RegExp | null = null;
  private functionsInOrder: TSESTree.FunctionLike[] | null = null;
  private readonly referencesCache = new Map<Node, Map<string, Map<Node, Reference>>>();
  /** Per base name: the words of the text that start with it. */
  private readonly wordsCache = new Map<string, Set<string>>();
  /** Offsets where lines start, computed on the first position() (most files have no finding). */
  private lineStartsCache: number[] | null = null;

  constructor(readonly ast: TSESTree.Program, readonly text: string, readonly nodesByType: ReadonlyMap<string, Node[]>,
    private readonly statementScopes?: StatementScopeCache, private readonly statementNames?: StatementNamesCache) {}

  nodesOfType(type: string): readonly Node[] {
    return this.nodesByType.get(type) ?? [];
  }

  /** Nodes of `type` inside `region` (not `region` itself), in source order, without walking it. */
  nodesWithin(type: string, region: Node): readonly Node[] {
    return startingWithin(this.nodesOfType(type), region).filter(node => node !== region);
  }

  /** 1-based line and column of a 0-based offset. */
  position(offset: number): { line: number; column: number } {
    if (!this.lineStartsCache) {
      const starts = [0];
      for (let i = this.text.indexOf('\n'); i !== -1; i = this.text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.lineStartsCache = starts;
    }
    const lineStarts = this.lineStartsCache;
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineStarts[mid] <= offset) low = mid; else high = mid - 1;
    }
    return { line: low + 1, column: offset - lineStarts[low] + 1 };
  }

  source(node: Node): string {
    return this.text.slice(node.range[0], node.range[1]);
  }

  /** Leading whitespace of the line that `offset` is on. */
  indentAt(offset: number): string {
    const lineStart = this.text.lastIndexOf('\n', offset - 1) + 1;
    return /^[ \t]*/.exec(this.text.slice(lineStart, offset))![0];
  }

  /**
   * A name that does not occur anywhere in the file, derived only from `base` and the text, so two
   * findings that hoist the same thing produce identical edits (and applyFixes merges them).
   */
  freshName(base: string): string {
    // "Occurs" means: is a whole word ([\w$]+ run) of the text. One scan per base collects the words
    // that start with it (`base`, `base2`... are among them), rather than splitting the whole text
    // into words (a string per word of a multi-megabyte file).
    let words = this.wordsCache.get(base);
    if (!words) {
      // A base with other characters (non-ASCII letters) never starts a whole [\w$]+ run.
      words = /^[\w$]+$/.test(base) ? new Set(this.text.match(new RegExp(`(?<![\\w$])${base.replace(/[$]/g, '\\$')}[\\w$]*`, 'g'))) : new Set();
      this.wordsCache.set(base, words);
    }
    for (let suffix = 1; ; suffix++) {
      const name = suffix === 1 ? base : `${base}${suffix}`;
      if (!words.has(name)) return name;
    }
  }

  functionOf(node: Node): TSESTree.FunctionLike | TSESTree.Program {
    for (let current = node.parent; current; current = current.parent) {
      if (isFunction(current)) return current;
    }
    return this.ast;
  }

  /**
   * Loops (statements and per-element callbacks) that run `node` repeatedly, innermost first. Stops at a
   * function that is not an iteration callback: its body runs when it is called, not per iteration.
   */
  enclosingLoops(node: Node): LoopContext[] {
    const loops: LoopContext[] = [];
    let child: Node = node;
    for (let current = node.parent; current; child = current, current = current.parent) {
      if (isLoopStatement(current) && isRepeatedPart(current, child)) {
        loops.push({ node: current, kind: 'statement' });
      } else if (isFunction(current)) {
        const call = iterationCallOf(current);
        if (!call) break;
        loops.push({ node: call, kind: 'callback' });
      }
    }
    return loops;
  }

  /**
   * The statement inside a statement list (block, program, switch case) that contains `node`, climbing
   * through labels; null when `node` is inside a single-statement position such as `if (c) for (...)`.
   */
  listStatementOf(node: Node): TSESTree.Statement | null {
    let current: Node = node;
    while (current.parent) {
      const parent: Node = current.parent;
      if (parent.type === 'BlockStatement' || parent.type === 'Program' || parent.type === 'SwitchCase') {
        return current.type === 'SwitchCase' ? null : current as TSESTree.Statement;
      }
      if (isFunction(parent) || parent.type === 'ClassBody' || parent.type === 'StaticBlock') return null;
      if (parent.type === 'LabeledStatement' && parent.body === current) { current = parent; continue; }
      const isStatementSlot = (parent.type === 'IfStatement' && (parent.consequent === current || parent.alternate === current))
        || (isLoopStatement(parent) && parent.body === current);
      if (isStatementSlot) return null;
      current = parent;
    }
    return null;
  }

  /**
   * Nodes inside `region` (not `region` itself) for which `wanted` holds, walking only that subtree.
   * With `ownCodeOnly`, nested functions are not entered (their code runs when called, not here).
   */
  descendants(region: Node, wanted: (node: Node) => boolean, ownCodeOnly: boolean): Node[] {
    const found: Node[] = [];
    const keysByType = visitorKeys as Record<string, readonly string[] | undefined>;
    const stack: Node[] = [region];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node !== region) {
        if (wanted(node)) found.push(node);
        if (ownCodeOnly && isFunction(node)) continue;
      }
      for (const key of keysByType[node.type] ?? []) {
        const child = (node as unknown as Record<string, unknown>)[key];
        if (Array.isArray(child)) {
          for (let i = child.length - 1; i >= 0; i--) if (child[i] && typeof (child[i] as Node).type === 'string') stack.push(child[i] as Node);
        } else if (child && typeof (child as Node).type === 'string') {
          stack.push(child as Node);
        }
      }
    }
    return found;
  }

  /** Await and yield expressions (and `for await`) that suspend the function running `region`. */
  suspends(region: Node): boolean {
    return this.descendants(region, node => node.type === 'AwaitExpression' || node.type === 'YieldExpression'
      || node.type === 'ForOfStatement' && node.await, true).length > 0;
  }

  /**
   * Names rules may resolve: receivers of array lookups and queue operations inside loops, and
   * accumulators reassigned inside loops.
   */
  private namesOfInterest(): Set<string> {
    const calls = this.nodesOfType('CallExpression');
    const assignments = this.nodesOfType('AssignmentExpression');
    const cache = this.statementNames;
    if (!cache) return this.namesOfInterestAmong(calls, assignments, new Set<string>());
    // Per top-level statement, kept across lints: a statement's names depend only on its own subtree
    // (calls and assignments in it, and the loops and callbacks around them, which never cross it).
    const names = new Set<string>();
    for (const statement of this.ast.body) {
      let own = cache.get(statement);
      if (!own) {
        own = [...this.namesOfInterestAmong(startingWithin(calls, statement), startingWithin(assignments, statement), new Set<string>())];
        cache.set(statement, own);
      }
      for (const name of own) names.add(name);
    }
    return names;
  }

  private namesOfInterestAmong(calls: readonly Node[], assignments: readonly Node[], names: Set<string>): Set<string> {
    for (const node of calls) {
      const call = methodCall(node);
      if (call && call.receiver.type === 'Identifier' && RESOLVED_RECEIVER_METHODS.has(call.method) && this.enclosingLoops(node).length > 0) names.add(call.receiver.name);
    }
    for (const node of assignments) {
      const assignment = node as TSESTree.AssignmentExpression;
      if (assignment.left.type !== 'Identifier') continue;
      const name = assignment.left.name;
      const right = assignment.right;
      const first = right.type === 'ArrayExpression' ? right.elements[0] : right.type === 'ObjectExpression' ? right.properties[0] : undefined;
      const spreadsItself = first?.type === 'SpreadElement' && first.argument.type === 'Identifier' && first.argument.name === name;
      const concatsItself = methodCall(right)?.method === 'concat' && (right as TSESTree.CallExpression).callee.type === 'MemberExpression'
        && ((right as TSESTree.CallExpression).callee as TSESTree.MemberExpression).object.type === 'Identifier'
        && (((right as TSESTree.CallExpression).callee as TSESTree.MemberExpression).object as TSESTree.Identifier).name === name;
      if ((spreadsItself || concatsItself) && this.enclosingLoops(node).length > 0) names.add(name);
    }
    return names;
  }

  /** Function bodies that mention none of these can be left out of scope analysis. */
  private get relatedPattern(): RegExp {
    if (!this.relatedPatternCache) {
      const names = [...this.namesOfInterest()].sort().map(name => name.replace(/\$/g, '\\$'));
      this.relatedPatternCache = new RegExp(names.length > 0 ? `(?<![\\w$])(?:${names.join('|')})(?![\\w$])|\\bawait\\b` : '\\bawait\\b');
    }
    return this.relatedPatternCache;
  }

  /**
   * Detaches unrelated function bodies (all of them, or those inside `within`, but never `within`
   * itself); the caller reattaches. `keepAwaitLoops` false: an analysis that answers only about names
   * `related` matches, which needs no function body that does not mention them.
   */
  private detachUnrelatedFunctionBodies(within?: Node, related = this.relatedPattern, keep?: Node, keepAwaitLoops = true): [TSESTree.FunctionLike, TSESTree.Node][] {
    if (!this.functionsInOrder) {
      this.functionsInOrder = (FUNCTION_TYPES.flatMap(type => this.nodesOfType(type)) as TSESTree.FunctionLike[]).sort((a, b) => a.range[0] - b.range[0]);
    }
    const functions = within ? startingWithin(this.functionsInOrder, within) : this.functionsInOrder;
    const awaits = !keepAwaitLoops ? [] : within ? startingWithin(this.nodesOfType('AwaitExpression'), within) : this.nodesOfType('AwaitExpression');
    // await-in-loop looks for writes anywhere in a loop body, nested callbacks included: keep those.
    const loopsWithAwait: Node[] = [];
    for (const awaitNode of awaits) {
      for (let current = awaitNode.parent; current && !isFunction(current); current = current.parent) {
        if (isLoopStatement(current)) loopsWithAwait.push(current);
      }
    }
    const detached: [TSESTree.FunctionLike, TSESTree.Node][] = [];
    let insideDetachedUntil = -1;
    for (const fn of functions) {
      if (fn.range[0] < insideDetachedUntil || !fn.body || fn === within) continue;
      if (loopsWithAwait.some(loop => contains(loop, fn)) || keep && contains(keep, fn)) continue;
      if (related.test(this.text.slice(fn.body.range[0], fn.body.range[1]))) continue;
      detached.push([fn, fn.body]);
      (fn as { body: TSESTree.Node }).body = { type: 'BlockStatement', body: [], range: fn.body.range, loc: fn.body.loc } as unknown as TSESTree.BlockStatement;
      insideDetachedUntil = fn.range[1];
    }
    return detached;
  }

  /**
   * The reference of `identifier`, from a scope analysis of only the top-level statement holding it
   * (kept in `statementScopes` across lints; null without them: see enclosingFunctionReferenceOf).
   * Scopes inside a statement come out the same whichever statements surround it; only names it does
   * not declare itself (module-level and global ones) need the whole file, see referenceOf.
   */
  private statementReferenceOf(identifier: Node): Reference | undefined | null {
    // A one-off lint analyses the whole file once; per statement only pays when analyses are kept.
    if (!this.statementScopes) return null;
    let statement = identifier;
    while (statement.parent && statement.parent !== this.ast) statement = statement.parent;
    if (statement.parent !== this.ast) return null; // parents not set: only the whole file can tell
    const key = this.relatedPattern.source;
    let cached = this.statementScopes.get(statement);
    if (!cached || cached.key !== key) {
      const detached = this.detachUnrelatedFunctionBodies(statement);
      let manager: ScopeManager;
      try {
        const program = { ...this.ast, body: [statement], range: statement.range } as TSESTree.Program;
        manager = analyze(program, { sourceType: 'module', lib: [], jsxPragma: null });
      } finally {
        for (const [fn, body] of detached) (fn as { body: TSESTree.Node }).body = body;
      }
      const references = new Map<Node, Reference>();
      for (const scope of manager.scopes) {
        for (const reference of scope.references) references.set(reference.identifier, reference);
      }
      cached = { key, references };
      this.statementScopes.set(statement, cached);
    }
    return cached.references.get(identifier);
  }

  /** Declared inside a function (its references are all in that function's top-level statement). */
  private static isFunctionLocal(variable: Variable): boolean {
    for (let scope: Variable['scope'] | null = variable.scope; scope; scope = scope.upper) {
      if (scope.type === 'function') return true;
      if (scope.type === 'module' || scope.type === 'global') return false;
    }
    return false;
  }

  private referenceOf(identifier: Node): Reference | undefined {
    if (!this.statementScopes) return this.enclosingFunctionReferenceOf(identifier) ?? this.wholeFileReferenceOf(identifier);
    const local = this.statementReferenceOf(identifier);
    if (local === undefined || local && local.resolved && Analysis.isFunctionLocal(local.resolved)) return local;
    return this.wholeFileReferenceOf(identifier);
  }

  /**
   * The reference of `identifier` from a scope analysis of only the innermost enclosing function that
   * resolves it: a variable declared inside a function is only ever referenced inside it, so that
   * analysis gives the same variable (definitions, every reference) as one of the whole file, at the
   * cost of that function. Functions that do not declare the name are skipped without analysing them
   * (a wrong guess would only cost time: an outer function's analysis resolves it all the same). Null
   * when no enclosing function declares it: module-level and global names need the whole file.
   */
  private enclosingFunctionReferenceOf(identifier: Node): Reference | null {
    if (identifier.type !== 'Identifier') return null;
    for (let current: Node | undefined = identifier.parent; current; current = current.parent) {
      if (!isFunction(current) || !this.declaresOwn(current, identifier.name)) continue;
      const reference = this.nameReferencesIn(current, identifier.name).get(identifier);
      if (reference?.resolved && Analysis.declaredInside(reference.resolved, current)) return reference;
    }
    return null;
  }

  /**
   * Declared inside `fn`, in a scope of an analysis of `fn` alone: not in the synthetic module scope
   * around it, nor `fn`'s own name as a function expression (whose scope's outer scopes are missing).
   */
  private static declaredInside(variable: Variable, fn: Node): boolean {
    const scope = variable.scope;
    return scope.type !== 'module' && scope.type !== 'global' && !(scope.type === 'function-expression-name' && scope.block === fn);
  }

  /**
   * Whether `fn` binds `name` in one of its own scopes (not in a nested function's): a parameter, its
   * own name (function expressions), `arguments`, or a variable, function, class or catch parameter
   * declared in its code.
   */
  private declaresOwn(fn: TSESTree.FunctionLike, name: string): boolean {
    if (fn.type === 'FunctionExpression' && fn.id?.name === name) return true;
    if (name === 'arguments' && fn.type !== 'ArrowFunctionExpression') return true;
    if (fn.params.some(param => bindsName(param, name))) return true;
    const ownedByFn = (node: Node) => {
      for (let current = node.parent; current; current = current.parent) if (isFunction(current)) return current === fn;
      return false;
    };
    for (const declaration of startingWithin(this.nodesOfType('VariableDeclaration'), fn)) {
      if ((declaration as TSESTree.VariableDeclaration).declarations.some(declarator => bindsName(declarator.id, name)) && ownedByFn(declaration)) return true;
    }
    for (const type of DECLARING_TYPES) {
      for (const node of startingWithin(this.nodesOfType(type), fn)) {
        if (node === fn) continue;
        const id = (node as { id?: Node | null }).id ?? (node as { param?: Node | null }).param;
        if (id && bindsName(id, name) && ownedByFn(node)) return true;
      }
    }
    return false;
  }

  /**
   * References to `name` in `root` (a function, analysed alone, or the whole file), from a scope
   * analysis that leaves out everything that never mentions `name`: the statements of `root`'s own
   * statement list and the function bodies inside the rest. Neither can declare or refer to `name`,
   * so `name`'s references resolve as in a full analysis, and its variables have every reference. Only
   * ever asked about identifiers named `name`.
   */
  private nameReferencesIn(root: TSESTree.FunctionLike | TSESTree.Program, name: string): Map<Node, Reference> {
    const cached = this.referencesCache.get(root)?.get(name);
    if (cached) return cached;
    const related = mentionPattern(name);
    const owner = root.type === 'Program' ? root : root.body?.type === 'BlockStatement' ? root.body : null;
    if (!owner) return this.referencesIn(root, name, related, undefined, false);
    const statements = owner.body as Node[];
    const kept = statements.filter(statement => related.test(this.text.slice(statement.range[0], statement.range[1])));
    (owner as { body: Node[] }).body = kept;
    try {
      return this.referencesIn(root, name, related, undefined, false, kept);
    } finally {
      (owner as { body: Node[] }).body = statements;
    }
  }

  /**
   * References found by one scope analysis of `root` (the whole file, or one function alone as the only
   * statement of a program), by identifier. Function bodies inside it that `related` does not match
   * are left out (see detachUnrelatedFunctionBodies), except those inside `keep`; `key` names that
   * choice in the cache. `statements`: what is left of root's statement list (see nameReferencesIn).
   */
  private referencesIn(root: TSESTree.FunctionLike | TSESTree.Program, key: string, related: RegExp, keep?: Node, keepAwaitLoops = true, statements?: readonly Node[]): Map<Node, Reference> {
    let byKey = this.referencesCache.get(root);
    if (!byKey) this.referencesCache.set(root, byKey = new Map());
    let references = byKey.get(key);
    if (references) return references;
    let program = this.ast;
    if (root.type !== 'Program') {
      const statement = root.type === 'FunctionDeclaration' ? root
        : { type: 'ExpressionStatement', expression: root, directive: undefined, range: root.range, loc: root.loc } as unknown as TSESTree.ExpressionStatement;
      program = { ...this.ast, body: [statement], range: root.range } as TSESTree.Program;
    }
    // Scope analysis of a whole file costs a good share of parsing it. Functions that mention none of
    // the names asked about (and are not in a loop with an await) cannot change any answer, so their
    // bodies are detached while analysing: their inner scopes only ever hold their own bindings.
    // With `statements` (the only ones left in root's list), only the functions inside those.
    const detached = statements ? statements.flatMap(statement => this.detachUnrelatedFunctionBodies(statement, related, keep, keepAwaitLoops))
      : this.detachUnrelatedFunctionBodies(root.type === 'Program' ? undefined : root, related, keep, keepAwaitLoops);
    let manager: ScopeManager;
    try {
      manager = analyze(program, { sourceType: 'module', lib: [], jsxPragma: null });
    } finally {
      for (const [fn, body] of detached) (fn as { body: TSESTree.Node }).body = body;
    }
    references = new Map();
    for (const scope of manager.scopes) {
      for (const reference of scope.references) references.set(reference.identifier, reference);
    }
    byKey.set(key, references);
    return references;
  }

  /**
   * From an analysis of the whole file. A one-off lint analyses it for this name only (whole-file
   * answers are rare there: the names asked about are mostly declared in a function); the incremental
   * linter, which only asks about module-level names, analyses it once for all of them.
   */
  private wholeFileReferenceOf(identifier: Node): Reference | undefined {
    if (this.statementScopes || identifier.type !== 'Identifier') return this.referencesIn(this.ast, '', this.relatedPattern).get(identifier);
    return this.nameReferencesIn(this.ast, identifier.name).get(identifier);
  }

  /** The variable an identifier refers to, or null for globals and unresolvable names. */
  resolve(identifier: Node): Variable | null {
    return this.referenceOf(identifier)?.resolved ?? null;
  }

  /** The single declarator (`const x = ...` / `let x = ...`) of a variable, if that is how it is declared. */
  declaratorOf(variable: Variable): { declarator: TSESTree.VariableDeclarator; kind: 'const' | 'let' | 'var' } | null {
    if (variable.defs.length !== 1) return null;
    const def = variable.defs[0];
    if (def.type !== 'Variable' || def.node.type !== 'VariableDeclarator' || def.node.id.type !== 'Identifier') return null;
    const declaration = def.node.parent as TSESTree.VariableDeclaration;
    if (declaration.kind !== 'const' && declaration.kind !== 'let' && declaration.kind !== 'var') return null;
    return { declarator: def.node, kind: declaration.kind };
  }

  /** How one reference to an array variable uses it. */
  useOf(reference: Reference): ReferenceUse {
    if (reference.init) return 'declaration';
    if (reference.isWrite()) return 'reassign';
    const id = reference.identifier as Node;
    const parent = id.parent;
    if (!parent) return 'escape';
    if (parent.type === 'MemberExpression' && parent.object === id) {
      const outer = parent.parent;
      if (outer?.type === 'CallExpression' && outer.callee === parent) {
        const name = memberName(parent);
        if (name !== null && MUTATING_METHODS.has(name)) return 'mutate';
        if (name !== null && READ_METHODS.has(name)) return 'read';
        return 'escape';
      }
      if (outer?.type === 'AssignmentExpression' && outer.left === parent) return 'mutate';
      if (outer?.type === 'UpdateExpression') return 'mutate';
      if (outer?.type === 'UnaryExpression' && outer.operator === 'delete') return 'mutate';
      if (outer && (outer.type === 'ArrayPattern' || outer.type === 'ObjectPattern' || outer.type === 'Property' && outer.parent?.type === 'ObjectPattern'
        || outer.type === 'ForOfStatement' && outer.left === parent || outer.type === 'ForInStatement' && outer.left === parent)) return 'mutate';
      return 'read';
    }
    if ((parent.type === 'ForOfStatement' || parent.type === 'ForInStatement') && parent.right === id) return 'read';
    if (parent.type === 'SpreadElement') return 'read';
    if (parent.type === 'BinaryExpression' || parent.type === 'TemplateLiteral' || parent.type === 'IfStatement'
      || parent.type === 'UnaryExpression' && parent.operator !== 'delete' || parent.type === 'LogicalExpression' && parent.parent?.type !== 'VariableDeclarator'
      || parent.type === 'ConditionalExpression' && parent.test === id) return 'read';
    return 'escape';
  }

  /** What the declaration and uses of a variable say about it being an array. */
  arrayEvidence(variable: Variable): ArrayEvidence {
    const declared = this.declaratorOf(variable);
    let evidence: ArrayEvidence = 'unknown';
    const def = variable.defs[0];
    const annotation = def && def.name.type === 'Identifier' ? def.name.typeAnnotation?.typeAnnotation ?? destructuredAnnotation(def.name) : undefined;
    if (annotation) evidence = annotationEvidence(annotation);
    // A parameter's default value (`list = ['a', 'b']`) says what it holds when the caller passes nothing.
    const init = declared?.declarator.init ?? (def?.type === 'Parameter' && def.name.parent?.type === 'AssignmentPattern' && def.name.parent.left === def.name ? def.name.parent.right : undefined);
    if (evidence === 'unknown' && init) evidence = expressionEvidence(init);
    if (evidence === 'small-literal' && variable.references.some(reference => {
      const use = this.useOf(reference);
      return use === 'mutate' || use === 'reassign' || use === 'escape';
    })) evidence = 'strong';
    if (evidence === 'unknown') {
      const usedAsArray = variable.references.some(reference => {
        const parent = (reference.identifier as Node).parent;
        if (parent?.type !== 'MemberExpression' || parent.object !== reference.identifier) return false;
        const name = memberName(parent);
        return name !== null && ARRAY_ONLY_METHODS.has(name);
      });
      if (usedAsArray) evidence = 'weak';
    }
    return evidence;
  }

  /** Per-reference uses of a variable, skipping its declaration. */
  uses(variable: Variable): { reference: Reference; use: ReferenceUse; node: Node }[] {
    return variable.references
      .map(reference => ({ reference, use: this.useOf(reference), node: reference.identifier as Node }))
      .filter(entry => entry.use !== 'declaration');
  }

  /** The function that declares a variable (its scope's closest function, or the program). */
  declaringFunction(variable: Variable): Node {
    let scope = variable.scope;
    while (scope.type !== 'function' && scope.type !== 'module' && scope.type !== 'global' && scope.upper) scope = scope.upper;
    return scope.block as Node;
  }



  /** Variables declared outside `region` that are assigned inside it (loop-carried state). */
  outerWritesIn(region: Node): Variable[] {
    const written = new Set<Variable>();
    // Which identifiers are writes is known from a local analysis: of the top-level statement (kept
    // by the incremental linter), else of the function holding the region (with every function body
    // inside the region), else of the whole file.
    const fn = this.statementScopes ? null : this.functionOf(region);
    const localReferences = fn && fn.type !== 'Program' ? this.referencesIn(fn, ` region ${region.range[0]}-${region.range[1]}`, NEVER, region) : null;
    for (const identifier of this.descendants(region, node => node.type === 'Identifier', false)) {
      // Reads (most identifiers) need no resolving, so no whole-file analysis for them.
      const local = this.statementScopes ? this.statementReferenceOf(identifier)
        : localReferences ? localReferences.get(identifier) : this.referencesIn(this.ast, '', this.relatedPattern).get(identifier);
      if (local === undefined || local && (!local.isWrite() || local.init)) continue;
      const reference = local && local.resolved && fn && localReferences && Analysis.declaredInside(local.resolved, fn) ? local : this.referenceOf(identifier);
      if (!reference || !reference.isWrite() || reference.init || !reference.resolved) continue;
      const declaredAt = reference.resolved.defs[0]?.name as Node | undefined;
      if (declaredAt && !contains(region, declaredAt)) written.add(reference.resolved);
    }
    return [...written];
  }

}

/** Matches nothing: for analyses that keep only the function bodies they are told to keep. */
const NEVER = /(?!)/;

/** Matches `name` as a whole identifier. */
function mentionPattern(name: string): RegExp {
  return new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`);
}

/** Node types besides variable declarations and parameters that bind a name (their `id` or `param`). */
const DECLARING_TYPES = ['FunctionDeclaration', 'FunctionExpression', 'ClassDeclaration', 'ClassExpression', 'CatchClause', 'TSEnumDeclaration', 'TSModuleDeclaration', 'TSImportEqualsDeclaration'];
export const DECLARING_NODE_TYPES: readonly string[] = ['VariableDeclaration', ...DECLARING_TYPES];

/** Whether a binding pattern (`x`, `{ a: [x] }`, `x = 1`, `...x`) binds `name`. Over-approximates. */
function bindsName(pattern: Node, name: string): boolean {
  switch (pattern.type) {
    case 'Identifier': return pattern.name === name;
    case 'ObjectPattern': return pattern.properties.some(property => bindsName(property.type === 'RestElement' ? property.argument : property.value, name));
    case 'ArrayPattern': return pattern.elements.some(element => !!element && bindsName(element, name));
    case 'AssignmentPattern': return bindsName(pattern.left, name);
    case 'RestElement': return bindsName(pattern.argument, name);
    case 'TSParameterProperty': return bindsName(pattern.parameter, name);
    default: return true;
  }
}

/** `{ items }: { items: T[] }`: the type written for a destructured property. */
function destructuredAnnotation(name: TSESTree.Identifier): TSESTree.TypeNode | undefined {
  const property = name.parent;
  const pattern = property?.parent;
  if (property?.type !== 'Property' || property.value !== name || pattern?.type !== 'ObjectPattern') return undefined;
  const literal = pattern.typeAnnotation?.typeAnnotation;
  if (literal?.type !== 'TSTypeLiteral') return undefined;
  const key = property.key.type === 'Identifier' ? property.key.name : null;
  for (const member of literal.members) {
    if (member.type === 'TSPropertySignature' && member.key.type === 'Identifier' && member.key.name === key && !member.optional) {
      return member.typeAnnotation?.typeAnnotation;
    }
  }
  return undefined;
}

function annotationEvidence(annotation: TSESTree.TypeNode): ArrayEvidence {
  if (annotation.type === 'TSArrayType') return 'strong';
  if (annotation.type === 'TSTypeOperator' && annotation.operator === 'readonly' && annotation.typeAnnotation?.type === 'TSArrayType') return 'strong';
  if (annotation.type === 'TSTypeReference' && annotation.typeName.type === 'Identifier') {
    const name = annotation.typeName.name;
    if (name === 'Array' || name === 'ReadonlyArray') return 'strong';
    if (name === 'Set' || name === 'Map' || name === 'ReadonlySet' || name === 'ReadonlyMap' || name === 'String') return 'not-array';
  }
  if (annotation.type === 'TSStringKeyword') return 'not-array';
  return 'unknown';
}

function expressionEvidence(init: TSESTree.Expression): ArrayEvidence {
  switch (init.type) {
    case 'ArrayExpression': {
      const constant = init.elements.length <= SMALL_ARRAY_LIMIT && init.elements.every(element => element !== null && element.type !== 'SpreadElement');
      return constant ? 'small-literal' : 'strong';
    }
    case 'Literal': case 'TemplateLiteral': case 'ObjectExpression': return 'not-array';
    case 'NewExpression':
      if (init.callee.type !== 'Identifier') return 'unknown';
      return init.callee.name === 'Array' ? 'strong' : 'not-array';
    case 'TSAsExpression': case 'TSSatisfiesExpression': case 'TSNonNullExpression':
      return init.type === 'TSAsExpression' ? annotationEvidence(init.typeAnnotation) : expressionEvidence(init.expression);
    case 'CallExpression': {
      const call = methodCall(init);
      if (!call) return 'unknown';
      if (call.receiver.type === 'Identifier') {
        if (call.receiver.name === 'Array' && (call.method === 'from' || call.method === 'of')) return 'strong';
        if (call.receiver.name === 'Object' && (call.method === 'keys' || call.method === 'values' || call.method === 'entries')) return 'strong';
      }
      if (call.method === 'split') return 'strong';
      if (ARRAY_RETURNING_METHODS.has(call.method)) {
        // Only arrays have map/filter/flat/flatMap; slice/concat on a literal or another array result too.
        const receiver = expressionEvidence(call.receiver as TSESTree.Expression);
        return ARRAY_ONLY_METHODS.has(call.method) || call.method === 'flat' || receiver === 'strong' || receiver === 'small-literal' ? 'strong' : 'weak';
      }
      return 'unknown';
    }
    default: return 'unknown';
  }
}
