// Nothing moves once it is on screen: each page of a built site is served
// over HTTP (tests/browser/lib.mjs), with every script held back 400 ms so
// that the page is painted before its scripts run, as on a slow phone,
// and loaded in Chromium at a phone's size (Lighthouse's: 412 x 823, 1.75 device pixels a CSS pixel)
// and a desktop's (1280 x 800), left alone for half a second, and its
// layout shifts (the Layout Instability API, what Lighthouse's cumulative
// layout shift adds up) must sum to under 0.0001: nothing moves. A failure
// names the elements that moved and how far.
// Usage: node shift.mjs OUTPUT_DIR PAGE...   (PAGE: a path under OUTPUT_DIR)
import path from "node:path";
import { run, check, serve } from "./lib.mjs";

const [dir, ...pages] = process.argv.slice(2);
const SCRIPT_DELAY_MS = 400;
const SIZES = [
  { name: "phone", viewport: { width: 412, height: 823 }, deviceScaleFactor: 1.75, isMobile: true, hasTouch: true },
  { name: "desktop", viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 },
];
const MAX = 0.0001;

// The page's shifts so far, with what moved: runs in the page.
function shifts() {
  return new Promise((resolve) => {
    const out = [];
    const describe = (n) => {
      if (!n || !n.tagName) return String(n && n.nodeName);
      const id = n.id ? "#" + n.id : "";
      const cls = typeof n.className === "string" && n.className ? "." + n.className.trim().split(/\s+/).join(".") : "";
      return n.tagName.toLowerCase() + id + cls;
    };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (e.hadRecentInput) continue;
        out.push({
          value: e.value,
          moved: (e.sources || []).map((s) => `${describe(s.node)} from y=${Math.round(s.previousRect.y)} to y=${Math.round(s.currentRect.y)}`),
        });
      }
    }).observe({ type: "layout-shift", buffered: true });
    // Buffered entries arrive in the observer's first callback.
    setTimeout(() => resolve(out), 100);
  });
}

const { server, base } = await serve(path.resolve(dir), { scriptDelay: SCRIPT_DELAY_MS });
await run(async (browser) => {
  for (const size of SIZES) {
    const context = await browser.newContext(size);
    const page = await context.newPage();
    for (const name of pages) {
      await page.goto(base + name, { waitUntil: "load" });
      await page.waitForTimeout(500);
      const list = await page.evaluate(shifts);
      const total = list.reduce((a, e) => a + e.value, 0);
      console.log(`${size.name} ${name}: layout shift ${total.toFixed(4)}`);
      check(total <= MAX, `${name} at ${size.viewport.width} px: layout shift ${total.toFixed(4)}:\n` +
        list.map((e) => `  ${e.value.toFixed(4)}: ${e.moved.join("; ")}`).join("\n"));
    }
    await context.close();
  }
});
server.close();
