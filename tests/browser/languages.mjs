// A site in several languages, from file://: a right-to-left page is laid
// out right to left (`<html lang dir>`), its language switcher's link to
// another language lands on the same page in that language, and that
// page's search box searches that language's index.
// Usage: node languages.mjs RTL_URL OTHER_URL OTHER_LANG WORD
//   RTL_URL: a page of a right-to-left language; OTHER_URL: the same page
//   in OTHER_LANG, which the switcher links to; WORD: a word found only in
//   OTHER_LANG's pages (its search index gives one result, on that page).
import { run, check } from "./lib.mjs";

const [rtlUrl, otherUrl, otherLang, word] = process.argv.slice(2);

await run(async (browser) => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(rtlUrl);
  const html = await page.evaluate(() => ({
    lang: document.documentElement.lang,
    dir: document.documentElement.dir,
    direction: getComputedStyle(document.body).direction,
  }));
  check(html.dir === "rtl", `dir is "${html.dir}"`);
  check(html.direction === "rtl", `the body runs ${html.direction}`);
  // The header's tools sit at the inline end: on the left in rtl.
  const brand = await page.locator(".brand").boundingBox();
  const tools = await page.locator(".header-tools").boundingBox();
  check(tools.x < brand.x, `header tools (x=${tools.x}) left of the brand (x=${brand.x})`);

  // The switcher is named in the page's language (the theme's words).
  const label = { ar: "اللغة", fr: "Langue", en: "Language" }[html.lang];
  const nav = page.getByRole("navigation", { name: label, exact: true });
  check(await nav.count() === 1, `one switcher named ${label}`);
  const current = nav.locator("a[aria-current]");
  check(await current.getAttribute("lang") === html.lang, "the current language is marked");
  const link = nav.locator(`a[hreflang="${otherLang}"]`);
  check(await link.getAttribute("lang") === otherLang, "the link is in its own language");
  await link.click();
  await page.waitForURL(otherUrl, { timeout: 10000 });
  check(page.url() === otherUrl, `landed on ${page.url()}, not ${otherUrl}`);
  const other = await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]);
  check(other[0] === otherLang && other[1] !== "rtl", `the page is ${other}`);

  const input = page.locator("#search-input");
  await input.click();
  await input.pressSequentially(word, { delay: 20 });
  const first = page.locator(".search-result").first();
  await first.waitFor({ timeout: 10000 });
  const count = await page.locator(".search-result").count();
  check(count === 1, `one result for "${word}", got ${count}`);
  const href = await first.locator("a").getAttribute("href");
  const target = new URL(href, page.url()).href;
  check(target.startsWith(otherUrl), `the result is the ${otherLang} page: ${target}`);
  check(errors.length === 0, "no script errors: " + errors.join("; "));
});
