// quadratic/dedupe-indexof: removing duplicates by scanning the array once per element.
// `a.filter((v, i) => a.indexOf(v) === i)` → `[...new Set(a)]` is only a suggestion: indexOf never finds
// NaN (the filter drops every NaN, a Set keeps one), filter skips holes, and filter keeps Array subclasses.
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { methodCall, SMALL_ARRAY_LIMIT } from '../analysis';
import { configurationName, configurationReason } from '../scale';
import type { Rule, RuleContext } from '../types';

type Node = TSESTree.Node;

export const dedupeIndexof: Rule = {
  meta: {
    id: 'quadratic/dedupe-indexof',
    family: 'quadratic',
    description: 'Removing duplicates with filter + indexOf or a nested pairwise loop is quadratic; a Set does it in one pass.',
    defaultSeverity: 'warning',
  },
  triggers: [/\bindexOf\b|\bfor\b/],
  nodeTypes: ['CallExpression', 'ForStatement'],
  visit(node, context) {
    if (node.type === 'CallExpression') visitFilter(node, context);
    else if (node.type === 'ForStatement') visitPairwiseLoop(node, context);
  },
};

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
  const configuration = configurationName(context.analysis, call.receiver);
  context.report({
    node,
    evidence: configuration ? configurationReason(configuration) : { scales: true, reason: 'a pairwise scan of one collection (each element searches the whole array)' },
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
    evidence: { scales: true, reason: 'a pairwise scan of one collection (nested loops over the same array)' },
    node: inner,
    message: `Nested loops compare every pair of \`${array}\` elements to find duplicates (quadratic); remember seen values in a Set in one pass instead.`,
  });
}
