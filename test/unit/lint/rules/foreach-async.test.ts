import { runRuleTests } from '../ruleTester';

runRuleTests('async/foreach-async', {
  valid: [
    { name: 'synchronous callback', code: 'xs.forEach(x => log(x));' },
    { name: 'map with async callback awaited', code: 'async function f() { await Promise.all(xs.map(async x => save(x))); }' },
  ],
  invalid: [
    {
      name: 'in an async function: suggestion to await Promise.all over map',
      code: 'async function f(xs) {\n  xs.forEach(async (x) => { await save(x); });\n  done();\n}\n',
      fixed: null,
      suggested: 'async function f(xs) {\n  await Promise.all(xs.map(async (x) => { await save(x); }));\n  done();\n}\n',
    },
    {
      name: 'outside an async function: reported without a rewrite',
      code: 'function f(xs) { xs.forEach(async function (x) { await save(x); }); }\n',
      fixed: null,
    },
  ],
});
