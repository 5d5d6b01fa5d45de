import { runRuleTests } from '../ruleTester';

runRuleTests('quadratic/accumulating-spread', {
  valid: [
    { name: 'reduce that mutates', code: 'const m = xs.reduce((acc, x) => { acc[x.id] = x; return acc; }, {});' },
    { name: 'spread of another object', code: 'const m = xs.reduce((acc, x) => ({ ...defaults, [x]: 1 }), {});' },
    { name: 'spread outside a loop', code: 'let list = [];\nlist = [...list, 1];' },
    { name: 'accumulator declared inside the loop', code: 'for (const x of xs) { let acc = []; acc = [...acc, x]; use(acc); }' },
    { name: 'concat outside a loop', code: 'let all = [];\nall = all.concat(more);' },
  ],
  invalid: [
    {
      name: 'array spread in reduce with a fresh initial value: safe fix',
      code: 'const names = users.reduce((acc, u) => [...acc, u.name], []);\n',
      fixed: 'const names = users.reduce((acc, u) => { acc.push(u.name); return acc; }, []);\n',
    },
    {
      name: 'object spread with a static key: safe fix',
      code: 'const flags = keys.reduce((acc, k) => ({ ...acc, enabled: k }), {});\n',
      fixed: 'const flags = keys.reduce((acc, k) => { acc.enabled = k; return acc; }, {});\n',
    },
    {
      name: 'object spread with a computed key: suggestion (__proto__)',
      code: 'const byId = users.reduce((acc, u) => ({ ...acc, [u.id]: u }), {});\n',
      fixed: null,
      suggested: 'const byId = users.reduce((acc, u) => { acc[u.id] = u; return acc; }, {});\n',
    },
    {
      name: 'block body with return',
      code: 'const all = xs.reduce(function (acc, x) { return [...acc, ...x.items]; }, []);\n',
      fixed: 'const all = xs.reduce(function (acc, x) { for (const item of x.items) acc.push(item); return acc; }, []);\n',
    },
    {
      name: 'shared initial value: suggestion only',
      code: 'const all = xs.reduce((acc, x) => [...acc, x], base);\n',
      fixed: null,
    },
    {
      name: 'callback reads the accumulator elsewhere: suggestion only',
      code: 'const all = xs.reduce((acc, x) => [...acc, acc.length + x], []);\n',
      fixed: null,
    },
    {
      name: 'spread reassignment in a for-of loop: safe fix',
      code: 'let list = [];\nfor (const x of xs) {\n  list = [...list, x * 2];\n}\nconsole.log(list);\n',
      fixed: 'let list = [];\nfor (const x of xs) {\n  list.push(x * 2);\n}\nconsole.log(list);\n',
    },
    {
      name: 'concat with an array literal in a loop: safe fix',
      code: 'let out = [];\nfor (const x of xs) out = out.concat([x, x]);\n',
      fixed: 'let out = [];\nfor (const x of xs) out.push(x, x);\n',
    },
    {
      name: 'concat with an unknown value: suggestion (concat flattens arrays only)',
      code: 'let out = [];\nfor (const x of xs) out = out.concat(x.items);\n',
      fixed: null,
    },
    {
      name: 'accumulator kept elsewhere in the loop: suggestion only',
      code: 'let acc = {};\nfor (const x of xs) {\n  acc = { ...acc, last: x };\n  history.push(acc);\n}\n',
      fixed: null,
    },
    {
      name: 'accumulator starting from a shared object: suggestion only',
      code: 'let acc = defaults;\nfor (const x of xs) acc = { ...acc, last: x };\n',
      fixed: null,
    },
  ],
});
