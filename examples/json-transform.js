// A JSON-heavy transform: deep-cloning with JSON.parse(JSON.stringify(...)) inside a loop and
// re-serializing the whole payload for every record. Clone once (or not at all) and stringify once.
function makePayload(count) {
  return {
    generatedAt: new Date(0).toISOString(),
    records: Array.from({ length: count }, (_, i) => ({
      id: i, name: `item ${i}`, price: i % 100, tags: ['a', 'b', 'c'].map(tag => `${tag}${i % 10}`),
      dimensions: { width: i % 30, height: i % 40, depth: i % 50 },
    })),
  };
}

function transform(text) {
  const payload = JSON.parse(text);
  const output = [];
  for (const record of payload.records) {
    const copy = JSON.parse(JSON.stringify(record)); // deep clone per record
    copy.priceWithTax = Math.round(copy.price * 119) / 100;
    output.push(copy);
    if (output.length % 200 === 0) JSON.stringify(output); // slow: re-serializes everything so far
  }
  return JSON.stringify({ ...payload, records: output });
}

const text = JSON.stringify(makePayload(20_000));
const started = Date.now();
const result = transform(text);
console.log(`${(text.length / 1e6).toFixed(1)} MB in, ${(result.length / 1e6).toFixed(1)} MB out, ${Date.now() - started} ms`);
