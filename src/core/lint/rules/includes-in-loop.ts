// quadratic/includes-in-loop: a linear scan of a loop-invariant array repeated by a loop.
// `includes` → Set.has is a safe fix (both use SameValueZero, and a Set built from an array that is not
// modified while the loop runs has the same members). indexOf/some/find rewrites are suggestions:
// they compare with === (NaN never matches, a Set/Map finds it) and skip or visit holes differently.
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { isSmallFixedLoop, iteratedExpression, LOOP_WORDS, methodCall } from '../analysis';
import { capitalise, type HoistPlan, insertBefore, planHoist } from '../hoist';
import { configurationName, configurationReason } from '../scale';
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
    if (call && call.receiver.type === 'MemberExpression' && /^(?:includes|indexOf|lastIndexOf)$/.test(call.method)) return reportMemberLookup(call.call, call.receiver, call.method, context);
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

/**
 * `a.filter((v, i) => a.indexOf(v) === i)`: quadratic/dedupe-indexof reports it as a whole. Only that
 * shape: `a.filter(x => a.indexOf(x.parent) !== -1)` is a membership test, reported here.
 */
function isDedupeFilter(call: TSESTree.CallExpression, receiver: string): boolean {
  const test = call.parent;
  const callback = test?.type === 'BinaryExpression' ? enclosingCallback(test) : null;
  const iteration = callback?.parent?.type === 'CallExpression' ? methodCall(callback.parent) : null;
  if (!iteration || iteration.method !== 'filter' || iteration.receiver.type !== 'Identifier' || iteration.receiver.name !== receiver) return false;
  const [value, index] = (callback as TSESTree.FunctionLike).params;
  const other = (test as TSESTree.BinaryExpression).left === call ? (test as TSESTree.BinaryExpression).right : (test as TSESTree.BinaryExpression).left;
  const argument = call.arguments[0];
  return value?.type === 'Identifier' && index?.type === 'Identifier' && argument?.type === 'Identifier' && argument.name === value.name
    && other.type === 'Identifier' && other.name === index.name;
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

/** `xs.splice(xs.indexOf(v), 1)` / `const i = xs.indexOf(v); xs.splice(i, 1)`: shift-in-loop reports the removal as a whole. */
function feedsSplice(call: TSESTree.CallExpression, array: string, context: RuleContext): boolean {
  const parent = call.parent;
  const splice = parent ? methodCall(parent) : null;
  if (splice?.method === 'splice' && splice.receiver.type === 'Identifier' && splice.receiver.name === array) return splice.call.arguments[0] === call;
  if (parent?.type !== 'VariableDeclarator' || parent.id.type !== 'Identifier' || (parent.parent as TSESTree.VariableDeclaration).kind !== 'const') return false;
  const escape = (name: string) => name.replace(/\$/g, '\\$');
  return new RegExp(`(?<![\\w$.])${escape(array)}\\s*\\.\\s*splice\\s*\\(\\s*${escape(parent.id.name)}(?![\\w$])`).test(context.analysis.source(context.analysis.functionOf(call)));
}

function reportIndexOf(call: TSESTree.CallExpression, receiver: TSESTree.Identifier, method: string, key: Node, context: RuleContext): void {
  if (feedsSplice(call, receiver.name, context)) return;
  const plan = planHoist(context.analysis, call, receiver);
  if (!plan) return;
  const message = `\`${receiver.name}.${method}()\` inside ${loopWord(plan)} scans the whole array on every iteration; ${remedy(plan, 'a Set or Map')}`;
  const keyText = context.analysis.source(key);
  const membership = membershipTest(call);
  const conditions = [...plan.risks, `\`${receiver.name}\` ${NAN_CONDITION}`].join('; ');
  if (!plan.hoistBefore) return context.report({ evidence: plan.scaling, node: call, message });
  if (membership) {
    const declaration = setDeclaration(context, plan, receiver.name)!;
    const edits = [declaration.edit, { start: membership.test.range[0], end: membership.test.range[1], text: `${membership.absent ? '!' : ''}${declaration.name}.has(${keyText})` }];
    // indexOf (===) and Set.has (SameValueZero) differ only on NaN, and holes read as undefined by neither:
    // an array of strings built here and not changed by the loop (no risks) makes the rewrite safe.
    if (plan.risks.length === 0 && holdsOnlyStrings(context, plan)) {
      return context.report({ evidence: plan.scaling, node: call, message, fix: { description: `Use a Set built before the loop (\`${receiver.name}\` holds only strings: indexOf and Set.has agree on them)`, edits } });
    }
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

/** Whether the array was built as strings only: `s.split(…)`, `Object.keys(…)`, or a literal of string literals. */
function holdsOnlyStrings(context: RuleContext, plan: HoistPlan): boolean {
  const init = context.analysis.declaratorOf(plan.variable)?.declarator.init;
  if (!init) return false;
  if (init.type === 'ArrayExpression') return init.elements.every(element => element?.type === 'Literal' && typeof element.value === 'string');
  const call = methodCall(init);
  if (!call) return false;
  if (call.method === 'split') return call.receiver.type === 'Literal' && typeof call.receiver.value === 'string' || call.receiver.type === 'TemplateLiteral' || isStringTyped(context, call.receiver);
  return call.receiver.type === 'Identifier' && call.receiver.name === 'Object' && call.method === 'keys' && !context.analysis.resolve(call.receiver);
}

/** A string literal, template, or a variable declared `: string` / initialised with one (`split` on anything else may be a user method). */
function isStringTyped(context: RuleContext, node: Node): boolean {
  if (node.type !== 'Identifier') return false;
  const variable = context.analysis.resolve(node);
  const def = variable?.defs[0];
  if (!def || def.name.type !== 'Identifier') return false;
  if (def.name.typeAnnotation?.typeAnnotation.type === 'TSStringKeyword') return true;
  const init = variable ? context.analysis.declaratorOf(variable)?.declarator.init : null;
  return !!init && (init.type === 'Literal' && typeof init.value === 'string' || init.type === 'TemplateLiteral');
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
  // `filter(...)[0]` finds the first match, `filter(...).length` counts the matches (mostly to test for one).
  let filterUse: 'first' | 'count' | null = null;
  if (method === 'filter') {
    const parent = call.parent;
    if (parent?.type !== 'MemberExpression' || parent.object !== call) return;
    if (parent.computed && parent.property.type === 'Literal' && parent.property.value === 0) filterUse = 'first';
    else if (!parent.computed && parent.property.type === 'Identifier' && parent.property.name === 'length') filterUse = 'count';
    else return;
    replaced = parent;
  }
  const compared = equalityCallback(callback, context);
  // `find(v => v === k)` is a membership test in disguise; `some` with one is reported by reportSome.
  if (!compared) return;
  const plan = planHoist(context.analysis, call, receiver);
  if (!plan) return;
  const keyPath = compared.path.length > 0 ? compared.path.join('.') : null;
  const shown = filterUse === 'first' ? 'filter(...)[0]' : filterUse === 'count' ? 'filter(...).length' : `${method}()`;
  const structure = filterUse === 'count' ? `a Map of counts keyed by ${keyPath ? `\`${keyPath}\`` : 'value'}` : `a Map keyed by ${keyPath ? `\`${keyPath}\`` : 'value'}`;
  const message = `\`${receiver.name}.${shown}\` inside ${loopWord(plan)} scans the whole array on every iteration; ${remedy(plan, structure)}`;
  if (!plan.hoistBefore) return context.report({ evidence: plan.scaling, node: replaced, message });
  const element = context.analysis.freshName('element');
  const keyOf = keyPath ? `${element}.${keyPath}` : element;
  const keyName = capitalise(compared.path[compared.path.length - 1] ?? 'value');
  const keyText = context.analysis.source(compared.key);
  const indent = context.analysis.indentAt(plan.hoistBefore.range[0]);
  const nanCondition = keyPath ? `no \`${keyPath}\` value is NaN` : 'no element is NaN';
  if (filterUse === 'count') {
    const countName = context.analysis.freshName(`${receiver.name}CountBy${keyName}`);
    return context.report({
      evidence: plan.scaling,
      node: replaced, message, suggestions: [{
        description: `Count the matches once before the loop in a Map (check: ${[...plan.risks, `${nanCondition}, and the array has no holes or missing elements (the Map reads every element's key up front)`].join('; ')})`,
        edits: [
          insertBefore(context.analysis, plan.hoistBefore, `const ${countName} = new Map();\n${indent}for (const ${element} of ${receiver.name}) ${countName}.set(${keyOf}, (${countName}.get(${keyOf}) ?? 0) + 1);`),
          { start: replaced.range[0], end: replaced.range[1], text: `(${countName}.get(${keyText}) ?? 0)` },
        ],
      }],
    });
  }
  const wantsIndex = method === 'findIndex';
  const mapName = context.analysis.freshName(`${receiver.name}${wantsIndex ? 'Index' : ''}By${keyName}`);
  const index = context.analysis.freshName('index');
  // Keep the FIRST match: find/findIndex/filter()[0] return the earliest element, Map.set keeps the last.
  const build = wantsIndex
    ? `for (let ${index} = 0; ${index} < ${receiver.name}.length; ${index}++) { const ${element} = ${receiver.name}[${index}]; if (!${mapName}.has(${keyOf})) ${mapName}.set(${keyOf}, ${index}); }`
    : `for (const ${element} of ${receiver.name}) { if (!${mapName}.has(${keyOf})) ${mapName}.set(${keyOf}, ${element}); }`;
  context.report({
    evidence: plan.scaling,
    node: replaced, message, suggestions: [{
      description: `Use a Map built before the loop, keeping the first match (check: ${[...plan.risks, `${nanCondition}, and the array has no holes or missing elements (the Map reads every element's key up front)`].join('; ')})`,
      edits: [
        insertBefore(context.analysis, plan.hoistBefore, `const ${mapName} = new Map();\n${indent}${build}`),
        { start: replaced.range[0], end: replaced.range[1], text: wantsIndex ? `(${mapName}.get(${keyText}) ?? -1)` : `${mapName}.get(${keyText})` },
      ],
    }],
  });
}

/**
 * `this.items.indexOf(x)` inside `items.forEach(...)` / `this.items.forEach(...)`. A property can be
 * changed by any code the loop calls, so there is no rewrite, only the advice. It must be shown to be an
 * array: walked by an array-only method in the same loop (`this.items.forEach`), or assigned an array
 * literal somewhere in the file (`this.items = []`).
 */
function reportMemberLookup(call: TSESTree.CallExpression, receiver: TSESTree.MemberExpression, method: string, context: RuleContext): void {
  if (receiver.object.type !== 'ThisExpression' || receiver.computed || receiver.property.type !== 'Identifier') return;
  if (call.arguments.length !== 1 || call.arguments[0].type === 'SpreadElement') return;
  const analysis = context.analysis;
  const loops = analysis.enclosingLoops(call);
  if (loops.length === 0 || loops.every(isSmallFixedLoop)) return;
  // `this` inside a `function` callback is another object (or undefined): only arrows and loop statements keep it.
  if (loops.some(loop => loop.kind === 'callback' && (loop.node as TSESTree.CallExpression).arguments[0]?.type === 'FunctionExpression')) return;
  const name = analysis.source(receiver);
  const walksSame = loops.some(loop => {
    const walked = iteratedExpression(loop);
    return !!walked && analysis.source(walked) === name;
  });
  const property = receiver.property.name;
  const assignedArray = new RegExp(`\\bthis\\s*\\.\\s*${property.replace(/\$/g, '\\$')}\\s*=\\s*\\[`).test(analysis.text);
  if (!walksSame && !assignedArray) return;
  const configuration = configurationName(analysis, receiver);
  const evidence = configuration ? configurationReason(configuration)
    : walksSame ? { scales: false, reason: `a pairwise scan of one collection (the loop walks \`${name}\` and searches it), whose size is unknown` }
      : { scales: false, reason: `the size of \`${name}\` is unknown` };
  context.report({
    evidence, node: call,
    message: `\`${name}.${method}()\` inside ${loops[0].kind === 'callback' ? 'an iteration callback' : 'a loop'} scans the whole array on every iteration; build a Set once before the loop (or keep one beside \`${name}\`).`,
  });
}
