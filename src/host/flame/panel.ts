// The flame graph panel: one webview embedding speedscope (dist/speedscope) plus our script
// (dist/webview/flame.js), fed over the typed protocol in src/shared/protocol.ts.
//
// The host converts the profiles once per run (merged stacks, see src/core/flame/speedscope.ts) and
// sends the webview only that file and the report's hot lines; the webview never sees raw profiles.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { renderFlamePage } from '../../core/flame/flamePage';
import { convertProfilesOffThread } from '../../core/flame/offThread';
import { buildFlameViewData, createNonce } from '../../core/flame/viewData';
import { isWebviewToHostMessage, type ColorScheme, type FlameViewData, type FlameWebviewState, type FlameWeight, type HostToWebviewMessage, type SourceLocation, type WebviewToHostMessage } from '../../shared/protocol';
import type { Report } from '../../core/profile/types';
import type { GetLatestProfile, LatestProfile } from '../api';
import { profileLoadOptions } from '../profileLoadOptions';

const VIEW_TYPE = 'hotspots.flameGraph';
const TITLE = 'Hotspots: Flame graph';
/** While a panel is open, how often it checks for a newer profile (an identity check: nearly free). */
const PROFILE_POLL_MS = 1000;
const MESSAGE_LOG_SIZE = 50;

/** What `hotspots.showFlameGraph` returns: lets tests (and callers) follow the webview. */
export interface FlamePanelHandle {
  readonly panel: vscode.WebviewPanel;
  /** Resolves when the webview script runs and has said `ready`. */
  whenReady(): Promise<void>;
  /** Resolves when speedscope accepted the current profile. */
  whenLoaded(): Promise<{ runId: string; frameCount: number }>;
  /** Messages received from the webview, oldest first (the last 50). */
  readonly received: readonly WebviewToHostMessage[];
  /** Handles a message exactly as if the webview had sent it. */
  receive(message: unknown): Promise<void>;
  /** The data last sent to the webview (what it shows once loaded). */
  shownData(): Promise<FlameViewData | undefined>;
}

interface Waiter<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}
function waiter<T>(): Waiter<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>(done => (resolve = done));
  return { promise, resolve };
}

