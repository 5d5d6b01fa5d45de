// Editor adapter for the lint engine: diagnostics (source `hotspots`) for JS/TS/JSX/TSX documents on
// open and after edits (debounced, so linting never runs per keystroke), quick fixes, suggestions,
// "disable for this line" and "learn more". Linting reads no workspace code and runs nothing, so it
// is enabled in untrusted workspaces too. The engine loads on the first document that needs it.
// TypeScript and JSX documents are linted on a worker thread (core/lint/textWorker) as long as the host
// thread has not loaded the TypeScript parser: the compiler takes seconds to load on a busy host, and the
// worker, started as soon as the workspace shows TypeScript files, has it loaded before the first opens.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { TextLintWorker } from '../../core/lint/textWorker';
import type { Finding, Fix, RuleSetting } from '../../core/lint/types';
import { distFile } from '../../core/paths';
import type { GetLatestProfile, LatestProfile, LintStats } from '../api';

const LANGUAGES = ['javascript', 'javascriptreact', 'typescript', 'typescriptreact'];
const SELECTOR: vscode.DocumentSelector = LANGUAGES.flatMap(language => [{ language, scheme: 'file' }, { language, scheme: 'untitled' }]);
/** Wait this long after the last edit before re-linting: typing never waits for the linter. */
const EDIT_DEBOUNCE_MS = 300;
const SHOW_RULE_DOCS_COMMAND = 'hotspots.lint.showRuleDocs';
const EXTENSION_FOR_LANGUAGE: Record<string, string> = { javascript: '.js', javascriptreact: '.jsx', typescript: '.ts', typescriptreact: '.tsx' };
/** Files the engine parses with acorn; every other lintable file needs the TypeScript parser. */
const PLAIN_JS = /\.[cm]?js$/i;
const TYPESCRIPT_FILES = '**/*.{ts,tsx,mts,cts,jsx}';

interface LintSettings { enable: boolean; rules: Record<string, RuleSetting>; maxFileSizeKb: number }

/**
 * `hotspots.lint.rules` accepts full ids (`async/await-in-loop`) and bare rule names (`await-in-loop`);
 * `ruleIds` are the registered full ids.
 */
function readLintSettings(scope: vscode.Uri, ruleIds: readonly string[]): LintSettings {
  const config = vscode.workspace.getConfiguration('hotspots.lint', scope);
  const rules: Record<string, RuleSetting> = {};
  const configured = config.get<Record<string, unknown>>('rules') ?? {};
  for (const [key, level] of Object.entries(configured)) {
    const id = key.includes('/') ? key : ruleIds.find(candidate => candidate.endsWith(`/${key}`));
    if (id && (level === 'off' || level === 'hint' || level === 'info' || level === 'warning' || level === 'error')) rules[id] = level;
  }
  const size = config.get<number>('maxFileSizeKb');
  return { enable: config.get<boolean>('enable') !== false, rules, maxFileSizeKb: typeof size === 'number' && size > 0 ? size : 1024 };
}

type Engine = typeof import('../../core/lintEngine');

interface LintedDocument { version: number; findings: Finding[] }
type IncrementalLinter = import('../../core/lint/incremental').IncrementalLinter;

