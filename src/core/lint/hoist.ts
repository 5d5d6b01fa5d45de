// Where a lookup structure built from a loop-invariant array can be created, and whether doing so
// provably keeps behaviour. Shared by the rules that replace array scans with Set/Map lookups.
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Variable } from '@typescript-eslint/scope-manager';
import { type Analysis, type ArrayEvidence, contains, type LoopContext } from './analysis';
import type { OffsetEdit } from './types';

export interface HoistPlan {
  variable: Variable;
  evidence: ArrayEvidence;
  /** The innermost loop that repeats the lookup while the array stays the same. */
  loop: LoopContext;
  /** Statement before which the Set/Map is built; null when there is no statement list to insert into. */
  hoistBefore: TSESTree.Statement | null;
  /** Why building the structure before the loop could change behaviour; empty when it cannot. */
  risks: string[];
}

/**
 * Plan for hoisting a lookup on `receiver` out of the loops around `lookup`. Null when the receiver is
 * not a known array declared outside a loop that repeats the lookup (nothing to report).
 */
export function planHoist(analysis: Analysis, lookup: TSESTree.Node, receiver: TSESTree.Node): HoistPlan | null {
  if (receiver.type !== 'Identifier') return null;
  // Loops first: they need no scope analysis, and most lookups are not in a loop at all.
  const enclosing = analysis.enclosingLoops(lookup);
  if (enclosing.length === 0) return null;
  const variable = analysis.resolve(receiver);
  if (!variable || variable.defs.length === 0) return null;
  const evidence = analysis.arrayEvidence(variable);
  if (evidence !== 'strong' && evidence !== 'weak') return null;
  const declaredAt = variable.defs[0].name as TSESTree.Node;
  const loops = enclosing.filter(loop => !contains(loop.node, declaredAt));
  if (loops.length === 0) return null;

  const uses = analysis.uses(variable);
  const changesInside = (region: TSESTree.Node) => uses.some(entry => entry.use !== 'read' && contains(region, entry.node));
  let hoistLoop: LoopContext | null = null;
  for (const loop of loops) {
    if (changesInside(loop.node)) break;
    hoistLoop = loop;
  }
  const risks: string[] = [];
  const name = receiver.name;
  if (!hoistLoop) {
    return { variable, evidence, loop: loops[0], hoistBefore: null, risks: [`\`${name}\` is modified inside the loop`] };
  }
  const statement = analysis.listStatementOf(hoistLoop.node);
  // Building the Set before the array's own declaration would hit the TDZ: offer no rewrite then.
  const hoistBefore = statement && declaredAt.range[1] <= statement.range[0] ? statement : null;
  if (evidence !== 'strong') risks.push(`\`${name}\` is an array (it is not declared as one)`);
  const declared = analysis.declaratorOf(variable);
  if (variable.defs[0].type === 'Parameter') risks.push(`nothing else holding \`${name}\` (the caller's array) modifies it while the loop runs`);
  else if (!declared || declared.kind === 'var') risks.push(`\`${name}\` is initialised before the loop`);
  if (uses.some(entry => entry.use === 'reassign')) risks.push(`\`${name}\` is not reassigned while the loop runs`);
  if (declared?.declarator.parent?.parent?.type === 'ExportNamedDeclaration') risks.push(`modules importing \`${name}\` do not modify it while the loop runs`);
  if (uses.some(entry => entry.use === 'escape')) risks.push(`nothing else holding \`${name}\` modifies it while the loop runs`);
  const owner = analysis.declaringFunction(variable);
  if (hoistBefore) {
    if (analysis.functionOf(hoistBefore) !== owner) risks.push(`\`${name}\` is initialised and not modified while the loop runs`);
    if (uses.some(entry => entry.use === 'mutate' && (contains(hoistBefore, entry.node) || analysis.functionOf(entry.node) !== owner))) {
      risks.push(`\`${name}\` is not modified while the loop runs`);
    }
    if (analysis.suspends(hoistBefore)) risks.push(`no other code modifies \`${name}\` while the loop awaits`);
  }
  return { variable, evidence, loop: hoistLoop, hoistBefore, risks: [...new Set(risks)] };
}

/** Inserts `declaration` on its own line before `statement`, at the statement's indentation. */
export function insertBefore(analysis: Analysis, statement: TSESTree.Statement, declaration: string): OffsetEdit {
  const at = statement.range[0];
  return { start: at, end: at, text: `${declaration}\n${analysis.indentAt(at)}` };
}

export function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
