//! Benchmark results: long-form records (one measurement per line) from CSV,
//! or the same records in JSON/TOML/YAML, aggregated into medians, spreads,
//! ratios to the best and a geometric-mean summary per subject.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::file::Source;
use crate::report::diagnostic::{Diagnostic, closest};
use crate::text::units::{self, Family};

/// Where and how results were measured: in a `NAME.meta.toml` beside a CSV,
/// or under `meta` in a JSON/TOML/YAML results file.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Meta {
    /// The title of the tables and charts; a shortcode's `title` overrides it.
    pub title: Option<String>,
    /// Passed to templates as `bench.meta.description`.
    pub description: Option<String>,
    /// Where the numbers come from (a URL or a sentence).
    pub source: Option<String>,
    /// When they were measured (`YYYY-MM-DD` or a full timestamp; a TOML
    /// date works too).
    #[serde(deserialize_with = "date_text")]
    pub date: Option<String>,
    /// The machine: CPU model, cores, memory.
    pub machine: Option<String>,
    /// The operating system.
    pub os: Option<String>,
    /// Runtime versions by subject (`"Node.js" = "v20.20.2"`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub versions: BTreeMap<String, String>,
    /// Passed to templates as `bench.meta.notes`.
    pub notes: Option<String>,
    /// The `versus bench` runs whose lines the file holds, oldest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub runs: Vec<Run>,
}

/// One `versus bench` run recorded in a results file's metadata.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Run {
    /// When it started (`YYYY-MM-DD` or a full timestamp).
    #[serde(deserialize_with = "date_text")]
    pub date: Option<String>,
    /// The machine it ran on.
    pub machine: Option<String>,
    /// The operating system.
    pub os: Option<String>,
    /// The benchmarks it measured (their names: the `group` column); all
    /// of them when empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub benchmarks: Vec<String>,
    /// The runtimes it measured, by id (`node22`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub runtimes: BTreeMap<String, RunRuntime>,
    /// What the run did: runs per subject, executables, environment.
    pub notes: Option<String>,
    /// The CPU and machine as the kernel reported them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hardware: Option<super::machine::Hardware>,
    /// The calibration loop timed at the start of the run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calibration: Option<super::machine::Calibration>,
    /// The HTTP series whose load generator was saturated in some runs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub client_bound: Vec<super::machine::ClientBound>,
}

impl Run {
    /// Whether this run measured a line of benchmark `group` (the `group`
    /// column, empty for lines written by hand) at `version` (empty: any):
    /// it ran that benchmark (`benchmarks` empty: all of them) and a
    /// runtime of that version.
    pub fn measured(&self, group: &str, version: &str) -> bool {
        (self.benchmarks.is_empty() || self.benchmarks.iter().any(|b| b == group))
            && (version.is_empty() || self.runtimes.values().any(|rt| rt.version == version))
    }
}

/// A runtime measured by one run: its name and the version found.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RunRuntime {
    /// The runtime's name (`Node.js`).
    pub name: String,
    /// The version found (`v24.2.0`).
    pub version: String,
}

/// A date written as a string or as a TOML date, kept as text.
fn date_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let date = Option::<crate::text::date::Date>::deserialize(d)?;
    Ok(date.map(|d| d.0))
}

/// Which way is better for a metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Better {
    /// Smaller values are better (times, memory).
    Lower,
    /// Larger values are better (throughput).
    Higher,
    /// Neither way: a reading beside the results, such as the load
    /// generator's CPU. Tables rank nothing and charts say no direction.
    Neither,
}

impl Better {
    /// "lower is better", "higher is better" or "neither higher nor
    /// lower is better".
    pub fn word(self) -> &'static str {
        match self {
            Better::Lower => "lower is better",
            Better::Higher => "higher is better",
            Better::Neither => "neither higher nor lower is better",
        }
    }

    /// The theme's word key for [`Better::word`].
    pub fn key(self) -> &'static str {
        match self {
            Better::Lower => "lower_is_better",
            Better::Higher => "higher_is_better",
            Better::Neither => "neither_is_better",
        }
    }
}

/// One measurement as written: a CSV line, or an entry of `results`.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawRecord {
    /// The name of the benchmark.
    benchmark: String,
    /// What was measured (`Node.js`).
    subject: String,
    /// What the value measures: `time` (the default), `rss`, `throughput`...
    /// Each metric has its own table and chart.
    #[serde(default)]
    metric: Option<String>,
    /// The unit of the value (`ms`, `MB`, `req/s`).
    #[serde(default)]
    unit: Option<String>,
    /// The measurement; left out (or null) for a failed or missing run.
    #[serde(default)]
    value: Option<f64>,
    /// Which direction is better: `lower` (the default) or `higher`.
    #[serde(default)]
    better: Option<Better>,
    /// The subject's version; each version of a subject is a series of its own.
    #[serde(default)]
    version: Option<String>,
    /// A remark, shown in place of the comparison when the result is missing.
    #[serde(default)]
    note: Option<String>,
    /// A group name for the benchmark, passed to templates.
    #[serde(default)]
    group: Option<String>,
}

