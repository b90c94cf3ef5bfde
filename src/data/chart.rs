//! Geometry of a benchmark chart, computed at build time: grouped horizontal
//! bars (one group per benchmark, one bar per subject), the spread of the
//! samples as a whisker, an axis with round ticks, and a log scale when the
//! values span more than two orders of magnitude. The theme's template only
//! draws what is computed here.
//!
//! No text is clipped: every label's width is estimated from its characters
//! ([`text_width`], on the wide side), value labels start after the end of
//! their bar and whisker, the plot narrows (and past a point the chart
//! widens) until the longest value label fits, and names longer than their
//! column are cut with an ellipsis (the template gives the full name in a
//! `<title>`).

use serde::Serialize;

use super::results::{BenchSet, MetricTable, SubjectResult};
use crate::units::format_value;

mod narrow;
pub use narrow::{NarrowChart, narrow_bars, narrow_trend, width_class};

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
    /// "log scale", why the scale is linear when a log scale was called
    /// for, or nothing.
    pub scale_note: String,
    pub plot_left: f64,
    pub plot_right: f64,
    pub axis_y: f64,
    /// The x of value 0 when the axis holds negative values (bars of
    /// negative values run left from it), else none.
    pub zero_x: Option<f64>,
    /// The axis's label (metric, unit, scale), cut to fit.
    pub axis_text: String,
    pub ticks: Vec<Tick>,
    pub groups: Vec<Group>,
    pub bars: Vec<Bar>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tick {
    pub x: f64,
    /// Empty on ticks left unlabelled so that labels do not overlap.
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub label: String,
    /// The label as drawn: cut with an ellipsis when too long.
    pub text: String,
    pub truncated: bool,
    pub y: f64,
}

#[derive(Debug, Serialize)]
pub struct Bar {
    pub subject: String,
    /// The subject as drawn: cut with an ellipsis when too long.
    pub subject_text: String,
    pub truncated: bool,
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

/// A bar before it is placed: its fractions along the plot and its label.
struct Planned<'a> {
    r: &'a SubjectResult,
    /// Left and right ends of the bar.
    from: f64,
    to: f64,
    whisker: Option<(f64, f64)>,
    label: String,
    /// Estimated width of the label as drawn, "(best)" included.
    label_w: f64,
}

impl Planned<'_> {
    /// The fraction after which the value label starts: past the bar, its
    /// whisker and the zero line.
    fn label_t(&self, base: f64) -> f64 {
        self.whisker.map_or(self.to, |w| w.1).max(self.to).max(base)
    }
}

/// Lays out the chart of `table` (one metric of `set`).
pub fn layout(set: &BenchSet, table: &MetricTable, title: Option<&str>) -> Chart {
    let (scale, tick_values, scale_note) = pick_scale(table);
    let unit_suffix = unit_after(&table.unit, " ");
    let base = scale.base();
    let planned: Vec<Vec<Planned>> = table
        .benchmarks
        .iter()
        .map(|b| {
            b.results
                .iter()
                .map(|r| plan(r, &scale, &unit_suffix))
                .collect()
        })
        .collect();
    let plot = Plot::fitting(planned.iter().flatten(), base);
    let Rows {
        mut groups,
        bars,
        words,
        bottom: axis_y,
        mut width,
    } = place_rows(table, &planned, &plot, base);
    let at: Vec<(f64, f64)> = tick_values
        .iter()
        .map(|&v| (plot.x(scale.t(v)), v))
        .collect();
    let ticks = place_ticks(&at);
    for t in ticks.iter().filter(|t| !t.label.is_empty()) {
        width = width.max((t.x + text_width(&t.label, TICK_FONT, false) / 2.0 + MARGIN).ceil());
    }
    for g in &mut groups {
        (g.text, g.truncated) = fit(&g.label, width, FONT, true);
    }
    let axis_text = format!(
        "{}{}{}",
        table.metric,
        unit_in(&table.unit, " (", ")"),
        if scale.log { ", log scale" } else { "" }
    );
    let title = title_or_default(set, title, || {
        format!("{}{}", table.metric, unit_in(&table.unit, " (", ")"))
    });
    let description = describe(table, "", scale.log, &words);
    Chart {
        width,
        height: axis_y + BAR_AXIS_H,
        title,
        description,
        metric: table.metric.clone(),
        unit: table.unit.clone(),
        log: scale.log,
        scale_note,
        plot_left: plot.left,
        plot_right: plot.right,
        axis_y,
        zero_x: (scale.lo < 0.0).then(|| plot.x(base)),
        axis_text: fit(&axis_text, plot.right, TICK_FONT, false).0,
        ticks,
        groups,
        bars,
    }
}

