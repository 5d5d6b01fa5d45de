// Real program: transpile a TypeScript source with the TypeScript compiler API (~1 s).
const fs = require('node:fs');
const ts = require('typescript');
const source = fs.readFileSync(require.resolve('typescript/lib/lib.es5.d.ts'), 'utf8').replace(/declare /g, '') + '\nexport const answer: number = 42;\n';
const started = performance.now();
let length = 0;
for (let round = 0; round < 2; round++) length += ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS } }).outputText.length; // USER: transpile
console.log(`length=${length} elapsed_ms=${(performance.now() - started).toFixed(1)}`);
