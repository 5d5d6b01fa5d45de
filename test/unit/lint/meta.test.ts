// Every rule in the registry has a test file and a docs page, and every test file and docs page has a rule.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES, ruleDocsUrl } from '../../../src/core/lint/registry';

const ROOT = path.resolve(__dirname, '../../../..');
const ruleIds = RULES.map(rule => rule.meta.id).sort();

describe('rule registry', () => {
  it('rule ids are family/name and unique', () => {
    assert.equal(new Set(ruleIds).size, ruleIds.length);
    for (const rule of RULES) {
      assert.match(rule.meta.id, /^(quadratic|async)\/[a-z-]+$/);
      assert.equal(rule.meta.id.split('/')[0], rule.meta.family);
      assert.ok(rule.meta.description.length > 20);
    }
  });

  it('every rule has a test file and every rule test file has a rule', () => {
    const tests = fs.readdirSync(path.join(ROOT, 'test/unit/lint/rules')).filter(name => name.endsWith('.test.ts'))
      .map(name => name.replace(/\.test\.ts$/, '')).sort();
    assert.deepEqual(tests, ruleIds.map(id => id.split('/')[1]).sort());
    for (const id of ruleIds) {
      const source = fs.readFileSync(path.join(ROOT, 'test/unit/lint/rules', `${id.split('/')[1]}.test.ts`), 'utf8');
      assert.ok(source.includes(`'${id}'`), `test file for ${id} tests that rule`);
    }
  });

  it('the hotspots.lint.rules setting offers every rule every level the engine takes, hint included', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    interface LevelsSetting { properties: Record<string, { enum: string[] }>; additionalProperties: { enum: string[] } }
    const sections: { properties: Record<string, LevelsSetting> }[] = [manifest.contributes.configuration].flat();
    const setting = sections.map(section => section.properties['hotspots.lint.rules']).find(Boolean)!;
    const levels = ['off', 'hint', 'info', 'warning', 'error'];
    assert.deepEqual(Object.keys(setting.properties).sort(), ruleIds);
    for (const id of ruleIds) assert.deepEqual(setting.properties[id].enum, levels, id);
    assert.deepEqual(setting.additionalProperties.enum, levels);
  });

  it('every rule has a docs page and every docs page has a rule', () => {
    const pages: string[] = [];
    for (const family of fs.readdirSync(path.join(ROOT, 'docs/rules'), { withFileTypes: true })) {
      if (!family.isDirectory()) continue;
      for (const page of fs.readdirSync(path.join(ROOT, 'docs/rules', family.name))) pages.push(`${family.name}/${page.replace(/\.md$/, '')}`);
    }
    assert.deepEqual(pages.sort(), ruleIds);
    for (const id of ruleIds) {
      const page = fs.readFileSync(path.join(ROOT, 'docs/rules', `${id}.md`), 'utf8');
      assert.ok(page.startsWith(`# ${id}\n`), `${id}.md starts with its id`);
      assert.match(page, /## Not reported|## No automatic rewrite|## Always a suggestion/);
      assert.ok(ruleDocsUrl(id).endsWith(`docs/rules/${id}.md`));
    }
  });
});