/// The plot of a bar chart: from its left end to its right, in px.
struct Plot {
    left: f64,
    right: f64,
}

impl Plot {
    /// Starts right of the widest name (the column of names grows from
    /// [`LABEL_W`] to [`LABEL_W_MAX`]) and ends as far right as every value
    /// label, written after its bar, allows, but leaves the plot at least
    /// [`MIN_PLOT_W`] wide: past that the chart widens instead.
    fn fitting<'a>(planned: impl Iterator<Item = &'a Planned<'a>> + Clone, base: f64) -> Plot {
        let widest_name = planned
            .clone()
            .map(|p| text_width(&p.r.label, FONT, false))
            .fold(0.0, f64::max);
        let left = (widest_name + NAME_GAP).ceil().clamp(LABEL_W, LABEL_W_MAX);
        let mut right = WIDTH - VALUE_W;
        for p in planned {
            let t = p.label_t(base);
            if t > 0.0 {
                let fits = left + (WIDTH - MARGIN - VALUE_GAP - p.label_w - left) / t;
                right = right.min(fits.floor());
            }
        }
        Plot {
            left,
            right: right.max(left + MIN_PLOT_W),
        }
    }

    /// The x of fraction `t` of the plot.
    fn x(&self, t: f64) -> f64 {
        r1(self.left + t * (self.right - self.left))
    }
}

/// The rows of a bar chart, placed from the top.
struct Rows {
    /// Benchmark names, not yet cut to the chart's final width.
    groups: Vec<Group>,
    bars: Vec<Bar>,
    /// Each benchmark's figures in words.
    words: Vec<String>,
    /// The y below the last row, where the axis goes.
    bottom: f64,
    /// The chart's width once every value label fits.
    width: f64,
}

/// One group of bars per benchmark, one bar per result.
fn place_rows(table: &MetricTable, planned: &[Vec<Planned>], plot: &Plot, base: f64) -> Rows {
    let mut rows = Rows {
        groups: Vec::new(),
        bars: Vec::new(),
        words: Vec::new(),
        bottom: TOP,
        width: WIDTH,
    };
    let mut y = TOP;
    for (bench, plans) in table.benchmarks.iter().zip(planned) {
        rows.groups.push(Group {
            label: bench.benchmark.clone(),
            text: String::new(),
            truncated: false,
            y: y + 15.0,
        });
        y += GROUP_HEAD;
        let mut figures = Vec::new();
        for p in plans {
            figures.push(format!("{} {}", p.r.label, p.label));
            let bar = place_bar(p, y, plot, base);
            rows.width = rows.width.max((bar.label_x + p.label_w + MARGIN).ceil());
            rows.bars.push(bar);
            y += BAR_H + BAR_GAP;
        }
        rows.words
            .push(format!("{}: {}", bench.benchmark, figures.join(", ")));
        y += GROUP_GAP;
    }
    rows.bottom = y;
    rows
}

/// A planned bar at `y`: its value label after the bar, its whisker and
/// the zero line; its name cut to the column left of the plot.
fn place_bar(p: &Planned, y: f64, plot: &Plot, base: f64) -> Bar {
    let r = p.r;
    let (x0, x1) = (plot.x(p.from), plot.x(p.to));
    let w = r1(bar_width(r, x1 - x0));
    let label_x = r1(plot.x(p.label_t(base)).max(x0 + w) + VALUE_GAP);
    let (subject_text, truncated) = fit(&r.label, plot.left - NAME_GAP, FONT, false);
    Bar {
        subject: r.label.clone(),
        subject_text,
        truncated,
        series: r.series % 8,
        y,
        h: BAR_H,
        x: x0,
        w,
        label: p.label.clone(),
        label_x,
        text_y: y + BAR_H - 5.0,
        best: r.best,
        missing: r.missing,
        whisker: p.whisker.map(|(a, b)| (plot.x(a), plot.x(b))),
    }
}

