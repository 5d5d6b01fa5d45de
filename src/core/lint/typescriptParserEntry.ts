// Entry of dist/tsParser.js: typescript-estree's parser and the TypeScript compiler it carries, loaded
// by ./typescriptParser only when a file needs it.
export { parse } from '@typescript-eslint/typescript-estree';
