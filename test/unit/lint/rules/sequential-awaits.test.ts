import { runRuleTests } from '../ruleTester';

runRuleTests('async/sequential-awaits', {
  valid: [
    { name: 'second await uses the first result', code: 'async function f() { const user = await getUser(); const posts = await getPosts(user.id); }' },
    { name: 'single await', code: 'async function f() { const a = await getA(); use(a); }' },
    { name: 'awaiting already-started promises', code: 'async function f() { const a = await pa; const b = await pb; }' },
    { name: 'ordered writes', code: 'async function f() { await writeFile(a); await writeFile(b); }' },
    { name: 'lock then work', code: 'async function f() { await acquire(lock); await work(); }' },
    { name: 'destructured result used later', code: 'async function f() { const { id } = await getUser(); const p = await getPosts(id); }' },
  ],
  invalid: [
    {
      name: 'two independent declarations',
      code: 'async function f() {\n  const a = await getA();\n  const b = await getB();\n  return a + b;\n}\n',
      fixed: null,
      suggested: 'async function f() {\n  const [a, b] = await Promise.all([getA(), getB()]);\n  return a + b;\n}\n',
    },
    {
      name: 'mixed statement and declaration, let keeps let',
      code: 'async function f() {\n  await prefetch();\n  let b = await getB();\n  return b;\n}\n',
      suggested: 'async function f() {\n  let [, b] = await Promise.all([prefetch(), getB()]);\n  return b;\n}\n',
    },
    {
      name: 'type annotations: reported without a rewrite',
      code: 'async function f() {\n  const a: A = await getA();\n  const b: B = await getB();\n}\n',
      fixed: null,
    },
  ],
});
