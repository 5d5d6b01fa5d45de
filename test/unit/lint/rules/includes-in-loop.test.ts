import { runRuleTests } from '../ruleTester';

runRuleTests('quadratic/includes-in-loop', {
  valid: [
    { name: 'string includes', code: 'const s = "abc";\nfor (const c of cs) if (s.includes(c)) n++;' },
    { name: 'string-typed parameter', code: 'function f(s: string, cs: string[]) { for (const c of cs) if (s.includes(c)) return c; }' },
    { name: 'small literal constant array', code: 'const KINDS = ["a", "b", "c"];\nfor (const x of xs) if (KINDS.includes(x.kind)) n++;' },
    { name: 'inline literal array', code: 'for (const x of xs) if (["a", "b"].includes(x)) n++;' },
    { name: 'Set already used', code: 'const seen = new Set(ids);\nfor (const x of xs) if (seen.has(x)) n++;' },
    { name: 'Set receiver named like an array', code: 'const ids = new Set(list);\nfor (const x of xs) if (ids.has(x)) n++;' },
    { name: 'not in a loop', code: 'const ids = Array.from(src);\nconst ok = ids.includes(x);' },
    { name: 'array built inside the loop body', code: 'for (const x of xs) { const ids = Array.from(x.children); if (ids.includes(x.id)) n++; }' },
    { name: 'unknown receiver without array evidence', code: 'function f(list, xs) { for (const x of xs) if (list.includes(x)) return x; }' },
    { name: 'includes with fromIndex', code: 'const ids = Array.from(src);\nfor (const x of xs) if (ids.includes(x, 2)) n++;' },
    { name: 'callback not called per element', code: 'const ids = Array.from(src);\nbutton.addEventListener("click", () => ids.includes(x));' },
    { name: 'some with a non-equality callback', code: 'const ids = Array.from(src);\nfor (const x of xs) if (ids.some(i => i > x)) n++;' },
    { name: 'dedupe filter is left to dedupe-indexof', code: 'const ids = Array.from(src);\nconst u = ids.filter((v, i) => ids.indexOf(v) === i);' },
    { name: 'member receiver', code: 'for (const x of xs) if (this.ids.includes(x)) n++;' },
  ],
  invalid: [
    {
      name: 'indexOf !== -1 on strings split from a string: a safe fix (no NaN among strings, so indexOf and Set.has agree)',
      code: 'function f(s: string, xs: string[]) {\n  const parts = s.split(",");\n  let n = 0;\n  for (const x of xs) {\n    if (parts.indexOf(x) !== -1) n++;\n  }\n  return n;\n}\n',
      fixed: 'function f(s: string, xs: string[]) {\n  const parts = s.split(",");\n  let n = 0;\n  const partsSet = new Set(parts);\n  for (const x of xs) {\n    if (partsSet.has(x)) n++;\n  }\n  return n;\n}\n',
    },
    {
      name: 'indexOf === -1 on Object.keys: a safe fix',
      code: 'const keys = Object.keys(load());\nconst missing = wanted.filter(k => keys.indexOf(k) === -1);\n',
      fixed: 'const keys = Object.keys(load());\nconst keysSet = new Set(keys);\nconst missing = wanted.filter(k => !keysSet.has(k));\n',
    },
    {
      name: 'indexOf on split of an untyped value (maybe not a string, maybe a user split): a suggestion only',
      code: 'function f(s, xs) {\n  const parts = s.split(",");\n  for (const x of xs) if (parts.indexOf(x) !== -1) n++;\n}\n',
      fixed: null,
      suggestionCount: 1,
    },
    {
      name: 'indexOf on strings the loop changes: no fix',
      code: 'function f(s: string, xs: string[]) {\n  const parts = s.split(",");\n  for (const x of xs) if (parts.indexOf(x) === -1) parts.push(x);\n}\n',
      fixed: null,
    },
    {
      name: 'includes in for-of: safe fix hoists a Set',
      code: 'function f(xs: string[]) {\n  const ids = Array.from(load());\n  let n = 0;\n  for (const x of xs) {\n    if (ids.includes(x)) n++;\n  }\n  return n;\n}\n',
      fixed: 'function f(xs: string[]) {\n  const ids = Array.from(load());\n  let n = 0;\n  const idsSet = new Set(ids);\n  for (const x of xs) {\n    if (idsSet.has(x)) n++;\n  }\n  return n;\n}\n',
    },
    {
      name: 'two lookups of the same array share one Set',
      code: 'const ids: number[] = load();\nfor (const x of xs) {\n  if (ids.includes(x.a) && ids.includes(x.b)) n++;\n}\n',
      count: 2,
      fixed: 'const ids: number[] = load();\nconst idsSet = new Set(ids);\nfor (const x of xs) {\n  if (idsSet.has(x.a) && idsSet.has(x.b)) n++;\n}\n',
    },
    {
      name: 'hoists out of nested loops to the outermost one that keeps the array unchanged',
      code: 'const ids = [...source];\nfor (const a of as) {\n  for (const b of a.items) if (ids.includes(b)) n++;\n}\n',
      fixed: 'const ids = [...source];\nconst idsSet = new Set(ids);\nfor (const a of as) {\n  for (const b of a.items) if (idsSet.has(b)) n++;\n}\n',
    },
    {
      name: 'includes in a filter callback',
      code: 'const banned = Array.from(load());\nconst kept = users.filter(u => !banned.includes(u.id));\n',
      fixed: 'const banned = Array.from(load());\nconst bannedSet = new Set(banned);\nconst kept = users.filter(u => !bannedSet.has(u.id));\n',
    },
    {
      name: 'a fresh name when idsSet is taken',
      code: 'const idsSet = 1;\nconst ids = Array.from(load());\nfor (const x of xs) if (ids.includes(x)) n++;\n',
      fixed: 'const idsSet = 1;\nconst ids = Array.from(load());\nconst idsSet2 = new Set(ids);\nfor (const x of xs) if (idsSet2.has(x)) n++;\n',
    },
    {
      name: 'array mutated inside the loop: reported without a rewrite',
      code: 'const seen = Array.from(start);\nfor (const x of xs) { if (!seen.includes(x)) seen.push(x); }\n',
      fixed: null,
    },
    {
      name: 'array passed to a function (may be modified through an alias): suggestion only',
      code: 'const ids = Array.from(load());\nregister(ids);\nfor (const x of xs) if (ids.includes(x)) n++;\n',
      fixed: null,
      suggested: 'const ids = Array.from(load());\nregister(ids);\nconst idsSet = new Set(ids);\nfor (const x of xs) if (idsSet.has(x)) n++;\n',
    },
    {
      name: 'array modified by a closure that could run during the loop: suggestion only',
      code: 'const ids = Array.from(load());\nconst add = v => ids.push(v);\nfor (const x of xs) if (ids.includes(x)) add(x + 1);\n',
      fixed: null,
    },
    {
      name: 'loop that awaits: other code may modify the array meanwhile',
      code: 'async function f() {\n  const ids = Array.from(load());\n  for (const x of xs) { await tick(); if (ids.includes(x)) n++; }\n}\n',
      fixed: null,
    },
    {
      name: 'array only known from its uses (weak evidence): suggestion',
      code: 'function f(list, xs) {\n  list.forEach(log);\n  for (const x of xs) if (list.includes(x)) return x;\n}\n',
      fixed: null,
    },
    {
      name: 'indexOf membership is a suggestion (NaN)',
      code: 'const ids = Array.from(load());\nfor (const x of xs) if (ids.indexOf(x) === -1) n++;\n',
      fixed: null,
      suggested: 'const ids = Array.from(load());\nconst idsSet = new Set(ids);\nfor (const x of xs) if (!idsSet.has(x)) n++;\n',
    },
    {
      name: 'indexOf used as a position becomes a first-index Map suggestion',
      code: 'const ids = Array.from(load());\nfor (const x of xs) out.push(ids.indexOf(x));\n',
      fixed: null,
      suggested: 'const ids = Array.from(load());\nconst idsFirstIndex = new Map();\nids.forEach((value, index) => { if (!idsFirstIndex.has(value)) idsFirstIndex.set(value, index); });\nfor (const x of xs) out.push((idsFirstIndex.get(x) ?? -1));\n',
    },
    {
      name: 'some(v => v === k) is a suggestion',
      code: 'const ids = Array.from(load());\nfor (const x of xs) if (ids.some(id => id === x)) n++;\n',
      fixed: null,
      suggested: 'const ids = Array.from(load());\nconst idsSet = new Set(ids);\nfor (const x of xs) if (idsSet.has(x)) n++;\n',
    },
    {
      name: 'find by key keeps the first match in a Map',
      code: 'const users = Array.from(load());\nfor (const o of orders) o.user = users.find(u => u.id === o.userId);\n',
      fixed: null,
      suggested: 'const users = Array.from(load());\nconst usersById = new Map();\nfor (const element of users) { if (!usersById.has(element.id)) usersById.set(element.id, element); }\nfor (const o of orders) o.user = usersById.get(o.userId);\n',
    },
    {
      name: 'filter(...)[0] by key',
      code: 'const users = Array.from(load());\nfor (const o of orders) o.user = users.filter(u => o.userId === u.id)[0];\n',
      fixed: null,
      messageIncludes: 'filter(...)[0]',
    },
    {
      name: 'findIndex by key',
      code: 'const users: User[] = load();\norders.forEach(o => { o.index = users.findIndex(u => u.id === o.userId); });\n',
      fixed: null,
    },
    {
      name: 'loop in a single-statement position: reported without a rewrite',
      code: 'const ids = Array.from(load());\nif (ready) for (const x of xs) if (ids.includes(x)) n++;\n',
      fixed: null,
    },
  ],
});

runRuleTests('quadratic/includes-in-loop', {
  valid: [],
  invalid: [
    {
      name: 'array declared in the same statement as the loop: no rewrite (the Set would hit the TDZ)',
      code: 'const ids = Array.from(load()), kept = xs.filter(x => ids.includes(x));\n',
      fixed: null,
      suggestionCount: 0,
    },
    {
      name: 'exported array: suggestion only (importers could modify it)',
      code: 'export const ids = Array.from(load());\nfor (const x of xs) if (ids.includes(x)) n++;\n',
      fixed: null,
      suggested: 'export const ids = Array.from(load());\nconst idsSet = new Set(ids);\nfor (const x of xs) if (idsSet.has(x)) n++;\n',
    },
  ],
});
