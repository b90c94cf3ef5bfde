//! Bar charts, the default kind: grouped horizontal bars (one group per
//! benchmark, one bar per subject), the spread of the samples as a
//! whisker, an axis with round ticks, and a log scale when the values span
//! more than two orders of magnitude; and their phone layout, each bar
//! under a line with its subject's name and value.
//!
//! No text is clipped: value labels start after the end of their bar and
//! whisker, the plot narrows (and past a point the chart widens) until the
//! longest value label fits, and names longer than their column are cut
//! with an ellipsis (the template gives the full name in a `<title>`).

use serde::Serialize;

use super::geometry::*;
use super::phone::{NARROW, Remap, rethin, width_class};
use super::phrases::Phrases;
use super::spec::{ChartError, Drawn, KindSpec};
use crate::data::results::BenchSet;
use crate::present::tables::{MetricTable, SubjectResult};

const LABEL_W: f64 = 150.0;
/// The widest the column of subject names grows before names are cut.
pub(super) const LABEL_W_MAX: f64 = 240.0;
const VALUE_W: f64 = 110.0;
/// The narrowest the plot gets to make room for value labels; past it the
/// chart is made wider instead.
pub(super) const MIN_PLOT_W: f64 = 280.0;
const BAR_H: f64 = 18.0;
const BAR_GAP: f64 = 4.0;
const GROUP_HEAD: f64 = 22.0;
const GROUP_GAP: f64 = 10.0;
const TOP: f64 = 8.0;
/// Below a bar chart's plot: tick labels and the axis label, with room for
/// text boxes that grow when a phone draws the chart at half size (font
/// metrics are rounded to whole pixels).
const BAR_AXIS_H: f64 = 38.0;
/// From the end of a bar or whisker to its value label.
pub(super) const VALUE_GAP: f64 = 6.0;
/// From a subject name to the plot.
pub(super) const NAME_GAP: f64 = 8.0;

/// The bar chart in the chart registry ([`super::Kind`]).
pub const SPEC: KindSpec = KindSpec {
    name: "bars",
    trend: false,
    relative: false,
    draw,
};

fn draw(
    set: &BenchSet,
    table: &MetricTable,
    title: Option<&str>,
    say: &dyn Phrases,
) -> Result<Drawn, ChartError> {
    let wide = layout(set, table, title, say);
    Drawn::new(
        width_class(wide.width),
        ("chart", &wide),
        ("narrow", &narrow_bars(&wide)),
    )
}

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
    #[serde(flatten)]
    pub axis: BarAxis,
    pub groups: Vec<Group>,
    pub bars: Vec<Bar>,
}

