import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseJsonWithComments, ProjectConfigs } from '../../../src/core/profile/tsconfig';
import { transpileTypeScript, type EsbuildTransformer } from '../../../src/core/profile/transpile';

/** A project tree in a temp dir: path → content. */
function project(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-tsconfig-'));
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  }
  return root;
}

test('tsconfig JSON: comments and trailing commas go, strings that look like them stay', () => {
  const text = '\ufeff{ // a comment\n "a": "x // not a comment, }", /* block\n */ "b": [1, 2, ], "c": { "d": "/* kept */", },\n}';
  assert.deepEqual(parseJsonWithComments(text), { a: 'x // not a comment, }', b: [1, 2], c: { d: '/* kept */' } });
  assert.throws(() => parseJsonWithComments('{ "a": }'), SyntaxError);
});

test('the nearest tsconfig.json applies, `extends` followed (a path without .json, a package, a list), later options win', () => {
  const root = project({
    'node_modules/@tsconfig/node20/tsconfig.json': '{ "compilerOptions": { "target": "es2022", "useDefineForClassFields": false } }',
    'configs/base.json': '{ "compilerOptions": { "experimentalDecorators": true, "jsx": "react", "outDir": "dist" } }',
    'app/tsconfig.json': '{ "extends": ["@tsconfig/node20/tsconfig.json", "../configs/base"], "compilerOptions": { "useDefineForClassFields": true } }',
    'app/src/deep/file.ts': '',
  });
  const options = new ProjectConfigs().forFile(path.join(root, 'app/src/deep/file.ts'));
  assert.equal(options?.configFile, path.join(root, 'app/tsconfig.json'));
  // Only what esbuild reads; outDir is not one of them.
  assert.deepEqual(options?.compilerOptions, { target: 'es2022', useDefineForClassFields: true, experimentalDecorators: true, jsx: 'react' });
  assert.equal(options?.decoratorMetadata, null);
});

test('two bases that extend a common one are no circle; a real circle is said', () => {
  const root = project({
    'common.json': '{ "compilerOptions": { "experimentalDecorators": true } }',
    'a.json': '{ "extends": "./common.json", "compilerOptions": { "jsx": "react" } }',
    'b.json': '{ "extends": "./common.json", "compilerOptions": { "target": "ES2019" } }',
    'app/tsconfig.json': '{ "extends": ["../a.json", "../b.json"] }',
    'app/x.ts': '',
    'loop/tsconfig.json': '{ "extends": "./other.json" }',
    'loop/other.json': '{ "extends": "./tsconfig.json" }',
    'loop/x.ts': '',
  });
  const warnings: string[] = [];
  const configs = new ProjectConfigs(message => warnings.push(message));
  assert.deepEqual(configs.forFile(path.join(root, 'app/x.ts'))?.compilerOptions, { experimentalDecorators: true, jsx: 'react', target: 'ES2019' });
  assert.equal(configs.forFile(path.join(root, 'loop/x.ts')), null);
  assert.deepEqual(warnings.map(warning => /goes round in a circle/.test(warning)), [true]);
});

test('a config that cannot be read is said once and the files run with the defaults', () => {
  const root = project({ 'tsconfig.json': '{ "extends": "./missing-base" }', 'a.ts': '', 'b.ts': '' });
  const warnings: string[] = [];
  const configs = new ProjectConfigs(message => warnings.push(message));
  assert.equal(configs.forFile(path.join(root, 'a.ts')), null);
  assert.equal(configs.forFile(path.join(root, 'b.ts')), null);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /missing-base.*not found/);
});

