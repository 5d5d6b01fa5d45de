// Entry of dist/lintEngine.js: everything the editor needs from the lint core, in a bundle of its own,
// which the editor loads on the first lint only (activation stays cheap). It parses plain JavaScript
// with acorn; the TypeScript compiler (~10 MB, typescript-estree's parser) is one more bundle,
// dist/tsParser.js, loaded on the first file that needs it (./lint/typescriptParser). The same bundle
// is the worker script of lintFiles (see ./lint/worker).
import './lint/worker';
export * from './lint/engine';
export * from './lint/registry';
export * from './lint/incremental';
export { measureFindings } from './insight/measureFindings';
export { isTypescriptParserLoaded } from './lint/typescriptParser';
export { lintWithoutTypes } from './lint/strippedTypeScript';
