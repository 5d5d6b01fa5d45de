import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { attachSourceContext } from '../../../src/core/compare/sourceContext';
import { describeMeasurement, type MeasuredFinding, measureFindings } from '../../../src/core/insight/measureFindings';
import { lintText } from '../../../src/core/lint/engine';
import { IncrementalLinter } from '../../../src/core/lint/incremental';
import type { Finding } from '../../../src/core/lint/types';
import { distFile, packageRoot } from '../../../src/core/paths';
import type { Report, ReportLine } from '../../../src/core/profile/types';

const FIXTURES = path.join(packageRoot(), 'test', 'fixtures', 'insight');
const PROGRAM_SOURCE = fs.readFileSync(path.join(FIXTURES, 'program.js'), 'utf8');
const CHECKOUT = '/project';
const PROGRAM = `${CHECKOUT}/src/program.js`;
const OTHER = `${CHECKOUT}/src/other.js`;
const OTHER_SOURCE = 'const known = [1, 2, 3].map(String);\nfor (const k of keys) if (known.includes(k)) hits++;\n';

/** Self ms per line of program.js (see the fixture's line numbers in the comments). */
const PROGRAM_TIMES: Array<[line: number, ms: number, fn: string]> = [
  [3, 5, '(top)'],      // const ids = ... (outside every finding's region)
  [6, 5, 'scan'],       // let n = 0; (just above the loop: not counted)
  [7, 50, 'scan'],      // for (const x of xs) {
  [8, 600, 'scan'],     //   if (ids.includes(x)) n++;
  [15, 200, 'drain'],   // while (queue.length > 0) total += queue.shift();
  [26, 30, 'fetchAll'], //   pages.push(await fetch(url));
  [28, 4, 'fetchAll'],  // const a = await loadA();
  [29, 6, 'fetchAll'],  // const b = await loadB();
  [35, 7, 'nested'],    // rows.forEach(row => { (outside the inner for loop)
  [37, 40, 'nested'],   //     if (ids.includes(cell)) count++;
  [45, 3, 'notify'],    //   await send(user);  (inside the forEach callback)
];

function reportFor(file: string, times: typeof PROGRAM_TIMES, options: { idleMs?: number; cwd?: string } = {}): Report {
  const busyMs = times.reduce((sum, [, ms]) => sum + ms, 0) + 50; // 50 ms in node internals
  const lines = times.map(([line, selfMs, fn]): ReportLine => ({
    file, line, selfMs, selfPercent: (selfMs / busyMs) * 100, hits: selfMs, function: fn,
  }));
  return {
    version: 1,
    command: ['node', file],
    exitCode: 0,
    signal: null,
    wallMs: busyMs + 100,
    sampleIntervalUs: 1000,
    totalSampledMs: busyMs + (options.idleMs ?? 0),
    categories: { userMs: busyMs - 50, nodeInternalsMs: 50, gcMs: 0, idleMs: options.idleMs ?? 0, programMs: 0 },
    processes: [],
    lines: lines.sort((a, b) => b.selfMs - a.selfMs),
    functions: [],
    warnings: [],
    ...(options.cwd ? { workload: { command: ['node', file], cwd: options.cwd, script: file, argsHash: '0' } } : {}),
  };
}

const readerOf = (files: Record<string, string>) => (file: string) => files[file];
const lintProgram = (file = PROGRAM, source = PROGRAM_SOURCE): Finding[] => lintText(source, { fileName: file });
const byRule = (findings: MeasuredFinding[], ruleId: string, line?: number) =>
  findings.find(finding => finding.ruleId === ruleId && (line === undefined || finding.line === line))!;

