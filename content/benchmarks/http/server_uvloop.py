"""The asyncio server of server_asyncio.py, unchanged, on uvloop's event
loop (libuv, the loop Node.js uses, from PyPI) instead of the standard
library's: what one `pip install uvloop` changes.
Usage: python3 server_uvloop.py PORT
"""

import sys

import uvloop

from server_asyncio import main

if __name__ == "__main__":
    # region: server
    uvloop.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 8000))
    # endregion
