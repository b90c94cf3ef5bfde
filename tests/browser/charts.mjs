// Benchmark charts as Chromium draws them (the wide or the narrow layout,
// whichever the page shows), at a phone's and a desktop's width: no text runs outside the chart's viewBox (getBBox, in the SVG's
// units) or outside the SVG on screen (getBoundingClientRect), no two texts
// overlap (tick labels included), no text sits on a whisker, and each value
// label starts after its own bar and whisker.
// Usage: node charts.mjs URL... (each page holds one or more charts)
import { run, check } from "./lib.mjs";

const urls = process.argv.slice(2);
const widths = [360, 1280];

// Every problem of every chart (bars and trends) on the page, as text.
function problems() {
  const tol = 0.5;
  const out = [];
  // Each chart comes wide and narrow; the stylesheet shows one of them.
  const charts = [...document.querySelectorAll("figure.bench-chart svg.chart")].filter((s) => s.getClientRects().length > 0);
  for (const [n, svg] of charts.entries()) {
    const vb = svg.viewBox.baseVal;
    const screen = svg.getBoundingClientRect();
    const title = svg.querySelector("title").textContent;
    const whiskers = [...svg.querySelectorAll("line.whisker")].map((l) => ({
      x1: Math.min(l.x1.baseVal.value, l.x2.baseVal.value),
      x2: Math.max(l.x1.baseVal.value, l.x2.baseVal.value),
      y: l.y1.baseVal.value,
    }));
    // The text as drawn: without the tooltip <title> it may hold.
    const drawn = (t) => [...t.childNodes].filter((c) => c.nodeType === Node.TEXT_NODE).map((c) => c.textContent).join("");
    const boxes = [];
    for (const t of svg.querySelectorAll("text")) {
      const b = t.getBBox();
      const what = `chart ${n} (${title}): ${t.getAttribute("class")} "${drawn(t)}"`;
      boxes.push({ b, what });
      if (b.width === 0 && drawn(t).trim() !== "") out.push(`${what} has no box`);
      if (b.x < vb.x - tol || b.y < vb.y - tol || b.x + b.width > vb.x + vb.width + tol || b.y + b.height > vb.y + vb.height + tol) {
        out.push(`${what} box ${b.x.toFixed(1)},${b.y.toFixed(1)} ${b.width.toFixed(1)}x${b.height.toFixed(1)} outside viewBox ${vb.width}x${vb.height}`);
      }
      const r = t.getBoundingClientRect();
      if (r.left < screen.left - tol || r.right > screen.right + tol) {
        out.push(`${what} on screen ${r.left.toFixed(1)}..${r.right.toFixed(1)} outside the svg ${screen.left.toFixed(1)}..${screen.right.toFixed(1)}`);
      }
      for (const w of whiskers) {
        if (w.y > b.y && w.y < b.y + b.height && w.x2 > b.x && w.x1 < b.x + b.width) {
          out.push(`${what} (x ${b.x.toFixed(1)}..${(b.x + b.width).toFixed(1)}) overlaps the whisker ${w.x1}..${w.x2} at y ${w.y}`);
        }
      }
    }
    // Boxes include the font's ascent and descent, so rows of text touch:
    // only an overlap of more than a pixel each way counts.
    for (const [i, p] of boxes.entries()) {
      for (const q of boxes.slice(i + 1)) {
        const dx = Math.min(p.b.x + p.b.width, q.b.x + q.b.width) - Math.max(p.b.x, q.b.x);
        const dy = Math.min(p.b.y + p.b.height, q.b.y + q.b.height) - Math.max(p.b.y, q.b.y);
        if (dx > 1 && dy > 1) out.push(`${p.what} overlaps ${q.what}`);
      }
    }
    // A value label follows its bar (<rect>), then the bar's whisker, if any.
    for (const v of svg.querySelectorAll("text.value")) {
      const b = v.getBBox();
      const what = `chart ${n} (${title}): "${v.textContent}"`;
      let el = v.previousElementSibling;
      while (el && el.tagName !== "rect") {
        if (el.tagName === "line" && el.classList.contains("whisker")) {
          const end = Math.max(el.x1.baseVal.value, el.x2.baseVal.value);
          if (b.x < end + 1) out.push(`${what} starts at ${b.x.toFixed(1)}, on its whisker (to ${end})`);
        }
        el = el.previousElementSibling;
      }
      if (el) {
        const r = el.getBBox();
        if (b.x < r.x + r.width) out.push(`${what} overlaps its bar (to ${r.x + r.width})`);
      }
    }
  }
  return { charts: charts.length, out };
}

await run(async (browser) => {
  const found = [];
  for (const width of widths) {
    const page = await browser.newPage({ viewport: { width, height: 800 } });
    for (const url of urls) {
      await page.goto(url);
      const { charts, out } = await page.evaluate(problems);
      check(charts > 0, `no chart on ${url}`);
      found.push(...out.map((p) => `${width} px, ${url.split("/").pop()}: ${p}`));
    }
    await page.close();
  }
  check(found.length === 0, `${found.length} problems:\n  ` + found.slice(0, 60).join("\n  "));
});