describe('measureFindings on a file that only waited', () => {
  // An I/O-bound file can run without one CPU sample landing in it; its measured awaits show that it ran.
  const FILE = `${CHECKOUT}/src/io.js`;
  const SOURCE = [
    'const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));',
    'async function loadOrder(id) {',
    '  await sleep(20);',
    '  return { id };',
    '}',
    'async function main(count) {',
    '  const orders = [];',
    '  for (let id = 0; id < count; id++) orders.push(await loadOrder(id));',
    '  const seen = [];',
    '  for (const order of orders) if (!seen.includes(order.id)) seen.push(order.id);',
    '  return seen;',
    '}',
    'main(Number(process.argv[2]) || 8);',
    '',
  ].join('\n');
  const withWaits = (count: number): Report => ({
    ...reportFor(FILE, []),
    wallMs: 200,
    waits: count === 0 ? [] : [{ file: FILE, line: 8, function: 'main', count, waitMs: 160, blockedMs: 160, blockedPercent: 80 }],
  });

  it('an await loop that waited is measured by its waiting, a loop beside it that recorded nothing did not run', () => {
    const findings = measureFindings(lintProgram(FILE, SOURCE), withWaits(8), { readSource: readerOf({ [FILE]: SOURCE }) });
    const awaited = byRule(findings, 'async/await-in-loop', 8) as MeasuredFinding & { waitingMs?: number };
    assert.equal(awaited.measured, 'sampled', JSON.stringify(awaited));
    assert.equal(awaited.waitingMs, 160);
    assert.equal(byRule(findings, 'quadratic/includes-in-loop', 10).measured, 'not-run');
  });

  it('without completed awaits of the file, the report still has no data on it', () => {
    const findings = measureFindings(lintProgram(FILE, SOURCE), withWaits(0), { readSource: readerOf({ [FILE]: SOURCE }) });
    assert.ok(findings.length >= 2 && findings.every(finding => finding.measured === 'no-profile-data'), JSON.stringify(findings));
  });
});

