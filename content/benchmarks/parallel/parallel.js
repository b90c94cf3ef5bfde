// The same CPU-bound work split over worker threads: TASKS computations of
// fib(N), shared evenly among WORKERS threads (0 means one per core). Each
// worker is a separate V8 isolate with its own heap; the main thread only
// hands out work and adds up the results.
// Usage: node parallel.js TASKS N WORKERS

const { Worker, isMainThread, parentPort, workerData } = require("node:worker_threads");
const { availableParallelism } = require("node:os");

function fib(n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

if (isMainThread) {
  const tasks = Number(process.argv[2] ?? 8);
  const n = Number(process.argv[3] ?? 30);
  const workers = Number(process.argv[4] ?? 0) || availableParallelism();

  // region: main
  function runWorker(count) {
    return new Promise((resolve, reject) => {
      const worker = new Worker(__filename, { workerData: { count, n } });
      worker.once("message", resolve);
      worker.once("error", reject);
    });
  }

  async function main() {
    const start = performance.now();
    const shares = Array.from({ length: workers }, (_, w) =>
      Math.floor(tasks / workers) + (w < tasks % workers ? 1 : 0),
    );
    const sums = await Promise.all(shares.map(runWorker));
    const total = sums.reduce((a, b) => a + b, 0);
    const elapsed = performance.now() - start;
    console.log(`${tasks} x fib(${n}) on ${workers} worker threads = ${total}`);
    console.log(`time: ${elapsed.toFixed(3)} ms`);
  }
  // endregion

  main();
} else {
  // region: worker
  let sum = 0;
  for (let i = 0; i < workerData.count; i++) sum += fib(workerData.n);
  parentPort.postMessage(sum);
  // endregion
}
