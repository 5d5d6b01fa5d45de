// quadratic/includes-in-loop: a linear scan of a loop-invariant array repeated by a loop.
// `includes` → Set.has is a safe fix (both use SameValueZero, and a Set built from an array that is not
// modified while the loop runs has the same members). indexOf/some/find rewrites are suggestions:
// they compare with === (NaN never matches, a Set/Map finds it) and skip or visit holes differently.
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { LOOP_WORDS, methodCall } from '../analysis';
import { capitalise, type HoistPlan, insertBefore, planHoist } from '../hoist';
import type { OffsetEdit, OffsetFix, Rule, RuleContext } from '../types';

type Node = TSESTree.Node;
const NAN_CONDITION = 'cannot contain NaN (=== never matches NaN, a Set/Map does) and has no holes';

export const includesInLoop: Rule = {
  meta: {
    id: 'quadratic/includes-in-loop',
    family: 'quadratic',
    description: 'Array lookups (includes, indexOf, some, find, findIndex, filter()[0]) repeated inside a loop; use a Set or Map built once.',
    defaultSeverity: 'warning',
  },
  triggers: [/\b(?:includes|indexOf|lastIndexOf|some|find|findIndex|filter)\b/, LOOP_WORDS],
  nodeTypes: ['CallExpression'],
  visit(node, context) {
    const call = methodCall(node);
    if (!call || call.receiver.type !== 'Identifier' || isDedupeFilter(call.call, call.receiver.name)) return;
    const args = call.call.arguments;
    if (args.length !== 1 || args[0].type === 'SpreadElement') return;
    switch (call.method) {
      case 'includes': return reportIncludes(call.call, call.receiver, context);
      case 'indexOf': case 'lastIndexOf': return reportIndexOf(call.call, call.receiver, call.method, args[0], context);
      case 'some': return reportSome(call.call, call.receiver, args[0], context);
      case 'find': case 'findIndex': case 'filter': return reportFind(call.call, call.receiver, call.method, args[0], context);
      default: return;
    }
  },
};

/** `a.filter((v, i) => a.indexOf(v) === i)`: quadratic/dedupe-indexof reports it as a whole. */
function isDedupeFilter(call: TSESTree.CallExpression, receiver: string): boolean {
  const callback = call.parent?.type === 'BinaryExpression' ? enclosingCallback(call.parent) : null;
  const iteration = callback?.parent?.type === 'CallExpression' ? methodCall(callback.parent) : null;
  return !!iteration && iteration.method === 'filter' && iteration.receiver.type === 'Identifier' && iteration.receiver.name === receiver;
}

function enclosingCallback(node: Node): Node | null {
  const parent = node.parent;
  if (parent?.type === 'ArrowFunctionExpression') return parent;
  if (parent?.type === 'ReturnStatement' && parent.parent?.type === 'BlockStatement') {
    const fn = parent.parent.parent;
    return fn && (fn.type === 'ArrowFunctionExpression' || fn.type === 'FunctionExpression') ? fn : null;
  }
  return null;
}

/**
 * What to do instead. An array the loop itself changes (a dedupe that pushes as it goes) cannot be
 * turned into a Set once before the loop: then the Set has to live beside it and change with it.
 */
function remedy(plan: HoistPlan, structure: string): string {
  return plan.hoistBefore
    ? `build ${structure} once before the loop.`
    : `the array changes inside the loop, so keep ${structure} beside it and update both together.`;
}

function loopWord(plan: HoistPlan): string {
  return plan.loop.kind === 'callback' ? 'an iteration callback' : 'a loop';
}

function setDeclaration(context: RuleContext, plan: HoistPlan, arrayName: string): { name: string; edit: OffsetEdit } | null {
  if (!plan.hoistBefore) return null;
  const name = context.analysis.freshName(`${arrayName}Set`);
  return { name, edit: insertBefore(context.analysis, plan.hoistBefore, `const ${name} = new Set(${arrayName});`) };
}

function reportIncludes(call: TSESTree.CallExpression, receiver: TSESTree.Identifier, context: RuleContext): void {
  const plan = planHoist(context.analysis, call, receiver);
  if (!plan) return;
  const message = `\`${receiver.name}.includes()\` inside ${loopWord(plan)} scans the whole array on every iteration; ${remedy(plan, 'a Set')}`;
  const declaration = setDeclaration(context, plan, receiver.name);
  if (!declaration) return context.report({ evidence: plan.scaling, node: call, message });
  const rewrite: OffsetFix = {
    description: `Build \`const ${declaration.name} = new Set(${receiver.name})\` before the loop and use \`${declaration.name}.has()\``,
    edits: [declaration.edit, { start: call.callee.range[0], end: call.callee.range[1], text: `${declaration.name}.has` }],
  };
  if (plan.risks.length === 0) return context.report({ evidence: plan.scaling, node: call, message, fix: rewrite });
  context.report({ evidence: plan.scaling, node: call, message, suggestions: [{ ...rewrite, description: `${rewrite.description} (check: ${plan.risks.join('; ')})` }] });
}

