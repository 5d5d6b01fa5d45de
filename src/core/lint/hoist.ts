// Where a lookup structure built from a loop-invariant array can be created, and whether doing so
// provably keeps behaviour. Shared by the rules that replace array scans with Set/Map lookups.
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Variable } from '@typescript-eslint/scope-manager';
import { type Analysis, type ArrayEvidence, contains, isSmallFixedLoop, iteratedExpression, type LoopContext, memberName, methodCall, rootIdentifier } from './analysis';
import { configurationName, configurationReason, firstScalingLoop, inputDataOf } from './scale';
import type { OffsetEdit } from './types';

export interface HoistPlan {
  variable: Variable;
  evidence: ArrayEvidence;
  /** The innermost loop that repeats the lookup while the array stays the same. */
  loop: LoopContext;
  /** Statement before which the Set/Map is built; null when there is no statement list to insert into. */
  hoistBefore: TSESTree.Statement | null;
  /** Why building the structure before the loop could change behaviour; empty when it cannot. */
  risks: string[];
  /** Why the repeated scan grows with the input, or (scales: false) what is unknown about its size. */
  scaling: { scales: boolean; reason: string };
}

/** Globals that are namespaces of functions, not inputs: `Object.keys(a)` and `Object.keys(b)` share nothing. */
const GLOBAL_NAMESPACES: ReadonlySet<string> = new Set(['Object', 'Array', 'JSON', 'Math', 'Reflect', 'Promise', 'String', 'Number', 'Symbol', 'process', 'window', 'document', 'globalThis', 'console', 'require']);

const GROWING_METHODS: ReadonlySet<string> = new Set(['push', 'unshift', 'concat']);

/** A loop over a variable that holds a small constant array (`const KINDS = ['a', 'b']; for (k of KINDS)`). */
export function walksSmallConstant(analysis: Analysis, loop: LoopContext): boolean {
  const walked = iteratedExpression(loop);
  if (walked?.type !== 'Identifier') return false;
  const variable = analysis.resolve(walked);
  return !!variable && analysis.arrayEvidence(variable) === 'small-literal';
}

/** Whether a loop walks a collection (`for...of`, `forEach`, `i < xs.length`), not a parent chain or a condition. */
export function walksCollection(loop: LoopContext): boolean {
  return iteratedExpression(loop) !== null && loop.node.type !== 'WhileStatement' && loop.node.type !== 'DoWhileStatement';
}

/** `xs` in `Array.from(xs)` / `[...xs]` / `new Set(xs)`-like wrappers of one input. */
function argumentOfArrayFrom(init: TSESTree.Node | null | undefined): TSESTree.Identifier | null {
  if (init?.type === 'ArrayExpression' && init.elements.length === 1 && init.elements[0]?.type === 'SpreadElement') return rootIdentifier(init.elements[0].argument);
  const call = init ? methodCall(init) : null;
  if (call && call.receiver.type === 'Identifier' && call.receiver.name === 'Array' && call.method === 'from') return rootIdentifier(call.call.arguments[0]);
  return null;
}

/**
 * Whether the repeated work grows with the input: the array grows inside the loop, the loop walks the
 * same array (a pairwise scan), or the loop and the array come from the same input. Otherwise the
 * size is unknown (path segments, one call's arguments, a table's key columns are all arrays too).
 */
