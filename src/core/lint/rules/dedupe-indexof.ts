// quadratic/dedupe-indexof: removing duplicates by scanning the array once per element.
// `a.filter((v, i) => a.indexOf(v) === i)` → `[...new Set(a)]` is only a suggestion: indexOf never finds
// NaN (the filter drops every NaN, a Set keeps one), filter skips holes, and filter keeps Array subclasses.
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { methodCall, SMALL_ARRAY_LIMIT } from '../analysis';
import { configurationName, configurationReason, inputDataOf, type Scaling } from '../scale';
import type { Rule, RuleContext } from '../types';

type Node = TSESTree.Node;

export const dedupeIndexof: Rule = {
  meta: {
    id: 'quadratic/dedupe-indexof',
    family: 'quadratic',
    description: 'Removing duplicates with filter + indexOf or a nested pairwise loop is quadratic; a Set does it in one pass.',
    defaultSeverity: 'warning',
  },
  triggers: [/\bindexOf\b|\bfor\b|\b(?:forEach|map|filter|some|every|find|findIndex)\b/],
  nodeTypes: ['CallExpression', 'ForStatement'],
  visit(node, context) {
    if (node.type === 'CallExpression') {
      visitFilter(node, context);
      visitPairwiseCallbacks(node, context);
    }
    else if (node.type === 'ForStatement') visitPairwiseLoop(node, context);
  },
};

/**
 * A pairwise scan is quadratic in the collection, but on real code mostly over a few items (one format
 * string's setters, registered screen sizes): a warning only when the collection is read data.
 */
function pairwiseEvidence(context: RuleContext, collection: Node, how: string): Scaling {
  const configuration = configurationName(context.analysis, collection);
  if (configuration) return configurationReason(configuration);
  const input = inputDataOf(context.analysis, collection);
  return input ? { scales: true, reason: `a pairwise scan of one collection (${how}) that holds ${input}` }
    : { scales: false, reason: `a pairwise scan of one collection (${how}), whose size is unknown` };
}

function sameIdentifier(a: Node, b: Node): boolean {
  return a.type === 'Identifier' && b.type === 'Identifier' && a.name === b.name;
}

function visitFilter(node: TSESTree.CallExpression, context: RuleContext): void {
  const call = methodCall(node);
  if (!call || call.method !== 'filter' || node.arguments.length !== 1) return;
  const callback = node.arguments[0];
  if (callback.type !== 'ArrowFunctionExpression' && callback.type !== 'FunctionExpression') return;
  const [value, index, self] = callback.params;
  if (value?.type !== 'Identifier' || index?.type !== 'Identifier' || callback.async) return;
  let body: Node = callback.body;
  if (body.type === 'BlockStatement') {
    if (body.body.length !== 1 || body.body[0].type !== 'ReturnStatement' || !body.body[0].argument) return;
    body = body.body[0].argument;
  }
  if (body.type !== 'BinaryExpression' || (body.operator !== '===' && body.operator !== '==')) return;
  const lookup = sameIdentifier(body.right, index) ? body.left : sameIdentifier(body.left, index) ? body.right : null;
  const indexOf = lookup ? methodCall(lookup) : null;
  if (!indexOf || indexOf.method !== 'indexOf' || indexOf.call.arguments.length !== 1 || !sameIdentifier(indexOf.call.arguments[0], value)) return;
  const scansSelf = (self && sameIdentifier(indexOf.receiver, self)) || sameIdentifier(indexOf.receiver, call.receiver);
  if (!scansSelf) return;
  const source = context.analysis.source(call.receiver);
  const needsParens = !/^[\w$.]+$/.test(source);
  if (call.receiver.type === 'ArrayExpression' && call.receiver.elements.length <= SMALL_ARRAY_LIMIT) return;
  context.report({
    node,
    evidence: pairwiseEvidence(context, call.receiver, 'each element searches the whole array'),
    message: '`filter` + `indexOf` removes duplicates by scanning the array once per element (quadratic); a Set keeps the first of each value in one pass.',
    suggestions: [{
      description: 'Use `[...new Set(array)]` (check: the array has no NaN — this filter drops every NaN while a Set keeps one — no holes, and is a plain Array)',
      edits: [{ start: node.range[0], end: node.range[1], text: `[...new Set(${needsParens ? `(${source})` : source})]` }],
    }],
  });
}

