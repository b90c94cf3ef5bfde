// Dot product of two arrays of N float64 numbers, done 5 times, over two
// Float64Arrays: what numeric code written in plain JavaScript does. The
// arrays are filled as in dot.py, and only the dot products are timed.
// Usage: node dot.js N

const REPEAT = 5;

// region: dot
function dot(a, b) {
  let total = 0;
  for (let i = 0; i < a.length; i++) {
    total += a[i] * b[i];
  }
  return total;
}
// endregion

const n = Number(process.argv[2] ?? 1_000_000);
const a = new Float64Array(n);
const b = new Float64Array(n);
for (let i = 0; i < n; i++) {
  a[i] = (i % 1000) / 1000;
  b[i] = ((i * 7) % 1000) / 1000;
}
const start = performance.now();
let result = 0;
for (let r = 0; r < REPEAT; r++) {
  result = dot(a, b);
}
const elapsed = performance.now() - start;
console.log(`dot = ${result.toExponential(6)}`);
console.log(`time: ${elapsed.toFixed(3)} ms`);
