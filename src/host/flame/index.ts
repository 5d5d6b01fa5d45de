// Flame graph feature entry (loaded by src/extension.ts on activation). Registration only: the panel,
// the profile conversion and the HTML report load on first use.
import * as vscode from 'vscode';
import type { GetLatestProfile, LatestProfile } from '../api';
import type { FlameWebviewState } from '../../shared/protocol';
import type { FlamePanelController, FlamePanelHandle } from './panel';

/** Webview type of the panel; package.json needs `onWebviewPanel:hotspots.flameGraph` for restore. */
export const FLAME_VIEW_TYPE = 'hotspots.flameGraph';

export interface FlameGraphFeature extends vscode.Disposable {
  /** Opens (or reveals) the panel for a profile, by default the latest one. */
  show(profile?: LatestProfile): Promise<FlamePanelHandle>;
  /** Tells an open panel that a new profile exists; the panel also notices on its own (see panel.ts). */
  onProfileUpdated(profile?: LatestProfile): void;
}

export function activateFlameGraph(context: vscode.ExtensionContext, getLatestProfile: GetLatestProfile): FlameGraphFeature {
  let controller: Promise<FlamePanelController> | undefined;
  const loadController = (): Promise<FlamePanelController> =>
    (controller ??= import('./panel').then(({ FlamePanelController }) => {
      const created = new FlamePanelController(context.extensionUri, getLatestProfile);
      context.subscriptions.push(created);
      return created;
    }));

  const feature: FlameGraphFeature = {
    show: async profile => (await loadController()).show(profile),
    onProfileUpdated: profile => {
      // Nothing to update unless a panel was ever created.
      if (controller) void controller.then(loaded => loaded.update(profile));
    },
    dispose: () => undefined,
  };
  context.subscriptions.push(
    feature,
    // Returns the panel handle: integration tests await readiness through it.
    vscode.commands.registerCommand('hotspots.showFlameGraph', () => feature.show()),
    vscode.commands.registerCommand('hotspots.exportHtmlReport', async (target?: unknown) => {
      const { exportHtmlReport } = await import('./exportReport');
      return exportHtmlReport(getLatestProfile(), target instanceof vscode.Uri ? target : undefined);
    }),
    vscode.window.registerWebviewPanelSerializer(FLAME_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: FlameWebviewState | undefined) => {
        await (await loadController()).restore(panel, state);
      },
    }),
  );
  return feature;
}
