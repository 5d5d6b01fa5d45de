// Profile conversion on a worker thread when the bundle exists (dist/flameWorker.js), else inline.
// Reading and converting a 100 MB profile takes ~2 s of CPU (bench/flame.bench.js): on the extension
// host's thread that would freeze every extension for as long.
import * as fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { distFile } from '../paths';
import { speedscopeFromFiles } from './load';
import type { LoadOptions } from '../profile/importers';
import type { ConvertOptions, SpeedscopeFile } from './speedscope';
import { encodeSpeedscope, type EncodedSpeedscope } from './viewData';
import type { FlameWeight } from './viewTypes';

export interface ConversionRequest {
  profilePaths: string[];
  /** `weight: 'bytes'`: the allocation flame graph of a memory run (its heap profiles) instead of time. */
  options: Omit<ConvertOptions, 'mapLocation'> & LoadOptions & { weight?: FlameWeight };
}
export type ConversionResult = { ok: true; encoded: EncodedSpeedscope } | { ok: false; message: string };

export const FLAME_WORKER_BUNDLE = 'flameWorker.js';

export async function convertProfilesOffThread(profilePaths: string[], options: ConversionRequest['options'] = {}): Promise<EncodedSpeedscope> {
  const script = distFile(FLAME_WORKER_BUNDLE);
  if (!fs.existsSync(script)) return encodeSpeedscope(await speedscopeForWeight(profilePaths, options));
  const request: ConversionRequest = { profilePaths, options };
  const result = await new Promise<ConversionResult>((resolve, reject) => {
    const worker = new Worker(script, { workerData: request });
    worker.once('message', (message: ConversionResult) => {
      resolve(message);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', code => reject(new Error(`the flame graph worker exited with code ${code} before answering`)));
  });
  if (!result.ok) throw new Error(result.message);
  return result.encoded;
}

export async function speedscopeForWeight(profilePaths: string[], options: ConversionRequest['options']): Promise<SpeedscopeFile> {
  const { weight, ...convertOptions } = options;
  if (weight !== 'bytes') return speedscopeFromFiles(profilePaths, convertOptions);
  return (await import('./allocationFlame')).allocationSpeedscopeFromFiles(profilePaths, convertOptions.name ?? 'Hotspots allocations');
}
