//! Single figures for prose (`{{ figure(...) }}`): one value of a results
//! file, a statistic of it or a ratio of two, as text with where it comes
//! from in words. A lookup in the parsed data, used both by pages and by
//! comparison matrices whose cells quote a figure.

use std::collections::BTreeMap;

use super::results::{BenchData, BenchSet, Better, Cell, MetricData, Series, version_key};
use super::select::{Names, SelectError, select};
use super::stats;
use crate::report::diagnostic::closest;
use crate::shortcode_syntax::{Arg, ArgSpec, ArgType, Placement, Spec};
use crate::text::units::{format_fixed, format_value};

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
        ArgSpec::defaults_to("ci", ArgType::Bool, "false"),
    ],
};

/// `verdict`: words decided by the data on two series (or two benchmarks)
/// of a results file: "1.84x faster (95% CI 1.79–1.90)", "level (within
/// 3%)" or "no clear difference (...)", by [`stats::Comparison::verdict`].
pub const VERDICT: Spec = Spec {
    name: "verdict",
    placement: Placement::Inline,
    args: &[
        ArgSpec::required("data", ArgType::Str),
        ArgSpec::required("subject", ArgType::Str),
        ArgSpec::opt("vs", ArgType::Str),
        ArgSpec::opt("benchmark", ArgType::Str),
        ArgSpec::opt("metric", ArgType::Str),
        ArgSpec::opt("vs_benchmark", ArgType::Str),
        ArgSpec::opt("digits", ArgType::Digits),
    ],
};

/// Why a `figure` call prints nothing: a mistake in its arguments, or a
/// result they name that is not in the file. Messages name what was written
/// and what is there instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FigureError {
    #[error("unknown argument `{key}` for `{call}`: {}", arg_hint(.call, *.closest))]
    UnknownArg {
        key: String,
        closest: Option<&'static str>,
        /// `figure` or `verdict`.
        call: &'static str,
    },
    #[error("`{0}` of `figure` must be a quoted string")]
    NotAString(String),
    #[error("`{0}` of `figure` is true or false")]
    NotABool(String),
    #[error("`figure` needs `subject`, the series to print a figure of")]
    NoSubject,
    /// A `verdict`, or a figure with `ci=true`, that compares nothing.
    #[error("`{0}` compares two results: add vs=\"...\" (another series) or vs_benchmark=\"...\"")]
    NothingToCompare(&'static str),
    #[error("stat `{0}` is not one of {names}", names = Stat::NAMES.join(", "))]
    UnknownStat(String),
    #[error("`digits` of `figure` is a whole number from 0 to 12")]
    Digits,
    #[error("no metric `{name}` in these results: {}", .of.hint("they hold"))]
    NoMetric { name: String, of: Names },
    #[error("these results hold several metrics: add metric=\"...\" ({})", .0.join(", "))]
    SeveralMetrics(Vec<String>),
    #[error("no benchmark `{name}` in metric `{metric}`: {}", .of.hint("it has"))]
    NoBenchmark {
        name: String,
        metric: String,
        of: Names,
    },
    #[error("metric `{metric}` has several benchmarks: add benchmark=\"...\" ({})", .names.join(", "))]
    SeveralBenchmarks { metric: String, names: Vec<String> },
    #[error(transparent)]
    Select(#[from] SelectError),
    /// A selector naming a subject measured in several versions, none of
    /// them named; `versions` oldest first.
    #[error(
        "`{selector}` was measured in several versions ({}): name one, as in \"{subject}@{}\"",
        .versions.join(", "),
        .versions.last().map_or("", |v| v.trim_start_matches('v'))
    )]
    SeveralVersions {
        selector: String,
        subject: String,
        versions: Vec<String>,
    },
    #[error("{label} has no result for `{benchmark}` in metric `{metric}`")]
    NoResult {
        label: String,
        benchmark: String,
        metric: String,
    },
    #[error("{label}'s result for `{benchmark}` is missing{}", in_parens(.note))]
    Missing {
        label: String,
        benchmark: String,
        note: Option<String>,
    },
    #[error("a median of zero has no ratio")]
    ZeroMedian,
    /// `stat="version"` of a series whose version was not recorded.
    #[error("no version is recorded for {0}")]
    NoVersion(String),
}

