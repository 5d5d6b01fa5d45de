// Browser bundle (dist/webview/flame.js) with two roles, chosen by <html data-hotspots-role>:
//  - "flame": the page that embeds speedscope (the VS Code panel, or the frame inside the HTML report).
//    It must run BEFORE speedscope's bundle: it prepares what speedscope needs under a strict CSP, loads
//    our profile into it, and adds the companion panel that turns the selected frame into source links.
//  - "report": the self-contained HTML report page. It puts the flame page into a blob: iframe and
//    scrolls to a source line when the flame page asks to open one.
import { formatMs, frameDisplayKey, hotLinesForFrame, shortPath, type SpeedscopeFrame } from '../core/flame/frames';
import { formatBytes } from '../core/profile/memory/bytes';
import type { ColorScheme, FlameViewData, FlameWebviewState, FlameWeight, HostToWebviewMessage, SelectedFrame, SourceLocation, WebviewToHostMessage } from '../shared/protocol';

declare function acquireVsCodeApi(): { postMessage(message: unknown): void; setState(state: FlameWebviewState): void };

/** speedscope's start-up switches (verified with speedscope 1.25.0; see test/e2e/html-report.test.ts). */
const SPEEDSCOPE_HASH = '#localProfilePath=hotspots&view=left-heavy';
const SPEEDSCOPE_COLOR_SCHEME_KEY = 'speedscope-color-scheme';
const SPEEDSCOPE_WAIT_MS = 15_000;

// ---------------------------------------------------------------------------------------------------
// Flame page

interface SpeedscopeGlobal {
  loadFileFromBase64(name: string, base64: string): void;
}

function startFlamePage(): void {
  const nonce = (document.currentScript as HTMLScriptElement | null)?.nonce ?? '';
  const colorScheme = (document.documentElement.dataset.colorScheme as ColorScheme | undefined) ?? undefined;
  prepareForSpeedscope(nonce, colorScheme);
  const send = hostSender();
  // The host logs these: webview consoles are out of sight, and a broken start must not be silent.
  window.addEventListener('error', event => send({ type: 'error', message: `webview: ${event.message}` }));
  document.addEventListener('securitypolicyviolation', event =>
    send({ type: 'error', message: `webview: the content security policy blocked ${event.blockedURI || 'inline code'} (${event.violatedDirective})` }),
  );
  const panel = new CompanionPanel(send);
  document.addEventListener('DOMContentLoaded', () => panel.mount(document.body));

  // The profile comes from the parent: VS Code's webview host, or the HTML report page around us. (No
  // check of event.source: VS Code relays host messages through its own frames, and only windows that
  // embed this page can post to it.)
  window.addEventListener('message', event => {
    const message = event.data as HostToWebviewMessage;
    if (message?.type === 'load') whenDomReady(() => loadIntoSpeedscope(message.data, panel, send));
    else if (message?.type === 'empty') whenDomReady(() => panel.showEmpty(message.message));
  });
  send({ type: 'ready' });
}

/**
 * What speedscope needs to run under our CSP, done before its bundle executes:
 *  - a bundled protobuf library probes for Node with `eval("require")`; without 'unsafe-eval' that is a
 *    CSP violation, so `eval("require")` throws a plain ReferenceError instead (the library catches it);
 *  - `loadFileFromBase64` exists only when the page starts with `#localProfilePath=…`; speedscope then
 *    adds a <script src="file:///…"> for that path, which we never let into the document;
 *  - its CSS-in-JS (aphrodite) reuses an existing <style data-aphrodite>: creating it here with our
 *    nonce lets its rules apply without 'unsafe-inline';
 *  - the colour scheme is read from localStorage at start-up only.
 */
function prepareForSpeedscope(nonce: string, colorScheme: ColorScheme | undefined): void {
  const nativeEval = window.eval;
  (window as unknown as { eval: (code: string) => unknown }).eval = (code: string) => {
    if (code === 'require') throw new ReferenceError('require is not defined');
    return nativeEval(code);
  };
  ensureStorage();
  try {
    history.replaceState(history.state, '', SPEEDSCOPE_HASH);
  } catch {
    // Without the hash speedscope offers no loading entry point; loadIntoSpeedscope reports the error.
  }
  const head = document.head;
  const appendChild = head.appendChild.bind(head);
  head.appendChild = <T extends Node>(node: T): T => {
    if (node instanceof HTMLScriptElement && node.src.startsWith('file:')) return node;
    return appendChild(node);
  };
  const style = document.createElement('style');
  style.setAttribute('data-aphrodite', '');
  style.nonce = nonce;
  head.appendChild(style);
  if (colorScheme) {
    try {
      localStorage.setItem(SPEEDSCOPE_COLOR_SCHEME_KEY, colorScheme);
    } catch {
      // Storage can be unavailable (opaque origins); speedscope then follows prefers-color-scheme.
    }
  }
}