/// The scale of a bar chart, its tick values and its note: log when the
/// values are all positive and span more than 100 times, else linear from
/// the smallest value or 0, whichever is lower, to the largest or 0.
fn pick_scale(table: &MetricTable) -> (Scale, Vec<f64>, String) {
    let shown = || {
        table
            .benchmarks
            .iter()
            .flat_map(|b| &b.results)
            .filter(|r| !r.missing)
            .flat_map(|r| [r.min, r.median, r.max])
            .filter(|v| v.is_finite())
    };
    let least = shown().fold(0.0, f64::min);
    let (lo, hi, wide) = positive_span(table);
    let non_positive = shown().any(|v| v <= 0.0);
    if wide && !non_positive {
        let (d_lo, d_hi, ticks) = log_ticks(lo, hi);
        let scale = Scale {
            log: true,
            lo: d_lo,
            hi: d_hi,
        };
        return (scale, ticks, "log scale".to_string());
    }
    let note = if wide {
        "linear scale, as a log scale cannot show zero or negative values".to_string()
    } else {
        String::new()
    };
    let top = shown().fold(0.0, f64::max);
    let (d_lo, d_hi, ticks) = if least < 0.0 {
        signed_ticks(least, top)
    } else {
        linear_ticks(hi)
    };
    let scale = Scale {
        log: false,
        lo: d_lo,
        hi: d_hi,
    };
    (scale, ticks, note)
}

/// The smallest and largest positive values shown (both 1 when there are
/// none), and whether they span more than 100 times, which calls for a log
/// scale.
fn positive_span(table: &MetricTable) -> (f64, f64, bool) {
    let (lo, hi) = table.extent;
    let hi = if hi > 0.0 { hi.min(f64::MAX) } else { 1.0 };
    let lo = if lo.is_finite() && lo > 0.0 { lo } else { hi };
    (lo, hi, hi / lo > 100.0)
}

/// One result's bar, whisker and label, as fractions of the plot.
fn plan<'a>(r: &'a SubjectResult, scale: &Scale, unit_suffix: &str) -> Planned<'a> {
    let base = scale.base();
    let (from, to) = if r.missing {
        (base, base)
    } else {
        let v = scale.t(r.median);
        (v.min(base), v.max(base))
    };
    let label = if r.missing {
        "missing".to_string()
    } else {
        format!("{}{unit_suffix}", r.median_text)
    };
    let drawn = if r.best {
        format!("{label} (best)")
    } else {
        label.clone()
    };
    Planned {
        r,
        from,
        to,
        whisker: (r.samples > 1 && !r.missing).then(|| (scale.t(r.min), scale.t(r.max))),
        label_w: text_width(&drawn, FONT, false),
        label,
    }
}

