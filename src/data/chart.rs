//! Geometry of a benchmark chart, computed at build time: grouped horizontal
//! bars (one group per benchmark, one bar per subject), the spread of the
//! samples as a whisker, an axis with round ticks, and a log scale when the
//! values span more than two orders of magnitude. The theme's template only
//! draws what is computed here.

use serde::Serialize;

use super::results::{BenchSet, MetricTable};
use crate::units::format_value;

const WIDTH: f64 = 720.0;
const LABEL_W: f64 = 150.0;
const VALUE_W: f64 = 110.0;
const BAR_H: f64 = 18.0;
const BAR_GAP: f64 = 4.0;
const GROUP_HEAD: f64 = 22.0;
const GROUP_GAP: f64 = 10.0;
const TOP: f64 = 8.0;
const AXIS_H: f64 = 34.0;

#[derive(Debug, Serialize)]
pub struct Chart {
    pub width: f64,
    pub height: f64,
    pub title: String,
    /// Every figure in words, for screen readers and `<desc>`.
    pub description: String,
    pub metric: String,
    pub unit: String,
    pub log: bool,
    pub scale_note: String,
    pub plot_left: f64,
    pub plot_right: f64,
    pub axis_y: f64,
    pub ticks: Vec<Tick>,
    pub groups: Vec<Group>,
    pub bars: Vec<Bar>,
}

#[derive(Debug, Serialize)]
pub struct Tick {
    pub x: f64,
    pub label: String,
}

#[derive(Debug, Serialize)]
pub struct Group {
    pub label: String,
    /// The label as drawn, cut to the chart's width.
    pub short: String,
    pub y: f64,
}

#[derive(Debug, Serialize)]
pub struct Bar {
    pub subject: String,
    /// The subject as drawn: cut with an ellipsis to fit its column (the
    /// template then gives the whole name as a tooltip).
    pub subject_short: String,
    /// Index of the subject in the file, for the colour (`series-N`).
    pub series: usize,
    pub y: f64,
    pub h: f64,
    pub x: f64,
    pub w: f64,
    pub label: String,
    pub label_x: f64,
    pub text_y: f64,
    pub best: bool,
    pub missing: bool,
    pub whisker: Option<(f64, f64)>,
}

/// Lays out the chart of `table` (one metric of `set`).
pub fn layout(set: &BenchSet, table: &MetricTable, title: Option<&str>) -> Chart {
    let (lo, hi) = table.extent;
    let hi = if hi > 0.0 { hi.min(f64::MAX) } else { 1.0 };
    let lo = if lo.is_finite() && lo > 0.0 { lo } else { hi };
    let log = hi / lo > 100.0;
    let plot_left = LABEL_W;
    let plot_right = WIDTH - VALUE_W;
    let (domain_lo, domain_hi, tick_values) = if log {
        log_ticks(lo, hi)
    } else {
        linear_ticks(hi)
    };
    let scale = |v: f64| -> f64 {
        let t = if log {
            let v = v.max(domain_lo);
            (v.log10() - domain_lo.log10()) / (domain_hi.log10() - domain_lo.log10())
        } else {
            v / domain_hi
        };
        r1(plot_left + t.clamp(0.0, 1.0) * (plot_right - plot_left))
    };
    let unit_suffix = unit_after(&table.unit, " ");
    let mut y = TOP;
    let mut groups = Vec::new();
    let mut bars = Vec::new();
    let mut words = Vec::new();
    // The right end of the widest value label: the chart widens to hold it.
    let mut right = WIDTH;
    for bench in &table.benchmarks {
        groups.push(Group {
            label: bench.benchmark.clone(),
            short: fit(&bench.benchmark, WIDTH, true),
            y: y + 15.0,
        });
        y += GROUP_HEAD;
        let mut figures = Vec::new();
        for r in &bench.results {
            let x_end = if r.missing {
                plot_left
            } else {
                scale(r.median)
            };
            let label = if r.missing {
                "missing".to_string()
            } else {
                format!("{}{unit_suffix}", r.median_text)
            };
            figures.push(format!("{} {}", r.label, label));
            let whisker = (r.samples > 1 && !r.missing).then(|| (scale(r.min), scale(r.max)));
            // The value starts after the bar and after its whisker.
            let ends = whisker.map_or(x_end, |(_, hi)| x_end.max(hi));
            let label_x = r1(ends.max(plot_left) + 6.0);
            let drawn = if r.best {
                format!("{label} (best)")
            } else {
                label.clone()
            };
            right = right.max(label_x + text_width(&drawn, false));
            bars.push(Bar {
                subject_short: fit(&r.label, LABEL_W - 12.0, false),
                subject: r.label.clone(),
                series: r.series % 8,
                y,
                h: BAR_H,
                x: plot_left,
                w: r1((x_end - plot_left).max(if r.missing { 0.0 } else { 1.0 })),
                label,
                label_x,
                text_y: y + BAR_H - 5.0,
                best: r.best,
                missing: r.missing,
                whisker,
            });
            y += BAR_H + BAR_GAP;
        }
        words.push(format!("{}: {}", bench.benchmark, figures.join(", ")));
        y += GROUP_GAP;
    }
    let axis_y = y;
    let ticks = tick_values
        .into_iter()
        .map(|v| Tick {
            x: scale(v),
            label: format_value(v),
        })
        .collect();
    let scale_note = if log {
        "log scale".to_string()
    } else {
        String::new()
    };
    let title = title_or_default(set, title, || {
        format!("{}{}", table.metric, unit_in(&table.unit, " (", ")"))
    });
    let description = describe(table, "", log, &words);
    Chart {
        width: r1(right.max(WIDTH) + 4.0).max(WIDTH),
        height: axis_y + AXIS_H,
        title,
        description,
        metric: table.metric.clone(),
        unit: table.unit.clone(),
        log,
        scale_note,
        plot_left,
        plot_right,
        axis_y,
        ticks,
        groups,
        bars,
    }
}

