import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatReportText, reportJsonChunks } from '../../../src/core/profile/format';
import type { Report, ReportLine } from '../../../src/core/profile/types';

function lineEntry(file: string, line: number, selfMs: number, fn: string): ReportLine {
  return { file, line, selfMs, selfPercent: selfMs, hits: 1, function: fn };
}

const report: Report = {
  version: 1,
  command: ['node', 'app.js'],
  exitCode: 0,
  signal: null,
  wallMs: 120,
  sampleIntervalUs: 1000,
  totalSampledMs: 110,
  categories: { userMs: 80, nodeInternalsMs: 10, gcMs: 5, idleMs: 10, programMs: 5 },
  processes: [{ pid: 1, kind: 'main', argv: ['node', 'app.js'], profile: '/w/a.cpuprofile', sampledMs: 110 }],
  lines: [
    lineEntry('/work/project/src/hot.ts', 42, 60, 'renderEverythingWithAVeryLongFunctionNameIndeed'),
    lineEntry('/work/project/src/deeply/nested/directory/structure/of/modules/warm.ts', 7, 15, 'warm'),
    lineEntry('/elsewhere/lib.js', 3, 5, 'lib'),
  ],
  functions: [{ name: 'render', file: '/work/project/src/hot.ts', line: 40, selfMs: 60, totalMs: 75, selfPercent: 60, totalPercent: 75 }],
  warnings: ['source map for /work/project/dist/x.js could not be read (ENOENT: /work/project/dist/x.js.map); showing generated lines'],
};

test('the text report lists top lines relative to cwd with ms, share and function, in 80 columns', () => {
  const text = formatReportText(report, { top: 2, cwd: '/work/project' });
  const lines = text.split('\n');
  assert.ok(lines.every(line => line.length <= 80), text);
  assert.match(text, /^ {2}src\/hot\.ts:42 +60\.0 ms +60\.0% +1 +renderEverything.*…$/m);
  assert.match(text, /^ {2}….*modules\/warm\.ts:7 +15\.0 ms +15\.0% +1 +warm$/m, 'long paths keep their end');
  assert.doesNotMatch(text, /lib\.js/, 'only the top 2 lines');
  assert.match(text, /^ {2}render +src\/hot\.ts:40 +60\.0 ms +75\.0 ms +75\.0%$/m);
  assert.match(text, /your code and dependencies +80\.0 ms +80\.0%/);
  assert.match(text, /idle \(not in shares\) +10\.0 ms/);
  assert.match(text, /Warnings\n {2}- source map for/);
  assert.doesNotMatch(text, /Processes/, 'a single process is not listed');
  // columns line up: every row of the line table has its ms column ending at the same offset
  const rows = lines.filter(line => /^ {2}\S*:\d+ +\d/.test(line));
  assert.equal(rows.length, 2);
  assert.equal(new Set(rows.map(row => row.indexOf(' ms '))).size, 1, rows.join('\n'));
});

test('several processes are listed', () => {
  const text = formatReportText(
    { ...report, processes: [...report.processes, { pid: 2, kind: 'worker', argv: [], profile: '/w/worker.cpuprofile', sampledMs: 3 }] },
    { top: 5, cwd: '/' },
  );
  assert.match(text, /Processes \(2\)\n +1 +main +110\.0 ms +node app\.js\n +2 +worker +3\.0 ms +worker\.cpuprofile/);
});

test('the JSON pieces join into the report, one array element per line', () => {
  const text = [...reportJsonChunks(report)].join('');
  assert.deepEqual(JSON.parse(text), report);
  const callers = [{ name: 'main', file: '/w/a.ts', line: 1, ms: 3 }];
  const withCallers: Report = { ...report, lines: report.lines.map(line => ({ ...line, callers })), functions: [{ ...report.functions[0], callers: [] }] };
  assert.deepEqual(JSON.parse([...reportJsonChunks(withCallers)].join('')), withCallers, 'shared callers arrays');
  assert.equal(text.split('\n').filter(line => line.startsWith('    {"file":')).length, report.lines.length);
  assert.deepEqual(JSON.parse([...reportJsonChunks({ ...report, lines: [], warnings: [] })].join('')).lines, []);
});

test('hits stand beside the milliseconds, and unsampled time is shown apart from the shares', () => {
  const text = formatReportText(
    { ...report, lines: [{ ...report.lines[0], hits: 1, selfMs: 135 }], categories: { ...report.categories, unsampledMs: 489 } },
    { top: 5, cwd: '/work/project' },
  );
  assert.match(text, /share +hits +function/);
  assert.match(text, /src\/hot\.ts:42 +135\.0 ms +135\.0% +1 +render/);
  assert.match(text, /unsampled \(descheduled\) +489\.0 ms +not in shares/);
  assert.doesNotMatch(formatReportText(report, { top: 5, cwd: '/' }), /unsampled/, 'no row without gaps');
});

test('a long command line keeps its exit code; a dependency location keeps its package name', () => {
  const longCommand = ['node', ...Array.from({ length: 30 }, (_, i) => `--argument-${i}`)];
  const deep = '/work/project/node_modules/@scope/package/dist/very/deeply/nested/folder/lodash.js';
  const text = formatReportText(
    { ...report, command: longCommand, exitCode: 3, lines: [{ ...report.lines[0], file: deep, line: 895 }] },
    { top: 5, cwd: '/work/project' },
  );
  const lines = text.split('\n');
  assert.ok(lines.every(line => line.length <= 80), text);
  assert.match(text, /^command: node --argument-0 .*… \(exit 3\)$/m);
  assert.match(text, /^ {2}@scope\/package\/…\/lodash\.js:895 /m);
  const short = formatReportText({ ...report, lines: [{ ...report.lines[0], file: '/work/project/node_modules/lodash/lodash.js', line: 895 }] }, { top: 5, cwd: '/work/project' });
  assert.match(short, /^ {2}lodash\/lodash\.js:895 /m);
});

test('a dependency file whose name nearly fills the column keeps the whole name (not just its line number)', () => {
  const file = '/work/project/node_modules/@nestjs/common/services/utils/format-log-timestamp.util.js';
  const text = formatReportText({ ...report, lines: [{ ...report.lines[0], file, line: 1 }], functions: [] }, { top: 5, cwd: '/work/project' });
  assert.match(text, /^ {2}…format-log-timestamp\.util\.js:1 /m, text);
  const longer = formatReportText({ ...report, lines: [{ ...report.lines[0], file: file.replace('format-', 'format-the-very-'), line: 1 }] }, { top: 5, cwd: '/work/project' });
  assert.match(longer, /^ {2}…he-very-log-timestamp\.util\.js:1 /m, longer);
});
