//! Charts of benchmark results, laid out at build time: the theme's
//! template only draws what is computed here. Each kind of chart is a
//! module ([`bars`], [`trend`], [`relative`]) holding its wide layout and
//! its phone layout ([`phone`] holds what they share), described by a
//! [`Spec`]; [`kinds!`] below lists them. Adding a kind is one module and
//! one line there.
//!
//! This module holds what the kinds share: scales, round ticks thinned so
//! labels never overlap, and text widths estimated from the characters
//! ([`text_width`], on the wide side) so that no label is clipped.

use serde::Serialize;

use crate::data::results::BenchSet;
use crate::present::tables::MetricTable;
use crate::units::format_value;

pub mod bars;
pub mod phone;
pub mod relative;
pub mod trend;

pub use phone::width_class;

const WIDTH: f64 = 720.0;
const LABEL_W: f64 = 150.0;
/// The widest the column of subject names grows before names are cut.
const LABEL_W_MAX: f64 = 240.0;
const VALUE_W: f64 = 110.0;
/// The narrowest the plot gets to make room for value labels; past it the
/// chart is made wider instead.
const MIN_PLOT_W: f64 = 280.0;
const BAR_H: f64 = 18.0;
const BAR_GAP: f64 = 4.0;
const GROUP_HEAD: f64 = 22.0;
const GROUP_GAP: f64 = 10.0;
const TOP: f64 = 8.0;
const AXIS_H: f64 = 34.0;
/// Below a bar chart's plot: tick labels and the axis label, with room for
/// text boxes that grow when a phone draws the chart at half size (font
/// metrics are rounded to whole pixels).
const BAR_AXIS_H: f64 = 38.0;
/// From the end of a bar or whisker to its value label.
const VALUE_GAP: f64 = 6.0;
/// Kept clear at the right edge, for rounding.
const MARGIN: f64 = 2.0;
/// From a subject name to the plot.
const NAME_GAP: f64 = 8.0;
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
struct Scale {
    log: bool,
    lo: f64,
    hi: f64,
}

impl Scale {
    fn t(&self, v: f64) -> f64 {
        let t = if self.log {
            let v = v.max(self.lo);
            (v.log10() - self.lo.log10()) / (self.hi.log10() - self.lo.log10())
        } else {
            (v - self.lo) / (self.hi - self.lo)
        };
        if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) }
    }

    /// Where bars start: value 0 on a linear axis, its left end on a log one.
    fn base(&self) -> f64 {
        if self.log { 0.0 } else { self.t(0.0) }
    }
}

/// Declares the kinds of chart: `Variant => module,` each, the module
/// holding a `SPEC` (see [`Spec`]).
macro_rules! kinds {
    ($($kind:ident => $module:ident,)*) => {
        /// A kind of chart `bench_chart` draws.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Kind {
            $($kind,)*
        }

        impl Kind {
            /// Every kind, in the order they are tried.
            pub const ALL: &[Kind] = &[$(Kind::$kind,)*];

            /// What the kind's module says of it.
            pub fn spec(self) -> &'static Spec {
                match self {
                    $(Kind::$kind => &$module::SPEC,)*
                }
            }
        }
    };
}

kinds! {
    Bars => bars,
    Trend => trend,
    RelativeTrend => relative,
}

/// A kind of chart, as its module describes it.
pub struct Spec {
    /// The `kind` the template is given (`bars`, `trend`, `relative-trend`).
    pub name: &'static str,
    /// The values of the call's `trend` and `relative` that ask for it.
    pub trend: bool,
    pub relative: bool,
    /// Lays out the chart of one table of the set.
    pub draw: fn(&BenchSet, &MetricTable, Option<&str>) -> Result<Drawn, String>,
}

impl Kind {
    /// The kind a call's `trend` and `relative` ask for; `None` when no kind
    /// is drawn so (`relative` without `trend`).
    pub fn of(trend: bool, relative: bool) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|k| k.spec().trend == trend && k.spec().relative == relative)
    }

    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// The chart of `table` (one metric of `set`); an error says why this
    /// kind cannot draw it.
    pub fn draw(
        self,
        set: &BenchSet,
        table: &MetricTable,
        title: Option<&str>,
    ) -> Result<Drawn, String> {
        (self.spec().draw)(set, table, title)
    }
}

