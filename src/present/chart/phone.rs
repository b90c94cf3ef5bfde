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

use super::geometry::{Tick, r1, thin_across};

/// The width of the phone layout: the column of a 320 px screen (280 px)
/// shows it at full size, a 360-390 px screen a little larger.
pub const NARROW: f64 = 280.0;

/// The class naming the narrowest column that shows a chart `width` px
/// wide at full size: its width rounded up to 80 px, from 720 to 1280
/// (wider charts are scaled down below 1280 px, as before).
pub fn width_class(width: f64) -> String {
    let w = ((width / 80.0).ceil() * 80.0).clamp(720.0, 1280.0);
    format!("fit-w{w}")
}

/// Maps x positions of a wide plot onto a narrow one, keeping fractions.
pub(super) struct Remap {
    pub(super) from: (f64, f64),
    pub(super) to: (f64, f64),
}

impl Remap {
    pub(super) fn x(&self, x: f64) -> f64 {
        let span = self.from.1 - self.from.0;
        let t = if span > 0.0 {
            (x - self.from.0) / span
        } else {
            0.0
        };
        r1(self.to.0 + t * (self.to.1 - self.to.0))
    }
}

/// Tick labels at new positions, thinned again among those that were
/// labelled (unlabelled ticks stay as grid lines).
pub(super) fn rethin(ticks: impl Iterator<Item = (f64, String)>) -> Vec<Tick> {
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

#[cfg(test)]
mod tests {
    use super::super::bars::{Chart, layout, narrow_bars};
    use super::super::geometry::{FONT, TICK_FONT, text_width};
    use super::super::tests::{assert_ticks_fit, first_table};
    use super::super::trend::{LEGEND_TEXT_X, narrow_trend, trend};
    use super::*;

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
        layout(&set, &table, None, &crate::present::chart::English)
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
                        b.x >= c.axis.plot_left && b.x + b.w <= c.axis.plot_right + 0.2,
                        "{case}"
                    );
                    let t = |x: f64, l: f64, r: f64| (x - l) / (r - l);
                    let was = t(w.x, wide.axis.plot_left, wide.axis.plot_right);
                    let is = t(b.x, c.axis.plot_left, c.axis.plot_right);
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
                assert_ticks_fit(&c.axis.ticks, c.width, &case);
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
            let wide = trend(&set, &table, None, &crate::present::chart::English).unwrap();
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
