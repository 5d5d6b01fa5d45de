// Worker thread entry (bundled to dist/lintWorker.js): lints the batches of files lintFiles sends.
import { parentPort } from 'node:worker_threads';
import { lintFile, type WorkerRequest, type WorkerResponse } from './files';

parentPort?.on('message', (request: WorkerRequest) => {
  const notices: string[] = [];
  const findings = request.files.flatMap(file => lintFile(file, request.options, notices));
  const response: WorkerResponse = { findings, notices };
  parentPort!.postMessage(response);
});
