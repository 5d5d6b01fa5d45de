import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { lintText, mayContainCandidates, suppressionEdit } from '../../../src/core/lint/engine';
import { applyFixes } from '../../../src/core/lint/fixes';
import { RULES } from '../../../src/core/lint/registry';

// Both the loop and the searched array are lines of a text (scaling evidence: a warning).
const LOOKUP = 'const ids = known.split("\\n");\nfor (const x of input.split("\\n")) {\n  if (ids.includes(x)) n++;\n}\n';

describe('lintText', () => {
  it('reports the issue JSON shape with 1-based positions', () => {
    const [finding] = lintText(LOOKUP, { fileName: '/abs/a.js' });
    assert.deepEqual(Object.keys(finding).sort(), ['column', 'endColumn', 'endLine', 'evidence', 'family', 'file', 'fix', 'line', 'message', 'ruleId', 'severity', 'suggestions']);
    assert.equal(finding.evidence, 'the loop walks the lines of a text, and `ids` holds the lines of a text: both grow with the input');
    assert.equal(finding.file, '/abs/a.js');
    assert.deepEqual([finding.line, finding.column, finding.endLine, finding.endColumn], [3, 7, 3, 22]);
    assert.equal(finding.family, 'quadratic');
    assert.equal(finding.severity, 'warning');
    assert.deepEqual(Object.keys(finding.fix!.edits[0]).sort(), ['column', 'endColumn', 'endLine', 'line', 'text']);
  });

  it('reports a lookup whose array size nothing shows as a hint, saying so', () => {
    const [finding] = lintText('const ids = Array.from(load());\nfor (const x of xs) {\n  if (ids.includes(x)) n++;\n}\n', { fileName: 'a.js', rules: { 'quadratic/includes-in-loop': 'error' } });
    assert.deepEqual([finding.severity, finding.evidence], ['hint', 'the size of `ids` is unknown']);
  });

  it('honours per-rule severities and off', () => {
    assert.equal(lintText(LOOKUP, { fileName: 'a.js', rules: { 'quadratic/includes-in-loop': 'error' } })[0].severity, 'error');
    assert.deepEqual(lintText(LOOKUP, { fileName: 'a.js', rules: { 'quadratic/includes-in-loop': 'off' } }), []);
  });

  it('reports a parse error as one finding and does not throw', () => {
    const findings = lintText('for (const x of xs) { ids.includes(x) \nconst = ;\n', { fileName: 'bad.ts' });
    assert.equal(findings.length, 1);
    assert.equal(findings[0].ruleId, 'parse-error');
    assert.equal(findings[0].line, 2);
  });

  it('parses JSX in .jsx/.tsx/.js and generics in .ts', () => {
    assert.deepEqual(lintText('const el = <div>{items.includes(x)}</div>;', { fileName: 'a.jsx' }), []);
    assert.deepEqual(lintText('const f = <T,>(x: T) => x; arr.includes(1);', { fileName: 'a.ts' }), []);
  });

  it('suppresses with hotspots-disable-next-line for the named rule only', () => {
    const suppressed = LOOKUP.replace('  if (ids', '  // hotspots-disable-next-line quadratic/includes-in-loop\n  if (ids');
    assert.deepEqual(lintText(suppressed, { fileName: 'a.js' }), []);
    const otherRule = LOOKUP.replace('  if (ids', '  // hotspots-disable-next-line async/await-in-loop\n  if (ids');
    assert.equal(lintText(otherRule, { fileName: 'a.js' }).length, 1);
  });

  it('suppressionEdit inserts a comment that silences the finding', () => {
    const [finding] = lintText(LOOKUP, { fileName: 'a.js' });
    const edited = applyFixes(LOOKUP, [{ description: 'disable', edits: [suppressionEdit(LOOKUP, finding)] }]).output;
    assert.match(edited, /\n {2}\/\/ hotspots-disable-next-line quadratic\/includes-in-loop\n {2}if \(ids/);
    assert.deepEqual(lintText(edited, { fileName: 'a.js' }), []);
  });

  it('skips files above the size limit with a notice', () => {
    const notices: string[] = [];
    const big = `${LOOKUP}\n${'x'.repeat(3 * 1024)}`;
    assert.deepEqual(lintText(big, { fileName: 'big.js', maxFileSizeKb: 2, onNotice: notice => notices.push(notice) }), []);
    assert.equal(notices.length, 1);
    assert.match(notices[0], /big\.js: skipped/);
  });

  it('skips a 10 MB minified file at the default limit without parsing it', () => {
    const chunk = 'function a(b){for(var c=0;c<b.length;c++)if(d.indexOf(b[c])>=0)return c;return-1}';
    const minified = chunk.repeat(Math.ceil(10 * 1024 * 1024 / chunk.length));
    const notices: string[] = [];
    assert.deepEqual(lintText(minified, { fileName: 'vendor.min.js', onNotice: notice => notices.push(notice) }), []);
    assert.match(notices[0], /skipped/);
  });

  it('lints a minified file under the limit without hanging', () => {
    const chunk = 'function a(b){var d=Array.from(b);for(var c=0;c<b.length;c++)if(d.includes(b[c]))return c;return-1}';
    const minified = chunk.repeat(2000);
    const findings = lintText(minified, { fileName: 'lib.min.js' });
    assert.equal(findings.length, 2000);
    assert.ok(findings.every(finding => finding.line === 1));
  });
});

describe('pre-filter', () => {
  it('skips text without any rule trigger word, and never skips a file with a finding', () => {
    assert.equal(mayContainCandidates('const a = 1 + 2;', RULES), false);
    for (const rule of RULES) assert.ok(rule.triggers.length > 0, rule.meta.id);
    assert.equal(mayContainCandidates(LOOKUP, RULES), true);
  });
});

describe('applyFixes', () => {
  const text = 'abc\ndef\n';
  const edit = (line: number, column: number, endLine: number, endColumn: number, value: string) => ({ line, column, endLine, endColumn, text: value });
  it('applies non-overlapping fixes and counts them', () => {
    const result = applyFixes(text, [
      { description: 'one', edits: [edit(1, 1, 1, 2, 'A')] },
      { description: 'two', edits: [edit(2, 3, 2, 4, 'F')] },
    ]);
    assert.deepEqual(result, { output: 'Abc\ndeF\n', applied: 2, skipped: 0 });
  });
  it('skips a fix that overlaps an applied one, keeping each fix all-or-nothing', () => {
    const result = applyFixes(text, [
      { description: 'one', edits: [edit(1, 1, 1, 3, 'X')] },
      { description: 'two', edits: [edit(2, 1, 2, 2, 'D'), edit(1, 2, 1, 4, 'Y')] },
    ]);
    assert.deepEqual(result, { output: 'Xc\ndef\n', applied: 1, skipped: 1 });
  });
  it('merges identical edits (two findings hoisting the same Set)', () => {
    const hoist = edit(1, 1, 1, 1, 'const s = new Set(a);\n');
    const result = applyFixes(text, [
      { description: 'one', edits: [hoist, edit(1, 2, 1, 3, 'B')] },
      { description: 'two', edits: [hoist, edit(2, 2, 2, 3, 'E')] },
    ]);
    assert.deepEqual(result, { output: 'const s = new Set(a);\naBc\ndEf\n', applied: 2, skipped: 0 });
  });
});
