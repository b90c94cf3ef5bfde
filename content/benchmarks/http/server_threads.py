"""A JSON endpoint on the standard library's threaded HTTP server: one
process, one thread per connection, with the GIL letting one thread run
Python at a time (threads waiting on sockets release it).
Usage: python3 server_threads.py PORT
"""

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# region: server
BODY = json.dumps({"message": "Hello, world!"}, separators=(",", ":")).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep connections open, like the others
    disable_nagle_algorithm = True  # headers and body are separate writes

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, format: str, *args: object) -> None:
        pass  # no access log, as in the other servers


class Server(ThreadingHTTPServer):
    request_queue_size = 511  # Node's default listen backlog (the default is 5)


def main(port: int) -> None:
    with Server(("127.0.0.1", port), Handler) as server:
        server.serve_forever()
# endregion


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 8000)