/// Benchmark results in JSON, TOML or YAML (docs/data.md).
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct Structured {
    /// Where and how the results were measured (the fields of a `NAME.meta.toml`).
    #[serde(default)]
    meta: Meta,
    /// The measurements, one entry each; several entries for the same
    /// benchmark and subject are samples of it.
    #[schemars(length(min = 1))]
    results: Vec<RawRecord>,
}

/// The JSON Schema of a results file in JSON, TOML or YAML, made from the
/// types [`from_structured`] reads it into (see [`crate::schema`]).
pub fn structured_schema() -> schemars::Schema {
    schemars::schema_for!(Structured)
}

/// The columns of a results CSV, in the order `versus bench` writes them
/// (a file written by hand may hold them in any order).
pub const COLUMNS: [&str; 9] = [
    "benchmark",
    "subject",
    "metric",
    "unit",
    "value",
    "better",
    "version",
    "note",
    "group",
];
const REQUIRED: &[&str] = &["benchmark", "subject", "value"];

/// A whole results file, aggregated: its series (a subject at one
/// version) and, per metric, the samples of every benchmark and series, in
/// the unit they are shown in. [`crate::present::tables`] turns a selection
/// of series into tables.
#[derive(Debug, Clone, Serialize)]
pub struct BenchSet {
    pub meta: Meta,
    /// Subjects in order of first appearance.
    pub subjects: Vec<String>,
    /// Every subject at every version it was measured in: subjects in order
    /// of first appearance, each one's versions oldest first.
    pub series: Vec<Series>,
    /// "Measured 2026-11-26 on ...; Node.js v20, Python 3.11"
    pub measured_text: Option<String>,
    #[serde(skip)]
    pub data: Vec<MetricData>,
}

/// A subject at one version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    pub subject: String,
    pub version: Option<String>,
    /// How tables and charts name it: the subject, with the version when
    /// the file holds the subject in several versions (`Python 3.12.1`).
    pub label: String,
}

/// One metric's samples, in its display unit.
#[derive(Debug, Clone)]
pub struct MetricData {
    pub metric: String,
    /// Display unit, empty when unitless.
    pub unit: String,
    pub better: Better,
    /// Ratios read "slower"/"faster" (a time), else "more"/"less".
    pub is_time: bool,
    pub benchmarks: Vec<BenchData>,
}

impl MetricData {
    /// "lower is better", "higher is better" or "neither higher nor lower
    /// is better".
    pub fn better_word(&self) -> &'static str {
        self.better.word()
    }
}

/// One benchmark of a metric: a cell per series measured.
#[derive(Debug, Clone)]
pub struct BenchData {
    pub benchmark: String,
    pub group: Option<String>,
    /// By series index, ascending.
    pub cells: Vec<Cell>,
}

/// The samples of one series in one benchmark.
#[derive(Debug, Clone)]
pub struct Cell {
    /// Index into [`BenchSet::series`].
    pub series: usize,
    /// Sorted, in the display unit; empty when the result is missing.
    pub values: Vec<f64>,
    /// Decimals the values were written with, in the display unit.
    pub decimals: usize,
    /// Decimals its median and range are shown with when no `digits` is
    /// given: those written, or for results measured by `versus bench`
    /// those their spread supports (see [`units::measured_decimals`]),
    /// raised where a ratio to another median would not show otherwise.
    pub shown: usize,
    pub note: Option<String>,
}

impl Cell {
    pub fn missing(&self) -> bool {
        self.values.is_empty()
    }

    /// The median of the values, which are kept sorted (no copy, no sort).
    pub fn median(&self) -> f64 {
        let v = &self.values;
        match v.len() {
            0 => 0.0,
            n if n % 2 == 1 => v[n / 2],
            n => v[n / 2 - 1] / 2.0 + v[n / 2] / 2.0,
        }
    }
}

/// A record with where it was written (byte offset of its line or entry)
/// and the decimals its value was written with.
struct Located {
    rec: RawRecord,
    at: usize,
    decimals: usize,
}