fn arg_hint(call: &str, closest: Option<&str>) -> String {
    let spec = if call == VERDICT.name {
        &VERDICT
    } else {
        &FIGURE
    };
    match closest {
        Some(c) => format!("did you mean `{c}`?"),
        None => format!("it takes {}", spec.arg_names().join(", ")),
    }
}

fn in_parens(note: &Option<String>) -> String {
    note.as_deref()
        .map(|n| format!(" ({n})"))
        .unwrap_or_default()
}

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
    /// Print the ratio's 95% confidence interval.
    pub ci: bool,
    /// Print the words the data decides (`verdict`).
    pub verdict: bool,
}

impl<'a> Query<'a> {
    /// The query a `figure` call's arguments make (all but `data`), checked.
    pub fn from_args(args: &'a BTreeMap<String, Arg>) -> Result<Self, FigureError> {
        Self::of_call(&FIGURE, args)
    }

    /// The query of a call of `figure` or `verdict` (`spec`), checked.
    pub fn of_call(
        spec: &'static Spec,
        args: &'a BTreeMap<String, Arg>,
    ) -> Result<Self, FigureError> {
        if let Some(k) = args.keys().find(|k| !spec.takes(k)) {
            return Err(FigureError::UnknownArg {
                key: k.clone(),
                closest: closest(k, spec.arg_names()),
                call: spec.name,
            });
        }
        let text = |key: &str| -> Result<Option<&'a str>, FigureError> {
            match args.get(key) {
                None => Ok(None),
                Some(Arg::Str(s)) => Ok(Some(s.as_str())),
                Some(_) => Err(FigureError::NotAString(key.to_string())),
            }
        };
        let flag = |key: &str, default: bool| -> Result<bool, FigureError> {
            match args.get(key) {
                None => Ok(default),
                Some(Arg::Bool(b)) => Ok(*b),
                Some(_) => Err(FigureError::NotABool(key.to_string())),
            }
        };
        let subject = text("subject")?.ok_or(FigureError::NoSubject)?;
        let stat = match text("stat")? {
            None => None,
            Some(s) => Some(Stat::parse(s).ok_or_else(|| FigureError::UnknownStat(s.to_string()))?),
        };
        let digits = match args.get("digits") {
            None => None,
            Some(Arg::Int(i)) if (0..=12).contains(i) => usize::try_from(*i).ok(),
            Some(_) => return Err(FigureError::Digits),
        };
        Ok(Query {
            metric: text("metric")?,
            benchmark: text("benchmark")?,
            subject,
            stat,
            vs: text("vs")?,
            vs_benchmark: text("vs_benchmark")?,
            digits,
            unit: flag("unit", true)?,
            words: flag("words", true)?,
            ci: flag("ci", false)?,
            verdict: spec.name == VERDICT.name,
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
    /// Words around the number (a verdict, an interval) that may wrap
    /// across lines, unlike a bare figure.
    pub wraps: bool,
    /// A ratio's `text` in parts, for another language to say it.
    pub said: Option<Said>,
}

/// What a ratio, its interval or a verdict says, in parts: the numbers as
/// `text` writes them, and its words as keys of the theme's words
/// (`faster`, `level`). The render stage says it in the page's language.
#[derive(Debug, Clone, PartialEq)]
pub struct Said {
    /// The ratio as written (`1.84`).
    pub ratio: String,
    /// `faster`, `slower`, `more` or `less`, when words are asked for.
    pub word: Option<&'static str>,
    /// The metric a verdict names after the ratio (all but time).
    pub metric: Option<String>,
    /// The 95% interval's ends as written, when asked for.
    pub interval: Option<(String, String)>,
    /// What a `verdict` call decided; `None` for a `figure`.
    pub verdict: Option<stats::Verdict>,
    /// The band of a level verdict (`3%`).
    pub band: String,
}

/// Looks up one figure. Errors are sentences naming what was not found,
/// with the names that are there.
pub fn figure(set: &BenchSet, q: &Query<'_>) -> Result<Figure, FigureError> {
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
    if q.verdict || q.ci {
        let name = if q.verdict {
            VERDICT.name
        } else {
            "figure(ci=true)"
        };
        return Err(FigureError::NothingToCompare(name));
    }
    let stat = q.stat.unwrap_or(Stat::Median);
    let source = stat_source(&found, stat);
    let (text, value) = stat_value(&found, stat, q)?;
    Ok(Figure {
        text,
        source,
        value,
        wraps: false,
        said: None,
    })
}

/// The runs behind a plain figure (a median, no `vs`): what a measured
/// edge compares ([`super::edge`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Runs {
    pub metric: String,
    pub benchmark: String,
    /// The series' label.
    pub label: String,
    /// Sorted, in the display unit.
    pub values: Vec<f64>,
    pub better: Better,
    pub is_time: bool,
}

/// The runs a `figure` call shows the median of; `None` for a figure that
/// is a ratio or another statistic, or names no result.
pub fn runs(set: &BenchSet, q: &Query<'_>) -> Option<Runs> {
    if q.vs.is_some() || q.vs_benchmark.is_some() || q.stat.is_some_and(|s| s != Stat::Median) {
        return None;
    }
    let m = find_metric(set, q.metric).ok()?;
    let b = find_benchmark(m, q.benchmark).ok()?;
    let s = one_series(set, b, q.subject).ok()?;
    let cell = result_of(set, m, b, s).ok()?;
    Some(Runs {
        metric: m.metric.clone(),
        benchmark: b.benchmark.clone(),
        label: set.series[s].label.clone(),
        values: cell.values.clone(),
        better: m.better,
        is_time: m.is_time,
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
fn ratio_figure(f: &Found<'_>, q: &Query<'_>) -> Result<Figure, FigureError> {
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
        return Err(FigureError::ZeroMedian);
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
    let number = |v: f64| match q.digits {
        Some(d) => format_fixed(v, d),
        None => format_value(v),
    };
    let other_series = &set.series[vs];
    let mut source = format!(
        "Ratio of medians ({}, {}): {} on {} against {} on {}",
        m.metric,
        m.better_word(),
        f.who,
        b.benchmark,
        other_series.label,
        vb.benchmark
    );
    let plain = if q.words {
        format!("{}x {word}", number(n))
    } else {
        format!("{}x", number(n))
    };
    let mut said = Said {
        ratio: number(n),
        word: q.words.then_some(word),
        metric: None,
        interval: None,
        verdict: None,
        band: level_band(),
    };
    if !(q.ci || q.verdict) {
        return Ok(Figure {
            text: plain,
            source,
            value: Some(n),
            wraps: false,
            said: Some(said),
        });
    }
    let c = stats::Comparison::of(&f.cell.values, &other.values).ok_or(FigureError::ZeroMedian)?;
    // The interval of the ratio printed: larger over smaller.
    let (low, high) = if bigger {
        (c.low, c.high)
    } else {
        (1.0 / c.high, 1.0 / c.low)
    };
    let interval = format!("95% CI {}–{}", number(low), number(high));
    said.interval = Some((number(low), number(high)));
    source.push_str(&format!(
        "; {interval} (bootstrap of {} and {} runs); Mann-Whitney U p = {}",
        f.cell.values.len(),
        other.values.len(),
        format_p(c.p)
    ));
    let text = if !q.verdict {
        format!("{plain} ({interval})")
    } else {
        // "1.03x more throughput": a verdict names what is more or less.
        said.verdict = Some(c.verdict());
        let plain = if m.is_time {
            plain
        } else {
            said.metric = Some(m.metric.clone());
            format!("{plain} {}", m.metric)
        };
        match c.verdict() {
            stats::Verdict::Larger | stats::Verdict::Smaller => format!("{plain} ({interval})"),
            stats::Verdict::Level => format!("level (within {})", level_band()),
            stats::Verdict::Unclear => {
                format!(
                    "no clear difference (medians {}x apart, {interval})",
                    number(n)
                )
            }
        }
    };
    Ok(Figure {
        text,
        source,
        value: Some(n),
        wraps: true,
        said: Some(said),
    })
}

/// The band within which medians are level, in words: "3%".
pub fn level_band() -> String {
    format!(
        "{}%",
        format_value(stats::LEVEL_WITHIN * 100.0).trim_end_matches(".00")
    )
}

/// A p-value in words: two significant digits, "< 0.0001" below that.
pub fn format_p(p: f64) -> String {
    if p < 0.0001 {
        "< 0.0001".to_string()
    } else {
        let d = (1.0 - p.log10().floor()).clamp(2.0, 5.0) as usize;
        format_fixed(p, d)
    }
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
fn stat_value(
    f: &Found<'_>,
    stat: Stat,
    q: &Query<'_>,
) -> Result<(String, Option<f64>), FigureError> {
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
                .ok_or_else(|| FigureError::NoVersion(series.label.clone()))?;
            (version, None)
        }
    })
}

fn find_metric<'a>(set: &'a BenchSet, name: Option<&str>) -> Result<&'a MetricData, FigureError> {
    let names: Vec<&str> = set.data.iter().map(|m| m.metric.as_str()).collect();
    match name {
        Some(n) => set
            .data
            .iter()
            .find(|m| m.metric == n)
            .ok_or_else(|| FigureError::NoMetric {
                name: n.to_string(),
                of: Names::of(n, &names),
            }),
        None if set.data.len() == 1 => Ok(&set.data[0]),
        None => Err(FigureError::SeveralMetrics(
            names.into_iter().map(str::to_string).collect(),
        )),
    }
}

