//! What a page shows of benchmark results: which series (subjects at their
//! versions) a shortcode picks with `subjects` and `versions`, the tables
//! of those series (medians, spreads, the best, ratios, a geometric-mean
//! summary), and single figures for prose (`figure`). Pure functions of a
//! loaded [`BenchSet`]: every page picks its own series from one parse.

use super::results::{BenchData, BenchSet, Better, Cell, MetricData, MetricTable, Summary};
use super::results::{BenchRow, Series, SubjectResult, version_key};
use crate::diagnostic::closest;
use crate::shortcode_syntax::{Arg, ArgSpec, ArgType, Placement, Spec};
use crate::units::{format_fixed, format_value};
use std::collections::BTreeMap;

/// The series `subjects` and `versions` pick, in the order to show them.
///
/// `subjects` is a comma-separated list of `NAME` (the subject at every
/// version), `NAME@VERSION` (versions starting with `VERSION` at a dot:
/// `Python@3.12` is 3.12.1 but not 3.120; a leading `v` is optional) or
/// `NAME@latest`. `versions` is `all` (the default) or `latest`: each
/// subject at its newest version only.
pub fn select(
    set: &BenchSet,
    subjects: Option<&str>,
    versions: Option<&str>,
) -> Result<Vec<usize>, String> {
    let latest_only = match versions.map(str::trim) {
        None | Some("all") => false,
        Some("latest") => true,
        Some(other) => {
            return Err(format!("versions is `all` or `latest`, not `{other}`"));
        }
    };
    // Each subject's series, found once (files may hold many subjects).
    let mut by_subject: std::collections::HashMap<&str, Vec<usize>> =
        std::collections::HashMap::new();
    for (i, s) in set.series.iter().enumerate() {
        by_subject.entry(s.subject.as_str()).or_default().push(i);
    }
    let mut out: Vec<usize> = Vec::new();
    let mut taken = vec![false; set.series.len()];
    let mut push = |found: Vec<usize>| {
        for i in found {
            if !std::mem::replace(&mut taken[i], true) {
                out.push(i);
            }
        }
    };
    match subjects {
        None => {
            for name in &set.subjects {
                push(pick(
                    set,
                    &by_subject,
                    name,
                    latest_only.then_some("latest"),
                )?);
            }
        }
        Some(list) => {
            for sel in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                let (name, version) = split_selector(set, sel);
                let version = version.or(latest_only.then_some("latest"));
                push(pick(set, &by_subject, name, version)?);
            }
        }
    }
    if out.is_empty() {
        return Err("`subjects` names no subject".into());
    }
    Ok(out)
}

/// `Node.js@24` → (`Node.js`, `24`); a subject whose own name holds an `@`
/// is taken as it is.
fn split_selector<'a>(set: &BenchSet, sel: &'a str) -> (&'a str, Option<&'a str>) {
    if sel.contains('@') && set.subjects.iter().any(|s| s == sel) {
        return (sel, None);
    }
    match sel.rsplit_once('@') {
        Some((name, v)) => (name.trim(), Some(v.trim())),
        None => (sel, None),
    }
}

/// The series of subject `name` at `version` (all when `None`).
fn pick(
    set: &BenchSet,
    by_subject: &std::collections::HashMap<&str, Vec<usize>>,
    name: &str,
    version: Option<&str>,
) -> Result<Vec<usize>, String> {
    let of_subject: Vec<usize> = by_subject.get(name).cloned().unwrap_or_default();
    if of_subject.is_empty() {
        let hint = match closest(name, set.subjects.iter().map(String::as_str)) {
            Some(c) => format!("did you mean `{c}`?"),
            None => format!("the subjects are {}", set.subjects.join(", ")),
        };
        return Err(format!("no subject `{name}` in these results: {hint}"));
    }
    let Some(wanted) = version else {
        return Ok(of_subject);
    };
    if wanted == "latest" {
        // Series are ordered oldest first.
        return Ok(of_subject.last().copied().into_iter().collect());
    }
    let bare = |v: &str| v.trim_start_matches('v').to_string();
    let w = bare(wanted);
    let found: Vec<usize> = of_subject
        .iter()
        .copied()
        .filter(|&i| {
            set.series[i].version.as_deref().is_some_and(|v| {
                let v = bare(v);
                v == w || v.starts_with(&format!("{w}."))
            })
        })
        .collect();
    if found.is_empty() {
        let versions: Vec<&str> = of_subject
            .iter()
            .filter_map(|&i| set.series[i].version.as_deref())
            .collect();
        let guess = closest(&w, versions.iter().map(|v| v.trim_start_matches('v')))
            .map(|v| format!(": did you mean `{name}@{v}`?"))
            .unwrap_or_default();
        return Err(format!(
            "no version `{wanted}` of `{name}` in these results: it was measured in {}{guess}",
            if versions.is_empty() {
                "no recorded version".to_string()
            } else {
                versions.join(", ")
            }
        ));
    }
    Ok(found)
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
        better_text: m.better_word(),
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
        version: s.version.clone(),
        note: c.note.clone(),
    }
}