export function activateLint(context: vscode.ExtensionContext, getLatestProfile: GetLatestProfile = () => undefined): { onProfileUpdated(profile?: LatestProfile): void; stats(): LintStats } {
  const controller = new LintController(context, getLatestProfile);
  context.subscriptions.push(
    controller,
    vscode.workspace.onDidOpenTextDocument(document => controller.lintOnOpen(document)),
    vscode.workspace.onDidChangeTextDocument(event => {
      if (event.contentChanges.length > 0) controller.schedule(event.document, EDIT_DEBOUNCE_MS);
    }),
    vscode.workspace.onDidCloseTextDocument(document => controller.forget(document)),
    vscode.workspace.onDidChangeConfiguration(event => {
      if (event.affectsConfiguration('hotspots.lint')) controller.relintOpenDocuments();
    }),
    vscode.languages.registerCodeActionsProvider(SELECTOR, new LintCodeActions(controller), {
      providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
    }),
    vscode.commands.registerCommand(SHOW_RULE_DOCS_COMMAND, (ruleId: unknown) => controller.showRuleDocs(ruleId)),
  );
  // Right after activate() returns, not on a timer: when a document's opening activated the extension,
  // other extensions activating for the same event (the built-in TypeScript features) would otherwise
  // run first and hold the host thread for seconds (bench/first-diagnostics.bench.js).
  queueMicrotask(() => {
    controller.lintOpenDocumentsNow();
    void controller.startWorkerIfWorkspaceHasTypescript();
  });
  // A new (or cleared) profile changes which findings matter: re-rank the open documents' findings.
  return { onProfileUpdated: () => controller.relintOpenDocuments(), stats: () => controller.stats() };
}

const TYPESCRIPT_NAME = /^tsconfig(\..+)?\.json$|\.(?:ts|tsx|mts|cts|jsx)$/;

/** Whether a folder, or its src/, holds a tsconfig or a TypeScript/JSX file (two directory reads at most). */
async function topLevelShowsTypescript(folder: vscode.Uri): Promise<boolean> {
  for (const dir of [folder, vscode.Uri.joinPath(folder, 'src')]) {
    try {
      // Local folders directly: vscode.workspace.fs goes through the window, slow while it starts up.
      const names = dir.scheme === 'file'
        ? (await fs.promises.readdir(dir.fsPath, { withFileTypes: true })).filter(entry => entry.isFile()).map(entry => entry.name)
        : (await vscode.workspace.fs.readDirectory(dir)).filter(([, type]) => type === vscode.FileType.File).map(([name]) => name);
      if (names.some(name => TYPESCRIPT_NAME.test(name) && !/\.d\.[cm]?ts$/.test(name))) return true;
    } catch {
      // no such directory (or not readable): the search below decides
    }
  }
  return false;
}

class LintController implements vscode.Disposable {
  readonly diagnostics = vscode.languages.createDiagnosticCollection('hotspots');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly linted = new Map<string, LintedDocument>();
  /** Per open document: re-parses only the statements around each edit. */
  private readonly linters = new Map<string, IncrementalLinter>();
  private readonly skippedNoticeShown = new Set<string>();
  private engine: Engine | undefined;
  private readonly ruleDocsUris = new Map<string, vscode.Uri>();
  private textWorker: TextLintWorker | undefined;
  /** Per document: the last off-thread lint asked for; an older answer arriving later is dropped. */
  private readonly offThreadRequests = new Map<string, number>();
  private nextOffThreadRequest = 1;
  private published = 0;
  private publishedFromWorker = 0;
  /** First lints of TypeScript documents with their types blanked out, shown until the worker answered. */
  private publishedWithoutTypes = 0;
  private droppedFromWorker = 0;
  private pendingOnWorker = 0;
  private firstPublishedAt: number | undefined;
  private workerState: LintStats['worker'] = 'not started';

  constructor(private readonly context: vscode.ExtensionContext, private readonly getLatestProfile: GetLatestProfile) {}

  private loadEngine(): Engine {
    if (!this.engine) {
      // Loaded on first use so activation stays cheap. dist/lintEngine.js is a bundle of its own (a
      // computed path keeps esbuild from inlining it into dist/extension.js); it lints plain JavaScript
      // with acorn and loads the TypeScript parser (dist/tsParser.js, ~10 MB) only for a file that needs it.
      this.engine = require(distFile('lintEngine.js')) as Engine;
    }
    return this.engine;
  }

