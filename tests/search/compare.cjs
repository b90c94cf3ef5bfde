// Runs every query of a list through search.js's Engine, which loads the
// sharded index a file at a time, and through a plain exhaustive search
// over the whole index read at once (the algorithm of the single-file
// index versus wrote before sharding). Prints one JSON line per query with
// both rankings, and the bytes and files the engine read.
// Usage: node compare.cjs SEARCH_JS SEARCH_DIR QUERIES_FILE
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const [searchJs, dir, queriesFile] = process.argv.slice(2);
const search = require(searchJs);

function read(name) {
  const text = fs.readFileSync(path.join(dir, name + ".js"), "utf8");
  const prefix = "versusSearchData(" + JSON.stringify(name) + ",";
  if (!text.startsWith(prefix) || !text.endsWith(");\n")) throw new Error("bad file " + name);
  return { data: JSON.parse(text.slice(prefix.length, -3)), bytes: Buffer.byteLength(text) };
}

// The whole index, every term with all of its postings.
function whole() {
  const m = read("index").data;
  const terms = [];
  const lists = [];
  const dfs = [];
  m.shards.forEach((_, n) => {
    const s = read("t/" + n).data;
    s.terms.forEach((t, i) => {
      const entries = [];
      const add = (list) => {
        let doc = 0;
        for (let k = 0; k < list.length; k += 3) {
          doc += list[k];
          entries.push([doc, list[k + 1], list[k + 2]]);
        }
      };
      add(s.postings[i]);
      (s.more[i] || []).forEach((c) => add(read(c[0]).data));
      entries.sort((a, b) => a[0] - b[0] || (a[1] % 3) - (b[1] % 3));
      terms.push(t);
      lists.push(entries);
      dfs.push(s.df[i]);
    });
  });
  const docs = [];
  for (let n = 0; n * m.docShard < m.docs; n++) {
    const s = read("d/" + n).data;
    const pages = new Map(s.pages.map((p) => [p[0], p]));
    s.docs.forEach((d) => docs.push([pages.get(d[0])[1], d[1]]));
  }
  return { m, terms, lists, dfs, docs };
}

const BOOST = [4, 2, 1];

function exhaustive(ix, query, limit) {
  const stop = new Set(ix.m.stopWords);
  const words = search.tokenize(query).filter((w) => !stop.has(w));
  if (words.length === 0) return [];
  const typing = !/\s$/.test(query);
  const find = (w) => {
    const i = lowerBound(ix.terms, w);
    return i < ix.terms.length && ix.terms[i] === w ? i : -1;
  };
  const perWord = words.map((w, i) => {
    const want = new Map();
    const t = find(search.terms(w, stop)[0] || "");
    if (t >= 0) want.set(t, 1);
    if (typing && i === words.length - 1) {
      for (let cut = 0; cut <= 3 && w.length - cut >= 3; cut++) {
        const p = w.slice(0, w.length - cut);
        const found = [];
        for (let k = lowerBound(ix.terms, p); k < ix.terms.length && found.length < 50; k++) {
          if (!ix.terms[k].startsWith(p)) break;
          found.push(k);
        }
        if (found.length === 0) continue;
        found.forEach((x) => { if (!want.has(x)) want.set(x, 0.5); });
        break;
      }
    }
    const scores = new Map();
    want.forEach((weight, t) => {
      const idf = Math.log(1 + ix.m.docs / ix.dfs[t]);
      ix.lists[t].forEach(([doc, value, len]) => {
        const field = value % 3;
        const count = (value - field) / 3;
        const s = BOOST[field] * weight * Math.sqrt(count) * idf / Math.sqrt(len || 1);
        scores.set(doc, (scores.get(doc) || 0) + s);
      });
    });
    return scores;
  });
  const total = new Map();
  perWord[0].forEach((s, doc) => {
    let sum = s;
    for (let g = 1; g < perWord.length; g++) {
      const x = perWord[g].get(doc);
      if (x === undefined) return;
      sum += x;
    }
    total.set(doc, sum);
  });
  if (total.size === 0 && perWord.length > 1) {
    const hits = new Map();
    perWord.forEach((scores) => scores.forEach((s, doc) => {
      total.set(doc, (total.get(doc) || 0) + s);
      hits.set(doc, (hits.get(doc) || 0) + 1);
    }));
    total.forEach((s, doc) => total.set(doc, s * hits.get(doc) / perWord.length));
  }
  const ranked = Array.from(total.keys());
  ranked.sort((a, b) => total.get(b) - total.get(a) || a - b);
  return ranked.slice(0, limit).map((d) => ix.docs[d][0] + "#" + ix.docs[d][1] + " " + total.get(d));
}

function lowerBound(terms, word) {
  let lo = 0;
  let hi = terms.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (terms[mid] < word) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

(async () => {
  const ix = whole();
  const queries = fs.readFileSync(queriesFile, "utf8").split("\n").filter((l) => l && !l.startsWith("#"));
  for (const q of queries) {
    let bytes = 0;
    let files = 0;
    const engine = new search.Engine((name) => {
      const r = read(name);
      bytes += r.bytes;
      files += 1;
      return Promise.resolve(r.data);
    });
    const got = (await engine.search(q, 20)).map((r) => r.path + "#" + r.id + " " + r.score);
    console.log(JSON.stringify({ query: q, sharded: got, whole: exhaustive(ix, q, 20), bytes, files }));
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
