"""JSON round trips: parse a large document and serialise it again, several
times over. Both runtimes do this work in native code (V8's JSON parser,
CPython's _json accelerator), so it measures library code, not the language.
Usage: python3 roundtrip.py RECORDS ROUNDS
"""

import json
import sys
import time

CITIES = ["Lisbon", "Nairobi", "Osaka", "Lima", "Oslo", "Austin", "Pune"]
TAGS = ["alpha", "beta", "gamma", "delta"]


# region: document
def make_document(records: int) -> dict:
    items = []
    for i in range(records):
        items.append({
            "id": i,
            "name": f"user {i}",
            "email": f"user{i}@example.com",
            "active": i % 3 != 0,
            "score": (i * 7919) % 10007 / 100 + 0.5,
            "tags": TAGS[: 1 + i % len(TAGS)],
            "address": {
                "street": f"{i % 1000} Main Street",
                "city": CITIES[i % len(CITIES)],
                "zip": str(10000 + i % 90000),
            },
            "orders": [
                {"sku": f"A-{i % 97}", "quantity": 1 + i % 5, "price": 9.75},
                {"sku": f"B-{i % 89}", "quantity": 2, "price": 120.25},
            ],
        })
    return {"version": 1, "items": items}
# endregion


records = int(sys.argv[1]) if len(sys.argv) > 1 else 50000
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
# Compact separators, as JSON.stringify writes.
text = json.dumps(make_document(records), separators=(",", ":"))

# region: work
start = time.perf_counter()
size = 0
for _ in range(rounds):
    doc = json.loads(text)
    size += len(json.dumps(doc, separators=(",", ":")))
elapsed = (time.perf_counter() - start) * 1000
# endregion

print(f"document: {len(text)} bytes, {rounds} round trips, {size} bytes written")
print(f"time: {elapsed:.3f} ms")
