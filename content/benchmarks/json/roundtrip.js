// JSON round trips: parse a large document and serialise it again, several
// times over. Both runtimes do this work in native code (V8's JSON parser,
// CPython's _json accelerator), so it measures library code, not the language.
// Usage: node roundtrip.js RECORDS ROUNDS

const CITIES = ["Lisbon", "Nairobi", "Osaka", "Lima", "Oslo", "Austin", "Pune"];
const TAGS = ["alpha", "beta", "gamma", "delta"];

// region: document
function makeDocument(records) {
  const items = [];
  for (let i = 0; i < records; i++) {
    items.push({
      id: i,
      name: `user ${i}`,
      email: `user${i}@example.com`,
      active: i % 3 !== 0,
      score: ((i * 7919) % 10007) / 100 + 0.5,
      tags: TAGS.slice(0, 1 + (i % TAGS.length)),
      address: {
        street: `${i % 1000} Main Street`,
        city: CITIES[i % CITIES.length],
        zip: String(10000 + (i % 90000)),
      },
      orders: [
        { sku: `A-${i % 97}`, quantity: 1 + (i % 5), price: 9.75 },
        { sku: `B-${i % 89}`, quantity: 2, price: 120.25 },
      ],
    });
  }
  return { version: 1, items };
}
// endregion

const records = Number(process.argv[2] ?? 50000);
const rounds = Number(process.argv[3] ?? 5);
const text = JSON.stringify(makeDocument(records));

// region: work
const start = performance.now();
let size = 0;
for (let round = 0; round < rounds; round++) {
  const doc = JSON.parse(text);
  size += JSON.stringify(doc).length;
}
const elapsed = performance.now() - start;
// endregion

console.log(`document: ${text.length} bytes, ${rounds} round trips, ${size} bytes written`);
console.log(`time: ${elapsed.toFixed(3)} ms`);