fn find_benchmark<'a>(m: &'a MetricData, name: Option<&str>) -> Result<&'a BenchData, FigureError> {
    let names: Vec<&str> = m.benchmarks.iter().map(|b| b.benchmark.as_str()).collect();
    match name {
        Some(n) => {
            // Its name as shown, else the name its definition in
            // benchmarks.toml gives it (the lines' `group`) when that
            // definition measured one benchmark here.
            let shown = m.benchmarks.iter().find(|b| b.benchmark == n);
            let mut defined = m
                .benchmarks
                .iter()
                .filter(|b| b.group.as_deref() == Some(n));
            let only = match (defined.next(), defined.next()) {
                (Some(b), None) => Some(b),
                _ => None,
            };
            shown.or(only).ok_or_else(|| FigureError::NoBenchmark {
                name: n.to_string(),
                metric: m.metric.clone(),
                of: Names::of(n, &names),
            })
        }
        None if m.benchmarks.len() == 1 => Ok(&m.benchmarks[0]),
        None => Err(FigureError::SeveralBenchmarks {
            metric: m.metric.clone(),
            names: names.into_iter().map(str::to_string).collect(),
        }),
    }
}

/// The one series a selector names among those measured in benchmark `b`
/// (all of them when it names none measured there); several (a subject
/// measured in several versions, named without one) is an error that lists
/// them.
fn one_series(set: &BenchSet, b: &BenchData, selector: &str) -> Result<usize, FigureError> {
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
            let mut versions: Vec<String> = many
                .iter()
                .filter_map(|&i| set.series[i].version.clone())
                .collect();
            versions.sort_by_cached_key(|v| version_key(v));
            Err(FigureError::SeveralVersions {
                selector: selector.to_string(),
                subject: set.series[many[0]].subject.clone(),
                versions,
            })
        }
    }
}

