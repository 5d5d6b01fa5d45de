// End to end: a work queue drained with `shift` is a hint until measured (V8 copies only beyond ~10,000
// items held at once, which the code does not show); `lint --profile` makes the wide one a warning with its
// cost and leaves the two-item one a hint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../../src/core/paths';
import { CLI, makeTempDir, markedLines, runProfileCli } from './profileHelpers';

const program = path.join(packageRoot(), 'test', 'fixtures', 'workspace', 'shift-queue.js');
const [wideLine] = markedLines(program, '// WIDE');
const [narrowLine] = markedLines(program, '// NARROW');

type Found = { line: number; ruleId: string; severity: string; message: string; evidence?: string };

function lint(args: string[], cwd: string): Found[] {
  const run = spawnSync(process.execPath, [CLI, 'lint', '--format', 'json', ...args, program], { cwd, encoding: 'utf8' });
  return JSON.parse(run.stdout) as Found[];
}

test('lint --profile: the wide shift queue becomes a warning with its cost, the narrow one stays a hint', async () => {
  const dir = makeTempDir();
  let profiledDir: string | undefined;
  try {
    const plain = lint([], dir);
    assert.deepEqual(plain.map(finding => [finding.line, finding.ruleId, finding.severity]),
      [[wideLine, 'quadratic/shift-in-loop', 'hint'], [narrowLine, 'quadratic/shift-in-loop', 'hint']]);
    assert.match(plain[0].evidence!, /about 10,000 items/);

    const profiled = await runProfileCli([program]);
    profiledDir = path.dirname(profiled.outDir);
    assert.equal(profiled.code, 0, profiled.stderr);
    assert.match(profiled.stdout, /^1799970000 3$/m, 'both walks ran to the end');
    const reportFile = path.join(dir, 'report.json');
    fs.writeFileSync(reportFile, JSON.stringify(profiled.report));
    const measured = lint(['--profile', reportFile], dir);
    const wide = measured.find(finding => finding.line === wideLine)!;
    assert.equal(wide.severity, 'warning');
    assert.match(wide.message, /This loop took \d+% of the run/);
    assert.equal(measured.find(finding => finding.line === narrowLine)!.severity, 'hint');
  } finally {
    for (const scratch of [dir, profiledDir]) if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  }
});
