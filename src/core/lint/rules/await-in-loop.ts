// async/await-in-loop: awaiting inside a loop whose iterations do not depend on each other serialises
// work that could overlap. Never a fix: Promise.all starts everything at once, changes the order of side
// effects and when errors surface. Skipped: `for await`, while/do-while (polling, retries), loops that
// break/return (they stop on an awaited result), loops that assign outer variables (cursors, retry
// counters) other than accumulating into them (`total += (await f(x)).length`: Promise.all, then add), and awaited calls whose names say they write, lock, wait or retry (ordered writes).
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { isFunction, isLoopStatement, isSmallFixedLoop } from '../analysis';
import { CONCURRENCY_CONDITIONS, isOrderedCall, isSharedResourceCall } from '../async-shared';
import type { OffsetFix, Rule, RuleContext } from '../types';

type Node = TSESTree.Node;
const DEFAULT_CONCURRENCY = 4;

export const awaitInLoop: Rule = {
  meta: {
    id: 'async/await-in-loop',
    family: 'async',
    description: 'await inside a loop whose iterations are independent runs them one after another; run them concurrently with Promise.all.',
    defaultSeverity: 'warning',
  },
  triggers: [/\bawait\b/, /\bfor\b/],
  nodeTypes: ['ForOfStatement', 'ForInStatement', 'ForStatement'],
  visit(node, context) {
    if (!isLoopStatement(node) || node.type === 'WhileStatement' || node.type === 'DoWhileStatement') return;
    if (node.type === 'ForOfStatement' && node.await) return;
    if (isSmallFixedLoop({ node, kind: 'statement' })) return;
    // `await pending[i]` waits for work that already started: running it "together" gains nothing.
    const awaits = directAwaits(node, context).filter(awaited => startsWork(awaited.argument));
    if (awaits.length === 0 || !iterationsLookIndependent(node, awaits, context)) return;
    context.report({
      node: awaits[0],
      // How many iterations run, and how long each waits, is unknown statically: measured waits promote it.
      evidence: { scales: false, reason: 'each iteration starts independent work and waits for it, but how many iterations run is unknown' },
      message: 'Each iteration waits for the previous one, but the iterations look independent; running them concurrently (Promise.all) can be much faster.',
      suggestions: suggestionsFor(node, context),
    });
  },
};

/** Awaits in the loop body whose innermost loop is `loop` (not in nested functions or nested loops). */
function directAwaits(loop: TSESTree.ForOfStatement | TSESTree.ForInStatement | TSESTree.ForStatement, context: RuleContext): TSESTree.AwaitExpression[] {
  // Most loops hold no await at all: the engine's bucket of awaits says so without walking the body.
  if (context.analysis.nodesWithin('AwaitExpression', loop.body).length === 0) return [];
  const owner = context.analysis.functionOf(loop);
  return context.analysis.descendants(loop.body, node => node.type === 'AwaitExpression', true)
    .filter(node => innermostLoop(node) === loop && context.analysis.functionOf(node) === owner) as TSESTree.AwaitExpression[];
}

function innermostLoop(node: Node): Node | null {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunction(current)) return null;
    if (isLoopStatement(current)) return current;
  }
  return null;
}

/** Nodes of `types` inside `body` that belong to the loop's own code (not to a nested function). */
function ownNodes(body: Node, types: string[], context: RuleContext): Node[] {
  return context.analysis.descendants(body, node => types.includes(node.type), true);
}

/** A call or `new` (possibly parenthesised or chained, `f().then(g)`): awaiting it waits for work started here. */
function startsWork(argument: Node): boolean {
  return argument.type === 'CallExpression' || argument.type === 'NewExpression';
}

