// The editor's heat for the user's calling lines charged with dependency time (src/host/chargedUserLines.ts
// merged by heatModel.ts): pure data, no VS Code needed.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Report, ReportLine, ReportUserLine } from '../../../src/core/profile/types';
import { buildHeatModel } from '../../../src/host/heatModel';

const APP = '/work/app.js';
const settings = { heatThreshold: 0.5, annotatedLines: 5, annotationMinShare: 1, includeDependencies: false };

function line(lineNumber: number, selfMs: number, selfPercent: number, file = APP): ReportLine {
  return { file, line: lineNumber, selfMs, selfPercent, hits: Math.round(selfMs), function: 'main' } as ReportLine;
}
function userLine(lineNumber: number, fields: Partial<ReportUserLine>): ReportUserLine {
  return { file: APP, line: lineNumber, function: 'main', totalMs: 0, totalPercent: 0, selfMs: 0, hits: 1, via: [], ...fields };
}
function report(lines: ReportLine[], userLines: ReportUserLine[]): Report {
  return { lines, userLines, functions: [], totalSampledMs: 1000, warnings: [] } as unknown as Report;
}

describe('heat of calling lines charged with dependency time', () => {
  const dependencyLine = line(895, 780, 78, '/work/node_modules/slowdep/index.js');
  const model = buildHeatModel(report([dependencyLine, line(4, 50, 5)], [
    userLine(8, { totalMs: 800, totalPercent: 80, selfMs: 2, via: [{ name: 'slowdep', ms: 780 }] }),
    userLine(4, { totalMs: 50, totalPercent: 5, selfMs: 50, via: [] }),
    userLine(1, { totalMs: 30, totalPercent: 3, selfMs: 0, via: [{ name: 'slowdep', ms: 30 }], callLineUnknown: true }),
  ]), { kind: 'profiles', profiles: [] }, settings);
  const appHeat = model.files.get(APP)!.lines;

  test('the calling line gets the heat of its total and says it includes dependencies', () => {
    const calling = appHeat.find(heat => heat.line === 8)!;
    assert.equal(calling.step, 5);
    assert.equal(calling.annotation, '80.0% · 800 ms incl. dependencies → slowdep 98%');
    assert.deepEqual(calling.charged, { totalMs: 800, totalPercent: 80, via: '→ slowdep 98%' });
    assert.equal(model.chargedLines[0], calling, 'the status bar reads the heaviest first');
  });

  test('"Top lines" stay self time; own-time lines and unknown calling lines get no charged heat', () => {
    assert.deepEqual(model.lines.map(heat => heat.line), [4]);
    assert.equal(appHeat.find(heat => heat.line === 4)?.charged, undefined);
    assert.equal(appHeat.find(heat => heat.line === 1), undefined);
  });

  test('a calling line hot by itself keeps its entry and gets the hotter step', () => {
    const both = buildHeatModel(report([line(8, 30, 3)], [userLine(8, { totalMs: 800, totalPercent: 80, selfMs: 30, via: [{ name: 'slowdep', ms: 770 }] })]),
      { kind: 'profiles', profiles: [] }, settings);
    assert.equal(both.files.get(APP)!.lines.length, 1);
    assert.equal(both.lines[0].step, 5);
    assert.match(both.lines[0].annotation ?? '', /incl\. dependencies → slowdep/);
  });
});
