// Everything behind the commands, created on the first command (not at activation): the presenter
// (decorations, staleness, status bar), the profiling controller and the notifier.
import * as vscode from 'vscode';
import type { LatestProfile } from './api';
import { HeatPresenter } from './heatPresenter';
import { Notifier } from './notifier';
import { openCpuProfiles } from './openProfile';
import { ProfileRequestOptions, ProfilingController } from './profiling';
import { HotspotsStatusBar } from './statusBar';
import type { HotspotsTreeProvider } from './treeView';

export class HotspotsHost implements vscode.Disposable {
  readonly notifier = new Notifier();
  readonly presenter: HeatPresenter;
  readonly profiling: ProfilingController;

  constructor(context: vscode.ExtensionContext, tree: HotspotsTreeProvider) {
    this.presenter = new HeatPresenter(context.extensionUri, tree, new HotspotsStatusBar());
    this.profiling = new ProfilingController(context, this.presenter, this.notifier);
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
  }

  latestProfile(): LatestProfile | undefined {
    const model = this.presenter.current;
    if (!model) return undefined;
    return { report: model.report, profilePaths: model.source.profiles, script: model.source.kind === 'run' ? model.source.script : undefined };
  }

  dispose(): void {
    this.profiling.dispose();
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
  const { args, env } = value as { args?: unknown; env?: unknown };
  const options: ProfileRequestOptions = {};
  if (Array.isArray(args)) options.args = args.map(String);
  if (env && typeof env === 'object') options.env = Object.fromEntries(Object.entries(env).map(([key, val]) => [key, String(val)]));
  return options;
}