function iterationsLookIndependent(loop: TSESTree.ForOfStatement | TSESTree.ForInStatement | TSESTree.ForStatement, awaits: TSESTree.AwaitExpression[], context: RuleContext): boolean {
  if (awaits.some(node => isOrderedCall(node.argument) || isSharedResourceCall(node.argument))) return false;
  // Leaving the loop early (break/return/throw on a result) means later iterations depend on earlier ones.
  const exits = ownNodes(loop.body, ['ReturnStatement', 'BreakStatement', 'ThrowStatement', 'YieldExpression', 'LabeledStatement'], context);
  if (exits.some(exit => exit.type !== 'BreakStatement' || exit.label !== null || !breaksInnerConstruct(exit, loop))) return false;
  if (ownNodes(loop.body, ['ContinueStatement'], context).some(node => (node as TSESTree.ContinueStatement).label !== null)) return false;
  if (loop.type === 'ForStatement') {
    const update = loop.update;
    const counted = update && (update.type === 'UpdateExpression' || update.type === 'AssignmentExpression' && update.operator === '+=');
    if (!counted || !loop.init || loop.init.type !== 'VariableDeclaration') return false;
  }
  // An outer variable assigned in the body is state carried from one iteration to the next (a cursor,
  // a retry counter, a lock flag), unless the loop only accumulates into it (see accumulationsIn).
  return accumulationsIn(loop, context) !== null;
}

/** `total += e` / `count++` as a statement of the loop's own code. */
type Accumulation = { node: TSESTree.AssignmentExpression | TSESTree.UpdateExpression; name: string };
const ACCUMULATING_OPERATORS: ReadonlySet<string> = new Set(['+=', '-=', '*=', '|=', '&=']);

function accumulationOf(node: Node): Accumulation | null {
  if (node.parent?.type !== 'ExpressionStatement') return null;
  if (node.type === 'UpdateExpression' && node.argument.type === 'Identifier') return { node, name: node.argument.name };
  if (node.type === 'AssignmentExpression' && ACCUMULATING_OPERATORS.has(node.operator) && node.left.type === 'Identifier') return { node, name: node.left.name };
  return null;
}

/**
 * The accumulations into outer variables of the loop (`tagKinds += summarize(product)`,
 * `total += (await f(x)).length`): [] when the loop writes no outer variable, null when some outer
 * variable is carried state instead: assigned otherwise, read anywhere else in the loop (the next
 * await could depend on it), or accumulated from a value that reads it.
 */
