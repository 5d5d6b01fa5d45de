// Real program: validate 150,000 objects with an ajv schema (ajv compiles it with new Function).
const Ajv = require('ajv');
const ajv = new Ajv({ allErrors: true });
const validate = ajv.compile({
  type: 'object',
  required: ['id', 'name', 'email', 'tags'],
  properties: {
    id: { type: 'integer', minimum: 0 },
    name: { type: 'string', minLength: 1, maxLength: 64 },
    email: { type: 'string', pattern: '^[^@]+@[^@]+$' },
    tags: { type: 'array', items: { type: 'string' }, maxItems: 8 },
  },
});
const items = Array.from({ length: 150_000 }, (_, i) => ({ id: i, name: `user ${i}`, email: i % 50 ? `u${i}@example.com` : 'broken', tags: ['a', 'b', String(i % 9)] }));
const started = performance.now();
let invalid = 0;
for (let round = 0; round < 12; round++) for (const item of items) if (!validate(item)) invalid++; // USER: validate call
console.log(`invalid=${invalid} elapsed_ms=${(performance.now() - started).toFixed(1)}`);