export class FlamePanelController implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  private shown: LatestProfile | undefined;
  /** Keyed by the report object (`getLatestProfile()` may build a new wrapper on every call), then by weight. */
  private readonly viewData = new WeakMap<Report, Map<FlameWeight, Promise<FlameViewData>>>();
  /** Time, or bytes for runs with memory (the switch in the webview); kept from one run to the next. */
  private weight: FlameWeight = 'time';
  private nextRunId = 1;
  private ready = waiter<void>();
  private loaded = waiter<{ runId: string; frameCount: number }>();
  private readonly received: WebviewToHostMessage[] = [];
  private poll: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly getLatestProfile: GetLatestProfile,
  ) {}

  async show(profile: LatestProfile | undefined = this.getLatestProfile()): Promise<FlamePanelHandle> {
    if (this.panel) {
      this.panel.reveal(undefined, false);
    } else {
      const panel = vscode.window.createWebviewPanel(VIEW_TYPE, TITLE, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, this.webviewOptions());
      this.adopt(panel);
    }
    this.update(profile);
    return this.handle(this.panel!);
  }

  /**
   * Window reload: VS Code hands back the panel with the webview's saved state. It shows the latest
   * profile, or else rebuilds the one it showed from its .cpuprofile files (if they still exist).
   */
  async restore(panel: vscode.WebviewPanel, state: FlameWebviewState | undefined): Promise<void> {
    this.panel?.dispose();
    panel.webview.options = this.webviewOptions();
    this.adopt(panel);
    const profile = this.getLatestProfile() ?? (await profileFromFiles(state?.profilePaths));
    this.update(profile);
  }

  /** Shows `profile` (default: the latest) in the open panel, if there is one. */
  update(profile: LatestProfile | undefined = this.getLatestProfile()): void {
    if (!this.panel) return;
    // The webview ignores a run it already shows, so only a different run waits for a new `loaded`.
    if (!isSameProfile(profile, this.shown)) this.loaded = waiter();
    this.shown = profile;
    if (profile) this.panel.title = `${TITLE} (${this.describe(profile)})`;
    void this.sendCurrent();
  }

  dispose(): void {
    this.panel?.dispose();
  }

  private webviewOptions(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      retainContextWhenHidden: true, // keeps speedscope's zoom and selection when the tab is hidden
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.ready = waiter();
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.png');
    panel.webview.html = this.html(panel.webview);
    this.panelDisposables.push(
      panel.webview.onDidReceiveMessage(message => this.receive(message)),
      panel.onDidDispose(() => this.forgetPanel(panel)),
      vscode.window.onDidChangeActiveColorTheme(() => {
        // speedscope reads its colour scheme at start-up only: restart the page, it asks for the data again.
        this.ready = waiter();
        panel.webview.html = this.html(panel.webview);
      }),
    );
    this.poll = setInterval(() => {
      const latest = this.getLatestProfile();
      if (latest && !isSameProfile(latest, this.shown)) this.update(latest);
    }, PROFILE_POLL_MS);
  }

  private forgetPanel(panel: vscode.WebviewPanel): void {
    if (this.panel !== panel) return;
    this.panel = undefined;
    this.shown = undefined;
    if (this.poll) clearInterval(this.poll);
    this.poll = undefined;
    for (const disposable of this.panelDisposables.splice(0)) disposable.dispose();
  }

  private handle(panel: vscode.WebviewPanel): FlamePanelHandle {
    return {
      panel,
      whenReady: () => this.ready.promise,
      whenLoaded: () => this.loaded.promise,
      received: this.received,
      receive: message => this.receive(message),
      shownData: async () => (this.shown ? this.dataFor(this.shown) : undefined),
    };
  }

  private html(webview: vscode.Webview): string {
    const nonce = createNonce();
    const asset = (...segments: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', ...segments)).toString();
    const source = webview.cspSource;
    const csp = [
      "default-src 'none'",
      `script-src 'nonce-${nonce}' 'wasm-unsafe-eval'`,
      `style-src ${source} 'nonce-${nonce}'`,
      `font-src ${source}`,
      `img-src ${source} data:`,
    ].join('; ');
    return renderFlamePage({
      nonce,
      csp,
      title: TITLE,
      colorScheme: colorSchemeOf(vscode.window.activeColorTheme.kind),
      assets: {
        kind: 'linked',
        flameScriptUrl: asset('webview', 'flame.js'),
        speedscopeScriptUrl: asset('speedscope', 'speedscope.js'),
        speedscopeCssUrl: asset('speedscope', 'speedscope.css'),
      },
    });
  }

  async receive(message: unknown): Promise<void> {
    if (!isWebviewToHostMessage(message)) return;
    this.received.push(message);
    if (this.received.length > MESSAGE_LOG_SIZE) this.received.shift();
    switch (message.type) {
      case 'ready':
        this.ready.resolve();
        await this.sendCurrent();
        return;
      case 'loaded':
        this.loaded.resolve({ runId: message.runId, frameCount: message.frameCount });
        return;
      case 'openSource':
        await openSource(message.location, this.panel?.viewColumn);
        return;
      case 'frameSelected':
        return;
      case 'showWeight':
        if (message.weight === this.weight) return;
        this.weight = message.weight;
        this.loaded = waiter();
        await this.sendCurrent();
        return;
      case 'error':
        void vscode.window.showWarningMessage(`Hotspots flame graph: ${message.message}`);
        return;
    }
  }

  private async sendCurrent(): Promise<void> {
    const panel = this.panel;
    const profile = this.shown;
    if (!panel) return;
    if (!profile) {
      await this.post(panel, { type: 'empty', message: 'No profile yet. Run "Hotspots: Profile" or open a .cpuprofile, and the flame graph appears here.' });
      return;
    }
    try {
      const data = await this.dataFor(profile);
      if (isSameProfile(this.shown, profile)) await this.post(panel, { type: 'load', data });
    } catch (error) {
      const message = `could not read the profile: ${(error as Error).message}`;
      await this.post(panel, { type: 'empty', message });
      void vscode.window.showWarningMessage(`Hotspots flame graph: ${message}`);
    }
  }

  private post(panel: vscode.WebviewPanel, message: HostToWebviewMessage): Thenable<boolean> {
    return panel.webview.postMessage(message);
  }

  /** Converted once per profile: the conversion of a large profile takes a moment. */
  private dataFor(profile: LatestProfile): Promise<FlameViewData> {
    const { report } = profile;
    // Bytes only for runs with memory: a switch made on one run stays on for the next memory run.
    const weight: FlameWeight = report.memory ? this.weight : 'time';
    let byWeight = this.viewData.get(report);
    if (!byWeight) this.viewData.set(report, (byWeight = new Map()));
    let data = byWeight.get(weight);
    if (!data) {
      const runId = `run-${this.nextRunId++}`;
      const options = { name: this.describe(profile), ...profileLoadOptions(), weight };
      data = convertProfilesOffThread(profile.profilePaths, options).then(encoded => buildFlameViewData(report, encoded, runId, profile.profilePaths, weight));
      byWeight.set(weight, data);
      data.catch(() => byWeight.delete(weight)); // try again next time
    }
    return data;
  }

  private describe(profile: LatestProfile): string {
    if (profile.script) return path.basename(profile.script);
    return profile.profilePaths.length === 1 ? path.basename(profile.profilePaths[0]) : `${profile.profilePaths.length} profiles`;
  }
}

