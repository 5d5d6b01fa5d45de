// What activate() returns: used by the integration tests to assert real state, and by the flame-graph
// feature to read the latest profile. Types only, so importing it costs nothing at activation.
import type * as vscode from 'vscode';
import type { Report } from '../core/profile/types';
import type { AppliedComparison, ShownComparison } from './comparison';
import type { AppliedHeat } from './decorations';
import type { AppliedMemory } from './memoryDecorations';
import type { HistoryEntry } from './history';
import type { HeatModel } from './heatModel';
import type { ShownMessage } from './notifier';
import type { ActiveRun, RunOutcome } from './profiling';

/** The report currently shown in the editor and the .cpuprofile files it was built from. */
export interface LatestProfile {
  report: Report;
  profilePaths: string[];
  /** The profiled script, for a run; undefined for opened .cpuprofile files. */
  script: string | undefined;
}

export interface TreeItemSummary {
  label: string;
  description: string | undefined;
  children: TreeItemSummary[];
}

/** What the editor's linter has done in this window (tests and the first-diagnostics bench read it). */
export interface LintStats {
  /** Lint results shown (documents × versions), on either thread. */
  published: number;
  /** Of those, linted by the off-thread worker (TypeScript/JSX while the host has no TypeScript parser). */
  publishedFromWorker: number;
  /**
   * Of those, first lints of TypeScript documents with their types blanked out (Node 22.13+), shown while
   * the worker still loaded its parser and replaced by its answer.
   */
  publishedWithoutTypes: number;
  /** performance.now() of the first result shown (set in the diagnostics collection), if any. */
  firstPublishedAt: number | undefined;
  /** Off-thread lints asked for and not answered yet. */
  pendingOnWorker: number;
  /** Off-thread answers dropped because their document closed or changed, or a later lint was asked for. */
  droppedFromWorker: number;
  /** The off-thread worker: never started, loading the TypeScript parser, ready, or failed. */
  worker: 'not started' | 'loading' | 'ready' | 'failed';
}

export interface HotspotsApi {
  /** Milliseconds activate() took. */
  readonly activationMs: number;
  getCurrentModel(): HeatModel | undefined;
  getLatestProfile(): LatestProfile | undefined;
  /** Heat last applied to the visible editors of this document. */
  getAppliedHeat(uri: vscode.Uri): AppliedHeat | undefined;
  /** Memory annotations on a document (runs with memory). */
  getAppliedMemory(uri: vscode.Uri): AppliedMemory | undefined;
  getLastOutcome(): RunOutcome | undefined;
  /** Notifications shown to the user, oldest first (the last 50). */
  getMessages(): readonly ShownMessage[];
  getActiveRun(): ActiveRun | undefined;
  getStatusBarText(): string | undefined;
  /** The Hotspots view's items, as the tree shows them. */
  getTreeItems(): Promise<TreeItemSummary[]>;
  /** Whether the heavy modules (profiling core, presenter) have been loaded yet. */
  isHostLoaded(): boolean;
  /** Resolves when no profiling request is running or being reported. */
  whenIdle(): Promise<void>;
  /** The workspace's run history, newest first. */
  getHistory(): readonly HistoryEntry[];
  /** The comparison shown by "Compare with previous run", if any. */
  getComparison(): ShownComparison | undefined;
  /** ▼/▲ annotations last put on the visible editors of this document. */
  getAppliedComparison(uri: vscode.Uri): AppliedComparison | undefined;
  /** Undefined when the lint feature failed to activate. */
  getLintStats(): LintStats | undefined;
}

/** Hooks other features plug into (see src/extension.ts). */
export type GetLatestProfile = () => LatestProfile | undefined;
