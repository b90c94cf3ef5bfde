// Watch mode in a real browser: edit the source, the page reloads with the
// new text at the same scroll position; break the front matter, an overlay
// shows the error; fix it, the overlay goes.
// Usage: node watch.mjs URL SOURCE_FILE
import { writeFileSync } from "node:fs";
import { run, check } from "./lib.mjs";

const [url, file] = process.argv.slice(2);
const page_text = (body) => `+++\ntitle = "Live"\n+++\n${body}\n\n${"Filler paragraph.\n\n".repeat(120)}Bottom marker.\n`;

await run(async (browser) => {
  const page = await browser.newPage({ viewport: { width: 1000, height: 600 } });
  const pending = new Map();
  page.on("request", (r) => pending.set(r, Date.now()));
  page.on("requestfinished", (r) => pending.delete(r));
  page.on("requestfailed", (r) => pending.delete(r));
  process.on("exit", () => {
    for (const [r, t] of pending) console.error("still pending:", r.url(), Date.now() - t, "ms");
  });
  await page.goto(url);
  check((await page.textContent("main")).includes("first version"), "first version shown");
  await page.evaluate(() => window.scrollTo(0, 1500));
  // Blocks laid out lazily take their real height once near the screen,
  // and the browser's scroll anchoring then moves the scroll position a
  // little: read it once that has settled, as the reload will find it.
  await page.waitForTimeout(300);
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  const before = await page.evaluate(() => window.scrollY);
  check(before > 1000, "scrolled down: " + before);

  writeFileSync(file, page_text("second version"));
  await page.waitForFunction(() => document.querySelector("main").textContent.includes("second version"), null, { timeout: 10000 });
  await page.waitForTimeout(300);
  const after = await page.evaluate(() => window.scrollY);
  check(Math.abs(after - before) < 50, `scroll position kept: ${before} -> ${after}`);

  writeFileSync(file, "+++\ntitle = \n+++\nbroken\n");
  await page.waitForSelector("#versus-error-overlay", { timeout: 10000 });
  const overlay = await page.textContent("#versus-error-overlay");
  check(overlay.includes("content/live.md:2"), "overlay names file and line: " + overlay);
  check((await page.textContent("main")).includes("second version"), "last good page still shown");

  writeFileSync(file, page_text("third version"));
  await page.waitForFunction(() => !document.querySelector("#versus-error-overlay") &&
    document.querySelector("main").textContent.includes("third version"), null, { timeout: 10000 });
});