/// A trend chart: one subject (or a few) across its versions. Versions
/// run along the x axis, oldest first; each benchmark (and subject) is a
/// line through its medians, drawn with its own colour and dash pattern
/// and named in a legend under the axis (with the same pattern), so colour
/// is never the only way to tell lines apart.
#[derive(Debug, Serialize)]
pub struct Trend {
    pub width: f64,
    pub height: f64,
    pub title: String,
    pub description: String,
    pub metric: String,
    pub unit: String,
    pub log: bool,
    pub plot_left: f64,
    pub plot_right: f64,
    pub plot_top: f64,
    pub axis_y: f64,
    pub x_ticks: Vec<Tick>,
    /// `x` holds the y coordinate of each value tick.
    pub y_ticks: Vec<Tick>,
    pub lines: Vec<Line>,
}

#[derive(Debug, Serialize)]
pub struct Line {
    pub label: String,
    /// Colour and dash pattern (`series-N`, `line-N`).
    pub series: usize,
    /// SVG path data through the points.
    pub path: String,
    pub points: Vec<Point>,
    /// The y of its legend entry.
    pub label_y: f64,
}

#[derive(Debug, Serialize)]
pub struct Point {
    pub x: f64,
    pub y: f64,
    /// "3.12.1: 836 ms", the point's tooltip.
    pub label: String,
}

const TREND_LEFT: f64 = 64.0;
const TREND_RIGHT_GAP: f64 = 24.0;
const LEGEND_ROW: f64 = 18.0;
const TREND_TOP: f64 = 12.0;
const TREND_PLOT_H: f64 = 220.0;

