// A JSON endpoint on Node's built-in HTTP server: one process, one thread
// running JavaScript, sockets multiplexed by the event loop (libuv) and
// requests parsed in C (llhttp).
// Usage: node server.js PORT

const http = require("node:http");

const port = Number(process.argv[2] ?? 8000);

// region: server
const body = JSON.stringify({ message: "Hello, world!" });

const server = http.createServer((req, res) => {
  res.writeHead(200, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(body),
  });
  res.end(body);
});

server.listen(port, "127.0.0.1");
// endregion