describe('measureFindings', () => {
  const total = PROGRAM_TIMES.reduce((sum, [, ms]) => sum + ms, 0) + 50;
  const measured = () => measureFindings(lintProgram(), reportFor(PROGRAM, PROGRAM_TIMES, { idleMs: 300 }), { readSource: readerOf({ [PROGRAM]: PROGRAM_SOURCE }) });

  it('sums the self time of the loop around a quadratic lookup, not the lines around it', () => {
    const lookup = byRule(measured(), 'quadratic/includes-in-loop', 8);
    assert.equal(lookup.measured, 'sampled');
    assert.deepEqual(lookup.region, { kind: 'loop', line: 7, endLine: 9 });
    assert.equal(lookup.measuredMs, 650);
    // Shares are of the non-idle time, like a line's selfPercent: the 300 ms idle do not dilute them.
    assert.equal(lookup.measuredPercent, Math.round((650 / total) * 10000) / 100);
    assert.match(lookup.message, /scans the whole array on every iteration; build a Set once before the loop\. This loop took 65% of the run \(650 ms\)\.$/);
  });

  it("measures on the editor linter's own tree when it has one for the text, with the same result", () => {
    const linter = new IncrementalLinter();
    const findings = linter.lint(PROGRAM_SOURCE, { fileName: PROGRAM });
    const asked: string[] = [];
    const reused = measureFindings(findings, reportFor(PROGRAM, PROGRAM_TIMES, { idleMs: 300 }), {
      readSource: readerOf({ [PROGRAM]: PROGRAM_SOURCE }),
      parsedTree: (file, text) => { asked.push(file); return linter.treeOf(text, file); },
    });
    assert.deepEqual(asked, [PROGRAM], 'asked once per file');
    assert.ok(linter.treeOf(PROGRAM_SOURCE, PROGRAM), 'the linter keeps the tree of the text it linted');
    assert.equal(linter.treeOf(`${PROGRAM_SOURCE}\n`, PROGRAM), undefined, 'no tree for other text');
    assert.deepEqual(reused, measured());
  });

  it('takes the innermost loop, through iteration callbacks', () => {
    const inner = byRule(measured(), 'quadratic/includes-in-loop', 37);
    assert.deepEqual(inner.region, { kind: 'loop', line: 36, endLine: 38 });
    assert.equal(inner.measuredMs, 40);
  });

  it('measures the loop of an await-in-loop, the statements of sequential awaits and the call of an async forEach', () => {
    const findings = measured();
    const awaitInLoop = byRule(findings, 'async/await-in-loop');
    assert.deepEqual([awaitInLoop.region, awaitInLoop.measuredMs], [{ kind: 'loop', line: 25, endLine: 27 }, 30]);
    const sequential = byRule(findings, 'async/sequential-awaits');
    assert.deepEqual([sequential.region, sequential.measuredMs], [{ kind: 'statements', line: 28, endLine: 29 }, 10]);
    assert.match(sequential.message, /These statements took 1% of the run \(10 ms\)\.$/);
    const forEachAsync = byRule(findings, 'async/foreach-async');
    assert.deepEqual([forEachAsync.region, forEachAsync.measuredMs], [{ kind: 'loop', line: 44, endLine: 46 }, 3]);
  });

  it('promotes a hint on a hot line to a warning, and leaves hints on cold or unrun lines hints', () => {
    const statically = byRule(lintProgram() as MeasuredFinding[], 'quadratic/includes-in-loop', 8);
    assert.deepEqual([statically.severity, statically.evidence], ['hint', 'the size of `ids` is unknown']);
    assert.equal(byRule(measured(), 'quadratic/includes-in-loop', 8).severity, 'warning');
    const coldTimes = PROGRAM_TIMES.map(([line, ms, fn]): [number, number, string] => [line, line === 7 || line === 8 ? 0.5 : ms, fn]);
    const cold = byRule(measureFindings(lintProgram(), reportFor(PROGRAM, coldTimes), { readSource: readerOf({ [PROGRAM]: PROGRAM_SOURCE }) }), 'quadratic/includes-in-loop', 8);
    assert.deepEqual([cold.measured, cold.severity], ['sampled', 'hint'], 'under 1% of the run: measured, still a hint');
  });

  it('lowers the severity of findings on lines of a profiled file that have no samples', () => {
    const unused = byRule(measured(), 'quadratic/includes-in-loop', 20);
    assert.equal(unused.measured, 'not-run');
    assert.equal(unused.severity, 'hint');
    assert.deepEqual([unused.measuredMs, unused.measuredPercent], [0, 0]);
    assert.match(unused.message, /no time here/);
    const info = { ...lintProgram().find(finding => finding.ruleId === 'async/sequential-awaits')!, severity: 'info' as const };
    const report = reportFor(PROGRAM, [[3, 5, '(top)']]);
    const lowered = measureFindings([info], report, { readSource: readerOf({ [PROGRAM]: PROGRAM_SOURCE }) })[0];
    assert.deepEqual([lowered.measured, lowered.severity], ['not-run', 'hint']);
  });

  it('orders findings by measured time, then as given', () => {
    const order = measured().map(finding => `${finding.line}:${finding.measuredMs}`);
    assert.deepEqual(order, ['8:650', '15:200', '37:40', '26:30', '28:10', '44:3', '20:0']);
  });

  it('leaves findings in files the profile did not cover as they are', () => {
    const [other] = lintText(OTHER_SOURCE, { fileName: OTHER });
    const findings = measureFindings([other, ...lintProgram()], reportFor(PROGRAM, PROGRAM_TIMES), { readSource: readerOf({ [PROGRAM]: PROGRAM_SOURCE, [OTHER]: OTHER_SOURCE }) });
    const unchanged = findings.find(finding => finding.file === OTHER)!;
    assert.deepEqual(unchanged, { ...other, measured: 'no-profile-data' });
    // Unmeasured findings rank with zero time, after every sampled one and in their original order.
    assert.deepEqual(findings.slice(-2).map(finding => finding.file), [OTHER, PROGRAM]);
  });

  it('counts a file as covered when only its functions appear (no self lines)', () => {
    const report = reportFor(PROGRAM, []);
    report.functions = [{ name: 'scan', file: PROGRAM, line: 5, selfMs: 0, totalMs: 20, selfPercent: 0, totalPercent: 40 }];
    const [first] = measureFindings(lintProgram(), report, { readSource: readerOf({ [PROGRAM]: PROGRAM_SOURCE }) });
    assert.equal(first.measured, 'not-run');
  });

  it('matches a report recorded in another checkout by the path under its working directory', () => {
    const movedFile = '/elsewhere/clone/src/program.js';
    const report = reportFor(PROGRAM, PROGRAM_TIMES, { cwd: CHECKOUT });
    const readSource = readerOf({ [movedFile]: PROGRAM_SOURCE });
    const findings = lintProgram(movedFile);
    const moved = measureFindings(findings, report, { readSource, cwd: '/elsewhere/clone' });
    assert.equal(byRule(moved, 'quadratic/includes-in-loop', 8).measuredMs, 650);
    const withoutCwd = measureFindings(findings, report, { readSource });
    assert.ok(withoutCwd.every(finding => finding.measured === 'no-profile-data'));
  });

  it('aligns the report with a file edited since the run', () => {
    const ran = attachSourceContext(reportFor(PROGRAM, PROGRAM_TIMES), readerOf({ [PROGRAM]: PROGRAM_SOURCE }));
    const edited = `// two lines inserted\n// after the profile was taken\n${PROGRAM_SOURCE.replace('const b = await loadB();', 'const b = await loadB(a);')}`;
    const findings = measureFindings(lintProgram(PROGRAM, edited), ran, { readSource: readerOf({ [PROGRAM]: edited }) });
    const lookup = byRule(findings, 'quadratic/includes-in-loop', 10);
    assert.deepEqual([lookup.region, lookup.measuredMs], [{ kind: 'loop', line: 9, endLine: 11 }, 650]);
    // The rewritten line lost its time; the loop kept its own.
    assert.equal(byRule(findings, 'async/await-in-loop').measuredMs, 30);
  });

  it('does not call code written after the run "not run"', () => {
    const ran = attachSourceContext(reportFor(PROGRAM, PROGRAM_TIMES), readerOf({ [PROGRAM]: PROGRAM_SOURCE }));
    const added = 'function added(xs) {\n  return xs.filter(x => ids.includes(x));\n}\n';
    const edited = `${PROGRAM_SOURCE}${added}`;
    const findings = measureFindings(lintProgram(PROGRAM, edited), ran, { readSource: readerOf({ [PROGRAM]: edited }) });
    const lastLine = edited.split('\n').length - 2;
    const fresh = findings.find(finding => finding.line === lastLine)!;
    assert.deepEqual([fresh.ruleId, fresh.measured, fresh.severity], ['quadratic/includes-in-loop', 'no-profile-data', 'hint']);
    // Old code that had no samples is still "not run": the fingerprint says it existed during the run.
    assert.equal(byRule(findings, 'quadratic/includes-in-loop', 20).measured, 'not-run');
  });

  it('falls back to the finding\'s own lines when the source cannot be read', () => {
    const findings = measureFindings(lintProgram(), reportFor(PROGRAM, PROGRAM_TIMES), { readSource: () => undefined });
    const lookup = byRule(findings, 'quadratic/includes-in-loop', 8);
    assert.deepEqual([lookup.region, lookup.measuredMs], [{ kind: 'code', line: 8, endLine: 8 }, 600]);
  });

  it('words small shares and times readably', () => {
    assert.equal(describeMeasurement('loop', 41.26, 820.4), 'This loop took 41% of the run (820 ms).');
    assert.equal(describeMeasurement('statements', 0.42, 4.25), 'These statements took 0.4% of the run (4.3 ms).');
    assert.equal(describeMeasurement('code', 0.04, 0.5), 'This code took under 0.1% of the run (0.5 ms).');
  });
});

