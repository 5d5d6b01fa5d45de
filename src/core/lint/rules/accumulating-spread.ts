// quadratic/accumulating-spread: `{...acc, k: v}` / `[...acc, x]` / `acc.concat(x)` copies the whole
// accumulator on every step. Mutating the accumulator instead is a safe fix when nothing else can see
// the intermediate copies: the accumulator starts as a fresh literal, is never read by anything that
// could keep it, and the new keys are written as plain data (a computed key could be "__proto__", where
// assignment sets the prototype but a literal defines a property, so computed keys stay suggestions).
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { contains, isSmallFixedLoop, iteratedExpression, type LoopContext, LOOP_WORDS, methodCall } from '../analysis';
import { insertBefore, walksCollection } from '../hoist';
import { firstScalingLoop, type Scaling } from '../scale';
import type { OffsetEdit, OffsetFix, Rule, RuleContext } from '../types';

type Node = TSESTree.Node;

export const accumulatingSpread: Rule = {
  meta: {
    id: 'quadratic/accumulating-spread',
    family: 'quadratic',
    description: 'Spreading or concatenating an accumulator inside a loop or reduce copies it every step; mutate one fresh accumulator instead.',
    defaultSeverity: 'warning',
  },
  triggers: [/\.\.\.|\bconcat\b/, LOOP_WORDS],
  nodeTypes: ['CallExpression', 'AssignmentExpression'],
  visit(node, context) {
    if (node.type === 'CallExpression') visitReduce(node, context);
    else if (node.type === 'AssignmentExpression') visitLoopAssignment(node, context);
  },
};

interface Rewrite { statements: string[]; risks: string[] }

function isFreshLiteral(node: Node | null | undefined): boolean {
  if (!node) return false;
  if (node.type === 'TSAsExpression' || node.type === 'TSSatisfiesExpression') return isFreshLiteral(node.expression);
  if (node.type === 'ArrayExpression') return node.elements.every(element => element !== null);
  if (node.type === 'ObjectExpression') {
    return node.properties.every(property => property.type === 'SpreadElement'
      || property.kind === 'init' && !(!property.computed && keyName(property.key) === '__proto__'));
  }
  return false;
}

function keyName(key: Node): string | null {
  if (key.type === 'Identifier') return key.name;
  if (key.type === 'Literal') return String(key.value);
  return null;
}

/** Statements that add `literal`'s entries after the leading `...acc` to `acc` in place. */
function mutationFor(literal: TSESTree.ObjectExpression | TSESTree.ArrayExpression, acc: string, context: RuleContext): Rewrite | null {
  const source = (node: Node) => context.analysis.source(node);
  const statements: string[] = [];
  const risks: string[] = [];
  if (literal.type === 'ArrayExpression') {
    const rest = literal.elements.slice(1);
    if (rest.some(element => element === null)) return null;
    for (const element of rest as (TSESTree.Expression | TSESTree.SpreadElement)[]) {
      if (element.type === 'SpreadElement') {
        const item = context.analysis.freshName('item');
        statements.push(`for (const ${item} of ${source(element.argument)}) ${acc}.push(${item});`);
      } else {
        statements.push(`${acc}.push(${source(element)});`);
      }
    }
    return { statements, risks };
  }
  for (const property of literal.properties.slice(1)) {
    if (property.type === 'SpreadElement') {
      statements.push(`Object.assign(${acc}, ${source(property.argument)});`);
      risks.push('the spread objects have no own "__proto__" key and no setters are involved (Object.assign assigns, a spread defines)');
      continue;
    }
    if (property.kind !== 'init' || property.method && property.computed) return null;
    const value = property.shorthand ? source(property.key) : source(property.value);
    if (property.computed) {
      statements.push(`${acc}[${source(property.key)}] = ${value};`);
      risks.push('the computed key is never "__proto__" (assignment would set the prototype instead of adding a property)');
    } else {
      const name = keyName(property.key);
      if (name === null || name === '__proto__') return null;
      statements.push(property.key.type === 'Identifier' ? `${acc}.${name} = ${value};` : `${acc}[${source(property.key)}] = ${value};`);
    }
  }
  return { statements, risks };
}

