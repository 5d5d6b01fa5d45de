import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ComparisonInputError, loadReportOrProfile } from '../../../src/core/compare/load';

const TINY_PROFILE = path.resolve(__dirname, '../../../../test/fixtures/compare/tiny.cpuprofile');

describe('loadReportOrProfile', () => {
  let dir: string;
  const write = (name: string, content: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    return file;
  };
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-load-')); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('turns a .cpuprofile into a report, without line texts', () => {
    const report = loadReportOrProfile(TINY_PROFILE);
    assert.equal(report.version, 1);
    const hitsByLine = new Map(report.lines.map(line => [`${line.file}:${line.line}`, line.hits]));
    assert.equal(hitsByLine.get('/project/app.js:3'), 3);
    assert.equal(hitsByLine.get('/project/app.js:4'), 1);
    assert.ok(report.lines.every(line => line.text === undefined));
  });

  it('recognises a profile saved with a .json name by its content', () => {
    const renamed = write('profile.json', fs.readFileSync(TINY_PROFILE, 'utf8'));
    assert.deepEqual(loadReportOrProfile(renamed).lines.map(l => l.line).sort(), [3, 4]);
  });

  it('accepts a minimal report and fills in the optional parts', () => {
    const file = write('report.json', JSON.stringify({ version: 1, totalSampledMs: 5, lines: [{ file: '/a.js', line: 2, selfMs: 5, hits: 5 }], functions: [] }));
    const report = loadReportOrProfile(file);
    assert.deepEqual(report.command, []);
    assert.deepEqual(report.warnings, []);
    assert.equal(report.categories.idleMs, 0);
  });

  it('names the file and the problem for anything else', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['text.json', 'hello', /text\.json: not valid JSON/],
      ['array.json', '[]', /array\.json: not a Hotspots report \(expected a JSON object\)/],
      ['v2.json', '{"version":2}', /v2\.json: not a Hotspots report \(version 2, expected 1\)/],
      ['nolines.json', '{"version":1,"totalSampledMs":1,"functions":[]}', /no lines/],
      ['badline.json', '{"version":1,"totalSampledMs":1,"functions":[],"lines":[{"file":"/a.js","line":"7"}]}', /malformed line entry/],
      ['broken.cpuprofile', '{"nodes": [', /broken\.cpuprofile/],
    ];
    for (const [name, content, message] of cases) {
      assert.throws(() => loadReportOrProfile(write(name, content)), (error: unknown) => error instanceof ComparisonInputError && message.test(error.message), name);
    }
    assert.throws(() => loadReportOrProfile(path.join(dir, 'missing.json')), /missing\.json: cannot be read \(no such file\)/);
    assert.throws(() => loadReportOrProfile(dir), /cannot be read \(is a directory\)/);
  });
});
