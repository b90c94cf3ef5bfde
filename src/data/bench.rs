//! Benchmark results: long-form records (one measurement per line) from CSV,
//! or the same records in JSON/TOML/YAML, aggregated into medians, spreads,
//! ratios to the best and a geometric-mean summary per subject.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::Source;
use super::units::{self, Family};
use crate::diagnostic::{Diagnostic, closest};

/// Where and how results were measured: in a `NAME.meta.toml` beside a CSV,
/// or under `meta` in a JSON/TOML/YAML results file.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Meta {
    pub title: Option<String>,
    pub description: Option<String>,
    /// Where the numbers come from (a URL or a sentence).
    pub source: Option<String>,
    /// When they were measured (`YYYY-MM-DD` or a full timestamp; a TOML
    /// date works too).
    #[serde(deserialize_with = "date_text")]
    pub date: Option<String>,
    /// The machine: CPU model, cores, memory.
    pub machine: Option<String>,
    pub os: Option<String>,
    /// Runtime versions by subject (`"Node.js" = "v20.20.2"`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub versions: BTreeMap<String, String>,
    pub notes: Option<String>,
    /// The `versus bench` runs whose lines the file holds, oldest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub runs: Vec<Run>,
}

/// One `versus bench` run recorded in a results file's metadata.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Run {
    /// When it started (`YYYY-MM-DD` or a full timestamp).
    #[serde(deserialize_with = "date_text")]
    pub date: Option<String>,
    pub machine: Option<String>,
    pub os: Option<String>,
    /// The benchmarks it measured (their names: the `group` column).
    pub benchmarks: Vec<String>,
    /// The runtimes it measured, by id (`node22`).
    pub runtimes: BTreeMap<String, RunRuntime>,
    pub notes: Option<String>,
}

/// A runtime measured by one run: its name and the version found.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RunRuntime {
    pub name: String,
    pub version: String,
}

/// A date written as a string or as a TOML date, kept as text.
fn date_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let date = Option::<crate::content::front_matter::Date>::deserialize(d)?;
    Ok(date.map(|d| d.0))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Better {
    Lower,
    Higher,
}

/// One measurement as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRecord {
    benchmark: String,
    subject: String,
    #[serde(default)]
    metric: Option<String>,
    #[serde(default)]
    unit: Option<String>,
    /// `None` when the run failed or the runtime was missing.
    #[serde(default)]
    value: Option<f64>,
    #[serde(default)]
    better: Option<Better>,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    group: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Structured {
    #[serde(default)]
    meta: Meta,
    results: Vec<RawRecord>,
}

