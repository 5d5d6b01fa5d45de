import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { escapeJsonForHtml, escapeScript, renderFlamePage } from '../../../src/core/flame/flamePage';
import { isWebviewToHostMessage } from '../../../src/shared/protocol';

describe('isWebviewToHostMessage', () => {
  test('accepts the protocol\'s messages', () => {
    for (const message of [
      { type: 'ready' },
      { type: 'loaded', runId: 'run-1', frameCount: 3 },
      { type: 'openSource', location: { file: '/a.ts', line: 4 } },
      { type: 'frameSelected', frame: { name: 'f', file: '/a.ts', line: 1 } },
      { type: 'error', message: 'boom' },
    ]) {
      assert.equal(isWebviewToHostMessage(message), true, JSON.stringify(message));
    }
  });
  test('rejects anything else, so the host never opens a bad location', () => {
    for (const message of [
      null,
      'ready',
      { type: 'openSource' },
      { type: 'openSource', location: { file: '', line: 1 } },
      { type: 'openSource', location: { file: '/a.ts', line: 0 } },
      { type: 'openSource', location: { file: '/a.ts', line: 1.5 } },
      { type: 'frameSelected', frame: { file: '/a.ts', line: 1 } },
      { type: 'loaded' },
      { type: 'somethingNew' },
    ]) {
      assert.equal(isWebviewToHostMessage(message), false, JSON.stringify(message));
    }
  });
});

describe('renderFlamePage', () => {
  const page = renderFlamePage({
    nonce: 'abc',
    csp: "default-src 'none'; script-src 'nonce-abc'",
    colorScheme: 'DARK',
    assets: { kind: 'linked', flameScriptUrl: 'https://x/flame.js', speedscopeScriptUrl: 'https://x/speedscope.js', speedscopeCssUrl: 'https://x/s.css' },
  });
  test('puts the CSP first and our script before speedscope\'s bundle', () => {
    assert.ok(page.indexOf('Content-Security-Policy') < page.indexOf('<link'), 'CSP before any resource');
    const flame = page.indexOf('src="https://x/flame.js"');
    const speedscope = page.indexOf('src="https://x/speedscope.js"');
    assert.ok(flame > 0 && speedscope > flame, 'flame.js prepares the page before speedscope runs');
    assert.equal((page.match(/<script nonce="abc"/g) ?? []).length, 2);
    assert.match(page, /<html lang="en" data-hotspots-role="flame" data-color-scheme="DARK">/);
  });
  test('inline content cannot end its element', () => {
    assert.equal(escapeScript('a = "</script><b>"'), 'a = "<\\/script><b>"');
    assert.equal(escapeJsonForHtml({ text: '</script>' }), '{"text":"\\u003c/script>"}');
    assert.deepEqual(JSON.parse(escapeJsonForHtml({ text: '</script>\u2028' })), { text: '</script>\u2028' });
  });
});