/** Statements that append `concat`'s arguments to `acc` in place (`acc.concat(a, [b])` → `for (...) acc.push(...)`, `acc.push(b)`). */
function pushesFor(concat: TSESTree.CallExpression, acc: string, context: RuleContext): Rewrite | null {
  const statements: string[] = [];
  const risks: string[] = [];
  for (const arg of concat.arguments) {
    if (arg.type === 'SpreadElement') return null;
    if (arg.type === 'ArrayExpression' && arg.elements.every(element => element !== null && element.type !== 'SpreadElement')) {
      if (arg.elements.length > 0) statements.push(`${acc}.push(${arg.elements.map(element => context.analysis.source(element!)).join(', ')});`);
    } else {
      const item = context.analysis.freshName('item');
      statements.push(`for (const ${item} of ${context.analysis.source(arg)}) ${acc}.push(${item});`);
      risks.push(`\`${context.analysis.source(arg)}\` is an array without holes (concat appends non-arrays as one element and keeps holes)`);
    }
  }
  return { statements, risks };
}

/** `acc.concat(...)` on the accumulator itself. */
function isConcatOf(node: Node, acc: string): node is TSESTree.CallExpression {
  const call = methodCall(node);
  return !!call && call.method === 'concat' && call.receiver.type === 'Identifier' && call.receiver.name === acc;
}

/** `[...acc, x]` / `{ ...acc, k: v }`: a copy of `acc` with more entries (a bare `[...acc]` is a copy, not accumulation). */
function leadingSpreadOf(literal: Node, acc: string): literal is TSESTree.ObjectExpression | TSESTree.ArrayExpression {
  const entries = literal.type === 'ObjectExpression' ? literal.properties : literal.type === 'ArrayExpression' ? literal.elements : [];
  const first = entries[0];
  return entries.length > 1 && !!first && first.type === 'SpreadElement' && first.argument.type === 'Identifier' && first.argument.name === acc;
}

/**
 * Each step copies the accumulator, so the cost is quadratic in the number of steps: a Problems-panel
 * finding only when the loop runs once per item of growing data (see scale.ts).
 */