/// Decimals of a number as written (`159.97` has 2, `1e3` and `12` none).
pub fn decimals_of(text: &str) -> usize {
    let t = text.trim();
    let mantissa = t.split(['e', 'E']).next().unwrap_or(t);
    let d = mantissa.split_once('.').map_or(0, |(_, f)| f.len());
    match t
        .split_once(['e', 'E'])
        .and_then(|(_, e)| e.parse::<i64>().ok())
    {
        Some(e) => usize::try_from(i64::try_from(d).unwrap_or(0) - e).unwrap_or(0),
        None => d,
    }
}

pub fn from_structured(src: &Source) -> Result<BenchSet, Diagnostic> {
    let file: Structured = src.parse()?;
    let mut from = 0;
    let mut recs = Vec::with_capacity(file.results.len());
    for rec in file.results {
        if let Some(i) = src.text[from.min(src.text.len())..].find(rec.benchmark.as_str()) {
            from += i;
        }
        // The shortest text that reads back as the same number.
        let decimals = rec.value.map_or(0, |v| decimals_of(&v.to_string()));
        recs.push(Located {
            rec,
            at: from,
            decimals,
        });
    }
    aggregate(src, file.meta, recs)
}

/// Results for tests: `csv` (and the run metadata `meta`, TOML) parsed as
/// `content/r.csv`. Panics when they do not parse.
#[cfg(test)]
pub(crate) fn for_test(csv: &str, meta: Option<&str>) -> BenchSet {
    let src = Source::for_test("r.csv", csv, super::file::Format::Csv);
    let meta = meta.map(|m| toml::from_str(m).unwrap());
    from_csv(&src, meta).unwrap()
}

/// Reads a results CSV; `meta` comes from the `.meta.toml` beside it.
pub fn from_csv(src: &Source, meta: Option<Meta>) -> Result<BenchSet, Diagnostic> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(src.text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| csv_error(src, &e))?
        .iter()
        .map(str::to_string)
        .collect::<Vec<_>>();
    check_headers(src, &headers)?;
    let mut recs = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(src, &e))?;
        recs.push(csv_record(src, &headers, &record)?);
    }
    aggregate(src, meta.unwrap_or_default(), recs)
}

/// Every column is known, and the required ones are there.
fn check_headers(src: &Source, headers: &[String]) -> Result<(), Diagnostic> {
    for h in headers {
        if !COLUMNS.contains(&h.as_str()) {
            let d = src.error_at_value(format!("unknown column `{h}`"), h, 0);
            return Err(match closest(h, COLUMNS.iter().copied()) {
                Some(c) => d.with_help(format!("did you mean `{c}`?")),
                None => d.with_help(format!("columns are {}", COLUMNS.join(", "))),
            });
        }
    }
    for r in REQUIRED {
        if !headers.iter().any(|h| h == r) {
            let line_end = src.text.find('\n').unwrap_or(src.text.len());
            return Err(src
                .error(format!("missing required column `{r}`"), 0..line_end)
                .with_help("the header needs benchmark, subject and value"));
        }
    }
    Ok(())
}

/// One line of a results CSV, checked.
fn csv_record(
    src: &Source,
    headers: &[String],
    record: &csv::StringRecord,
) -> Result<Located, Diagnostic> {
    // The record's own byte offset: counting lines from the top for
    // every record made a million-row file take hours.
    let at = record
        .position()
        .map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX))
        .min(src.text.len());
    let field = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .and_then(|i| record.get(i))
            .map(str::to_string)
            .filter(|s| !s.is_empty())
    };
    let decimals = field("value").map_or(0, |v| decimals_of(&v));
    let value = match field("value") {
        None => None,
        Some(v) => Some(v.parse::<f64>().ok().filter(|x| x.is_finite()).ok_or_else(|| {
            src.error_at_value(format!("`{v}` is not a number"), &v, at)
                .with_help("write the measurement as a plain number; leave it empty for a failed run")
        })?),
    };
    let better = match field("better") {
        None => None,
        Some(b) if b == "lower" => Some(Better::Lower),
        Some(b) if b == "higher" => Some(Better::Higher),
        Some(b) if b == "neither" => Some(Better::Neither),
        Some(b) => {
            return Err(src.error_at_value(
                format!("better is `lower`, `higher` or `neither`, not `{b}`"),
                &b,
                at,
            ));
        }
    };
    let required = |name: &str| {
        field(name).ok_or_else(|| {
            let end = src.text[at..].find('\n').map_or(src.text.len(), |i| at + i);
            src.error(format!("this row has no `{name}`"), at..end)
        })
    };
    Ok(Located {
        rec: RawRecord {
            benchmark: required("benchmark")?,
            subject: required("subject")?,
            metric: field("metric"),
            unit: field("unit"),
            value,
            better,
            version: field("version"),
            note: field("note"),
            group: field("group"),
        },
        at,
        decimals,
    })
}

