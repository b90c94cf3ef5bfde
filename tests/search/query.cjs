// Runs queries through search.js's Engine over a built index, loading its
// files from disk as the browser would, one at a time. Prints one JSON
// line per query: the results (path#id), the marked words of the first
// result's snippet, and the index files it read.
// Usage: node query.cjs SEARCH_JS SEARCH_DIR QUERY...
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const [searchJs, dir, ...queries] = process.argv.slice(2);
const search = require(searchJs);

function read(name) {
  const text = fs.readFileSync(path.join(dir, name + ".js"), "utf8");
  const prefix = "versusSearchData(" + JSON.stringify(name) + ",";
  if (!text.startsWith(prefix) || !text.endsWith(");\n")) throw new Error("bad file " + name);
  return { data: JSON.parse(text.slice(prefix.length, -3)), bytes: Buffer.byteLength(text) };
}

(async () => {
  for (const q of queries) {
    const files = [];
    let bytes = 0;
    const engine = new search.Engine((name) => {
      const r = read(name);
      files.push(name);
      bytes += r.bytes;
      return Promise.resolve(r.data);
    });
    const results = await engine.search(q, 20);
    const words = results.length ? (results[0].title + " " + results[0].body).split(/[^\p{L}\p{M}\p{N}_]+/u) : [];
    const marked = words.filter((w) => w && results[0].matches(w));
    console.log(JSON.stringify({
      query: q,
      results: results.map((r) => r.path + "#" + r.id),
      marked,
      files,
      bytes,
    }));
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