/// Lays out the trend of `table` across versions. Fails when the results
/// shown hold fewer than two versions.
pub fn trend(set: &BenchSet, table: &MetricTable, title: Option<&str>) -> Result<Trend, String> {
    let mut versions: Vec<&str> = Vec::new();
    for r in table.benchmarks.iter().flat_map(|b| &b.results) {
        if let Some(v) = r.version.as_deref() {
            if !versions.contains(&v) {
                versions.push(v);
            }
        }
    }
    versions.sort_by_cached_key(|v| super::results::version_key(v));
    // One axis of versions: the subjects must be versions of one runtime.
    let mut by_subject: Vec<(&str, Vec<&str>)> = Vec::new();
    for r in table.benchmarks.iter().flat_map(|b| &b.results) {
        let v = r.version.as_deref().unwrap_or("");
        match by_subject.iter_mut().find(|(s, _)| *s == r.subject) {
            Some((_, vs)) => vs.push(v),
            None => by_subject.push((&r.subject, vec![v])),
        }
    }
    if let Some(((a, _), (b, _))) = by_subject.iter().enumerate().find_map(|(i, x)| {
        by_subject[i + 1..]
            .iter()
            .find(|y| !y.1.iter().any(|v| x.1.contains(v)))
            .map(|y| (x, y))
    }) {
        return Err(format!(
            "`{a}` and `{b}` share no version: a trend shows the versions of one runtime"
        ));
    }
    if versions.len() < 2 {
        return Err(format!(
            "a trend needs results in at least two versions; these have {}",
            if versions.is_empty() {
                "none recorded".to_string()
            } else {
                versions.join(", ")
            }
        ));
    }
    let plot_left = TREND_LEFT;
    let plot_right = WIDTH - TREND_RIGHT_GAP;
    // Versions evenly spaced, 10 px in from each end of the plot.
    let step = (plot_right - plot_left - 20.0) / (versions.len() - 1) as f64;
    let x_of = |v: &str| {
        let i = versions.iter().position(|x| *x == v).unwrap_or(0);
        r1(plot_left + 10.0 + i as f64 * step)
    };
    let (lo, hi) = table.extent;
    let hi = if hi > 0.0 { hi.min(f64::MAX) } else { 1.0 };
    let lo = if lo.is_finite() && lo > 0.0 { lo } else { hi };
    let log = hi / lo > 100.0;
    let (d_lo, d_hi, tick_values) = if log {
        log_ticks(lo, hi)
    } else {
        linear_ticks(hi)
    };
    let axis_y = TREND_TOP + TREND_PLOT_H;
    let y_of = |v: f64| {
        let t = if log {
            (v.max(d_lo).log10() - d_lo.log10()) / (d_hi.log10() - d_lo.log10())
        } else {
            v / d_hi
        };
        r1(axis_y - t.clamp(0.0, 1.0) * TREND_PLOT_H)
    };
    let unit_suffix = unit_after(&table.unit, " ");
    let subjects: Vec<&str> = by_subject.iter().map(|(s, _)| *s).collect();
    let mut lines = Vec::new();
    let mut words = Vec::new();
    for b in &table.benchmarks {
        for subject in &subjects {
            let points: Vec<Point> = b
                .results
                .iter()
                .filter(|r| r.subject == *subject && !r.missing)
                .filter_map(|r| {
                    let v = r.version.as_deref()?;
                    Some(Point {
                        x: x_of(v),
                        y: y_of(r.median),
                        label: format!("{v}: {}{unit_suffix}", r.median_text),
                    })
                })
                .collect();
            if points.is_empty() {
                continue;
            }
            let label = if subjects.len() == 1 {
                b.benchmark.clone()
            } else {
                format!("{} · {subject}", b.benchmark)
            };
            let path = points
                .iter()
                .enumerate()
                .map(|(i, p)| format!("{}{} {}", if i == 0 { "M" } else { "L" }, p.x, p.y))
                .collect::<Vec<_>>()
                .join(" ");
            let figures: Vec<&str> = points.iter().map(|p| p.label.as_str()).collect();
            words.push(format!("{label}: {}", figures.join(", ")));
            let label_y = axis_y + 48.0 + lines.len() as f64 * LEGEND_ROW;
            lines.push(Line {
                label,
                series: lines.len() % 8,
                path,
                points,
                label_y,
            });
        }
    }
    let bottom = lines.last().map_or(axis_y, |l| l.label_y);
    let x_ticks = versions
        .iter()
        .map(|v| Tick {
            x: x_of(v),
            label: (*v).to_string(),
        })
        .collect();
    let y_ticks = tick_values
        .into_iter()
        .map(|v| Tick {
            x: y_of(v),
            label: format_value(v),
        })
        .collect();
    let title = title_or_default(set, title, || format!("{} across versions", table.metric));
    let description = describe(table, " by version", log, &words);
    Ok(Trend {
        width: WIDTH,
        height: r1(bottom.max(axis_y) + AXIS_H),
        title,
        description,
        metric: table.metric.clone(),
        unit: table.unit.clone(),
        log,
        plot_left,
        plot_right,
        plot_top: TREND_TOP,
        axis_y,
        x_ticks,
        y_ticks,
        lines,
    })
}

/// `" ms"` for unit `ms` (with `before`), nothing for no unit.
/// Size of chart text in the default theme (`.bench-chart svg`), in px.
const FONT_PX: f64 = 12.0;

/// The width of `text` drawn at [`FONT_PX`], estimated on the wide side
/// from the widths of a sans-serif face's letters (in em): the layout must
/// never cut a label, and a real browser's widths are checked against it
/// by tests/browser/charts.mjs.
pub fn text_width(text: &str, bold: bool) -> f64 {
    let em: f64 = text
        .chars()
        .map(|c| match c {
            'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | 'I' => 0.32,
            'f' | 't' | 'r' | ' ' | '(' | ')' | '[' | ']' | '-' | '/' => 0.42,
            'm' | 'w' | 'M' | 'W' | '@' | '%' => 0.98,
            c if c.is_ascii_uppercase() => 0.75,
            c if c.is_ascii() => 0.62,
            // Other scripts: CJK and most symbols are a full em.
            _ => 1.0,
        })
        .sum();
    em * FONT_PX * if bold { 1.12 } else { 1.0 }
}

/// `text`, or as much of it as fits in `max` px followed by an ellipsis.
fn fit(text: &str, max: f64, bold: bool) -> String {
    if text_width(text, bold) <= max {
        return text.to_string();
    }
    let room = max - text_width("…", bold);
    let mut out = String::new();
    for c in text.chars() {
        let mut next = out.clone();
        next.push(c);
        if text_width(&next, bold) > room {
            break;
        }
        out = next;
    }
    out.trim_end().to_string() + "…"
}

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
    use super::*;

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
