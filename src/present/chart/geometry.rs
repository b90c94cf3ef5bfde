//! What every kind of chart lays out with: the chart's width and fonts,
//! scales, round ticks thinned so that labels never overlap, and text
//! widths estimated from the characters ([`text_width`], on the wide side)
//! so that no label is clipped.

use serde::Serialize;

use crate::data::results::BenchSet;
use crate::present::tables::MetricTable;
use crate::text::units::format_value;

pub(super) const WIDTH: f64 = 720.0;
/// Kept clear at the right edge, for rounding.
pub(super) const MARGIN: f64 = 2.0;
/// Font sizes of the default theme's chart text (`.bench-chart` in
/// style.css): labels, and tick and axis labels.
pub const FONT: f64 = 12.0;
pub const TICK_FONT: f64 = 11.0;

#[derive(Debug, Clone, Serialize)]
pub struct Tick {
    pub x: f64,
    /// Empty on ticks left unlabelled so that labels do not overlap.
    pub label: String,
}

/// How values map onto the plot: the fraction of its width from the left.
pub(super) struct Scale {
    pub(super) log: bool,
    pub(super) lo: f64,
    pub(super) hi: f64,
}

impl Scale {
    pub(super) fn t(&self, v: f64) -> f64 {
        let t = if self.log {
            let v = v.max(self.lo);
            (v.log10() - self.lo.log10()) / (self.hi.log10() - self.lo.log10())
        } else {
            (v - self.lo) / (self.hi - self.lo)
        };
        if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) }
    }

    /// Where bars start: value 0 on a linear axis, its left end on a log one.
    pub(super) fn base(&self) -> f64 {
        if self.log { 0.0 } else { self.t(0.0) }
    }
}

/// Ticks (at `(x, value)`) labelled every `k`th, counting from 0 when it
/// is among them (else from the first), with the smallest `k` at which
/// neighbouring labels keep apart.
pub(super) fn place_ticks(at: &[(f64, f64)]) -> Vec<Tick> {
    let labels: Vec<(f64, String)> = at.iter().map(|&(x, v)| (x, format_value(v))).collect();
    let anchor = at.iter().position(|&(_, v)| v == 0.0).unwrap_or(0);
    thin_across(labels, anchor)
}

/// Labels along a horizontal axis, every `k`th kept (counting from
/// `anchor`), with the smallest `k` at which kept neighbours do not touch.
pub(super) fn thin_across(labels: Vec<(f64, String)>, anchor: usize) -> Vec<Tick> {
    let widths: Vec<f64> = labels
        .iter()
        .map(|(_, l)| text_width(l, TICK_FONT, false))
        .collect();
    let k = thinning(labels.len(), anchor, |i, j| {
        (labels[j].0 - labels[i].0).abs() >= (widths[i] + widths[j]) / 2.0 + 6.0
    });
    keep_every(labels, anchor, k)
}

/// Labels along a vertical axis (at `(y, label)`), thinned as
/// [`thin_across`] does, rows of tick text being one line high.
pub(super) fn thin_down(labels: Vec<(f64, String)>, anchor: usize) -> Vec<Tick> {
    let k = thinning(labels.len(), anchor, |i, j| {
        (labels[j].0 - labels[i].0).abs() >= TICK_FONT + 3.0
    });
    keep_every(labels, anchor, k)
}

/// The smallest `k` such that every `k`th of `n` labels, counting from
/// `anchor`, is `apart` from the next one kept.
pub(super) fn thinning(n: usize, anchor: usize, apart: impl Fn(usize, usize) -> bool) -> usize {
    (1..n.max(1))
        .find(|&k| {
            let kept: Vec<usize> = (anchor % k..n).step_by(k).collect();
            kept.windows(2).all(|w| apart(w[0], w[1]))
        })
        .unwrap_or(n.max(1))
}

pub(super) fn keep_every(labels: Vec<(f64, String)>, anchor: usize, k: usize) -> Vec<Tick> {
    labels
        .into_iter()
        .enumerate()
        .map(|(i, (x, label))| Tick {
            x,
            label: if i % k == anchor % k {
                label
            } else {
                String::new()
            },
        })
        .collect()
}

/// Width in em of a character of the chart font, on the wide side: the
/// widths of DejaVu Sans (what `system-ui` is on a Linux without other
/// fonts, and wider than the system fonts of macOS and Windows), rounded
/// up. Other scripts count a full em.
pub(super) fn char_em(c: char) -> f64 {
    match c {
        '0'..='9' | '$' | '{' | '}' | 'µ' | '?' => 0.64,
        ' ' | ',' | '.' | '·' | ':' | ';' | '|' | '/' | '\\' | '\'' => 0.34,
        'i' | 'j' | 'l' | 'I' | 'J' => 0.3,
        'f' | 't' | 'r' | '!' | '(' | ')' | '[' | ']' | '-' => 0.4,
        '"' | '*' | '_' | '`' | '–' => 0.5,
        'm' => 0.98,
        'w' => 0.82,
        'M' => 0.87,
        'W' | '@' | '%' | '…' | '—' => 1.0,
        '#' | '+' | '<' | '=' | '>' | '^' | '~' | '&' => 0.84,
        'a'..='z' | 'é' | 'è' | 'ä' | 'ö' | 'ü' => 0.64,
        'A'..='Z' => 0.79,
        _ => 1.0,
    }
}