fn csv_error(src: &Source, e: &csv::Error) -> Diagnostic {
    let (line, msg) = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            pos,
            expected_len,
            len,
        } => (
            pos.as_ref().map_or(1, csv::Position::line),
            format!("this row has {len} fields, the header has {expected_len}"),
        ),
        _ => (e.position().map_or(1, csv::Position::line), e.to_string()),
    };
    let at = src.line_start(line);
    let end = src.text[at..].find('\n').map_or(src.text.len(), |i| at + i);
    src.error(msg, at..end)
        .with_help("every row needs as many comma-separated fields as the header")
}

fn aggregate(src: &Source, meta: Meta, recs: Vec<Located>) -> Result<BenchSet, Diagnostic> {
    if recs.is_empty() {
        return Err(src
            .error("no results in this file", 0..0)
            .with_help("add one line per measurement"));
    }
    // One pass, hash lookups: a file with a million records, or a million
    // distinct names, stays linear.
    let mut subjects: Vec<String> = Vec::new();
    let mut subject_index: HashMap<&str, usize> = HashMap::new();
    let mut versions: Vec<Vec<Option<&str>>> = Vec::new();
    let mut by_metric: Vec<(String, Vec<&Located>)> = Vec::new();
    let mut metric_index: HashMap<&str, usize> = HashMap::new();
    for r in &recs {
        let s = *subject_index
            .entry(r.rec.subject.as_str())
            .or_insert_with(|| {
                subjects.push(r.rec.subject.clone());
                versions.push(Vec::new());
                subjects.len() - 1
            });
        let v = r.rec.version.as_deref();
        if !versions[s].contains(&v) {
            versions[s].push(v);
        }
        let m = r.rec.metric.as_deref().unwrap_or("time");
        let i = *metric_index.entry(m).or_insert_with(|| {
            by_metric.push((m.to_string(), Vec::new()));
            by_metric.len() - 1
        });
        by_metric[i].1.push(r);
    }
    // Series: each subject's versions, oldest first.
    let mut series = Vec::new();
    let mut series_index: HashMap<(&str, Option<&str>), usize> = HashMap::new();
    for (name, mut vs) in subjects.iter().zip(versions) {
        vs.sort_by_cached_key(|v| v.map(version_key));
        let several = vs.len() > 1;
        for v in vs {
            series_index.insert((name.as_str(), v), series.len());
            series.push(Series {
                subject: name.clone(),
                version: v.map(str::to_string),
                label: match v {
                    Some(v) if several => format!("{name} {v}"),
                    _ => name.clone(),
                },
            });
        }
    }
    let mut data = Vec::new();
    for (metric, in_metric) in &by_metric {
        data.push(metric_data(
            src,
            metric,
            in_metric,
            &series_index,
            &meta.runs,
        )?);
    }
    let all: Vec<usize> = (0..series.len()).collect();
    let measured_text = measured_text(&meta, &series, &all);
    Ok(BenchSet {
        meta,
        subjects,
        series,
        measured_text,
        data,
    })
}

/// Orders versions by their numbers: `v9.1` before `v20.0`, `3.9` before
/// `3.11`; the text breaks ties (and orders versions without numbers).
pub fn version_key(v: &str) -> (Vec<u64>, String) {
    let numbers = v
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .map(|p| p.parse().unwrap_or(u64::MAX))
        .collect();
    (numbers, v.to_string())
}

fn metric_data(
    src: &Source,
    metric: &str,
    recs: &[&Located],
    series_index: &HashMap<(&str, Option<&str>), usize>,
    runs: &[Run],
) -> Result<MetricData, Diagnostic> {
    let better = one_better(src, metric, recs)?;
    let unit = MetricUnit {
        metric,
        first: recs[0].rec.unit.as_deref(),
        family: recs[0]
            .rec
            .unit
            .as_deref()
            .and_then(units::lookup)
            .map(|(f, _)| f),
    };
    let (benches, units_written) = samples(src, &unit, recs, series_index, runs)?;
    let (shown_unit, scale) = unit.shown(&units_written, &benches);
    let is_time = unit.family == Some(Family::Time)
        || (unit.family.is_none() && unit.first.is_none() && metric == "time");
    let benchmarks = benches
        .into_iter()
        .map(|(benchmark, group, cells)| {
            let mut cells: Vec<Cell> = cells
                .into_iter()
                .map(|(series, acc)| acc.cell(series, scale))
                .collect();
            ratios_shown(&mut cells);
            BenchData {
                benchmark,
                group,
                cells,
            }
        })
        .collect();
    Ok(MetricData {
        metric: metric.to_string(),
        unit: shown_unit,
        better,
        is_time,
        benchmarks,
    })
}

