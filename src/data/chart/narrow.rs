//! The phone layout of a chart: the same bars or lines, redrawn [`NARROW`]
//! px wide so that a phone shows them at full size, text included (a 720 px
//! chart squeezed onto a 320 px screen draws its 11 px labels at 5 px).
//! The theme shows it instead of the wide chart when the column is
//! narrower than the wide chart (a container query on the chart's width
//! class, [`width_class`], on the figure).
//!
//! Both are made from the wide layout: positions along the value axis keep
//! their fraction of the plot, so the two never disagree. Bars get their
//! subject's name and value on a line above them, across the whole width,
//! instead of a column of names left of the plot and values after the
//! bars; a trend keeps its axes and legend, with version labels thinned and
//! legend entries cut again for the narrower width.

use serde::Serialize;

use super::{
    BAR_AXIS_H, Chart, FONT, GROUP_GAP, Group, Line, MARGIN, Point, TICK_FONT, TOP, Tick, Trend,
    fit, r1, svg_path, text_width, thin_across,
};

/// The width of the phone layout: the column of a 320 px screen (280 px)
/// shows it at full size, a 360-390 px screen a little larger.
pub const NARROW: f64 = 280.0;
/// From the top of a bar's row to the baseline of its name and value.
const NAME_BASE: f64 = 13.0;
/// From the top of a bar's row to the bar.
const NAME_H: f64 = 17.0;
const BAR_H: f64 = 12.0;
const ROW_GAP: f64 = 7.0;
/// From the top of a group to its name's baseline, and to its first row.
const HEAD_BASE: f64 = 14.0;
const HEAD_H: f64 = 20.0;
/// Between a name and its value on the same line.
const GAP: f64 = 8.0;
/// Where the text of a trend's legend entry starts, after its sample line
/// from x 2 to 34 (partials/chart-trend-narrow.html).
const LEGEND_TEXT_X: f64 = 42.0;

/// A bar chart laid out for a phone.
#[derive(Debug, Serialize)]
pub struct NarrowChart {
    pub width: f64,
    /// Where names start: a little in, as some letters (a bold J) reach
    /// left of their origin.
    pub text_x: f64,
    pub height: f64,
    pub plot_left: f64,
    pub plot_right: f64,
    pub axis_y: f64,
    pub zero_x: Option<f64>,
    pub axis_text: String,
    pub ticks: Vec<Tick>,
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

/// The class naming the narrowest column that shows a chart `width` px
/// wide at full size: its width rounded up to 80 px, from 720 to 1280
/// (wider charts are scaled down below 1280 px, as before).
pub fn width_class(width: f64) -> String {
    let w = ((width / 80.0).ceil() * 80.0).clamp(720.0, 1280.0);
    format!("fit-w{w}")
}

/// Maps x positions of a wide plot onto a narrow one, keeping fractions.
struct Remap {
    from: (f64, f64),
    to: (f64, f64),
}

impl Remap {
    fn x(&self, x: f64) -> f64 {
        let span = self.from.1 - self.from.0;
        let t = if span > 0.0 {
            (x - self.from.0) / span
        } else {
            0.0
        };
        r1(self.to.0 + t * (self.to.1 - self.to.0))
    }
}

/// The phone layout of the bar chart `c`.
pub fn narrow_bars(c: &Chart) -> NarrowChart {
    let half = |t: Option<&Tick>| t.map_or(0.0, |t| text_width(&t.label, TICK_FONT, false) / 2.0);
    let mut labelled = c.ticks.iter().filter(|t| !t.label.is_empty());
    let first = half(labelled.clone().next());
    let last = half(labelled.next_back());
    let left = (first + MARGIN).max(MARGIN).ceil();
    let right = (NARROW - last.max(0.0) - MARGIN).floor();
    let map = Remap {
        from: (c.plot_left, c.plot_right),
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
            y: y + HEAD_BASE,
        });
        y += HEAD_H;
        // The bars of group i: those above the next group's name.
        let end = c.groups.get(i + 1).map_or(f64::INFINITY, |n| n.y);
        while let Some(b) = rows.next_if(|b| b.y < end) {
            bars.push(narrow_bar(b, &c.unit, y, &map));
            y += NAME_H + BAR_H + ROW_GAP;
        }
        y += GROUP_GAP;
    }
    let ticks = rethin(c.ticks.iter().map(|t| (map.x(t.x), t.label.clone())));
    NarrowChart {
        width: NARROW,
        text_x: MARGIN,
        height: r1(y + BAR_AXIS_H),
        plot_left: map.to.0,
        plot_right: map.to.1,
        axis_y: y,
        zero_x: c.zero_x.map(|x| map.x(x)),
        axis_text: fit(&c.axis_text, NARROW - 2.0 * MARGIN, TICK_FONT, false).0,
        ticks,
        groups,
        bars,
    }
}

