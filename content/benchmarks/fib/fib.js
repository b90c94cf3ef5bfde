// Recursive Fibonacci: nothing but function calls and small-integer
// arithmetic, so it measures the execution engine itself.
// Usage: node fib.js N

// region: fib
function fib(n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}
// endregion

// region: main
const n = Number(process.argv[2] ?? 30);
const start = performance.now();
const result = fib(n);
const elapsed = performance.now() - start;
console.log(`fib(${n}) = ${result}`);
console.log(`time: ${elapsed.toFixed(3)} ms`);
// endregion
