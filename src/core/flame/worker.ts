// Worker thread entry (bundled to dist/flameWorker.js): reads and converts profiles for the flame graph
// off the calling thread, so a 100 MB profile never stalls the VS Code extension host (see offThread.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { speedscopeForWeight, type ConversionRequest, type ConversionResult } from './offThread';
import { encodeSpeedscope } from './viewData';

async function convert(request: ConversionRequest): Promise<ConversionResult> {
  try {
    const file = await speedscopeForWeight(request.profilePaths, request.options);
    return { ok: true, encoded: encodeSpeedscope(file) };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

if (parentPort && workerData) {
  const port = parentPort;
  void convert(workerData as ConversionRequest).then(result => port.postMessage(result));
}
