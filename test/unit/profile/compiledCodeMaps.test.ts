// The inline map of code compiled under a file's name (what test runners and loaders hand node:vm and the
// CommonJS loader), and the TypeScript loaders of a program's own among Node's options.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { inlineSourceMapOf } from '../../../src/core/profile/compiledCodeMaps';
import { ownTypeScriptLoader } from '../../../src/core/profile/transpile';

const MAP = JSON.stringify({ version: 3, sources: ['a.ts'], names: [], mappings: 'AAAA' });
const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

describe('inlineSourceMapOf', () => {
  it('decodes the base64 or percent-encoded map of the last //# sourceMappingURL comment', () => {
    assert.equal(inlineSourceMapOf(`x();\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,${base64(MAP)}\n`), MAP);
    assert.equal(inlineSourceMapOf(`x();\n//# sourceMappingURL=data:application/json,${encodeURIComponent(MAP)}`), MAP);
    assert.equal(inlineSourceMapOf(`x();\n//@ sourceMappingURL=data:application/json;base64,${base64(MAP)}`), MAP, 'the older //@ form');
    const older = JSON.stringify({ version: 3, sources: ['old.ts'], names: [], mappings: '' });
    assert.equal(inlineSourceMapOf(`//# sourceMappingURL=data:application/json;base64,${base64(older)}\nx();\n//# sourceMappingURL=data:application/json;base64,${base64(MAP)}`), MAP, 'the last one wins');
  });

  it('finds it when code follows (vite-node closes its wrapper after the comment)', () => {
    assert.equal(inlineSourceMapOf(`'use strict';async()=>{{x();\n//# sourceMappingURL=data:application/json;base64,${base64(MAP)}\n}}`), MAP);
  });

  it('is undefined for a map in a file, no comment, a mention outside a comment, and a broken data URL', () => {
    assert.equal(inlineSourceMapOf('x();\n//# sourceMappingURL=app.js.map\n'), undefined);
    assert.equal(inlineSourceMapOf('x();\n'), undefined);
    assert.equal(inlineSourceMapOf(`const s = "sourceMappingURL=data:application/json;base64,${base64(MAP)}";`), undefined);
    assert.equal(inlineSourceMapOf('//# sourceMappingURL=data:application/json;base64'), undefined, 'no comma');
    assert.equal(inlineSourceMapOf('//# sourceMappingURL=data:text/plain,hello'), undefined, 'not JSON');
    assert.equal(inlineSourceMapOf('//# sourceMappingURL=data:application/json,%E0%A4%A'), undefined, 'bad percent-encoding');
  });
});

describe('ownTypeScriptLoader', () => {
  it('names the TypeScript loader in the options tsx, ts-node and the register packages use', () => {
    const cases: [string[], string, string][] = [
      [['--require', '/p/node_modules/tsx/dist/preflight.cjs', '--import', 'file:///p/node_modules/tsx/dist/loader.mjs'], '', '/p/node_modules/tsx/dist/preflight.cjs'],
      [['--import=tsx'], '', 'tsx'],
      [['--loader', 'ts-node/esm'], '', 'ts-node/esm'],
      [['--experimental-loader=ts-node/esm'], '', 'ts-node/esm'],
      [[], '--require /opt/hotspots/dist/preload.js -r ts-node/register', 'ts-node/register'],
      [[], '--require "/home/me/app/node_modules/@swc-node/register/index.js"', '/home/me/app/node_modules/@swc-node/register/index.js'],
      [['--import', '@swc-node/register/esm-register'], '', '@swc-node/register/esm-register'],
      [['-r', 'esbuild-register'], '', 'esbuild-register'],
      [['-r', '@babel/register'], '', '@babel/register'],
    ];
    for (const [execArgv, nodeOptions, expected] of cases) assert.equal(ownTypeScriptLoader(execArgv, nodeOptions), expected, JSON.stringify([execArgv, nodeOptions]));
  });

  it('is undefined for other preloads and options', () => {
    assert.equal(ownTypeScriptLoader(['--require', './setup.js', '--max-old-space-size=100'], '--require /opt/hotspots/dist/preload.js'), undefined);
    assert.equal(ownTypeScriptLoader(['--import', './tsx-helpers.mjs', '--import', '@opentelemetry/auto-instrumentations-node/register'], ''), undefined);
    assert.equal(ownTypeScriptLoader(['--enable-source-maps'], undefined), undefined);
  });
});
