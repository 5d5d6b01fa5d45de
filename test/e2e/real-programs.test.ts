// Real programs (issue 15): dependency time charged to the user's call, inlined ticks, generated code,
// minified dependencies. Each test profiles a fixture of its own with the built CLI.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fixture, markedLines, runProfileCli } from './profileHelpers';

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
