import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { compareReports } from '../../../src/core/compare/compare';
import { formatComparisonText } from '../../../src/core/compare/format';
import {
  attachSourceContext, decodeFingerprint, describeWorkload, isDistinctiveHash, lineHash, ReportWithContext,
} from '../../../src/core/compare/sourceContext';
import type { Report, ReportFunction, ReportLine } from '../../../src/core/profile/types';

const FILE = '/project/src/dedupe.js';

const BEFORE_SOURCE = [
  'function dedupe(items) {',                 // 1
  '  const out = [];',                        // 2
  '  for (const x of items) {',               // 3
  '    if (out.indexOf(x) < 0) out.push(x);', // 4
  '  }',                                      // 5
  '  return out.sort();',                     // 6
  '}',                                        // 7
  'console.log(dedupe(input).length);',       // 8
].join('\n');

const AFTER_SOURCE = [
  '// dedupe with a Set: O(n)',               // 1 (inserted)
  'function dedupe(items) {',                 // 2
  '  const seen = new Set(items);',           // 3 (rewritten from 2 and 4)
  '  const out = [...seen];',                 // 4
  '  return out.sort();',                     // 5 (was 6)
  '}',                                        // 6
  'console.log(dedupe(input).length);',       // 7 (was 8)
].join('\n');

function report(totalMs: number, lines: Array<[file: string, line: number, selfMs: number, fn: string]>, functions: Array<[name: string, file: string, selfMs: number]>): Report {
  return {
    version: 1,
    command: ['node', 'src/dedupe.js'],
    exitCode: 0,
    signal: null,
    wallMs: totalMs + 50,
    sampleIntervalUs: 1000,
    totalSampledMs: totalMs + 20,
    categories: { userMs: totalMs, nodeInternalsMs: 0, gcMs: 0, idleMs: 20, programMs: 0 },
    processes: [],
    lines: lines.map(([file, line, selfMs, fn]): ReportLine => ({
      file, line, selfMs, selfPercent: (selfMs / totalMs) * 100, hits: Math.round(selfMs), function: fn,
    })),
    functions: functions.map(([name, file, selfMs]): ReportFunction => ({
      name, file, line: 1, selfMs, totalMs: selfMs, selfPercent: (selfMs / totalMs) * 100, totalPercent: (selfMs / totalMs) * 100,
    })),
    warnings: [],
  };
}

const readerOf = (files: Record<string, string>) => (file: string) => files[file];

/** The before run, with line texts recorded from the source as it was then. */
const beforeReport = () => attachSourceContext(
  report(1000, [[FILE, 4, 900, 'dedupe'], [FILE, 6, 60, 'dedupe'], [FILE, 8, 40, '(top)']], [['dedupe', FILE, 960], ['(top)', FILE, 40]]),
  readerOf({ [FILE]: BEFORE_SOURCE }),
);
const afterReport = () => attachSourceContext(
  report(100, [[FILE, 3, 30, 'dedupe'], [FILE, 5, 62, 'dedupe'], [FILE, 7, 8, '(top)']], [['dedupe', FILE, 92], ['(top)', FILE, 8]]),
  readerOf({ [FILE]: AFTER_SOURCE }),
);

describe('attachSourceContext', () => {
  it('records the trimmed text of every listed line and leaves the input untouched', () => {
    const plain = report(10, [[FILE, 4, 5, 'dedupe'], ['/missing.js', 1, 5, 'x']], []);
    const withText = attachSourceContext(plain, readerOf({ [FILE]: BEFORE_SOURCE }));
    assert.equal(withText.lines[0].text, 'if (out.indexOf(x) < 0) out.push(x);');
    assert.equal(withText.lines[1].text, undefined, 'unreadable files get no text');
    assert.equal((plain.lines[0] as { text?: string }).text, undefined);
    assert.deepEqual(Object.keys(withText.sourceFingerprints ?? {}), [FILE], 'a fingerprint for each readable file');
    assert.equal(decodeFingerprint(withText.sourceFingerprints![FILE])!.length, BEFORE_SOURCE.split('\n').length);
  });

  it('hashes lines ignoring whitespace and flags short lines as not distinctive', () => {
    assert.equal(lineHash('  if (a<b) x();'), lineHash('if (a < b) x();\t'));
    assert.notEqual(lineHash('if (a < b) x();'), lineHash('if (a > b) x();'));
    assert.equal(isDistinctiveHash(lineHash('  }')), false);
    assert.equal(isDistinctiveHash(lineHash('return out;')), true);
  });

  it('records no fingerprint for dependencies, only their line texts', () => {
    const dependency = '/project/node_modules/lib/index.js';
    const withText = attachSourceContext(report(10, [[dependency, 2, 5, 'x']], []), readerOf({ [dependency]: 'a();\nb();' }));
    assert.equal(withText.lines[0].text, 'b();');
    assert.equal(withText.sourceFingerprints, undefined);
  });

  it('caps long lines and records the workload with hashed arguments', () => {
    const long = `const x = ${'1 + '.repeat(200)}1;`;
    const withText = attachSourceContext(report(10, [['/m.js', 1, 5, 'x']], []), readerOf({ '/m.js': long }),
      { command: ['node', 'm.js', '--size', '3'], cwd: '/project', script: 'm.js', args: ['--size', '3'] });
    assert.equal(withText.lines[0].text!.length, 200);
    assert.equal(withText.workload!.script, '/project/m.js');
    assert.match(withText.workload!.argsHash, /^[0-9a-f]{16}$/);
    assert.notEqual(withText.workload!.argsHash, describeWorkload({ command: [], cwd: '/project', args: ['--size', '4'] }).argsHash);
  });
});

