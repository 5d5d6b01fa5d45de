// The layering rule of DEVELOPERS-NOTES.md, checked on the sources: src/core never imports 'vscode', the
// host or the CLI; core's folders (and shared/) do not import each other in a cycle; the preload bundle
// only uses Node built-ins. A failure names the offending imports (file:line → target).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { packageRoot } from '../../src/core/paths';

const SRC = path.join(packageRoot(), 'src');

interface ImportEdge {
  /** relative to src/, with / separators */
  from: string;
  line: number;
  specifier: string;
  /** resolved file relative to src/, or undefined for packages and built-ins */
  target: string | undefined;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Static imports, re-exports, `import type`, dynamic `import()` and `require()` (comments stripped). */
export function importsOf(file: string): ImportEdge[] {
  const text = fs.readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, match => match.replace(/[^\n]/g, ' ')).replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
  const from = path.relative(SRC, file).split(path.sep).join('/');
  const edges: ImportEdge[] = [];
  const patterns = [/\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const pattern of patterns) {
    for (const match of text.matchAll(pattern)) {
      const specifier = match[1];
      const line = text.slice(0, match.index).split('\n').length;
      edges.push({ from, line, specifier, target: resolveSpecifier(file, specifier) });
    }
  }
  return edges;
}

function resolveSpecifier(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(file), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return path.relative(SRC, candidate).split(path.sep).join('/');
  }
  return path.relative(SRC, base).split(path.sep).join('/');
}

/** core/<folder> for files in a folder of core, core/<file> for core's top-level files, else the top folder. */
function layerOf(file: string): string {
  const parts = file.split('/');
  if (parts[0] === 'core') return parts.length > 2 ? `core/${parts[1]}` : `core/${parts[1].replace(/\.tsx?$/, '')}`;
  return parts.length > 1 ? parts[0] : parts[0].replace(/\.tsx?$/, '');
}

const describeEdge = (edge: ImportEdge): string => `src/${edge.from}:${edge.line} → '${edge.specifier}'`;

/** Folder-level cycles (strongly connected components with more than one folder), with the imports inside them. */
export function folderCycles(edges: readonly ImportEdge[], layers: (file: string) => string): string[][] {
  const graph = new Map<string, Map<string, ImportEdge[]>>();
  for (const edge of edges) {
    if (!edge.target) continue;
    const a = layers(edge.from);
    const b = layers(edge.target);
    if (a === b) continue;
    if (!graph.has(a)) graph.set(a, new Map());
    if (!graph.has(b)) graph.set(b, new Map());
    const list = graph.get(a)!.get(b) ?? [];
    list.push(edge);
    graph.get(a)!.set(b, list);
  }
  // Tarjan's strongly connected components.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node)!.keys()) {
      if (!index.has(next)) {
        connect(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) components.push(component);
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) connect(node);
  return components.map(component => {
    const members = new Set(component);
    const imports: string[] = [`cycle between ${component.sort().join(', ')}:`];
    for (const a of component) for (const [b, list] of graph.get(a)!) if (members.has(b)) imports.push(...list.map(describeEdge));
    return imports;
  });
}

const allEdges = sourceFiles(SRC).flatMap(importsOf);

describe('layering', () => {
  test('src/core never imports vscode, the host, the CLI or the extension entry', () => {
    const offending = allEdges.filter(edge => edge.from.startsWith('core/') && (
      edge.specifier === 'vscode' || (edge.target !== undefined && /^(host\/|cli\/|cli\.ts$|extension\.ts$|webview\/)/.test(edge.target))
    ));
    assert.deepEqual(offending.map(describeEdge), []);
  });

  test("no import cycles between core's folders, shared/ and the other top-level folders", () => {
    assert.deepEqual(folderCycles(allEdges, layerOf), []);
  });

  test('the preload (dist/preload.js) only uses Node built-ins, through src files that do the same', () => {
    const problems: string[] = [];
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const edge of importsOf(path.join(SRC, file))) {
        if (edge.target) {
          if (!/^import type|^export type/.test(fs.readFileSync(path.join(SRC, file), 'utf8').split('\n')[edge.line - 1].trim())) visit(edge.target);
        } else if (!edge.specifier.startsWith('node:') && edge.specifier !== 'esbuild') {
          problems.push(describeEdge(edge));
        }
      }
    };
    visit('core/profile/preload.ts');
    assert.deepEqual(problems, []);
    assert.ok(seen.has('core/profile/runProtocol.ts'), 'the preload reads the run protocol from runProtocol.ts');
  });

  /** What evaluating `entries` loads: files of src/ and built-in modules, through static, non-type imports. */
  const loadedWith = (...entries: string[]): { files: Set<string>; builtins: Set<string> } => {
    const [files, builtins] = [new Set<string>(), new Set<string>()];
    const visit = (file: string): void => {
      if (files.has(file)) return;
      files.add(file);
      const lines = fs.readFileSync(path.join(SRC, file), 'utf8').split('\n');
      for (const edge of importsOf(path.join(SRC, file))) {
        const statement = lines[edge.line - 1].trim();
        if (/^import type|^export type/.test(statement) || /\b(import|require)\s*\(/.test(statement)) continue;
        if (edge.target) visit(edge.target);
        else if (edge.specifier.startsWith('node:')) builtins.add(edge.specifier);
      }
    };
    for (const entry of entries) visit(entry);
    return { files, builtins };
  };

  test('`hotspots profile` starts the program before it loads the report model', () => {
    // What the CLI evaluates before the program starts (profileCommand's static imports, transitively): the
    // report side loads while a child runs, or after the program in the CLI's process (fixed-cost bench).
    const loadedBeforeSpawn = loadedWith('cli/profileCommand.ts').files;
    assert.ok(loadedBeforeSpawn.has('core/profile/launch.ts'));
    const reportSide = [...loadedBeforeSpawn].filter(file => /^core\/(profile\/(model|runReport|sourceContext|sourceMaps|format|importers\/|memory\/(allocations|runMemory))|flame\/)/.test(file));
    assert.deepEqual(reportSide, []);
  });

  test('a profile run and its report load no crypto, zlib or child_process until they are used', () => {
    // All of `hotspots profile <script>` run in the CLI's process: the command, the report and its text.
    // Each of these modules costs ~3-8 ms to load (bench/fixed-cost.bench.js); they load where used (the
    // pprof importer, a spawned child).
    const { files, builtins } = loadedWith('cli.ts', 'cli/profileCommand.ts', 'core/profile/runReport.ts', 'core/profile/format.ts', 'core/profile/memory/format.ts');
    assert.ok(files.has('core/profile/importers/index.ts') && builtins.has('node:fs'), 'the walk reaches the importers and sees built-ins');
    assert.deepEqual(['node:crypto', 'node:zlib', 'node:child_process'].filter(name => builtins.has(name)), []);
  });

  test('the checks see a cycle and a core → host import when there is one', () => {
    const edges: ImportEdge[] = [
      { from: 'core/a/x.ts', line: 3, specifier: '../b/y', target: 'core/b/y.ts' },
      { from: 'core/b/y.ts', line: 7, specifier: '../a/x', target: 'core/a/x.ts' },
    ];
    assert.deepEqual(folderCycles(edges, layerOf), [['cycle between core/a, core/b:', "src/core/a/x.ts:3 → '../b/y'", "src/core/b/y.ts:7 → '../a/x'"]]);
    const parsed = importsOf(path.join(SRC, 'core', 'profile', 'launch.ts'));
    assert.ok(parsed.some(edge => edge.target === 'core/profile/runProtocol.ts'), 'imports are parsed and resolved');
  });
});
