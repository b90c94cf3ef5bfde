//! The tables a `bench_table` or `bench_chart` shows of the series picked:
//! medians, spreads, the best, ratios and a geometric-mean summary, per
//! metric. Pure functions of a loaded [`BenchSet`]: every page picks its
//! own series from one parse.

use serde::Serialize;

use crate::data::results::{BenchData, BenchSet, Better, Cell, Meta, MetricData, Series};
use crate::text::units::{format_fixed, format_value};

#[derive(Debug, Clone, Serialize)]
pub struct MetricTable {
    pub metric: String,
    /// Display unit (values below are in it), empty when unitless.
    pub unit: String,
    pub better: Better,
    pub better_text: String,
    pub benchmarks: Vec<BenchRow>,
    /// Per series: geometric mean of its ratios to the best.
    pub summary: Vec<Summary>,
    pub summary_text: String,
    /// Smallest and largest value (display unit) across the metric, for charts.
    #[serde(skip)]
    pub extent: (f64, f64),
}

#[derive(Debug, Clone, Serialize)]
pub struct BenchRow {
    pub benchmark: String,
    pub group: Option<String>,
    /// The label of the best series.
    pub best: Option<String>,
    pub results: Vec<SubjectResult>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SubjectResult {
    pub subject: String,
    /// The series' label (`Python 3.12.1` when versions are compared).
    pub label: String,
    /// Index of the series in the file, for its colour.
    pub series: usize,
    pub missing: bool,
    pub median: f64,
    pub min: f64,
    pub max: f64,
    pub median_text: String,
    pub spread_text: String,
    pub samples: usize,
    pub best: bool,
    /// Times worse than the best (1.0 for the best).
    pub ratio: Option<f64>,
    pub ratio_text: String,
    /// The ratio's 95% confidence interval and the verdict, when a table
    /// asks for them ([`super::intervals`]); empty otherwise.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub interval_text: String,
    pub version: Option<String>,
    pub note: Option<String>,
    /// The words of `ratio_text` besides the ratio: the key of its
    /// comparison in the theme's words (`slower_than`) and the best's label.
    #[serde(skip)]
    pub ratio_words: Option<(&'static str, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// The series' label.
    pub subject: String,
    pub geomean: Option<f64>,
    pub geomean_text: String,
    pub wins: usize,
    pub benchmarks: usize,
}

/// The tables of the series `shown` (in that order), for every metric or
/// the one named. `digits` sets the decimals of medians and ranges; by
/// default they keep those the values were written with, or for results
/// measured by `versus bench` those their spread supports ([`Cell::shown`]).
pub fn tables(
    set: &BenchSet,
    shown: &[usize],
    metric: Option<&str>,
    digits: Option<usize>,
) -> Vec<MetricTable> {
    set.data
        .iter()
        .filter(|m| metric.is_none_or(|name| m.metric == name))
        .map(|m| table(set, m, shown, digits))
        .collect()
}

/// The tables of every series of `set`, for every metric.
pub fn all_tables(set: &BenchSet) -> Vec<MetricTable> {
    let all: Vec<usize> = (0..set.series.len()).collect();
    tables(set, &all, None, None)
}

/// What templates are given as `bench`: the whole results file, with the
/// tables of every series ([`all_tables`]) as `metrics`.
#[derive(Debug, Serialize)]
pub struct BenchView<'a> {
    pub meta: &'a Meta,
    pub subjects: &'a [String],
    pub series: &'a [Series],
    pub metrics: &'a [MetricTable],
    pub measured_text: Option<&'a str>,
}

impl<'a> BenchView<'a> {
    pub fn new(set: &'a BenchSet, metrics: &'a [MetricTable]) -> Self {
        Self {
            meta: &set.meta,
            subjects: &set.subjects,
            series: &set.series,
            metrics,
            measured_text: set.measured_text.as_deref(),
        }
    }
}

fn table(set: &BenchSet, m: &MetricData, shown: &[usize], digits: Option<usize>) -> MetricTable {
    let place = places(set, shown);
    let mut benchmarks = Vec::new();
    for b in &m.benchmarks {
        let cells = cells_shown(b, &place);
        if !cells.is_empty() {
            benchmarks.push(row(set, m, b, &cells, digits));
        }
    }
    let summary = summaries(set, shown, &place, &benchmarks);
    let summary_text = summary_line(&summary);
    let extent = extent(&benchmarks);
    MetricTable {
        metric: m.metric.clone(),
        unit: m.unit.clone(),
        better: m.better,
        better_text: m.better_word().to_string(),
        benchmarks,
        summary,
        summary_text,
        extent,
    }
}

/// Where each series of the file is shown (its place in `shown`), or
/// `None` when it is not: lookups stay linear for files with many series
/// and benchmarks.
fn places(set: &BenchSet, shown: &[usize]) -> Vec<Option<usize>> {
    let mut place: Vec<Option<usize>> = vec![None; set.series.len()];
    for (k, &s) in shown.iter().enumerate() {
        if let Some(p) = place.get_mut(s) {
            *p = Some(k);
        }
    }
    place
}

/// Benchmark `b`'s cells of the series shown, in the order they are shown;
/// empty when it measured none of them.
fn cells_shown<'a>(b: &'a BenchData, place: &[Option<usize>]) -> Vec<&'a Cell> {
    let mut cells: Vec<(usize, &Cell)> = b
        .cells
        .iter()
        .filter_map(|c| Some((place.get(c.series).copied().flatten()?, c)))
        .collect();
    cells.sort_by_key(|(k, _)| *k);
    cells.into_iter().map(|(_, c)| c).collect()
}

