// "Profile this file", "Profile with arguments…", Stop and Cancel: runs the script under the profiler
// with a cancellable progress notification, streams its output to the "Hotspots" channel and hands
// the report to the presenter. The profiling core is loaded on first use, not at activation.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ProfileCommand, ProfileRun, ProfileRunResult } from '../core/profile/launch';
import type { Report } from '../core/profile/types';
import { joinCommandLine, parseEnvAssignments, splitCommandLine } from './commandLine';
import { formatDuration, formatPercent, HeatModel } from './heatModel';
import type { HeatPresenter } from './heatPresenter';
import type { HistoryEntry, RunHistory, RunKind } from './history';
import type { Notifier } from './notifier';
import { readRunSettings, RunSettings } from './settings';
import { untrustedProfilingMessage } from './trust';

/** How a profiling request ended, as the user was told (read by the tests through the extension API). */
export interface RunOutcome {
  kind: 'completed' | 'stopped' | 'cancelled' | 'failed' | 'rejected';
  script?: string;
  message: string;
  exitCode?: number | null;
  warnings: string[];
  /** Whether heat from this run is shown. */
  heatShown: boolean;
}

/** Arguments a caller (a test, a task, a keybinding) can pass instead of answering the prompts. */
export interface ProfileRequestOptions {
  args?: string[];
  env?: Record<string, string>;
  /** "Profile memory of this file": sample the heap whatever the setting says; 'retained': only what is still held at the end. */
  memory?: boolean | 'retained';
}

export interface ActiveRun {
  script: string;
  pid: number;
}

/** What to run and how it is known in notifications and the history. */
export interface RunSpec {
  kind: RunKind;
  name: string;
  /** The profiled script, test file, or package.json of an npm script. */
  file: string;
  workloadKey: string;
  settings: RunSettings;
  /** The command as shown in the Hotspots output. */
  commandLine: string;
  /** A script run by node, or any command (every Node process it starts is profiled, package managers left out). */
  target: { script: string; args: string[] } | { command: ProfileCommand };
  /** Where the time will show up, when it is not the obvious place. */
  note?: string;
}

const ARGS_KEY_PREFIX = 'hotspots.args:';
/** stderr kept to explain a failed start (e.g. the SyntaxError) in the notification. */
const STDERR_TAIL_CHARS = 4000;

export class ProfilingController implements vscode.Disposable {
  private active: { run: ProfileRun; script: string; endedBy?: 'stop' | 'cancel' } | undefined;
  private pending: Promise<unknown> | undefined;
  private outcome: RunOutcome | undefined;
  private outputChannel: vscode.OutputChannel | undefined;