/// A metric's `better`: it may be written once; lines without it follow,
/// but two lines may not disagree.
fn one_better(src: &Source, metric: &str, recs: &[&Located]) -> Result<Better, Diagnostic> {
    let better = recs
        .iter()
        .find_map(|r| r.rec.better)
        .unwrap_or(Better::Lower);
    match recs
        .iter()
        .find(|r| r.rec.better.is_some_and(|b| b != better))
    {
        None => Ok(better),
        Some(r) => Err(src
            .error_at_value(
                format!("metric `{metric}` is both lower- and higher-is-better"),
                &r.rec.benchmark,
                r.at,
            )
            .with_help("give every line of one metric the same `better`")),
    }
}

/// A metric's unit: the one its first line is written in, and its family
/// (time, memory...) when versus knows it. Every line of the metric is in
/// that family, or in the very same unknown unit.
struct MetricUnit<'a> {
    metric: &'a str,
    first: Option<&'a str>,
    family: Option<Family>,
}

impl MetricUnit<'_> {
    /// A value of line `r` in the family's base unit (seconds, bytes),
    /// with the size of the unit it was written in.
    fn base(&self, src: &Source, r: &Located, v: f64) -> Result<(f64, f64), Diagnostic> {
        let unit = r.rec.unit.as_deref();
        let (v, k) = match (self.family, unit.and_then(units::lookup)) {
            (Some(f), Some((g, k))) if f == g => (v * k, k),
            (None, None) if unit == self.first => (v, 1.0),
            _ => {
                return Err(src
                    .error_at_value(
                        format!(
                            "unit `{}` conflicts with `{}` used for metric `{}`",
                            unit.unwrap_or("(none)"),
                            self.first.unwrap_or("(none)"),
                            self.metric
                        ),
                        unit.unwrap_or(&r.rec.benchmark),
                        r.at,
                    )
                    .with_help(
                        "one metric takes one unit, or units that convert (ms and s, MB and GB)",
                    ));
            }
        };
        // TOML and YAML can write `inf` and `nan`, and 1e308 min overflows
        // once in seconds: no chart or ratio can be made of those.
        if v.is_finite() {
            return Ok((v, k));
        }
        Err(src
            .error_at_value(
                format!(
                    "benchmark `{}` has a value that is not a finite number",
                    r.rec.benchmark
                ),
                &r.rec.benchmark,
                r.at,
            )
            .with_help("write the measurement as a plain number within range"))
    }

    /// The unit shown, and its size in the base unit: the one every value
    /// was written in; when they were written in several, the largest in
    /// which the smallest median is still at least 1.
    fn shown(&self, units_written: &[Option<&str>], benches: &[Bench]) -> (String, f64) {
        match (self.family, units_written) {
            (Some(_), [Some(one)]) => {
                let k = units::lookup(one).map_or(1.0, |(_, k)| k);
                (units::display_name(one).to_string(), k)
            }
            (Some(f), _) => {
                let medians: Vec<f64> = benches
                    .iter()
                    .flat_map(|b| b.2.values())
                    .filter(|c| !c.values.is_empty())
                    .map(|c| median(&c.values))
                    .collect();
                let (u, k) = units::display_unit(f, &medians);
                (u.to_string(), k)
            }
            (None, _) => (self.first.unwrap_or_default().to_string(), 1.0),
        }
    }
}

/// The samples of one benchmark and series, in the base unit.
struct Acc {
    values: Vec<f64>,
    /// Decimals as written, and the size of the unit written in.
    decimals: Vec<(usize, f64)>,
    /// Whether every line with a value was measured by a `versus bench`
    /// run the metadata records.
    measured: bool,
    note: Option<String>,
}

impl Acc {
    /// The cell shown, its values in the unit of size `scale`.
    fn cell(self, series: usize, scale: f64) -> Cell {
        let mut values: Vec<f64> = self.values.iter().map(|v| v / scale).collect();
        values.sort_by(f64::total_cmp);
        // Written in ms, shown in s: three more decimals.
        let decimals = self
            .decimals
            .iter()
            .map(|&(d, k)| {
                let shift = (scale / k).log10().round() as i64;
                usize::try_from(i64::try_from(d).unwrap_or(0) + shift).unwrap_or(0)
            })
            .max()
            .unwrap_or(0)
            .min(12);
        let mut cell = Cell {
            series,
            values,
            decimals,
            shown: decimals,
            note: self.note,
        };
        if self.measured && !cell.missing() {
            cell.shown = units::measured_decimals(&cell.values, cell.median(), decimals);
        }
        cell
    }
}

/// A benchmark's name, group and samples per series.
type Bench = (String, Option<String>, BTreeMap<usize, Acc>);