/// The summary of each series shown that has a result in some row, in the
/// order shown: the geometric mean of its ratios to the best, its wins.
fn summaries(
    set: &BenchSet,
    shown: &[usize],
    place: &[Option<usize>],
    rows: &[BenchRow],
) -> Vec<Summary> {
    // Per series: whether it has a result, the log of each ratio, its wins.
    let mut acc: Vec<(bool, f64, usize, usize)> = vec![(false, 0.0, 0, 0); shown.len()];
    for b in rows {
        for r in &b.results {
            let Some(k) = place.get(r.series).copied().flatten() else {
                continue;
            };
            let a = &mut acc[k];
            a.0 = true;
            if let Some(ratio) = r.ratio {
                a.1 += ratio.ln();
                a.2 += 1;
            }
            if r.best {
                a.3 += 1;
            }
        }
    }
    shown
        .iter()
        .zip(&acc)
        .filter(|(_, a)| a.0)
        .map(|(&s, &(_, ln_sum, n, wins))| {
            let geomean = (n > 0).then(|| (ln_sum / n as f64).exp());
            Summary {
                subject: set.series[s].label.clone(),
                geomean,
                geomean_text: geomean
                    .map_or_else(|| "missing".into(), |g| format!("{}x", format_value(g))),
                wins,
                benchmarks: n,
            }
        })
        .collect()
}