function evidenceOf(context: RuleContext, loops: readonly LoopContext[]): Scaling {
  const scaling = firstScalingLoop(context.analysis, loops);
  if (scaling) return { scales: true, reason: `the accumulator is copied on every step, and ${scaling.reason}` };
  const walked = iteratedExpression(loops[0]);
  // Name the walked collection when it is short enough to read in one line.
  const shown = walked ? context.analysis.source(walked) : '';
  return { scales: false, reason: walked && walksCollection(loops[0])
    ? `the accumulator is copied on every step, but the number of steps${/^[^\n]{1,60}$/.test(shown) ? ` (the size of \`${shown}\`)` : ''} is unknown`
    : 'the loop walks no collection (a parent chain, a condition): its length is unknown' };
}

/**
 * Copy-on-write: `if (list === shared) list = [...list, x]` copies only while the array is still shared,
 * once, so nothing accumulates copies.
 */
function isCopyOnWrite(node: Node, acc: string): boolean {
  for (let current = node.parent; current && current.type !== 'BlockStatement' && current.type !== 'Program'; current = current.parent) {
    if (current.type === 'IfStatement' || current.type === 'ConditionalExpression' || current.type === 'LogicalExpression') {
      const test = current.type === 'LogicalExpression' ? current.left : current.test;
      if (test.type === 'BinaryExpression' && /^[!=]==?$/.test(test.operator)
        && [test.left, test.right].some(side => side.type === 'Identifier' && side.name === acc)) return true;
    }
  }
  const block = node.parent?.parent;
  if (block?.type === 'BlockStatement' && block.parent?.type === 'IfStatement') return isCopyOnWrite(block, acc);
  return false;
}

/** How many times `name` appears as an identifier in `node`'s text (over-counts, which only adds caution). */
function mentions(node: Node, name: string, context: RuleContext): number {
  // Not preceded by a property dot, but `...acc` (a spread) counts.
  return context.analysis.source(node).match(new RegExp(`(?<![\\w$])(?<!(?<!\\.\\.)\\.)${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g'))?.length ?? 0;
}

function visitReduce(node: TSESTree.CallExpression, context: RuleContext): void {
  const call = methodCall(node);
  if (!call || (call.method !== 'reduce' && call.method !== 'reduceRight') || node.arguments.length !== 2) return;
  const [callback, initial] = node.arguments;
  if (callback.type !== 'ArrowFunctionExpression' && callback.type !== 'FunctionExpression') return;
  const accParam = callback.params[0];
  if (accParam?.type !== 'Identifier' || callback.async || callback.generator) return;
  const acc = accParam.name;
  let literal: Node = callback.body;
  let replaceFrom: number;
  let replaceTo: number;
  let wrapInBlock: boolean;
  if (callback.body.type === 'BlockStatement') {
    const body = callback.body.body;
    const last = body[body.length - 1];
    if (body.length !== 1 || last.type !== 'ReturnStatement' || !last.argument) return;
    literal = last.argument;
    [replaceFrom, replaceTo] = last.range;
    wrapInBlock = false;
  } else {
    // Expression body, possibly parenthesised: replace everything after `=>`.
    replaceFrom = context.text.lastIndexOf('=>', callback.body.range[0]) + 2;
    replaceTo = callback.range[1];
    wrapInBlock = true;
  }
  const concatenates = isConcatOf(literal, acc);
  if (!concatenates && !leadingSpreadOf(literal, acc) || isSmallFixedLoop({ node, kind: 'callback' })) return;
  // `acc.concat(x)` needs an array accumulator: `''.concat(x)` is string building.
  if (concatenates && !(initial.type === 'ArrayExpression' || initial.type === 'TSAsExpression' && initial.expression.type === 'ArrayExpression')) return;
  const evidence = evidenceOf(context, [{ node, kind: 'callback' }]);
  const kind = concatenates ? 'acc.concat(x)' : literal.type === 'ArrayExpression' ? '[...acc, x]' : '{...acc, [k]: v}';
  const message = concatenates
    ? `\`${kind}\` in a reduce callback copies the accumulator on every element (quadratic); push onto the accumulator and return it.`
    : `\`${kind}\` in a reduce callback copies the accumulator on every element (quadratic); mutate the accumulator and return it.`;
  const rewrite = concatenates ? pushesFor(literal as TSESTree.CallExpression, acc, context) : mutationFor(literal as TSESTree.ObjectExpression | TSESTree.ArrayExpression, acc, context);
  if (!rewrite || replaceFrom < 2) return context.report({ node: literal, message, evidence });
  const risks = [...rewrite.risks];
  if (!isFreshLiteral(initial)) risks.push('the initial value is not shared with other code (it will be modified)');
  if (mentions(callback.body, acc, context) > 1) risks.push(`the callback reads \`${acc}\` only to copy it (it now sees the updated object)`);
  const body = `${rewrite.statements.join(' ')} return ${acc};`;
  const fix: OffsetFix = {
    description: concatenates ? `Push onto \`${acc}\` and return it` : `Mutate \`${acc}\` and return it`,
    edits: [{ start: replaceFrom, end: replaceTo, text: wrapInBlock ? ` { ${body} }` : body }],
  };
  if (risks.length === 0) context.report({ node: literal, message, fix, evidence });
  else context.report({ node: literal, message, evidence, suggestions: [{ ...fix, description: `${fix.description} (check: ${[...new Set(risks)].join('; ')})` }] });
}

function visitLoopAssignment(node: TSESTree.AssignmentExpression, context: RuleContext): void {
  if (node.operator !== '=' || node.left.type !== 'Identifier') return;
  const acc = node.left.name;
  const right = node.right;
  const isConcat = isConcatOf(right, acc);
  if (!isConcat && !leadingSpreadOf(right, acc)) return;
  // Loops first: they need no scope analysis, and most such assignments are not in a loop at all.
  const enclosing = context.analysis.enclosingLoops(node);
  if (enclosing.length === 0) return;
  const variable = context.analysis.resolve(node.left);
  const declaredAt = variable?.defs[0]?.name as Node | undefined;
  if (!variable || !declaredAt) return;
  const loops = enclosing.filter(loop => !contains(loop.node, declaredAt));
  if (loops.length === 0 || loops.every(isSmallFixedLoop) || isCopyOnWrite(node, acc)) return;
  const evidence = evidenceOf(context, loops);
  // `s = s.concat(x)` on a string is cheap string building: array advice needs an array.
  if (isConcat && !['strong', 'small-literal'].includes(context.analysis.arrayEvidence(variable))) return;
  const message = isConcat
    ? `\`${acc} = ${acc}.concat(...)\` inside a loop copies the whole array on every iteration (quadratic); push onto one array instead.`
    : `\`${acc} = ${context.analysis.source(right).startsWith('[') ? `[...${acc}, ...]` : `{...${acc}, ...}`}\` inside a loop copies the accumulator on every iteration (quadratic); mutate one fresh accumulator instead.`;
  const statement = node.parent;
  if (statement?.type !== 'ExpressionStatement') return context.report({ node, message, evidence });

  const rewrite = isConcat ? pushesFor(right as TSESTree.CallExpression, acc, context) : mutationFor(right as TSESTree.ObjectExpression | TSESTree.ArrayExpression, acc, context);
  if (!rewrite) return context.report({ node, message, evidence });

  const risks = [...rewrite.risks];
  const declared = context.analysis.declaratorOf(variable);
  const edits: OffsetEdit[] = [];
  if (!declared || declared.kind === 'const' || !isFreshLiteral(declared.declarator.init)) {
    // A parameter or a shared array may be the caller's: copy it once before the loop, then mutate the copy
    // (never claim it "starts fresh" when nothing shows that).
    const outermostStatement = context.analysis.listStatementOf(loops[loops.length - 1].node);
    const isArray = isConcat || right.type === 'ArrayExpression';
    if (!outermostStatement || context.analysis.functionOf(outermostStatement) !== context.analysis.declaringFunction(variable)) return context.report({ node, message, evidence });
    edits.push(insertBefore(context.analysis, outermostStatement, `${acc} = ${isArray ? `${acc}.slice()` : `{ ...${acc} }`};`));
    if (isArray) risks.push(`\`${acc}\` is an array when the loop starts (it is copied once with slice())`);
    else risks.push(`\`${acc}\` has no getters or prototype the loop relies on (it is copied once as a plain object)`);
  }
  const owner = context.analysis.declaringFunction(variable);
  // Code after the outermost repeating loop only ever sees the final accumulator, copied or not.
  const outermost = loops[loops.length - 1].node;
  for (const entry of context.analysis.uses(variable)) {
    if (contains(node, entry.node)) continue;
    const elsewhere = context.analysis.functionOf(entry.node) !== owner;
    const seesIntermediate = entry.node.range[0] < outermost.range[1];
    if (entry.use === 'escape' && seesIntermediate || elsewhere) risks.push(`nothing keeps a reference to an earlier \`${acc}\` (it is now one object, modified in place)`);
    else if (entry.use === 'reassign') {
      const assignment = entry.node.parent;
      const resetsToFresh = assignment?.type === 'AssignmentExpression' && assignment.operator === '=' && isFreshLiteral(assignment.right);
      if (!resetsToFresh) risks.push(`\`${acc}\` is only ever assigned fresh literals`);
    }
  }
  if (isConcat ? mentions(right, acc, context) > 1 : mentions(right, acc, context) > 1) {
    risks.push(`the new entries do not read \`${acc}\` (they now see the updated value)`);
  }
  const inList = statement.parent?.type === 'BlockStatement' || statement.parent?.type === 'Program' || statement.parent?.type === 'SwitchCase';
  const text = rewrite.statements.length === 1 || inList ? rewrite.statements.join(' ') : `{ ${rewrite.statements.join(' ')} }`;
  const fix: OffsetFix = {
    description: isConcat ? `Push onto \`${acc}\` instead of concatenating` : `Mutate \`${acc}\` instead of copying it`,
    edits: [...edits, { start: statement.range[0], end: statement.range[1], text: text || ';' }],
  };
  if (risks.length === 0) context.report({ node, message, fix, evidence });
  else context.report({ node, message, evidence, suggestions: [{ ...fix, description: `${fix.description} (check: ${[...new Set(risks)].join('; ')})` }] });
}
