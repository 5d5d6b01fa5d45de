// The text the waits instrumentation adds inside the user's functions, in one place: instrument.ts writes
// it, and `withoutAddedText` takes it back out of what `Function.prototype.toString` returns. Programs send
// a function's source to places where the recorder does not exist: Puppeteer's and Playwright's
// `page.evaluate(async () => …)` run it in the browser, `new Worker(\`(${fn})()\`, { eval: true })` and
// `new Function('return ' + fn)` compile it again; with our text in it they fail with
// "__hsW is not defined".
//
// Each piece is recognizable on its own, without parsing the function: openings name `__hsW`, and every
// closing parenthesis carries a comment no program writes (after it; the arrow's block ends the arrow's
// text, so there the comment comes first, and differs: `)` + `/*__hsW*/` must never be read out of the
// program's own `)` and the start of an arrow's closing). Removing them all gives the text back exactly
// (the instrumentation only inserts). The file's header (`var __hsW=…` at its top level) is never inside
// a function.
export const ADDED = {
  /** `await X` becomes resumed + `await ` + started(K) + X + close + close. */
  resumed: '__hsW.e(__hsI,',
  started: (site: number): string => `__hsW.s(__hsI,__hsb+${site},`,
  /** `for await (… of X)`: X becomes iterated(K) + X + close. */
  iterated: (site: number): string => `__hsW.it(__hsI,__hsb+${site},`,
  close: ')/*__hsW*/',
  /**
   * At the start of an async function's body, after its directives. It starts with `;`: a directive
   * written without one (`'use strict'` then a line break) would otherwise run into it.
   */
  invocation: ';const __hsI=__hsW.n();',
  /** An async arrow's expression body X gets a block: arrowBodyOpen + X + arrowBodyClose. */
  arrowBodyOpen: '{;const __hsI=__hsW.n();return(/*__hsW*/',
  arrowBodyClose: '/*__hsW=>*/)}',
} as const;

/** Any one piece of ADDED. */
const ADDED_PIECE = /__hsW\.e\(__hsI,|__hsW\.(?:s|it)\(__hsI,__hsb\+\d+,|\)\/\*__hsW\*\/|\/\*__hsW=>\*\/\)\}|\{;const __hsI=__hsW\.n\(\);return\(\/\*__hsW\*\/|;const __hsI=__hsW\.n\(\);/g;

/** `source` (a function's text, as V8 gives it) without the text the instrumentation added to it. */
export function withoutAddedText(source: string): string {
  return source.includes('__hsW') ? source.replace(ADDED_PIECE, '') : source;
}
