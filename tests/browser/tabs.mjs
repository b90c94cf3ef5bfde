// Code group tabs: clicking "Python" in one group switches every group on
// the page, keyboard arrows move between tabs, and the choice survives a
// reload. Usage: node tabs.mjs URL
import { run, check } from "./lib.mjs";

const url = process.argv[2];

await run(async (browser) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(url);

  const selected = () => page.$$eval(".code-group [role=tab][aria-selected=true]", (tabs) => tabs.map((t) => t.textContent));
  const groups = await page.$$(".code-group [role=tablist]");
  check(groups.length >= 2, `expected at least two tab groups, found ${groups.length}`);
  check((await selected()).every((t) => t === "Node.js"), "first tab selected initially: " + (await selected()));

  // Only the selected panel is shown.
  const visible = await page.$$eval(".code-group .code-panel", (ps) => ps.filter((p) => !p.hidden).length);
  check(visible === groups.length, `one visible panel per group, got ${visible}`);

  // Click Python in the first group: every group follows.
  await page.locator(".code-group").first().getByRole("tab", { name: "Python" }).click();
  check((await selected()).every((t) => t === "Python"), "all groups switched: " + (await selected()));

  // Arrow keys move the selection (WAI-ARIA tabs pattern).
  const firstPython = page.locator(".code-group").first().getByRole("tab", { name: "Python" });
  await firstPython.focus();
  await page.keyboard.press("ArrowLeft");
  const focused = await page.evaluate(() => document.activeElement.textContent);
  check(focused === "Node.js", "ArrowLeft moves focus to Node.js, got " + focused);
  await page.keyboard.press("ArrowRight");
  check((await selected()).every((t) => t === "Python"), "ArrowRight back to Python everywhere");

  // Reload: the choice is remembered.
  await page.reload();
  check((await selected()).every((t) => t === "Python"), "choice remembered after reload: " + (await selected()));

  // Another page of the same site remembers it too (a new page in the same profile).
  // Chromium hands a page's localStorage writes to other processes in
  // batches, so under load a page opened at once may still see the old
  // value: wait (up to 5 s) for the choice to arrive, then check it.
  const second = await context.newPage();
  await second.goto(url);
  await second
    .waitForFunction(
      () => [...document.querySelectorAll(".code-group [role=tab][aria-selected=true]")].every((t) => t.textContent === "Python"),
      null,
      { timeout: 5000 },
    )
    .catch(() => {});
  const s2 = await second.$$eval(".code-group [role=tab][aria-selected=true]", (t) => t.map((x) => x.textContent));
  check(s2.every((t) => t === "Python"), "remembered across pages: " + s2);

  check(errors.length === 0, "page errors: " + errors.join("; "));
});