/// Which result has the best median (the lowest or the highest, as the
/// metric says), the first of a tie; `None` when all are missing.
fn best_of(results: &[SubjectResult], better: Better) -> Option<usize> {
    results
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.missing)
        .min_by(|a, b| match better {
            Better::Lower => a.1.median.total_cmp(&b.1.median),
            Better::Higher => b.1.median.total_cmp(&a.1.median),
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
        _ => None,
    };
    r.ratio = ratio;
    r.ratio_text = if r.best {
        "best".into()
    } else if let Some(ratio) = ratio {
        let word = match (m.better, m.is_time) {
            (Better::Lower, true) => "slower than",
            (Better::Lower, false) => "more than",
            (Better::Higher, _) => "less than",
        };
        format!("{} {}x {word} {best_label}", r.label, format_value(ratio))
    } else {
        "no ratio (a value of zero)".into()
    };
}

/// What `figure` prints of a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stat {
    Median,
    Min,
    Max,
    /// `min–max`.
    Range,
    /// The number of samples.
    Runs,
    /// The series' version.
    Version,
}

impl Stat {
    pub const NAMES: &[&str] = &["median", "min", "max", "range", "runs", "version"];

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "median" => Self::Median,
            "min" => Self::Min,
            "max" => Self::Max,
            "range" => Self::Range,
            "runs" => Self::Runs,
            "version" => Self::Version,
            _ => return None,
        })
    }
}

/// `figure`: one number of benchmark results, in running text (in a page
/// or a data file's cell); `data` and `subject` are required.
pub const FIGURE: Spec = Spec {
    name: "figure",
    placement: Placement::Inline,
    args: &[
        ArgSpec::required("data", ArgType::Str),
        ArgSpec::required("subject", ArgType::Str),
        ArgSpec::opt("benchmark", ArgType::Str),
        ArgSpec::opt("metric", ArgType::Str),
        ArgSpec::defaults_to("stat", ArgType::Str, "\"median\""),
        ArgSpec::opt("vs", ArgType::Str),
        ArgSpec::opt("vs_benchmark", ArgType::Str),
        ArgSpec::opt("digits", ArgType::Digits),
        ArgSpec::defaults_to("unit", ArgType::Bool, "true"),
        ArgSpec::defaults_to("words", ArgType::Bool, "true"),
    ],
};

/// What a `figure` call asks for.
#[derive(Debug, Clone, Default)]
pub struct Query<'a> {
    pub metric: Option<&'a str>,
    pub benchmark: Option<&'a str>,
    /// A selector naming one series (`Node.js@24`).
    pub subject: &'a str,
    pub stat: Option<Stat>,
    /// Compare with this series (a ratio): `Python@3.13`.
    pub vs: Option<&'a str>,
    /// Compare with this benchmark (default: the same).
    pub vs_benchmark: Option<&'a str>,
    pub digits: Option<usize>,
    /// Print the unit after the number (default).
    pub unit: bool,
    /// Print the ratio's word (`slower`, `faster`; default).
    pub words: bool,
}

