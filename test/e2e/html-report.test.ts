// The self-contained HTML report in a real browser (headless Chromium): it renders, logs no console
// errors, makes no network requests, and a click on a flame graph frame leads to its source line.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Frame, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { writeHtmlReport } from '../../src/core/flame/htmlReport';
import { createSampleRun, type SampleRun } from '../unit/flame/sampleRun';

const CHROMIUM = process.env.HOTSPOTS_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const SHOT_DIR = process.env.HOTSPOTS_SCREENSHOTS;

interface PageRecord {
  page: Page;
  requests: string[];
  consoleErrors: string[];
  cspViolations: string[];
}

describe('HTML report in headless Chromium', { skip: fs.existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}` }, () => {
  let browser: Browser;
  let run: SampleRun;
  let reportPath: string;

  before(async () => {
    run = createSampleRun();
    reportPath = path.join(run.dir, 'report.html');
    await writeHtmlReport(run.report, [run.profilePath], reportPath);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  });
  after(async () => {
    await browser?.close();
    if (run) fs.rmSync(run.dir, { recursive: true, force: true });
  });

  async function openReport(colorScheme: 'light' | 'dark' = 'light'): Promise<PageRecord> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, colorScheme });
    const record: PageRecord = { page, requests: [], consoleErrors: [], cspViolations: [] };
    page.on('request', request => record.requests.push(request.url()));
    page.on('console', message => {
      if (message.type() === 'error') record.consoleErrors.push(message.text());
    });
    page.on('pageerror', error => record.consoleErrors.push(error.message));
    // Runs in every frame before its own scripts, so violations in the flame frame are seen too.
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', event => console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`));
    });
    await page.goto(`file://${reportPath}`);
    return record;
  }

  async function flameFrame(page: Page): Promise<Frame> {
    const handle = await page.waitForSelector('#hotspots-flame-frame');
    const frame = await handle.contentFrame();
    assert.ok(frame, 'the flame graph frame exists');
    // speedscope has loaded our profile once its canvas is drawn and our panel lists functions.
    await frame.waitForSelector('#hotspots-companion a[data-file]');
    await frame.waitForSelector('canvas');
    return frame;
  }

  /**
   * Hovers down a column of the flame graph (at `xFraction` of speedscope's width) until speedscope's tooltip names the wanted frame. The
   * graph is a canvas, so this finds the frame by what speedscope says, not by guessing its layout.
   */
  async function frameBox(page: Page, frame: Frame, name: string, xFraction: number): Promise<{ x: number; y: number }> {
    const iframe = (await page.$('#hotspots-flame-frame'))!;
    await iframe.scrollIntoViewIfNeeded();
    const box = (await iframe.boundingBox())!;
    const panelWidth = await frame.$eval('#hotspots-companion', panel => panel.getBoundingClientRect().width);
    const x = box.x + (box.width - panelWidth) * xFraction;
    for (let y = box.y + 30; y < box.y + box.height - 140; y += 6) {
      await page.mouse.move(x, y);
      // speedscope's tooltip reads "70.00ms (71%) hotLoop" followed by the frame's file:line.
      const hovered = await frame.evaluate(
        wanted => Array.from(document.querySelectorAll('div')).some(div => new RegExp(`^[\\d.]+m?s( \\(\\d+%\\))? ${wanted}\\b`).test(div.textContent ?? '')),
        name,
      );
      if (hovered) return { x, y };
    }
    throw new Error(`no frame named ${name} found in the flame graph`);
  }

  test('renders the hotspots table, heat-marked sources and the flame graph, offline and without errors', async () => {
    const { page, requests, consoleErrors } = await openReport();
    const frame = await flameFrame(page);

    const rows = await page.$$eval('table.hotspots tbody tr', trs => trs.map(tr => Array.from((tr as HTMLTableRowElement).cells).map(cell => cell.textContent?.trim())));
    assert.deepEqual(rows.map(row => [row[1], row[3], row[4]]), [
      ['61.2%', 'hotLoop', `${run.sourceFile}:7`],
      ['20.4%', 'coldPath', `${run.sourceFile}:13`],
      ['10.2%', 'hotLoop', `${run.sourceFile}:8`],
    ]);
    const heat = await page.$$eval('tr[data-source-line]', trs => trs.filter(tr => !tr.classList.contains('heat-0')).map(tr => Number((tr as HTMLElement).dataset.sourceLine)));
    assert.deepEqual(heat.sort((a, b) => a - b), [7, 8, 13]);
    const hottestRow = await page.$eval('tr[data-source-line="7"]', tr => tr.className);
    assert.equal(hottestRow, 'heat-8', 'the hottest line gets the strongest heat');

    // speedscope drew a flame graph (not its landing page) with our profile's name in its toolbar.
    assert.ok(await frame.evaluate(() => document.body.innerText.includes('main.cpuprofile')));
    assert.equal(await frame.evaluate(() => document.body.innerText.includes('Drag and drop a profile')), false);
    await page.waitForTimeout(300); // let late console output (CSP reports are async) arrive

    assert.deepEqual(consoleErrors, []);
    const network = requests.filter(url => !url.startsWith('data:') && !url.startsWith('blob:') && url !== `file://${reportPath}`);
    assert.deepEqual(network, [], 'the report requests nothing but itself, data: and blob: URLs');
    if (SHOT_DIR) await page.screenshot({ path: path.join(SHOT_DIR, 'flame-report.png'), fullPage: true });
    await page.close();
  });

  test('a frame clicked in the flame graph links to its hot lines, and a link reveals the source line', async () => {
    const { page, consoleErrors, requests } = await openReport('dark');
    const frame = await flameFrame(page);
    // Left-heavy view: hotLoop (70 ms) fills the left of main's row, coldPath (20 ms) follows it.
    const { x, y } = await frameBox(page, frame, 'hotLoop', 0.1);
    await page.mouse.click(x, y);

    const heading = await frame.waitForSelector('#hotspots-companion .heading');
    assert.match((await heading.textContent()) ?? '', /^hotLoop …\/hotspots-flame-[^/]+\/app\.js:5$/);
    const links = await frame.$$eval('#hotspots-companion a.line-link', anchors => anchors.map(a => [a.textContent, (a as HTMLElement).dataset.file, (a as HTMLElement).dataset.line]));
    assert.deepEqual(links, [
      ['line 7', run.sourceFile, '7'],
      ['line 8', run.sourceFile, '8'],
    ]);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.selectedFrame), `${run.sourceFile}:5`);
    if (SHOT_DIR) await page.locator('#hotspots-flame-frame').screenshot({ path: path.join(SHOT_DIR, 'flame-report-selected.png') });

    // Second click: the line itself.
    await frame.click('#hotspots-companion a.line-link >> nth=0');
    await page.waitForSelector('tr.revealed');
    assert.deepEqual(await page.$eval('tr.revealed', tr => [(tr as HTMLElement).dataset.sourceFile, (tr as HTMLElement).dataset.sourceLine]), [run.sourceFile, '7']);
    assert.equal(await page.$eval('#hotspots-reveal-status', p => p.textContent), `Showing ${run.sourceFile}:7`);

    // Another frame replaces the selection.
    const cold = await frameBox(page, frame, 'coldPath', 0.8);
    await page.mouse.click(cold.x, cold.y);
    await frame.waitForFunction(() => document.querySelector('#hotspots-companion .heading')?.textContent?.startsWith('coldPath '));
    assert.deepEqual(await frame.$$eval('#hotspots-companion a.line-link', anchors => anchors.map(a => a.textContent)), ['line 13']);
    assert.deepEqual(consoleErrors, []);
    assert.deepEqual(requests.filter(url => !url.startsWith('data:') && !url.startsWith('blob:') && !url.startsWith('file://')), []);
    await page.close();
  });
});
