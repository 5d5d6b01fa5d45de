// Real program: dump and load a YAML document with js-yaml (~1 s).
const yaml = require('js-yaml');
const doc = { services: Array.from({ length: 3000 }, (_, i) => ({ name: `svc-${i}`, replicas: i % 5, env: { LEVEL: 'info', PORT: 8000 + i }, ports: [80, 443, 9000 + (i % 100)] })) };
const text = yaml.dump(doc);
const started = performance.now();
let total = 0;
for (let round = 0; round < 5; round++) total += yaml.load(text).services.length; // USER: load call
console.log(`total=${total} elapsed_ms=${(performance.now() - started).toFixed(1)}`);