  /** Called when a finished run is about to be shown (the comparison on screen no longer applies). */
  onDidShowRun: (() => void) | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly presenter: HeatPresenter,
    private readonly notifier: Notifier,
    private readonly history: RunHistory,
  ) {}

  get lastOutcome(): RunOutcome | undefined {
    return this.outcome;
  }

  get activeRun(): ActiveRun | undefined {
    return this.active && { script: this.active.script, pid: this.active.run.pid };
  }

  /** Resolves once no profiling request is in progress (including building and showing its report). */
  async whenIdle(): Promise<void> {
    while (this.pending) await this.pending.catch(() => undefined);
  }

  /** Entry point of both profiling commands; `askForArguments` is "Profile with arguments…". */
  profile(target: vscode.Uri | undefined, askForArguments: boolean, options: ProfileRequestOptions = {}): Promise<void> {
    if (this.pending) {
      this.reject(`Hotspots is already profiling ${path.basename(this.active?.script ?? 'a file')}. Stop it first ("Hotspots: Stop profiling and show results").`);
      return Promise.resolve();
    }
    const request = this.runRequest(target, askForArguments, options);
    const tracked = request.finally(() => { if (this.pending === tracked) this.pending = undefined; });
    this.pending = tracked;
    return tracked.then(() => undefined, error => {
      this.finish({ kind: 'failed', message: `Hotspots: profiling failed: ${(error as Error).message}`, warnings: [], heatShown: false }, 'error');
    });
  }

  stop(): void {
    if (!this.active) {
      this.notifier.show('info', 'Hotspots is not profiling anything right now.');
      return;
    }
    this.active.endedBy = 'stop';
    this.active.run.stop();
  }

  cancel(): void {
    if (!this.active) return;
    this.active.endedBy = 'cancel';
    this.active.run.cancel();
  }

  /** "Profile npm script…" and "Profile this test file": same guard, progress, heat and history as a file. */
  profileCommand(resolve: () => Promise<RunSpec | undefined>): Promise<void> {
    if (this.pending) {
      this.reject(`Hotspots is already profiling ${path.basename(this.active?.script ?? 'a file')}. Stop it first ("Hotspots: Stop profiling and show results").`);
      return Promise.resolve();
    }
    const request = (async () => {
      if (!vscode.workspace.isTrusted) {
        this.reject(untrustedProfilingMessage, { 'Manage Workspace Trust': () => vscode.commands.executeCommand('workbench.trust.manage') });
        return;
      }
      const spec = await resolve();
      if (spec) await this.execute(spec);
    })();
    const tracked = request.finally(() => { if (this.pending === tracked) this.pending = undefined; });
    this.pending = tracked;
    return tracked.then(() => undefined, error => {
      this.finish({ kind: 'failed', message: `Hotspots: profiling failed: ${(error as Error).message}`, warnings: [], heatShown: false }, 'error');
    });
  }

  /** Tells the user why a command could not start (e.g. no package.json); used by the run resolvers. */
  rejectRequest(message: string, actions: Record<string, () => unknown> = {}): void {
    this.reject(message, actions);
  }

  private async runRequest(target: vscode.Uri | undefined, askForArguments: boolean, options: ProfileRequestOptions): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      this.reject(untrustedProfilingMessage, { 'Manage Workspace Trust': () => vscode.commands.executeCommand('workbench.trust.manage') });
      return;
    }
    const script = await this.resolveScript(target);
    if (!script) return;
    const settings = readRunSettings(script);
    let args = settings.args;
    let env = settings.env;
    if (askForArguments) {
      const asked = await this.askArguments(script, options);
      if (!asked) return; // the user dismissed the prompt
      args = asked.args;
      env = { ...env, ...asked.env };
    } else {
      args = options.args ?? args;
      env = { ...env, ...options.env };
    }
    await this.execute({
      kind: 'file',
      name: path.basename(script.fsPath),
      file: script.fsPath,
      workloadKey: `file:${script.fsPath}`,
      settings: { ...settings, env, profileMemory: options.memory === 'retained' ? { mode: 'retained' } : settings.profileMemory || options.memory === true },
      commandLine: `node ${joinCommandLine([path.relative(settings.cwd, script.fsPath) || script.fsPath, ...args])}`,
      target: { script: script.fsPath, args },
    });
  }

  private async execute(spec: RunSpec): Promise<void> {
    const { settings } = spec;
    const [{ startProfileRun, ProfileLaunchError }, { loadProfiles }, { buildReport }, { attachSourceContext, readSourceFromDisk }, { warnDependencyMapsOnce, WARNED_DEPENDENCY_MAPS_FILE }] = await Promise.all([
      import('../core/profile/launch'), import('../core/profile/importers'), import('../core/profile/model'), import('../core/compare/sourceContext'),
      import('../core/profile/dependencyMapWarnings'),
    ]);

    const output = this.output();
    output.clear();
    output.appendLine(`$ ${spec.commandLine}   (cwd: ${settings.cwd})`);
    if (spec.note) output.appendLine(`[Hotspots] ${spec.note}`);
    output.show(true);
    let stderrTail = '';
    let run: ProfileRun;
    const outDir = this.history.newRunDir();
    try {
      run = startProfileRun({
        ...('script' in spec.target ? { script: spec.target.script, args: spec.target.args } : { command: spec.target.command }),
        node: settings.nodePath,
        cwd: settings.cwd,
        env: settings.env,
        outDir,
        intervalUs: settings.samplingIntervalUs,
        keepInlining: settings.keepInlining,
        waits: settings.measureWaits,
        memory: settings.profileMemory,
        stdio: 'pipe',
        onOutput: (chunk, stream) => {
          output.append(chunk);
          if (stream === 'stderr') stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
        },
      });
    } catch (error) {
      if (error instanceof ProfileLaunchError) {
        const fix: Record<string, () => unknown> = error.problem === 'node-not-found' || error.problem === 'node-too-old'
          ? { 'Open Settings': () => vscode.commands.executeCommand('workbench.action.openSettings', 'hotspots.nodePath') } : {};
        this.finish({ kind: 'failed', script: spec.file, message: `Hotspots: ${error.message}`, warnings: [], heatShown: false }, 'error', fix);
        return;
      }
      throw error;
    }

    this.active = { run, script: spec.file };
    void vscode.commands.executeCommand('setContext', 'hotspots.profiling', true);
    this.presenter.statusBar.showRunning(spec.file);
    let result: ProfileRunResult;
    try {
      result = await vscode.window.withProgress({
        location: vscode.ProgressLocation.Notification,
        title: `Hotspots: profiling ${spec.name}`,
        cancellable: true,
      }, (progress, token) => {
        token.onCancellationRequested(() => this.cancel());
        progress.report({ message: 'running… ("Stop profiling and show results" keeps what was sampled)' });
        return run.done;
      });
    } finally {
      const endedBy = this.active?.endedBy;
      this.active = undefined;
      void vscode.commands.executeCommand('setContext', 'hotspots.profiling', false);
      this.presenter.statusBar.showIdle(this.presenter.current, file => this.presenter.isStale(file));
      if (endedBy) output.appendLine(`\n[Hotspots] ${endedBy === 'stop' ? 'stopped' : 'cancelled'} by the user`);
    }
    output.appendLine(`\n[Hotspots] exited with ${result.signal ? `signal ${result.signal}` : `code ${result.exitCode}`} after ${formatDuration(result.wallMs)}`);

    const loaded = await loadProfiles(result.profiles, { skipUnreadable: true });
    const inputs = loaded.profiles;
    const warnings = [...result.warnings, ...loaded.warnings];
    let report = inputs.length
      ? buildReport(inputs, {
        command: result.command, exitCode: result.exitCode, signal: result.signal, wallMs: result.wallMs, includeDependencies: true, warnings,
        // Beside the runs folder (which the history prunes): the workspace's storage.
        dependencyMapWarning: warnDependencyMapsOnce(path.join(path.dirname(path.dirname(outDir)), WARNED_DEPENDENCY_MAPS_FILE)),
      })
      : undefined;
    let entry: HistoryEntry | undefined;
    if (report) {
      // Line texts, fingerprints and the workload now, while the files on disk are the ones that ran.
      report = attachSourceContext(report, readSourceFromDisk, { command: result.command, cwd: result.cwd, script: result.script, args: result.args });
      if (result.memory) report = await (await import('../core/profile/memory/runMemory')).addMemoryToReport(report, result, inputs);
      if (report.lines.length > 0) {
        entry = await this.history.add({
          kind: spec.kind, name: spec.name, workloadKey: spec.workloadKey, file: spec.file, dir: outDir, profiles: result.profiles, totalMs: nonIdle(report),
        }, report);
      }
    }
    this.reportRun(spec, result, report, report?.warnings ?? warnings, stderrTail, entry);
  }

  /** Tells the user how the run went, with the hottest line; shows the heat when there is any. */
  private reportRun(spec: RunSpec, result: ProfileRunResult, report: Report | undefined, warnings: string[], stderrTail: string, entry: HistoryEntry | undefined): void {
    const { name, file: script } = spec;
    this.onDidShowRun?.();
    const failedExit = result.endedBy === null && (result.exitCode !== 0 || result.signal !== null);
    const model = report ? this.presenter.show(report, { kind: 'run', script, profiles: result.profiles }) : undefined;
    const hottest = describeHottest(model);
    for (const warning of warnings) this.output().appendLine(`[Hotspots] warning: ${warning}`);
    const showResults: Record<string, () => unknown> = hottest ? {
      'Go to Hottest Line': () => openAt(model!.lines[0].file, model!.lines[0].line),
      'Show Hotspots': () => vscode.commands.executeCommand('hotspots.hotspots.focus'),
      'Flame Graph': () => vscode.commands.executeCommand('hotspots.showFlameGraph'),
      ...(entry && this.history.previous(entry) ? { 'Compare with Previous': () => vscode.commands.executeCommand('hotspots.compareWithPrevious') } : {}),
    } : {};
    const base = { script, exitCode: result.exitCode, warnings, heatShown: !!hottest };

    if (result.endedBy === 'cancel') {
      this.finish({ ...base, kind: 'cancelled', message: hottest
        ? `Hotspots: cancelled ${name}; showing what was sampled until then. ${hottest}`
        : `Hotspots: cancelled ${name}; nothing was sampled before it ended.` }, 'info', showResults);
      return;
    }
    if (result.endedBy === 'stop') {
      this.finish({ ...base, kind: 'stopped', message: hottest
        ? `Hotspots: stopped ${name}. ${hottest}`
        : `Hotspots: stopped ${name}; no samples in your code.${warnings.length ? ` ${warnings[0]}` : ''}` }, hottest ? 'info' : 'warning', showResults);
      return;
    }
    if (failedExit) {
      const how = result.signal ? `was killed by ${result.signal}` : `exited with code ${result.exitCode}`;
      const errorLine = firstErrorLine(stderrTail);
      if (!hottest) {
        // Typically a SyntaxError or a missing module: nothing of the user's code ran long enough to sample.
        this.output().show(true);
        this.finish({ ...base, kind: 'failed', message: `Hotspots: ${name} ${how} before any of its code was sampled${errorLine ? `: ${errorLine}` : ''}. See the Hotspots output.` },
          'error', { 'Show Output': () => this.output().show() });
        return;
      }
      this.finish({ ...base, kind: 'completed', message: `Hotspots: ${name} ${how}${errorLine ? ` (${errorLine})` : ''}; showing the heat sampled until then. ${hottest}` },
        'warning', { ...showResults, 'Show Output': () => this.output().show() });
      return;
    }
    if (!hottest) {
      this.finish({ ...base, kind: 'completed', message: `Hotspots: ${name} finished in ${formatDuration(result.wallMs)}, but no line of your code reached the heat threshold.${warnings.length ? ` ${warnings[0]}` : ''}` },
        'warning');
      return;
    }
    this.finish({ ...base, kind: 'completed', message: `Hotspots: ${name} ran ${formatDuration(result.wallMs)}. ${hottest}${warnings.length ? ` Warning: ${warnings[0]}` : ''}` },
      warnings.length ? 'warning' : 'info', showResults);
  }

  private finish(outcome: RunOutcome, severity: 'info' | 'warning' | 'error', actions: Record<string, () => unknown> = {}): void {
    this.outcome = outcome;
    this.notifier.show(severity, outcome.message, actions);
  }

  private reject(message: string, actions: Record<string, () => unknown> = {}): void {
    this.finish({ kind: 'rejected', message, warnings: [], heatShown: false }, 'warning', actions);
  }

  /** The file to profile, saved; undefined (after telling the user why) when there is none. */
  private async resolveScript(target: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
    const uri = target ?? vscode.window.activeTextEditor?.document.uri;
    if (!uri) {
      this.reject('Hotspots: open a JavaScript or TypeScript file to profile it (or right-click one in the Explorer).');
      return undefined;
    }
    if (uri.scheme === 'untitled') {
      this.reject('Hotspots: this file has never been saved. Save it as a .js or .ts file in your workspace, then run "Profile this file" again.');
      return undefined;
    }
    if (uri.scheme !== 'file') {
      this.reject(`Hotspots: can only profile files on disk, not ${uri.scheme}: resources.`);
      return undefined;
    }
    const document = vscode.workspace.textDocuments.find(doc => doc.uri.toString() === uri.toString());
    if (document?.isDirty && !(await saveWithRetry(document))) {
      this.reject(`Hotspots: could not save ${path.basename(uri.fsPath)}; profile it again after saving.`);
      return undefined;
    }
    return uri;
  }

  private async askArguments(script: vscode.Uri, given: ProfileRequestOptions): Promise<{ args: string[]; env: Record<string, string> } | undefined> {
    const key = ARGS_KEY_PREFIX + script.fsPath;
    let args = given.args;
    if (!args) {
      const remembered = this.context.workspaceState.get<string[]>(key) ?? readRunSettings(script).args;
      const typed = await vscode.window.showInputBox({
        title: `Profile ${path.basename(script.fsPath)} with arguments`,
        prompt: 'Arguments for the script (quote arguments with spaces)',
        value: joinCommandLine(remembered),
        validateInput: text => { try { splitCommandLine(text); return undefined; } catch (error) { return (error as Error).message; } },
      });
      if (typed === undefined) return undefined;
      args = splitCommandLine(typed);
    }
    let env = given.env;
    if (!env) {
      const typed = await vscode.window.showInputBox({
        title: `Profile ${path.basename(script.fsPath)} with arguments`,
        prompt: 'Extra environment variables (optional), e.g. NODE_ENV=production SIZE=1000',
        placeHolder: 'NAME=value …',
        validateInput: text => { try { parseEnvAssignments(text); return undefined; } catch (error) { return (error as Error).message; } },
      });
      if (typed === undefined) return undefined;
      env = parseEnvAssignments(typed);
    }
    await this.context.workspaceState.update(key, args);
    return { args, env };
  }

  private output(): vscode.OutputChannel {
    return this.outputChannel ??= vscode.window.createOutputChannel('Hotspots');
  }

  dispose(): void {
    this.active?.run.cancel();
    this.outputChannel?.dispose();
  }
}