describe('measureFindings with a real profile', () => {
  it('puts the hot loop first and marks the function that never ran', () => {
    const program = path.join(FIXTURES, 'hot-loops.js');
    const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-insight-'));
    try {
      const reportPath = path.join(tempDir, 'report.json');
      execFileSync(process.execPath, [distFile('cli.js'), 'profile', '--json', reportPath, '--out-dir', path.join(tempDir, 'profiles'), program], { cwd: FIXTURES, stdio: 'pipe' });
      const report = JSON.parse(fs.readFileSync(reportPath, 'utf8')) as Report;
      const source = fs.readFileSync(program, 'utf8');
      const findings = lintText(source, { fileName: program });
      assert.equal(findings.length, 2, 'the fixture has a hot and a never-run includes-in-loop');
      const [hot, cold] = measureFindings(findings, report, { readSource: file => fs.readFileSync(file, 'utf8') });
      assert.equal(hot.line, 11, `hot finding first: ${JSON.stringify(hot)}`);
      assert.equal(hot.measured, 'sampled');
      assert.ok(hot.measuredMs! > 0 && hot.measuredPercent! > 0);
      assert.match(hot.message, /This loop took [\d.]+% of the run \([\d.]+ ms\)\.$/);
      // Statically both are hints (nothing shows how big `triples` is); the measured one is promoted.
      assert.deepEqual(findings.map(finding => finding.severity), ['hint', 'hint']);
      assert.equal(hot.severity, 'warning');
      assert.deepEqual([cold.line, cold.measured, cold.severity], [17, 'not-run', 'hint']);
    } finally {
      fs.rmSync(tempDir, { recursive: true, force: true });
    }
  });
});