/** Rebuilds a report from saved profile paths; undefined when there are none or one is gone. */
async function profileFromFiles(profilePaths: string[] | undefined): Promise<LatestProfile | undefined> {
  if (!profilePaths?.length || !profilePaths.every(file => fs.existsSync(file))) return undefined;
  try {
    const [{ loadProfileParts }, { ReportBuilder }] = await Promise.all([import('../../core/profile/importers'), import('../../core/profile/model')]);
    const builder = new ReportBuilder({ command: [], exitCode: null, signal: null, wallMs: 0 });
    // Every thread a file holds (a DevTools trace), as the flame graph beside it reads them.
    for (const file of profilePaths) for (const part of await loadProfileParts(file, profileLoadOptions())) builder.addProfile(file, part);
    return { report: builder.build(), profilePaths, script: undefined };
  } catch {
    return undefined; // unreadable now: the panel says there is no profile
  }
}

/** Same run: same report and profile files (the wrapper object itself may differ). */
function isSameProfile(a: LatestProfile | undefined, b: LatestProfile | undefined): boolean {
  if (!a || !b) return a === b;
  return a.report === b.report && a.profilePaths.length === b.profilePaths.length && a.profilePaths.every((file, i) => file === b.profilePaths[i]);
}

export function colorSchemeOf(kind: vscode.ColorThemeKind): ColorScheme {
  return kind === vscode.ColorThemeKind.Light || kind === vscode.ColorThemeKind.HighContrastLight ? 'LIGHT' : 'DARK';
}

/** Opens a source line in an editor beside the panel (never in the panel's own group). */
export async function openSource(location: SourceLocation, panelColumn: vscode.ViewColumn | undefined): Promise<vscode.TextEditor | undefined> {
  if (!path.isAbsolute(location.file) || !fs.existsSync(location.file)) {
    void vscode.window.showWarningMessage(`Hotspots: ${location.file} is not a file on this machine.`);
    return undefined;
  }
  const line = Math.max(0, location.line - 1);
  const range = new vscode.Range(line, 0, line, 0);
  const column = panelColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Beside : vscode.ViewColumn.One;
  const editor = await vscode.window.showTextDocument(vscode.Uri.file(location.file), { viewColumn: column, selection: range, preview: true });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return editor;
}
