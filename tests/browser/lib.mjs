// Shared set-up for the browser tests: Debian's Chromium, driven by
// playwright-core (installed by .ci/run into .ci/node_modules).
import { createRequire } from "node:module";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, "../../.ci/node_modules/"));
const { chromium } = require("playwright-core");

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
}

export function check(cond, message) {
  if (!cond) {
    throw new Error("check failed: " + message);
  }
}

// Runs `body(browser)` and exits 0 on success, 1 with the error otherwise.
export async function run(body) {
  const browser = await launch();
  try {
    await body(browser);
    console.log("ok");
  } catch (e) {
    console.error(e && e.stack ? e.stack : String(e));
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
  ".svg": "image/svg+xml", ".json": "application/json", ".png": "image/png",
  ".xml": "application/xml", ".txt": "text/plain",
};

// Serves the built site in `root` over HTTP on 127.0.0.1 under /site/, as
// GitHub Pages serves a project site: folders give their index.html, text
// is gzipped, a missing file gets the site's 404.html. `scriptDelay` (ms)
// holds back every script, so that the page is painted before its scripts
// run, as on a slow phone. Resolves to { server, base } (base ends in /).
export async function serve(root, { scriptDelay = 0 } = {}) {
  const SUB = "/site/";
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    if (!url.pathname.startsWith(SUB)) { res.writeHead(404); res.end(); return; }
    let rel = decodeURIComponent(url.pathname.slice(SUB.length));
    if (rel === "" || rel.endsWith("/")) rel += "index.html";
    const file = path.join(root, rel);
    if (!file.startsWith(root) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      const missing = path.join(root, "404.html");
      res.writeHead(404, { "content-type": "text/html" });
      res.end(fs.existsSync(missing) ? fs.readFileSync(missing) : "");
      return;
    }
    const type = TYPES[path.extname(file)] || "application/octet-stream";
    let body = fs.readFileSync(file);
    const headers = { "content-type": type, "cache-control": "max-age=600" };
    if (/^(text|application\/(json|xml)|image\/svg)/.test(type)) {
      body = zlib.gzipSync(body);
      headers["content-encoding"] = "gzip";
    }
    const send = () => { res.writeHead(200, headers); res.end(body); };
    if (scriptDelay && type === "text/javascript") {
      // Held back on every page, not only the first: never from the cache.
      headers["cache-control"] = "no-store";
      setTimeout(send, scriptDelay);
    } else {
      send();
    }
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return { server, base: `http://127.0.0.1:${server.address().port}${SUB}` };
}
