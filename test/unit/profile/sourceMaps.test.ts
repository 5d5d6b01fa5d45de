import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { transformSync } from 'esbuild';
import { buildReport } from '../../../src/core/profile/model';
import { createLocationResolver } from '../../../src/core/profile/sourceMaps';
import type { CpuProfile } from '../../../src/core/profile/types';

// The TypeScript has type-only lines that vanish when transpiled, so generated and original lines differ.
const TS_SOURCE = [
  'interface Point {', //            1
  '  x: number;', //                 2
  '  y: number;', //                 3
  '}', //                            4
  'type Pair = [Point, Point];', //  5
  '', //                             6
  'export function sumSquares(n: number): number {', // 7
  '  let total: number = 0;', //     8
  '  for (let i = 0; i < n; i++) {', // 9
  '    total += i * i; // HOT', //   10
  '  }', //                          11
  '  return total;', //              12
  '}', //                            13
  'export const pairs: Pair[] = [];', // 14
].join('\n');

interface Built {
  dir: string;
  tsFile: string;
  jsFile: string;
  code: string;
  map: string;
}

const temporaryDirs: string[] = [];
after(() => {
  for (const dir of temporaryDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function build(mapReference: 'external' | 'inline' | 'none' | 'missing'): Built {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-maps-'));
  temporaryDirs.push(dir);
  fs.mkdirSync(path.join(dir, 'src'));
  fs.mkdirSync(path.join(dir, 'dist'));
  const tsFile = path.join(dir, 'src', 'app.ts');
  fs.writeFileSync(tsFile, TS_SOURCE);
  const jsFile = path.join(dir, 'dist', 'app.js');
  // Like tsc/esbuild output: sources relative to the map file, with a sourceRoot.
  const result = transformSync(TS_SOURCE, { loader: 'ts', format: 'cjs', sourcemap: 'external', sourcefile: 'app.ts' });
  const mapObject = { ...JSON.parse(result.map), sourceRoot: '../src' };
  const map = JSON.stringify(mapObject);
  let code = result.code;
  if (mapReference === 'external') {
    fs.writeFileSync(`${jsFile}.map`, map);
    code += '//# sourceMappingURL=app.js.map\n';
  } else if (mapReference === 'inline') {
    code += `//# sourceMappingURL=data:application/json;base64,${Buffer.from(map).toString('base64')}\n`;
  } else if (mapReference === 'missing') {
    code += '//# sourceMappingURL=gone.js.map\n';
  }
  fs.writeFileSync(jsFile, code);
  return { dir, tsFile, jsFile, code: result.code, map };
}

/** 0-based line of the first generated line containing `text`. */
function generatedLine0(code: string, text: string): number {
  const index = code.split('\n').findIndex(line => line.includes(text));
  assert.ok(index >= 0, `generated code contains ${text}`);
  return index;
}

function profileFor(url: string, code: string, sourceMaps?: Record<string, unknown>): CpuProfile {
  const functionLine0 = generatedLine0(code, 'function sumSquares');
  const hotLine1 = generatedLine0(code, 'total += i * i') + 1;
  const returnLine1 = generatedLine0(code, 'return total') + 1;
  return {
    nodes: [
      { id: 1, callFrame: { functionName: '(root)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 }, children: [2] },
      {
        id: 2,
        callFrame: { functionName: 'sumSquares', scriptId: '1', url, lineNumber: functionLine0, columnNumber: code.split('\n')[functionLine0].indexOf('function') },
        positionTicks: [{ line: hotLine1, ticks: 3 }, { line: returnLine1, ticks: 1 }],
      },
    ],
    startTime: 0,
    endTime: 4000,
    samples: [2, 2, 2, 2],
    timeDeltas: [0, 1000, 1000, 1000],
    $hotspots: { pid: 1, ppid: 0, threadId: 0, kind: 'main', argv: [], sampleIntervalUs: 1000, inliningDisabled: true, sourceMaps },
  };
}

const options = { command: [], exitCode: 0, signal: null, wallMs: 0 };

test('lines and functions map to the original TypeScript through an external map with sourceRoot', () => {
  const built = build('external');
  assert.notEqual(generatedLine0(built.code, 'total += i * i') + 1, 10, 'the test needs generated lines that differ from the original');
  const report = buildReport([{ path: 'p.cpuprofile', profile: profileFor(pathToFileURL(built.jsFile).href, built.code) }], options);
  assert.deepEqual(report.lines.map(line => [line.file, line.line, line.selfMs]), [[built.tsFile, 10, 3], [built.tsFile, 12, 1]]);
  assert.deepEqual(report.functions.map(fn => [fn.name, fn.file, fn.line]), [['sumSquares', built.tsFile, 7]]);
  assert.deepEqual(report.warnings, []);
});

test('inline data: URL maps are used', () => {
  const built = build('inline');
  const report = buildReport([{ path: 'p.cpuprofile', profile: profileFor(built.jsFile, built.code) }], options);
  assert.deepEqual(report.lines.map(line => [line.file, line.line]), [[built.tsFile, 10], [built.tsFile, 12]]);
});

test('maps embedded by the preload in $hotspots.sourceMaps win and need no file on disk', () => {
  const built = build('none');
  // The preload transpiles app.ts in memory: V8 reports the .ts URL with generated line numbers.
  const url = pathToFileURL(built.tsFile).href;
  const embedded = { ...JSON.parse(built.map), sourceRoot: '', sources: ['app.ts'] };
  const report = buildReport([{ path: 'p.cpuprofile', profile: profileFor(url, built.code, { [url]: embedded }) }], options);
  assert.deepEqual(report.lines.map(line => [line.file, line.line]), [[built.tsFile, 10], [built.tsFile, 12]]);
  assert.equal(report.functions[0].line, 7);
});

test('a missing map falls back to generated lines with one warning per script', () => {
  const built = build('missing');
  const profile = profileFor(built.jsFile, built.code);
  const report = buildReport([{ path: 'a.cpuprofile', profile }, { path: 'b.cpuprofile', profile }], options);
  const hotLine = generatedLine0(built.code, 'total += i * i') + 1;
  assert.deepEqual(report.lines[0], { ...report.lines[0], file: built.jsFile, line: hotLine });
  assert.equal(report.warnings.length, 1, report.warnings.join('\n'));
  assert.match(report.warnings[0], new RegExp(`source map for ${escape(built.jsFile)} could not be read \\(ENOENT: .*gone\\.js\\.map\\); showing generated lines`));
});

test('a broken map and a map pointing to missing sources each warn once and show generated lines', () => {
  const broken = build('external');
  fs.writeFileSync(`${broken.jsFile}.map`, '{"version": 3, "mappings": ');
  const nowhere = build('external');
  fs.rmSync(nowhere.tsFile);
  // Without sourcesContent the missing source cannot be shown (with it, see real-programs.test.ts).
  const map = JSON.parse(fs.readFileSync(`${nowhere.jsFile}.map`, 'utf8'));
  delete map.sourcesContent;
  fs.writeFileSync(`${nowhere.jsFile}.map`, JSON.stringify(map));
  const report = buildReport(
    [
      { path: 'a.cpuprofile', profile: profileFor(broken.jsFile, broken.code) },
      { path: 'b.cpuprofile', profile: profileFor(nowhere.jsFile, nowhere.code) },
    ],
    options,
  );
  assert.equal(report.warnings.length, 2, report.warnings.join('\n'));
  assert.match(report.warnings[0], /source map for .*app\.js could not be read \(.*JSON.*\); showing generated lines/);
  assert.match(report.warnings[1], new RegExp(`points to ${escape(nowhere.tsFile)}, which does not exist; showing generated lines`));
  assert.ok(report.lines.every(line => line.file.endsWith('app.js')));
});

test('the resolver is reusable on its own, caches per script and maps with columns', () => {
  const built = build('external');
  const resolver = createLocationResolver();
  const line0 = generatedLine0(built.code, 'function sumSquares');
  const column0 = built.code.split('\n')[line0].indexOf('sumSquares');
  const url = pathToFileURL(built.jsFile).href;
  assert.deepEqual(resolver.resolve(url, line0, column0), { file: built.tsFile, line: 7, mapped: true });
  fs.rmSync(`${built.jsFile}.map`);
  assert.deepEqual(resolver.resolve(url, line0, column0), { file: built.tsFile, line: 7, mapped: true }, 'second lookup uses the cache');
  assert.deepEqual(resolver.resolve('node:fs', 10), { file: 'node:fs', line: 11, mapped: false });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

test('unusable maps of dependencies make one summary warning, not one per file (and per run)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-depmaps-'));
  try {
    const scripts = ['node_modules/alpha/a.js', 'node_modules/alpha/b.js', 'node_modules/@s/beta/c.js', 'src/own.js'].map(relative => {
      const file = path.join(dir, relative);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, 'x();\n//# sourceMappingURL=missing.js.map\n');
      return file;
    });
    const resolver = createLocationResolver();
    for (const file of scripts) resolver.resolve(pathToFileURL(file).href, 0);
    assert.equal(resolver.warnings.length, 2, resolver.warnings.join('\n'));
    assert.match(resolver.warnings[0], /source map for .*own\.js could not be read/);
    assert.equal(resolver.warnings[1], 'the source maps of 3 files of 2 dependencies @s/beta, alpha could not be used (broken, or pointing to sources not shipped); showing their generated lines');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a minified line holding several functions: a tick stays inside its own function, on that function\'s first line', () => {
  const source = [
    'export function first(items) {', //        1
    '  let count = 0;', //                      2
    '  for (const item of items) count += item.length;', // 3
    '  return count;', //                       4
    '}', //                                     5
    'export function second(items) {', //       6
    '  const seen = new Set();', //             7
    '  for (const item of items) seen.add(item);', // 8
    '  return seen.size;', //                   9
    '}', //                                     10
  ].join('\n');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-maps-'));
  temporaryDirs.push(dir);
  const sourceFile = path.join(dir, 'lib.js');
  fs.writeFileSync(sourceFile, source);
  const result = transformSync(source, { loader: 'js', format: 'cjs', minifyWhitespace: true, sourcemap: 'external', sourcefile: 'lib.js' });
  const code = result.code.trimEnd();
  assert.equal(code.split('\n').length, 1, 'one generated line');
  const minified = path.join(dir, 'lib.min.js');
  fs.writeFileSync(`${minified}.map`, result.map);
  fs.writeFileSync(minified, `${code}\n//# sourceMappingURL=lib.min.js.map\n`);
  const url = pathToFileURL(minified).href;
  const frame = (id: number, functionName: string) => ({
    id, callFrame: { functionName, scriptId: '1', url, lineNumber: 0, columnNumber: code.indexOf(`function ${functionName}(`) }, positionTicks: [{ line: 1, ticks: 2 }],
  });
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: { functionName: '(root)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 }, children: [2, 3] },
      frame(2, 'first'),
      frame(3, 'second'),
    ],
    startTime: 0, endTime: 4000, samples: [2, 2, 3, 3], timeDeltas: [0, 1000, 1000, 1000],
    $hotspots: { pid: 1, ppid: 0, threadId: 0, kind: 'main', argv: [], sampleIntervalUs: 1000, inliningDisabled: true },
  };
  const report = buildReport([{ path: 'p.cpuprofile', profile }], options);
  const lineOf = (functionName: string) => report.lines.filter(line => line.function === functionName).map(line => [line.file, line.line]);
  // Before: both functions' ticks went to the line's first mapping, line 1 (inside `first`).
  assert.deepEqual(lineOf('first'), [[sourceFile, 1]]);
  assert.deepEqual(lineOf('second'), [[sourceFile, 6]]);
});

test('a script whose map puts many lines on each line (tsx, a minified build) gets one warning; a few joined lines (Babel) none', async () => {
  const { encode } = await import('@jridgewell/sourcemap-codec');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-minified-'));
  try {
    const fileOf = (name: string): string => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, Array.from({ length: 30 }, (_, i) => `// line ${i + 1}`).join('\n'));
      return file;
    };
    const [babel, tsx] = [fileOf('babel.ts'), fileOf('tsx.ts')];
    // Babel: one line per line, except one multi-line call printed on a single line (original lines 5-7).
    const babelLines = Array.from({ length: 25 }, (_, line) => (line === 4 ? [[0, 0, 4, 0], [10, 0, 5, 2], [20, 0, 6, 2]] : [[0, 0, line < 4 ? line : line + 2, 0]]));
    // tsx: the whole file's code on the second generated line (the first is its wrapper).
    const tsxLines = [[], Array.from({ length: 20 }, (_, index) => [index * 10, 0, index, 0])];
    const metaOf = (file: string, lines: number[][][]) => ({ sourceMaps: { [pathToFileURL(file).href]: { version: 3, sources: [path.basename(file)], names: [], mappings: encode(lines as [number, number, number, number][][]) } } });
    const resolver = createLocationResolver([metaOf(babel, babelLines), metaOf(tsx, tsxLines)] as never[]);
    for (let line0 = 0; line0 < 25; line0++) resolver.resolve(pathToFileURL(babel).href, line0);
    assert.deepEqual(resolver.warnings, [], 'joined call arguments are not minified code');
    assert.deepEqual(resolver.resolve(pathToFileURL(tsx).href, 1), { file: tsx, line: 1, mapped: true });
    assert.equal(resolver.warnings.length, 1);
    assert.match(resolver.warnings[0], new RegExp(`^${escape(tsx)} ran as minified code.*first line of each function.*tsx compiles TypeScript so`));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