/**
 * speedscope reads `window.localStorage` unguarded, which throws in documents with an opaque origin (the
 * report opened from file://). An in-memory stand-in keeps it working there; it forgets on reload.
 */
function ensureStorage(): void {
  try {
    void window.localStorage;
    return;
  } catch {
    // fall through: replace it
  }
  const items = new Map<string, string>();
  const storage = {
    get length() {
      return items.size;
    },
    key: (index: number) => [...items.keys()][index] ?? null,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, String(value)),
    removeItem: (key: string) => void items.delete(key),
    clear: () => items.clear(),
  };
  Object.defineProperty(window, 'localStorage', { value: storage, configurable: true });
}

/** Persists what a reload needs (VS Code only); set when a profile is loaded. */
let saveState: (state: FlameWebviewState) => void = () => undefined;

function hostSender(): (message: WebviewToHostMessage) => void {
  if (typeof acquireVsCodeApi === 'function') {
    const vscode = acquireVsCodeApi();
    saveState = state => vscode.setState(state);
    return message => vscode.postMessage(message);
  }
  if (window.parent !== window) return message => window.parent.postMessage({ hotspots: message }, '*');
  return () => undefined;
}

function whenDomReady(run: () => void): void {
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run, { once: true });
  else run();
}

let loadedRunId: string | undefined;

function loadIntoSpeedscope(data: FlameViewData, panel: CompanionPanel, send: (message: WebviewToHostMessage) => void): void {
  if (data.runId === loadedRunId) return;
  loadedRunId = data.runId;
  const frames = data.frames;
  panel.setData(data, frames);
  saveState({ profilePaths: data.profilePaths });
  const started = Date.now();
  const attempt = (): void => {
    const speedscope = (window as unknown as { speedscope?: SpeedscopeGlobal }).speedscope;
    if (speedscope?.loadFileFromBase64) {
      speedscope.loadFileFromBase64(`${data.title}.speedscope.json`, data.speedscopeBase64);
      send({ type: 'loaded', runId: data.runId, frameCount: frames.length });
      return;
    }
    if (Date.now() - started > SPEEDSCOPE_WAIT_MS) {
      const message = 'speedscope did not start: its loading entry point is missing (was the page hash changed?)';
      panel.showEmpty(message);
      send({ type: 'error', message });
      return;
    }
    setTimeout(attempt, 25);
  };
  attempt();
}

/**
 * Finds the frame speedscope has selected. Its detail view prints the selected node's stack, selected
 * frame first, each line as `name (file:line:col)` (callers prefixed with "> "). The first element whose
 * whole text is one of our frames' display keys is therefore the selection. The hover tooltip prints
 * `file:line` without parentheses, so it never matches. Only frames with a file take part: the others
 * have nothing to open.
 */
export function findSelectedFrameIndex(root: ParentNode, frameIndexByKey: ReadonlyMap<string, number>, skip?: Element): number | undefined {
  for (const element of Array.from(root.querySelectorAll('div'))) {
    if (skip?.contains(element)) continue;
    const text = element.textContent;
    if (!text || text.length > 4096) continue;
    const index = frameIndexByKey.get(text);
    if (index !== undefined) return index;
  }
  return undefined;
}

/** The strip under the flame graph: the selected function's hot lines as links, or the top functions. */
class CompanionPanel {
  private element: HTMLElement | undefined;
  private data: FlameViewData | undefined;
  private frames: SpeedscopeFrame[] = [];
  private frameIndexByKey = new Map<string, number>();
  private selectedIndex: number | undefined;
  private pendingScan = false;
  private emptyMessage: string | undefined;

  constructor(private readonly send: (message: WebviewToHostMessage) => void) {}

  mount(body: HTMLElement): void {
    if (this.element) return;
    const element = document.createElement('aside');
    element.id = 'hotspots-companion';
    element.setAttribute('aria-label', 'Source of the selected frame');
    element.addEventListener('click', event => this.onClick(event));
    body.appendChild(element);
    this.element = element;
    new MutationObserver(() => this.scheduleScan()).observe(body, { subtree: true, childList: true, characterData: true });
    this.render();
  }

  setData(data: FlameViewData, frames: SpeedscopeFrame[]): void {
    this.data = data;
    this.frames = frames;
    this.frameIndexByKey = new Map();
    frames.forEach((frame, index) => {
      if (frame.file && frame.line != null) this.frameIndexByKey.set(frameDisplayKey(frame), index);
    });
    this.selectedIndex = undefined;
    this.emptyMessage = undefined;
    this.render();
  }

