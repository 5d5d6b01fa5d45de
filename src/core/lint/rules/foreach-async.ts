// async/foreach-async: `xs.forEach(async x => ...)` drops the promises: the code after it runs before the
// callbacks finish and their errors are unhandled rejections. The rewrite to `await Promise.all(xs.map(...))`
// is a suggestion: the callbacks already ran concurrently, but now the caller waits and sees the failure.
import { methodCall } from '../analysis';
import type { Rule } from '../types';

const EVIDENCE = { scales: true, reason: 'the promises of an async forEach callback are dropped (a correctness problem, whatever the size)' };

export const foreachAsync: Rule = {
  meta: {
    id: 'async/foreach-async',
    family: 'async',
    description: 'forEach with an async callback drops the promises; nothing waits for the work or handles its errors.',
    defaultSeverity: 'warning',
  },
  triggers: [/\bforEach\b/, /\basync\b/],
  nodeTypes: ['CallExpression'],
  visit(visited, context) {
    const call = methodCall(visited);
    if (!call || call.method !== 'forEach' || call.call.arguments.length === 0) return;
    const node = call.call;
    const callback = node.arguments[0];
    if ((callback.type !== 'ArrowFunctionExpression' && callback.type !== 'FunctionExpression') || !callback.async) return;
    const message = '`forEach` ignores the promises its async callback returns: later code runs before they finish and their errors go unhandled.';
    const statement = node.parent;
    const owner = context.analysis.functionOf(node);
    const canAwait = statement?.type === 'ExpressionStatement' && owner.type !== 'Program' && owner.async;
    if (!canAwait) return context.report({ node: node.callee, message, evidence: EVIDENCE });
    const analysis = context.analysis;
    const receiver = analysis.source(call.receiver);
    const args = node.arguments.map(arg => analysis.source(arg)).join(', ');
    context.report({
      node: node.callee,
      message,
      evidence: EVIDENCE,
      suggestions: [{
        description: 'Wait for all callbacks with `await Promise.all(xs.map(...))` (check: `xs` is an array — a Map or Set has forEach but no map — and the caller may now wait for the work and receive the first error; nothing relied on continuing before the callbacks finish)',
        edits: [{ start: node.range[0], end: node.range[1], text: `await Promise.all(${receiver}.map(${args}))` }],
      }],
    });
  },
};
