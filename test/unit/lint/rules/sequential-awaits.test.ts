import { runRuleTests } from '../ruleTester';

runRuleTests('async/sequential-awaits', {
  valid: [
    { name: 'second await uses the first result', code: 'async function f() { const user = await getUser(); const posts = await getPosts(user.id); }' },
    { name: 'single await', code: 'async function f() { const a = await getA(); use(a); }' },
    { name: 'awaiting already-started promises', code: 'async function f() { const a = await pa; const b = await pb; }' },
    { name: 'ordered writes', code: 'async function f() { await writeFile(a); await writeFile(b); }' },
    { name: 'lock then work', code: 'async function f() { await acquire(lock); await work(); }' },
    { name: 'a file changed, then read through the same module', code: 'async function f(p) { await fs.chmod(p, 0o644); const text = await fs.readFile(p, "utf8"); }' },
    { name: 'the next chunks of one stream', code: 'async function f(input) { const header = await input.readBytes(4); const body = await input.readBytes(8); }' },
    { name: 'reading lines in order', code: 'async function f(rl) { const first = await rl.readLine(); const second = await rl.readLine(); }' },
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
      name: 'two files read through the fs module',
      code: 'async function f() {\n  const config = await fs.readFile(configPath, "utf8");\n  const schema = await fs.readFile(schemaPath, "utf8");\n  return [config, schema];\n}\n',
      suggested: 'async function f() {\n  const [config, schema] = await Promise.all([fs.readFile(configPath, "utf8"), fs.readFile(schemaPath, "utf8")]);\n  return [config, schema];\n}\n',
    },
    {
      name: 'a JSON file and a directory listing',
      code: 'async function f(dir) {\n  const pkg = await readJson(join(dir, "package.json"));\n  const entries = await fsp.readdir(dir);\n  return { pkg, entries };\n}\n',
      suggested: 'async function f(dir) {\n  const [pkg, entries] = await Promise.all([readJson(join(dir, "package.json")), fsp.readdir(dir)]);\n  return { pkg, entries };\n}\n',
    },
    {
      name: 'type annotations: reported without a rewrite',
      code: 'async function f() {\n  const a: A = await getA();\n  const b: B = await getB();\n}\n',
      fixed: null,
    },
  ],
});