  /**
   * Starts the off-thread linter when the workspace has TypeScript (or JSX) files, so its parser is
   * loaded by the time the first one opens. Not when lint is off, nor when no such file exists.
   */
  async startWorkerIfWorkspaceHasTypescript(): Promise<void> {
    if (vscode.workspace.getConfiguration('hotspots.lint').get<boolean>('enable') === false) return;
    const openTypescript = vscode.workspace.textDocuments.some(document => this.isLintable(document) && !document.languageId.startsWith('javascript'));
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (!openTypescript && folders.length === 0) return;
    // The folders' top level first: in a fresh window the search service behind findFiles takes seconds
    // to answer, and the parser should be loading by then.
    const found = openTypescript || (await Promise.all(folders.map(folder => topLevelShowsTypescript(folder.uri)))).includes(true)
      || (await vscode.workspace.findFiles(TYPESCRIPT_FILES, '**/node_modules/**', 1)).length > 0;
    if (found) this.worker();
  }

  private worker(): TextLintWorker {
    if (!this.textWorker) {
      const worker = this.textWorker = new TextLintWorker(distFile('lintEngine.js'));
      this.workerState = 'loading';
      worker.ready.then(() => { this.workerState = 'ready'; }, error => {
        this.workerState = 'failed';
        console.error('Hotspots: the lint worker failed to start; linting TypeScript on the extension host', error);
      });
    }
    return this.textWorker;
  }

  isLintable(document: vscode.TextDocument): boolean {
    return LANGUAGES.includes(document.languageId) && (document.uri.scheme === 'file' || document.uri.scheme === 'untitled');
  }

