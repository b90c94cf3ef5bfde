// Search from disk in headless Chromium: for each query, a fresh page of a
// built site opened from file://, the box focused, the query typed, and
// the time until the first result is drawn. Counts the bytes of the
// search/ files the browser read. Prints one line per query and the
// medians.
// Usage: node benches/search.mjs PUBLIC_DIR QUERY...
// (playwright-core from .ci/node_modules: `bash .ci/run` installs it; or
// `npm install --prefix .ci playwright-core`.)
import fs from "node:fs";
import path from "node:path";
import { launch } from "../tests/browser/lib.mjs";

const [dir, ...queries] = process.argv.slice(2);
if (!dir || queries.length === 0) {
  console.error("usage: node benches/search.mjs PUBLIC_DIR QUERY...");
  process.exit(2);
}
const url = "file://" + path.resolve(dir, "index.html");

const browser = await launch();
const rows = [];
try {
  for (const q of queries) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const files = [];
    page.on("requestfinished", (r) => {
      const u = r.url();
      const i = u.indexOf("/search/");
      if (u.startsWith("file://") && i >= 0) files.push(decodeURIComponent(u.slice(7)));
    });
    await page.goto(url);
    const ms = await page.evaluate(async (query) => {
      const input = document.getElementById("search-input");
      const until = (cond) => new Promise((resolve) => {
        const look = () => (cond() ? resolve() : setTimeout(look, 1));
        look();
      });
      const t0 = performance.now();
      input.focus();
      input.value = query;
      input.dispatchEvent(new Event("input"));
      await until(() => document.querySelector(".search-result, .search-empty"));
      return performance.now() - t0;
    }, q);
    const results = await page.locator(".search-result").count();
    const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
    rows.push({ q, ms, bytes, files: files.length, results });
    console.log(`${JSON.stringify(q)}: first result in ${ms.toFixed(1)} ms, ` +
      `${files.length} files, ${(bytes / 1024).toFixed(0)} KB of index read, ${results} results`);
    await context.close();
  }
} finally {
  await browser.close();
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
console.log(`median over ${rows.length} queries: first result in ` +
  `${median(rows.map((r) => r.ms)).toFixed(1)} ms, ` +
  `${(median(rows.map((r) => r.bytes)) / 1024).toFixed(0)} KB read; ` +
  `most read: ${(Math.max(...rows.map((r) => r.bytes)) / 1024).toFixed(0)} KB`);