  showEmpty(message: string): void {
    this.emptyMessage = message;
    this.render();
  }

  private scheduleScan(): void {
    if (this.pendingScan) return;
    this.pendingScan = true;
    requestAnimationFrame(() => {
      this.pendingScan = false;
      this.scan();
    });
  }

  private scan(): void {
    if (!this.element || this.frameIndexByKey.size === 0) return;
    const index = findSelectedFrameIndex(document.body, this.frameIndexByKey, this.element);
    if (index === this.selectedIndex) return;
    this.selectedIndex = index;
    this.render();
    const frame = index === undefined ? undefined : this.frames[index];
    if (frame?.file && frame.line != null) this.send({ type: 'frameSelected', frame: { name: frame.name, file: frame.file, line: frame.line } });
  }

  private onClick(event: MouseEvent): void {
    const weightButton = (event.target as Element | null)?.closest('button[data-weight]') as HTMLButtonElement | null;
    if (weightButton) {
      this.send({ type: 'showWeight', weight: weightButton.dataset.weight as FlameWeight });
      return;
    }
    const link = (event.target as Element | null)?.closest('a[data-file]') as HTMLAnchorElement | null;
    if (!link) return;
    event.preventDefault();
    const location: SourceLocation = { file: link.dataset.file ?? '', line: Number(link.dataset.line) };
    this.send({ type: 'openSource', location });
  }

  private render(): void {
    const element = this.element;
    if (!element) return;
    element.replaceChildren();
    if (this.emptyMessage) {
      element.append(paragraph(this.emptyMessage, 'hint'));
      return;
    }
    const data = this.data;
    if (!data) {
      element.append(paragraph('Loading profile…', 'hint'));
      return;
    }
    if (data.memory) element.append(weightSwitch(data.memory.weight, data.memory.stillHeld));
    const frame = this.selectedIndex === undefined ? undefined : this.frames[this.selectedIndex];
    if (data.memory?.weight === 'bytes') {
      this.renderBytes(element, data.memory, frame);
      return;
    }
    if (frame?.file && frame.line != null) {
      const selected: SelectedFrame = { name: frame.name, file: frame.file, line: frame.line };
      element.append(frameHeading(selected));
      const lines = hotLinesForFrame(selected, data.lines, data.functions);
      if (lines.length === 0) element.append(paragraph('No sampled lines in this function (its time is spent in callees).', 'hint'));
      else element.append(linkList(lines.map(line => ({ location: line, label: `line ${line.line}`, detail: `${formatMs(line.selfMs)} · ${line.selfPercent.toFixed(1)}%` }))));
      return;
    }
    element.append(paragraph('Click a frame in the flame graph to list its hot lines. Hottest functions:', 'hint'));
    const top = data.functions.filter(fn => fn.selfMs > 0).sort((a, b) => b.selfMs - a.selfMs).slice(0, 6);
    element.append(linkList(top.map(fn => ({ location: fn, label: fn.name, detail: `${shortPath(fn.file)}:${fn.line} · ${formatMs(fn.selfMs)} self` }))));
  }

  /** Bytes view: the selected function's allocation, or the functions that allocated most. */
  private renderBytes(element: HTMLElement, memory: NonNullable<FlameViewData['memory']>, frame: SpeedscopeFrame | undefined): void {
    const verb = memory.stillHeld ? 'still held' : 'allocated';
    if (frame?.file && frame.line != null) {
      const selected: SelectedFrame = { name: frame.name, file: frame.file, line: frame.line };
      element.append(frameHeading(selected));
      const entry = memory.allocations.find(candidate => candidate.file === selected.file && candidate.line === selected.line);
      element.append(paragraph(entry ? `${formatBytes(entry.allocatedBytes)} ${verb} · ${entry.allocatedPercent.toFixed(1)}% (whole function: V8 records allocation per function, not per line)` : `Nothing ${verb} by this function itself (only through its callees).`, 'hint'));
      return;
    }
    element.append(paragraph(`Bytes ${verb} per function, built-ins charged to their caller. Click a frame for its function. Largest:`, 'hint'));
    element.append(linkList(memory.allocations.slice(0, 6).map(entry => ({ location: entry, label: entry.function || '(anonymous)', detail: `${shortPath(entry.file)}:${entry.line} · ${formatBytes(entry.allocatedBytes)}` }))));
  }
}

