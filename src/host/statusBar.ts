// Status-bar item: the hottest line and its share; clicking focuses the Hotspots view.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatDuration, formatPercent, HeatModel } from './heatModel';
import type { WaitModel } from './waitHeat';
import { showBiggestWait } from './waitStatus';
import { showChargedLine } from './chargedStatus';

export const VIEW_ID = 'hotspots.hotspots';

export class HotspotsStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('hotspots.hottestLine', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'Hotspots: hottest line';
    this.item.command = `${VIEW_ID}.focus`;
  }

  private waits: WaitModel | undefined;

  /** Await lines of the same report: the item names the biggest of CPU or waiting. */
  setWaits(waits: WaitModel | undefined): void {
    this.waits = waits;
  }

  showModel(model: HeatModel | undefined, isStale: (file: string) => boolean): void {
    const hottest = model?.lines[0];
    // The user's own line that led into a dependency can outweigh every visible line (dependency lines
    // are hidden by default): it is the line to change.
    const charged = model?.chargedLines[0];
    const hottestMs = Math.max(hottest?.selfMs ?? 0, charged?.charged?.totalMs ?? 0);
    if (model && showBiggestWait(this.item, this.waits, hottestMs, isStale)) return;
    if (model && charged?.charged && charged.charged.totalMs > (hottest?.selfMs ?? 0)) {
      showChargedLine(this.item, charged, model, isStale(charged.file));
      return;
    }
    if (!model || !hottest) {
      this.item.hide();
      return;
    }
    const stale = isStale(hottest.file) ? ' (stale)' : '';
    this.item.text = `$(flame) ${path.basename(hottest.file)}:${hottest.line} ${formatPercent(hottest.selfPercent)}${stale}`;
    this.item.tooltip = `Hottest line: ${hottest.file}:${hottest.line} in ${hottest.functionName}, ${formatDuration(hottest.selfMs)} `
      + `(${formatPercent(hottest.selfPercent)} of ${formatDuration(model.report.totalSampledMs)} sampled). Click to show the Hotspots view.`;
    this.item.show();
  }

  showRunning(script: string): void {
    this.item.text = `$(loading~spin) Profiling ${path.basename(script)}`;
    this.item.tooltip = 'Hotspots is profiling. Use "Hotspots: Stop profiling and show results" to stop.';
    this.item.command = 'hotspots.stopProfiling';
    this.item.show();
  }

  /** Back to the click-to-focus behaviour after a run. */
  showIdle(model: HeatModel | undefined, isStale: (file: string) => boolean): void {
    this.item.command = `${VIEW_ID}.focus`;
    this.showModel(model, isStale);
  }

  get text(): string {
    return this.item.text;
  }

  dispose(): void {
    this.item.dispose();
  }
}
