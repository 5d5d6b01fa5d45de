// Messages between the editor's text lint worker (./textWorker, client side) and ./worker (thread side).
import type { Finding, LintOptions } from './types';

/** Marks a thread that lints document texts for the editor (and loads the TypeScript parser at start). */
export const TEXT_LINT_WORKER_DATA = { role: 'hotspots-text-lint-worker' } as const;

export interface TextLintRequest { id: number; text: string; options: Omit<LintOptions, 'onNotice'> }
/** `ready` once the parser is loaded; then one answer per request, by id. */
export type TextLintResponse =
  | { ready: true; id?: undefined }
  | { id: number; findings: Finding[]; notices: string[]; error?: undefined }
  | { id: number; error: string; findings?: undefined };