/**
 * VS Code fails a save when a save participant in a busy extension host (a language server starting
 * up) misses its 1.75 s budget; a later attempt usually goes through.
 */
async function saveWithRetry(document: vscode.TextDocument, attempts = 3): Promise<boolean> {
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if ((await document.save()) || !document.isDirty) return true;
    await new Promise(resolve => setTimeout(resolve, 500 * attempt));
  }
  return false;
}

function describeHottest(model: HeatModel | undefined): string | undefined {
  const hottest = model?.lines[0];
  if (!hottest) return undefined;
  return `Hottest line: ${path.basename(hottest.file)}:${hottest.line} in ${hottest.functionName}, `
    + `${formatPercent(hottest.selfPercent)} of the sampled time (${formatDuration(hottest.selfMs)}).`;
}

/** "SyntaxError: Unexpected token" (or the last Error line) from the program's stderr. */
function firstErrorLine(stderr: string): string | undefined {
  const lines = stderr.split(/\r?\n/).map(line => line.trim()).filter(Boolean);
  return lines.find(line => /^[A-Z][A-Za-z]*Error\b|^Error\b/.test(line))?.slice(0, 200);
}

function openAt(file: string, line: number): Thenable<unknown> {
  const position = new vscode.Position(Math.max(0, line - 1), 0);
  return vscode.window.showTextDocument(vscode.Uri.file(file), { selection: new vscode.Range(position, position) });
}

function nonIdle(report: Report): number {
  return Math.max(0, report.totalSampledMs - (report.categories?.idleMs ?? 0));
}