impl<'a> Query<'a> {
    /// The query a `figure` call's arguments make (all but `data`), checked.
    pub fn from_args(args: &'a BTreeMap<String, Arg>) -> Result<Self, String> {
        if let Some(k) = args.keys().find(|k| !FIGURE.takes(k)) {
            return Err(match closest(k, FIGURE.arg_names()) {
                Some(c) => format!("unknown argument `{k}` for `figure`: did you mean `{c}`?"),
                None => format!(
                    "unknown argument `{k}` for `figure`: it takes {}",
                    FIGURE.arg_names().join(", ")
                ),
            });
        }
        let text = |key: &str| -> Result<Option<&'a str>, String> {
            match args.get(key) {
                None => Ok(None),
                Some(Arg::Str(s)) => Ok(Some(s.as_str())),
                Some(_) => Err(format!("`{key}` of `figure` must be a quoted string")),
            }
        };
        let flag = |key: &str| -> Result<bool, String> {
            match args.get(key) {
                None => Ok(true),
                Some(Arg::Bool(b)) => Ok(*b),
                Some(_) => Err(format!("`{key}` of `figure` is true or false")),
            }
        };
        let subject =
            text("subject")?.ok_or("`figure` needs `subject`, the series to print a figure of")?;
        let stat =
            match text("stat")? {
                None => None,
                Some(s) => Some(Stat::parse(s).ok_or_else(|| {
                    format!("stat `{s}` is not one of {}", Stat::NAMES.join(", "))
                })?),
            };
        let digits = match args.get("digits") {
            None => None,
            Some(Arg::Int(i)) if (0..=12).contains(i) => usize::try_from(*i).ok(),
            Some(_) => return Err("`digits` of `figure` is a whole number from 0 to 12".into()),
        };
        Ok(Query {
            metric: text("metric")?,
            benchmark: text("benchmark")?,
            subject,
            stat,
            vs: text("vs")?,
            vs_benchmark: text("vs_benchmark")?,
            digits,
            unit: flag("unit")?,
            words: flag("words")?,
        })
    }
}

/// A figure for prose: the text, and where it comes from in words.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub text: String,
    /// "Median of 10 runs: fib(35), Node.js v24.19.0, time".
    pub source: String,
    /// The value printed (or the ratio), for a `<data>` element.
    pub value: Option<f64>,
}

/// Looks up one figure. Errors are sentences naming what was not found,
/// with the names that are there.
pub fn figure(set: &BenchSet, q: &Query<'_>) -> Result<Figure, String> {
    let m = find_metric(set, q.metric)?;
    let b = find_benchmark(m, q.benchmark)?;
    let s = one_series(set, b, q.subject)?;
    let cell = result_of(set, m, b, s)?;
    let found = Found {
        set,
        m,
        b,
        s,
        cell,
        who: who(&set.series[s]),
    };
    if q.vs.is_some() || q.vs_benchmark.is_some() {
        return ratio_figure(&found, q);
    }
    let stat = q.stat.unwrap_or(Stat::Median);
    let source = stat_source(&found, stat);
    let (text, value) = stat_value(&found, stat, q)?;
    Ok(Figure {
        text,
        source,
        value,
    })
}

/// The result a `figure` call names, and where it was found.
struct Found<'a> {
    set: &'a BenchSet,
    m: &'a MetricData,
    b: &'a BenchData,
    /// The series' index in `set`.
    s: usize,
    cell: &'a Cell,
    /// The series in words, from [`who`].
    who: String,
}

/// How a figure's source names a series: its subject and version when the
/// label is only the subject ("Node.js v24.19.0"), otherwise its label.
fn who(series: &Series) -> String {
    match &series.version {
        Some(v) if series.label == series.subject => format!("{} {v}", series.subject),
        _ => series.label.clone(),
    }
}

/// The figure comparing the result found with another (`vs`, `vs_benchmark`):
/// the larger median over the smaller, with a word saying which way.
fn ratio_figure(f: &Found<'_>, q: &Query<'_>) -> Result<Figure, String> {
    let (set, m, b) = (f.set, f.m, f.b);
    let vb = match q.vs_benchmark {
        Some(_) => find_benchmark(m, q.vs_benchmark)?,
        None => b,
    };
    let vs = match q.vs {
        Some(sel) => one_series(set, vb, sel)?,
        None => f.s,
    };
    let other = result_of(set, m, vb, vs)?;
    let (a, z) = (f.cell.median(), other.median());
    if a <= 0.0 || z <= 0.0 {
        return Err("a median of zero has no ratio".into());
    }
    let r = a / z;
    let n = if r >= 1.0 { r } else { 1.0 / r };
    let bigger = r >= 1.0;
    let word = match (m.better, m.is_time, bigger) {
        (Better::Lower, true, true) => "slower",
        (Better::Lower, true, false) => "faster",
        (_, _, true) => "more",
        (_, _, false) => "less",
    };
    let number = match q.digits {
        Some(d) => format_fixed(n, d),
        None => format_value(n),
    };
    let other_series = &set.series[vs];
    Ok(Figure {
        text: if q.words {
            format!("{number}x {word}")
        } else {
            format!("{number}x")
        },
        source: format!(
            "Ratio of medians ({}, {}): {} on {} against {} on {}",
            m.metric,
            m.better_word(),
            f.who,
            b.benchmark,
            other_series.label,
            vb.benchmark
        ),
        value: Some(n),
    })
}

