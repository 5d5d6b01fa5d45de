// Real programs (issue 15): dependency time charged to the user's call, inlined ticks, generated code,
// minified dependencies. Each test profiles a fixture of its own with the built CLI.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import type { Report } from '../../src/core/profile/types';
import { fixture, makeTempDir, markedLines, runProfileCli } from './profileHelpers';

describe('hotspots profile: your code first', () => {
  test('time inside a dependency is charged to the line of the user\'s code that called it', async () => {
    const app = fixture('your-code', 'app.js');
    const [callLine] = markedLines(app, '// CALL');
    const run = await runProfileCli([app]);
    assert.equal(run.code, 0, run.stderr);
    const report = run.report!;
    const [first] = report.userLines ?? [];
    assert.ok(first, 'userLines are in the JSON');
    assert.deepEqual([first.file, first.line, first.function], [app, callLine, 'main'], JSON.stringify(report.userLines?.slice(0, 3)));
    assert.equal(first.via[0].name, 'slowlib');
    assert.ok(first.totalPercent > 50, `the call carries the dependency's time (${first.totalPercent}%)`);
    assert.ok(first.selfMs < first.totalMs / 10, 'the call line itself is cheap');
    assert.ok(!report.userLines!.some(line => line.file.includes('node_modules')), 'only the user\'s own files');
    // The dependency's own lines stay available, as before.
    assert.match(report.lines[0].file, /node_modules[\\/]slowlib[\\/]index\.js$/);
    assert.match(run.stdout, new RegExp(`^Your code .*\\n.*\\n {2}your-code/app\\.js:${callLine} +\\d+\\.\\d ms +\\d+\\.\\d% +\\d+ +→ slowlib \\d+%$`, 'm'));
  });
});

