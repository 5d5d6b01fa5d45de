// The shapes the lint engine hands to the CLI, the editor adapter and the worker (all JSON-serialisable).
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Analysis } from './analysis';

/** `hint`: VS Code's unobtrusive hint (not in the Problems count); the CLI's text output shows it with --all. */
export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type RuleSetting = Severity | 'off';
export type RuleFamily = 'quadratic' | 'async';

/** A text replacement; 1-based lines and columns, end exclusive (an insertion has start == end). */
export interface TextEdit {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  text: string;
}

export interface Fix {
  description: string;
  edits: TextEdit[];
}

export interface Finding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  ruleId: string;
  family: RuleFamily | 'parse';
  severity: Severity;
  message: string;
  /**
   * Why the rule believes the cost scales ("the searched array grows inside the loop"), or what it could
   * not tell ("size unknown"); absent on parse errors.
   */
  evidence?: string;
  /** Present only when applying it provably keeps behaviour. */
  fix: Fix | null;
  /** Rewrites that need a human to check the condition stated in their description. */
  suggestions: Fix[];
}

export interface LintOptions {
  fileName: string;
  rules?: Record<string, RuleSetting>;
  /** Files larger than this are skipped with a notice (default 1024 KB). */
  maxFileSizeKb?: number;
  /** Called with a one-line explanation when a file is skipped. */
  onNotice?: (message: string) => void;
}

/** Offsets into the source text (0-based, end exclusive), turned into line/column edits by the engine. */
export interface OffsetEdit {
  start: number;
  end: number;
  text: string;
}

export interface OffsetFix {
  description: string;
  edits: OffsetEdit[];
}

export interface RuleReport {
  node: TSESTree.Node;
  message: string;
  /**
   * Why the cost scales. `scales: false` (nothing shows the collection or the loop grows with the input)
   * reports the finding as a `hint` whatever the rule's severity; absent counts as scaling.
   */
  evidence?: { scales: boolean; reason: string };
  fix?: OffsetFix | null;
  suggestions?: OffsetFix[];
}

export interface RuleContext {
  readonly text: string;
  readonly analysis: Analysis;
  report(report: RuleReport): void;
}

export interface RuleMeta {
  id: string;
  family: RuleFamily;
  /** One-line summary, also used in SARIF and the docs index. */
  description: string;
  defaultSeverity: Severity;
}

export interface Rule {
  meta: RuleMeta;
  /**
   * Patterns that must ALL match a file's text for the rule to find anything there (the pre-filter):
   * the rule is skipped otherwise, and a file no rule wants is not parsed at all. They must be words
   * any candidate necessarily contains, so the pre-filter never drops a finding.
   */
  triggers: readonly RegExp[];
  /** Node types the rule wants to see; the engine calls `visit` for each during one shared walk. */
  nodeTypes: readonly string[];
  visit(node: TSESTree.Node, context: RuleContext): void;
}
