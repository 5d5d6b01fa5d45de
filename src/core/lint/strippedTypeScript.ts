// A first lint of a TypeScript file before the TypeScript parser is loaded (it takes seconds on a busy
// editor host). Node 22.13+ can blank out a file's type syntax with spaces (`module.stripTypeScriptTypes`,
// mode 'strip'), which keeps every offset, line and column; what is left is JavaScript that acorn parses
// in milliseconds. The findings are those the rules see without types: the ones that need a declared
// type as evidence come with the full lint, which replaces these. They carry no fixes: a fix built from
// the blanked text would drop the type annotations inside the range it rewrites.
import { createRequire } from 'node:module';
import { lintWith, parseJsFast } from './engine';
import type { Finding, LintOptions } from './types';

type StripTypes = (code: string, options: { mode: 'strip' }) => string;

/** .ts/.mts/.cts: type stripping does not take JSX. */
const STRIPPABLE = /\.[cm]?ts$/i;

/** Node's type stripper, looked up once (undefined: not looked up yet; null: this Node has none). */
let stripTypes: StripTypes | null | undefined;

function stripTypesFunction(): StripTypes | null {
  if (stripTypes !== undefined) return stripTypes;
  try {
    // createRequire: the bundler must not resolve `node:module` at build time, and a module namespace
    // import would fail to load on a Node without the function.
    const strip = (createRequire(__filename)('node:module') as { stripTypeScriptTypes?: unknown }).stripTypeScriptTypes;
    stripTypes = typeof strip === 'function' ? strip as StripTypes : null;
  } catch {
    stripTypes = null;
  }
  return stripTypes;
}

/**
 * Findings of `text` (a .ts/.mts/.cts file) linted with its types blanked out, without fixes; null when
 * this Node cannot strip types, the file uses syntax stripping does not take (enums, namespaces,
 * parameter properties, `<T>x` casts), or the result does not parse as JavaScript: the caller then waits
 * for the full lint.
 */
export function lintWithoutTypes(text: string, options: LintOptions): Finding[] | null {
  const strip = STRIPPABLE.test(options.fileName) ? stripTypesFunction() : null;
  if (!strip) return null;
  let blanked: string;
  try {
    blanked = withoutExperimentalWarning(() => strip(text, { mode: 'strip' }));
  } catch {
    return null;
  }
  if (blanked.length !== text.length) return null; // offsets must be the user's
  const ast = parseJsFast(blanked);
  if (!ast) return null;
  return lintWith(blanked, options, () => ast).map(finding => ({ ...finding, fix: null, suggestions: [] }));
}

/**
 * Node prints "stripTypeScriptTypes is an experimental feature" once per process; in the editor's host
 * that line is noise from a feature the user did not call.
 */
function withoutExperimentalWarning<T>(run: () => T): T {
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (/stripTypeScriptTypes/.test(text)) return;
    (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return run();
  } finally {
    process.emitWarning = emitWarning;
  }
}
