// Activation and wiring only. Activation registers commands, the Hotspots view and the optional
// features; everything heavy (profiling core, decorations, report model) loads on the first command.
import * as vscode from 'vscode';
import type { GetLatestProfile, HotspotsApi, LatestProfile, LintStats, TreeItemSummary } from './host/api';
import type { HotspotsHost } from './host/hotspotsHost';
import { VIEW_ID } from './host/statusBar';
import { activateFlameGraph } from './host/flame';
import { activateLint } from './host/lint';
import { HotspotsTreeProvider } from './host/treeView';

export function activate(context: vscode.ExtensionContext): HotspotsApi {
  const started = performance.now();
  const tree = new HotspotsTreeProvider();
  let host: HotspotsHost | undefined;
  /** Told about every new (or cleared) profile, e.g. to refresh an open flame graph. */
  const profileListeners: ((profile: LatestProfile | undefined) => void)[] = [];
  const loadHost = async (): Promise<HotspotsHost> => {
    if (!host) {
      const { HotspotsHost } = await import('./host/hotspotsHost');
      if (!host) {
        const created = host = new HotspotsHost(context, tree);
        context.subscriptions.push(created, created.presenter.onDidChangeModel(() => {
          for (const listener of profileListeners) listener(created.latestProfile());
        }));
      }
    }
    return host;
  };
  const withHost = <A extends unknown[]>(handler: (host: HotspotsHost, ...args: A) => unknown) =>
    async (...args: A) => { await handler(await loadHost(), ...args); };

  context.subscriptions.push(
    tree,
    vscode.window.registerTreeDataProvider(VIEW_ID, tree),
    vscode.commands.registerCommand('hotspots.profileFile', withHost((h, target: unknown, options: unknown) => h.profileFile(target, false, options))),
    vscode.commands.registerCommand('hotspots.profileFileMemory', withHost((h, target: unknown, options: unknown) => h.profileFile(target, false, { ...(options as object), memory: true }))),
    vscode.commands.registerCommand('hotspots.profileFileRetainedMemory', withHost((h, target: unknown, options: unknown) => h.profileFile(target, false, { ...(options as object), memory: 'retained' }))),
    vscode.commands.registerCommand('hotspots.profileFileWithArgs', withHost((h, target: unknown, options: unknown) => h.profileFile(target, true, options))),
    vscode.commands.registerCommand('hotspots.stopProfiling', withHost(h => h.profiling.stop())),
    vscode.commands.registerCommand('hotspots.cancelProfiling', withHost(h => h.profiling.cancel())),
    vscode.commands.registerCommand('hotspots.clearAnnotations', withHost(h => h.clear())),
    vscode.commands.registerCommand('hotspots.profileNpmScript', withHost((h, request: unknown) => h.profileNpmScript(request))),
    vscode.commands.registerCommand('hotspots.profileTestFile', withHost((h, target: unknown) => h.profileTestFile(target))),
    vscode.commands.registerCommand('hotspots.compareWithPrevious', withHost((h, request: unknown) => h.compareWithPrevious(request))),
    vscode.commands.registerCommand('hotspots.openProfile', withHost((h, target: unknown, selection: unknown) => h.openProfile(target, selection))),
  );

  const getLatestProfile: GetLatestProfile = () => host?.latestProfile();
  // Lint and the flame graph register cheaply here and load their engines on first use. Each is told
  // about every new profile (lint re-ranks findings by measured time; an open flame graph refreshes).
  let lintStats: (() => LintStats) | undefined;
  activateFeature('lint', () => {
    const lint = activateLint(context, getLatestProfile);
    lintStats = lint.stats;
    return lint;
  }, profileListeners);
  activateFeature('flame graph', () => activateFlameGraph(context, getLatestProfile), profileListeners);

  const activationMs = performance.now() - started;
  return {
    activationMs,
    getCurrentModel: () => host?.presenter.current,
    getLatestProfile,
    getAppliedHeat: uri => host?.presenter.appliedTo(uri),
    getAppliedMemory: uri => host?.presenter.memoryAppliedTo(uri),
    getLastOutcome: () => host?.profiling.lastOutcome,
    getMessages: () => host?.notifier.messages ?? [],
    getActiveRun: () => host?.profiling.activeRun,
    getStatusBarText: () => host?.presenter.statusBar.text,
    getTreeItems: () => summarizeTree(tree),
    isHostLoaded: () => host !== undefined,
    whenIdle: async () => { await host?.profiling.whenIdle(); },
    getHistory: () => host?.history.list() ?? [],
    getComparison: () => host?.comparison.current,
    getAppliedComparison: uri => host?.comparison.appliedTo(uri),
    getLintStats: () => lintStats?.(),
  };
}

export function deactivate(): void {
  // Everything is in context.subscriptions; a running profile is cancelled by ProfilingController.dispose().
}

/** One feature failing to activate must not take profiling (or the other feature) down with it. */
function activateFeature(
  name: string,
  activateIt: () => { onProfileUpdated?(profile?: LatestProfile): void } | void,
  profileListeners: ((profile: LatestProfile | undefined) => void)[],
): void {
  try {
    const feature = activateIt();
    if (feature?.onProfileUpdated) profileListeners.push(profile => feature.onProfileUpdated?.(profile));
  } catch (error) {
    console.error(`Hotspots: the ${name} feature failed to activate:`, error);
  }
}

async function summarizeTree(tree: HotspotsTreeProvider): Promise<TreeItemSummary[]> {
  const summarize = async (node?: Parameters<HotspotsTreeProvider['getTreeItem']>[0]): Promise<TreeItemSummary[]> => {
    const children = await tree.getChildren(node);
    return Promise.all(children.map(async child => {
      const item = tree.getTreeItem(child);
      const label = typeof item.label === 'string' ? item.label : item.label?.label ?? '';
      const description = typeof item.description === 'string' ? item.description : undefined;
      return { label, description, children: await summarize(child) };
    }));
  };
  return summarize();
}
