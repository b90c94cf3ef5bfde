//! Single figures for prose (`{{ figure(...) }}`): one value of a results
//! file, a statistic of it or a ratio of two, as text with where it comes
//! from in words. A lookup in the parsed data, used both by pages and by
//! comparison matrices whose cells quote a figure.

use std::collections::BTreeMap;

use super::results::{BenchData, BenchSet, Better, Cell, MetricData, Series, version_key};
use super::select::select;
use crate::diagnostic::closest;
use crate::shortcode_syntax::{Arg, ArgSpec, ArgType, Placement, Spec};
use crate::units::{format_fixed, format_value};

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
