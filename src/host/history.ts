// The workspace's run history: the last `hotspots.history.size` profile runs, each a directory under
// <workspace storage>/runs holding the run's .cpuprofile files and its report (with line texts and
// source fingerprints, so a later run can be compared across edits). The index lives in workspaceState;
// a run dropped from the history has its directory deleted.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Report } from '../core/profile/types';

export type RunKind = 'file' | 'npmScript' | 'testFile';

export interface HistoryEntry {
  id: string;
  kind: RunKind;
  /** What the user knows the run by: "hot.js", "npm run bench", "sum.test.js". */
  name: string;
  /** Runs with the same key ran the same workload (same script, npm script or test file). */
  workloadKey: string;
  /** The profiled script, test file or package.json. */
  file: string;
  /** Date.now() when the run finished. */
  time: number;
  dir: string;
  reportFile: string;
  profiles: string[];
  /** Non-idle sampled time. */
  totalMs: number;
}

const INDEX_KEY = 'hotspots.history';
export const DEFAULT_HISTORY_SIZE = 10;

export class RunHistory {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly context: vscode.ExtensionContext) {}

  private get root(): string {
    return path.join((this.context.storageUri ?? this.context.globalStorageUri).fsPath, 'runs');
  }

  /** Newest first; entries whose report is gone (storage wiped) are left out. */
  list(): HistoryEntry[] {
    return (this.context.workspaceState.get<HistoryEntry[]>(INDEX_KEY) ?? []).filter(entry => fs.existsSync(entry.reportFile));
  }

  get size(): number {
    const configured = vscode.workspace.getConfiguration('hotspots').get<number>('history.size');
    return typeof configured === 'number' && Number.isFinite(configured) ? Math.min(100, Math.max(2, Math.round(configured))) : DEFAULT_HISTORY_SIZE;
  }

  /** The latest earlier run of the same workload as `entry`. */
  previous(entry: HistoryEntry): HistoryEntry | undefined {
    const entries = this.list();
    const index = entries.findIndex(candidate => candidate.id === entry.id);
    return entries.slice(index + 1).find(candidate => candidate.workloadKey === entry.workloadKey);
  }

  get(id: string): HistoryEntry | undefined {
    return this.list().find(entry => entry.id === id);
  }

  /**
   * A fresh directory for a run's profiles. Directories the history does not reference (failed or
   * cancelled runs, runs dropped from an older index) are deleted first.
   */
  newRunDir(): string {
    fs.mkdirSync(this.root, { recursive: true });
    const kept = new Set(this.list().map(entry => path.basename(entry.dir)));
    for (const name of fs.readdirSync(this.root)) {
      if (!kept.has(name)) fs.rmSync(path.join(this.root, name), { recursive: true, force: true });
    }
    let dir = path.join(this.root, new Date().toISOString().replace(/[:.]/g, '-'));
    for (let suffix = 1; fs.existsSync(dir); suffix++) dir = `${dir.replace(/~\d+$/, '')}~${suffix}`;
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** Writes the report next to the run's profiles and puts the run first; drops runs beyond the size. */
  async add(run: Omit<HistoryEntry, 'id' | 'reportFile' | 'time'>, report: Report): Promise<HistoryEntry> {
    const reportFile = path.join(run.dir, 'report.json');
    await fs.promises.writeFile(reportFile, JSON.stringify(report));
    const entry: HistoryEntry = { ...run, id: path.basename(run.dir), reportFile, time: Date.now() };
    const entries = [entry, ...this.list().filter(existing => existing.id !== entry.id)];
    const dropped = entries.splice(this.size);
    await this.context.workspaceState.update(INDEX_KEY, entries);
    for (const old of dropped) fs.rmSync(old.dir, { recursive: true, force: true });
    this.changed.fire();
    return entry;
  }

  async loadReport(entry: HistoryEntry): Promise<Report> {
    return JSON.parse(await fs.promises.readFile(entry.reportFile, 'utf8')) as Report;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function describeEntry(entry: HistoryEntry): string {
  return `${entry.name} at ${new Date(entry.time).toLocaleTimeString()}`;
}
