// async/sequential-awaits: `const a = await f(); const b = await g();` where g() does not use `a`:
// the second call waits for the first for no data reason. Always a suggestion: the calls may still
// depend on each other through side effects, and Promise.all changes when errors surface.
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { isFileReadCall, isOrderedCall, isSharedResourceCall, receiverOf } from '../async-shared';
import type { Rule, RuleContext } from '../types';

type Node = TSESTree.Node;

export const sequentialAwaits: Rule = {
  meta: {
    id: 'async/sequential-awaits',
    family: 'async',
    description: 'Independent awaits one after another wait for each other for no reason; start them together with Promise.all.',
    defaultSeverity: 'info',
  },
  triggers: [/\bawait\b/],
  nodeTypes: ['BlockStatement', 'Program'],
  visit(node, context) {
    const statements = (node as TSESTree.BlockStatement | TSESTree.Program).body as Node[];
    let run: Candidate[] = [];
    for (const statement of statements) {
      const candidate = asCandidate(statement);
      if (candidate && run.length > 0 && !dependsOnRun(candidate, run, context)) {
        run.push(candidate);
        continue;
      }
      report(run, context);
      run = candidate ? [candidate] : [];
    }
    report(run, context);
  },
};

interface Candidate {
  statement: Node;
  awaited: TSESTree.AwaitExpression;
  /** `const x = await ...` declarator, or null for `await ...;`. */
  declarator: TSESTree.VariableDeclarator | null;
  kind: 'const' | 'let' | null;
}

function asCandidate(statement: Node): Candidate | null {
  let awaited: Node | null | undefined = null;
  let declarator: TSESTree.VariableDeclarator | null = null;
  let kind: Candidate['kind'] = null;
  if (statement.type === 'ExpressionStatement') {
    awaited = statement.expression;
  } else if (statement.type === 'VariableDeclaration' && statement.declarations.length === 1 && (statement.kind === 'const' || statement.kind === 'let')) {
    declarator = statement.declarations[0];
    awaited = declarator.init;
    kind = statement.kind;
  }
  if (awaited?.type !== 'AwaitExpression') return null;
  const argument = awaited.argument;
  // Only calls start work; `await promise` of something already running gains nothing from Promise.all.
  if (argument.type !== 'CallExpression' && argument.type !== 'NewExpression') return null;
  if (isOrderedCall(argument) || isSharedResourceCall(argument) || isPromiseCombinator(argument)) return null;
  return { statement, awaited, declarator, kind };
}

/** `await Promise.all(...)`: already concurrent inside, and a deliberate join point before what follows. */
function isPromiseCombinator(argument: Node): boolean {
  return argument.type === 'CallExpression' && argument.callee.type === 'MemberExpression' && argument.callee.object.type === 'Identifier' && argument.callee.object.name === 'Promise';
}

function dependsOnRun(candidate: Candidate, run: Candidate[], context: RuleContext): boolean {
  const text = context.analysis.source(candidate.awaited.argument);
  if (/\bawait\b/.test(text)) return true;
  // Two calls through the same object (`this.a(); this.b()`, `api.x(); api.y()`) may share its state or queue;
  // reads of files through one module (`fs.readFile(a); fs.readFile(b)`) change no state.
  const receiver = receiverOf(candidate.awaited.argument);
  const receiverText = receiver ? context.analysis.source(receiver) : null;
  const reads = isFileReadCall(candidate.awaited.argument);
  if (receiverText !== null && run.some(earlier => {
    if (reads && isFileReadCall(earlier.awaited.argument)) return false;
    const other = receiverOf(earlier.awaited.argument);
    return other !== null && context.analysis.source(other) === receiverText;
  })) return true;
  return run.some(earlier => earlier.declarator !== null && boundNames(earlier.declarator.id).some(name => mentions(text, name)));
}

function mentions(text: string, name: string): boolean {
  return new RegExp(`(^|[^\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`).test(text);
}

function boundNames(pattern: Node): string[] {
  switch (pattern.type) {
    case 'Identifier': return [pattern.name];
    case 'ObjectPattern': return pattern.properties.flatMap(property => boundNames(property.type === 'RestElement' ? property.argument : property.value));
    case 'ArrayPattern': return pattern.elements.flatMap(element => element ? boundNames(element) : []);
    case 'AssignmentPattern': return boundNames(pattern.left);
    case 'RestElement': return boundNames(pattern.argument);
    default: return [];
  }
}

// A fixed number of awaits: at best the run takes as long as the slowest instead of the sum, which does
// not grow with any input; a hint until measurement shows the time matters.
const EVIDENCE = { scales: false, reason: 'no call uses an earlier result, none goes through a shared connection or the same object, and no name implies an order; the gain is bounded by the number of awaits' };

function report(run: Candidate[], context: RuleContext): void {
  if (run.length < 2) return;
  const analysis = context.analysis;
  const first = run[0].statement;
  const last = run[run.length - 1].statement;
  const message = `${run.length} independent awaits run one after another; start them together with Promise.all.`;
  const between = run.slice(1).map((candidate, index) => context.text.slice(run[index].statement.range[1], candidate.statement.range[0]));
  const annotated = run.some(candidate => candidate.declarator?.id.typeAnnotation || candidate.declarator?.definite);
  if (between.some(gap => gap.trim() !== '') || annotated) return context.report({ node: first, message, evidence: EVIDENCE });
  const calls = run.map(candidate => analysis.source(candidate.awaited.argument));
  const declared = run.some(candidate => candidate.declarator);
  const kind = run.some(candidate => candidate.kind === 'let') ? 'let' : 'const';
  const names = run.map(candidate => candidate.declarator ? analysis.source(candidate.declarator.id) : '');
  while (names.length > 0 && names[names.length - 1] === '') names.pop();
  const text = declared
    ? `${kind} [${names.join(', ')}] = await Promise.all([${calls.join(', ')}]);`
    : `await Promise.all([${calls.join(', ')}]);`;
  context.report({
    node: first,
    message,
    evidence: EVIDENCE,
    suggestions: [{
      description: 'Start the calls together with Promise.all (check: no call relies on side effects of an earlier one, and a failure of one no longer prevents the later ones from starting)',
      edits: [{ start: first.range[0], end: last.range[1], text }],
    }],
  });
}