fn result_of<'a>(
    set: &BenchSet,
    m: &MetricData,
    b: &'a BenchData,
    s: usize,
) -> Result<&'a Cell, FigureError> {
    let label = &set.series[s].label;
    let cell = b
        .cells
        .iter()
        .find(|c| c.series == s)
        .ok_or_else(|| FigureError::NoResult {
            label: label.clone(),
            benchmark: b.benchmark.clone(),
            metric: m.metric.clone(),
        })?;
    if cell.missing() {
        return Err(FigureError::Missing {
            label: label.clone(),
            benchmark: b.benchmark.clone(),
            note: cell.note.clone(),
        });
    }
    Ok(cell)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(closest: Option<&str>, all: &[&str]) -> Names {
        Names {
            closest: closest.map(str::to_string),
            all: all.iter().map(|n| n.to_string()).collect(),
        }
    }

    /// The messages authors read, one per mistake (they were strings
    /// before these types; the text must not drift).
    #[test]
    fn each_mistake_reads_as_before() {
        let s = |v: &str| v.to_string();
        let cases = [
            (
                FigureError::UnknownArg {
                    key: s("metrc"),
                    closest: Some("metric"),
                    call: "figure",
                },
                "unknown argument `metrc` for `figure`: did you mean `metric`?",
            ),
            (
                FigureError::UnknownArg {
                    key: s("zzz"),
                    closest: None,
                    call: "figure",
                },
                "unknown argument `zzz` for `figure`: it takes data, subject, benchmark, \
                 metric, stat, vs, vs_benchmark, digits, unit, words, ci",
            ),
            (
                FigureError::UnknownArg {
                    key: s("zzz"),
                    closest: None,
                    call: "verdict",
                },
                "unknown argument `zzz` for `verdict`: it takes data, subject, vs, benchmark, \
                 metric, vs_benchmark, digits",
            ),
            (
                FigureError::NothingToCompare("verdict"),
                "`verdict` compares two results: add vs=\"...\" (another series) or \
                 vs_benchmark=\"...\"",
            ),
            (
                FigureError::UnknownStat(s("mean")),
                "stat `mean` is not one of median, min, max, range, runs, version",
            ),
            (
                FigureError::NoMetric {
                    name: s("tim"),
                    of: names(Some("time"), &["time", "memory"]),
                },
                "no metric `tim` in these results: did you mean `time`?",
            ),
            (
                FigureError::NoMetric {
                    name: s("x"),
                    of: names(None, &["time", "memory"]),
                },
                "no metric `x` in these results: they hold time, memory",
            ),
            (
                FigureError::SeveralMetrics(vec![s("time"), s("memory")]),
                "these results hold several metrics: add metric=\"...\" (time, memory)",
            ),
            (
                FigureError::NoBenchmark {
                    name: s("x"),
                    metric: s("time"),
                    of: names(None, &["fib", "json"]),
                },
                "no benchmark `x` in metric `time`: it has fib, json",
            ),
            (
                FigureError::SeveralVersions {
                    selector: s("Node.js"),
                    subject: s("Node.js"),
                    versions: vec![s("v20.1.0"), s("v24.2.0")],
                },
                "`Node.js` was measured in several versions (v20.1.0, v24.2.0): name one, \
                 as in \"Node.js@24.2.0\"",
            ),
            (
                FigureError::Missing {
                    label: s("Bun"),
                    benchmark: s("fib"),
                    note: Some(s("crashed")),
                },
                "Bun's result for `fib` is missing (crashed)",
            ),
            (
                FigureError::Select(SelectError::NoSubject {
                    name: s("Pyton"),
                    of: names(Some("Python"), &["Python"]),
                }),
                "no subject `Pyton` in these results: did you mean `Python`?",
            ),
            (
                FigureError::Select(SelectError::NoVersion {
                    name: s("Python"),
                    wanted: s("3.1"),
                    versions: vec![s("3.11.7"), s("3.13.0")],
                    closest: Some(s("3.11.7")),
                }),
                "no version `3.1` of `Python` in these results: it was measured in \
                 3.11.7, 3.13.0: did you mean `Python@3.11.7`?",
            ),
            (
                FigureError::Select(SelectError::NoVersion {
                    name: s("Python"),
                    wanted: s("3"),
                    versions: Vec::new(),
                    closest: None,
                }),
                "no version `3` of `Python` in these results: it was measured in no \
                 recorded version",
            ),
        ];
        for (error, message) in cases {
            assert_eq!(error.to_string(), message);
        }
    }
}
