// Which files `hotspots profile <file>` runs as a script: the extensions node loads, and executables
// without an extension whose #! line names node (bin/www, a package's bin); how such an entry's module
// format is decided (it decides whether the ES module hooks measure its awaits).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { isNodeShebangScript } from '../../../src/core/profile/launch';
import { isModuleEntry } from '../../../src/core/profile/waits/preloadWaits';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-script-kinds-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const at = path.join(dir, name);
  fs.mkdirSync(path.dirname(at), { recursive: true });
  fs.writeFileSync(at, text);
  return at;
}

describe('isNodeShebangScript', () => {
  it('accepts the #! lines that run node', () => {
    const lines = [
      '#!/usr/bin/env node',
      '#!/usr/bin/node',
      '#! /usr/local/bin/node --max-old-space-size=4096',
      '#!/usr/bin/env -S node --no-warnings',
      '#!/usr/bin/env NODE_ENV=production node',
      '#!/usr/bin/env nodejs',
      '#!/usr/bin/env node\r',
    ];
    lines.forEach((line, index) => assert.equal(isNodeShebangScript(file(`yes${index}`, `${line}\nconsole.log(1);\n`)), true, line));
  });

  it('refuses other interpreters, files without #!, and files with an extension', () => {
    const lines = ['#!/bin/sh', '#!/usr/bin/env python3', '#!/usr/bin/env nodemon', '#!/usr/bin/env deno run', 'console.log(1);', ''];
    lines.forEach((line, index) => assert.equal(isNodeShebangScript(file(`no${index}`, `${line}\nconsole.log(1);\n`)), false, JSON.stringify(line)));
    assert.equal(isNodeShebangScript(file('notes.txt', '#!/usr/bin/env node\n')), false, 'a .txt file is not a script even with the line');
    assert.equal(isNodeShebangScript(path.join(dir, 'missing')), false);
    fs.mkdirSync(path.join(dir, 'folder'));
    assert.equal(isNodeShebangScript(path.join(dir, 'folder')), false);
  });
});

describe('isModuleEntry', () => {
  it('an entry without an extension follows its package.json "type", as a .js entry does', () => {
    file('esm/package.json', '{ "type": "module" }');
    file('cjs/package.json', '{ "name": "plain" }');
    assert.equal(isModuleEntry(file('esm/bin/tool', '#!/usr/bin/env node\n')), true);
    assert.equal(isModuleEntry(file('esm/bin/tool.js', '')), true);
    assert.equal(isModuleEntry(file('cjs/bin/tool', '#!/usr/bin/env node\n')), false);
    assert.equal(isModuleEntry(file('esm/bin/tool.cjs', '')), false);
    assert.equal(isModuleEntry(file('esm/bin/data.json', '')), false);
  });
});
