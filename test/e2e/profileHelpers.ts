// Shared by the profile e2e tests: run the built CLI, read its Report, find fixture lines by marker.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { distFile, packageRoot } from '../../src/core/paths';
import type { Report, ReportLine } from '../../src/core/profile/types';

export const FIXTURES = path.join(packageRoot(), 'test', 'fixtures', 'scripts');
export const CLI = distFile('cli.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  report?: Report;
  outDir: string;
}

export function fixture(...parts: string[]): string {
  return path.join(FIXTURES, ...parts);
}

/** Temp dirs of this test file: profiled processes are recognised by their HOTSPOTS_OUT_DIR inside them. */
const tempDirs: string[] = [];

export function makeTempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-e2e-'));
  tempDirs.push(dir);
  return dir;
}

/** `hotspots profile --json <tmp> --out-dir <tmp> <extra...>`; resolves when the CLI has exited. */
export function runProfileCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  const tempDir = makeTempDir();
  const jsonPath = path.join(tempDir, 'report.json');
  const outDir = path.join(tempDir, 'profiles');
  return new Promise(resolve => {
    execFile(process.execPath, [CLI, 'profile', '--json', jsonPath, '--out-dir', outDir, ...args], {
      cwd: options.cwd ?? FIXTURES,
      env: options.env ?? process.env,
      maxBuffer: 64 * 1024 * 1024,
      // A run that hangs fails its test (the CLI stops its program on SIGTERM) instead of stalling the suite.
      timeout: 180_000,
      killSignal: 'SIGTERM',
    }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      const report = fs.existsSync(jsonPath) ? (JSON.parse(fs.readFileSync(jsonPath, 'utf8')) as Report) : undefined;
      resolve({ code, stdout, stderr, report, outDir });
    });
  });
}

/** 1-based numbers of the lines of `file` that carry `marker` (fixtures mark hot lines with `// HOT`). */
export function markedLines(file: string, marker = '// HOT'): number[] {
  return fs.readFileSync(file, 'utf8').split('\n').flatMap((text, index) => (text.includes(marker) ? [index + 1] : []));
}

export function linesOf(report: Report, file: string): ReportLine[] {
  return report.lines.filter(line => line.file === file);
}

/** The report's hottest line, with enough context in the assertion message to debug a failure. */
export function hottestLine(report: Report): ReportLine {
  const [top] = report.lines;
  if (!top) throw new Error(`report has no lines: ${JSON.stringify(report.warnings)}`);
  return top;
}

export function describeTop(report: Report, count = 5): string {
  return report.lines.slice(0, count).map(line => `${line.file}:${line.line} ${line.selfMs.toFixed(1)}ms`).join('\n');
}

/**
 * pids of live processes profiled into `outDir` (default: any temp dir of this test file), found by the
 * HOTSPOTS_OUT_DIR in their environment (Linux /proc; empty elsewhere). Test files may run in parallel,
 * so a command-line match could see another file's processes.
 */
export function profiledProcesses(outDir?: string): number[] {
  if (!fs.existsSync('/proc')) return [];
  const dirs = outDir ? [outDir] : tempDirs;
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const variable = fs.readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').find(text => text.startsWith('HOTSPOTS_OUT_DIR='));
      const profiledInto = variable?.slice('HOTSPOTS_OUT_DIR='.length);
      if (profiledInto && dirs.some(dir => profiledInto.startsWith(dir))) found.push(Number(entry));
    } catch { /* ended meanwhile, or not ours to read */ }
  }
  return found;
}
