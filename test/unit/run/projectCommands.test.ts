import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { isPackageManagerProcess } from '../../../src/core/run/packageManagers';
import {
  detectTestRunner, findProjectDir, listNpmScripts, ProjectCommandError, testFileCommand,
} from '../../../src/core/run/projectCommands';
import { packageRoot } from '../../../src/core/paths';

const PROJECTS = path.join(packageRoot(), 'test', 'fixtures', 'projects');
const project = (name: string) => path.join(PROJECTS, name);

const tempDirs: string[] = [];
after(() => { for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true }); });

/** A throwaway project: `files` maps relative paths to contents (objects are written as JSON). */
function makeProject(files: Record<string, string | object>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-project-'));
  tempDirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

describe('listNpmScripts', () => {
  it('lists name and command in package.json order', () => {
    assert.deepEqual(listNpmScripts(project('mocha')), [{ name: 'test', command: 'mocha' }, { name: 'lint', command: 'eslint .' }]);
  });

  it('skips entries that are not commands, as npm does', () => {
    assert.deepEqual(listNpmScripts(project('none')).map(script => script.name), ['start', 'build']);
  });

  it('returns nothing for a package.json without scripts', () => {
    assert.deepEqual(listNpmScripts(makeProject({ 'package.json': { name: 'x' } })), []);
  });

  it('explains a missing or malformed package.json', () => {
    const empty = makeProject({});
    assert.throws(() => listNpmScripts(empty), (error: Error) => error instanceof ProjectCommandError && error.message === `no package.json in ${empty}`);
    const invalid = makeProject({ 'package.json': '{ "scripts": { "test": "mocha", } }' });
    assert.throws(() => listNpmScripts(invalid), new RegExp(`^ProjectCommandError: ${path.join(invalid, 'package.json').replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}: not valid JSON`));
    assert.throws(() => listNpmScripts(makeProject({ 'package.json': '[1, 2]' })), /package\.json: expected a JSON object$/);
    assert.throws(() => listNpmScripts(makeProject({ 'package.json': { scripts: ['mocha'] } })), /"scripts" must be an object/);
  });
});

describe('findProjectDir', () => {
  it('finds the nearest package.json above a file', () => {
    assert.equal(findProjectDir(path.join(project('jest'), 'src', 'sum.test.js')), project('jest'));
    const nested = makeProject({ 'package.json': {}, 'packages/app/package.json': {}, 'packages/app/lib/deep/a.js': '' });
    assert.equal(findProjectDir(path.join(nested, 'packages/app/lib/deep/a.js')), path.join(nested, 'packages/app'));
  });
});

describe('detectTestRunner', () => {
  it('recognises each fixture project', () => {
    assert.equal(detectTestRunner('test/sum.spec.js', project('mocha')), 'mocha');
    assert.equal(detectTestRunner('src/sum.test.js', project('jest')), 'jest');
    assert.equal(detectTestRunner('test/sum.test.js', project('vitest')), 'vitest');
    assert.equal(detectTestRunner(path.join(project('node-test'), 'test', 'sum.test.js'), project('node-test')), 'node:test');
    assert.equal(detectTestRunner('index.js', project('none')), null);
  });

  it('trusts the file\'s own imports over the project', () => {
    const dir = makeProject({
      'package.json': { devDependencies: { jest: '*' }, scripts: { test: 'jest' } },
      'jest.config.js': 'module.exports = {};',
      'a.test.mjs': "import test from 'node:test';\ntest('x', () => {});\n",
      'b.test.ts': "import { it } from 'vitest';\n",
      'c.test.js': "const { expect } = require('@jest/globals');\n",
    });
    assert.equal(detectTestRunner('a.test.mjs', dir), 'node:test');
    assert.equal(detectTestRunner('b.test.ts', dir), 'vitest');
    assert.equal(detectTestRunner('c.test.js', dir), 'jest');
  });

  it('uses a runner configuration, including the package.json "jest" and "mocha" keys', () => {
    assert.equal(detectTestRunner('t.js', makeProject({ 'package.json': { jest: { testEnvironment: 'node' } }, 't.js': '' })), 'jest');
    assert.equal(detectTestRunner('t.js', makeProject({ 'package.json': { mocha: { spec: 't.js' } }, 't.js': '' })), 'mocha');
    assert.equal(detectTestRunner('t.js', makeProject({ 'vitest.config.ts': 'export default {};', 't.js': '' })), 'vitest');
  });

  it('settles two configurations with the test script, earliest runner first', () => {
    const dir = makeProject({ 'package.json': { scripts: { test: 'mocha && jest' } }, 'jest.config.js': '', '.mocharc.yml': 'spec: t.js\n', 't.js': '' });
    assert.equal(detectTestRunner('t.js', dir), 'mocha');
  });

  it('recognises `node --test` in the test script', () => {
    assert.equal(detectTestRunner('t.js', makeProject({ 'package.json': { scripts: { test: 'c8 node --test test/' } }, 't.js': '' })), 'node:test');
    assert.equal(detectTestRunner('t.js', makeProject({ 'package.json': { scripts: { test: 'node test/run.js' } }, 't.js': '' })), null);
  });

  it('falls back to the dependencies', () => {
    assert.equal(detectTestRunner('t.js', makeProject({ 'package.json': { dependencies: { mocha: '*' }, devDependencies: { typescript: '*' } }, 't.js': '' })), 'mocha');
  });

  it('still reads config files when package.json is malformed', () => {
    assert.equal(detectTestRunner('t.js', makeProject({ 'package.json': '{ oops', '.mocharc.cjs': 'module.exports = {};', 't.js': '' })), 'mocha');
  });
});

describe('testFileCommand', () => {
  it('runs a mocha file with the hoisted mocha entry, and that command really runs it', () => {
    const command = testFileCommand('mocha', path.join(project('mocha'), 'test', 'sum.spec.js'), project('mocha'));
    assert.equal(command.command, 'node');
    assert.deepEqual(command.args, [path.join(packageRoot(), 'node_modules', 'mocha', 'bin', 'mocha.js'), path.join('test', 'sum.spec.js')]);
    assert.equal(command.cwd, project('mocha'));
    assert.match(command.note ?? '', /"spec"/, 'the fixture config lists spec files, which mocha runs as well');
    const output = execFileSync(process.execPath, command.args, { cwd: command.cwd, encoding: 'utf8' });
    assert.match(output, /adds numbers/);
    assert.match(output, /1 passing/);
  });

  it('runs a node:test file with node --test, and that command really runs it', () => {
    const command = testFileCommand('node:test', 'test/sum.test.js', project('node-test'), { node: process.execPath });
    assert.deepEqual([command.command, command.args], [process.execPath, ['--test', path.join('test', 'sum.test.js')]]);
    // Under `node --test` this test's own NODE_TEST_CONTEXT would make the nested run report to us, not to stdout.
    const { NODE_TEST_CONTEXT: _ownContext, ...env } = process.env;
    const run = spawnSync(command.command, command.args, { cwd: command.cwd, encoding: 'utf8', env });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /adds numbers/);
  });

  it('runs jest in band on exactly that path, from a node_modules in a parent directory', () => {
    const root = makeProject({
      'node_modules/jest/package.json': { name: 'jest', bin: { jest: './bin/jest.js' } },
      'packages/app/package.json': { devDependencies: { jest: '*' } },
    });
    const app = path.join(root, 'packages', 'app');
    const command = testFileCommand('jest', path.join(app, 'src', 'a.test.js'), app);
    assert.deepEqual(command.args, [path.join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '--runInBand', '--runTestsByPath', path.join('src', 'a.test.js')]);
  });

  it('accepts jest-cli and a bin given as a string', () => {
    const dir = makeProject({ 'node_modules/jest-cli/package.json': { name: 'jest-cli', bin: './bin/jest.js' } });
    assert.equal(testFileCommand('jest', 'a.test.js', dir).args[0], path.join(dir, 'node_modules', 'jest-cli', 'bin', 'jest.js'));
  });

  it('runs vitest once on the file and says where the time shows up', () => {
    const dir = makeProject({ 'node_modules/vitest/package.json': { name: 'vitest', bin: { vitest: './vitest.mjs' } } });
    const outside = path.join(os.tmpdir(), 'elsewhere.test.js');
    const command = testFileCommand('vitest', outside, dir);
    assert.deepEqual(command.args, [path.join(dir, 'node_modules', 'vitest', 'vitest.mjs'), 'run', outside]);
    assert.match(command.note ?? '', /forks.*threads/);
  });

  it('says when the runner is not installed', () => {
    const dir = makeProject({ 'package.json': { devDependencies: { vitest: '*' } } });
    assert.throws(() => testFileCommand('vitest', 'a.test.js', dir), (error: Error) => error instanceof ProjectCommandError && /^vitest is not installed for /.test(error.message));
  });
});

