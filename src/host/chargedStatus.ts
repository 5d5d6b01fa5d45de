// Status-bar text for the hottest line of the user's code when dependency time charged to it makes it
// the biggest: `$(flame) app.js:14 91% → slowlib 97%`.
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { formatDuration, formatPercent, HeatLine, HeatModel } from './heatModel';

export function showChargedLine(item: vscode.StatusBarItem, line: HeatLine, model: HeatModel, stale: boolean): void {
  const charged = line.charged!;
  item.text = `$(flame) ${path.basename(line.file)}:${line.line} ${formatPercent(charged.totalPercent)} ${charged.via}${stale ? ' (stale)' : ''}`;
  item.tooltip = `Hottest line of your code: ${line.file}:${line.line} in ${line.functionName}, ${formatDuration(charged.totalMs)} `
    + `(${formatPercent(charged.totalPercent)} of ${formatDuration(model.report.totalSampledMs)} sampled) including the dependencies it called `
    + `(${charged.via}); its own time ${formatDuration(line.selfMs)}. Click to show the Hotspots view.`;
  item.show();
}
