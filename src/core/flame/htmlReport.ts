// The self-contained HTML report: one file with the top-hotspots table, the hottest source files with
// line heat, and speedscope's flame graph with the profile inlined. It opens offline in any browser and
// makes no network requests: every asset is inlined, and its CSP forbids fetching anything.
//
// The flame graph lives in a blob: iframe built from a page carried inside the report (base64, so no
// text in it can end the carrier element), because speedscope takes over <body> and the viewport of
// the page it runs in. The profile data stays in the report page and reaches the frame as a message.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ColorScheme } from './viewTypes';
import { distFile } from '../paths';
import type { Report, ReportLine } from '../profile/types';
import { escapeHtml, escapeJsonForHtml, escapeScript, renderFlamePage } from './flamePage';
import { formatMs } from './frames';
import { speedscopeFromFiles } from './load';
import type { LoadOptions } from '../profile/importers';
import { toSpeedscope, type LocationMapper, type NamedCpuProfile, type SpeedscopeFile } from './speedscope';
import { buildFlameViewData, createNonce } from './viewData';

/** speedscope and our webview script, as text, ready to be inlined. */
export interface InlineAssets {
  flameScript: string;
  speedscopeScript: string;
  /** speedscope's CSS with its font already inlined as a data: URL. */
  speedscopeCss: string;
}

export interface HtmlReportOptions {
  title?: string;
  /** How the report's profiles were read: their files mapped to the workspace the same way (see LoadOptions). */
  load?: Pick<LoadOptions, 'workspaceRoots' | 'pathMappings'>;
  mapLocation?: LocationMapper;
  /** Text of a source file, or undefined when it cannot be read. Defaults to reading the disk. */
  readSource?: (file: string) => string | undefined;
  /** Rows of the top-hotspots table. */
  topLines?: number;
  /** How many of the hottest files have their source shown. */
  sourceFiles?: number;
  assets?: InlineAssets;
  /** Force speedscope's colour scheme; by default it follows the browser (prefers-color-scheme). */
  colorScheme?: ColorScheme;
  generatedAt?: Date;
}

const DEFAULT_TOP_LINES = 30;
const DEFAULT_SOURCE_FILES = 5;
/** Files up to this many lines are shown whole; longer ones as excerpts around their hot lines. */
const WHOLE_FILE_MAX_LINES = 300;
const EXCERPT_CONTEXT_LINES = 5;
const HEAT_LEVELS = 8;
const BAR_STEPS = 20;

/**
 * Content-Security-Policy of the report and of its flame frame. No network source is allowed at all;
 * 'wasm-unsafe-eval' is what speedscope's start-up needs (measured), never 'unsafe-eval'.
 */
export function reportCsp(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}' 'wasm-unsafe-eval'`,
    `style-src 'nonce-${nonce}'`,
    'font-src data:',
    'img-src data: blob:',
    'frame-src blob:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/**
 * The report as one HTML string. `profiles` are the CPU profiles behind the report (one per process),
 * or an already converted speedscope file.
 */
