// lintFiles: expand paths (directories recurse, skipping node_modules and .gitignore'd paths), then lint
// them, on worker threads (and the calling thread alongside) when there are enough files for the threads
// to pay for themselves.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import ignore, { type Ignore } from 'ignore';
import { distFile } from '../paths';
import { isLintableFile, lintText } from './engine';
import type { Finding, LintOptions } from './types';

export interface LintFilesOptions extends Omit<LintOptions, 'fileName' | 'onNotice'> {
  /**
   * Worker threads to start; the calling thread lints alongside them. 0 lints on the calling thread only.
   * Default: one per core but one (the calling thread takes that core) when there are many files.
   */
  workers?: number;
}

export interface LintRunResult {
  findings: Finding[];
  /** One line per skipped file (too large, unreadable) or failed rule. */
  notices: string[];
  filesLinted: number;
}

/** Below this many files, starting threads costs more than it saves. */
const MIN_FILES_PER_WORKER = 8;
const BATCH_SIZE = 4;
/** Bytes of source in one batch (a larger file is a batch of its own), and at most in flight per worker. */
const BATCH_BYTES = 512 * 1024;
const MIN_BYTES_FOR_WORKERS = 2 * 1024 * 1024;
/** Batches each worker holds, so it never waits for the calling thread (busy linting a file) between batches. */
const BATCHES_IN_FLIGHT = 2;

interface IgnoreScope { base: string; rules: Ignore }

export function collectFiles(paths: readonly string[], cwd = process.cwd()): string[] {
  const files: string[] = [];
  for (const given of paths) {
    const absolute = path.resolve(cwd, given);
    const stat = fs.statSync(absolute);
    if (stat.isDirectory()) walk(absolute, ancestorIgnores(absolute), files);
    else files.push(absolute);
  }
  return [...new Set(files)];
}

function readIgnore(dir: string): IgnoreScope | null {
  try {
    const text = fs.readFileSync(path.join(dir, '.gitignore'), 'utf8');
    return { base: dir, rules: ignore().add(text) };
  } catch {
    return null;
  }
}

/** .gitignore files of the directories above `dir`, up to the repository root (the one holding .git). */
function ancestorIgnores(dir: string): IgnoreScope[] {
  const scopes: IgnoreScope[] = [];
  for (let current = path.dirname(dir); ; current = path.dirname(current)) {
    const scope = readIgnore(current);
    if (scope) scopes.unshift(scope);
    if (fs.existsSync(path.join(current, '.git')) || path.dirname(current) === current) break;
  }
  if (fs.existsSync(path.join(dir, '.git'))) return [];
  return scopes;
}

function isIgnored(full: string, isDirectory: boolean, scopes: readonly IgnoreScope[]): boolean {
  return scopes.some(scope => {
    const relative = path.relative(scope.base, full).split(path.sep).join('/');
    return relative !== '' && !relative.startsWith('..') && scope.rules.ignores(isDirectory ? `${relative}/` : relative);
  });
}

function walk(dir: string, inherited: IgnoreScope[], files: string[]): void {
  const own = readIgnore(dir);
  const scopes = own ? [...inherited, own] : inherited;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    if (entry.name === 'node_modules' || entry.name === '.git') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!isIgnored(full, true, scopes)) walk(full, scopes, files);
    } else if (entry.isFile() && isLintableFile(entry.name) && !isIgnored(full, false, scopes)) {
      files.push(full);
    }
  }
}

/** Lints one file from disk; unreadable files become notices. */
export function lintFile(file: string, options: Omit<LintOptions, 'fileName'>, notices: string[]): Finding[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    notices.push(`${file}: cannot read: ${(error as Error).message}`);
    return [];
  }
  return lintText(text, { ...options, fileName: file, onNotice: notice => notices.push(notice) });
}

export async function lintFiles(paths: readonly string[], options: LintFilesOptions = {}): Promise<LintRunResult> {
  const files = collectFiles(paths);
  const workerScript = distFile('lintEngine.js');
  const workerCount = options.workers ?? defaultWorkerCount(files);
  if (workerCount > 0 && fs.existsSync(workerScript)) {
    return lintOnWorkers(files, options, workerCount, workerScript);
  }
  const notices: string[] = [];
  const findings = files.flatMap(file => lintFile(file, options, notices));
  return { findings, notices, filesLinted: files.length };
}