/// Samples per benchmark (in order of appearance), then per series, and
/// the units they were written in: hash lookups, so a million records or
/// a million distinct names stay linear.
fn samples<'r>(
    src: &Source,
    unit: &MetricUnit<'_>,
    recs: &[&'r Located],
    series_index: &HashMap<(&str, Option<&str>), usize>,
    runs: &[Run],
) -> Result<(Vec<Bench>, Vec<Option<&'r str>>), Diagnostic> {
    let mut benches: Vec<Bench> = Vec::new();
    let mut bench_index: HashMap<&str, usize> = HashMap::new();
    let mut units_written: Vec<Option<&str>> = Vec::new();
    for r in recs {
        let b = *bench_index
            .entry(r.rec.benchmark.as_str())
            .or_insert_with(|| {
                benches.push((
                    r.rec.benchmark.clone(),
                    r.rec.group.clone(),
                    BTreeMap::new(),
                ));
                benches.len() - 1
            });
        let key = (r.rec.subject.as_str(), r.rec.version.as_deref());
        let s = series_index.get(&key).copied().unwrap_or_default();
        let cell = benches[b].2.entry(s).or_insert_with(|| Acc {
            values: Vec::new(),
            decimals: Vec::new(),
            measured: !runs.is_empty(),
            note: None,
        });
        if let Some(v) = r.rec.value {
            let (v, k) = unit.base(src, r, v)?;
            cell.values.push(v);
            cell.decimals.push((r.decimals, k));
            if cell.measured {
                let group = r.rec.group.as_deref().unwrap_or_default();
                let version = r.rec.version.as_deref().unwrap_or_default();
                cell.measured = runs.iter().any(|run| run.measured(group, version));
            }
            if !units_written.contains(&r.rec.unit.as_deref()) {
                units_written.push(r.rec.unit.as_deref());
            }
        }
        if cell.note.is_none() {
            cell.note = r.rec.note.clone();
        }
    }
    Ok((benches, units_written))
}

/// Raises the decimals shown of measured medians until every two of a
/// benchmark show their ratio as it is written (`0.6` and `0.6` cannot
/// read `1.08x`; `0.61` and `0.66` can), up to the decimals written.
/// Every pair when there are few cells; with many, each against the
/// lowest and the highest median (the best in a table of them all).
fn ratios_shown(cells: &mut [Cell]) {
    let medians: Vec<f64> = cells.iter().map(Cell::median).collect();
    let measured: Vec<usize> = (0..cells.len())
        .filter(|&i| !cells[i].missing() && medians[i] > 0.0)
        .collect();
    let pairs: Vec<(usize, usize)> = if measured.len() <= 64 {
        measured
            .iter()
            .enumerate()
            .flat_map(|(k, &i)| measured[k + 1..].iter().map(move |&j| (i, j)))
            .collect()
    } else {
        let by = |f: fn(f64, f64) -> bool| {
            measured
                .iter()
                .copied()
                .reduce(|a, b| if f(medians[b], medians[a]) { b } else { a })
        };
        let ends: Vec<usize> = [by(|x, y| x < y), by(|x, y| x > y)]
            .into_iter()
            .flatten()
            .collect();
        measured
            .iter()
            .flat_map(|&i| ends.iter().filter(move |&&e| e != i).map(move |&e| (i, e)))
            .collect()
    };
    // Each round raises some cell towards what it was written with, so
    // this ends.
    loop {
        let mut raised = false;
        for &(i, j) in &pairs {
            let (a, b) = (medians[i], medians[j]);
            if units::ratio_agrees(a, cells[i].shown, b, cells[j].shown) {
                continue;
            }
            // The coarser of the two (relative to its median) first.
            let step = |k: usize, m: f64| 10f64.powi(-(cells[k].shown as i32)) / m;
            let order = if step(i, a) >= step(j, b) {
                [i, j]
            } else {
                [j, i]
            };
            if let Some(&k) = order.iter().find(|&&k| cells[k].shown < cells[k].decimals) {
                cells[k].shown += 1;
                raised = true;
            }
        }
        if !raised {
            break;
        }
    }
}

/// Median of values (sorted or not).
pub fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    match n {
        0 => 0.0,
        _ if n % 2 == 1 => v[n / 2],
        // Halves first: two values near f64::MAX must not sum to infinity.
        _ => v[n / 2 - 1] / 2.0 + v[n / 2] / 2.0,
    }
}

