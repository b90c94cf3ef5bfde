"""A JSON endpoint on asyncio streams, standard library only: one process,
one thread, sockets multiplexed by the event loop. There is no HTTP server in
asyncio, so this reads each request's line and headers itself and answers
with HTTP/1.1 keep-alive, as server_net.js does in Node.js. An HTTP library
(aiohttp, Uvicorn, Node's http module) does more work per request.
Usage: python3 server_asyncio.py PORT
"""

import asyncio
import json
import sys

# region: server
BODY = json.dumps({"message": "Hello, world!"}, separators=(",", ":")).encode()
RESPONSE = (b"HTTP/1.1 200 OK\r\n"
            b"Content-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n" % len(BODY)) + BODY


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        # GET requests only: a request is its line and headers, no body.
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            request_line, *lines = head.decode("latin-1").split("\r\n")
            method, target, version = request_line.split(" ", 2)
            headers = {}
            for line in lines:
                if line:
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip()
            writer.write(RESPONSE)
            await writer.drain()
            if headers.get("connection", "").lower() == "close":
                break
    except (asyncio.IncompleteReadError, ConnectionError, ValueError):
        pass
    finally:
        writer.close()


async def main(port: int) -> None:
    server = await asyncio.start_server(handle, "127.0.0.1", port, backlog=511)
    async with server:
        await server.serve_forever()
# endregion


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 8000))