/** `a.indexOf(k) !== -1` and friends: the comparison, and whether it tests for absence. */
function membershipTest(call: TSESTree.CallExpression): { test: TSESTree.BinaryExpression; absent: boolean } | null {
  const parent = call.parent;
  if (parent?.type !== 'BinaryExpression') return null;
  const other = parent.left === call ? parent.right : parent.left;
  const value = other.type === 'Literal' && typeof other.value === 'number' ? other.value
    : other.type === 'UnaryExpression' && other.operator === '-' && other.argument.type === 'Literal' && typeof other.argument.value === 'number' ? -other.argument.value : null;
  if (value === null) return null;
  const callOnLeft = parent.left === call;
  const op = parent.operator;
  if (value === -1 && (op === '!==' || op === '!=')) return { test: parent, absent: false };
  if (value === -1 && (op === '===' || op === '==')) return { test: parent, absent: true };
  if (value === -1 && callOnLeft && op === '>' || value === -1 && !callOnLeft && op === '<') return { test: parent, absent: false };
  if (value === 0 && callOnLeft && op === '>=' || value === 0 && !callOnLeft && op === '<=') return { test: parent, absent: false };
  if (value === 0 && callOnLeft && op === '<' || value === 0 && !callOnLeft && op === '>') return { test: parent, absent: true };
  return null;
}

function reportIndexOf(call: TSESTree.CallExpression, receiver: TSESTree.Identifier, method: string, key: Node, context: RuleContext): void {
  const plan = planHoist(context.analysis, call, receiver);
  if (!plan) return;
  const message = `\`${receiver.name}.${method}()\` inside ${loopWord(plan)} scans the whole array on every iteration; ${remedy(plan, 'a Set or Map')}`;
  const keyText = context.analysis.source(key);
  const membership = membershipTest(call);
  const conditions = [...plan.risks, `\`${receiver.name}\` ${NAN_CONDITION}`].join('; ');
  if (!plan.hoistBefore) return context.report({ evidence: plan.scaling, node: call, message });
  if (membership) {
    const declaration = setDeclaration(context, plan, receiver.name)!;
    return context.report({
      evidence: plan.scaling,
      node: call, message, suggestions: [{
        description: `Use a Set built before the loop (check: ${conditions})`,
        edits: [declaration.edit, { start: membership.test.range[0], end: membership.test.range[1], text: `${membership.absent ? '!' : ''}${declaration.name}.has(${keyText})` }],
      }],
    });
  }
  const indexName = context.analysis.freshName(`${receiver.name}${method === 'indexOf' ? 'First' : 'Last'}Index`);
  const store = method === 'indexOf' ? `if (!${indexName}.has(value)) ${indexName}.set(value, index);` : `${indexName}.set(value, index);`;
  context.report({
    evidence: plan.scaling,
    node: call, message, suggestions: [{
      description: `Use a Map from value to index built before the loop (check: ${conditions})`,
      edits: [
        insertBefore(context.analysis, plan.hoistBefore, `const ${indexName} = new Map();\n${context.analysis.indentAt(plan.hoistBefore.range[0])}${receiver.name}.forEach((value, index) => { ${store} });`),
        { start: call.range[0], end: call.range[1], text: `(${indexName}.get(${keyText}) ?? -1)` },
      ],
    }],
  });
}

/** `v => v === k` / `v => k === v` / `v => v.p.q === k`: the compared key and the property path on v. */
function equalityCallback(callback: Node, context: RuleContext): { key: Node; path: string[] } | null {
  if (callback.type !== 'ArrowFunctionExpression' && callback.type !== 'FunctionExpression') return null;
  if (callback.params.length !== 1 || callback.params[0].type !== 'Identifier' || callback.async || callback.generator) return null;
  let body: Node = callback.body;
  if (body.type === 'BlockStatement') {
    if (body.body.length !== 1 || body.body[0].type !== 'ReturnStatement' || !body.body[0].argument) return null;
    body = body.body[0].argument;
  }
  if (body.type !== 'BinaryExpression' || body.operator !== '===') return null;
  const param = callback.params[0].name;
  const pathOf = (side: Node): string[] | null => {
    const path: string[] = [];
    let current = side;
    while (current.type === 'MemberExpression' && !current.computed && !current.optional && current.property.type === 'Identifier') {
      path.unshift(current.property.name);
      current = current.object;
    }
    return current.type === 'Identifier' && current.name === param ? path : null;
  };
  const mentionsParam = (side: Node) => new RegExp(`(^|[^\\w$.])${param.replace(/\$/g, '\\$')}($|[^\\w$])`).test(context.analysis.source(side));
  const leftPath = pathOf(body.left);
  if (leftPath && !mentionsParam(body.right)) return { key: body.right, path: leftPath };
  const rightPath = pathOf(body.right);
  if (rightPath && !mentionsParam(body.left)) return { key: body.left, path: rightPath };
  return null;
}