/// When, on what and with which versions the series `shown` were
/// measured, in a line: from the runs the metadata records when it records
/// them, else from its `date`, `machine`, `os` and `versions`.
pub fn measured_text(meta: &Meta, series: &[Series], shown: &[usize]) -> Option<String> {
    let day = |d: &str| d.get(..10).unwrap_or(d).to_string();
    if !meta.runs.is_empty() {
        if let Some(text) = runs_text(meta, series, shown, &day) {
            let pairs: Vec<(&str, Option<&str>)> = shown
                .iter()
                .map(|&i| (series[i].subject.as_str(), series[i].version.as_deref()))
                .collect();
            let bound = meta.runs.iter().flat_map(|r| &r.client_bound);
            return Some(match super::machine::client_bound_text(bound, &pairs) {
                Some(note) => format!("{text}. {note}"),
                None => text,
            });
        }
    }
    let mut parts = Vec::new();
    if let Some(d) = &meta.date {
        parts.push(format!("Measured {}", day(d)));
    }
    if let Some(m) = &meta.machine {
        parts.push(format!("on {m}"));
    }
    if let Some(os) = &meta.os {
        parts.push(format!("({os})"));
    }
    // Per subject: the metadata's version, else those of its series shown.
    let mut order: Vec<&str> = Vec::new();
    let mut of_subject: HashMap<&str, Vec<&str>> = HashMap::new();
    for &i in shown {
        let s = &series[i];
        let entry = of_subject.entry(s.subject.as_str()).or_insert_with(|| {
            order.push(&s.subject);
            Vec::new()
        });
        if let Some(v) = s.version.as_deref() {
            entry.push(v);
        }
    }
    let mut versions: Vec<String> = Vec::new();
    for subject in order {
        let vs = &of_subject[subject];
        match meta.versions.get(subject) {
            Some(v) if vs.len() <= 1 => versions.push(format!("{subject} {v}")),
            _ if !vs.is_empty() => versions.push(format!("{subject} {}", vs.join(", "))),
            _ => {}
        }
    }
    let mut text = parts.join(" ");
    if !versions.is_empty() {
        if !text.is_empty() {
            text.push_str("; ");
        }
        text.push_str(&versions.join("; "));
    }
    (!text.is_empty()).then_some(text)
}

/// The runs that measured the series shown: "Measured on M (OS): 2026-12-05
/// with Node.js v22.20.0, v24.19.0 and Python 3.13.0".
fn runs_text(
    meta: &Meta,
    series: &[Series],
    shown: &[usize],
    day: &dyn Fn(&str) -> String,
) -> Option<String> {
    let shown_versions: Vec<&str> = shown
        .iter()
        .filter_map(|&i| series[i].version.as_deref())
        .collect();
    let mut parts: Vec<(Option<String>, Option<&str>, String)> = Vec::new();
    for run in &meta.runs {
        let Some(with) = shown_runtimes(run, &shown_versions) else {
            continue;
        };
        let date = run.date.as_deref().map(day).unwrap_or_default();
        parts.push((
            run_machine(run),
            run.os.as_deref(),
            format!("{date} with {with}").trim().to_string(),
        ));
    }
    if parts.is_empty() {
        return None;
    }
    let one_machine = parts.iter().all(|p| p.0 == parts[0].0 && p.1 == parts[0].1);
    let on = |m: &Option<String>, os: Option<&str>| match (m, os) {
        (Some(m), Some(os)) => format!(" on {m} ({os})"),
        (Some(m), None) => format!(" on {m}"),
        _ => String::new(),
    };
    // One run: "Measured DATE on M with ..."; several: each run's date with
    // its versions in parentheses, "and" between runs.
    let split = |run: &str| -> (String, String) {
        let (date, with) = run.split_once(" with ").unwrap_or((run, ""));
        (date.to_string(), with.to_string())
    };
    Some(if let [(m, os, run)] = parts.as_slice() {
        let (date, with) = split(run);
        format!("Measured {date}{} with {with}", on(m, *os))
    } else if one_machine {
        let runs: Vec<String> = parts
            .iter()
            .map(|p| {
                let (date, with) = split(&p.2);
                format!("{date} ({with})")
            })
            .collect();
        format!(
            "Measured{}: {}",
            on(&parts[0].0, parts[0].1),
            and_list(&runs)
        )
    } else {
        let runs: Vec<String> = parts
            .iter()
            .map(|p| {
                let (date, with) = split(&p.2);
                format!("{date}{} ({with})", on(&p.0, p.1))
            })
            .collect();
        format!("Measured {}", and_list(&runs))
    })
}

