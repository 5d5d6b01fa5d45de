import { runRuleTests } from '../ruleTester';

runRuleTests('quadratic/shift-in-loop', {
  valid: [
    { name: 'shift outside a loop', code: 'const queue = [1, 2];\nconst first = queue.shift();' },
    { name: 'queue created per iteration', code: 'for (const x of xs) { const q = Array.from(x); q.shift(); }' },
    { name: 'shift on a non-array (unknown receiver)', code: 'while (stream.readable) { stream.shift(); }' },
  ],
  invalid: [
    {
      name: 'BFS queue drained with shift',
      code: 'const queue = [root];\nwhile (queue.length > 0) {\n  const node = queue.shift();\n  for (const child of node.children) queue.push(child);\n}\n',
      fixed: null,
      suggestionCount: 0,
      messageIncludes: 'shift',
    },
    {
      name: 'unshift in a loop',
      code: 'const out: number[] = [];\nfor (const x of xs) out.unshift(x);\n',
      fixed: null,
      messageIncludes: 'unshift',
    },
  ],
});
