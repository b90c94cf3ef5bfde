"""Regular expressions over a web server log: parse every line, pull out
e-mail addresses, and rewrite numeric ids in URLs. V8 compiles patterns to
machine code (Irregexp); CPython runs its `re` engine, written in C.
Usage: python3 logs.py LINES ROUNDS
"""

import json
import re
import sys
import time

METHODS = ["GET", "GET", "GET", "POST", "PUT", "DELETE"]
STATUSES = [200, 200, 200, 201, 204, 301, 404, 500]


def make_log(lines: int) -> str:
    out = []
    for i in range(lines):
        ip = f"10.{i % 256}.{(i >> 8) % 256}.{i * 7 % 256}"
        when = f"10/Oct/2024:{i % 24:02}:{i % 60:02}:{i * 13 % 60:02} +0000"
        method = METHODS[i % len(METHODS)]
        path = f"/api/v1/items/{i * 7919 % 100000}/reviews?page={i % 17}"
        status = STATUSES[i % len(STATUSES)]
        agent = (f"bot (contact: crawler{i % 50}@search.example.org)"
                 if i % 5 == 0 else "Mozilla/5.0 (X11; Linux x86_64)")
        out.append(f'{ip} - - [{when}] "{method} {path} HTTP/1.1" '
                   f'{status} {i * 31 % 5000} "-" "{agent}"')
    return "\n".join(out)


# region: patterns
LINE = re.compile(r'^(\S+) \S+ \S+ \[([^\]]+)\] "(\w+) (\S+) HTTP/[\d.]+" (\d{3}) (\d+)',
                  re.MULTILINE)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
ITEM_ID = re.compile(r"/items/\d+")


def analyse(log: str) -> dict:
    errors = 0
    size = 0
    for m in LINE.finditer(log):
        if m[5].startswith("5"):
            errors += 1
        size += int(m[6])
    emails = len(set(EMAIL.findall(log)))
    normalised = ITEM_ID.sub("/items/:id", log)
    return {"errors": errors, "bytes": size, "emails": emails,
            "length": len(normalised)}
# endregion


lines = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
log = make_log(lines)

# region: work
start = time.perf_counter()
summary = {}
for _ in range(rounds):
    summary = analyse(log)
elapsed = (time.perf_counter() - start) * 1000
# endregion

print(f"{lines} lines, {rounds} rounds: {json.dumps(summary, separators=(',', ':'))}")
print(f"time: {elapsed:.3f} ms")
