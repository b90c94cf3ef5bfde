// Benchmark charts as a browser draws them: no text runs outside the
// chart's viewBox, and no value label sits on its bar or its whisker.
// Usage: node charts.mjs URL... (each page holds one or more charts)
import { run, check } from "./lib.mjs";

const urls = process.argv.slice(2);

await run(async (browser) => {
  for (const width of [360, 1280]) {
    const page = await browser.newPage({ viewport: { width, height: 800 } });
    for (const url of urls) {
      await page.goto(url);
      const problems = await page.$$eval("figure.bench-chart:not(.trend) svg.chart", (svgs) => {
        const out = [];
        svgs.forEach((svg, n) => {
          const vb = svg.viewBox.baseVal;
          for (const t of svg.querySelectorAll("text")) {
            const b = t.getBBox();
            if (b.x < -0.5 || b.x + b.width > vb.width + 0.5) {
              out.push(`chart ${n}: "${t.textContent}" spans ${b.x.toFixed(1)}..${(b.x + b.width).toFixed(1)} outside 0..${vb.width}`);
            }
          }
          for (const v of svg.querySelectorAll("text.value")) {
            const b = v.getBBox();
            let el = v.previousElementSibling;
            while (el && el.tagName !== "rect") {
              if (el.tagName === "line" && el.classList.contains("whisker")) {
                const end = Math.max(el.x1.baseVal.value, el.x2.baseVal.value);
                if (b.x < end + 1) out.push(`chart ${n}: "${v.textContent}" starts at ${b.x.toFixed(1)}, on its whisker (to ${end})`);
              }
              el = el.previousElementSibling;
            }
            if (el) {
              const r = el.getBBox();
              if (b.x < r.x + r.width) out.push(`chart ${n}: "${v.textContent}" overlaps its bar`);
            }
          }
        });
        return out;
      });
      check(problems.length === 0, `${url} at ${width}px:\n  ` + problems.join("\n  "));
      const charts = await page.$$eval("figure.bench-chart svg.chart", (s) => s.length);
      check(charts > 0, `${url}: no chart`);
    }
    await page.close();
  }
});
