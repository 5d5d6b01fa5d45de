// Everything behind the commands, created on the first command (not at activation): the presenter
// (decorations, staleness, status bar), the profiling controller and the notifier.
import * as vscode from 'vscode';
import type { LatestProfile } from './api';
import { CompareRequest, ComparisonController } from './comparison';
import { HeatPresenter } from './heatPresenter';
import { RunHistory } from './history';
import { Notifier } from './notifier';
import { openCpuProfiles } from './openProfile';
import { ProfileRequestOptions, ProfilingController } from './profiling';
import { NpmScriptRequest, resolveNpmScript, resolveTestFile } from './projectRuns';
import { HotspotsStatusBar } from './statusBar';
import type { HotspotsTreeProvider } from './treeView';

export class HotspotsHost implements vscode.Disposable {
  readonly notifier = new Notifier();
  readonly presenter: HeatPresenter;
  readonly profiling: ProfilingController;
  readonly history: RunHistory;
  readonly comparison: ComparisonController;

  constructor(context: vscode.ExtensionContext, tree: HotspotsTreeProvider) {
    this.presenter = new HeatPresenter(context.extensionUri, tree, new HotspotsStatusBar());
    this.history = new RunHistory(context);
    this.profiling = new ProfilingController(context, this.presenter, this.notifier, this.history);
    this.comparison = new ComparisonController(this.history, tree, this.notifier);
    // A new run's heat replaces what the comparison's line numbers referred to.
    this.profiling.onDidShowRun = () => this.comparison.clear();
  }

  profileNpmScript(request: unknown): Promise<void> {
    const options: NpmScriptRequest = {};
    if (request && typeof request === 'object' && !(request instanceof vscode.Uri)) {
      const { script, folder } = request as { script?: unknown; folder?: unknown };
      if (typeof script === 'string') options.script = script;
      if (typeof folder === 'string') options.folder = folder;
    }
    return this.profiling.profileCommand(() => resolveNpmScript(this.profiling, options));
  }

  profileTestFile(target: unknown): Promise<void> {
    return this.profiling.profileCommand(() => resolveTestFile(this.profiling, target instanceof vscode.Uri ? target : undefined));
  }

  compareWithPrevious(request: unknown): Promise<void> {
    const options: CompareRequest = {};
    if (request && typeof request === 'object') {
      const { before, after, pick } = request as { before?: unknown; after?: unknown; pick?: unknown };
      if (typeof before === 'string') options.before = before;
      if (typeof after === 'string') options.after = after;
      if (pick === true) options.pick = true;
    }
    return this.comparison.compare(options);
  }

  profileFile(target: unknown, askForArguments: boolean, options: unknown): Promise<void> {
    return this.profiling.profile(target instanceof vscode.Uri ? target : undefined, askForArguments, asRequestOptions(options));
  }

  async openProfile(target: unknown, selection: unknown): Promise<void> {
    const uris = Array.isArray(selection) && selection.every(item => item instanceof vscode.Uri) && selection.length > 1
      ? selection as vscode.Uri[]
      : Array.isArray(target) ? target.filter((item): item is vscode.Uri => item instanceof vscode.Uri)
        : target instanceof vscode.Uri ? [target] : undefined;
    await openCpuProfiles(uris, this.presenter, this.notifier);
  }

  clear(): void {
    this.presenter.clear();
    this.comparison.clear();
  }

  latestProfile(): LatestProfile | undefined {
    const model = this.presenter.current;
    if (!model) return undefined;
    return { report: model.report, profilePaths: model.source.profiles, script: model.source.kind === 'run' ? model.source.script : undefined };
  }

  dispose(): void {
    this.profiling.dispose();
    this.comparison.dispose();
    this.history.dispose();
    this.presenter.dispose();
    this.presenter.statusBar.dispose();
  }
}

/**
 * Commands get (uri, selectedUris) from menus; tests and keybindings may pass
 * (uri, { args, env }) to skip the prompts of "Profile with arguments…".
 */
function asRequestOptions(value: unknown): ProfileRequestOptions {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  const { args, env, memory } = value as { args?: unknown; env?: unknown; memory?: unknown };
  const options: ProfileRequestOptions = {};
  if (memory === true || memory === 'retained') options.memory = memory;
  if (Array.isArray(args)) options.args = args.map(String);
  if (env && typeof env === 'object') options.env = Object.fromEntries(Object.entries(env).map(([key, val]) => [key, String(val)]));
  return options;
}
