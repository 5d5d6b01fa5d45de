import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NODE_INTERNALS_LABEL } from '../../../src/core/profile/userAttribution';
import { userLinesWorthShowing } from '../../../src/core/profile/userLinesView';
import type { ReportUserLine } from '../../../src/core/profile/types';

function userLine(totalPercent: number, selfMs: number, via: ReportUserLine['via']): ReportUserLine {
  const totalMs = selfMs + via.reduce((sum, entry) => sum + entry.ms, 0);
  return { file: '/p/app.js', line: 4, function: 'main', totalMs, totalPercent, selfMs, hits: Math.round(totalMs), via };
}

test('"your code" is shown when a line called into a package', () => {
  assert.equal(userLinesWorthShowing([userLine(3, 1, [{ name: 'lodash', ms: 20 }])]), true);
});

test('"your code" is shown when a line of the user\'s spent a noticeable share of the run in Node.js (zlib.gzipSync): the top lines, own time only, would not list it', () => {
  assert.equal(userLinesWorthShowing([userLine(40, 0, [{ name: NODE_INTERNALS_LABEL, ms: 120 }])]), true);
});

test('"your code" is not shown for small calls into Node.js, nor for lines whose own time is most of their time', () => {
  assert.equal(userLinesWorthShowing([userLine(4, 0, [{ name: NODE_INTERNALS_LABEL, ms: 8 }])]), false);
  assert.equal(userLinesWorthShowing([userLine(60, 100, [{ name: NODE_INTERNALS_LABEL, ms: 20 }])]), false);
  assert.equal(userLinesWorthShowing([]), false);
  assert.equal(userLinesWorthShowing(undefined), false);
});
