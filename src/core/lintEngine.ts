// Entry of dist/lintEngine.js: everything the editor needs from the lint core, in a bundle of its own.
// The parser pulls in the TypeScript compiler (~10 MB); keeping it out of dist/extension.js keeps
// activation cheap, and the editor loads this bundle on the first lint only. The same bundle is the
// worker script of lintFiles (see ./lint/worker), so the compiler ships once.
import './lint/worker';
export * from './lint/engine';
export * from './lint/registry';
export * from './lint/incremental';
export { measureFindings } from './insight/measureFindings';
