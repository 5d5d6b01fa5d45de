// typescript-estree (and with it the TypeScript compiler, ~10 MB) in a bundle of its own, dist/tsParser.js,
// loaded on the first file acorn cannot parse (TypeScript, JSX, sloppy-mode code). Plain JavaScript is
// linted without it: in a fresh editor window the first .js file gets its findings without waiting
// seconds for the compiler to load (measured in bench/first-diagnostics.bench.js).
import type { parse as Parse } from '@typescript-eslint/typescript-estree';
import { distFile } from '../paths';

type ParseFunction = typeof Parse;

let loadedParse: ParseFunction | undefined;

export function typescriptEstreeParse(): ParseFunction {
  // A computed path: esbuild must not inline the compiler into the bundles that import the engine.
  loadedParse ??= (require(distFile('tsParser.js')) as { parse: ParseFunction }).parse;
  return loadedParse;
}


/** Whether this thread has loaded the TypeScript parser (the editor lints TypeScript off-thread until then). */
export function isTypescriptParserLoaded(): boolean {
  return loadedParse !== undefined;
}
