// TypeScript projects run as tsx and ts-node run them (the nearest tsconfig.json, `extends` followed): its
// decorator, class-field and module-resolution settings decide what runs. Each fixture fails or behaves
// differently without them; the output is compared with what tsc's own emit prints.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fixture, linesOf, markedLines, runProfileCli } from './profileHelpers';

describe('hotspots profile: a TypeScript project\'s tsconfig.json', () => {
  test('CommonJS: legacy decorators, class fields as the target emits them, `paths` from an extended config', async () => {
    const run = await runProfileCli([fixture('ts-project', 'cjs', 'src', 'main.ts')]);
    assert.equal(run.code, 0, run.stderr);
    // `declared!: number` under ES2019 is no field at all (tsc); a legacy decorator gets the descriptor.
    assert.match(run.stdout, /^total 6 calls total declared field false settings "\/\/" ,\}$/m, run.stdout + run.stderr);
  });

  for (const mode of [[], ['--separate-process']]) {
    test(`ES modules (moduleResolution bundler): imports without extension, a folder's index, \`paths\` and \`baseUrl\` ${mode.join(' ')}`, async () => {
      const run = await runProfileCli([...mode, fixture('ts-project', 'esm', 'src', 'main.ts')]);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /^area 25 top-level await$/m, run.stdout + run.stderr);
    });
  }

  test('a NestJS application: decorator metadata (emitDecoratorMetadata) lets its dependency injection work, and the hot line is the TypeScript line', async () => {
    const main = fixture('ts-project', 'nest', 'src', 'main.ts');
    const run = await runProfileCli([main]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^unique 1000$/m, run.stdout + run.stderr);
    const [hot] = markedLines(main);
    const own = linesOf(run.report!, main).sort((a, b) => b.selfMs - a.selfMs);
    assert.equal(own[0]?.line, hot, JSON.stringify(own.slice(0, 3)));
    // TypeScript's compiler compiled it inside the program: its time is the profiler's, not a dependency's.
    assert.deepEqual(run.report!.lines.filter(line => /[\\/]typescript[\\/]/.test(line.file)).map(line => line.file), []);
  });

  test('a missing module fails with Node\'s own message from Node\'s own line (not the profiler\'s)', async () => {
    const run = await runProfileCli([fixture('ts-project', 'cjs', 'src', 'missing.ts')]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /Cannot find module '@lib\/absent'/);
    // The place Node prints above the message (before, a rethrow in the preload put its own line there).
    const [where, source] = run.stderr.split('\n').filter(line => line.trim() !== '' && !line.startsWith('hotspots:'));
    assert.match(where, /^node:internal\/modules\/cjs\/loader:\d+$/, run.stderr);
    assert.equal(source.trim(), 'throw err;');
  });
});