/// Estimated width of `text` drawn at `size` px, on the wide side (bold
/// widens narrow letters the most, hence the constant): the layout must
/// never cut a label, and tests/browser/charts.mjs checks the result
/// against a real browser's text boxes.
pub fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    let em: f64 = text
        .chars()
        .map(|c| {
            let w = char_em(c);
            if bold { w * 1.1 + 0.06 } else { w }
        })
        .sum();
    em * size * 1.04
}

/// `text` as drawn in at most `max` px: whole, or cut with an ellipsis
/// (then `true`).
pub(super) fn fit(text: &str, max: f64, size: f64, bold: bool) -> (String, bool) {
    if text_width(text, size, bold) <= max {
        return (text.to_string(), false);
    }
    let mut room = max - text_width("…", size, bold);
    let mut out = String::new();
    for c in text.chars() {
        room -= text_width(c.encode_utf8(&mut [0; 4]), size, bold);
        if room < 0.0 {
            break;
        }
        out.push(c);
    }
    let out = out.trim_end();
    (format!("{out}…"), true)
}

/// The smallest and largest positive values shown (both 1 when there are
/// none), and whether they span more than 100 times, which calls for a log
/// scale.
pub(super) fn positive_span(table: &MetricTable) -> (f64, f64, bool) {
    let (lo, hi) = table.extent;
    let hi = if hi > 0.0 { hi.min(f64::MAX) } else { 1.0 };
    let lo = if lo.is_finite() && lo > 0.0 { lo } else { hi };
    (lo, hi, hi / lo > 100.0)
}

/// `" ms"` for unit `ms` (with `before`), nothing for no unit.
pub(super) fn unit_after(unit: &str, before: &str) -> String {
    unit_in(unit, before, "")
}

pub(super) fn unit_in(unit: &str, before: &str, after: &str) -> String {
    if unit.is_empty() {
        String::new()
    } else {
        format!("{before}{unit}{after}")
    }
}

/// The title asked for, else "RESULTS TITLE: WHAT" (the results' own
/// title, else "Benchmark results" as `say` says it).
pub(super) fn title_or_default(
    set: &BenchSet,
    title: Option<&str>,
    what: impl Fn() -> String,
    say: &dyn super::phrases::Phrases,
) -> String {
    title.map(str::to_string).unwrap_or_else(|| {
        let base = match set.meta.title.as_deref() {
            Some(base) => base.to_string(),
            None => say.say("results_title", &[]),
        };
        format!("{base}: {}", what())
    })
}

/// Every figure of a chart in words, for `<desc>`, said by `say` with its
/// `key` (`chart_desc`, `chart_desc_trend`, `chart_desc_change`).
pub(super) fn describe(
    table: &MetricTable,
    key: &str,
    log: bool,
    words: &[String],
    say: &dyn super::phrases::Phrases,
) -> String {
    let unit = if table.unit.is_empty() {
        String::new()
    } else {
        say.say("chart_unit", &[("unit", &table.unit)])
    };
    let better = say.say(table.better.key(), &[]);
    let log = if log {
        say.say("chart_log", &[])
    } else {
        String::new()
    };
    say.say(
        key,
        &[
            ("metric", &table.metric),
            ("unit", &unit),
            ("better", &better),
            ("log", &log),
            ("values", &words.join("; ")),
        ],
    )
}

/// Coordinates rounded to a tenth of a pixel keep the SVG small and stable.
pub(super) fn r1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// Round ticks (1, 2 or 5 times a power of ten) from 0 past `max`.
pub fn linear_ticks(max: f64) -> (f64, f64, Vec<f64>) {
    let raw = max / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    // About five steps; near f64::MAX (or below the smallest step) the top
    // would be infinite and the count of ticks would be unbounded.
    let n = (max / step).ceil();
    let top = n * step;
    if !(n.is_finite() && (1.0..=10.0).contains(&n) && top.is_finite()) {
        return (0.0, max, vec![0.0, max]);
    }
    let ticks = (0..=n as usize).map(|i| i as f64 * step).collect();
    (0.0, top, ticks)
}

/// Round ticks from below `lo` (negative) to past `hi` (0 or more), 0
/// among them, about five steps in all.
pub fn signed_ticks(lo: f64, hi: f64) -> (f64, f64, Vec<f64>) {
    let hi = hi.max(0.0);
    let (_, _, probe) = linear_ticks(hi - lo);
    let step = probe.get(1).copied().unwrap_or(hi - lo);
    let a = (lo / step).floor();
    let b = (hi / step).ceil();
    if !(step.is_finite() && step > 0.0 && a.is_finite() && b.is_finite() && b - a <= 12.0) {
        return (lo, hi, vec![lo, 0.0, hi]);
    }
    let ticks = (a as i64..=b as i64).map(|i| i as f64 * step).collect();
    (a * step, b * step, ticks)
}

/// Ticks at each power of ten around `lo..hi`.
pub fn log_ticks(lo: f64, hi: f64) -> (f64, f64, Vec<f64>) {
    // Within the normal range of f64: an infinite `hi` once asked for two
    // billion ticks.
    let a = (lo.log10().floor() as i32).clamp(-307, 307);
    let b = (hi.log10().ceil() as i32).clamp(a + 1, 308);
    let ticks = (a..=b).map(|e| 10f64.powi(e)).collect();
    (10f64.powi(a), 10f64.powi(b), ticks)
}
