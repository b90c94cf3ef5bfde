// Redirects: opening an alias (an old address) lands on the page it
// names, from file:// as from a server. Usage: node redirect.mjs ALIAS_URL
// TARGET_URL TITLE
import { run, check } from "./lib.mjs";

const [alias, target, title] = process.argv.slice(2);

await run(async (browser) => {
  const page = await browser.newPage();
  await page.goto(alias);
  await page.waitForURL(target, { timeout: 10000 });
  check(page.url() === target, `landed on ${page.url()}, not ${target}`);
  const h1 = await page.locator("h1").first().textContent();
  check(h1.trim() === title, `the page shows "${h1}", not "${title}"`);
});