/// A chart laid out for its template: the width class of the wide layout
/// ([`width_class`]), and the wide and phone layouts under the names the
/// template reads them by.
#[derive(Debug)]
pub struct Drawn {
    pub fit_class: String,
    pub layouts: [(&'static str, serde_json::Value); 2],
}

impl Drawn {
    fn new(
        fit_class: String,
        wide: (&'static str, &impl Serialize),
        phone: (&'static str, &impl Serialize),
    ) -> Result<Self, String> {
        Ok(Self {
            fit_class,
            layouts: [
                (
                    wide.0,
                    serde_json::to_value(wide.1).map_err(|e| e.to_string())?,
                ),
                (
                    phone.0,
                    serde_json::to_value(phone.1).map_err(|e| e.to_string())?,
                ),
            ],
        })
    }
}

/// Ticks (at `(x, value)`) labelled every `k`th, counting from 0 when it
/// is among them (else from the first), with the smallest `k` at which
/// neighbouring labels keep apart.
fn place_ticks(at: &[(f64, f64)]) -> Vec<Tick> {
    let labels: Vec<(f64, String)> = at.iter().map(|&(x, v)| (x, format_value(v))).collect();
    let anchor = at.iter().position(|&(_, v)| v == 0.0).unwrap_or(0);
    thin_across(labels, anchor)
}

/// Labels along a horizontal axis, every `k`th kept (counting from
/// `anchor`), with the smallest `k` at which kept neighbours do not touch.
fn thin_across(labels: Vec<(f64, String)>, anchor: usize) -> Vec<Tick> {
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
fn thin_down(labels: Vec<(f64, String)>, anchor: usize) -> Vec<Tick> {
    let k = thinning(labels.len(), anchor, |i, j| {
        (labels[j].0 - labels[i].0).abs() >= TICK_FONT + 3.0
    });
    keep_every(labels, anchor, k)
}

/// The smallest `k` such that every `k`th of `n` labels, counting from
/// `anchor`, is `apart` from the next one kept.
fn thinning(n: usize, anchor: usize, apart: impl Fn(usize, usize) -> bool) -> usize {
    (1..n.max(1))
        .find(|&k| {
            let kept: Vec<usize> = (anchor % k..n).step_by(k).collect();
            kept.windows(2).all(|w| apart(w[0], w[1]))
        })
        .unwrap_or(n.max(1))
}

fn keep_every(labels: Vec<(f64, String)>, anchor: usize, k: usize) -> Vec<Tick> {
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
fn char_em(c: char) -> f64 {
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
fn fit(text: &str, max: f64, size: f64, bold: bool) -> (String, bool) {
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
fn unit_after(unit: &str, before: &str) -> String {
    unit_in(unit, before, "")
}

fn unit_in(unit: &str, before: &str, after: &str) -> String {
    if unit.is_empty() {
        String::new()
    } else {
        format!("{before}{unit}{after}")
    }
}

/// The title asked for, else "RESULTS TITLE: WHAT".
fn title_or_default(set: &BenchSet, title: Option<&str>, what: impl Fn() -> String) -> String {
    title.map(str::to_string).unwrap_or_else(|| {
        let base = set.meta.title.as_deref().unwrap_or("Benchmark results");
        format!("{base}: {}", what())
    })
}

/// Every figure of a chart in words, for `<desc>`.
fn describe(table: &MetricTable, how: &str, log: bool, words: &[String]) -> String {
    format!(
        "Median {}{}{how}, {}{}. {}.",
        table.metric,
        unit_in(&table.unit, " in ", ""),
        table.better_text,
        if log { ", on a log scale" } else { "" },
        words.join("; ")
    )
}

/// Coordinates rounded to a tenth of a pixel keep the SVG small and stable.
fn r1(v: f64) -> f64 {
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

#[cfg(test)]
mod tests {
    use super::bars::*;
    use super::trend::*;
    use super::*;
    use crate::data::{Format, Source};
    use std::sync::Arc;

    const NAMES: [&str; 8] = [
        "Node.js",
        "Python",
        "Deno",
        "Bun",
        "PyPy",
        "GraalPy",
        "Node.js 24",
        "CPython 3.14",
    ];

    /// The results in `csv` and the table of their first metric, every
    /// series shown.
    fn first_table(csv: &str) -> (BenchSet, MetricTable) {
        let src = Source {
            rel: "r.csv".into(),
            shown: "content/r.csv".into(),
            text: Arc::from(csv),
            format: Format::Csv,
        };
        let set = crate::data::results::from_csv(&src, None).unwrap();
        let shown: Vec<usize> = (0..set.series.len()).collect();
        let table = crate::present::tables::tables(&set, &shown, None, None).remove(0);
        (set, table)
    }

    /// The bar chart of a CSV with two benchmarks, `n` subjects of three
    /// samples each around `value(i)` (subject `i`), in `unit`.
    fn chart_of(n: usize, unit: &str, better: &str, value: impl Fn(usize) -> f64) -> Chart {
        chart_named(&NAMES.map(str::to_string)[..n], unit, better, value)
    }

    fn chart_named(
        names: &[String],
        unit: &str,
        better: &str,
        value: impl Fn(usize) -> f64,
    ) -> Chart {
        let mut csv = String::from("benchmark,subject,unit,value,better\n");
        for bench in ["first", "second benchmark"] {
            for (i, name) in names.iter().enumerate() {
                let v = value(i);
                for s in [v - v.abs() / 8.0, v, v + v.abs() / 8.0] {
                    csv.push_str(&format!("{bench},\"{name}\",{unit},{s},{better}\n"));
                }
            }
        }
        let (set, table) = first_table(&csv);
        layout(&set, &table, None)
    }

    /// Every label's estimated box inside the chart, no value label over
    /// its bar or whisker, no tick labels over each other.
    fn assert_fits(c: &Chart, case: &str) {
        let inside = |a: f64, b: f64, what: &str| {
            assert!(
                a >= 0.0 && b <= c.width && a.is_finite() && b.is_finite(),
                "{case}: {what} spans {a}..{b}, outside 0..{}",
                c.width
            );
        };
        for b in &c.bars {
            let text = format!("{}{}", b.label, if b.best { " (best)" } else { "" });
            let w = text_width(&text, FONT, false);
            inside(b.label_x, b.label_x + w, &format!("value label {text:?}"));
            let end = b.whisker.map_or(b.x + b.w, |w| w.1).max(b.x + b.w);
            assert!(
                b.label_x >= end + VALUE_GAP - 0.1,
                "{case}: label {text:?} at {} over the bar or whisker ending at {end}",
                b.label_x
            );
            if let Some((lo, hi)) = b.whisker {
                assert!(
                    lo <= hi && lo >= c.plot_left && hi <= c.plot_right,
                    "{case}: whisker"
                );
            }
            assert!(b.w >= 0.0 && b.x >= c.plot_left && b.x + b.w <= c.plot_right + 0.1);
            let right = c.plot_left - NAME_GAP;
            inside(
                right - text_width(&b.subject_text, FONT, false),
                right,
                "subject",
            );
            assert_eq!(b.truncated, b.subject_text != b.subject, "{case}");
        }
        for g in &c.groups {
            inside(0.0, text_width(&g.text, FONT, true), "group label");
        }
        let labelled: Vec<&Tick> = c.ticks.iter().filter(|t| !t.label.is_empty()).collect();
        assert!(!labelled.is_empty(), "{case}: no tick labelled");
        for t in &labelled {
            let w = text_width(&t.label, TICK_FONT, false);
            inside(t.x - w / 2.0, t.x + w / 2.0, &format!("tick {:?}", t.label));
        }
        for p in labelled.windows(2) {
            let gap = p[1].x - p[0].x;
            let half = (text_width(&p[0].label, TICK_FONT, false)
                + text_width(&p[1].label, TICK_FONT, false))
                / 2.0;
            assert!(
                gap >= half,
                "{case}: ticks {:?} and {:?} overlap",
                p[0].label,
                p[1].label
            );
        }
        let axis = text_width(&c.axis_text, TICK_FONT, false);
        inside(c.plot_right - axis, c.plot_right, "axis label");
    }

    #[test]
    fn labels_fit_with_1_4_and_8_subjects_at_any_size_and_sign() {
        type Case = (&'static str, &'static str, &'static str, fn(usize) -> f64);
        let cases: [Case; 10] = [
            ("ordinary", "ms", "lower", |i| 10.0 * (i + 1) as f64),
            ("issue #16", "ops/s", "higher", |i| {
                1_900_000.0 - 150_000.0 * i as f64
            }),
            ("tiny", "", "lower", |i| 1e-9 * (i + 1) as f64),
            ("huge", "", "higher", |i| 1e12 * (i + 1) as f64),
            ("long unit", "requests per second", "higher", |i| {
                1e12 * (i + 1) as f64
            }),
            ("zero", "", "lower", |i| 5.0 * i as f64),
            ("negative", "ms", "lower", |i| (i as f64 - 2.0) * 7.5),
            ("all negative", "", "higher", |i| -3.0 * (i + 1) as f64),
            ("zero and wide", "", "lower", |i| {
                if i == 0 { 0.0 } else { 10f64.powi(i as i32) }
            }),
            ("tiny to huge", "", "lower", |i| {
                1e-9 * 1e3f64.powi(i as i32)
            }),
        ];
        for (name, unit, better, value) in cases {
            for n in [1, 4, 8] {
                let c = chart_of(n, unit, better, value);
                assert_fits(&c, &format!("{name}, {n} subjects"));
            }
        }
    }

    #[test]
    fn ordinary_charts_keep_their_size() {
        let c = chart_of(4, "ms", "lower", |i| 10.0 * (i + 1) as f64);
        assert_eq!((c.width, c.plot_left, c.plot_right), (720.0, 150.0, 610.0));
        assert!(c.bars.iter().all(|b| !b.truncated) && c.zero_x.is_none());
    }

    #[test]
    fn a_long_best_label_narrows_the_plot_instead_of_clipping() {
        let c = chart_of(4, "ops/s", "higher", |i| 4_400_000.0 - 150_000.0 * i as f64);
        let best = c.bars.iter().find(|b| b.best).unwrap();
        assert_eq!(best.label, "4,400,000 ops/s");
        assert!(c.plot_right < 610.0 && c.width == 720.0, "{}", c.plot_right);
        assert!(best.label_x > best.whisker.unwrap().1, "after the whisker");
    }

    #[test]
    fn a_label_too_long_for_the_narrowest_plot_widens_the_chart() {
        // A long name widens the column of names, leaving less for the plot.
        let names = ["A runtime with a long name, version 1.2.3", "B", "C", "D"];
        let names = names.map(str::to_string);
        let c = chart_named(&names, "requests per second", "higher", |i| {
            1e12 * (i + 1) as f64
        });
        assert_eq!(c.plot_right - c.plot_left, MIN_PLOT_W);
        let best = c.bars.iter().find(|b| b.best).unwrap();
        let end = best.label_x + text_width(&format!("{} (best)", best.label), FONT, false);
        assert!(c.width > WIDTH && c.width >= end, "{} for {end}", c.width);
        assert_fits(&c, "widened");
    }

    #[test]
    fn zero_draws_no_bar_but_a_label_and_negatives_run_left_of_a_zero_line() {
        let c = chart_of(4, "ms", "lower", |i| (i as f64 - 2.0) * 7.5);
        let zero = c.zero_x.expect("a zero line");
        let z = &c.bars[2];
        assert_eq!((z.w, z.x, z.label.as_str()), (0.0, zero, "0 ms"));
        let neg = &c.bars[0];
        assert!((neg.x + neg.w - zero).abs() < 0.2, "ends at zero: {neg:?}");
        assert!(neg.label_x > zero, "written right of the zero line");
        assert!(c.ticks.iter().any(|t| t.label == "0"));
        assert!(c.ticks.iter().any(|t| t.label.starts_with('-')));
    }

    #[test]
    fn log_scale_falls_back_to_linear_with_a_note_on_zero() {
        let c = chart_of(4, "", "lower", |i| {
            if i == 0 { 0.0 } else { 10f64.powi(i as i32) }
        });
        assert!(!c.log);
        assert!(
            c.scale_note.contains("cannot show zero or negative"),
            "{}",
            c.scale_note
        );
        let c = chart_of(4, "", "lower", |i| 10f64.powi(i as i32));
        assert!(c.log && c.scale_note == "log scale");
    }

    #[test]
    fn tiny_and_huge_values_are_written_in_full() {
        let c = chart_of(1, "", "lower", |_| 1e-9);
        assert!(
            c.bars[0].label.starts_with("0.000000001"),
            "{}",
            c.bars[0].label
        );
        let c = chart_of(1, "", "lower", |_| 1e12);
        assert_eq!(c.bars[0].label, "1,000,000,000,000");
    }

    #[test]
    fn long_names_are_cut_with_an_ellipsis_and_kept_whole() {
        let long = "A runtime with a very long name indeed, version 1.2.3 (cluster mode)";
        let names = [long.to_string(), "B".to_string()];
        let c = chart_named(&names, "ms", "lower", |i| 5.0 + i as f64);
        let b = &c.bars[0];
        assert!(b.truncated && b.subject_text.ends_with('…'), "{b:?}");
        assert_eq!(b.subject, long);
        assert_eq!(c.plot_left, LABEL_W_MAX);
        assert_fits(&c, "long name");
        let (text, cut) = fit(&"W".repeat(400), 100.0, FONT, true);
        assert!(cut && text_width(&text, FONT, true) <= 100.0);
    }

    #[test]
    fn widths_err_on_the_wide_side_of_dejavu_sans() {
        // Measured in Chromium with DejaVu Sans at 12 px.
        for (text, measured) in [("1,900,000 ops/s (best)", 135.5), ("Node.js", 44.7)] {
            let w = text_width(text, FONT, false);
            assert!(w >= measured && w < measured * 1.25, "{text}: {w}");
        }
    }

    fn trend_of(versions: &[&str], value: impl Fn(usize) -> f64) -> Trend {
        let mut csv = String::from("benchmark,subject,version,value\n");
        for (i, v) in versions.iter().enumerate() {
            csv.push_str(&format!("fib,Node.js,{v},{}\n", value(i)));
        }
        let (set, table) = first_table(&csv);
        trend(&set, &table, None).unwrap()
    }

    #[test]
    fn a_trend_makes_room_for_its_widest_value_and_version_labels() {
        let t = trend_of(&["v20", "v22"], |i| 1e12 * (i + 1) as f64);
        let widest = t
            .y_ticks
            .iter()
            .map(|k| text_width(&k.label, TICK_FONT, false))
            .fold(0.0, f64::max);
        assert!(widest > 64.0, "the case needs wide labels: {widest}");
        assert!(
            t.plot_left - 6.0 - widest >= MARGIN,
            "{} {widest}",
            t.plot_left
        );
        let long = "v30.0.0-nightly20261205a1b2c3d4";
        let t = trend_of(&["v20", long], |i| (i + 1) as f64);
        let last = t.x_ticks.last().unwrap();
        let w = text_width(&last.label, TICK_FONT, false);
        assert!(last.x + w / 2.0 <= t.width - MARGIN, "{} + {w} / 2", last.x);
        let ordinary = trend_of(&["3.11", "3.12", "3.13"], |i| 10.0 + i as f64);
        assert_eq!(ordinary.plot_left, TREND_LEFT, "room as before");
    }

    #[test]
    fn a_trend_below_zero_runs_from_a_labelled_zero() {
        let t = trend_of(&["v1", "v2", "v3"], |i| -40.0 + 30.0 * i as f64);
        assert!(!t.log);
        let zero = t.y_ticks.iter().find(|k| k.label == "0");
        assert!(zero.is_some(), "{:?}", t.y_ticks);
        // The lowest point is at or above the axis, not clamped below it.
        let low = t.lines[0].points[0].y;
        assert!(low <= t.axis_y && low > t.plot_top, "{low}");
    }

    #[test]
    fn thinned_ticks_keep_zeros_label() {
        let at: Vec<(f64, f64)> = (-6..=6)
            .map(|i| (100.0 + 10.0 * i as f64, i as f64 * 1e6))
            .collect();
        let ticks = place_ticks(&at);
        assert!(ticks.iter().any(|t| t.label.is_empty()), "thinned");
        assert_eq!(ticks[6].label, "0");
    }

    #[test]
    fn linear_ticks_are_round() {
        let (_, top, t) = linear_ticks(182.0);
        assert_eq!(top, 200.0);
        assert_eq!(t, vec![0.0, 50.0, 100.0, 150.0, 200.0]);
    }

    #[test]
    fn log_ticks_span_decades() {
        let (lo, hi, t) = log_ticks(0.5, 2000.0);
        assert_eq!((lo, hi), (0.1, 10000.0));
        assert_eq!(t.len(), 6);
    }

    #[test]
    fn ticks_stay_few_at_the_ends_of_f64() {
        for max in [f64::MAX, 1.7e308, 5e-324, 1e-310, f64::INFINITY, f64::NAN] {
            let (_, top, t) = linear_ticks(max);
            assert!(t.len() <= 11, "{max}: {} ticks", t.len());
            assert!(!top.is_infinite() || max.is_infinite(), "{max}: top {top}");
        }
        for (lo, hi) in [(5e-324, f64::MAX), (1.0, f64::INFINITY), (1e-300, 1e300)] {
            let (a, b, t) = log_ticks(lo, hi);
            assert!(t.len() <= 616 && a > 0.0 && b.is_finite(), "{lo}..{hi}");
        }
    }
}
