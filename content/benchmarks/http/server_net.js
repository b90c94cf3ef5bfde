// The same JSON endpoint on raw TCP sockets (node:net), reading each
// request's line and headers by hand exactly as server_asyncio.py does. It
// isolates the event loop from the HTTP library: compare it with server.js
// (Node's HTTP stack) and with server_asyncio.py (the same work in Python).
// Usage: node server_net.js PORT

const net = require("node:net");

const port = Number(process.argv[2] ?? 8000);

// region: server
const body = JSON.stringify({ message: "Hello, world!" });
const response = Buffer.from(
  "HTTP/1.1 200 OK\r\n" +
    "Content-Type: application/json\r\n" +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n` +
    body,
);

const server = net.createServer((socket) => {
  let pending = "";
  socket.on("data", (chunk) => {
    pending += chunk.toString("latin1");
    let end;
    // GET requests only: a request is its line and headers, no body.
    while ((end = pending.indexOf("\r\n\r\n")) !== -1) {
      const [requestLine, ...lines] = pending.slice(0, end).split("\r\n");
      pending = pending.slice(end + 4);
      const [method, target, version] = requestLine.split(" ");
      const headers = {};
      for (const line of lines) {
        const colon = line.indexOf(":");
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      socket.write(response);
      if ((headers.connection ?? "").toLowerCase() === "close") {
        socket.end();
        return;
      }
    }
  });
  socket.on("error", () => socket.destroy());
});

server.listen(port, "127.0.0.1");
// endregion
