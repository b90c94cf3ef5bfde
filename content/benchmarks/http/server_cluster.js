// The raw-socket server of server_net.js, run by several worker processes
// with node:cluster: the usual way to use more than one core for Node.js
// HTTP serving. The primary process starts the workers and hands out the
// connections (round-robin on Linux); each worker runs its own V8 and heap.
// Usage: node server_cluster.js PORT WORKERS

const cluster = require("node:cluster");

// region: cluster
const workers = Number(process.argv[3] ?? 2);

if (cluster.isPrimary) {
  for (let i = 0; i < workers; i++) cluster.fork();
  // A worker that dies is not replaced: the benchmark then fails, as it should.
  cluster.on("exit", () => process.exit(1));
} else {
  // A worker runs server_net.js, which listens on the port; the cluster
  // module shares that listening socket between the workers.
  require("./server_net.js");
}
// endregion