  schedule(document: vscode.TextDocument, delayMs: number): void {
    if (!this.isLintable(document)) return;
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      this.lintNow(document);
    }, delayMs));
  }

  /**
   * Lints a document as it opens, in the open event itself: a timer would let the other extensions the
   * opening activates (seconds on a fresh window) run before it, and the findings would wait for them.
   */
  lintOnOpen(document: vscode.TextDocument): void {
    if (!this.isLintable(document)) return;
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    try {
      this.lintNow(document);
    } catch (error) {
      console.error(`Hotspots: lint of ${document.fileName} failed`, error);
    }
  }

  lintOpenDocumentsNow(): void {
    for (const document of vscode.workspace.textDocuments) this.lintOnOpen(document);
  }

  relintOpenDocuments(): void {
    for (const document of vscode.workspace.textDocuments) this.schedule(document, 0);
  }

  forget(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.linted.delete(key);
    this.linters.delete(key);
    this.offThreadRequests.delete(key);
    this.diagnostics.delete(document.uri);
  }

  /** Findings of the current version of a document, or undefined when it changed since it was linted. */
  findingsFor(document: vscode.TextDocument): Finding[] | undefined {
    const linted = this.linted.get(document.uri.toString());
    return linted && linted.version === document.version ? linted.findings : undefined;
  }

  private lintNow(document: vscode.TextDocument, onHostThread = false): void {
    if (document.isClosed) return;
    const engine = this.loadEngine();
    const settings = readLintSettings(document.uri, engine.RULES.map(rule => rule.meta.id));
    const key = document.uri.toString();
    if (!settings.enable) {
      this.offThreadRequests.delete(key); // an answer still on its way must not bring findings back
      this.linted.delete(key);
      this.diagnostics.delete(document.uri);
      return;
    }
    const fileName = engine.isLintableFile(document.fileName) ? document.fileName : `${document.fileName}${EXTENSION_FOR_LANGUAGE[document.languageId] ?? '.js'}`;
    const version = document.version;
    const report = this.getLatestProfile()?.report;
    // Off the host thread while it has no TypeScript parser. With a profile shown, measuring findings
    // needs the parsed tree on this thread, so the host lints (and loads the parser) itself.
    if (!onHostThread && !PLAIN_JS.test(fileName) && !report && !engine.isTypescriptParserLoaded() && this.worker().usable) {
      this.lintOffThread(document, key, fileName, settings);
      return;
    }
    this.offThreadRequests.delete(key);
    let linter = this.linters.get(key);
    if (!linter) this.linters.set(key, linter = new engine.IncrementalLinter());
    const text = document.getText();
    const linted = linter.lint(text, {
      fileName,
      rules: settings.rules,
      maxFileSizeKb: settings.maxFileSizeKb,
      onNotice: notice => this.showSkipped(key, notice),
    });
    if (document.version !== version || document.isClosed) return;
    // With a profile shown, each finding says how much time its loop took; code that never ran drops a severity.
    const findings = report ? engine.measureFindings(linted, report, {
      readSource: file => (file === fileName ? text : undefined),
      cwd: vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath,
      // The linter just parsed this text: measuring reuses its tree instead of parsing it again per edit.
      parsedTree: (file, source) => linter.treeOf(source, file),
    }) : linted;
    this.publish(document, key, version, findings);
  }

  stats(): LintStats {
    return { published: this.published, publishedFromWorker: this.publishedFromWorker, publishedWithoutTypes: this.publishedWithoutTypes, droppedFromWorker: this.droppedFromWorker,
      pendingOnWorker: this.pendingOnWorker,
      firstPublishedAt: this.firstPublishedAt, worker: this.workerState };
  }

  private publish(document: vscode.TextDocument, key: string, version: number, findings: Finding[]): void {
    this.published++;
    this.firstPublishedAt ??= performance.now();
    this.linted.set(key, { version, findings });
    this.diagnostics.set(document.uri, findings.map(finding => this.toDiagnostic(finding)));
  }

  /**
   * The worker lints this version; its findings are shown only if the document is still open, at that
   * version, and no later lint of it was asked for meanwhile (never stale findings, never a closed file's).
   */
  private lintOffThread(document: vscode.TextDocument, key: string, fileName: string, settings: LintSettings): void {
    const version = document.version;
    const request = this.nextOffThreadRequest++;
    this.offThreadRequests.set(key, request);
    const current = () => !document.isClosed && document.version === version && this.offThreadRequests.get(key) === request;
    this.pendingOnWorker++;
    const text = document.getText();
    const options = { fileName, rules: settings.rules, maxFileSizeKb: settings.maxFileSizeKb };
    this.worker().lint(text, options).then(result => {
      this.pendingOnWorker--;
      for (const notice of result.notices) this.showSkipped(key, notice);
      if (!current()) {
        this.droppedFromWorker++;
        return;
      }
      this.offThreadRequests.delete(key);
      this.publishedFromWorker++;
      this.publish(document, key, version, result.findings);
    }, error => {
      this.pendingOnWorker--;
      console.error('Hotspots: off-thread lint failed; linting on the extension host', error);
      if (current()) {
        this.offThreadRequests.delete(key);
        this.lintNow(document, true);
      }
    });
    // While the worker still loads its parser, a document shown for the first time gets the findings
    // the rules see with its types blanked out (milliseconds, on this thread); the worker's answer replaces them.
    if (this.workerState !== 'ready' && !this.linted.has(key)) {
      const withoutTypes = this.loadEngine().lintWithoutTypes(text, options);
      if (withoutTypes) {
        this.publishedWithoutTypes++;
        this.publish(document, key, version, withoutTypes);
      }
    }
  }

  private showSkipped(key: string, notice: string): void {
    if (this.skippedNoticeShown.has(key) || !notice.includes('skipped')) return;
    this.skippedNoticeShown.add(key);
    vscode.window.setStatusBarMessage(`Hotspots lint: ${notice.replace(/^.*[\\/]/, '')} (setting hotspots.lint.maxFileSizeKb)`, 10_000);
  }

  private toDiagnostic(finding: Finding): vscode.Diagnostic {
    const diagnostic = new vscode.Diagnostic(rangeOf(finding), finding.message, SEVERITY[finding.severity]);
    diagnostic.source = 'hotspots';
    diagnostic.code = finding.ruleId === 'parse-error'
      ? finding.ruleId
      : { value: finding.ruleId, target: this.ruleDocsUri(finding.ruleId) };
    return diagnostic;
  }

  /** One Uri per rule: every re-lint converts all of a document's findings (thousands in a big file). */
  private ruleDocsUri(ruleId: string): vscode.Uri {
    let uri = this.ruleDocsUris.get(ruleId);
    if (!uri) this.ruleDocsUris.set(ruleId, uri = vscode.Uri.parse(this.loadEngine().ruleDocsUrl(ruleId)));
    return uri;
  }

  /** Opens the rule's docs page: the bundled markdown in a preview when packaged, else the web page. */
  async showRuleDocs(ruleId: unknown): Promise<void> {
    if (typeof ruleId !== 'string' || !/^[a-z]+\/[a-z-]+$/.test(ruleId)) return;
    const bundled = vscode.Uri.joinPath(this.context.extensionUri, 'docs', 'rules', `${ruleId}.md`);
    try {
      await vscode.workspace.fs.stat(bundled);
      await vscode.commands.executeCommand('markdown.showPreview', bundled);
    } catch {
      await vscode.env.openExternal(vscode.Uri.parse(this.loadEngine().ruleDocsUrl(ruleId)));
    }
  }

  suppressionEdit(document: vscode.TextDocument, finding: Finding) {
    return this.loadEngine().suppressionEdit(document.getText(), finding);
  }

  dispose(): void {
    this.textWorker?.dispose();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.diagnostics.dispose();
  }
}

