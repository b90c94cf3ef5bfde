// Comparisons fit the screen (issue 23): at a phone's, a tablet's and a
// desktop's width, in Chromium,
// - the page never scrolls sideways (no element wider than the window);
// - no table scrolls sideways: every column of every table is in view
//   (a scrolling wrapper's scrollWidth is its clientWidth);
// - no chart text is drawn under 11 px on screen (its font size times the
//   scale at which its SVG is drawn);
// - a matrix or results table shown as cards is still a table, with
//   column headers and cells, in the accessibility tree;
// and, with --axe, axe-core finds no violation on the page.
// Blocks below the fold are laid out lazily (content-visibility: auto):
// the script lays every block out first, as scrolling to it would.
// Usage: node fit.mjs [--axe] [--report] [--widths=360,768,1280] URL...
//   --report prints the measurements and never fails.
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { run, check } from "./lib.mjs";

const args = process.argv.slice(2);
const axe = args.includes("--axe");
const report = args.includes("--report");
const urls = args.filter((a) => !a.startsWith("--"));
const widthsArg = args.find((a) => a.startsWith("--widths="));
const widths = widthsArg ? widthsArg.slice(9).split(",").map(Number) : [360, 768, 1280];
const MIN_TEXT_PX = 11;

const here = path.dirname(fileURLToPath(import.meta.url));
const axePath = createRequire(path.join(here, "../../.ci/node_modules/")).resolve("axe-core/axe.min.js");

// What does not fit on the page, as measured in the window.
function measure(minText) {
  const tol = 1;
  const out = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + tol) {
    out.push(`the page is ${root.scrollWidth - root.clientWidth} px wider than the window`);
    // Name the widest culprits.
    const wide = [...document.body.querySelectorAll("*")]
      .filter((e) => e.getBoundingClientRect().right > root.clientWidth + tol)
      .filter((e) => !e.parentElement || e.parentElement.getBoundingClientRect().right <= root.clientWidth + tol);
    for (const e of wide.slice(0, 5)) {
      out.push(`  reaching ${e.getBoundingClientRect().right.toFixed(0)} px: <${e.tagName.toLowerCase()} class="${e.className.baseVal ?? e.className}">`);
    }
  }
  // A scrolling table: a wrapper around one, or a Markdown table (itself
  // a scrolling block).
  const scrollers = new Set();
  for (const t of document.querySelectorAll("table")) {
    const wrap = t.closest(".table-wrap");
    scrollers.add(wrap || t);
  }
  let overflowing = 0;
  for (const s of scrollers) {
    if (s.getClientRects().length === 0) continue;
    if (s.scrollWidth > s.clientWidth + tol) {
      overflowing++;
      const cap = s.querySelector("caption");
      const name = cap ? cap.textContent.trim().slice(0, 60) : s.textContent.trim().slice(0, 40);
      out.push(`a table scrolls sideways (${s.scrollWidth} px in ${s.clientWidth}): "${name}"`);
    }
  }
  let smallest = Infinity;
  let texts = 0;
  for (const svg of document.querySelectorAll("svg.chart")) {
    const r = svg.getBoundingClientRect();
    if (r.width === 0) continue; // a layout this width does not show
    const scale = r.width / svg.viewBox.baseVal.width;
    for (const t of svg.querySelectorAll("text")) {
      const px = parseFloat(getComputedStyle(t).fontSize) * scale;
      texts++;
      if (px < smallest) smallest = px;
      if (px < minText - 0.05) {
        const title = svg.querySelector("title").textContent;
        out.push(`chart "${title.slice(0, 50)}": "${t.textContent.slice(0, 30)}" drawn at ${px.toFixed(1)} px`);
        break;
      }
    }
  }
  return { out, tables: scrollers.size, overflowing, texts, smallest: texts ? smallest : null };
}

await run(async (browser) => {
  const found = [];
  const summary = [];
  for (const width of widths) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    for (const url of urls) {
      await page.goto(url);
      await page.addStyleTag({ content: "* { content-visibility: visible !important; }" });
      const m = await page.evaluate(measure, MIN_TEXT_PX);
      const name = url.split("/").slice(-2).join("/");
      summary.push(
        `${width} px ${name}: ${m.overflowing}/${m.tables} tables scroll, ` +
          `smallest chart text ${m.smallest === null ? "-" : m.smallest.toFixed(1) + " px"}` +
          (m.out.some((o) => o.startsWith("the page")) ? ", page overflows" : ""),
      );
      found.push(...m.out.map((p) => `${width} px, ${name}: ${p}`));
      // Cards are tables still: the accessibility tree keeps the table, its
      // rows and cells, without the visual labels (data-label) in them.
      for (const table of await page.locator(".compare table, .bench table").all()) {
        const tree = await table.ariaSnapshot();
        if (!/^- ['"]?table/.test(tree) || !tree.includes("- cell") || !tree.includes("- columnheader")) {
          found.push(`${width} px, ${name}: a table lost its table semantics:\n${tree.slice(0, 300)}`);
        }
      }
      if (axe && (width === 360 || width === 1280)) {
        await page.addScriptTag({ path: axePath });
        const result = await page.evaluate(async () => {
          // eslint-disable-next-line no-undef
          const r = await axe.run(document);
          return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
        });
        found.push(...result.map((v) => `${width} px, ${name}: axe ${v}`));
      }
    }
    await page.close();
  }
  console.error(summary.join("\n"));
  if (!report) {
    check(found.length === 0, `${found.length} problems:\n  ` + found.slice(0, 80).join("\n  "));
  } else {
    console.error(found.join("\n"));
  }
});