/// Where figure `stat` of the result found comes from, in words: "Median of
/// 10 runs: fib(35), Node.js v24.19.0, time".
fn stat_source(f: &Found<'_>, stat: Stat) -> String {
    let (m, b, who) = (f.m, f.b, &f.who);
    let runs = f.cell.values.len();
    match stat {
        Stat::Version => format!("The version measured: {}, {who}", b.benchmark),
        Stat::Runs => format!("Measured runs: {}, {who}, {}", b.benchmark, m.metric),
        stat => format!(
            "{} of {runs} run{}: {}, {who}, {}",
            match stat {
                Stat::Min => "Lowest",
                Stat::Max => "Highest",
                Stat::Range => "Range",
                _ => "Median",
            },
            if runs == 1 { "" } else { "s" },
            b.benchmark,
            m.metric
        ),
    }
}

/// Figure `stat` of the result found as text (with the unit if asked), and
/// the value printed when it is one number. Only a version that was not
/// recorded is an error.
fn stat_value(f: &Found<'_>, stat: Stat, q: &Query<'_>) -> Result<(String, Option<f64>), String> {
    let cell = f.cell;
    let unit = |text: String| {
        if q.unit && !f.m.unit.is_empty() {
            format!("{text} {}", f.m.unit)
        } else {
            text
        }
    };
    let d = q.digits.unwrap_or(cell.shown);
    let runs = cell.values.len();
    Ok(match stat {
        Stat::Median => (unit(format_fixed(cell.median(), d)), Some(cell.median())),
        Stat::Min => (unit(format_fixed(cell.values[0], d)), Some(cell.values[0])),
        Stat::Max => {
            let v = cell.values[runs - 1];
            (unit(format_fixed(v, d)), Some(v))
        }
        Stat::Range => (
            unit(format!(
                "{}–{}",
                format_fixed(cell.values[0], d),
                format_fixed(cell.values[runs - 1], d)
            )),
            None,
        ),
        Stat::Runs => (runs.to_string(), Some(runs as f64)),
        Stat::Version => {
            let series = &f.set.series[f.s];
            let version = series
                .version
                .clone()
                .ok_or_else(|| format!("no version is recorded for {}", series.label))?;
            (version, None)
        }
    })
}

impl MetricData {
    fn better_word(&self) -> &'static str {
        match self.better {
            Better::Lower => "lower is better",
            Better::Higher => "higher is better",
        }
    }
}

fn find_metric<'a>(set: &'a BenchSet, name: Option<&str>) -> Result<&'a MetricData, String> {
    let names: Vec<&str> = set.data.iter().map(|m| m.metric.as_str()).collect();
    match name {
        Some(n) => set.data.iter().find(|m| m.metric == n).ok_or_else(|| {
            match closest(n, names.iter().copied()) {
                Some(c) => format!("no metric `{n}` in these results: did you mean `{c}`?"),
                None => format!(
                    "no metric `{n}` in these results: they hold {}",
                    names.join(", ")
                ),
            }
        }),
        None if set.data.len() == 1 => Ok(&set.data[0]),
        None => Err(format!(
            "these results hold several metrics: add metric=\"...\" ({})",
            names.join(", ")
        )),
    }
}

fn find_benchmark<'a>(m: &'a MetricData, name: Option<&str>) -> Result<&'a BenchData, String> {
    let names: Vec<&str> = m.benchmarks.iter().map(|b| b.benchmark.as_str()).collect();
    match name {
        Some(n) => m
            .benchmarks
            .iter()
            .find(|b| b.benchmark == n)
            .ok_or_else(|| match closest(n, names.iter().copied()) {
                Some(c) => format!(
                    "no benchmark `{n}` in metric `{}`: did you mean `{c}`?",
                    m.metric
                ),
                None => format!(
                    "no benchmark `{n}` in metric `{}`: it has {}",
                    m.metric,
                    names.join(", ")
                ),
            }),
        None if m.benchmarks.len() == 1 => Ok(&m.benchmarks[0]),
        None => Err(format!(
            "metric `{}` has several benchmarks: add benchmark=\"...\" ({})",
            m.metric,
            names.join(", ")
        )),
    }
}

