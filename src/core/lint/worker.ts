// Lint worker threads: answers the batches of files lintFiles sends. Part of dist/lintEngine.js (see
// ../lintEngine.ts), which the editor also loads on its main thread: only threads that lintFiles started
// (marked by their workerData) listen.
import { parentPort, workerData } from 'node:worker_threads';
import { LINT_WORKER_DATA, lintFile, type WorkerRequest, type WorkerResponse } from './files';

const port = parentPort;
if (port && (workerData as typeof LINT_WORKER_DATA | undefined)?.role === LINT_WORKER_DATA.role) {
  port.on('message', (request: WorkerRequest) => {
    const notices: string[] = [];
    const findings = request.files.flatMap(file => lintFile(file, request.options, notices));
    const response: WorkerResponse = { findings, notices };
    port.postMessage(response);
  });
}
