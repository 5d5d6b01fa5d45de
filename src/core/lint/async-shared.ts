// What the async rules treat as order-dependent: calls whose names say they write, lock, wait or retry.
// Running those concurrently changes behaviour even when no data flows between them.
import type { TSESTree } from '@typescript-eslint/typescript-estree';

const ORDERED_CALL = /^(?:write|append|insert|upsert|update|delete|remove|save|put|post|patch|send|emit|publish|log|print|lock|acquire|release|sleep|delay|wait|retry|backoff|poll|setTimeout|commit|rollback|transaction|migrate|exec|spawn|next|read|pipe|flush|close|open|connect|unlink|rename|mkdir|rm|copy|move|truncate)/i;

/** Name of the function an awaited expression calls (`a.b.writeFile(...)` → `writeFile`). */
export function calleeName(expression: TSESTree.Node): string | null {
  if (expression.type !== 'CallExpression' && expression.type !== 'NewExpression') return null;
  const callee = expression.callee;
  if (callee.type === 'Identifier') return callee.name;
  if (callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier') return callee.property.name;
  return null;
}

export function isOrderedCall(expression: TSESTree.Node): boolean {
  const name = calleeName(expression);
  return name !== null && ORDERED_CALL.test(name);
}

export const CONCURRENCY_CONDITIONS = 'iterations are independent (none needs an earlier one\'s side effects), the callee tolerates that many concurrent calls (rate limits, connection pools), and a failure no longer stops the remaining iterations from starting';
