// Code made at run time (`new Function`, `eval`, `vm` without a file name), as ajv's validators or
// template engines make it. V8 reports it without a URL (but with a script id of its own), or as
// `evalmachine.<anonymous>`. It is the program's code, not Node's: it is counted and listed as user
// code under a name of its own, and "your code" charges it to the line that called it.
import type { CpuProfileCallFrame } from './types';

const GENERATED_PREFIX = '(generated code';

/** Label of generated code in "→ …" (userLines.via). */
export const GENERATED_CODE_LABEL = 'generated code';

export function isGeneratedCode(callFrame: CpuProfileCallFrame): boolean {
  if (callFrame.url === 'evalmachine.<anonymous>') return true;
  // Builtins and V8's pseudo frames have script id 0; Node's own scripts have node: URLs.
  return callFrame.url === '' && Number(callFrame.scriptId) > 0 && !callFrame.functionName.startsWith('(');
}

/** The name generated code is listed under, one per script: `(generated code #122)`. */
export function generatedCodeFile(callFrame: CpuProfileCallFrame): string {
  return `${GENERATED_PREFIX} #${callFrame.scriptId})`;
}

export function isGeneratedCodeFile(file: string): boolean {
  return file.startsWith(GENERATED_PREFIX);
}