/// A bar's drawn width: none for a missing or zero result, at least a
/// pixel for any other so that a tiny value still shows.
fn bar_width(r: &SubjectResult, w: f64) -> f64 {
    if r.missing || r.median == 0.0 {
        w.max(0.0)
    } else {
        w.max(1.0)
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

/// A trend chart: one subject (or a few) across its versions. Versions
/// run along the x axis, oldest first; each benchmark (and subject) is a
/// line through its medians, drawn with its own colour and dash pattern
/// and named in a legend under the axis (with the same pattern), so colour
/// is never the only way to tell lines apart.
#[derive(Debug, Clone, Serialize)]
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
    /// The x axis's label (metric, unit, scale), cut to fit.
    pub axis_text: String,
    pub x_ticks: Vec<Tick>,
    /// `x` holds the y coordinate of each value tick.
    pub y_ticks: Vec<Tick>,
    pub lines: Vec<Line>,
    /// Whether lines show change from their first version, in percent
    /// (`relative=true`); `unit` is then `%`.
    pub relative: bool,
    /// The y of 0 on a change trend, where the zero line goes; else none.
    pub zero_y: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Line {
    pub label: String,
    /// The label as drawn in the legend: cut with an ellipsis when too long.
    pub text: String,
    pub truncated: bool,
    /// Colour and dash pattern (`series-N`, `line-N`).
    pub series: usize,
    /// SVG path data through the points.
    pub path: String,
    pub points: Vec<Point>,
    /// The y of its legend entry.
    pub label_y: f64,
}

#[derive(Debug, Clone, Serialize)]
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
const TREND_AXIS_Y: f64 = TREND_TOP + TREND_PLOT_H;

/// Lays out the trend of `table` across versions. Fails when the results
/// shown hold fewer than two versions, or subjects that share none.
pub fn trend(set: &BenchSet, table: &MetricTable, title: Option<&str>) -> Result<Trend, String> {
    drawn_trend(set, table, title, false)
}

/// Lays out the trend of `table` as each line's change from its first
/// version, in percent, on a linear axis through 0 (`relative=true`).
pub fn relative_trend(
    set: &BenchSet,
    table: &MetricTable,
    title: Option<&str>,
) -> Result<Trend, String> {
    trend_subjects(table)?;
    trend_versions(table)?;
    let change = super::relative::change_table(table)?;
    drawn_trend(set, &change, title, true)
}

/// A trend of `table`'s medians, or of its changes in percent (a table
/// made by [`super::relative::change_table`]) when `relative`.
fn drawn_trend(
    set: &BenchSet,
    table: &MetricTable,
    title: Option<&str>,
    relative: bool,
) -> Result<Trend, String> {
    let subjects = trend_subjects(table)?;
    let versions = trend_versions(table)?;
    let (scale, tick_values) = if relative {
        change_scale(table)
    } else {
        trend_scale(table)
    };
    let log = scale.log;
    let tick_label = if relative {
        super::relative::percent_tick
    } else {
        format_value
    };
    let y_labels: Vec<String> = tick_values.iter().map(|&v| tick_label(v)).collect();
    let axes = TrendAxes::fitting(scale, versions, &y_labels);
    let (mut lines, words) = trend_lines(table, &subjects, &axes);
    // Legend entries start right of their line sample.
    let room = WIDTH - (axes.plot_left + 40.0) - MARGIN;
    for l in &mut lines {
        (l.text, l.truncated) = fit(&l.label, room, FONT, false);
    }
    let bottom = lines.last().map_or(TREND_AXIS_Y, |l| l.label_y);
    let x_ticks = thin_across(
        axes.versions
            .iter()
            .map(|v| (axes.x(v), version_label(v)))
            .collect(),
        0,
    );
    let zero = tick_values.iter().position(|&v| v == 0.0).unwrap_or(0);
    let y_ticks = thin_down(
        tick_values
            .iter()
            .zip(y_labels)
            .map(|(&v, label)| (axes.y(v), label))
            .collect(),
        zero,
    );
    let axis_text = if relative {
        format!(
            "change in {} from the first version (%), by version",
            table.metric
        )
    } else {
        format!(
            "{}{}{}, by version",
            table.metric,
            unit_in(&table.unit, " (", ")"),
            if log { ", log scale" } else { "" }
        )
    };
    let title = title_or_default(set, title, || {
        if relative {
            format!("{} across versions, as change from the first", table.metric)
        } else {
            format!("{} across versions", table.metric)
        }
    });
    let description = if relative {
        describe_change(table, &words)
    } else {
        describe(table, " by version", log, &words)
    };
    let zero_y = relative.then(|| axes.y(0.0));
    Ok(Trend {
        width: WIDTH,
        height: r1(bottom.max(TREND_AXIS_Y) + AXIS_H),
        title,
        description,
        metric: table.metric.clone(),
        unit: if relative {
            "%".into()
        } else {
            table.unit.clone()
        },
        log,
        plot_left: axes.plot_left,
        plot_right: axes.plot_right,
        plot_top: TREND_TOP,
        axis_y: TREND_AXIS_Y,
        axis_text: fit(
            &axis_text,
            WIDTH - axes.plot_left - MARGIN,
            TICK_FONT,
            false,
        )
        .0,
        x_ticks,
        y_ticks,
        lines,
        relative,
        zero_y,
    })
}

/// A version as written under the axis: cut when longer than a fifth of
/// the chart (its points' tooltips name it whole).
fn version_label(v: &str) -> String {
    fit(v, WIDTH / 5.0, TICK_FONT, false).0
}

/// A trend's value axis: log when the medians are all positive and span
/// more than 100 times; else linear, from below zero when one is negative.
fn trend_scale(table: &MetricTable) -> (Scale, Vec<f64>) {
    let medians = || {
        table
            .benchmarks
            .iter()
            .flat_map(|b| &b.results)
            .filter(|r| !r.missing && r.median.is_finite())
            .map(|r| r.median)
    };
    let least = medians().fold(f64::INFINITY, f64::min);
    let most = medians().fold(0.0, f64::max);
    let (lo, hi, wide) = positive_span(table);
    let (log, (d_lo, d_hi, ticks)) = if wide && least > 0.0 {
        (true, log_ticks(lo, hi))
    } else if least < 0.0 {
        (false, signed_ticks(least, most))
    } else {
        (false, linear_ticks(hi))
    };
    let scale = Scale {
        log,
        lo: d_lo,
        hi: d_hi,
    };
    (scale, ticks)
}

/// The value axis of a change trend (see [`super::relative::change_ticks`]).
fn change_scale(table: &MetricTable) -> (Scale, Vec<f64>) {
    let (lo, hi, ticks) = super::relative::change_ticks(table);
    (Scale { log: false, lo, hi }, ticks)
}

/// The subjects of a trend, in order of appearance. They must be versions
/// of one runtime: two subjects that share no version are an error.
fn trend_subjects(table: &MetricTable) -> Result<Vec<&str>, String> {
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
    Ok(by_subject.into_iter().map(|(s, _)| s).collect())
}

/// The versions of the results, oldest first; at least two.
fn trend_versions(table: &MetricTable) -> Result<Vec<&str>, String> {
    let mut versions: Vec<&str> = Vec::new();
    for r in table.benchmarks.iter().flat_map(|b| &b.results) {
        if let Some(v) = r.version.as_deref() {
            if !versions.contains(&v) {
                versions.push(v);
            }
        }
    }
    versions.sort_by_cached_key(|v| super::results::version_key(v));
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
    Ok(versions)
}

/// Where a trend's points go: versions evenly along x, values up y.
struct TrendAxes<'a> {
    plot_left: f64,
    plot_right: f64,
    /// How far in from the plot's left end the first version sits.
    inset: f64,
    scale: Scale,
    /// Oldest first, at least two.
    versions: Vec<&'a str>,
}

impl<'a> TrendAxes<'a> {
    /// Leaves room left of the plot for the widest value label, and for
    /// the version labels, each centred under its point: the first starts
    /// right of the value labels' column (the lowest value label is level
    /// with it), the last ends inside the chart.
    fn fitting(scale: Scale, versions: Vec<&'a str>, y_labels: &[String]) -> Self {
        let widest = y_labels
            .iter()
            .map(|l| text_width(l, TICK_FONT, false))
            .fold(0.0, f64::max);
        let half = |v: Option<&&str>| {
            v.map_or(0.0, |v| {
                text_width(&version_label(v), TICK_FONT, false) / 2.0
            })
        };
        let plot_left = TREND_LEFT.max(widest + 6.0 + MARGIN).ceil();
        let right_gap = TREND_RIGHT_GAP
            .max(half(versions.last()) - 10.0 + MARGIN)
            .ceil();
        Self {
            plot_left,
            plot_right: WIDTH - right_gap,
            inset: 10f64.max(half(versions.first()) - 2.0).ceil(),
            scale,
            versions,
        }
    }

    /// Versions evenly spaced, from `inset` in at the left to 10 px in at
    /// the right.
    fn x(&self, version: &str) -> f64 {
        let span = self.plot_right - self.plot_left - self.inset - 10.0;
        let step = span / (self.versions.len() - 1) as f64;
        let i = self.versions.iter().position(|x| *x == version);
        r1(self.plot_left + self.inset + i.unwrap_or(0) as f64 * step)
    }

    fn y(&self, value: f64) -> f64 {
        r1(TREND_AXIS_Y - self.scale.t(value) * TREND_PLOT_H)
    }
}

/// One line per benchmark and subject with results, each with its legend
/// entry under the axis, and each line's figures in words.
fn trend_lines(
    table: &MetricTable,
    subjects: &[&str],
    axes: &TrendAxes,
) -> (Vec<Line>, Vec<String>) {
    let unit_suffix = unit_after(&table.unit, " ");
    let mut lines = Vec::new();
    let mut words = Vec::new();
    for b in &table.benchmarks {
        for subject in subjects {
            let points: Vec<Point> = b
                .results
                .iter()
                .filter(|r| r.subject == *subject && !r.missing)
                .filter_map(|r| {
                    let v = r.version.as_deref()?;
                    Some(Point {
                        x: axes.x(v),
                        y: axes.y(r.median),
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
            let figures: Vec<&str> = points.iter().map(|p| p.label.as_str()).collect();
            words.push(format!("{label}: {}", figures.join(", ")));
            lines.push(Line {
                text: label.clone(),
                truncated: false,
                label,
                series: lines.len() % 8,
                path: svg_path(&points),
                points,
                label_y: TREND_AXIS_Y + 48.0 + lines.len() as f64 * LEGEND_ROW,
            });
        }
    }
    (lines, words)
}

/// SVG path data through `points`, in order.
fn svg_path(points: &[Point]) -> String {
    points
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{}{} {}", if i == 0 { "M" } else { "L" }, p.x, p.y))
        .collect::<Vec<_>>()
        .join(" ")
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

/// Every figure of a change trend in words, for `<desc>`: each point's
/// change and median.
fn describe_change(table: &MetricTable, words: &[String]) -> String {
    format!(
        "Change in median {} from each line's first version, in percent, by version, {}. {}.",
        table.metric,
        table.better_text,
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
        let table = crate::data::tables::tables(&set, &shown, None, None).remove(0);
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