/// One bar: name and value on a line, the bar under them.
fn narrow_bar(b: &super::Bar, unit: &str, y: f64, map: &Remap) -> NarrowBar {
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
    let name_room = room - MARGIN - text_width(&value, FONT, false) - GAP;
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
        text_y: y + NAME_BASE,
        value,
        value_x: room,
        x: x0,
        y: y + NAME_H,
        w,
        h: BAR_H,
        whisker: b.whisker.map(|(a, z)| (map.x(a), map.x(z))),
    }
}

/// Tick labels at new positions, thinned again among those that were
/// labelled (unlabelled ticks stay as grid lines).
fn rethin(ticks: impl Iterator<Item = (f64, String)>) -> Vec<Tick> {
    let mut all: Vec<Tick> = ticks.map(|(x, label)| Tick { x, label }).collect();
    let labelled: Vec<usize> = (0..all.len())
        .filter(|&i| !all[i].label.is_empty())
        .collect();
    let kept = thin_across(
        labelled
            .iter()
            .map(|&i| (all[i].x, all[i].label.clone()))
            .collect(),
        0,
    );
    for (&i, k) in labelled.iter().zip(kept) {
        all[i].label = k.label;
    }
    all
}

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

#[cfg(test)]
mod tests {
    use super::super::{layout, trend};
    use super::*;
    use crate::data::results::{BenchSet, MetricTable};
    use crate::data::{Format, Source};
    use std::sync::Arc;

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

    const NAMES: [&str; 8] = [
        "Go 1.23",
        "Rust 1.83",
        "Zig 0.13",
        "C (gcc 14)",
        "Node.js 22",
        "Python 3.13",
        "Java 21 (OpenJDK)",
        "A runtime with a long name, version 1.2.3 (cluster mode)",
    ];

    fn bars(n: usize, unit: &str, value: impl Fn(usize) -> f64) -> Chart {
        let mut csv = String::from("benchmark,subject,unit,value\n");
        for bench in [
            "hello world",
            "a benchmark with a long name that goes on and on",
        ] {
            for (i, name) in NAMES[8 - n..].iter().enumerate() {
                let v = value(i);
                for s in [v - v.abs() / 8.0, v, v + v.abs() / 8.0] {
                    csv.push_str(&format!("{bench},\"{name}\",{unit},{s}\n"));
                }
            }
        }
        let (set, table) = first_table(&csv);
        layout(&set, &table, None)
    }

