// async/await-in-loop: awaiting inside a loop whose iterations do not depend on each other serialises
// work that could overlap. Never a fix: Promise.all starts everything at once, changes the order of side
// effects and when errors surface. Skipped: `for await`, while/do-while (polling, retries), loops that
// break/return (they stop on an awaited result), loops that assign outer variables (cursors, totals),
// and awaited calls whose names say they write, lock, wait or retry (ordered writes).
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
      suggestions: node.type === 'ForOfStatement' ? concurrentRewrites(node, context) : [],
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
  // a running total, a retry counter, a lock flag).
  if (context.analysis.outerWritesIn(loop.body).length > 0) return false;
  return true;
}

/** A `break` that exits a switch or loop nested inside the loop body, not the loop itself. */
function breaksInnerConstruct(node: Node, loop: Node): boolean {
  for (let current = node.parent; current && current !== loop; current = current.parent) {
    if (isLoopStatement(current) || current.type === 'SwitchStatement') return true;
    if (isFunction(current)) return true;
  }
  return false;
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
