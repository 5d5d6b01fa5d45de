// A small, deterministic profiled "run" for the flame tests: a real JavaScript file on disk and a V8
// CPU profile whose frames point into it, with a known shape:
//   main (line 1) → hotLoop (line 5): 60 samples on line 7, 10 on line 8
//                 → coldPath (line 12): 20 samples on line 13
//   (garbage collector): 5 samples, (program): 3 samples, (idle): 50 samples (left out of flame graphs)
// Every sample lasts 1 ms.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildReport } from '../../../src/core/profile/model';
import type { CpuProfile, Report } from '../../../src/core/profile/types';

export const SAMPLE_SOURCE = `function main() {
  hotLoop();
  coldPath();
}
function hotLoop() {
  let total = 0;
  for (let i = 0; i < 1e9; i++) total += i % 7;
  return total;
}

// The cheap part.
function coldPath() {
  return JSON.stringify({ ok: true });
}
main();
`;

export interface SampleRun {
  dir: string;
  sourceFile: string;
  profilePath: string;
  profile: CpuProfile;
  report: Report;
}

export function createSampleRun(): SampleRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-flame-'));
  const sourceFile = path.join(dir, 'app.js');
  fs.writeFileSync(sourceFile, SAMPLE_SOURCE);
  const profile = sampleProfile(pathToFileURL(sourceFile).href);
  const profilePath = path.join(dir, 'main.cpuprofile');
  fs.writeFileSync(profilePath, JSON.stringify(profile));
  const report = buildReport([{ path: profilePath, profile }], { command: ['node', 'app.js'], exitCode: 0, signal: null, wallMs: 160 });
  return { dir, sourceFile, profilePath, profile, report };
}

export function sampleProfile(url: string): CpuProfile {
  const frame = (functionName: string, lineNumber: number, columnNumber: number, scriptUrl = url) => ({ functionName, scriptId: scriptUrl ? '3' : '0', url: scriptUrl, lineNumber, columnNumber });
  const nodes = [
    { id: 1, callFrame: frame('(root)', -1, -1, ''), children: [2, 5, 6, 7] },
    { id: 2, callFrame: frame('main', 0, 0), children: [3, 4] },
    { id: 3, callFrame: frame('hotLoop', 4, 16), positionTicks: [{ line: 7, ticks: 60 }, { line: 8, ticks: 10 }] },
    { id: 4, callFrame: frame('coldPath', 11, 17), positionTicks: [{ line: 13, ticks: 20 }] },
    { id: 5, callFrame: frame('(garbage collector)', -1, -1, '') },
    { id: 6, callFrame: frame('(program)', -1, -1, '') },
    { id: 7, callFrame: frame('(idle)', -1, -1, '') },
  ];
  const samples = [...repeat(3, 70), ...repeat(4, 20), ...repeat(5, 5), ...repeat(6, 3), ...repeat(7, 50)];
  return {
    nodes,
    startTime: 0,
    endTime: samples.length * 1000,
    samples,
    timeDeltas: samples.map(() => 1000),
  };
}

function repeat(id: number, count: number): number[] {
  return Array.from({ length: count }, () => id);
}
