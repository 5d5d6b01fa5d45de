// A page profiled in Chrome DevTools' Performance panel (test/fixtures/profiles/devtools-trace: the
// trace Chromium recorded, a bundle with its source map, the TypeScript it was built from): `hotspots
// report` of the saved trace puts the time on the TypeScript line, the page's URLs found in the workspace.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { lintCommand } from '../../src/cli/lintCommand';
import { reportCommand } from '../../src/cli/reportCommand';
import { packageRoot } from '../../src/core/paths';
import type { Report } from '../../src/core/profile/types';
import { CLI, makeTempDir, markedLines } from './profileHelpers';
import { runSubcommand } from './runSubcommand';

const PAGE = path.join(packageRoot(), 'test', 'fixtures', 'profiles', 'devtools-trace');
const TRACE = path.join(PAGE, 'Trace-page.json');
const SOURCE = path.join(PAGE, 'src', 'app.ts');
/** The address the page was served from when it was recorded (a port of that day). */
const ORIGIN = /"url":"(https?:\/\/[^/"]+)\//.exec(fs.readFileSync(TRACE, 'utf8'))![1];

async function report(args: string[], cwd: string): Promise<{ report: Report; stdout: string }> {
  const json = path.join(makeTempDir(), 'report.json');
  const run = await runSubcommand(reportCommand, [TRACE, '--json', json, ...args], cwd);
  assert.equal(run.code, 0, run.stderr);
  return { report: JSON.parse(fs.readFileSync(json, 'utf8')) as Report, stdout: run.stdout };
}

describe('hotspots report: a DevTools Performance trace of a page', () => {
  test('the hot line is the TypeScript line of the page\'s script, its URL mapped into the workspace (said in the warnings)', async () => {
    const { report: read, stdout } = await report([], PAGE);
    assert.deepEqual([read.lines[0].file, read.lines[0].line], [SOURCE, markedLines(SOURCE)[0]], stdout);
    assert.ok(read.lines[0].selfPercent > 50, stdout);
    assert.ok(read.warnings.some(warning => warning.includes(`${ORIGIN} → ${path.join(PAGE, 'public')}`)), JSON.stringify(read.warnings));
  });

  test('from a folder above the project too (the workspace of a monorepo), and with a relative --path-map', async () => {
    const above = await report([], path.dirname(PAGE));
    assert.deepEqual([above.report.lines[0].file, above.report.lines[0].line], [SOURCE, markedLines(SOURCE)[0]]);
    const mapped = await report(['--path-map', `${ORIGIN}=public`], PAGE);
    assert.deepEqual([mapped.report.lines[0].file, mapped.report.lines[0].line], [SOURCE, markedLines(SOURCE)[0]]);
  });

  test('the HTML report\'s flame graph names the same TypeScript source (its frames mapped as the report\'s lines)', async () => {
    const html = path.join(makeTempDir(), 'report.html');
    // The built CLI (it loads the HTML writer with a dynamic import, as users run it).
    execFileSync(process.execPath, [CLI, 'report', TRACE, '--html', html], { cwd: PAGE, stdio: 'pipe' });
    const data = /<script type="application\/json" id="hotspots-flame-data">(.*?)<\/script>/s.exec(fs.readFileSync(html, 'utf8'));
    assert.ok(data, 'the flame graph data is embedded');
    const speedscope = JSON.parse(Buffer.from((JSON.parse(data[1]) as { speedscopeBase64: string }).speedscopeBase64, 'base64').toString('utf8')) as { shared: { frames: { file?: string }[] } };
    const files = new Set(speedscope.shared.frames.map(frame => frame.file));
    assert.ok(files.has(SOURCE), [...files].join(', '));
    assert.ok(![...files].some(file => file?.startsWith(ORIGIN)), [...files].join(', '));
  });

  test('`lint --profile` with the trace: the finding on the hot line is a warning that says what it cost', async () => {
    const run = await runSubcommand(lintCommand, ['--profile', TRACE, '--format', 'json', SOURCE], PAGE);
    const findings = JSON.parse(run.stdout) as { line: number; severity: string; message: string; ruleId: string }[];
    const hot = findings.find(finding => finding.line === markedLines(SOURCE)[0]);
    assert.ok(hot, run.stdout + run.stderr);
    assert.equal(hot.severity, 'warning');
    assert.match(hot.message, /This loop took \d+% of the run \(\d+ ms\)/);
  });
});