export function renderHtmlReport(report: Report, profiles: NamedCpuProfile[] | SpeedscopeFile, options: HtmlReportOptions = {}): string {
  const nonce = createNonce();
  const csp = reportCsp(nonce);
  const title = options.title ?? defaultTitle(report);
  const assets = options.assets ?? loadInlineAssets();
  const speedscope = Array.isArray(profiles) ? toSpeedscope(profiles, { name: title, mapLocation: options.mapLocation }) : profiles;
  const flamePage = renderFlamePage({
    nonce,
    csp,
    title,
    colorScheme: options.colorScheme,
    assets: { kind: 'inline', ...assets },
  });
  const flameData = buildFlameViewData(report, speedscope, 'report');
  const readSource = options.readSource ?? readSourceFromDisk;
  const files = hottestFiles(report.lines, options.sourceFiles ?? DEFAULT_SOURCE_FILES);
  const sources = files.map((file, index) => ({ file, index, text: readSource(file) })).filter(source => source.text !== undefined);
  const anchorOf = new Map(sources.map(source => [source.file, source.index]));
  const maxLineMs = report.lines.reduce((max, line) => Math.max(max, line.selfMs), 0);
  const generatedAt = (options.generatedAt ?? new Date()).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');

  return `<!DOCTYPE html>
<html lang="en" data-hotspots-role="report">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="generator" content="hotspots">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">${REPORT_CSS}</style>
</head>
<body>
<header>
<h1>Hotspots report</h1>
<p class="meta"><code>${escapeHtml(report.command.join(' '))}</code></p>
<p class="meta">${summaryLine(report)} · generated ${escapeHtml(generatedAt)}</p>
${report.warnings.length ? `<ul class="warnings">${report.warnings.map(w => `<li>${escapeHtml(w)}</li>`).join('')}</ul>` : ''}
</header>
<main>
<section id="hotspots">
<h2>Top hotspots</h2>
${hotspotsTable(report.lines.slice(0, options.topLines ?? DEFAULT_TOP_LINES), maxLineMs, anchorOf)}
</section>
<section id="flame">
<h2>Flame graph</h2>
<p class="hint">Click a frame, then one of its hot lines under the graph to jump to that line in the sources below.</p>
<iframe id="hotspots-flame-frame" title="Flame graph (speedscope)"></iframe>
<p id="hotspots-reveal-status" role="status"></p>
</section>
<section id="sources">
<h2>Hottest files</h2>
${sources.map(source => sourceSection(source.file, source.index, source.text as string, report.lines, maxLineMs)).join('\n')}
</section>
</main>
<footer><p class="hint">Flame graph by <a href="#speedscope-license">speedscope</a> (MIT), embedded.</p>
<pre id="speedscope-license" class="license">${escapeHtml(SPEEDSCOPE_NOTICE)}</pre></footer>
<script type="application/json" id="hotspots-flame-data">${escapeJsonForHtml(flameData)}</script>
<script type="application/octet-stream" id="hotspots-flame-page">${Buffer.from(flamePage, 'utf8').toString('base64')}</script>
<script nonce="${nonce}">${escapeScript(assets.flameScript)}</script>
</body>
</html>
`;
}

/**
 * Reads the profiles, maps their locations through source maps like the report model does, and writes
 * the HTML report. This is what `--html <file>` and "Export HTML report" call.
 */
export async function writeHtmlReport(report: Report, profilePaths: string[], htmlPath: string, options: HtmlReportOptions = {}): Promise<void> {
  const title = options.title ?? defaultTitle(report);
  const speedscope = await speedscopeFromFiles(profilePaths, { name: title, ...options.load });
  // `profile --memory`: the heap profiles beside the CPU profiles become allocation flame graphs (bytes).
  if (report.memory) await (await import('./allocationFlame')).appendAllocationProfilesFromFiles(speedscope, profilePaths);
  const html = renderHtmlReport(report, speedscope, { ...options, title });
  await fs.promises.mkdir(path.dirname(path.resolve(htmlPath)), { recursive: true });
  await fs.promises.writeFile(htmlPath, html, 'utf8');
}

let cachedAssets: InlineAssets | undefined;

/** The built assets in dist/ (see copySpeedscopeAssets in esbuild.js); read once per process. */
export function loadInlineAssets(): InlineAssets {
  if (cachedAssets) return cachedAssets;
  const read = (name: string): string => {
    const file = distFile(name);
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      throw new Error(`missing build output ${file}: run \`npm run build\``);
    }
  };
  const speedscopeDir = path.dirname(distFile('speedscope/speedscope.js'));
  const css = read('speedscope/speedscope.css').replace(/url\("\.\/([^"]+\.woff2)"\)/g, (whole, fontName: string) => {
    const fontFile = path.join(speedscopeDir, fontName);
    if (!fs.existsSync(fontFile)) return whole;
    return `url("data:font/woff2;base64,${fs.readFileSync(fontFile).toString('base64')}")`;
  });
  // A source-map comment would make devtools request a file the report does not carry.
  const flameScript = read('webview/flame.js').replace(/\n\/\/# sourceMappingURL=[^\n]*\s*$/, '\n');
  cachedAssets = { flameScript, speedscopeScript: read('speedscope/speedscope.js'), speedscopeCss: css };
  return cachedAssets;
}

