// Valid/invalid tables for one rule, in the style of typescript-eslint's RuleTester: valid code must give
// no finding of the rule; invalid code gives the expected findings, and every fix and suggestion must
// produce code that parses (and, when given, exactly the expected text).
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { parse } from '@typescript-eslint/typescript-estree';
import { lintText } from '../../../src/core/lint/engine';
import { applyFixes } from '../../../src/core/lint/fixes';
import type { Finding } from '../../../src/core/lint/types';

export interface ValidCase { name: string; code: string; fileName?: string }
export interface InvalidCase {
  name: string;
  code: string;
  fileName?: string;
  /** Findings of this rule (default 1). */
  count?: number;
  /** Text after applying the safe fixes; null asserts there is no safe fix. */
  fixed?: string | null;
  /** Text after applying the first suggestion of the first finding. */
  suggested?: string;
  /** Number of suggestions on each finding. */
  suggestionCount?: number;
  /** A word every finding's message must contain. */
  messageIncludes?: string;
}

export function findingsOf(ruleId: string, code: string, fileName = 'case.ts'): Finding[] {
  return lintText(code, { fileName }).filter(finding => finding.ruleId === ruleId);
}

export function assertParses(code: string, fileName: string, what: string): void {
  assert.doesNotThrow(() => parse(code, { jsx: /x$/.test(fileName) || /\.[cm]?js$/.test(fileName) }), `${what} does not parse:\n${code}`);
}

export function runRuleTests(ruleId: string, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  describe(ruleId, () => {
    describe('valid', () => {
      for (const testCase of cases.valid) {
        it(testCase.name, () => {
          assert.deepEqual(findingsOf(ruleId, testCase.code, testCase.fileName).map(finding => `${finding.line}: ${finding.message}`), []);
        });
      }
    });
    describe('invalid', () => {
      for (const testCase of cases.invalid) {
        it(testCase.name, () => {
          const fileName = testCase.fileName ?? 'case.ts';
          const findings = findingsOf(ruleId, testCase.code, fileName);
          assert.equal(findings.length, testCase.count ?? 1, `findings: ${JSON.stringify(findings.map(finding => finding.message))}`);
          for (const finding of findings) {
            assert.equal(finding.family, ruleId.split('/')[0]);
            if (testCase.suggestionCount !== undefined) assert.equal(finding.suggestions.length, testCase.suggestionCount);
            if (testCase.messageIncludes) assert.ok(finding.message.includes(testCase.messageIncludes), finding.message);
            for (const fix of [...(finding.fix ? [finding.fix] : []), ...finding.suggestions]) {
              assert.ok(fix.description.length > 0);
              assertParses(applyFixes(testCase.code, [fix]).output, fileName, `fix "${fix.description}"`);
            }
          }
          if (testCase.fixed === null) assert.ok(findings.every(finding => finding.fix === null), 'expected no safe fix');
          else if (testCase.fixed !== undefined) {
            assert.equal(applyFixes(testCase.code, findings.flatMap(finding => finding.fix ? [finding.fix] : [])).output, testCase.fixed);
          }
          if (testCase.suggested !== undefined) {
            assert.ok(findings[0].suggestions.length > 0, 'expected a suggestion');
            assert.equal(applyFixes(testCase.code, [findings[0].suggestions[0]]).output, testCase.suggested);
          }
        });
      }
    });
  });
}
