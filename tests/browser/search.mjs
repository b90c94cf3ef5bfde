// Search from file://: the box is hidden without JavaScript; "/" focuses it;
// the index script loads only then; typing a word that appears on one page
// only lists that page's heading with the word marked; ArrowDown + Enter
// opens it, and the browser lands on the heading, in view.
// Also prints the time to first result (index load and parse included).
// Usage: node search.mjs URL WORD EXPECTED_PATH EXPECTED_ID [MARKED]
// (EXPECTED_PATH "-" only measures; MARKED: a word of the result that
// must be marked, WORD itself by default).
import { run, check } from "./lib.mjs";

const [url, word, expectedPath, expectedId, markedWord] = process.argv.slice(2);
const mark = markedWord || word;

await run(async (browser) => {
  // Without JavaScript there is no search box to see.
  const noJs = await browser.newContext({ javaScriptEnabled: false });
  const plain = await noJs.newPage();
  await plain.goto(url);
  check(!(await plain.locator(".search").isVisible()), "search box hidden without JavaScript");
  await noJs.close();

  // Time to first result on a fresh page: focus, one query, first result drawn.
  const timing = await browser.newContext();
  const cold = await timing.newPage();
  await cold.goto(url);
  const times = await cold.evaluate(async (w) => {
    const input = document.getElementById("search-input");
    const until = (cond) => new Promise((resolve) => {
      const look = () => (cond() ? resolve() : setTimeout(look, 1));
      look();
    });
    const firstResult = () => until(() => document.querySelector(".search-result"));
    const t0 = performance.now();
    input.focus();
    input.value = w;
    input.dispatchEvent(new Event("input"));
    await firstResult();
    const first = performance.now() - t0;
    input.value = "";
    input.dispatchEvent(new Event("input"));
    await until(() => !document.querySelector(".search-result"));
    const t1 = performance.now();
    input.value = w;
    input.dispatchEvent(new Event("input"));
    await firstResult();
    const warm = performance.now() - t1;
    return { first, warm, results: document.querySelectorAll(".search-result").length };
  }, word);
  console.log(`time to first result: ${times.first.toFixed(1)} ms (index load and parse included); ` +
    `next query: ${times.warm.toFixed(1)} ms (index loaded); ${times.results} results for "${word}"`);
  await timing.close();
  if (expectedPath === "-") return;

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(url);
  const input = page.locator("#search-input");
  check(await input.isVisible(), "search box shown with JavaScript");
  const loaded = [];
  page.on("request", (r) => { if (r.url().includes("/search/")) loaded.push(r.url()); });
  check(await page.evaluate(() => window.versusSearchData === undefined), "index not loaded before the box is used");
  check(loaded.length === 0, "no index file read before the box is used: " + loaded);

  // "/" focuses the box and starts loading the index.
  await page.keyboard.press("/");
  check(await page.evaluate(() => document.activeElement && document.activeElement.id === "search-input"),
    "/ focuses the search box");
  check(await input.inputValue() === "", "/ is not typed into the box");
  await input.pressSequentially(word, { delay: 20 });
  const first = page.locator(".search-result").first();
  await first.waitFor({ timeout: 10000 });
  check(await input.getAttribute("aria-expanded") === "true", "combobox expanded");
  const count = await page.locator(".search-result").count();
  check(count === 1, `one result for a word on one page only, got ${count}`);
  const status = await page.locator(".search-status").textContent();
  // In the page's language: the theme's words the scripts read (English
  // when the page gives none).
  const one = await page.evaluate(() => {
    try { return JSON.parse(document.body.getAttribute("data-words") || "{}").search_one; } catch (e) { return undefined; }
  });
  check(status === (one || "1 result"), "live status counts the results: " + status);
  const href = await first.locator("a").getAttribute("href");
  check(href === `${expectedPath}#${expectedId}`, `result links to the heading: ${href}`);
  const marked = await first.locator("mark").allTextContents();
  check(marked.some((m) => m.toLowerCase() === mark.toLowerCase()), "the word is marked: " + marked);

  // Arrow keys move through the results; Enter opens the selected one.
  await page.keyboard.press("ArrowDown");
  check(await first.getAttribute("aria-selected") === "true", "ArrowDown selects the first result");
  const activeId = await input.getAttribute("aria-activedescendant");
  check(activeId === (await first.getAttribute("id")), "aria-activedescendant follows the selection");
  await Promise.all([page.waitForURL((u) => u.hash === "#" + expectedId), page.keyboard.press("Enter")]);
  const landed = await page.evaluate(() => ({ path: location.pathname, hash: location.hash }));
  check(landed.path.endsWith("/" + expectedPath), "landed on the page: " + landed.path);
  check(landed.hash === "#" + expectedId, "landed on the heading: " + landed.hash);
  const inView = await page.evaluate((id) => {
    const h = document.getElementById(id);
    if (!h) return "no element";
    const r = h.getBoundingClientRect();
    return r.top >= 0 && r.top < window.innerHeight / 2 ? "ok" : `top at ${r.top} of ${window.innerHeight}`;
  }, expectedId);
  check(inView === "ok", "the heading is in view: " + inView);
  check(errors.length === 0, "page errors: " + errors.join("; "));
});