function defaultTitle(report: Report): string {
  return `Hotspots: ${report.command.join(' ') || 'profile'}`;
}

function readSourceFromDisk(file: string): string | undefined {
  if (!path.isAbsolute(file)) return undefined;
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function summaryLine(report: Report): string {
  const exit = report.signal ? `signal ${report.signal}` : `exit ${report.exitCode ?? '?'}`;
  const c = report.categories;
  const parts = [
    `${exit}`,
    `wall ${formatMs(report.wallMs)}`,
    `sampled ${formatMs(report.totalSampledMs)}`,
    `your code ${formatMs(c.userMs)}`,
    `node internals ${formatMs(c.nodeInternalsMs)}`,
    `GC ${formatMs(c.gcMs)}`,
    `${report.processes.length} process${report.processes.length === 1 ? '' : 'es'}`,
  ];
  return parts.map(escapeHtml).join(' · ');
}

function hottestFiles(lines: readonly ReportLine[], count: number): string[] {
  const msByFile = new Map<string, number>();
  for (const line of lines) msByFile.set(line.file, (msByFile.get(line.file) ?? 0) + line.selfMs);
  return [...msByFile.entries()].sort((a, b) => b[1] - a[1]).slice(0, count).map(([file]) => file);
}

function lineAnchor(fileIndex: number, line: number): string {
  return `src-${fileIndex}-L${line}`;
}

function hotspotsTable(lines: readonly ReportLine[], maxLineMs: number, anchorOf: ReadonlyMap<string, number>): string {
  if (lines.length === 0) return '<p class="hint">No samples landed in user code or dependencies.</p>';
  const rows = lines.map((line, rank) => {
    const location = `${line.file}:${line.line}`;
    const fileIndex = anchorOf.get(line.file);
    const locationHtml =
      fileIndex === undefined
        ? `<span title="${escapeHtml(location)}">${escapeHtml(location)}</span>`
        : `<a href="#${lineAnchor(fileIndex, line.line)}" title="${escapeHtml(location)}">${escapeHtml(location)}</a>`;
    const bar = maxLineMs > 0 ? Math.round((line.selfMs / maxLineMs) * BAR_STEPS) : 0;
    return `<tr><td class="num">${rank + 1}</td><td class="share"><span class="bar b${bar}"></span>${line.selfPercent.toFixed(1)}%</td><td class="num">${escapeHtml(formatMs(line.selfMs))}</td><td>${escapeHtml(line.function)}</td><td class="loc">${locationHtml}</td></tr>`;
  });
  return `<table class="hotspots"><thead><tr><th>#</th><th>Share</th><th>Self</th><th>Function</th><th>Location</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`;
}

function sourceSection(file: string, fileIndex: number, text: string, lines: readonly ReportLine[], maxLineMs: number): string {
  const sourceLines = text.split(/\r?\n/);
  const heat = new Map<number, ReportLine>();
  for (const line of lines) if (line.file === file && !heat.has(line.line)) heat.set(line.line, line);
  const fileMs = [...heat.values()].reduce((sum, line) => sum + line.selfMs, 0);
  const filePercent = [...heat.values()].reduce((sum, line) => sum + line.selfPercent, 0);
  const shown = visibleLineNumbers(sourceLines.length, [...heat.keys()]);
  const rows: string[] = [];
  let previous = 0;
  for (const number of shown) {
    if (number !== previous + 1) rows.push('<tr class="gap"><td class="ln">⋯</td><td></td><td></td></tr>');
    previous = number;
    const hot = heat.get(number);
    const level = hot && maxLineMs > 0 ? Math.max(1, Math.ceil((hot.selfMs / maxLineMs) * HEAT_LEVELS)) : 0;
    const cost = hot ? `${escapeHtml(formatMs(hot.selfMs))} <span class="pct">${hot.selfPercent.toFixed(1)}%</span>` : '';
    rows.push(
      `<tr id="${lineAnchor(fileIndex, number)}" class="heat-${level}" data-source-file="${escapeHtml(file)}" data-source-line="${number}">` +
        `<td class="ln">${number}</td><td class="cost">${cost}</td><td class="code"><code>${escapeHtml(sourceLines[number - 1] ?? '')}</code></td></tr>`,
    );
  }
  return `<details open class="source-file"><summary><code>${escapeHtml(file)}</code> <span class="pct">${escapeHtml(formatMs(fileMs))} · ${filePercent.toFixed(1)}%</span></summary>
<table class="source"><tbody>
${rows.join('\n')}
</tbody></table></details>`;
}

/** 1-based line numbers to show: the whole file when short, else the hot lines with some context. */
export function visibleLineNumbers(lineCount: number, hotLines: number[]): number[] {
  if (lineCount <= WHOLE_FILE_MAX_LINES) return Array.from({ length: lineCount }, (_, i) => i + 1);
  const shown = new Set<number>();
  for (const hot of hotLines) {
    for (let n = hot - EXCERPT_CONTEXT_LINES; n <= hot + EXCERPT_CONTEXT_LINES; n++) if (n >= 1 && n <= lineCount) shown.add(n);
  }
  return [...shown].sort((a, b) => a - b);
}

const SPEEDSCOPE_NOTICE = `speedscope (https://github.com/jlfwong/speedscope), MIT License, Copyright (c) 2018 Jamie Wong.
Source Code Pro font, SIL Open Font License 1.1, Copyright 2010-2020 Adobe.`;

/** Heat and bar widths are classes because the CSP allows no inline style attributes. */
const REPORT_CSS = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --line: #d1d9e0; --link: #0969da; --heat: 255, 90, 20; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --line: #3d444d; --link: #4493f8; } }
body { margin: 0; padding: 16px 24px 48px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; }
.meta, .hint { color: var(--muted); margin: 2px 0; }
code, .loc, .num, .cost, .ln { font-family: ui-monospace, "SF Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
a { color: var(--link); text-decoration: none; } a:hover { text-decoration: underline; }
table { border-collapse: collapse; }
table.hotspots { width: 100%; }
table.hotspots th, table.hotspots td { text-align: left; padding: 3px 8px; border-bottom: 1px solid var(--line); white-space: nowrap; }
table.hotspots td.loc { white-space: normal; word-break: break-all; }
.num { text-align: right; }
.share { width: 170px; }
.bar { display: inline-block; height: 9px; margin-right: 6px; vertical-align: middle; background: rgb(var(--heat)); border-radius: 2px; width: 0; }
${Array.from({ length: BAR_STEPS + 1 }, (_, i) => `.b${i} { width: ${(i * 100) / BAR_STEPS}px; }`).join(' ')}
#hotspots-flame-frame { width: 100%; height: 72vh; min-height: 420px; border: 1px solid var(--line); }
#hotspots-reveal-status { color: var(--muted); min-height: 1.4em; }
details.source-file { margin: 10px 0; border: 1px solid var(--line); border-radius: 6px; }
details.source-file summary { padding: 6px 10px; cursor: pointer; }
table.source { width: 100%; }
table.source td { padding: 0 8px; vertical-align: top; }
table.source td.ln { color: var(--muted); text-align: right; width: 1%; user-select: none; }
table.source td.cost { text-align: right; width: 1%; white-space: nowrap; }
table.source td.code code { white-space: pre; }
tr.gap td { color: var(--muted); }
.pct { color: var(--muted); }
${Array.from({ length: HEAT_LEVELS }, (_, i) => `tr.heat-${i + 1} { background: rgba(var(--heat), ${(0.1 + (0.5 * (i + 1)) / HEAT_LEVELS).toFixed(3)}); }`).join('\n')}
tr.revealed { outline: 2px solid var(--link); outline-offset: -2px; }
.warnings { color: #b35900; }
.license { color: var(--muted); font-size: 11px; white-space: pre-wrap; }
`;
