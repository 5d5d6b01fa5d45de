// Every rule the engine runs, in one list: the CLI, the editor adapter, SARIF output and the meta test
// (every rule has a test file and a docs page) all read it.
import { accumulatingSpread } from './rules/accumulating-spread';
import { awaitInLoop } from './rules/await-in-loop';
import { dedupeIndexof } from './rules/dedupe-indexof';
import { foreachAsync } from './rules/foreach-async';
import { includesInLoop } from './rules/includes-in-loop';
import { sequentialAwaits } from './rules/sequential-awaits';
import { shiftInLoop } from './rules/shift-in-loop';
import type { Rule } from './types';

export const RULES: readonly Rule[] = Object.freeze([
  includesInLoop,
  dedupeIndexof,
  accumulatingSpread,
  shiftInLoop,
  awaitInLoop,
  sequentialAwaits,
  foreachAsync,
]);

export function findRule(id: string): Rule | undefined {
  return RULES.find(rule => rule.meta.id === id);
}

/** Public docs page of a rule (docs/rules/<family>/<name>.md in the repository). */
export function ruleDocsUrl(id: string): string {
  return `https://github.com/hotspots-dev/hotspots/blob/main/docs/rules/${id}.md`;
}
