// Real program: parse lodash's source with acorn, repeatedly (~1 s).
const fs = require('node:fs');
const acorn = require('acorn');
const source = fs.readFileSync(require.resolve('lodash/lodash.js'), 'utf8');
const started = performance.now();
let nodes = 0;
for (let round = 0; round < 3; round++) {
  const ast = acorn.parse(source, { ecmaVersion: 'latest', locations: true }); // USER: parse call
  nodes += ast.body.length;
}
console.log(`nodes=${nodes} elapsed_ms=${(performance.now() - started).toFixed(1)}`);