/** `for (let i = 0; i < a.length; i++) for (let j = i + 1; j < a.length; j++) if (a[i] === a[j]) ...` */
function visitPairwiseLoop(inner: TSESTree.ForStatement, context: RuleContext): void {
  const outer = inner.parent?.type === 'BlockStatement' ? inner.parent.parent : inner.parent;
  if (outer?.type !== 'ForStatement') return;
  const counter = (loop: TSESTree.ForStatement) => loop.init?.type === 'VariableDeclaration' && loop.init.declarations.length === 1
    && loop.init.declarations[0].id.type === 'Identifier' ? loop.init.declarations[0] : null;
  const outerCounter = counter(outer);
  const innerCounter = counter(inner);
  if (!outerCounter || !innerCounter) return;
  const i = (outerCounter.id as TSESTree.Identifier).name;
  const j = (innerCounter.id as TSESTree.Identifier).name;
  const lengthOf = (loop: TSESTree.ForStatement) => loop.test?.type === 'BinaryExpression' && loop.test.operator === '<'
    && loop.test.right.type === 'MemberExpression' && !loop.test.right.computed && loop.test.right.property.type === 'Identifier'
    && loop.test.right.property.name === 'length' && loop.test.right.object.type === 'Identifier' ? loop.test.right.object.name : null;
  const array = lengthOf(outer);
  if (!array || lengthOf(inner) !== array) return;
  const bodyText = context.analysis.source(inner.body);
  const element = (k: string) => `${array}\\[\\s*${k}\\s*\\]`;
  const compares = new RegExp(`${element(i)}\\s*===?\\s*${element(j)}|${element(j)}\\s*===?\\s*${element(i)}`).test(bodyText);
  if (!compares) return;
  context.report({
    evidence: pairwiseEvidence(context, ((outer.test as TSESTree.BinaryExpression).right as TSESTree.MemberExpression).object, 'nested loops over the same array'),
    node: inner,
    message: `Nested loops compare every pair of \`${array}\` elements to find duplicates (quadratic); remember seen values in a Set in one pass instead.`,
  });
}

const PAIRWISE_METHODS: ReadonlySet<string> = new Set(['forEach', 'map', 'filter', 'some', 'every', 'find', 'findIndex', 'flatMap']);

/** `xs.forEach(x => ...)` with a one-identifier first parameter: the callback and the parameter name. */
function elementCallback(node: Node): { callback: TSESTree.ArrowFunctionExpression | TSESTree.FunctionExpression; param: string } | null {
  const call = methodCall(node);
  if (!call || !PAIRWISE_METHODS.has(call.method)) return null;
  const callback = call.call.arguments[0];
  if (callback?.type !== 'ArrowFunctionExpression' && callback?.type !== 'FunctionExpression') return null;
  const param = callback.params[0];
  if (param?.type !== 'Identifier') return null;
  const receiver = call.receiver;
  const isName = receiver.type === 'Identifier' || receiver.type === 'MemberExpression' && !receiver.computed && receiver.object.type === 'ThisExpression';
  return isName ? { callback, param: param.name } : null;
}

/**
 * `xs.forEach(x => xs.forEach(y => { if (x.id === y.id) ... }))`: nested iteration callbacks over the
 * same collection comparing the same key of both elements visit every pair (quadratic). Comparisons of
 * different keys (`x.parent === y`) are lookups, which quadratic/includes-in-loop reports.
 */
function visitPairwiseCallbacks(inner: TSESTree.CallExpression, context: RuleContext): void {
  const innerEach = elementCallback(inner);
  if (!innerEach) return;
  const outerCallback = context.analysis.functionOf(inner);
  const outerCall = outerCallback.type !== 'Program' ? outerCallback.parent : null;
  const outerEach = outerCall ? elementCallback(outerCall) : null;
  if (!outerEach || outerEach.callback !== outerCallback) return;
  const receiverText = (call: Node) => context.analysis.source(methodCall(call)!.receiver);
  const collection = receiverText(inner);
  if (receiverText(outerCall!) !== collection || innerEach.param === outerEach.param) return;
  const escape = (name: string) => name.replace(/\$/g, '\\$');
  const side = (name: string) => `(?<![\\w$.])${escape(name)}((?:\\.[\\w$]+)*)(?![\\w$])`;
  const text = context.analysis.source(innerEach.callback.body);
  const comparisons = [new RegExp(`${side(outerEach.param)}\\s*([!=]==?)\\s*${side(innerEach.param)}`, 'g'), new RegExp(`${side(innerEach.param)}\\s*([!=]==?)\\s*${side(outerEach.param)}`, 'g')];
  // The same key on both sides (`x.id === y.id`), or the elements themselves compared equal (`x !== y` alone only skips the element itself).
  const sameKey = comparisons.some(pattern => [...text.matchAll(pattern)].some(match => match[1] === match[3] && (match[1] !== '' || match[2].startsWith('='))));
  if (!sameKey) return;
  context.report({
    node: inner,
    evidence: pairwiseEvidence(context, methodCall(inner)!.receiver, `nested callbacks over \`${collection}\``),
    message: `Nested callbacks over \`${collection}\` compare every pair of its elements (quadratic); group the elements by that key in a Map (or a Set of seen values) in one pass instead.`,
  });
}