function scalingOf(analysis: Analysis, variable: Variable, evidence: ArrayEvidence, loops: readonly LoopContext[], uses: ReturnType<Analysis['uses']>): HoistPlan['scaling'] {
  const name = variable.name;
  const methodsInLoop = new Set(uses.flatMap(entry => {
    if (!contains(loops[0].node, entry.node)) return [];
    const parent = entry.node.parent;
    const method = parent?.type === 'MemberExpression' && parent.object === entry.node ? methodCall(parent.parent!)?.method : undefined;
    return method === undefined ? [] : [method];
  }));
  // A stack (`unshift` then `shift`, `push` then `pop`, or cut back with `xs.length = depth`: the ancestors of a
  // depth-first walk) stays as deep as the structure walked, not as long as the loop.
  const truncatedInLoop = uses.some(entry => {
    const parent = entry.node.parent;
    return contains(loops[0].node, entry.node) && parent?.type === 'MemberExpression' && parent.object === entry.node
      && memberName(parent) === 'length' && parent.parent?.type === 'AssignmentExpression' && parent.parent.left === parent;
  });
  const isStack = methodsInLoop.has('unshift') && methodsInLoop.has('shift')
    || methodsInLoop.has('push') && methodsInLoop.has('pop') || truncatedInLoop;
  if (isStack) return { scales: false, reason: `\`${name}\` is a stack (the loop also ${truncatedInLoop ? 'cuts it back' : 'takes from it'}): it is as deep as the structure walked, not as long as the loop` };
  // Growth scales with the input only when the loop runs once per item of growing data (a work queue,
  // lines of a text, ...); the size of a parameter or an options list walked once is unknown.
  if ([...methodsInLoop].some(method => GROWING_METHODS.has(method))) {
    const configuration = configurationName(analysis, iteratedExpression(loops[0]));
    const loopScaling = configuration ? null : firstScalingLoop(analysis, loops);
    if (loopScaling) return { scales: true, reason: `\`${name}\` grows inside the loop, and ${loopScaling.reason}` };
    if (configuration) return configurationReason(configuration);
    if (walksCollection(loops[0])) return { scales: false, reason: `\`${name}\` grows by one entry per element of the collection the loop walks, whose size is unknown` };
  }
  const declared = analysis.declaratorOf(variable);
  const source = rootIdentifier(declared?.declarator.init);
  /** The same variable, or the same global (both unresolved). */
  const sameBinding = (a: TSESTree.Identifier, b: TSESTree.Identifier) => {
    const [left, right] = [analysis.resolve(a), analysis.resolve(b)];
    return left ? left === right : !right && a.name === b.name && !GLOBAL_NAMESPACES.has(a.name);
  };
  // Both the loop and the searched array are read data (two files' lines, a listing against a parsed index): n·m, both growing.
  const held = inputDataOf(analysis, declared?.declarator.init);
  const loopScaling = held ? firstScalingLoop(analysis, loops) : null;
  if (held && loopScaling) return { scales: true, reason: `${loopScaling.reason}, and \`${name}\` holds ${held}: both grow with the input` };
  for (const loop of loops.filter(walksCollection)) {
    const walked = rootIdentifier(iteratedExpression(loop));
    if (!walked) continue;
    const configuration = configurationName(analysis, iteratedExpression(loop)) ?? configurationName(analysis, declared?.declarator.init);
    // Searching the collection being walked for other values (`x.parent`, a twin) is pairwise, but on real
    // code it is mostly one thing's parts (a rule's declarations, a union's members): the size decides, and
    // nothing here shows it. (A dedupe, or growth inside a work queue, is evidence: see above and dedupe-indexof.)
    if (analysis.resolve(walked) === variable) {
      return configuration ? configurationReason(configuration) : { scales: false, reason: `a pairwise scan of one collection (the loop walks \`${name}\` and searches it), whose size is unknown` };
    }
    const from = argumentOfArrayFrom(declared?.declarator.init);
    if (source && sameBinding(walked, source) || from && sameBinding(walked, from)) {
      return configuration ? configurationReason(configuration) : { scales: false, reason: `the loop and \`${name}\` come from the same input (\`${walked.name}\`), whose size is unknown` };
    }
  }
  return { scales: false, reason: evidence === 'strong' ? `the size of \`${name}\` is unknown` : `\`${name}\` is not proven to be an array, and its size is unknown` };
}

/**
 * Plan for hoisting a lookup on `receiver` out of the loops around `lookup`. Null when the receiver is
 * not a known array declared outside a loop that repeats the lookup (nothing to report).
 */
