// The editor's lint of TypeScript/JSX documents off the extension host thread: a worker thread loads the
// TypeScript parser (dist/tsParser.js, ~10 MB: seconds on a busy host thread) and lints document texts
// with the same lintText as everywhere else, so the first TypeScript file shows its findings without
// the host thread ever loading the compiler. Started early (when the workspace has TypeScript files) so
// the parser is loaded before the first such file opens.
import { Worker } from 'node:worker_threads';
import { distFile } from '../paths';
import { TEXT_LINT_WORKER_DATA, type TextLintRequest, type TextLintResponse } from './textWorkerProtocol';
import type { Finding, LintOptions } from './types';

export interface TextLintResult { findings: Finding[]; notices: string[] }

export class TextLintWorker {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(result: TextLintResult): void; reject(error: Error): void }>();
  private failure: Error | undefined;
  /** Resolves when the worker has loaded the TypeScript parser (or rejects when it failed to start). */
  readonly ready: Promise<void>;

  constructor(script = distFile('lintEngine.js')) {
    this.worker = new Worker(script, { workerData: TEXT_LINT_WORKER_DATA });
    // The host must not wait for this thread to exit (closing a window, ending a test run).
    this.worker.unref();
    let markReady!: () => void;
    let markFailed!: (error: Error) => void;
    this.ready = new Promise<void>((resolve, reject) => { markReady = resolve; markFailed = reject; });
    this.ready.catch(() => { /* callers that never await ready must not see an unhandled rejection */ });
    this.worker.on('message', (response: TextLintResponse) => {
      if (response.id === undefined) { markReady(); return; }
      const waiting = this.pending.get(response.id);
      this.pending.delete(response.id);
      if (!waiting) return;
      if (response.error !== undefined) waiting.reject(new Error(`lint worker: ${response.error}`));
      else waiting.resolve({ findings: response.findings, notices: response.notices });
    });
    const fail = (error: Error) => {
      this.failure ??= error;
      markFailed(error);
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', code => fail(new Error(`lint worker exited (code ${code})`)));
  }

  /** False once the thread failed or was disposed: the caller lints on its own thread instead. */
  get usable(): boolean {
    return this.failure === undefined;
  }

  lint(text: string, options: Omit<LintOptions, 'onNotice'>): Promise<TextLintResult> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const request: TextLintRequest = { id, text, options };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage(request);
    });
  }

  dispose(): void {
    this.failure ??= new Error('lint worker disposed');
    void this.worker.terminate();
  }
}
