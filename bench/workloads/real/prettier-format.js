// Real program: format a JavaScript file with prettier (~1 s).
const fs = require('node:fs');
const prettier = require('prettier');
const source = fs.readFileSync(require.resolve('semver/classes/range.js'), 'utf8');
(async () => {
  const started = performance.now();
  let length = 0;
  for (let round = 0; round < 2; round++) length += (await prettier.format(source, { parser: 'babel' })).length; // USER: format
  console.log(`length=${length} elapsed_ms=${(performance.now() - started).toFixed(1)}`);
})();