/// The machine of a run as shown: its name, then what its hardware and
/// calibration add (`Intel(R) Xeon(R) Processor, 2 logical CPUs (family 6,
/// model 207, stepping 2; AVX2; L2 2 MiB; calibration loop 80.2 ms)`).
fn run_machine(run: &Run) -> Option<String> {
    let name = run.machine.clone()?;
    let mut extra: Vec<String> = Vec::new();
    if let Some(h) = &run.hardware {
        let d = h.details();
        if !d.is_empty() {
            extra.push(d);
        }
    }
    if let Some(c) = &run.calibration {
        extra.push(format!("calibration loop {:.1} ms", c.median_ms));
    }
    Some(if extra.is_empty() {
        name
    } else {
        format!("{name} ({})", extra.join("; "))
    })
}

/// The runtimes of `run` whose versions are shown, by name:
/// "Node.js 22, 24; Python 3.12"; `None` when it ran none of them.
fn shown_runtimes(run: &Run, shown_versions: &[&str]) -> Option<String> {
    let mut names: Vec<(&str, Vec<&str>)> = Vec::new();
    let mut runtimes: Vec<&RunRuntime> = run.runtimes.values().collect();
    runtimes.sort_by_cached_key(|r| (r.name.clone(), version_key(&r.version)));
    for rt in runtimes {
        if !shown_versions.contains(&rt.version.as_str()) {
            continue;
        }
        match names.iter_mut().find(|(n, _)| *n == rt.name) {
            Some((_, vs)) => vs.push(&rt.version),
            None => names.push((&rt.name, vec![&rt.version])),
        }
    }
    if names.is_empty() {
        return None;
    }
    let with: Vec<String> = names
        .iter()
        .map(|(n, vs)| format!("{n} {}", vs.join(", ")))
        .collect();
    Some(with.join("; "))
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Format;

    fn src(text: &str, format: Format) -> Source {
        Source::for_test("b.csv", text, format)
    }

    #[test]
    fn medians() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
    }

    #[test]
    fn errors_name_the_line() {
        let cases = [
            (
                "benchmark,subject,value\nfib,A,fast\n",
                "content/b.csv:2:7",
                "not a number",
            ),
            (
                "benchmark,subject\nfib,A\n",
                "content/b.csv:1:1",
                "missing required column `value`",
            ),
            (
                "benchmark,subject,value\nfib,A,1\nfib,B\n",
                "content/b.csv:3:1",
                "2 fields",
            ),
            (
                "benchmark,subject,value,unit\nfib,A,1,ms\nfib,B,1,MB\n",
                "content/b.csv:3:",
                "conflicts",
            ),
            (
                "benchmark,subjet,value\n",
                "content/b.csv:1:",
                "did you mean",
            ),
        ];
        for (csv, at, what) in cases {
            let err = from_csv(&src(csv, Format::Csv), None).unwrap_err();
            let shown = format!("{err} {}", err.help.clone().unwrap_or_default());
            assert!(
                shown.starts_with(at) && shown.contains(what),
                "{csv:?}: {shown}"
            );
        }
    }

    #[test]
    fn non_finite_values_are_errors_not_endless_charts() {
        let toml = "[[results]]\nbenchmark = \"fib\"\nsubject = \"A\"\nvalue = inf\n";
        let err = from_structured(&src(toml, Format::Toml)).unwrap_err();
        assert!(err.message.contains("not a finite number"), "{err}");
        let yaml = "results:\n  - benchmark: fib\n    subject: A\n    value: .nan\n";
        assert!(from_structured(&src(yaml, Format::Yaml)).is_err());
        // Finite as written, infinite in seconds.
        let csv = "benchmark,subject,unit,value\nfib,A,min,1e308\nfib,B,min,1\n";
        let err = from_csv(&src(csv, Format::Csv), None).unwrap_err();
        assert!(err.to_string().starts_with("content/b.csv:2:1"), "{err}");
        assert_eq!(median(&[f64::MAX, f64::MAX]), f64::MAX);
    }

    #[test]
    fn structured_formats() {
        let json = r#"{"meta": {"date": "2026-01-02", "machine": "test box"}, "results": [
            {"benchmark": "fib", "subject": "A", "value": 2},
            {"benchmark": "fib", "subject": "B", "value": 1}]}"#;
        let set = from_structured(&src(json, Format::Json)).unwrap();
        assert_eq!(set.data[0].benchmarks[0].cells[1].median(), 1.0);
        assert_eq!(
            set.measured_text.as_deref(),
            Some("Measured 2026-01-02 on test box")
        );
        let toml = "[[results]]\nbenchmark = \"fib\"\nsubject = \"A\"\nvalue = \"x\"\n";
        let err = from_structured(&src(toml, Format::Toml)).unwrap_err();
        assert!(err.to_string().starts_with("content/b.csv:4:"), "{err}");
        let yaml = "results:\n  - benchmark: fib\n    subject: A\n    value: 3\n";
        assert!(from_structured(&src(yaml, Format::Yaml)).is_ok());
    }
}