    #[test]
    fn narrow_bars_fit_the_phone_width_and_keep_each_bar_where_it_was() {
        type Case = (&'static str, fn(usize) -> f64);
        let cases: [Case; 4] = [
            ("ms", |i| 10.0 * (i + 1) as f64),
            ("requests per second", |i| 1e12 * (i + 1) as f64),
            ("ms", |i| (i as f64 - 2.0) * 7.5),
            ("", |i| 1e-9 * 1e3f64.powi(i as i32)),
        ];
        for n in [2, 4, 8] {
            for (unit, value) in cases {
                let wide = bars(n, unit, value);
                let c = narrow_bars(&wide);
                let case = format!("{n} subjects in {unit:?}");
                let inside = |a: f64, b: f64, what: &str| {
                    assert!(
                        a >= 0.0 && b <= c.width,
                        "{case}: {what} spans {a}..{b}, outside 0..{}",
                        c.width
                    );
                };
                assert_eq!(c.bars.len(), wide.bars.len(), "{case}");
                for (b, w) in c.bars.iter().zip(&wide.bars) {
                    let name = text_width(&b.subject_text, FONT, false);
                    let value = text_width(&b.value, FONT, false);
                    inside(c.text_x, c.text_x + name, "name");
                    inside(b.value_x - value, b.value_x, "value");
                    assert!(
                        c.text_x + name <= b.value_x - value,
                        "{case}: {:?} runs into {:?}",
                        b.subject_text,
                        b.value
                    );
                    assert!(b.y > b.text_y, "{case}: the name is above its bar");
                    assert!(
                        b.x >= c.plot_left && b.x + b.w <= c.plot_right + 0.2,
                        "{case}"
                    );
                    let t = |x: f64, l: f64, r: f64| (x - l) / (r - l);
                    let was = t(w.x, wide.plot_left, wide.plot_right);
                    let is = t(b.x, c.plot_left, c.plot_right);
                    assert!(
                        (was - is).abs() < 0.01,
                        "{case}: bar moved from {was} to {is}"
                    );
                }
                for g in &c.groups {
                    inside(
                        c.text_x,
                        c.text_x + text_width(&g.text, FONT, true),
                        "group",
                    );
                }
                let labelled: Vec<&Tick> = c.ticks.iter().filter(|t| !t.label.is_empty()).collect();
                assert!(!labelled.is_empty(), "{case}: no tick labelled");
                for t in &labelled {
                    let w = text_width(&t.label, TICK_FONT, false);
                    inside(t.x - w / 2.0, t.x + w / 2.0, &format!("tick {:?}", t.label));
                }
                for p in labelled.windows(2) {
                    let half = (text_width(&p[0].label, TICK_FONT, false)
                        + text_width(&p[1].label, TICK_FONT, false))
                        / 2.0;
                    assert!(p[1].x - p[0].x >= half, "{case}: ticks overlap");
                }
            }
        }
    }

    #[test]
    fn a_narrow_trend_keeps_its_points_in_order_inside_the_phone_width() {
        for n in [2, 5, 12] {
            let mut csv = String::from("benchmark,subject,version,unit,value\n");
            for bench in [
                "startup",
                "a benchmark with a long name that goes on and on",
            ] {
                for i in 0..n {
                    let version = if i + 1 == n && n > 2 {
                        "v30.0.0-nightly20261205a1b2c3d4e5f6".to_string()
                    } else {
                        format!("v{}.{i}.0", 18 + i)
                    };
                    csv.push_str(&format!("\"{bench}\",Go,{version},ms,{}\n", 20 + i));
                }
            }
            let (set, table) = first_table(&csv);
            let wide = trend(&set, &table, None).unwrap();
            let t = narrow_trend(&wide);
            assert_eq!(t.width, NARROW);
            for l in &t.lines {
                let xs: Vec<f64> = l.points.iter().map(|p| p.x).collect();
                assert!(xs.windows(2).all(|w| w[0] < w[1]), "{n}: {xs:?}");
                assert!(
                    xs.iter().all(|&x| x > t.plot_left && x < t.plot_right),
                    "{n}: {xs:?}"
                );
                assert!(
                    LEGEND_TEXT_X + text_width(&l.text, FONT, false) <= NARROW,
                    "{n}"
                );
            }
            for k in t.x_ticks.iter().filter(|k| !k.label.is_empty()) {
                let w = text_width(&k.label, TICK_FONT, false);
                assert!(
                    k.x - w / 2.0 >= 0.0 && k.x + w / 2.0 <= NARROW,
                    "{n}: {:?}",
                    k.label
                );
            }
        }
    }

    #[test]
    fn the_width_class_rounds_up_to_80_px_from_720_to_1280() {
        assert_eq!(width_class(300.0), "fit-w720");
        assert_eq!(width_class(720.0), "fit-w720");
        assert_eq!(width_class(720.5), "fit-w800");
        assert_eq!(width_class(1250.0), "fit-w1280");
        assert_eq!(width_class(5000.0), "fit-w1280");
    }
}
