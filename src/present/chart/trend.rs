//! Trend charts (`trend=true`): one subject (or a few) across its
//! versions, a line per benchmark and subject through its medians; and
//! their phone layout, the same lines with the versions spread over
//! [`NARROW`] px, their labels thinned and the legend cut again.

use serde::Serialize;

use super::geometry::*;
use super::phone::{NARROW, Remap, rethin, width_class};
use super::phrases::Phrases;
use super::spec::{ChartError, Drawn, KindSpec};
use crate::data::results::{BenchSet, version_key};
use crate::present::tables::MetricTable;
use crate::text::units::format_value;

const AXIS_H: f64 = 34.0;

/// The trend chart in the chart registry ([`super::Kind`]).
pub const SPEC: KindSpec = KindSpec {
    name: "trend",
    trend: true,
    relative: false,
    draw,
};

fn draw(
    set: &BenchSet,
    table: &MetricTable,
    title: Option<&str>,
    say: &dyn Phrases,
) -> Result<Drawn, ChartError> {
    drawn(trend(set, table, title, say)?)
}

/// A laid-out trend (plain or relative) with its phone layout, for the
/// template.
pub(super) fn drawn(wide: Trend) -> Result<Drawn, ChartError> {
    Drawn::new(
        width_class(wide.width),
        ("trend", &wide),
        ("narrow_trend", &narrow_trend(&wide)),
    )
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

pub(super) const TREND_LEFT: f64 = 64.0;
const TREND_RIGHT_GAP: f64 = 24.0;
const LEGEND_ROW: f64 = 18.0;
const TREND_TOP: f64 = 12.0;
const TREND_PLOT_H: f64 = 220.0;
const TREND_AXIS_Y: f64 = TREND_TOP + TREND_PLOT_H;

/// Lays out the trend of `table` across versions. Fails when the results
/// shown hold fewer than two versions, or subjects that share none.
pub fn trend(
    set: &BenchSet,
    table: &MetricTable,
    title: Option<&str>,
    say: &dyn Phrases,
) -> Result<Trend, ChartError> {
    let (scale, ticks) = trend_scale(table);
    let log = scale.log;
    let axis_name = format!(
        "{}{}{}",
        table.metric,
        unit_in(&table.unit, " (", ")"),
        if log {
            say.say("axis_log", &[])
        } else {
            String::new()
        }
    );
    let axis = Axis {
        scale,
        ticks,
        tick_label: format_value,
        text: say.say("chart_axis_trend", &[("axis", &axis_name)]),
        what: say.say("chart_title_trend", &[("metric", &table.metric)]),
        describe: "chart_desc_trend",
        unit: table.unit.clone(),
        relative: false,
    };
    drawn_trend(set, table, title, axis, say)
}

/// What a trend plots up its value axis: the medians ([`trend`]), or their
/// change from the first version ([`super::relative`]).
pub(super) struct Axis {
    pub(super) scale: Scale,
    /// The values of its ticks.
    pub(super) ticks: Vec<f64>,
    pub(super) tick_label: fn(f64) -> String,
    /// Its label, before it is cut to fit.
    pub(super) text: String,
    /// The title's second half when none is given ("time across versions").
    pub(super) what: String,
    /// The key of the words that say every figure, for `<desc>`
    /// ([`describe`]).
    pub(super) describe: &'static str,
    pub(super) unit: String,
    /// Changes in percent, with a zero line.
    pub(super) relative: bool,
}

/// A trend of `table` plotted on `axis`.
pub(super) fn drawn_trend(
    set: &BenchSet,
    table: &MetricTable,
    title: Option<&str>,
    axis: Axis,
    say: &dyn Phrases,
) -> Result<Trend, ChartError> {
    let subjects = trend_subjects(table)?;
    let versions = trend_versions(table)?;
    let Axis {
        scale,
        ticks: tick_values,
        tick_label,
        text: axis_text,
        what,
        describe: describe_key,
        unit,
        relative,
    } = axis;
    let log = scale.log;
    let y_labels: Vec<String> = tick_values.iter().map(|&v| tick_label(v)).collect();
    let axes = TrendAxes::fitting(scale, versions, &y_labels);
    let (mut lines, words) = trend_lines(table, &subjects, &axes, say);
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
    let title = title_or_default(set, title, || what.clone(), say);
    let description = describe(table, describe_key, log, &words, say);
    let zero_y = relative.then(|| axes.y(0.0));
    Ok(Trend {
        width: WIDTH,
        height: r1(bottom.max(TREND_AXIS_Y) + AXIS_H),
        title,
        description,
        metric: table.metric.clone(),
        unit,
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

/// The subjects of a trend, in order of appearance. They must be versions
/// of one runtime: two subjects that share no version are an error.
pub(super) fn trend_subjects(table: &MetricTable) -> Result<Vec<&str>, ChartError> {
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
        return Err(ChartError::NoSharedVersion(a.to_string(), b.to_string()));
    }
    Ok(by_subject.into_iter().map(|(s, _)| s).collect())
}

/// The versions of the results, oldest first; at least two.
pub(super) fn trend_versions(table: &MetricTable) -> Result<Vec<&str>, ChartError> {
    let mut versions: Vec<&str> = Vec::new();
    for r in table.benchmarks.iter().flat_map(|b| &b.results) {
        if let Some(v) = r.version.as_deref() {
            if !versions.contains(&v) {
                versions.push(v);
            }
        }
    }
    versions.sort_by_cached_key(|v| version_key(v));
    if versions.len() < 2 {
        return Err(ChartError::TooFewVersions(
            versions.into_iter().map(str::to_string).collect(),
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
    say: &dyn Phrases,
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
                        label: format!(
                            "{v}: {}",
                            say.number(&format!("{}{unit_suffix}", r.median_text))
                        ),
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

// The phone layout.

/// Where the text of a trend's legend entry starts, after its sample line
/// from x 2 to 34 (partials/chart-trend-narrow.html).
pub(super) const LEGEND_TEXT_X: f64 = 42.0;

/// The phone layout of the trend `t`: the same lines, versions spread over
/// [`NARROW`] px, their labels thinned and the legend cut again.
pub fn narrow_trend(t: &Trend) -> Trend {
    // Versions were spread evenly from the first point's x to the last's.
    let xs: Vec<f64> = t.x_ticks.iter().map(|k| k.x).collect();
    let first_x = xs.iter().copied().fold(f64::INFINITY, f64::min);
    let last_x = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    // Version labels cut to a quarter of the width; their points' tooltips
    // name them whole.
    let labels: Vec<String> = t
        .x_ticks
        .iter()
        .map(|k| fit(&k.label, NARROW / 4.0, TICK_FONT, false).0)
        .collect();
    let half = |l: Option<&String>| l.map_or(0.0, |l| text_width(l, TICK_FONT, false) / 2.0);
    let inset = 10f64.max(half(labels.first()) - 2.0).ceil();
    let right_gap = 24f64.max(half(labels.last()) - 10.0 + MARGIN).ceil();
    let plot_right = NARROW - right_gap;
    let map = Remap {
        from: (first_x, last_x),
        to: (
            t.plot_left + inset,
            (plot_right - 10.0).max(t.plot_left + inset + 1.0),
        ),
    };
    let x_ticks = rethin(xs.iter().zip(labels).map(|(&x, l)| (map.x(x), l)));
    // The legend starts at the left edge (the wide chart's starts under
    // the plot), its sample line then its text.
    let room = NARROW - LEGEND_TEXT_X - MARGIN;
    let lines = t
        .lines
        .iter()
        .map(|l| {
            let points: Vec<Point> = l
                .points
                .iter()
                .map(|p| Point {
                    x: map.x(p.x),
                    ..p.clone()
                })
                .collect();
            let (text, truncated) = fit(&l.label, room.max(0.0), FONT, false);
            Line {
                text,
                truncated,
                path: svg_path(&points),
                points,
                ..l.clone()
            }
        })
        .collect();
    Trend {
        width: NARROW,
        plot_right,
        axis_text: fit(
            &t.axis_text,
            NARROW - t.plot_left - MARGIN,
            TICK_FONT,
            false,
        )
        .0,
        x_ticks,
        lines,
        ..t.clone()
    }
}
