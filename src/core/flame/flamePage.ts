// The HTML of the page that embeds speedscope: the VS Code webview panel (assets linked through
// webview URIs) and the frame inside the HTML report (assets inlined). Either way the profile arrives
// as a `load` message from the parent (the extension host, or the report page). One template for both, so the
// start-up order speedscope needs is written down once:
//   CSP meta → speedscope CSS → our CSS → our script (prepares the page) → speedscope's bundle.
import type { ColorScheme } from './viewTypes';

export type FlamePageAssets =
  | { kind: 'linked'; flameScriptUrl: string; speedscopeScriptUrl: string; speedscopeCssUrl: string }
  | { kind: 'inline'; flameScript: string; speedscopeScript: string; speedscopeCss: string };

export interface FlamePageOptions {
  nonce: string;
  /** The whole Content-Security-Policy value. */
  csp: string;
  assets: FlamePageAssets;
  colorScheme?: ColorScheme;
  title?: string;
}

export function renderFlamePage(options: FlamePageOptions): string {
  const { nonce, assets } = options;
  const attributes = `data-hotspots-role="flame"${options.colorScheme ? ` data-color-scheme="${options.colorScheme}"` : ''}`;
  const speedscopeCss =
    assets.kind === 'linked'
      ? `<link rel="stylesheet" href="${escapeHtml(assets.speedscopeCssUrl)}">`
      : `<style nonce="${nonce}">${escapeStyle(assets.speedscopeCss)}</style>`;
  const scripts =
    assets.kind === 'linked'
      ? `<script nonce="${nonce}" src="${escapeHtml(assets.flameScriptUrl)}"></script>\n<script nonce="${nonce}" src="${escapeHtml(assets.speedscopeScriptUrl)}"></script>`
      : `<script nonce="${nonce}">${escapeScript(assets.flameScript)}</script>\n<script nonce="${nonce}">${escapeScript(assets.speedscopeScript)}</script>`;
  return `<!DOCTYPE html>
<html lang="en" ${attributes}>
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(options.csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(options.title ?? 'Flame graph')}</title>
${speedscopeCss}
<style nonce="${nonce}">${COMPANION_CSS}</style>
</head>
<body id="hotspots-flame-body">
${scripts}
</body>
</html>
`;
}

/**
 * The companion panel is a fixed column right of speedscope. speedscope's root (the only <div> child of
 * <body>; our panel is an <aside>) is sized 100vw with !important by its CSS-in-JS (one class), so a more
 * specific !important rule (an id) narrows it. Only the width changes: speedscope draws through one
 * WebGL canvas laid over the window and places each view by its client rect; a shorter root shifts the
 * drawing vertically (WebGL's y axis starts at the bottom), a narrower one does not.
 * Colours come from VS Code's theme variables, with light/dark fallbacks for the HTML report.
 */
const COMPANION_CSS = `
:root { --hotspots-companion-width: 300px; color-scheme: light dark; }
body#hotspots-flame-body > div { width: calc(100vw - var(--hotspots-companion-width)) !important; }
#hotspots-companion {
  position: fixed; top: 0; right: 0; bottom: 0; width: var(--hotspots-companion-width); box-sizing: border-box;
  overflow: auto; padding: 8px 10px; font: 12px/1.5 var(--vscode-font-family, system-ui, sans-serif);
  background: var(--vscode-sideBar-background, Canvas); color: var(--vscode-sideBar-foreground, var(--vscode-editor-foreground, CanvasText));
  border-left: 1px solid var(--vscode-panel-border, #8884);
}
#hotspots-companion .heading { font-size: 13px; margin-bottom: 4px; overflow-wrap: anywhere; }
#hotspots-companion .hint { opacity: 0.8; margin: 0 0 6px; }
#hotspots-companion ul { margin: 0; padding: 0; list-style: none; }
#hotspots-companion li { padding: 1px 0; overflow-wrap: anywhere; }
#hotspots-companion a { color: var(--vscode-textLink-foreground, LinkText); text-decoration: none; }
#hotspots-companion a:hover, #hotspots-companion a:focus { text-decoration: underline; }
#hotspots-companion span { opacity: 0.8; }
#hotspots-companion .weight-switch { display: flex; gap: 4px; margin-bottom: 8px; }
#hotspots-companion .weight-switch button {
  flex: 1; font: inherit; padding: 2px 6px; cursor: pointer; border-radius: 2px;
  color: var(--vscode-button-secondaryForeground, ButtonText); background: var(--vscode-button-secondaryBackground, ButtonFace);
  border: 1px solid var(--vscode-button-border, #8886);
}
#hotspots-companion .weight-switch button[aria-pressed="true"] { color: var(--vscode-button-foreground, HighlightText); background: var(--vscode-button-background, Highlight); }
`;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, char => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] as string);
}

/** Inline script text must not contain `</script` (it would end the element); `<\/` means the same in JS. */
export function escapeScript(code: string): string {
  return code.replace(/<\/(script)/gi, '<\\/$1');
}

function escapeStyle(css: string): string {
  return css.replace(/<\/(style)/gi, '<\\/$1');
}

/** JSON inside <script type="application/json">: `<` is escaped so no `</script>` can appear. */
export function escapeJsonForHtml(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
