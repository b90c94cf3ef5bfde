#!/usr/bin/env python3
"""Recomputes every verdict the bundled site prints, with SciPy, from the
results files, and checks the words on the built pages.

versus decides `verdict(...)` words itself (src/data/stats.rs: ratio of
medians, a seeded bootstrap interval, a two-sided Mann-Whitney U test; see
docs/data.md). This script is the independent check: for each
`verdict(...)` call in content/*.md it takes the same runs from the CSV,
computes the medians, scipy.stats.mannwhitneyu's p-value and a percentile
bootstrap interval (scipy.stats.bootstrap, its own random numbers), decides
the words by the rule the docs state (p < 0.05: a difference; else level
within 3%; else no clear difference), and looks for them in the built page.
The interval's bounds come from different random draws, so they are
compared within a tolerance; everything else must match exactly.

Usage (SciPy from PyPI, in a folder of its own):

    python3 -m venv /tmp/scipy && /tmp/scipy/bin/pip install scipy
    versus build && /tmp/scipy/bin/python benches/verdicts.py [SITE_DIR]

Exit status 1 when a verdict on a page differs from the recomputed one.
"""

import csv
import html
import re
import sys
from pathlib import Path

import numpy as np
from scipy import stats

ALPHA = 0.05
LEVEL_WITHIN = 0.03
CALL = re.compile(r"\{\{\s*verdict\((.*?)\)\s*\}\}", re.S)
ARG = re.compile(r'(\w+)\s*=\s*"([^"]*)"')


def runs(rows, benchmark, metric, selector):
    """The values of one series: `Name@24` picks the version whose first
    parts are 24 (v24.19.0), `Name` the only or newest version."""
    name, _, want = selector.partition("@")
    series = {}
    for r in rows:
        if r["benchmark"] == benchmark and r["metric"] == metric and r["subject"] == name and r["value"]:
            series.setdefault(r["version"], []).append(float(r["value"]))
    if want:
        picked = [v for v in series if v.lstrip("v").split(".")[: len(want.split("."))] == want.split(".")]
    else:
        picked = list(series)
    if len(picked) != 1:
        raise SystemExit(f"{selector} at {benchmark}: versions {sorted(series)} (picked {picked})")
    return np.array(series[picked[0]]), rows_meta(rows, metric)


def rows_meta(rows, metric):
    r = next(r for r in rows if r["metric"] == metric)
    return r["better"], r["unit"]


def sig3(v):
    """A number as versus prints a ratio: three significant digits."""
    return f"{v:.{max(0, 2 - int(np.floor(np.log10(v))))}f}"


def words(a, b, better, unit, metric):
    """The verdict's words as versus prints them, with the interval's
    bounds left as a pattern, and the bounds SciPy finds."""
    ratio = np.median(a) / np.median(b)
    p = stats.mannwhitneyu(a, b, alternative="two-sided").pvalue
    boot = stats.bootstrap(
        (a, b),
        lambda x, y: np.median(x) / np.median(y),
        n_resamples=10_000,
        method="percentile",
        vectorized=False,
        paired=False,
        random_state=np.random.default_rng(1),
    ).confidence_interval
    bigger = ratio >= 1
    n = ratio if bigger else 1 / ratio
    low, high = (boot.low, boot.high) if bigger else (1 / boot.high, 1 / boot.low)
    is_time = unit in ("ms", "s", "us", "µs", "ns", "min")
    if better == "lower" and is_time:
        word = "slower" if bigger else "faster"
    else:
        word = "more" if bigger else "less"
    plain = f"{sig3(n)}x {word}" + ("" if is_time else f" {metric}")
    interval = r"\(95% CI ([0-9.]+)–([0-9.]+)\)"
    if p < ALPHA:
        pattern = re.escape(plain) + " " + interval
    elif 1 / (1 + LEVEL_WITHIN) <= ratio <= 1 + LEVEL_WITHIN:
        pattern, low, high = re.escape("level (within 3%)"), None, None
    else:
        pattern = re.escape(f"no clear difference (medians {sig3(n)}x apart, ") + interval[2:]
    return pattern, (low, high), p


def main():
    site = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    content, public = site / "content", site / "public"
    bad = checked = 0
    # French pages print the same verdicts in French words; tests/bundled.rs
    # checks that they show the same figures as the English pages.
    for md in sorted(p for p in content.glob("*.md") if not p.stem.endswith(".fr")):
        text = md.read_text()
        calls = [dict(ARG.findall(m.group(1))) for m in CALL.finditer(text)]
        if not calls:
            continue
        page = public / md.relative_to(content).with_suffix(".html")
        if md.stem == "_index":
            page = page.parent / "index.html"
        shown = html.unescape(re.sub(r"<[^>]+>", "", page.read_text()))
        shown = re.sub(r"\s+", " ", shown)
        for c in calls:
            rows = list(csv.DictReader(open(content / c["data"])))
            a, (better, unit) = runs(rows, c["benchmark"], c["metric"], c["subject"])
            b, _ = runs(rows, c.get("vs_benchmark", c["benchmark"]), c["metric"], c["vs"])
            pattern, (low, high), p = words(a, b, better, unit, c["metric"])
            # The same words may stand on a page twice (two comparisons
            # with the same ratio): any one with these bounds will do.
            matches = list(re.finditer(pattern, shown))
            found = matches[0] if matches else None
            ok = found is not None
            if ok and low is not None:
                near = [
                    m
                    for m in matches
                    if abs(float(m.group(1)) - low) <= 0.02 * low
                    and abs(float(m.group(2)) - high) <= 0.02 * high
                ]
                ok = bool(near)
                found = near[0] if near else found
            checked += 1
            bad += not ok
            what = f"{c['benchmark']}: {c['subject']} vs {c['vs']}"
            print(
                f"{'ok ' if ok else 'BAD'} {page.relative_to(public)}: {what}: "
                f"p = {p:.4g}, expected /{pattern}/"
                + (f" with CI near {low:.2f}-{high:.2f}" if low is not None else "")
                + ("" if found is None else f"; page says {found.group(0)!r}")
            )
    print(f"{checked} verdicts checked, {bad} differ")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