describe('compareReports', () => {
  it('reports the overall change as non-idle sampled time and speedup', () => {
    const comparison = compareReports(beforeReport(), afterReport(), { readSource: readerOf({ [FILE]: AFTER_SOURCE }) });
    assert.equal(comparison.version, 1);
    assert.equal(comparison.before.totalMs, 1000);
    assert.equal(comparison.after.totalMs, 100);
    assert.equal(comparison.speedup, 10);
  });

  it('aligns lines across the edit: rewritten lines are gone or new, moved lines keep their identity', () => {
    const comparison = compareReports(beforeReport(), afterReport(), { readSource: readerOf({ [FILE]: AFTER_SOURCE }) });
    const byPlace = new Map(comparison.lines.map(l => [`${l.beforeLine}->${l.afterLine}`, l]));
    const gone = byPlace.get('4->null');
    assert.ok(gone, `the indexOf line is gone: ${[...byPlace.keys()]}`);
    assert.equal(gone.beforeMs, 900);
    assert.equal(gone.afterMs, 0);
    assert.equal(gone.deltaMs, -900);
    assert.equal(gone.text, 'if (out.indexOf(x) < 0) out.push(x);');
    assert.equal(gone.beforePercent, 90);

    const moved = byPlace.get('6->5');
    assert.ok(moved, 'the return line moved up by one');
    assert.equal(moved.deltaMs, 2);
    assert.equal(moved.afterPercent, 62);
    assert.ok(byPlace.get('8->7'));

    const added = byPlace.get('null->3');
    assert.ok(added, 'the Set line is new');
    assert.equal(added.text, 'const seen = new Set(items);');
    assert.equal(comparison.lines.length, 4);
  });

  it('sorts lines by the size of the change and lists new hotspots', () => {
    const comparison = compareReports(beforeReport(), afterReport(), { readSource: readerOf({ [FILE]: AFTER_SOURCE }) });
    const deltas = comparison.lines.map(l => Math.abs(l.deltaMs));
    assert.deepEqual(deltas, [...deltas].sort((a, b) => b - a));
    assert.deepEqual(comparison.newHotspots.map(l => l.afterLine), [3]);
  });

  it('compares functions by name and file even when they moved', () => {
    const comparison = compareReports(beforeReport(), afterReport());
    assert.deepEqual(comparison.functions.map(f => [f.name, f.beforeMs, f.afterMs, f.deltaMs]), [
      ['dedupe', 960, 92, -868],
      ['(top)', 40, 8, -32],
    ]);
  });

  it('aligns from the recorded fingerprints alone when the sources are not on disk', () => {
    // The after run has time on `function dedupe(items) {` (line 2), which had none before: the
    // fingerprint of the whole before file still places it at before-line 1.
    const after = afterReport();
    after.lines.push({ ...after.lines[0], line: 2, selfMs: 5, text: 'function dedupe(items) {' });
    const comparison = compareReports(beforeReport(), after);
    const places = comparison.lines.map(l => `${l.beforeLine}->${l.afterLine}`).sort();
    assert.deepEqual(places, ['1->2', '4->null', '6->5', '8->7', 'null->3']);
    assert.deepEqual(comparison.warnings, []);
  });

  it('aligns from the recorded line texts when a report has no fingerprint', () => {
    const withoutFingerprint = (r: ReportWithContext): ReportWithContext => ({ ...r, sourceFingerprints: undefined });
    const after = withoutFingerprint(afterReport());
    after.lines.push({ ...after.lines[0], line: 2, selfMs: 5, text: 'function dedupe(items) {' });
    const comparison = compareReports(withoutFingerprint(beforeReport()), after);
    const places = comparison.lines.map(l => `${l.beforeLine}->${l.afterLine}`).sort();
    // Without the before file's full text, a line that had no samples before cannot be placed.
    assert.deepEqual(places, ['4->null', '6->5', '8->7', 'null->2', 'null->3']);
  });

  it('reads an old report without text from disk, else aligns by line number with a warning', () => {
    const oldBefore = report(1000, [[FILE, 6, 60, 'dedupe']], []);
    const oldAfter = report(100, [[FILE, 6, 62, 'dedupe']], []);
    const byNumber = compareReports(oldBefore, oldAfter);
    assert.deepEqual(byNumber.lines.map(l => [l.beforeLine, l.afterLine, l.deltaMs]), [[6, 6, 2]]);
    assert.match(byNumber.warnings.join('\n'), /no source text .*aligned by line number: dedupe\.js$/);

    // The before report has no text, the after one does and matches the disk: the before run is
    // assumed to have run the same file.
    const fromDisk = compareReports(oldBefore, afterReport(), { readSource: readerOf({ [FILE]: AFTER_SOURCE }) });
    assert.match(fromDisk.warnings.join('\n'), /a report has no line text .*assumed the file on disk is the version it ran: dedupe\.js$/);
    assert.ok(fromDisk.lines.some(l => l.beforeLine === 6 && l.afterLine === 6));
  });

  it('matches files by their path under each run\'s working directory', () => {
    const run = (cwd: string) => ({ command: ['node', 'src/dedupe.js'], cwd, script: 'src/dedupe.js', args: [] });
    const before = attachSourceContext(report(1000, [['/home/dev/project/src/dedupe.js', 4, 900, 'dedupe']], []),
      readerOf({ '/home/dev/project/src/dedupe.js': BEFORE_SOURCE }), run('/home/dev/project'));
    const after = attachSourceContext(report(100, [['/ci/work/project/src/dedupe.js', 5, 62, 'dedupe']], []),
      readerOf({ '/ci/work/project/src/dedupe.js': AFTER_SOURCE }), run('/ci/work/project'));
    const comparison = compareReports(before, after);
    assert.deepEqual(new Set(comparison.lines.map(l => l.file)), new Set(['/ci/work/project/src/dedupe.js']));
    assert.deepEqual(comparison.warnings, []);
  });

  it('matches the files of a report without workload with those of a run that has one', () => {
    const before = attachSourceContext(report(1000, [[FILE, 6, 60, 'dedupe']], []), readerOf({ [FILE]: BEFORE_SOURCE }));
    const after = attachSourceContext(report(100, [[FILE, 5, 62, 'dedupe']], []), readerOf({ [FILE]: AFTER_SOURCE }),
      { command: ['node', 'src/dedupe.js'], cwd: '/project', script: 'src/dedupe.js', args: [] });
    assert.deepEqual(compareReports(before, after).lines.map(l => [l.beforeLine, l.afterLine]), [[6, 5]]);
  });

  it('warns when the runs profiled different workloads', () => {
    const withArgs = (args: string[]): ReportWithContext => attachSourceContext(report(10, [], []), () => undefined,
      { command: ['node', 'a.js', ...args], cwd: '/p', script: 'a.js', args });
    const comparison = compareReports(withArgs(['1']), withArgs(['3']));
    assert.match(comparison.warnings.join('\n'), /different workloads \(different arguments\)/);
  });

  it('says another script was profiled right under the verdict, not only among the warnings at the end', () => {
    const of = (script: string): ReportWithContext => attachSourceContext(report(10, [], []), () => undefined,
      { command: ['node', script], cwd: '/p', script, args: [] });
    const text = formatComparisonText(compareReports(of('before.mts'), of('other/after.ts')), { top: 5, cwd: '/p' });
    const [verdict, note] = text.split('\n');
    assert.match(verdict, /^Before: /);
    assert.equal(note, 'Note: the runs profiled different workloads (script before.mts vs other/after.ts); times may not be comparable');
    assert.doesNotMatch(text, /Warnings/, 'said once');
  });

  it('gives a null speedup when the after run sampled nothing', () => {
    const empty = report(0, [], []);
    empty.totalSampledMs = 0;
    empty.categories.idleMs = 0;
    assert.equal(compareReports(beforeReport(), empty).speedup, null);
  });
});