const SEVERITY: Record<Finding['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

function rangeOf(span: { line: number; column: number; endLine: number; endColumn: number }): vscode.Range {
  return new vscode.Range(span.line - 1, span.column - 1, span.endLine - 1, span.endColumn - 1);
}

function ruleIdOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (typeof code === 'string') return code;
  if (code && typeof code === 'object') return String(code.value);
  return undefined;
}

class LintCodeActions implements vscode.CodeActionProvider {
  constructor(private readonly controller: LintController) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const findings = this.controller.findingsFor(document);
    if (!findings) return [];
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== 'hotspots') continue;
      const ruleId = ruleIdOf(diagnostic);
      const finding = findings.find(candidate => candidate.ruleId === ruleId && rangeOf(candidate).isEqual(diagnostic.range));
      if (!finding || !finding.ruleId.includes('/')) continue;
      if (finding.fix) actions.push(this.editAction(`Fix: ${finding.fix.description}`, document, finding.fix, diagnostic, true));
      for (const suggestion of finding.suggestions) {
        if (suggestion.edits.length > 0) actions.push(this.editAction(`Suggestion: ${suggestion.description}`, document, suggestion, diagnostic, false));
      }
      const disable = new vscode.CodeAction(`Disable ${finding.ruleId} for this line`, vscode.CodeActionKind.QuickFix);
      disable.edit = toWorkspaceEdit(document.uri, [this.controller.suppressionEdit(document, finding)]);
      disable.diagnostics = [diagnostic];
      actions.push(disable);
      const learnMore = new vscode.CodeAction(`Learn more about ${finding.ruleId}`, vscode.CodeActionKind.QuickFix);
      learnMore.command = { title: 'Learn more', command: SHOW_RULE_DOCS_COMMAND, arguments: [finding.ruleId] };
      learnMore.diagnostics = [diagnostic];
      actions.push(learnMore);
    }
    return actions;
  }

  private editAction(title: string, document: vscode.TextDocument, fix: Fix, diagnostic: vscode.Diagnostic, preferred: boolean): vscode.CodeAction {
    const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
    action.edit = toWorkspaceEdit(document.uri, fix.edits);
    action.diagnostics = [diagnostic];
    action.isPreferred = preferred;
    return action;
  }
}

function toWorkspaceEdit(uri: vscode.Uri, edits: Fix['edits']): vscode.WorkspaceEdit {
  const workspaceEdit = new vscode.WorkspaceEdit();
  // Identical edits (two findings hoisting the same Set) must be applied once.
  const unique = edits.filter((edit, index) => edits.findIndex(other => JSON.stringify(other) === JSON.stringify(edit)) === index);
  for (const edit of unique) workspaceEdit.replace(uri, rangeOf(edit), edit.text);
  return workspaceEdit;
}
