import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, describe, test } from 'node:test';
import { renderHtmlReport, visibleLineNumbers, writeHtmlReport } from '../../../src/core/flame/htmlReport';
import type { SpeedscopeFile } from '../../../src/core/flame/speedscope';
import type { FlameViewData } from '../../../src/shared/protocol';
import { createSampleRun } from './sampleRun';

const run = createSampleRun();
after(() => fs.rmSync(run.dir, { recursive: true, force: true }));

function decodeAttributes(text: string): string {
  return text.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The flame page the report carries, and the data the report sends it. */
function flamePageOf(html: string): { page: string; data: FlameViewData; speedscope: SpeedscopeFile } {
  const carried = /<script type="application\/octet-stream" id="hotspots-flame-page">([A-Za-z0-9+/=]+)<\/script>/.exec(html);
  assert.ok(carried, 'the report carries the flame page');
  const page = Buffer.from(carried[1], 'base64').toString('utf8');
  const json = /<script type="application\/json" id="hotspots-flame-data">(.*?)<\/script>/s.exec(html);
  assert.ok(json, 'the report embeds the flame data');
  const data = JSON.parse(json[1]) as FlameViewData;
  return { page, data, speedscope: JSON.parse(Buffer.from(data.speedscopeBase64, 'base64').toString('utf8')) as SpeedscopeFile };
}

describe('renderHtmlReport', () => {
  const html = renderHtmlReport(run.report, [{ name: 'main', profile: run.profile }]);

  test('has a strict CSP: no network source, no eval, no inline script without the nonce', () => {
    const csp = decodeAttributes(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]);
    assert.match(csp, /^default-src 'none'; script-src 'nonce-[A-Za-z0-9+/=]{24}' 'wasm-unsafe-eval'; style-src 'nonce-/);
    assert.doesNotMatch(csp, /'unsafe-eval'|'unsafe-inline'|https?:|\*/);
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    for (const script of html.match(/<script[^>]*>/g) ?? []) {
      assert.ok(script.includes(`nonce="${nonce}"`) || /type="application\/(octet-stream|json)"/.test(script), script);
    }
  });

  test('references nothing outside itself', () => {
    const { page } = flamePageOf(html);
    for (const document of [html, page]) {
      const references = [...document.matchAll(/\s(?:src|href)="([^"]*)"/g)].map(match => match[1]);
      assert.deepEqual(references.filter(url => !url.startsWith('#')), []);
      assert.doesNotMatch(document, /url\((?!"?data:)/, 'fonts and images are inlined');
    }
  });

  test('lists the top lines with shares and marks the source lines with heat', () => {
    const rows = [...html.matchAll(/<tr><td class="num">(\d+)<\/td><td class="share"><span class="bar b(\d+)"><\/span>([\d.]+)%<\/td><td class="num">[^<]+<\/td><td>(\w+)<\/td><td class="loc"><a href="#(src-\d+-L\d+)"/g)];
    assert.deepEqual(rows.map(row => [row[3], row[4], row[5]]), [
      ['61.2', 'hotLoop', 'src-0-L7'],
      ['20.4', 'coldPath', 'src-0-L13'],
      ['10.2', 'hotLoop', 'src-0-L8'],
    ]);
    assert.equal(rows[0][2], '20', 'the hottest line has the full bar');
    for (const anchor of rows.map(row => row[5])) assert.ok(html.includes(`<tr id="${anchor}" class="heat-`), `${anchor} exists`);
    assert.match(html, /<tr id="src-0-L7" class="heat-8"/);
    assert.match(html, /<tr id="src-0-L13" class="heat-3"/);
    assert.match(html, /<tr id="src-0-L6" class="heat-0"/);
  });

  test('embeds the merged speedscope profile and the lines the companion panel lists', () => {
    const { data, speedscope } = flamePageOf(html);
    assert.deepEqual(speedscope.profiles.map(profile => profile.events.length), [10]);
    assert.ok(speedscope.shared.frames.some(frame => frame.name === 'hotLoop' && frame.file === run.sourceFile && frame.line === 5));
    assert.deepEqual(data.lines.map(line => line.line), [7, 13, 8]);
    assert.deepEqual(data.frames, speedscope.shared.frames, 'the webview gets the frames without parsing the file');
  });

  test('escapes source text, so a file cannot inject markup or end a script', () => {
    const hostile = renderHtmlReport(run.report, [{ name: 'main', profile: run.profile }], {
      readSource: () => 'line 1\n</script><script>alert(1)</script>\n<img src=x onerror=alert(1)>\n',
    });
    assert.equal((hostile.match(/<script/g) ?? []).length, 3, 'only the data, the carrier and our script');
    assert.ok(hostile.includes('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(!hostile.includes('<img'));
  });

  test('leaves out sources it cannot read, keeping the table', () => {
    const withoutSources = renderHtmlReport(run.report, [{ name: 'main', profile: run.profile }], { readSource: () => undefined });
    assert.ok(!withoutSources.includes('data-source-line'));
    assert.match(withoutSources, /<td class="loc"><span title="[^"]+app\.js:7">/);
  });
});

describe('writeHtmlReport', () => {
  test('reads the profiles from disk and writes one file', async () => {
    const target = `${run.dir}/nested/report.html`;
    await writeHtmlReport(run.report, [run.profilePath], target);
    const html = fs.readFileSync(target, 'utf8');
    assert.ok(html.startsWith('<!DOCTYPE html>'));
    assert.equal(flamePageOf(html).speedscope.profiles[0].name, 'main.cpuprofile');
  });
});

describe('visibleLineNumbers', () => {
  test('whole short files, excerpts around hot lines of long ones', () => {
    assert.equal(visibleLineNumbers(10, [3]).length, 10);
    assert.deepEqual(visibleLineNumbers(1000, [3, 500]), [1, 2, 3, 4, 5, 6, 7, 8, 495, 496, 497, 498, 499, 500, 501, 502, 503, 504, 505]);
  });
});