/// The summaries in one line: "Node.js 1.2x (best in 3 of 4), ...".
fn summary_line(summary: &[Summary]) -> String {
    summary
        .iter()
        .map(|s| {
            format!(
                "{} {} (best in {} of {})",
                s.subject, s.geomean_text, s.wins, s.benchmarks
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The smallest and largest value above zero among the results shown
/// (their ranges), for charts; infinity and zero when there is none.
fn extent(rows: &[BenchRow]) -> (f64, f64) {
    let shown_values: Vec<f64> = rows
        .iter()
        .flat_map(|b| &b.results)
        .filter(|r| !r.missing)
        .flat_map(|r| [r.min, r.max])
        .filter(|v| *v > 0.0)
        .collect();
    (
        shown_values.iter().copied().fold(f64::INFINITY, f64::min),
        shown_values.iter().copied().fold(0.0, f64::max),
    )
}

/// One benchmark's row: its cells for the series shown, the best marked
/// and the others' ratios to it.
fn row(
    set: &BenchSet,
    m: &MetricData,
    b: &BenchData,
    cells: &[&Cell],
    digits: Option<usize>,
) -> BenchRow {
    let mut results: Vec<SubjectResult> = cells.iter().map(|c| result(set, c, digits)).collect();
    let best_idx = best_of(&results, m.better);
    let best_name = best_idx.map(|i| results[i].label.clone());
    if let Some(bi) = best_idx {
        let best_val = results[bi].median;
        let best_label = best_name.clone().unwrap_or_default();
        for r in results.iter_mut().filter(|r| !r.missing) {
            compare(r, m, best_val, &best_label);
        }
    }
    BenchRow {
        benchmark: b.benchmark.clone(),
        group: b.group.clone(),
        best: best_name,
        results,
    }
}

/// A cell as a row shows it, not yet compared with the others: its median
/// and range as text with `digits` decimals (by default [`Cell::shown`]).
fn result(set: &BenchSet, c: &Cell, digits: Option<usize>) -> SubjectResult {
    let s = &set.series[c.series];
    let d = digits.unwrap_or(c.shown);
    let missing = c.missing();
    let (med, min, max) = if missing {
        (0.0, 0.0, 0.0)
    } else {
        (c.median(), c.values[0], c.values[c.values.len() - 1])
    };
    SubjectResult {
        subject: s.subject.clone(),
        label: s.label.clone(),
        series: c.series,
        missing,
        median: med,
        min,
        max,
        median_text: if missing {
            "missing".into()
        } else {
            format_fixed(med, d)
        },
        spread_text: if missing || c.values.len() < 2 {
            String::new()
        } else {
            format!("{}–{}", format_fixed(min, d), format_fixed(max, d))
        },
        samples: c.values.len(),
        best: false,
        ratio: None,
        ratio_text: String::new(),
        interval_text: String::new(),
        version: s.version.clone(),
        note: c.note.clone(),
        ratio_words: None,
    }
}

/// Which result has the best median (the lowest or the highest, as the
/// metric says), the first of a tie; `None` when all are missing.
fn best_of(results: &[SubjectResult], better: Better) -> Option<usize> {
    if better == Better::Neither {
        return None;
    }
    results
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.missing)
        .min_by(|a, b| match better {
            Better::Lower => a.1.median.total_cmp(&b.1.median),
            Better::Higher | Better::Neither => b.1.median.total_cmp(&a.1.median),
        })
        .map(|(i, _)| i)
}

/// Marks result `r` against the best median `best_val`: whether it is best
/// (ties are all best), its ratio to the best, and that ratio in words
/// ("X 2x slower than Y").
fn compare(r: &mut SubjectResult, m: &MetricData, best_val: f64, best_label: &str) {
    // A ratio against zero means nothing.
    r.best = r.median == best_val;
    let ratio = match m.better {
        _ if r.best => Some(1.0),
        Better::Lower if best_val > 0.0 => Some(r.median / best_val),
        Better::Higher if r.median > 0.0 => Some(best_val / r.median),
        Better::Lower | Better::Higher | Better::Neither => None,
    };
    r.ratio = ratio;
    r.ratio_text = if r.best {
        "best".into()
    } else if let Some(ratio) = ratio {
        let (key, word) = match (m.better, m.is_time) {
            (Better::Lower, true) => ("slower_than", "slower than"),
            (Better::Lower, false) => ("more_than", "more than"),
            (Better::Higher | Better::Neither, _) => ("less_than", "less than"),
        };
        r.ratio_words = Some((key, best_label.to_string()));
        format!("{} {}x {word} {best_label}", r.label, format_value(ratio))
    } else {
        "no ratio (a value of zero)".into()
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::figure::{Query, Stat, figure};
    use crate::data::select::select;

    const CSV: &str = "benchmark,subject,metric,unit,value,version\n\
        fib,Node.js,time,ms,100.5,v20.1.0\n\
        fib,Node.js,time,ms,101.5,v20.1.0\n\
        fib,Node.js,time,ms,80.25,v24.2.0\n\
        fib,Python,time,ms,1300,3.11.7\n\
        fib,Python,time,ms,900,3.13.0\n\
        json,Python,time,ms,159.97,3.13.0\n\
        json,Node.js,time,ms,50,v24.2.0\n";

    fn set(csv: &str) -> BenchSet {
        crate::data::results::for_test(csv, None)
    }

    /// Results as `versus bench` writes them: four decimals, a `group`,
    /// and a run in the metadata that measured them.
    const MEASURED: &str = "benchmark,subject,metric,unit,value,better,version,note,group\n\
        start,Node.js,time,ms,227.2862,lower,v24.2.0,,start\n\
        start,Node.js,time,ms,234.5537,lower,v24.2.0,,start\n\
        start,Node.js,time,ms,274.7618,lower,v24.2.0,,start\n\
        start,Python,time,ms,1.2401,lower,3.13.0,,start\n\
        start,Python,time,ms,1.2690,lower,3.13.0,,start\n\
        start,Python,time,ms,1.2803,lower,3.13.0,,start\n\
        near,Node.js,time,ms,0.3000,lower,v24.2.0,,near\n\
        near,Node.js,time,ms,0.5800,lower,v24.2.0,,near\n\
        near,Node.js,time,ms,0.9000,lower,v24.2.0,,near\n\
        near,Python,time,ms,0.3000,lower,3.13.0,,near\n\
        near,Python,time,ms,0.6264,lower,3.13.0,,near\n\
        near,Python,time,ms,0.9000,lower,3.13.0,,near\n";

    const RUNS: &str = "[[runs]]\nbenchmarks = [\"start\", \"near\"]\n\
        [runs.runtimes.node]\nname = \"Node.js\"\nversion = \"v24.2.0\"\n\
        [runs.runtimes.python]\nname = \"Python\"\nversion = \"3.13.0\"\n";

    fn set_with(csv: &str, meta: &str) -> BenchSet {
        crate::data::results::for_test(csv, Some(meta))
    }

    /// Benchmark `b`'s results as (median, range, ratio) texts.
    fn shown(set: &BenchSet, b: &str, digits: Option<usize>) -> Vec<(String, String, String)> {
        let all: Vec<usize> = (0..set.series.len()).collect();
        let t = &tables(set, &all, None, digits)[0];
        let row = t.benchmarks.iter().find(|r| r.benchmark == b).unwrap();
        row.results
            .iter()
            .map(|r| {
                (
                    r.median_text.clone(),
                    r.spread_text.clone(),
                    r.ratio_text.clone(),
                )
            })
            .collect()
    }

    fn texts(items: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
        items
            .iter()
            .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
            .collect()
    }

    #[test]
    fn measured_results_are_shown_as_precisely_as_their_spread_allows() {
        let s = set_with(MEASURED, RUNS);
        assert_eq!(
            shown(&s, "start", None),
            texts(&[
                ("235", "227–275", "Node.js 185x slower than Python"),
                ("1.27", "1.24–1.28", "best"),
            ])
        );
        // The same lines without a run keep the four decimals written.
        let hand = set_with(MEASURED, "");
        assert_eq!(
            shown(&hand, "start", None),
            texts(&[
                (
                    "234.5537",
                    "227.2862–274.7618",
                    "Node.js 185x slower than Python"
                ),
                ("1.2690", "1.2401–1.2803", "best"),
            ])
        );
        // `digits` decides for both.
        for set in [&s, &hand] {
            assert_eq!(shown(set, "start", Some(1))[0].0, "234.6");
        }
        // A figure in prose reads as the table does.
        let q = |subject| Query {
            subject,
            benchmark: Some("start"),
            unit: true,
            words: true,
            ..Query::default()
        };
        assert_eq!(figure(&s, &q("Python")).unwrap().text, "1.27 ms");
        let range = Query {
            stat: Some(Stat::Range),
            ..q("Node.js")
        };
        assert_eq!(figure(&s, &range).unwrap().text, "227–275 ms");
        let two = Query {
            digits: Some(2),
            ..q("Python")
        };
        assert_eq!(figure(&s, &two).unwrap().text, "1.27 ms");
        assert_eq!(figure(&hand, &q("Python")).unwrap().text, "1.2690 ms");
    }

    #[test]
    fn a_ratio_never_disagrees_with_the_medians_shown() {
        // 0.58 and 0.6264 ms, spread over 0.3–0.9: one decimal each
        // ("0.6" and "0.6") would hide the 1.08x between them.
        let s = set_with(MEASURED, RUNS);
        let near = shown(&s, "near", None);
        assert_eq!(near[1].2, "Python 1.08x slower than Node.js");
        let (a, b): (f64, f64) = (near[0].0.parse().unwrap(), near[1].0.parse().unwrap());
        assert!((b / a - 1.08).abs() <= 0.01, "{near:?}");
        assert_eq!(
            near,
            texts(&[
                ("0.58", "0.30–0.90", "best"),
                ("0.63", "0.30–0.90", "Python 1.08x slower than Node.js"),
            ])
        );
        let q = Query {
            subject: "Python",
            benchmark: Some("near"),
            vs: Some("Node.js"),
            unit: true,
            words: true,
            ..Query::default()
        };
        assert_eq!(figure(&s, &q).unwrap().text, "1.08x slower");
        // Every pair agrees: medians a whole decade apart too.
        for b in &s.data[0].benchmarks {
            for x in &b.cells {
                for y in &b.cells {
                    assert!(
                        crate::text::units::ratio_agrees(x.median(), x.shown, y.median(), y.shown),
                        "{}: {x:?} {y:?}",
                        b.benchmark
                    );
                }
            }
        }
    }

    #[test]
    fn lines_written_by_hand_in_a_measured_file_keep_their_precision() {
        // No `group`: not a line `versus bench` wrote.
        let csv = format!("{MEASURED}start,Go,time,ms,0.9871,lower,1.23,,\n");
        let s = set_with(&csv, RUNS);
        let start = shown(&s, "start", None);
        assert_eq!(start[2].0, "0.9871");
        assert_eq!(start[1].0, "1.27", "{start:?}");
        // Nor is a version no run measured.
        let csv = format!("{MEASURED}start,Python,time,ms,1.3101,lower,3.12.1,,start\n");
        let s = set_with(&csv, RUNS);
        assert_eq!(shown(&s, "start", None)[1].0, "1.3101");
    }

    fn labels(set: &BenchSet, shown: &[usize]) -> Vec<String> {
        shown.iter().map(|&i| set.series[i].label.clone()).collect()
    }

    #[test]
    fn series_are_subjects_at_versions_oldest_first() {
        let s = set(CSV);
        assert_eq!(
            labels(&s, &(0..s.series.len()).collect::<Vec<_>>()),
            [
                "Node.js v20.1.0",
                "Node.js v24.2.0",
                "Python 3.11.7",
                "Python 3.13.0"
            ]
        );
    }

    #[test]
    fn selectors_pick_versions() {
        let s = set(CSV);
        let pick = |sub: Option<&str>, v: Option<&str>| select(&s, sub, v).map(|x| labels(&s, &x));
        assert_eq!(
            pick(None, Some("latest")).unwrap(),
            ["Node.js v24.2.0", "Python 3.13.0"]
        );
        assert_eq!(
            pick(Some("Python@3.13, Node.js@24"), None).unwrap(),
            ["Python 3.13.0", "Node.js v24.2.0"]
        );
        assert_eq!(pick(Some("Python"), None).unwrap().len(), 2);
        assert_eq!(
            pick(Some("Node.js@v20"), None).unwrap(),
            ["Node.js v20.1.0"]
        );
        assert!(
            pick(Some("Python@3.1"), None)
                .unwrap_err()
                .to_string()
                .contains("3.11.7, 3.13.0")
        );
        assert!(
            pick(Some("Pyton"), None)
                .unwrap_err()
                .to_string()
                .contains("did you mean `Python`")
        );
        assert!(pick(None, Some("newest")).is_err());
    }

    #[test]
    fn tables_compare_the_series_shown_and_keep_written_precision() {
        let s = set(CSV);
        let shown = select(&s, Some("Python"), None).unwrap();
        let t = &tables(&s, &shown, Some("time"), None)[0];
        let fib = &t.benchmarks[0];
        assert_eq!(fib.best.as_deref(), Some("Python 3.13.0"));
        assert_eq!(
            fib.results[0].ratio_text,
            "Python 3.11.7 1.44x slower than Python 3.13.0"
        );
        let json = &t.benchmarks[1];
        assert_eq!(json.results.len(), 1, "only the series shown");
        assert_eq!(json.results[0].median_text, "159.97");
        let t = &tables(&s, &shown, Some("time"), Some(0))[0];
        assert_eq!(t.benchmarks[1].results[0].median_text, "160");
    }

    #[test]
    fn seconds_stay_seconds() {
        let s = set("benchmark,subject,unit,value\na,X,s,2.1\nb,X,s,0.5\n");
        let t = &all_tables(&s)[0];
        assert_eq!(t.unit, "s");
        assert_eq!(t.benchmarks[0].results[0].median_text, "2.1");
        // Mixed units are shown in one, with the decimals carried over.
        let s = set("benchmark,subject,unit,value\na,X,s,2.1\nb,X,ms,500\n");
        let t = &all_tables(&s)[0];
        assert_eq!(t.unit, "ms");
        assert_eq!(t.benchmarks[0].results[0].median_text, "2100");
    }

    #[test]
    fn figures_and_ratios() {
        let s = set(CSV);
        let q = |subject, benchmark| Query {
            subject,
            benchmark,
            unit: true,
            words: true,
            ..Query::default()
        };
        let f = figure(&s, &q("Node.js@24", Some("fib"))).unwrap();
        assert_eq!(f.text, "80.25 ms");
        assert!(
            f.source.contains("Median of 1 run: fib, Node.js v24.2.0"),
            "{}",
            f.source
        );
        let f = figure(
            &s,
            &Query {
                vs: Some("Node.js@24"),
                ..q("Python@3.13", Some("fib"))
            },
        )
        .unwrap();
        assert_eq!(f.text, "11.2x slower");
        let f = figure(
            &s,
            &Query {
                vs: Some("Python@3.13"),
                ..q("Node.js@24", Some("fib"))
            },
        )
        .unwrap();
        assert_eq!(f.text, "11.2x faster");
        let f = figure(
            &s,
            &Query {
                vs_benchmark: Some("json"),
                digits: Some(1),
                words: false,
                ..q("Python@3.13", Some("fib"))
            },
        )
        .unwrap();
        assert_eq!(f.text, "5.6x");
        let f = figure(
            &s,
            &Query {
                stat: Some(Stat::Range),
                ..q("Node.js@20", Some("fib"))
            },
        )
        .unwrap();
        assert_eq!(f.text, "100.5–101.5 ms");
        let err = figure(&s, &q("Node.js", Some("fib")))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("several versions (v20.1.0, v24.2.0)") && err.contains("Node.js@24"),
            "{err}"
        );
        let err = figure(&s, &q("Node.js@24", Some("fibb")))
            .unwrap_err()
            .to_string();
        assert!(err.contains("did you mean `fib`"), "{err}");
        let err = figure(&s, &q("Node.js@24", None)).unwrap_err().to_string();
        assert!(err.contains("several benchmarks"), "{err}");
        let err = figure(&s, &q("Node.js@20", Some("json")))
            .unwrap_err()
            .to_string();
        assert!(err.contains("no result for `json`"), "{err}");
    }

    /// A results CSV, parsed.
    fn results_csv(csv: &str) -> BenchSet {
        crate::data::results::for_test(csv, None)
    }

    #[test]
    fn aggregates_samples_ratios_and_geomean() {
        let csv = "benchmark,subject,metric,unit,value,better,version\n\
                   fib,Node.js,time,ms,11.8,lower,20\n\
                   fib,Node.js,time,ms,12.2,lower,20\n\
                   fib,Node.js,time,ms,12.0,lower,20\n\
                   fib,Python,time,ms,182,lower,3.11\n\
                   json,Node.js,time,s,0.5,lower,20\n\
                   json,Python,time,s,0.25,lower,3.11\n";
        let set = results_csv(csv);
        let t = &all_tables(&set)[0];
        assert_eq!(t.unit, "ms");
        let fib = &t.benchmarks[0];
        assert_eq!(fib.best.as_deref(), Some("Node.js"));
        assert_eq!(fib.results[0].median, 12.0);
        assert_eq!(fib.results[0].samples, 3);
        assert_eq!(fib.results[0].spread_text, "11.8–12.2");
        assert_eq!(
            fib.results[1].ratio_text,
            "Python 15.2x slower than Node.js"
        );
        let json = &t.benchmarks[1];
        assert_eq!(json.results[0].median, 500.0, "seconds converted to ms");
        assert_eq!(json.best.as_deref(), Some("Python"));
        // Node: ratios 1 and 2 -> geomean sqrt(2)
        let node = &t.summary[0];
        assert!((node.geomean.unwrap() - 2f64.sqrt()).abs() < 1e-9);
        assert_eq!(node.wins, 1);
    }

    #[test]
    fn higher_is_better() {
        let csv = "benchmark,subject,metric,unit,value,better\nhttp,A,rps,req/s,1000,higher\nhttp,B,rps,req/s,4000,higher\n";
        let set = results_csv(csv);
        let b = &all_tables(&set)[0].benchmarks[0];
        assert_eq!(b.best.as_deref(), Some("B"));
        assert_eq!(b.results[0].ratio, Some(4.0));
        assert_eq!(b.results[0].ratio_text, "A 4.00x less than B");
    }

    #[test]
    fn better_is_written_once_per_metric_and_zero_and_ties_are_handled() {
        let csv = "benchmark,subject,metric,value,better\nx,A,rps,10,higher\nx,B,rps,0,\ny,A,rps,5,\ny,B,rps,5,\n";
        let set = results_csv(csv);
        let t = &all_tables(&set)[0];
        assert_eq!(t.better, Better::Higher);
        let x = &t.benchmarks[0];
        assert!(
            x.results[0].best && !x.results[1].best,
            "a zero is worst when higher is better"
        );
        assert_eq!(x.results[1].ratio, None);
        let y = &t.benchmarks[1];
        assert!(y.results.iter().all(|r| r.best), "a tie makes both best");
        assert_eq!(t.summary[1].wins, 1, "B wins the tie too");
        let lower = "benchmark,subject,value\nz,A,0\nz,B,3\n";
        let set = results_csv(lower);
        let z = &all_tables(&set)[0].benchmarks[0];
        assert!(z.results[0].best && !z.results[1].best);
        let meta: crate::data::results::Meta = toml::from_str("date = 2026-11-26\n").unwrap();
        assert_eq!(meta.date.as_deref(), Some("2026-11-26"));
    }

    #[test]
    fn missing_values_are_missing_not_zero() {
        let csv = "benchmark,subject,value\nfib,A,10\nfib,B,\n";
        let set = results_csv(csv);
        let r = &all_tables(&set)[0].benchmarks[0].results[1];
        assert!(r.missing && r.ratio.is_none());
        assert_eq!(all_tables(&set)[0].benchmarks[0].best.as_deref(), Some("A"));
    }

    #[test]
    fn many_distinct_names_stay_linear() {
        let mut csv = String::from("benchmark,subject,value\n");
        for i in 0..20_000 {
            csv.push_str(&format!("b{i},s{i},{i}\n"));
        }
        let start = std::time::Instant::now();
        let set = results_csv(&csv);
        assert_eq!(all_tables(&set)[0].benchmarks.len(), 20_000);
        assert_eq!(set.subjects.len(), 20_000);
        assert!(start.elapsed().as_secs() < 10, "{:?}", start.elapsed());
    }
}