/** The selected function's name and a link to its first line. */
function frameHeading(selected: SelectedFrame): HTMLElement {
  const heading = document.createElement('div');
  heading.className = 'heading';
  heading.append(text('strong', selected.name), ' ', sourceLink(selected, `${shortPath(selected.file)}:${selected.line}`, 'function-link'));
  return heading;
}

/** "Time | Allocated bytes": which flame graph the panel shows (the host converts the other on demand). */
function weightSwitch(current: FlameWeight, stillHeld: boolean): HTMLElement {
  const bar = document.createElement('div');
  bar.className = 'weight-switch';
  bar.setAttribute('role', 'group');
  bar.setAttribute('aria-label', 'Flame graph weight');
  const choices: [FlameWeight, string][] = [['time', 'Time'], ['bytes', stillHeld ? 'Bytes still held' : 'Allocated bytes']];
  for (const [weight, label] of choices) {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.weight = weight;
    button.textContent = label;
    button.setAttribute('aria-pressed', String(weight === current));
    bar.append(button);
  }
  return bar;
}

function paragraph(content: string, className: string): HTMLElement {
  const element = document.createElement('p');
  element.className = className;
  element.textContent = content;
  return element;
}

function text(tag: string, content: string): HTMLElement {
  const element = document.createElement(tag);
  element.textContent = content;
  return element;
}

function sourceLink(location: SourceLocation, label: string, className: string): HTMLAnchorElement {
  const link = document.createElement('a');
  link.href = '#';
  link.className = className;
  link.dataset.file = location.file;
  link.dataset.line = String(location.line);
  link.title = `${location.file}:${location.line}`;
  link.textContent = label;
  return link;
}

function linkList(items: { location: SourceLocation; label: string; detail: string }[]): HTMLElement {
  const list = document.createElement('ul');
  for (const item of items) {
    const entry = document.createElement('li');
    entry.append(sourceLink(item.location, item.label, 'line-link'), ' ', text('span', item.detail));
    list.append(entry);
  }
  return list;
}

// ---------------------------------------------------------------------------------------------------
// Report page

/** Builds the flame frame from the page it carries, and answers its "open source" requests. */
function startReportPage(): void {
  whenDomReady(() => {
    const carrier = document.getElementById('hotspots-flame-page');
    const frame = document.getElementById('hotspots-flame-frame') as HTMLIFrameElement | null;
    if (!carrier?.textContent || !frame) return;
    const bytes = Uint8Array.from(atob(carrier.textContent.trim()), char => char.charCodeAt(0));
    const url = URL.createObjectURL(new Blob([bytes], { type: 'text/html;charset=utf-8' }));
    frame.src = url + SPEEDSCOPE_HASH;
    window.addEventListener('message', event => {
      if (event.source !== frame.contentWindow) return;
      const message = (event.data as { hotspots?: WebviewToHostMessage } | null)?.hotspots;
      if (message?.type === 'ready') frame.contentWindow?.postMessage(loadMessage(), '*');
      if (message?.type === 'openSource') revealSourceLine(message.location);
      if (message?.type === 'frameSelected') document.documentElement.dataset.selectedFrame = `${message.frame.file}:${message.frame.line}`;
    });
  });
}

/** The report's data, parsed once, as the `load` message the flame frame expects. */
let reportLoadMessage: HostToWebviewMessage | undefined;
function loadMessage(): HostToWebviewMessage {
  if (!reportLoadMessage) {
    const text = document.getElementById('hotspots-flame-data')?.textContent ?? '';
    reportLoadMessage = text ? { type: 'load', data: JSON.parse(text) as FlameViewData } : { type: 'empty', message: 'This report carries no profile.' };
  }
  return reportLoadMessage;
}

/** Scrolls the report to a line of the embedded sources and marks it; says so when it is not included. */
function revealSourceLine(location: SourceLocation): void {
  const status = document.getElementById('hotspots-reveal-status');
  const rows = Array.from(document.querySelectorAll<HTMLElement>('[data-source-file]'));
  const row = rows.find(candidate => candidate.dataset.sourceFile === location.file && Number(candidate.dataset.sourceLine) === location.line);
  for (const previous of Array.from(document.querySelectorAll('.revealed'))) previous.classList.remove('revealed');
  if (row) {
    row.classList.add('revealed');
    row.scrollIntoView({ block: 'center' });
    if (status) status.textContent = `Showing ${location.file}:${location.line}`;
  } else if (status) {
    status.textContent = `${location.file}:${location.line} is not among the source files included in this report.`;
  }
}

// Last, so every class and constant above exists when the page starts.
if (document.documentElement.dataset.hotspotsRole === 'report') startReportPage();
else startFlamePage();