function accumulationsIn(loop: TSESTree.ForOfStatement | TSESTree.ForInStatement | TSESTree.ForStatement, context: RuleContext): Accumulation[] | null {
  const written = context.analysis.outerWritesIn(loop.body);
  if (written.length === 0) return [];
  const sites = ownNodes(loop.body, ['AssignmentExpression', 'UpdateExpression'], context).map(accumulationOf);
  const accumulations: Accumulation[] = [];
  for (const variable of written) {
    const mine = sites.filter((site): site is Accumulation => site !== null && site.name === variable.name);
    // Every mention of the name in the whole loop (test, update, nested functions too) must be one of
    // these accumulations' targets: a textual count, which over-counts (property keys) and so only adds caution.
    const mentions = context.analysis.source(loop).match(new RegExp(`(?<![\\w$.])${variable.name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g'))?.length ?? 0;
    if (mine.length === 0 || mentions !== mine.length) return null;
    accumulations.push(...mine);
  }
  return accumulations;
}

/** A `break` that exits a switch or loop nested inside the loop body, not the loop itself. */
function breaksInnerConstruct(node: Node, loop: Node): boolean {
  for (let current = node.parent; current && current !== loop; current = current.parent) {
    if (isLoopStatement(current) || current.type === 'SwitchStatement') return true;
    if (isFunction(current)) return true;
  }
  return false;
}

function suggestionsFor(loop: TSESTree.ForOfStatement | TSESTree.ForInStatement | TSESTree.ForStatement, context: RuleContext): OffsetFix[] {
  const accumulations = accumulationsIn(loop, context) ?? [];
  if (accumulations.length > 0) return accumulateAfterwards(loop, accumulations, context);
  return loop.type === 'ForOfStatement' ? concurrentRewrites(loop, context) : [];
}

/** `for (let i = 0; i < n; i++)` / `i <= n`: the `{ length }` of `Array.from` and the counter, else null. */
function countedRange(loop: TSESTree.ForStatement, context: RuleContext): { length: string; counter: string; bound: string } | null {
  const init = loop.init;
  if (init?.type !== 'VariableDeclaration' || init.kind === 'var' || init.declarations.length !== 1) return null;
  const declarator = init.declarations[0];
  if (declarator.id.type !== 'Identifier' || declarator.init?.type !== 'Literal' || declarator.init.value !== 0) return null;
  const counter = declarator.id.name;
  const test = loop.test;
  if (test?.type !== 'BinaryExpression' || (test.operator !== '<' && test.operator !== '<=') || test.left.type !== 'Identifier' || test.left.name !== counter) return null;
  const update = loop.update;
  const steps = update?.type === 'UpdateExpression' && update.operator === '++'
    || update?.type === 'AssignmentExpression' && update.operator === '+=' && update.right.type === 'Literal' && update.right.value === 1;
  if (!steps) return null;
  const bound = context.analysis.source(test.right);
  return { length: test.operator === '<' ? bound : `(${bound}) + 1`, counter, bound };
}

/**
 * Promise.all, then the accumulations applied afterwards in iteration order: each iteration returns the
 * values it would have added, and the outer variables are updated from them one by one. Running the
 * `+=` inside concurrent callbacks would lose updates (`total += await f()` reads `total` before it waits).
 */
function accumulateAfterwards(loop: TSESTree.ForOfStatement | TSESTree.ForInStatement | TSESTree.ForStatement, accumulations: Accumulation[], context: RuleContext): OffsetFix[] {
  const analysis = context.analysis;
  if (loop.parent?.type === 'LabeledStatement' || loop.type === 'ForInStatement') return [];
  if (ownNodes(loop.body, ['VariableDeclaration'], context).some(node => (node as TSESTree.VariableDeclaration).kind === 'var')) return [];
  let head: string;
  const checks = [CONCURRENCY_CONDITIONS];
  if (loop.type === 'ForOfStatement') {
    if (loop.left.type !== 'VariableDeclaration' || loop.left.kind === 'var' || loop.left.declarations.length !== 1) return [];
    head = `Array.from(${analysis.source(loop.right)}, async (${analysis.source(loop.left.declarations[0].id)}) =>`;
  } else {
    const range = countedRange(loop, context);
    if (!range) return [];
    head = `Array.from({ length: ${range.length} }, async (${analysis.freshName('_')}, ${range.counter}) =>`;
    if (!/^\d+$/.test(range.bound)) checks.push(`\`${range.bound}\` does not change while the loop runs`);
  }
  const names = [...new Set(accumulations.map(entry => entry.name))];
  const parts = new Map(names.map(name => [name, analysis.freshName(`${name}Parts`)]));
  const results = analysis.freshName('results');
  const result = analysis.freshName('result');
  const value = analysis.freshName('value');
  const body = loop.body;
  const bodyStart = body.type === 'BlockStatement' ? body.range[0] + 1 : body.range[0];
  const bodyEnd = body.type === 'BlockStatement' ? body.range[1] - 1 : body.range[1];
  const collected = `{ ${names.map(name => `${name}: ${parts.get(name)}`).join(', ')} }`;
  // Each accumulation records its value (`++` adds 1, `--` subtracts 1); `continue` returns what was recorded.
  const replacements: { start: number; end: number; text: string }[] = accumulations.map(({ node, name }) => ({
    start: node.range[0], end: node.range[1],
    text: node.type === 'UpdateExpression' ? `${parts.get(name)}.push(${node.operator === '++' ? 1 : -1})` : `${parts.get(name)}.push(${analysis.source(node.right)})`,
  }));
  for (const node of ownNodes(body, ['ContinueStatement'], context).filter(node => !breaksInnerConstruct(node, loop))) {
    replacements.push({ start: node.range[0], end: node.range[1], text: `return ${collected};` });
  }
  let text = analysis.text.slice(bodyStart, bodyEnd);
  for (const entry of replacements.sort((a, b) => b.start - a.start)) text = `${text.slice(0, entry.start - bodyStart)}${entry.text}${text.slice(entry.end - bodyStart)}`;
  const indent = analysis.indentAt(loop.range[0]);
  const operatorOf = (name: string) => {
    const node = accumulations.find(entry => entry.name === name)!.node;
    return node.type === 'UpdateExpression' ? '+=' : node.operator;
  };
  const uniform = names.every(name => accumulations.filter(entry => entry.name === name).every(entry => (entry.node.type === 'UpdateExpression' ? '+=' : entry.node.operator) === operatorOf(name)));
  if (!uniform) return [];
  if (accumulations.some(entry => entry.node.type === 'UpdateExpression')) checks.push(`${accumulations.filter(entry => entry.node.type === 'UpdateExpression').map(entry => `\`${entry.name}\``).join(', ')} holds a number (\`++\` becomes \`+= 1\`)`);
  const declarations = names.map(name => `const ${parts.get(name)} = [];`).join(' ');
  const apply = names.map(name => `for (const ${value} of ${result}.${name}) ${name} ${operatorOf(name)} ${value};`).join(' ');
  const lines = [
    `const ${results} = await Promise.all(${head} {`,
    `${indent}  ${declarations}${text.startsWith('\n') ? '' : ' '}${text.trimEnd()}`,
    `${indent}  return ${collected};`,
    `${indent}}));`,
    `${indent}for (const ${result} of ${results}) { ${apply} }`,
  ];
  return [{
    description: `Run the iterations together with Promise.all, then apply the updates of ${names.map(name => `\`${name}\``).join(', ')} in iteration order (check: ${[...new Set(checks)].join('; ')})`,
    edits: [{ start: loop.range[0], end: loop.range[1], text: lines.join('\n') }],
  }];
}

function concurrentRewrites(loop: TSESTree.ForOfStatement, context: RuleContext): OffsetFix[] {
  const analysis = context.analysis;
  if (loop.left.type !== 'VariableDeclaration' || loop.left.kind === 'var' || loop.left.declarations.length !== 1) return [];
  if (loop.parent?.type === 'LabeledStatement') return [];
  if (ownNodes(loop.body, ['VariableDeclaration'], context).some(node => (node as TSESTree.VariableDeclaration).kind === 'var')) return [];
  const pattern = analysis.source(loop.left.declarations[0].id);
  const iterable = analysis.source(loop.right);
  const bodyBlock = loop.body.type === 'BlockStatement' ? analysis.source(loop.body) : `{ ${analysis.source(loop.body)} }`;
  // In the map callback `continue` becomes `return`; continues of nested loops stay.
  const continues = ownNodes(loop.body, ['ContinueStatement'], context).filter(node => !breaksInnerConstruct(node, loop));
  const bodyStart = loop.body.type === 'BlockStatement' ? loop.body.range[0] : loop.body.range[0] - 2;
  let mapBody = bodyBlock;
  for (const node of [...continues].sort((a, b) => b.range[0] - a.range[0])) {
    const start = node.range[0] - bodyStart;
    const end = node.range[1] - bodyStart;
    const semicolon = context.text.slice(node.range[0], node.range[1]).endsWith(';') ? ';' : '';
    mapBody = `${mapBody.slice(0, start)}return${semicolon}${mapBody.slice(end)}`;
  }
  const indent = analysis.indentAt(loop.range[0]);
  const all: OffsetFix = {
    description: `Run all iterations at once with Promise.all (check: ${CONCURRENCY_CONDITIONS})`,
    edits: [{ start: loop.range[0], end: loop.range[1], text: `await Promise.all(Array.from(${iterable}, async (${pattern}) => ${mapBody}));` }],
  };
  const items = analysis.freshName('pending');
  const next = analysis.freshName('nextIndex');
  const worker = analysis.freshName('runWorker');
  const bounded: OffsetFix = {
    description: `Run at most ${DEFAULT_CONCURRENCY} iterations at a time (check: ${CONCURRENCY_CONDITIONS}; ${DEFAULT_CONCURRENCY} suits the callee)`,
    edits: [{
      start: loop.range[0], end: loop.range[1],
      text: [
        '{',
        `${indent}  const ${items} = Array.from(${iterable});`,
        `${indent}  let ${next} = 0;`,
        `${indent}  const ${worker} = async () => {`,
        `${indent}    while (${next} < ${items}.length) {`,
        `${indent}      ${loop.left.kind} ${pattern} = ${items}[${next}++];`,
        `${indent}      ${bodyBlock}`,
        `${indent}    }`,
        `${indent}  };`,
        `${indent}  await Promise.all(Array.from({ length: Math.min(${DEFAULT_CONCURRENCY}, ${items}.length) }, ${worker}));`,
        `${indent}}`,
      ].join('\n'),
    }],
  };
  return [all, bounded];
}