/// The one series a selector names among those measured in benchmark `b`
/// (all of them when it names none measured there); several (a subject
/// measured in several versions, named without one) is an error that lists
/// them.
fn one_series(set: &BenchSet, b: &BenchData, selector: &str) -> Result<usize, String> {
    let all = select(set, Some(selector), None)?;
    let in_bench: Vec<usize> = all
        .iter()
        .copied()
        .filter(|s| b.cells.iter().any(|c| c.series == *s))
        .collect();
    let found = if in_bench.is_empty() { all } else { in_bench };
    match found.as_slice() {
        [one] => Ok(*one),
        many => {
            let mut versions: Vec<&str> = many
                .iter()
                .filter_map(|&i| set.series[i].version.as_deref())
                .collect();
            versions.sort_by_cached_key(|v| version_key(v));
            let name = &set.series[many[0]].subject;
            Err(format!(
                "`{selector}` was measured in several versions ({}): name one, as in \"{name}@{}\"",
                versions.join(", "),
                versions.last().map_or("", |v| v.trim_start_matches('v'))
            ))
        }
    }
}

fn result_of<'a>(
    set: &BenchSet,
    m: &MetricData,
    b: &'a BenchData,
    s: usize,
) -> Result<&'a Cell, String> {
    let label = &set.series[s].label;
    let cell = b.cells.iter().find(|c| c.series == s).ok_or_else(|| {
        format!(
            "{label} has no result for `{}` in metric `{}`",
            b.benchmark, m.metric
        )
    })?;
    if cell.missing() {
        return Err(format!(
            "{label}'s result for `{}` is missing{}",
            b.benchmark,
            cell.note
                .as_deref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default()
        ));
    }
    Ok(cell)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{Format, Source};
    use std::sync::Arc;

    const CSV: &str = "benchmark,subject,metric,unit,value,version\n\
        fib,Node.js,time,ms,100.5,v20.1.0\n\
        fib,Node.js,time,ms,101.5,v20.1.0\n\
        fib,Node.js,time,ms,80.25,v24.2.0\n\
        fib,Python,time,ms,1300,3.11.7\n\
        fib,Python,time,ms,900,3.13.0\n\
        json,Python,time,ms,159.97,3.13.0\n\
        json,Node.js,time,ms,50,v24.2.0\n";

    fn set(csv: &str) -> BenchSet {
        let src = Source {
            rel: "r.csv".into(),
            shown: "content/r.csv".into(),
            text: Arc::from(csv),
            format: Format::Csv,
        };
        crate::data::results::from_csv(&src, None).unwrap()
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
        let src = Source {
            rel: "r.csv".into(),
            shown: "content/r.csv".into(),
            text: Arc::from(csv),
            format: Format::Csv,
        };
        let meta: crate::data::results::Meta = toml::from_str(meta).unwrap();
        crate::data::results::from_csv(&src, Some(meta)).unwrap()
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
                        crate::units::ratio_agrees(x.median(), x.shown, y.median(), y.shown),
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
                .contains("3.11.7, 3.13.0")
        );
        assert!(
            pick(Some("Pyton"), None)
                .unwrap_err()
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
        let t = &s.metrics[0];
        assert_eq!(t.unit, "s");
        assert_eq!(t.benchmarks[0].results[0].median_text, "2.1");
        // Mixed units are shown in one, with the decimals carried over.
        let s = set("benchmark,subject,unit,value\na,X,s,2.1\nb,X,ms,500\n");
        let t = &s.metrics[0];
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
        let err = figure(&s, &q("Node.js", Some("fib"))).unwrap_err();
        assert!(
            err.contains("several versions (v20.1.0, v24.2.0)") && err.contains("Node.js@24"),
            "{err}"
        );
        let err = figure(&s, &q("Node.js@24", Some("fibb"))).unwrap_err();
        assert!(err.contains("did you mean `fib`"), "{err}");
        let err = figure(&s, &q("Node.js@24", None)).unwrap_err();
        assert!(err.contains("several benchmarks"), "{err}");
        let err = figure(&s, &q("Node.js@20", Some("json"))).unwrap_err();
        assert!(err.contains("no result for `json`"), "{err}");
    }
}
