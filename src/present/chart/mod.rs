//! Charts of benchmark results, laid out at build time: the theme's
//! template only draws what is computed here. Each kind of chart is a
//! module ([`bars`], [`trend`], [`relative`]) holding its wide layout, its
//! phone layout and its [`KindSpec`]; `kinds!` below lists them, so adding a
//! kind is one module and one line there. [`geometry`] and [`phone`] hold
//! what the kinds share.

use crate::data::results::BenchSet;
use crate::present::tables::MetricTable;

pub mod bars;
pub mod geometry;
pub mod phone;
pub mod phrases;
pub mod relative;
pub mod spec;
pub mod trend;

pub use phrases::{English, Phrases};
pub use spec::{ChartError, Drawn, KindSpec};

/// Declares the kinds of chart: `Variant => module,` each, the module
/// holding a `SPEC` (see [`KindSpec`]).
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
            pub fn spec(self) -> &'static KindSpec {
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

    /// The chart of `table` (one metric of `set`), its words said by
    /// `say`; an error says why this kind cannot draw it.
    pub fn draw(
        self,
        set: &BenchSet,
        table: &MetricTable,
        title: Option<&str>,
        say: &dyn Phrases,
    ) -> Result<Drawn, ChartError> {
        (self.spec().draw)(set, table, title, say)
    }
}

#[cfg(test)]
mod tests {
    use super::bars::*;
    use super::geometry::*;
    use super::trend::*;
    use super::*;

    #[test]
    fn each_pair_of_trend_and_relative_asks_for_one_kind_or_none() {
        let cases = [
            (false, false, Some(Kind::Bars)),
            (true, false, Some(Kind::Trend)),
            (true, true, Some(Kind::RelativeTrend)),
            (false, true, None),
        ];
        for (trend, relative, kind) in cases {
            assert_eq!(
                Kind::of(trend, relative),
                kind,
                "trend={trend} relative={relative}"
            );
        }
        let mut names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Kind::ALL.len(), "kinds named twice: {names:?}");
    }

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
    pub(super) fn first_table(csv: &str) -> (BenchSet, MetricTable) {
        let set = crate::data::results::for_test(csv, None);
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
        layout(&set, &table, None, &English)
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
                    lo <= hi && lo >= c.axis.plot_left && hi <= c.axis.plot_right,
                    "{case}: whisker"
                );
            }
            assert!(b.w >= 0.0 && b.x >= c.axis.plot_left && b.x + b.w <= c.axis.plot_right + 0.1);
            let right = c.axis.plot_left - NAME_GAP;
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
        assert_ticks_fit(&c.axis.ticks, c.width, case);
        let axis = text_width(&c.axis.axis_text, TICK_FONT, false);
        inside(c.axis.plot_right - axis, c.axis.plot_right, "axis label");
    }

    /// Asserts some of `ticks` are labelled, every label lies inside
    /// 0..`width` and no two overlap (for the wide and the phone layout).
    pub(super) fn assert_ticks_fit(ticks: &[Tick], width: f64, case: &str) {
        let labelled: Vec<&Tick> = ticks.iter().filter(|t| !t.label.is_empty()).collect();
        assert!(!labelled.is_empty(), "{case}: no tick labelled");
        for t in &labelled {
            let half = text_width(&t.label, TICK_FONT, false) / 2.0;
            let (a, b) = (t.x - half, t.x + half);
            assert!(
                a >= 0.0 && b <= width && a.is_finite() && b.is_finite(),
                "{case}: tick {:?} spans {a}..{b}, outside 0..{width}",
                t.label
            );
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
        assert_eq!(
            (c.width, c.axis.plot_left, c.axis.plot_right),
            (720.0, 150.0, 610.0)
        );
        assert!(c.bars.iter().all(|b| !b.truncated) && c.axis.zero_x.is_none());
    }

    #[test]
    fn a_long_best_label_narrows_the_plot_instead_of_clipping() {
        let c = chart_of(4, "ops/s", "higher", |i| 4_400_000.0 - 150_000.0 * i as f64);
        let best = c.bars.iter().find(|b| b.best).unwrap();
        assert_eq!(best.label, "4,400,000 ops/s");
        assert!(
            c.axis.plot_right < 610.0 && c.width == 720.0,
            "{}",
            c.axis.plot_right
        );
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
        assert_eq!(c.axis.plot_right - c.axis.plot_left, MIN_PLOT_W);
        let best = c.bars.iter().find(|b| b.best).unwrap();
        let end = best.label_x + text_width(&format!("{} (best)", best.label), FONT, false);
        assert!(c.width > WIDTH && c.width >= end, "{} for {end}", c.width);
        assert_fits(&c, "widened");
    }

    #[test]
    fn zero_draws_no_bar_but_a_label_and_negatives_run_left_of_a_zero_line() {
        let c = chart_of(4, "ms", "lower", |i| (i as f64 - 2.0) * 7.5);
        let zero = c.axis.zero_x.expect("a zero line");
        let z = &c.bars[2];
        assert_eq!((z.w, z.x, z.label.as_str()), (0.0, zero, "0 ms"));
        let neg = &c.bars[0];
        assert!((neg.x + neg.w - zero).abs() < 0.2, "ends at zero: {neg:?}");
        assert!(neg.label_x > zero, "written right of the zero line");
        assert!(c.axis.ticks.iter().any(|t| t.label == "0"));
        assert!(c.axis.ticks.iter().any(|t| t.label.starts_with('-')));
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
        assert_eq!(c.axis.plot_left, LABEL_W_MAX);
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
        trend(&set, &table, None, &English).unwrap()
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