describe('hotspots profile --keep-inlining: ticks of inlined callees', () => {
  const hotShare = (report: Report, file: string): number =>
    report.lines.filter(line => line.file === file && markedLines(file).includes(line.line)).reduce((sum, line) => sum + line.selfPercent, 0);

  test('a same-file helper declared above its caller keeps its lines (they were dropped before)', async () => {
    const script = fixture('inlined-ticks', 'same-file.js');
    const run = await runProfileCli(['--keep-inlining', script]);
    assert.equal(run.code, 0, run.stderr);
    const report = run.report!;
    assert.ok(hotShare(report, script) > 15, `helper lines: ${JSON.stringify(report.lines.slice(0, 5))}`);
    assert.ok(report.lines.filter(line => markedLines(script).includes(line.line)).every(line => line.function === 'mixSame'), 'named after the inlined helper');
    assert.ok(report.warnings.some(text => /% of the time on lines .* came from inlined code outside its caller's lines: [\d.]+% put back/.test(text)), JSON.stringify(report.warnings));
  });

  test('a helper of another file is put back on its own file\'s lines, not on the caller\'s file', async () => {
    const script = fixture('inlined-ticks', 'cross-file.js');
    const helper = fixture('inlined-ticks', 'far-helper.js');
    const run = await runProfileCli(['--keep-inlining', script]);
    assert.equal(run.code, 0, run.stderr);
    const report = run.report!;
    assert.ok(hotShare(report, helper) > 5, `helper lines: ${JSON.stringify(report.lines.slice(0, 5))}`);
    assert.ok(report.lines.filter(line => line.file === helper && line.selfMs > 0).every(line => line.function === 'mixFar'));
    assert.deepEqual(report.lines.filter(line => line.file === script && (line as { inlinedMs?: number }).inlinedMs), [], 'every inlined tick found its file');
    const callerLines = fs.readFileSync(script, 'utf8').split('\n').length;
    assert.deepEqual(report.lines.filter(line => line.file === script && line.line > callerLines), [], 'no line past the caller file\'s end');
  });
});

describe('hotspots profile: dependencies as they ship', () => {
  test('a minified dependency whose map carries sourcesContent is shown on its original lines, with their text', async () => {
    const run = await runProfileCli([fixture('minified', 'app.js')]);
    assert.equal(run.code, 0, run.stderr);
    const report = run.report!;
    const original = fixture('minified', 'node_modules', 'minilib', 'src', 'mini.js');
    assert.ok(!fs.existsSync(original), 'the original source is not on disk');
    const top = report.lines[0];
    assert.equal(top.file, original, JSON.stringify(report.lines.slice(0, 3)));
    assert.equal((top as { text?: string }).text, 'function scramble(values) {');
    assert.ok(!report.warnings.some(text => /does not exist/.test(text)), JSON.stringify(report.warnings));
    assert.equal(report.userLines?.[0].line, markedLines(fixture('minified', 'app.js'), '// CALL')[0]);
  });
});

describe('hotspots profile: the user\'s own minified bundle', () => {
  // Measuring waits adds text to every await of the bundle's one line; the map describes the file on disk.
  for (const bundle of ['app.min.mjs', 'app.min.cjs']) {
    test(`${bundle}: functions and awaits are on their source lines, as without the wait instrumentation`, async () => {
      const source = fixture('minified-own', 'src', 'app.ts');
      const [slowLine, otherLine, waitLine] = ['FN-SLOW', 'FN-OTHER', 'WAIT-SLEEP'].map(marker => markedLines(source, marker)[0]);
      const run = await runProfileCli([fixture('minified-own', 'bundle', bundle)]);
      assert.equal(run.code, 0, run.stderr);
      const report = run.report!;
      // esbuild renames slowSum to r and other to u (names from the bundle, lines from the map).
      const slow = report.functions.reduce((best, fn) => (fn.selfMs > best.selfMs ? fn : best));
      assert.equal(`${path.relative(path.dirname(source), slow.file)}:${slow.line}`, `app.ts:${slowLine}`, JSON.stringify(report.functions.slice(0, 4)));
      assert.ok(report.functions.some(fn => fn.file === source && fn.line === otherLine), `other() at ${otherLine}: ${JSON.stringify(report.functions.slice(0, 4))}`);
      const wait = report.waits?.[0];
      assert.deepEqual([wait?.file, wait?.line, wait?.count], [source, waitLine, 20], JSON.stringify(report.waits?.slice(0, 3)));
    });
  }
});

describe('hotspots profile: generated code', () => {
  test('code made with new Function is listed as generated code and charged to the line that ran it', async () => {
    const app = fixture('generated', 'app.js');
    const run = await runProfileCli([app]);
    assert.equal(run.code, 0, run.stderr);
    const report = run.report!;
    const generated = report.lines.filter(line => line.file.startsWith('(generated code #'));
    assert.ok(generated.length > 0, `listed: ${JSON.stringify(report.lines.slice(0, 4))}`);
    assert.equal(generated[0].line, 5, 'the line of the generated function body (its line 5: the loop)');
    assert.ok(report.categories.userMs > report.categories.nodeInternalsMs, JSON.stringify(report.categories));
    const call = report.userLines![0];
    assert.deepEqual([call.file, call.line, call.via[0].name], [app, markedLines(app, '// CALL')[0], 'generated code']);
    assert.match(run.stdout, /\(generated code #\d+\):5 /);
  });
});

describe('hotspots profile: the user\'s NODE_OPTIONS', () => {
  test('a --require of the user runs in the program, not in the profiler\'s helper thread', async () => {
    const log = path.join(makeTempDir(), 'required.log');
    const run = await runProfileCli([fixture('cjs-hot.js')], {
      env: { ...process.env, NODE_OPTIONS: `--require ${fixture('user-require.js')}`, USER_REQUIRE_LOG: log },
    });
    assert.equal(run.code, 0, run.stderr);
    const entries = fs.readFileSync(log, 'utf8').trim().split('\n');
    assert.deepEqual(entries.filter(entry => entry.startsWith('worker')), [], entries.join('\n'));
    assert.ok(entries.some(entry => entry.startsWith('main') && entry.includes('cjs-hot.js')), 'it still runs in the program');
  });
});