test('`paths`: an exact pattern first, else the longest prefix; targets relative to baseUrl, else to the config that declares them; then baseUrl', () => {
  const root = project({
    'base/tsconfig.json': '{ "compilerOptions": { "paths": { "@app/*": ["../src/app/*", "../fallback/*"], "@app/core/*": ["../src/core/*"], "config": ["../src/config.ts"] } } }',
    'tsconfig.json': '{ "extends": "./base/tsconfig.json" }',
    'src/main.ts': '',
    'with-base-url/tsconfig.json': '{ "compilerOptions": { "baseUrl": "./src", "paths": { "#lib/*": ["${configDir}/lib/*"] } } }',
    'with-base-url/src/main.ts': '',
    'node_modules/dep/index.ts': '',
  });
  const configs = new ProjectConfigs();
  const from = path.join(root, 'src/main.ts');
  assert.deepEqual(configs.aliasCandidates('@app/core/db', from), [path.join(root, 'src/core/db')]);
  assert.deepEqual(configs.aliasCandidates('@app/ui', from), [path.join(root, 'src/app/ui'), path.join(root, 'fallback/ui')]);
  assert.deepEqual(configs.aliasCandidates('config', from), [path.join(root, 'src/config.ts')]);
  assert.deepEqual(configs.aliasCandidates('lodash', from), []);
  for (const notBare of ['./x', '../x', '/abs/x', 'node:fs', 'file:///x']) assert.deepEqual(configs.aliasCandidates(notBare, from), [], notBare);
  // Dependencies resolve as their own package says, not through the user's aliases.
  assert.deepEqual(configs.aliasCandidates('@app/ui', path.join(root, 'node_modules/dep/index.ts')), []);
  const fromBaseUrl = path.join(root, 'with-base-url/src/main.ts');
  assert.deepEqual(configs.aliasCandidates('#lib/x', fromBaseUrl), [path.join(root, 'with-base-url/lib/x'), path.join(root, 'with-base-url/src/#lib/x')]);
  assert.deepEqual(configs.aliasCandidates('utils/strings', fromBaseUrl), [path.join(root, 'with-base-url/src/utils/strings')]);
});

test('decorator metadata: the project\'s own TypeScript compiles files with decorators; other files and projects stay with esbuild', () => {
  const root = project({
    'tsconfig.json': '{ "compilerOptions": { "experimentalDecorators": true, "emitDecoratorMetadata": true, "target": "ES2022", "outDir": "dist" } }',
    'src/a.ts': '',
  });
  // The project's typescript is the one its node_modules holds: here, this repository's.
  fs.symlinkSync(path.join(__dirname, '../../../../node_modules'), path.join(root, 'node_modules'));
  const configs = new ProjectConfigs();
  const options = configs.forFile(path.join(root, 'src/a.ts'));
  assert.deepEqual(options?.decoratorMetadata, { target: 'ES2022', experimentalDecorators: true, emitDecoratorMetadata: true });
  assert.equal(configs.compilerFor(options, 'export const plain = 1;'), null);
  // JSDoc tags and addresses are not decorators: such files stay with esbuild (faster).
  assert.equal(configs.compilerFor(options, '/**\n * @param to the address\n */\nexport const send = (to = "ops@example.com") => to;'), null);
  assert.ok(configs.compilerFor(options, 'class A { constructor(@Inject(B) b: unknown) {} }'), 'a parameter decorator');
  const compiler = configs.compilerFor(options, '@Injectable() export class A { constructor(private b: B) {} }');
  assert.ok(compiler, 'typescript loaded from the project');
  assert.match(configs.compilerUrls()[0], /^file:.*[\\/]typescript[\\/]/);
  const esbuild = require('esbuild') as EsbuildTransformer;
  const file = path.join(root, 'src/a.ts');
  const emitted = transpileTypeScript(esbuild, 'class B {}\n@Injectable()\nexport class A { constructor(private b: B) {} }\nfunction Injectable() { return (_: unknown) => {}; }', file, 'cjs', options, compiler);
  assert.match(emitted.code, /__metadata\("design:paramtypes", \[B\]\)/, 'the constructor types are emitted');
  assert.deepEqual(emitted.map.sources, [file]);
  // Broken syntax is an error where it is, as Node reports one (TypeScript would still emit something).
  assert.throws(() => transpileTypeScript(esbuild, '@D\nclass A {\n  m() { return 1 +; }\n}\n', file, 'cjs', options, compiler),
    (error: Error) => error instanceof SyntaxError && /^.*a\.ts:3\n {2}m\(\) \{ return 1 \+; \}\n {18}\^\n\nSyntaxError: Expression expected\./.test(error.stack ?? ''));

  const bare = project({ 'tsconfig.json': '{ "compilerOptions": { "experimentalDecorators": true, "emitDecoratorMetadata": true } }', 'a.ts': '' });
  const warnings: string[] = [];
  const withoutTypeScript = new ProjectConfigs(message => warnings.push(message));
  const bareOptions = withoutTypeScript.forFile(path.join(bare, 'a.ts'));
  assert.equal(withoutTypeScript.compilerFor(bareOptions, '@Injectable() class A {}'), null);
  assert.equal(withoutTypeScript.compilerFor(bareOptions, '@Injectable() class B {}'), null);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /emitDecoratorMetadata.*typescript/);
});