const COLUMNS: &[&str] = &[
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

/// A whole results file, aggregated.
#[derive(Debug, Clone, Serialize)]
pub struct BenchSet {
    pub meta: Meta,
    /// Subjects in order of first appearance.
    pub subjects: Vec<String>,
    pub metrics: Vec<MetricTable>,
    /// "Measured 2026-11-26 on ...; Node.js v20, Python 3.11"
    pub measured_text: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MetricTable {
    pub metric: String,
    /// Display unit (values below are in it), empty when unitless.
    pub unit: String,
    pub better: Better,
    pub better_text: &'static str,
    pub benchmarks: Vec<BenchRow>,
    /// Per subject: geometric mean of its ratios to the best.
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
    pub best: Option<String>,
    pub results: Vec<SubjectResult>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SubjectResult {
    pub subject: String,
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
    pub version: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub subject: String,
    pub geomean: Option<f64>,
    pub geomean_text: String,
    pub wins: usize,
    pub benchmarks: usize,
}

/// A record with where it was written (byte offset of its line or entry).
struct Located {
    rec: RawRecord,
    at: usize,
}

/// The samples of one subject in one benchmark, with the first version and
/// note written for them.
#[derive(Default)]
struct Samples {
    values: Vec<f64>,
    version: Option<String>,
    note: Option<String>,
}

pub fn from_structured(src: &Source) -> Result<BenchSet, Diagnostic> {
    let file: Structured = src.parse()?;
    let mut from = 0;
    let mut recs = Vec::with_capacity(file.results.len());
    for rec in file.results {
        if let Some(i) = src.text[from.min(src.text.len())..].find(rec.benchmark.as_str()) {
            from += i;
        }
        recs.push(Located { rec, at: from });
    }
    aggregate(src, file.meta, recs)
}

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
    for h in &headers {
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
    let col = |name: &str| headers.iter().position(|h| h == name);
    let mut recs = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(src, &e))?;
        // The record's own byte offset: counting lines from the top for
        // every record made a million-row file take hours.
        let at = record
            .position()
            .map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX))
            .min(src.text.len());
        let field = |name: &str| {
            col(name)
                .and_then(|i| record.get(i))
                .map(str::to_string)
                .filter(|s| !s.is_empty())
        };
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
            Some(b) => {
                return Err(src.error_at_value(
                    format!("better is `lower` or `higher`, not `{b}`"),
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
        recs.push(Located {
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
        });
    }
    aggregate(src, meta.unwrap_or_default(), recs)
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
    let mut subject_seen: HashMap<&str, ()> = HashMap::new();
    let mut by_metric: Vec<(String, Vec<&Located>)> = Vec::new();
    let mut metric_index: HashMap<&str, usize> = HashMap::new();
    for r in &recs {
        if subject_seen.insert(r.rec.subject.as_str(), ()).is_none() {
            subjects.push(r.rec.subject.clone());
        }
        let m = r.rec.metric.as_deref().unwrap_or("time");
        let i = *metric_index.entry(m).or_insert_with(|| {
            by_metric.push((m.to_string(), Vec::new()));
            by_metric.len() - 1
        });
        by_metric[i].1.push(r);
    }
    let mut metrics = Vec::new();
    for (metric, in_metric) in &by_metric {
        metrics.push(metric_table(src, metric, in_metric, &subjects)?);
    }
    let measured_text = measured_text(&meta, &subjects, &recs);
    Ok(BenchSet {
        meta,
        subjects,
        metrics,
        measured_text,
    })
}

fn metric_table(
    src: &Source,
    metric: &str,
    recs: &[&Located],
    subjects: &[String],
) -> Result<MetricTable, Diagnostic> {
    // One `better` and one unit family per metric.
    let first = recs[0];
    // `better` may be written once per metric; lines without it follow.
    let better = recs
        .iter()
        .find_map(|r| r.rec.better)
        .unwrap_or(Better::Lower);
    for r in recs {
        if r.rec.better.is_some_and(|b| b != better) {
            return Err(src
                .error_at_value(
                    format!("metric `{metric}` is both lower- and higher-is-better"),
                    &r.rec.benchmark,
                    r.at,
                )
                .with_help("give every line of one metric the same `better`"));
        }
    }
    let first_unit = first.rec.unit.clone();
    let family = first_unit
        .as_deref()
        .and_then(units::lookup)
        .map(|(f, _)| f);
    let base = |r: &Located, v: f64| -> Result<f64, Diagnostic> {
        let unit = r.rec.unit.as_deref();
        let conflict = || {
            src.error_at_value(
                format!(
                    "unit `{}` conflicts with `{}` used for metric `{metric}`",
                    unit.unwrap_or("(none)"),
                    first_unit.as_deref().unwrap_or("(none)")
                ),
                unit.unwrap_or(&r.rec.benchmark),
                r.at,
            )
            .with_help("one metric takes one unit, or units that convert (ms and s, MB and GB)")
        };
        let v = match (family, unit.and_then(units::lookup)) {
            (Some(f), Some((g, k))) if f == g => v * k,
            (None, None) if unit == first_unit.as_deref() => v,
            _ => return Err(conflict()),
        };
        // TOML and YAML can write `inf` and `nan`, and 1e308 min overflows
        // once in seconds: no chart or ratio can be made of those.
        if v.is_finite() {
            Ok(v)
        } else {
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
    };
    // Samples per benchmark (in order of appearance), then per subject (by
    // its index in `subjects`): lookups by hash, so a million records or a
    // million distinct names stay linear.
    let subject_index: HashMap<&str, usize> = subjects
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i))
        .collect();
    let mut benches: Vec<(String, Option<String>, BTreeMap<usize, Samples>)> = Vec::new();
    let mut bench_index: HashMap<&str, usize> = HashMap::new();
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
        let s = subject_index
            .get(r.rec.subject.as_str())
            .copied()
            .unwrap_or_default();
        let cell = benches[b].2.entry(s).or_default();
        if let Some(v) = r.rec.value {
            cell.values.push(base(r, v)?);
        }
        if cell.version.is_none() {
            cell.version = r.rec.version.clone();
        }
        if cell.note.is_none() {
            cell.note = r.rec.note.clone();
        }
    }
    let all: Vec<f64> = benches
        .iter()
        .flat_map(|b| b.2.values())
        .flat_map(|c| c.values.iter().copied())
        .collect();
    let (unit, scale) = match family {
        Some(f) => {
            let medians: Vec<f64> = benches
                .iter()
                .flat_map(|b| b.2.values())
                .filter(|c| !c.values.is_empty())
                .map(|c| median(&c.values))
                .collect();
            let (u, k) = units::display_unit(f, &medians);
            (u.to_string(), k)
        }
        None => (first_unit.clone().unwrap_or_default(), 1.0),
    };
    let is_time = family == Some(Family::Time)
        || (family.is_none() && first_unit.is_none() && metric == "time");
    let mut benchmarks = Vec::new();
    for (bench, group, cells) in benches {
        let mut results = Vec::new();
        for (s, cell) in cells {
            let Samples {
                values,
                version,
                note,
            } = cell;
            let mut sorted: Vec<f64> = values.iter().map(|v| v / scale).collect();
            sorted.sort_by(f64::total_cmp);
            let missing = sorted.is_empty();
            let (med, min, max) = if missing {
                (0.0, 0.0, 0.0)
            } else {
                (median(&sorted), sorted[0], sorted[sorted.len() - 1])
            };
            results.push(SubjectResult {
                subject: subjects[s].clone(),
                missing,
                median: med,
                min,
                max,
                median_text: if missing {
                    "missing".into()
                } else {
                    units::format_value(med)
                },
                spread_text: if missing || sorted.len() < 2 {
                    String::new()
                } else {
                    format!("{}–{}", units::format_value(min), units::format_value(max))
                },
                samples: sorted.len(),
                best: false,
                ratio: None,
                ratio_text: String::new(),
                version,
                note,
            });
        }
        let best_idx = results
            .iter()
            .enumerate()
            .filter(|(_, r)| !r.missing)
            .min_by(|a, b| match better {
                Better::Lower => a.1.median.total_cmp(&b.1.median),
                Better::Higher => b.1.median.total_cmp(&a.1.median),
            })
            .map(|(i, _)| i);
        let best_name = best_idx.map(|i| results[i].subject.clone());
        if let Some(bi) = best_idx {
            let best_val = results[bi].median;
            for r in results.iter_mut().filter(|r| !r.missing) {
                // Ties are all best; a ratio against zero means nothing.
                r.best = r.median == best_val;
                let ratio = match better {
                    _ if r.best => Some(1.0),
                    Better::Lower if best_val > 0.0 => Some(r.median / best_val),
                    Better::Higher if r.median > 0.0 => Some(best_val / r.median),
                    _ => None,
                };
                r.ratio = ratio;
                let best_name = best_name.as_deref().unwrap_or("");
                r.ratio_text = if r.best {
                    "best".into()
                } else if let Some(ratio) = ratio {
                    let word = match (better, is_time) {
                        (Better::Lower, true) => "slower than",
                        (Better::Lower, false) => "more than",
                        (Better::Higher, _) => "less than",
                    };
                    format!(
                        "{} {}x {word} {best_name}",
                        r.subject,
                        units::format_value(ratio)
                    )
                } else {
                    "no ratio (a value of zero)".into()
                };
            }
        }
        benchmarks.push(BenchRow {
            benchmark: bench,
            group,
            best: best_name,
            results,
        });
    }
    // Per subject: whether it has a result, the log of each ratio (summed in
    // benchmark order), and its wins.
    let mut acc: Vec<(bool, f64, usize, usize)> = vec![(false, 0.0, 0, 0); subjects.len()];
    for b in &benchmarks {
        for r in &b.results {
            let Some(&s) = subject_index.get(r.subject.as_str()) else {
                continue;
            };
            let a = &mut acc[s];
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
    let summary: Vec<Summary> = subjects
        .iter()
        .zip(&acc)
        .filter(|(_, a)| a.0)
        .map(|(s, &(_, ln_sum, n, wins))| {
            let geomean = (n > 0).then(|| (ln_sum / n as f64).exp());
            Summary {
                subject: s.clone(),
                geomean,
                geomean_text: geomean.map_or_else(
                    || "missing".into(),
                    |g| format!("{}x", units::format_value(g)),
                ),
                wins,
                benchmarks: n,
            }
        })
        .collect();
    let summary_text = summary
        .iter()
        .map(|s| {
            format!(
                "{} {} (best in {} of {})",
                s.subject, s.geomean_text, s.wins, s.benchmarks
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let shown: Vec<f64> = all.iter().map(|v| v / scale).filter(|v| *v > 0.0).collect();
    let extent = (
        shown.iter().copied().fold(f64::INFINITY, f64::min),
        shown.iter().copied().fold(0.0, f64::max),
    );
    Ok(MetricTable {
        metric: metric.to_string(),
        unit,
        better,
        better_text: match better {
            Better::Lower => "lower is better",
            Better::Higher => "higher is better",
        },
        benchmarks,
        summary,
        summary_text,
        extent,
    })
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

fn measured_text(meta: &Meta, subjects: &[String], recs: &[Located]) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(d) = &meta.date {
        parts.push(format!("Measured {}", d.get(..10).unwrap_or(d)));
    }
    if let Some(m) = &meta.machine {
        parts.push(format!("on {m}"));
    }
    if let Some(os) = &meta.os {
        parts.push(format!("({os})"));
    }
    // The version on each subject's first record.
    let mut first_version: HashMap<&str, Option<&str>> = HashMap::new();
    for r in recs {
        first_version
            .entry(r.rec.subject.as_str())
            .or_insert(r.rec.version.as_deref());
    }
    let versions: Vec<String> = subjects
        .iter()
        .filter_map(|s| {
            meta.versions
                .get(s)
                .map(String::as_str)
                .or_else(|| first_version.get(s.as_str()).copied().flatten())
                .map(|v| format!("{s} {v}"))
        })
        .collect();
    let mut text = parts.join(" ");
    if !versions.is_empty() {
        if !text.is_empty() {
            text.push_str("; ");
        }
        text.push_str(&versions.join(", "));
    }
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Format;
    use std::sync::Arc;

    fn src(text: &str, format: Format) -> Source {
        Source {
            rel: "b.csv".into(),
            shown: "content/b.csv".into(),
            text: Arc::from(text),
            format,
        }
    }

    #[test]
    fn medians() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
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
        let set = from_csv(&src(csv, Format::Csv), None).unwrap();
        let t = &set.metrics[0];
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
        let set = from_csv(&src(csv, Format::Csv), None).unwrap();
        let b = &set.metrics[0].benchmarks[0];
        assert_eq!(b.best.as_deref(), Some("B"));
        assert_eq!(b.results[0].ratio, Some(4.0));
        assert_eq!(b.results[0].ratio_text, "A 4.00x less than B");
    }

    #[test]
    fn better_is_written_once_per_metric_and_zero_and_ties_are_handled() {
        let csv = "benchmark,subject,metric,value,better\nx,A,rps,10,higher\nx,B,rps,0,\ny,A,rps,5,\ny,B,rps,5,\n";
        let set = from_csv(&src(csv, Format::Csv), None).unwrap();
        let t = &set.metrics[0];
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
        let set = from_csv(&src(lower, Format::Csv), None).unwrap();
        let z = &set.metrics[0].benchmarks[0];
        assert!(z.results[0].best && !z.results[1].best);
        let meta: Meta = toml::from_str("date = 2026-11-26\n").unwrap();
        assert_eq!(meta.date.as_deref(), Some("2026-11-26"));
    }

    #[test]
    fn missing_values_are_missing_not_zero() {
        let csv = "benchmark,subject,value\nfib,A,10\nfib,B,\n";
        let set = from_csv(&src(csv, Format::Csv), None).unwrap();
        let r = &set.metrics[0].benchmarks[0].results[1];
        assert!(r.missing && r.ratio.is_none());
        assert_eq!(set.metrics[0].benchmarks[0].best.as_deref(), Some("A"));
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
    fn many_distinct_names_stay_linear() {
        let mut csv = String::from("benchmark,subject,value\n");
        for i in 0..20_000 {
            csv.push_str(&format!("b{i},s{i},{i}\n"));
        }
        let start = std::time::Instant::now();
        let set = from_csv(&src(&csv, Format::Csv), None).unwrap();
        assert_eq!(set.metrics[0].benchmarks.len(), 20_000);
        assert_eq!(set.subjects.len(), 20_000);
        assert!(start.elapsed().as_secs() < 10, "{:?}", start.elapsed());
    }

    #[test]
    fn structured_formats() {
        let json = r#"{"meta": {"date": "2026-01-02", "machine": "test box"}, "results": [
            {"benchmark": "fib", "subject": "A", "value": 2},
            {"benchmark": "fib", "subject": "B", "value": 1}]}"#;
        let set = from_structured(&src(json, Format::Json)).unwrap();
        assert_eq!(set.metrics[0].benchmarks[0].best.as_deref(), Some("B"));
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