describe('isPackageManagerProcess', () => {
  it('recognises npm, npx, yarn, pnpm and corepack entry scripts', () => {
    const managers = [
      ['/usr/bin/node', '/usr/bin/npm', 'test'],
      ['/usr/bin/node', '/usr/local/bin/npx', 'mocha'],
      ['node', '/usr/lib/node_modules/npm/bin/npm-cli.js', 'run', 'bench'],
      ['node', '/usr/lib/node_modules/npm/bin/npx-cli.js', 'jest'],
      ['C:\\Program Files\\nodejs\\node.exe', 'C:\\Program Files\\nodejs\\node_modules\\npm\\bin\\npm-cli.js', 'test'],
      ['node', '/home/me/.cache/node/corepack/v1/pnpm/9.1.0/bin/pnpm.cjs', 'test'],
      ['node', '/usr/lib/node_modules/corepack/dist/corepack.js', 'enable'],
      ['node', '/usr/lib/node_modules/corepack/dist/yarn.js'],
      ['node', '/project/.yarn/releases/yarn-4.1.0.cjs', 'test'],
      ['node', '/project/node_modules/yarn/bin/yarn.js'],
      ['node', '/home/me/.local/share/pnpm/pnpm'],
    ];
    for (const argv of managers) assert.equal(isPackageManagerProcess(argv), true, argv.join(' '));
  });

  it('leaves programs alone, including ones that merely share a name', () => {
    const programs = [
      ['node'],
      ['node', '/project/node_modules/mocha/bin/mocha.js', 'test/a.spec.js'],
      ['node', '/project/scripts/yarn.js'],
      ['node', '/project/npm-stats.js'],
      ['node', '/project/node_modules/.bin/jest'],
    ];
    for (const argv of programs) assert.equal(isPackageManagerProcess(argv), false, argv.join(' '));
  });

  it('recognises the argv of the npm installed here', t => {
    const dir = makeProject({ 'record-argv.js': "require('fs').writeFileSync(process.env.ARGV_OUT, JSON.stringify(process.argv));\n" });
    const argvFile = path.join(dir, 'argv.json');
    const run = spawnSync('npm', ['--version'], {
      env: { ...process.env, NODE_OPTIONS: `--require ${path.join(dir, 'record-argv.js')}`, ARGV_OUT: argvFile },
      encoding: 'utf8',
      shell: process.platform === 'win32',
    });
    if (run.error || !fs.existsSync(argvFile)) return t.skip('npm is not on the PATH');
    assert.equal(isPackageManagerProcess(JSON.parse(fs.readFileSync(argvFile, 'utf8')) as string[]), true);
  });
});
