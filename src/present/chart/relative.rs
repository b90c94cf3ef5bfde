//! A trend as change from its first version (`relative=true`): each line
//! of a trend (one benchmark and subject) in percent of the median of its
//! oldest version with a result, so lines of a 2 ms and a 400 ms benchmark
//! share one axis and a 16% change looks like one.

use super::geometry::{Scale, signed_ticks};
use super::phrases::Phrases;
use super::spec::{ChartError, Drawn, KindSpec};
use super::trend::{Axis, Trend, drawn, drawn_trend, trend_subjects, trend_versions};
use crate::data::results::{BenchSet, version_key};
use crate::present::tables::{MetricTable, SubjectResult};
use crate::text::units::format_value;

/// The relative trend in the chart registry ([`super::Kind`]).
pub const SPEC: KindSpec = KindSpec {
    name: "relative-trend",
    trend: true,
    relative: true,
    draw,
};

fn draw(
    set: &BenchSet,
    table: &MetricTable,
    title: Option<&str>,
    say: &dyn Phrases,
) -> Result<Drawn, ChartError> {
    drawn(relative_trend(set, table, title, say)?)
}

/// `table` with each result's median as its change, in percent, from the
/// median of the oldest version of its subject in its benchmark, and its
/// text giving both ("-5.2% (836 ms)"), and no unit. Fails when a
/// line starts at 0, from which no change can be told.
pub fn change_table(table: &MetricTable) -> Result<MetricTable, ChartError> {
    let mut out = table.clone();
    let unit = if table.unit.is_empty() {
        String::new()
    } else {
        format!(" {}", table.unit)
    };
    for b in &mut out.benchmarks {
        let bases = baselines(&b.results);
        for r in b.results.iter_mut().filter(|r| !r.missing) {
            let Some(&(_, base)) = bases.iter().find(|(s, _)| *s == r.subject) else {
                continue;
            };
            if base == 0.0 {
                return Err(ChartError::StartsAtZero {
                    benchmark: b.benchmark.clone(),
                    subject: r.subject.clone(),
                });
            }
            let pct = (r.median - base) / base.abs() * 100.0;
            r.median_text = format!("{} ({}{unit})", percent(pct), r.median_text);
            (r.median, r.min, r.max) = (pct, pct, pct);
        }
    }
    let changes = || {
        out.benchmarks
            .iter()
            .flat_map(|b| &b.results)
            .filter(|r| !r.missing && r.version.is_some())
            .map(|r| r.median)
    };
    out.extent = (changes().fold(0.0, f64::min), changes().fold(0.0, f64::max));
    // The unit is in each text already.
    out.unit = String::new();
    Ok(out)
}

/// Each subject's first median among `results`: that of its oldest version
/// with a result (a subject with none has no entry).
fn baselines(results: &[SubjectResult]) -> Vec<(String, f64)> {
    let mut firsts: Vec<&SubjectResult> = Vec::new();
    let key = |r: &SubjectResult| version_key(r.version.as_deref().unwrap_or_default());
    for r in results.iter().filter(|r| !r.missing && r.version.is_some()) {
        match firsts.iter_mut().find(|f| f.subject == r.subject) {
            Some(f) if key(r) < key(f) => *f = r,
            Some(_) => {}
            None => firsts.push(r),
        }
    }
    firsts
        .iter()
        .map(|r| (r.subject.clone(), r.median))
        .collect()
}

/// From here up (a thousandfold change) a percentage is written with an
/// exponent (`+2e43%`, `+1.0e5%`): written out in full its digits would be
/// wider than a phone's chart and no easier to read.
const HUGE: f64 = 100_000.0;

/// A change in percent, signed, with one decimal below 100 and none from
/// 100 up: `+16.2%`, `-5.0%`, `+250%`; exactly 0 is `0%`, and a change that
/// rounds to 0 is `0.0%`.
pub fn percent(pct: f64) -> String {
    if pct == 0.0 {
        return "0%".into();
    }
    let a = pct.abs();
    if a >= HUGE {
        return format!("{}{a:.1e}%", if pct > 0.0 { "+" } else { "-" });
    }
    let digits = if a >= 99.95 { 0 } else { 1 };
    let text = crate::text::units::format_fixed(a, digits);
    if text.trim_start_matches(['0', '.']).is_empty() {
        return format!("{text}%");
    }
    format!("{}{text}%", if pct > 0.0 { "+" } else { "-" })
}

/// An axis tick in percent: `+20%`, `0%`, `-2.5%` (no trailing zeros).
pub fn percent_tick(v: f64) -> String {
    if v == 0.0 {
        return "0%".into();
    }
    if v.abs() >= HUGE {
        return format!("{}{:e}%", if v > 0.0 { "+" } else { "-" }, v.abs());
    }
    let text = format_value(v.abs());
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    format!("{}{text}%", if v > 0.0 { "+" } else { "-" })
}

/// The value axis of a change trend: linear, 0 among its ticks, spanning
/// at least 10 percentage points so that noise does not fill the chart.
pub fn change_ticks(table: &MetricTable) -> (f64, f64, Vec<f64>) {
    let (mut lo, mut hi) = (table.extent.0.min(0.0), table.extent.1.max(0.0));
    if !(lo.is_finite() && hi.is_finite()) {
        (lo, hi) = (-5.0, 5.0);
    }
    if hi - lo < 10.0 {
        let pad = (10.0 - (hi - lo)) / 2.0;
        (lo, hi) = (lo - pad, hi + pad);
    }
    signed_ticks(lo, hi)
}

/// Lays out the trend of `table` as each line's change from its first
/// version, in percent, on a linear axis through 0 (`relative=true`).
pub fn relative_trend(
    set: &BenchSet,
    table: &MetricTable,
    title: Option<&str>,
    say: &dyn Phrases,
) -> Result<Trend, ChartError> {
    trend_subjects(table)?;
    trend_versions(table)?;
    let change = change_table(table)?;
    let (lo, hi, ticks) = change_ticks(&change);
    let axis = Axis {
        scale: Scale { log: false, lo, hi },
        ticks,
        tick_label: percent_tick,
        text: say.say("chart_axis_change", &[("metric", &change.metric)]),
        what: say.say("chart_title_change", &[("metric", &change.metric)]),
        describe: "chart_desc_change",
        unit: "%".into(),
        relative: true,
    };
    drawn_trend(set, &change, title, axis, say)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percents_are_signed_and_short() {
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(16.24), "+16.2%");
        assert_eq!(percent(-5.0), "-5.0%");
        assert_eq!(percent(99_999.0), "+99,999%");
        assert_eq!(percent(1.0e43), "+1.0e43%");
        assert_eq!(percent_tick(2.0e43), "+2e43%");
        assert_eq!(percent_tick(-200_000.0), "-2e5%");
        assert_eq!(percent(0.01), "0.0%");
        assert_eq!(percent(-0.04), "0.0%");
        assert_eq!(percent(250.4), "+250%");
        assert_eq!(percent(99.97), "+100%");
        assert_eq!(percent(12_345.0), "+12,345%");
        assert_eq!(percent_tick(20.0), "+20%");
        assert_eq!(percent_tick(-2.5), "-2.5%");
        assert_eq!(percent_tick(0.0), "0%");
    }
}