export function planHoist(analysis: Analysis, lookup: TSESTree.Node, receiver: TSESTree.Node): HoistPlan | null {
  if (receiver.type !== 'Identifier') return null;
  // Loops first: they need no scope analysis, and most lookups are not in a loop at all.
  const enclosing = analysis.enclosingLoops(lookup);
  if (enclosing.length === 0) return null;
  const variable = analysis.resolve(receiver);
  if (!variable || variable.defs.length === 0) return null;
  const evidence = analysis.arrayEvidence(variable);
  if (evidence !== 'strong' && evidence !== 'weak') return null;
  const declaredAt = variable.defs[0].name as TSESTree.Node;
  const loops = enclosing.filter(loop => !contains(loop.node, declaredAt));
  // A lookup repeated only by loops over a few constants (`for (k of ['anyOf', 'oneOf'])`, or a constant
  // array declared so) does not scale.
  if (loops.length === 0 || loops.every(loop => isSmallFixedLoop(loop) || walksSmallConstant(analysis, loop))) return null;

  const uses = analysis.uses(variable);
  // Passing the array to a function (an escape) may or may not change it: a risk, not a change.
  const changesInside = (region: TSESTree.Node) => uses.some(entry => (entry.use === 'mutate' || entry.use === 'reassign') && contains(region, entry.node));
  let hoistLoop: LoopContext | null = null;
  for (const loop of loops) {
    if (changesInside(loop.node)) break;
    hoistLoop = loop;
  }
  const risks: string[] = [];
  const name = receiver.name;
  const scaling = scalingOf(analysis, variable, evidence, loops, uses);
  if (!hoistLoop) {
    return { variable, evidence, loop: loops[0], hoistBefore: null, risks: [`\`${name}\` is modified inside the loop`], scaling };
  }
  const statement = analysis.listStatementOf(hoistLoop.node);
  // Building the Set before the array's own declaration would hit the TDZ: offer no rewrite then.
  const hoistBefore = statement && declaredAt.range[1] <= statement.range[0] ? statement : null;
  if (evidence !== 'strong') risks.push(`\`${name}\` is an array (it is not declared as one)`);
  const declared = analysis.declaratorOf(variable);
  if (variable.defs[0].type === 'Parameter') risks.push(`nothing else holding \`${name}\` (the caller's array) modifies it while the loop runs`);
  else if (!declared || declared.kind === 'var') risks.push(`\`${name}\` is initialised before the loop`);
  if (uses.some(entry => entry.use === 'reassign')) risks.push(`\`${name}\` is not reassigned while the loop runs`);
  if (declared?.declarator.parent?.parent?.type === 'ExportNamedDeclaration') risks.push(`modules importing \`${name}\` do not modify it while the loop runs`);
  if (uses.some(entry => entry.use === 'escape' && contains(hoistLoop!.node, entry.node))) risks.push(`the functions \`${name}\` is passed to inside the loop do not modify it`);
  else if (uses.some(entry => entry.use === 'escape')) risks.push(`nothing else holding \`${name}\` modifies it while the loop runs`);
  const owner = analysis.declaringFunction(variable);
  if (hoistBefore) {
    if (analysis.functionOf(hoistBefore) !== owner) risks.push(`\`${name}\` is initialised and not modified while the loop runs`);
    if (uses.some(entry => entry.use === 'mutate' && (contains(hoistBefore, entry.node) || analysis.functionOf(entry.node) !== owner))) {
      risks.push(`\`${name}\` is not modified while the loop runs`);
    }
    if (analysis.suspends(hoistBefore)) risks.push(`no other code modifies \`${name}\` while the loop awaits`);
  }
  return { variable, evidence, loop: hoistLoop, hoistBefore, risks: [...new Set(risks)], scaling };
}

/** Inserts `declaration` on its own line before `statement`, at the statement's indentation. */
export function insertBefore(analysis: Analysis, statement: TSESTree.Statement, declaration: string): OffsetEdit {
  const at = statement.range[0];
  return { start: at, end: at, text: `${declaration}\n${analysis.indentAt(at)}` };
}

export function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
