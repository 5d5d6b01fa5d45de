// `hotspots lint` end to end through the bundled CLI: exit codes, JSON, SARIF, --fix, ignores, workers.
import { describe, it, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from '@typescript-eslint/typescript-estree';
import { distFile } from '../../../src/core/paths';
import { collectFiles, lintFiles } from '../../../src/core/lint/files';
import { RULES } from '../../../src/core/lint/registry';
import type { Finding } from '../../../src/core/lint/types';

const SAMPLES = path.resolve(__dirname, '../../../../test/fixtures/lint/samples');
// Both the loop and the searched array are lines of a text (scaling evidence: a Problems-panel warning).
const LOOKUP = 'const seen = known.split("\\n");\nlet hits = 0;\nfor (const x of input.split("\\n")) {\n  if (seen.includes(x)) hits++;\n}\n';

function hotspots(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [distFile('cli.js'), 'lint', ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

let project: string;

before(() => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-lint-'));
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
    fs.writeFileSync(path.join(project, file), text);
  };
  write('.gitignore', 'build/\n*.generated.js\n');
  write('src/index.js', LOOKUP);
  write('src/clean.js', fs.readFileSync(path.join(SAMPLES, 'clean.js'), 'utf8'));
  write('src/skip.generated.js', LOOKUP);
  write('build/out.js', LOOKUP);
  write('node_modules/dep/index.js', LOOKUP);
  write('lib/broken.js', 'for (const x of xs) { if (ys.includes(x) { }\n');
  write('lib/all-rules.ts', fs.readFileSync(path.join(SAMPLES, 'all-rules.ts'), 'utf8'));
});
after(() => fs.rmSync(project, { recursive: true, force: true }));

describe('hotspots lint (CLI)', () => {
  it('exits 0 with no findings', () => {
    const result = hotspots(['src/clean.js'], project);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^no findings in 1 file$/m);
  });

  it('a folder named on purpose whose files are all .gitignore\'d says why it linted none, and its files can still be named', () => {
    const result = hotspots(['build'], project);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /no findings in 0 files/i);
    assert.match(result.stderr, /^hotspots: no file to lint in build: folders are read without node_modules and \.gitignore'd paths \(name a file to lint it anyway\)$/m);
    const named = hotspots(['build/out.js'], project);
    assert.equal(named.code, 1, 'a named file is linted even where the folder walk skips it');
    assert.equal(hotspots(['src'], project).stderr, '', 'no such note when the folder had files');
  });

  it('exits 2 on usage errors with one line on stderr', () => {
    for (const args of [[], ['--format', 'xml', 'src'], ['--rule', 'nope/rule=off', 'src'], ['--rule', 'async/await-in-loop=loud', 'src'], ['--bogus', 'src'], ['missing-dir']]) {
      const result = hotspots(args, project);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
      assert.doesNotMatch(result.stderr, /\n\s+at /);
    }
  });

  it('recurses directories, skips node_modules and .gitignore, reports parse errors and goes on (JSON)', () => {
    const result = hotspots(['--format', 'json', '.'], project);
    assert.equal(result.code, 1, result.stderr);
    const findings = JSON.parse(result.stdout) as Finding[];
    const files = [...new Set(findings.map(finding => path.relative(project, finding.file)))].sort();
    assert.deepEqual(files, ['lib/all-rules.ts', 'lib/broken.js', 'src/index.js']);
    assert.ok(findings.every(finding => path.isAbsolute(finding.file)));
    const parseError = findings.find(finding => finding.ruleId === 'parse-error')!;
    assert.equal(path.relative(project, parseError.file), 'lib/broken.js');
    const ruleIds = new Set(findings.map(finding => finding.ruleId));
    for (const rule of RULES) assert.ok(ruleIds.has(rule.meta.id), `all-rules.ts has a ${rule.meta.id} finding`);
  });

  it('--rule turns rules off and changes severities', () => {
    const off = hotspots(['--rule', 'quadratic/includes-in-loop=off', 'src'], project);
    assert.equal(off.code, 0, off.stdout);
    const info = hotspots(['--format', 'json', '--rule', 'quadratic/includes-in-loop=info', 'src'], project);
    assert.deepEqual((JSON.parse(info.stdout) as Finding[]).map(finding => finding.severity), ['info']);
  });

  it('writes SARIF 2.1.0 with rules (helpUri) and results (ruleId, level, locations)', () => {
    const result = hotspots(['--format', 'sarif', 'src', 'lib'], project);
    assert.equal(result.code, 1);
    const sarif = JSON.parse(result.stdout);
    assert.equal(sarif.version, '2.1.0');
    assert.match(sarif.$schema, /sarif-2\.1\.0/);
    assert.equal(sarif.runs.length, 1);
    const run = sarif.runs[0];
    assert.equal(run.tool.driver.name, 'hotspots');
    const rules = run.tool.driver.rules as { id: string; helpUri: string; shortDescription: { text: string } }[];
    for (const rule of RULES) {
      const entry = rules.find(candidate => candidate.id === rule.meta.id)!;
      assert.match(entry.helpUri, new RegExp(`^https://.+/docs/rules/${rule.meta.id}\\.md$`));
      assert.ok(entry.shortDescription.text.length > 0);
    }
    assert.ok(run.results.length > 5);
    for (const item of run.results) {
      assert.equal(rules[item.ruleIndex].id, item.ruleId);
      assert.ok(['error', 'warning', 'note'].includes(item.level));
      assert.ok(item.message.text.length > 0);
      const location = item.locations[0].physicalLocation;
      assert.equal(location.artifactLocation.uriBaseId, 'SRCROOT');
      assert.match(location.artifactLocation.uri, /^(src|lib)\/[\w.-]+$/);
      assert.ok(location.region.startLine >= 1 && location.region.startColumn >= 1);
    }
    assert.match(run.originalUriBaseIds.SRCROOT.uri, /^file:\/\/.+\/$/);
  });

  it('--fix applies only safe fixes, reports how many, and leaves parseable code', () => {
    const copy = path.join(project, 'fixme.ts');
    fs.copyFileSync(path.join(SAMPLES, 'all-rules.ts'), copy);
    const before = lintFiles([copy], { workers: 0 });
    return before.then(({ findings }) => {
      const safe = findings.filter(finding => finding.fix).length;
      assert.ok(safe >= 2);
      const result = hotspots(['--fix', '--format', 'json', 'fixme.ts'], project);
      assert.equal(result.code, 1, 'suggestions remain');
      assert.match(result.stderr, new RegExp(`fixed ${safe} problems in 1 file`));
      const remaining = JSON.parse(result.stdout) as Finding[];
      assert.equal(remaining.filter(finding => finding.fix).length, 0);
      assert.equal(remaining.length, findings.length - safe);
      const fixed = fs.readFileSync(copy, 'utf8');
      assert.match(fixed, /const blockedSet = new Set\(blocked\);/);
      assert.match(fixed, /acc\.push\(user\.name\); return acc;/);
      assert.doesNotThrow(() => parse(fixed));
    });
  });

  it('text output names file:line:column, rule and fixability', () => {
    const result = hotspots(['src/index.js'], project);
    assert.match(result.stdout, /^src\/index\.js:4:7 +warning +.+quadratic\/includes-in-loop \(fixable\)$/m);
    assert.match(result.stdout, /^1 finding in 1 file, 1 fixable with --fix$/m);
  });
});

describe('lintFiles', () => {
  it('collects files the same way the CLI does', () => {
    const files = collectFiles([project]).map(file => path.relative(project, file)).sort();
    assert.ok(!files.some(file => file.startsWith('node_modules') || file.startsWith('build') || file.endsWith('.generated.js')));
    assert.ok(files.includes('src/index.js'));
  });

  it('worker threads give the same findings as one thread', async () => {
    const many = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-many-'));
    try {
      for (let i = 0; i < 24; i++) fs.writeFileSync(path.join(many, `f${String(i).padStart(2, '0')}.js`), i % 3 === 0 ? LOOKUP : 'const a = 1;\n');
      assert.ok(fs.existsSync(distFile('lintEngine.js')), 'npm run build bundles the worker');
      const single = await lintFiles([many], { workers: 0 });
      const threaded = await lintFiles([many], { workers: 2 });
      assert.equal(single.findings.length, 8);
      assert.deepEqual(threaded.findings, single.findings);
      assert.equal(threaded.filesLinted, 24);
    } finally {
      fs.rmSync(many, { recursive: true, force: true });
    }
  });
});
