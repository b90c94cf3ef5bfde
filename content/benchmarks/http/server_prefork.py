"""The asyncio server of server_asyncio.py, run by several worker processes
that a parent forks after opening the listening socket: the pre-fork model
of Gunicorn and Uvicorn's `--workers`, standard library only. Each worker
starts as a copy-on-write copy of the parent and runs its own event loop on
the shared socket; the kernel hands each connection to one of them.
Usage: python3 server_prefork.py PORT WORKERS
"""

import asyncio
import os
import signal
import socket
import sys

from server_asyncio import handle


# region: prefork
def serve(sock: socket.socket) -> None:
    async def main() -> None:
        server = await asyncio.start_server(handle, sock=sock, backlog=511)
        async with server:
            await server.serve_forever()

    asyncio.run(main())


def prefork(port: int, workers: int) -> None:
    sock = socket.create_server(("127.0.0.1", port), backlog=511)
    children = []
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:
            serve(sock)
            os._exit(0)
        children.append(pid)
    # The parent only waits; stopping it stops the workers.
    signal.signal(signal.SIGTERM, lambda *_: [os.kill(c, signal.SIGTERM) for c in children])
    # A worker that dies is not replaced: the benchmark then fails, as it should.
    os.waitpid(-1, 0)
    sys.exit(1)
# endregion


if __name__ == "__main__":
    prefork(int(sys.argv[1]) if len(sys.argv) > 1 else 8000,
            int(sys.argv[2]) if len(sys.argv) > 2 else 2)
