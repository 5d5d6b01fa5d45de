// Activation and wiring only. Activation registers commands, the Hotspots view and the optional
// features; everything heavy (profiling core, decorations, report model) loads on the first command.
import * as vscode from 'vscode';
import type { GetLatestProfile, HotspotsApi, LatestProfile, TreeItemSummary } from './host/api';
import type { HotspotsHost } from './host/hotspotsHost';
import { VIEW_ID } from './host/statusBar';
import { HotspotsTreeProvider } from './host/treeView';

/**
 * Features other modules plug in, loaded on activation if their entry exists when the extension is
 * bundled (esbuild turns the template require into a map of the matching src/host/<name>/index.ts).
 * Each entry must activate cheaply and load its heavy parts on first use.
 */
interface OptionalFeatures {
  lint: { activateLint(context: vscode.ExtensionContext): unknown };
  flame: { activateFlameGraph(context: vscode.ExtensionContext, getLatestModel: GetLatestProfile): { onProfileUpdated?(profile?: LatestProfile): void } | void };
}

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
  activateOptionalFeature('lint', feature => feature.activateLint(context));
  activateOptionalFeature('flame', feature => {
    const flame = feature.activateFlameGraph(context, getLatestProfile);
    if (flame?.onProfileUpdated) profileListeners.push(profile => flame.onProfileUpdated?.(profile));
  });

  const activationMs = performance.now() - started;
  return {
    activationMs,
    getCurrentModel: () => host?.presenter.current,
    getLatestProfile,
    getAppliedHeat: uri => host?.presenter.appliedTo(uri),
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
  };
}

export function deactivate(): void {
  // Everything is in context.subscriptions; a running profile is cancelled by ProfilingController.dispose().
}

function activateOptionalFeature<K extends keyof OptionalFeatures>(name: K, activateFeature: (feature: OptionalFeatures[K]) => unknown): void {
  let feature: OptionalFeatures[K];
  try {
    feature = require(`./host/${name}/index.ts`) as OptionalFeatures[K];
  } catch (error) {
    if (/Module not found in bundle|Cannot find module/.test(String((error as Error).message))) return; // not built in
    console.error(`Hotspots: the ${name} feature failed to load:`, error);
    return;
  }
  try {
    activateFeature(feature);
  } catch (error) {
    // One feature failing must not take profiling down with it.
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
