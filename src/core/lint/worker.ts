// Lint worker threads. Part of dist/lintEngine.js (see ../lintEngine.ts), which the editor also loads on
// its main thread: only threads started with LINT_WORKER_DATA (lintFiles: batches of files from disk) or
// TEXT_LINT_WORKER_DATA (the editor: document texts, see ./textWorker) listen.
import { parentPort, workerData } from 'node:worker_threads';
import { lintText } from './engine';
import { LINT_WORKER_DATA, lintFile, type WorkerRequest, type WorkerResponse } from './files';
import { TEXT_LINT_WORKER_DATA, type TextLintRequest, type TextLintResponse } from './textWorkerProtocol';
import { typescriptEstreeParse } from './typescriptParser';

const port = parentPort;
const role = (workerData as { role?: string } | undefined)?.role;
if (port && role === LINT_WORKER_DATA.role) {
  port.on('message', (request: WorkerRequest) => {
    const notices: string[] = [];
    const findings = request.files.flatMap(file => lintFile(file, request.options, notices));
    const response: WorkerResponse = { findings, notices };
    port.postMessage(response);
  });
} else if (port && role === TEXT_LINT_WORKER_DATA.role) {
  port.on('message', (request: TextLintRequest) => {
    const notices: string[] = [];
    let response: TextLintResponse;
    try {
      const findings = lintText(request.text, { ...request.options, onNotice: notice => notices.push(notice) });
      response = { id: request.id, findings, notices };
    } catch (error) {
      response = { id: request.id, error: String((error as Error)?.stack ?? error) };
    }
    port.postMessage(response);
  });
  // Loaded before the first request arrives: the point of this thread is that the editor's first
  // TypeScript file does not wait for the compiler (seconds on a busy extension host).
  typescriptEstreeParse();
  port.postMessage({ ready: true } satisfies TextLintResponse);
}