/**
 * A worker loads the parser (~0.3 s) before its first file, so threads only pay off for many files and
 * megabytes of source; below that the calling thread is faster.
 */
function defaultWorkerCount(files: readonly string[]): number {
  if (files.length < MIN_FILES_PER_WORKER * 2) return 0;
  let bytes = 0;
  for (const file of files) {
    try { bytes += fs.statSync(file).size; } catch { /* unreadable files become notices later */ }
  }
  if (bytes < MIN_BYTES_FOR_WORKERS) return 0;
  return Math.max(1, Math.min(os.availableParallelism() - 1, Math.floor(files.length / MIN_FILES_PER_WORKER)));
}

/** Marks a thread started by lintFiles, so the engine bundle only answers lint requests there. */
export const LINT_WORKER_DATA = { role: 'hotspots-lint-worker' } as const;

/** Messages between lintFiles and src/core/lint/worker.ts. */
export interface WorkerRequest { files: string[]; options: Omit<LintOptions, 'fileName' | 'onNotice'> }
export interface WorkerResponse { findings: Finding[]; notices: string[] }

function lintOnWorkers(files: string[], options: LintFilesOptions, workerCount: number, script: string): Promise<LintRunResult> {
  const { workers: _workers, ...lintOptions } = options;
  // Largest files first (each thread takes the largest left when it is free), so one big file does not
  // start last and keep a single thread busy at the end.
  const size = (file: string) => { try { return fs.statSync(file).size; } catch { return 0; } };
  const queue = files.map(file => ({ file, bytes: size(file) })).sort((a, b) => b.bytes - a.bytes);
  let next = 0;
  const findingsByFile = new Map<string, Finding[]>();
  const notices: string[] = [];
  return new Promise((resolve, reject) => {
    let running = 0;
    let failed = false;
    let callingThreadDone = false;
    const finish = () => {
      if (running === 0 && callingThreadDone && !failed) resolve({ findings: files.flatMap(file => findingsByFile.get(file) ?? []), notices, filesLinted: files.length });
    };
    // The calling thread (its parser is loaded already) lints one file at a time between worker messages.
    const lintOnCallingThread = () => {
      if (failed) return;
      if (next >= queue.length) { callingThreadDone = true; finish(); return; }
      const { file } = queue[next++];
      findingsByFile.set(file, lintFile(file, lintOptions, notices));
      setImmediate(lintOnCallingThread);
    };
    for (let i = 0; i < Math.min(workerCount, queue.length); i++) {
      const worker = new Worker(script, { workerData: LINT_WORKER_DATA });
      running++;
      let inFlight = 0;
      let inFlightBytes = 0;
      const sizes: number[] = [];
      const sendNext = () => {
        // A batch is a few files, or one large one (never a worker holding several large files).
        const batch: string[] = [];
        let bytes = 0;
        while (next < queue.length && batch.length < BATCH_SIZE && (batch.length === 0 || bytes + queue[next].bytes <= BATCH_BYTES)) {
          bytes += queue[next].bytes;
          batch.push(queue[next++].file);
        }
        if (batch.length === 0) {
          if (inFlight === 0) void worker.terminate();
          return;
        }
        const request: WorkerRequest = { files: batch, options: lintOptions };
        inFlight++;
        inFlightBytes += bytes;
        sizes.push(bytes);
        worker.postMessage(request);
      };
      const fill = () => {
        do sendNext(); while (inFlight > 0 && inFlight < BATCHES_IN_FLIGHT && inFlightBytes < BATCH_BYTES && next < queue.length);
      };
      worker.on('message', (response: WorkerResponse) => {
        for (const finding of response.findings) {
          let list = findingsByFile.get(finding.file);
          if (!list) findingsByFile.set(finding.file, list = []);
          list.push(finding);
        }
        notices.push(...response.notices);
        inFlight--;
        inFlightBytes -= sizes.shift() ?? 0;
        fill();
      });
      worker.on('error', error => { if (!failed) { failed = true; reject(error); } });
      worker.on('exit', () => { running--; finish(); });
      fill();
    }
    setImmediate(lintOnCallingThread);
  });
}
