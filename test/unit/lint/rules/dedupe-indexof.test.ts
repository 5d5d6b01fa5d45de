import { runRuleTests } from '../ruleTester';

runRuleTests('quadratic/dedupe-indexof', {
  valid: [
    { name: 'filter finding duplicates (!==) is not a dedupe', code: 'const dups = xs.filter((v, i) => xs.indexOf(v) !== i);' },
    { name: 'indexOf on another array', code: 'const u = xs.filter((v, i) => ys.indexOf(v) === i);' },
    { name: 'Set dedupe', code: 'const u = [...new Set(xs)];' },
    { name: 'nested loops that do not compare elements', code: 'for (let i = 0; i < a.length; i++) { for (let j = i + 1; j < a.length; j++) { sum += a[i] * a[j]; } }' },
    { name: 'nested loops over different arrays', code: 'for (let i = 0; i < a.length; i++) { for (let j = 0; j < b.length; j++) { if (a[i] === b[j]) n++; } }' },
  ],
  invalid: [
    {
      name: 'filter + indexOf on the same array',
      code: 'const unique = names.filter((name, index) => names.indexOf(name) === index);\n',
      fixed: null,
      suggested: 'const unique = [...new Set(names)];\n',
    },
    {
      name: 'third-parameter form on a call result',
      code: 'const unique = load().filter((v, i, self) => i === self.indexOf(v));\n',
      fixed: null,
      suggested: 'const unique = [...new Set((load()))];\n',
    },
    {
      name: 'block-bodied callback',
      code: 'const unique = xs.filter(function (v, i) { return xs.indexOf(v) === i; });\n',
      fixed: null,
    },
    {
      name: 'nested pairwise duplicate detection',
      code: 'for (let i = 0; i < items.length; i++) {\n  for (let j = i + 1; j < items.length; j++) {\n    if (items[i] === items[j]) hasDuplicate = true;\n  }\n}\n',
      fixed: null,
      messageIncludes: 'pair',
    },
  ],
});