function reportSome(call: TSESTree.CallExpression, receiver: TSESTree.Identifier, callback: Node, context: RuleContext): void {
  const compared = equalityCallback(callback, context);
  if (!compared || compared.path.length > 0) return;
  const plan = planHoist(context.analysis, call, receiver);
  if (!plan) return;
  const message = `\`${receiver.name}.some(v => v === k)\` inside ${loopWord(plan)} scans the whole array on every iteration; ${remedy(plan, 'a Set')}`;
  const declaration = setDeclaration(context, plan, receiver.name);
  if (!declaration) return context.report({ evidence: plan.scaling, node: call, message });
  context.report({
    evidence: plan.scaling,
    node: call, message, suggestions: [{
      description: `Use a Set built before the loop (check: ${[...plan.risks, `\`${receiver.name}\` ${NAN_CONDITION}`].join('; ')})`,
      edits: [declaration.edit, { start: call.range[0], end: call.range[1], text: `${declaration.name}.has(${context.analysis.source(compared.key)})` }],
    }],
  });
}

function reportFind(call: TSESTree.CallExpression, receiver: TSESTree.Identifier, method: string, callback: Node, context: RuleContext): void {
  let replaced: Node = call;
  if (method === 'filter') {
    const parent = call.parent;
    const firstElement = parent?.type === 'MemberExpression' && parent.object === call && parent.computed
      && parent.property.type === 'Literal' && parent.property.value === 0;
    if (!firstElement) return;
    replaced = parent;
  }
  const compared = equalityCallback(callback, context);
  if (!compared || compared.path.length === 0) return;
  const plan = planHoist(context.analysis, call, receiver);
  if (!plan) return;
  const shown = method === 'filter' ? 'filter(...)[0]' : `${method}()`;
  const message = `\`${receiver.name}.${shown}\` inside ${loopWord(plan)} scans the whole array on every iteration; ${remedy(plan, `a Map keyed by \`${compared.path.join('.')}\``)}`;
  if (!plan.hoistBefore) return context.report({ evidence: plan.scaling, node: replaced, message });
  const wantsIndex = method === 'findIndex';
  const mapName = context.analysis.freshName(`${receiver.name}${wantsIndex ? 'Index' : ''}By${capitalise(compared.path[compared.path.length - 1])}`);
  const element = context.analysis.freshName('element');
  const index = context.analysis.freshName('index');
  const keyOf = `${element}.${compared.path.join('.')}`;
  // Keep the FIRST match: find/findIndex/filter()[0] return the earliest element, Map.set keeps the last.
  const build = wantsIndex
    ? `for (let ${index} = 0; ${index} < ${receiver.name}.length; ${index}++) { const ${element} = ${receiver.name}[${index}]; if (!${mapName}.has(${keyOf})) ${mapName}.set(${keyOf}, ${index}); }`
    : `for (const ${element} of ${receiver.name}) { if (!${mapName}.has(${keyOf})) ${mapName}.set(${keyOf}, ${element}); }`;
  const indent = context.analysis.indentAt(plan.hoistBefore.range[0]);
  const keyText = context.analysis.source(compared.key);
  context.report({
    evidence: plan.scaling,
    node: replaced, message, suggestions: [{
      description: `Use a Map built before the loop, keeping the first match (check: ${[...plan.risks, `no \`${compared.path.join('.')}\` value is NaN, and the array has no holes or missing elements (the Map reads every element's key up front)`].join('; ')})`,
      edits: [
        insertBefore(context.analysis, plan.hoistBefore, `const ${mapName} = new Map();\n${indent}${build}`),
        { start: replaced.range[0], end: replaced.range[1], text: wantsIndex ? `(${mapName}.get(${keyText}) ?? -1)` : `${mapName}.get(${keyText})` },
      ],
    }],
  });
}
