import { runRuleTests } from '../ruleTester';

runRuleTests('async/await-in-loop', {
  valid: [
    { name: 'for await', code: 'async function f() { for await (const chunk of stream) await handle(chunk); }' },
    { name: 'pagination with a cursor', code: 'async function f() { let cursor; for (const _ of pages) { cursor = await fetchPage(cursor); } }' },
    { name: 'a total the next await reads (an offset)', code: 'async function f(api) { let offset = 0; for (const _ of pages) { const page = await api.list(offset); offset += page.length; } }' },
    { name: 'a total the loop reads to stop', code: 'async function f(xs) { let total = 0; for (let i = 0; i < xs.length && total < 100; i++) total += await price(xs[i]); return total; }' },
    { name: 'a total also assigned plainly', code: 'async function f(xs) { let total = 0; for (const x of xs) { total += await price(x); if (total > 9) total = 0; } return total; }' },
    { name: 'polling in a while loop', code: 'async function f() { while (!(await isReady())) await new Promise(r => setTimeout(r, 100)); }' },
    { name: 'retry with backoff', code: 'async function f() { for (let attempt = 0; attempt < 5; attempt++) { try { return await call(); } catch { await sleep(2 ** attempt); } } }' },
    { name: 'break on an awaited result', code: 'async function f(urls) { for (const url of urls) { const ok = await probe(url); if (ok) break; } }' },
    { name: 'return on an awaited result', code: 'async function f(urls) { for (const url of urls) { if (await probe(url)) return url; } }' },
    { name: 'ordered writes', code: 'async function f(lines) { for (const line of lines) await stream.write(line); }' },
    { name: 'each file read, then written back', code: 'async function f(files) { for (const file of files) { const text = await fs.readFile(file, "utf8"); await fs.writeFile(file, text.trim()); } }' },
    { name: 'a stream read chunk by chunk', code: 'async function f(reader, n) { const chunks = []; for (const _ of Array(n)) chunks.push(await reader.read()); return chunks; }' },
    { name: 'lock acquisition', code: 'async function f(keys) { for (const key of keys) await acquireLock(key); }' },
    { name: 'await in a nested callback is not in the loop', code: 'async function f(xs) { for (const x of xs) setTimeout(async () => { await go(x); }); }' },
  ],
  invalid: [
    {
      name: 'independent fetches in for-of: two suggestions, never a fix',
      code: 'async function f(ids) {\n  for (const id of ids) {\n    const user = await fetchUser(id);\n    cache.set(id, user);\n  }\n}\n',
      fixed: null,
      suggested: 'async function f(ids) {\n  await Promise.all(Array.from(ids, async (id) => {\n    const user = await fetchUser(id);\n    cache.set(id, user);\n  }));\n}\n',
    },
    {
      name: 'continue becomes return in the map callback',
      code: 'async function f(ids) {\n  for (const id of ids) {\n    if (!id) continue;\n    await load(id);\n  }\n}\n',
      suggested: 'async function f(ids) {\n  await Promise.all(Array.from(ids, async (id) => {\n    if (!id) return;\n    await load(id);\n  }));\n}\n',
    },
    {
      name: 'independent file reads: reading changes nothing, so the order of reads does not matter',
      code: 'async function f(files) {\n  const texts = new Map();\n  for (const file of files) {\n    texts.set(file, await fs.readFile(file, "utf8"));\n  }\n  return texts;\n}\n',
      fixed: null,
    },
    {
      name: 'counted for loop: reported, no rewrite offered',
      code: 'async function f(n) { for (let i = 0; i < n; i++) { await render(i); } }\n',
      fixed: null,
    },
    {
      name: 'a running total: Promise.all, then the additions in iteration order (a += inside concurrent callbacks would lose updates)',
      code: 'async function f(xs) {\n  let total = 0;\n  for (const x of xs) total += (await load(x)).length;\n  return total;\n}\n',
      fixed: null,
      suggestionCount: 1,
      suggested: 'async function f(xs) {\n  let total = 0;\n  const results = await Promise.all(Array.from(xs, async (x) => {\n    const totalParts = []; totalParts.push((await load(x)).length);\n    return { total: totalParts };\n  }));\n  for (const result of results) { for (const value of result.total) total += value; }\n  return total;\n}\n',
    },
    {
      name: 'a counted loop accumulating a CPU result after each await (examples/sequential-awaits.js)',
      code: 'async function main() {\n  let tagKinds = 0;\n  for (let id = 0; id < 40; id++) {\n    const product = await fetchProduct(id);\n    if (!product) continue;\n    tagKinds += summarize(product);\n  }\n}\n',
      fixed: null,
      suggested: 'async function main() {\n  let tagKinds = 0;\n  const results = await Promise.all(Array.from({ length: 40 }, async (_, id) => {\n    const tagKindsParts = [];\n    const product = await fetchProduct(id);\n    if (!product) return { tagKinds: tagKindsParts };\n    tagKindsParts.push(summarize(product));\n    return { tagKinds: tagKindsParts };\n  }));\n  for (const result of results) { for (const value of result.tagKinds) tagKinds += value; }\n}\n',
    },
    {
      name: 'pushing results keeps the loop independent',
      code: 'async function f(ids) { const out = []; for (const id of ids) out.push(await fetchUser(id)); return out; }\n',
      fixed: null,
    },
  ],
});

runRuleTests('async/await-in-loop', {
  valid: [
    { name: 'running total updated in a nested callback', code: 'async function f(xs) { let total = 0; for (const x of xs) { const items = await load(x); items.forEach(i => { total += i; }); } return total; }' },
  ],
  invalid: [],
});
