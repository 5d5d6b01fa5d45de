// quadratic/shift-in-loop: Array#unshift moves every element, so an array filled from the front inside a loop
// costs O(n) per step. Array#shift does too, but only for long arrays: V8 trims a fast array's front in place
// (O(1)) until its backing store is in large-object space (more than about 10,000 items; measured on Node 20:
// ~130 ns per item up to 5,000 queued, 800 ns at 10,000, 4 µs at 50,000), so an unmeasured queue is a hint.
// No automatic rewrite: switching to a read index changes what the array holds afterwards and what
// `length` means inside the loop.
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { LOOP_WORDS, type LoopContext, methodCall } from '../analysis';
import { planHoist } from '../hoist';
import { configurationName, configurationReason } from '../scale';
import type { Rule, RuleContext } from '../types';

export const shiftInLoop: Rule = {
  meta: {
    id: 'quadratic/shift-in-loop',
    family: 'quadratic',
    description: 'shift()/unshift() on an array inside a loop moves every element each time; use a read index or push and reverse once.',
    defaultSeverity: 'warning',
  },
  triggers: [/\b(?:shift|unshift|splice)\b/, LOOP_WORDS],
  nodeTypes: ['CallExpression'],
  visit(node, context) {
    const call = methodCall(node);
    if (call?.method === 'splice' && call.receiver.type === 'Identifier') return visitSpliceOfFound(call.call, call.receiver, context);
    if (!call || (call.method !== 'shift' && call.method !== 'unshift') || call.receiver.type !== 'Identifier') return;
    // planHoist answers "a known array declared outside a loop that repeats this call"; hoisting itself is not used.
    const plan = planHoist(context.analysis, node, call.receiver);
    if (!plan) return;
    const name = call.receiver.name;
    const member = (property: string) => new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}\\s*\\.\\s*${property}\\b`);
    const lengthOfName = member('length');
    const drains = (loop: LoopContext) => loop.kind === 'statement' && (loop.node.type === 'WhileStatement' || loop.node.type === 'DoWhileStatement')
      && lengthOfName.test(context.analysis.source(loop.node.test));
    const drainedLoop = drains(plan.loop);
    // A work queue: drained with shift while the loop keeps adding to it (a breadth-first walk). A drain of
    // what was collected elsewhere (open subscriptions at completion) is as long as whatever that was.
    const refilled = drainedLoop && member('push').test(context.analysis.source(plan.loop.node));
    const configuration = configurationName(context.analysis, call.receiver);
    const evidence = configuration ? configurationReason(configuration)
      : call.method === 'shift' && refilled && plan.evidence === 'strong'
      ? { scales: false, reason: `a work queue drained with \`shift\` while the loop adds to it; V8 moves its elements only while it holds more than about 10,000 items at once (a shorter queue is trimmed in place), and how many it holds is unknown` }
      : call.method === 'shift' ? { scales: false, reason: `the length of \`${name}\` is unknown, and V8 moves the elements only beyond about 10,000 of them` }
      // A queue filled at the front and drained at the back (`unshift` + `pop` while `length`): each call moves what
      // the queue holds at that moment, its width, not everything the walk has seen.
      : context.analysis.enclosingLoops(node).some(drains) ? { scales: false, reason: `a work queue filled with \`unshift\` and drained while it has items: each call moves only what it holds at that moment, and how many that is is unknown` }
      : plan.scaling;
    context.report({
      node,
      evidence,
      message: call.method === 'shift'
        ? `\`${name}.shift()\` inside a loop moves every remaining element on each call once the array holds more than about 10,000 items (quadratic for a long queue); read with an index (\`${name}[head++]\`) or use a real queue.`
        : `\`${name}.unshift()\` inside a loop moves every element on each call (quadratic); push and reverse once after the loop, or build in the other order.`,
    });
  },
};

/** `xs.indexOf(v)` / `xs.findIndex(f)` / `xs.lastIndexOf(v)`: a search of `xs` for an index. */
function searchOf(node: TSESTree.Node | null | undefined, array: string): boolean {
  const call = node ? methodCall(node) : null;
  return !!call && /^(?:indexOf|lastIndexOf|findIndex|findLastIndex)$/.test(call.method) && call.receiver.type === 'Identifier' && call.receiver.name === array;
}

/**
 * `xs.splice(xs.indexOf(v), 1)`, or `const i = xs.indexOf(v); ... xs.splice(i, 1)`, inside a loop: each
 * removal searches the array and moves every later element, so removing many is quadratic.
 */
function visitSpliceOfFound(call: TSESTree.CallExpression, receiver: TSESTree.Identifier, context: RuleContext): void {
  const [start] = call.arguments;
  if (!start || start.type === 'SpreadElement') return;
  const name = receiver.name;
  let found = searchOf(start, name);
  if (!found && start.type === 'Identifier') {
    const variable = context.analysis.resolve(start);
    const declared = variable ? context.analysis.declaratorOf(variable) : null;
    found = !!declared && declared.kind === 'const' && searchOf(declared.declarator.init, name);
  }
  if (!found) return;
  const plan = planHoist(context.analysis, call, receiver);
  if (!plan) return;
  context.report({
    node: call,
    evidence: plan.scaling,
    message: `\`${name}.splice()\` of a found index inside a loop searches \`${name}\` and moves every later element on each removal (quadratic); collect what to remove in a Set and filter once after the loop.`,
  });
}