/// Where a bar chart's plot runs and its value axis, the same fields in
/// the wide and the phone layout (the template reads them on the chart).
#[derive(Debug, Serialize)]
pub struct BarAxis {
    pub plot_left: f64,
    pub plot_right: f64,
    pub axis_y: f64,
    /// The x of value 0 when the axis holds negative values (bars of
    /// negative values run left from it), else none.
    pub zero_x: Option<f64>,
    /// The axis's label (metric, unit, scale), cut to fit.
    pub axis_text: String,
    pub ticks: Vec<Tick>,
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

/// Lays out the chart of `table` (one metric of `set`), its words said by
/// `say`.
pub fn layout(
    set: &BenchSet,
    table: &MetricTable,
    title: Option<&str>,
    say: &dyn Phrases,
) -> Chart {
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
    } = place_rows(table, &planned, &plot, base, say);
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
        if scale.log {
            say.say("axis_log", &[])
        } else {
            String::new()
        }
    );
    let title = title_or_default(
        set,
        title,
        || format!("{}{}", table.metric, unit_in(&table.unit, " (", ")")),
        say,
    );
    let description = describe(table, "chart_desc", scale.log, &words, say);
    Chart {
        width,
        height: axis_y + BAR_AXIS_H,
        title,
        description,
        metric: table.metric.clone(),
        unit: table.unit.clone(),
        log: scale.log,
        scale_note,
        axis: BarAxis {
            plot_left: plot.left,
            plot_right: plot.right,
            axis_y,
            zero_x: (scale.lo < 0.0).then(|| plot.x(base)),
            axis_text: fit(&axis_text, plot.right, TICK_FONT, false).0,
            ticks,
        },
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

/// One group of bars per benchmark, one bar per result; their figures in
/// words with `say`'s numbers.
fn place_rows(
    table: &MetricTable,
    planned: &[Vec<Planned>],
    plot: &Plot,
    base: f64,
    say: &dyn Phrases,
) -> Rows {
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
            figures.push(format!("{} {}", p.r.label, say.number(&p.label)));
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

// The phone layout.

/// From the top of a bar's row to the baseline of its name and value.
const PHONE_NAME_BASE: f64 = 13.0;
/// From the top of a bar's row to the bar.
const PHONE_NAME_H: f64 = 17.0;
const PHONE_BAR_H: f64 = 12.0;
const PHONE_ROW_GAP: f64 = 7.0;
/// From the top of a group to its name's baseline, and to its first row.
const PHONE_HEAD_BASE: f64 = 14.0;
const PHONE_HEAD_H: f64 = 20.0;
/// Between a name and its value on the same line.
const PHONE_GAP: f64 = 8.0;

/// A bar chart laid out for a phone.
#[derive(Debug, Serialize)]
pub struct NarrowChart {
    pub width: f64,
    /// Where names start: a little in, as some letters (a bold J) reach
    /// left of their origin.
    pub text_x: f64,
    pub height: f64,
    #[serde(flatten)]
    pub axis: BarAxis,
    pub groups: Vec<Group>,
    pub bars: Vec<NarrowBar>,
}

#[derive(Debug, Serialize)]
pub struct NarrowBar {
    pub subject: String,
    pub subject_text: String,
    pub truncated: bool,
    pub series: usize,
    /// The baseline of the name and value line.
    pub text_y: f64,
    /// The value as drawn, right-aligned at `value_x`; "(best)" included.
    pub value: String,
    pub value_x: f64,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub whisker: Option<(f64, f64)>,
}

/// The phone layout of the bar chart `c`.
pub fn narrow_bars(c: &Chart) -> NarrowChart {
    let half = |t: Option<&Tick>| t.map_or(0.0, |t| text_width(&t.label, TICK_FONT, false) / 2.0);
    let mut labelled = c.axis.ticks.iter().filter(|t| !t.label.is_empty());
    let first = half(labelled.clone().next());
    let last = half(labelled.next_back());
    let left = (first + MARGIN).max(MARGIN).ceil();
    let right = (NARROW - last.max(0.0) - MARGIN).floor();
    let map = Remap {
        from: (c.axis.plot_left, c.axis.plot_right),
        to: (left, right.max(left + 1.0)),
    };
    let mut y = TOP;
    let mut groups = Vec::new();
    let mut bars = Vec::new();
    let mut rows = c.bars.iter().peekable();
    for (i, g) in c.groups.iter().enumerate() {
        let (text, truncated) = fit(&g.label, NARROW - 2.0 * MARGIN, FONT, true);
        groups.push(Group {
            label: g.label.clone(),
            text,
            truncated,
            y: y + PHONE_HEAD_BASE,
        });
        y += PHONE_HEAD_H;
        // The bars of group i: those above the next group's name.
        let end = c.groups.get(i + 1).map_or(f64::INFINITY, |n| n.y);
        while let Some(b) = rows.next_if(|b| b.y < end) {
            bars.push(narrow_bar(b, &c.unit, y, &map));
            y += PHONE_NAME_H + PHONE_BAR_H + PHONE_ROW_GAP;
        }
        y += GROUP_GAP;
    }
    let ticks = rethin(c.axis.ticks.iter().map(|t| (map.x(t.x), t.label.clone())));
    NarrowChart {
        width: NARROW,
        text_x: MARGIN,
        height: r1(y + BAR_AXIS_H),
        axis: BarAxis {
            plot_left: map.to.0,
            plot_right: map.to.1,
            axis_y: y,
            zero_x: c.axis.zero_x.map(|x| map.x(x)),
            axis_text: fit(&c.axis.axis_text, NARROW - 2.0 * MARGIN, TICK_FONT, false).0,
            ticks,
        },
        groups,
        bars,
    }
}

/// One bar: name and value on a line, the bar under them.
fn narrow_bar(b: &Bar, unit: &str, y: f64, map: &Remap) -> NarrowBar {
    let room = NARROW - MARGIN;
    let best = if b.best { " (best)" } else { "" };
    let mut value = format!("{}{best}", b.label);
    // A value too long for the line loses its unit (the axis names it),
    // then is cut.
    if text_width(&value, FONT, false) > room * 0.7 && !unit.is_empty() {
        let bare = b.label.trim_end_matches(unit).trim_end();
        value = format!("{bare}{best}");
    }
    let value = fit(&value, room, FONT, false).0;
    let name_room = room - MARGIN - text_width(&value, FONT, false) - PHONE_GAP;
    let (subject_text, truncated) = fit(&b.subject, name_room.max(0.0), FONT, false);
    let x0 = map.x(b.x);
    let x1 = map.x(b.x + b.w);
    let w = if b.w > 0.0 {
        r1((x1 - x0).max(1.0))
    } else {
        0.0
    };
    NarrowBar {
        subject: b.subject.clone(),
        subject_text,
        truncated,
        series: b.series,
        text_y: y + PHONE_NAME_BASE,
        value,
        value_x: room,
        x: x0,
        y: y + PHONE_NAME_H,
        w,
        h: PHONE_BAR_H,
        whisker: b.whisker.map(|(a, z)| (map.x(a), map.x(z))),
    }
}
