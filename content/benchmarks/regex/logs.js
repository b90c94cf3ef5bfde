// Regular expressions over a web server log: parse every line, pull out
// e-mail addresses, and rewrite numeric ids in URLs. V8 compiles patterns to
// machine code (Irregexp); CPython runs its `re` engine, written in C.
// Usage: node logs.js LINES ROUNDS

const METHODS = ["GET", "GET", "GET", "POST", "PUT", "DELETE"];
const STATUSES = [200, 200, 200, 201, 204, 301, 404, 500];

function makeLog(lines) {
  const out = [];
  for (let i = 0; i < lines; i++) {
    const ip = `10.${i % 256}.${(i >> 8) % 256}.${(i * 7) % 256}`;
    const time = `10/Oct/2024:${String(i % 24).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}:${String((i * 13) % 60).padStart(2, "0")} +0000`;
    const method = METHODS[i % METHODS.length];
    const path = `/api/v1/items/${(i * 7919) % 100000}/reviews?page=${i % 17}`;
    const status = STATUSES[i % STATUSES.length];
    const agent = i % 5 === 0 ? `bot (contact: crawler${i % 50}@search.example.org)` : "Mozilla/5.0 (X11; Linux x86_64)";
    out.push(`${ip} - - [${time}] "${method} ${path} HTTP/1.1" ${status} ${(i * 31) % 5000} "-" "${agent}"`);
  }
  return out.join("\n");
}

// region: patterns
const LINE = /^(\S+) \S+ \S+ \[([^\]]+)\] "(\w+) (\S+) HTTP\/[\d.]+" (\d{3}) (\d+)/gm;
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
const ITEM_ID = /\/items\/\d+/g;

function analyse(log) {
  let errors = 0;
  let bytes = 0;
  for (const m of log.matchAll(LINE)) {
    if (m[5].startsWith("5")) errors++;
    bytes += Number(m[6]);
  }
  const emails = new Set(log.match(EMAIL)).size;
  const normalised = log.replace(ITEM_ID, "/items/:id");
  return { errors, bytes, emails, length: normalised.length };
}
// endregion

const lines = Number(process.argv[2] ?? 100000);
const rounds = Number(process.argv[3] ?? 5);
const log = makeLog(lines);

// region: work
const start = performance.now();
let summary;
for (let round = 0; round < rounds; round++) summary = analyse(log);
const elapsed = performance.now() - start;
// endregion

console.log(`${lines} lines, ${rounds} rounds: ${JSON.stringify(summary)}`);
console.log(`time: ${elapsed.toFixed(3)} ms`);
