//! Results files: the long-form CSV (one line per measured run) and its
//! `NAME.meta.toml`. New records replace the lines of the benchmarks that
//! were run and keep the others; both files are written to temporary files
//! in the same folder and renamed over the old ones, so a reader (or a
//! crash) sees either the old file or the new one, never half of one.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::define::Suite;
use super::run::Record;
use crate::data::machine::{
    CLIENT_BOUND_PERCENT, CLIENT_CPU_METRIC, Calibration, ClientBound, Hardware,
};
pub use crate::data::results::RunRuntime;
use crate::data::results::{Better, COLUMNS, Meta, Run, version_key};
use crate::report::error::{Error, IoContext, Result};

/// A line of a results file as text (kept as written when merged).
type Row = [String; 9];

/// Where and with what the new records were measured.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// ISO UTC time of this run.
    pub date: String,
    pub machine: String,
    pub os: String,
    /// The runtimes this run measured, by id, with their names and the
    /// versions found.
    pub runtimes: BTreeMap<String, RunRuntime>,
    /// Runtime id and the executable that was run, when it was resolved.
    pub executables: Vec<(String, PathBuf)>,
    /// Load averages when the run started.
    pub load: Option<String>,
    /// The environment commands ran in, in words, when it was not inherited.
    pub environment: Option<String>,
    /// What the quiet guard did, in words, when it was on.
    pub quiet: Option<String>,
    /// The CPU and machine as the kernel reports them.
    pub hardware: Option<Hardware>,
    /// The calibration loop timed at the start.
    pub calibration: Option<Calibration>,
}

/// What writing one results file did.
#[derive(Debug)]
pub struct Written {
    pub csv: PathBuf,
    pub meta: PathBuf,
    pub rows: usize,
    /// Lines with no value (missing results) among the new ones.
    pub missing: usize,
    /// Lines of benchmarks no longer defined, dropped.
    pub dropped: usize,
    /// Old lines the new ones replaced.
    pub replaced: usize,
}

/// `cpu.csv` → `cpu.meta.toml`.
pub fn meta_path(csv: &Path) -> PathBuf {
    let stem = csv.file_stem().unwrap_or_default().to_string_lossy();
    csv.with_file_name(format!("{stem}.meta.toml"))
}

/// Merges `records` (from the benchmarks named in `rerun`) into the results
/// file `stem` and writes it with its metadata.
///
/// New lines replace the old lines of the same benchmark, subject and
/// version, and keep the others: a run of Node.js 24 adds to the lines of
/// Node.js 20 and 22. With `fresh`, every old line of the benchmarks that
/// ran is replaced.
///
/// Fails, leaving both files untouched, when no new record has a value
/// (every subject missing or failed: nothing was measured), or when the
/// existing CSV cannot be read (so it cannot be merged without losing it).
pub fn write(
    suite: &Suite,
    stem: &str,
    rerun: &[&str],
    records: &[Record],
    ctx: &Context,
    fresh: bool,
) -> Result<Written> {
    let csv_path = suite.results_csv(stem);
    let meta_file = meta_path(&csv_path);
    if !records.iter().any(|r| r.value.is_some()) {
        return Err(Error::io(
            &csv_path,
            std::io::Error::other(
                "nothing was measured (every subject is missing or failed); the file is left as it was",
            ),
        ));
    }
    let old_rows = read_old_rows(&csv_path)?;
    let old_meta: Option<Meta> = std::fs::read_to_string(&meta_file)
        .ok()
        .and_then(|t| toml::from_str(&t).ok());

    let new_rows: Vec<Row> = records.iter().map(row).collect();
    let merged = merge(suite, stem, rerun, &old_rows, &new_rows, fresh);
    let rows = merged.rows;

    // The runs whose lines are left, this one last.
    let mut runs = old_meta.as_ref().map(past_runs).unwrap_or_default();
    let mut run = this_run(suite, stem, rerun, ctx);
    run.client_bound = client_bound(records);
    runs.push(run);
    let meta = meta_of(suite, stem, runs_in_use(runs, &rows));

    let csv_text = csv_bytes(&rows, &csv_path)?;
    let meta_text = format!(
        "# Written by `versus bench`; see docs/bench.md.\n{}",
        toml::to_string(&meta).map_err(|e| Error::io(&meta_file, std::io::Error::other(e)))?
    );
    replace_both((&csv_path, &csv_text), (&meta_file, meta_text.as_bytes()))?;
    Ok(Written {
        csv: csv_path,
        meta: meta_file,
        rows: rows.len(),
        missing: records.iter().filter(|r| r.value.is_none()).count(),
        dropped: merged.dropped,
        replaced: merged.replaced,
    })
}

/// The lines of the results file as it is (none when there is no file);
/// an error when it cannot be read, so it is never merged into and lost.
fn read_old_rows(csv_path: &Path) -> Result<Vec<Row>> {
    match std::fs::read_to_string(csv_path) {
        Ok(text) => read_rows(&text).map_err(|e| {
            Error::io(
                csv_path,
                std::io::Error::other(format!(
                    "cannot merge new results into it ({e}); fix or move the file and run again"
                )),
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(Error::io(csv_path, e)),
    }
}

/// The metadata of a results file whose lines come from `runs`.
fn meta_of(suite: &Suite, stem: &str, runs: Vec<Run>) -> Meta {
    let info = suite.results.get(stem).cloned().unwrap_or_default();
    let latest = runs.last();
    Meta {
        title: Some(info.title.unwrap_or_else(|| stem.to_string())),
        description: info.description,
        source: Some(format!(
            "versus bench, from {}",
            super::define::DEFINITIONS.trim_start_matches("content/")
        )),
        // The file is as old as its oldest figures.
        date: runs.iter().filter_map(|r| r.date.clone()).min(),
        machine: latest.and_then(|r| r.machine.clone()),
        os: latest.and_then(|r| r.os.clone()),
        versions: BTreeMap::new(),
        notes: (runs.len() > 1).then(|| {
            format!(
                "Lines from {} runs of versus bench, each described below.",
                runs.len()
            )
        }),
        runs,
    }
}

/// The CSV text of `rows`, header first.
fn csv_bytes(rows: &[Row], csv_path: &Path) -> Result<Vec<u8>> {
    let mut csv_text = Vec::new();
    let mut w = csv::Writer::from_writer(&mut csv_text);
    let io = |e: csv::Error| Error::io(csv_path, std::io::Error::other(e.to_string()));
    w.write_record(COLUMNS).map_err(io)?;
    for r in rows {
        w.write_record(r).map_err(io)?;
    }
    w.flush().at(csv_path)?;
    drop(w);
    Ok(csv_text)
}

/// Replaces two files, each `(path, bytes)`: both are written to
/// temporary files first, then renamed, so a failure leaves neither
/// half-written.
fn replace_both(csv: (&Path, &[u8]), meta: (&Path, &[u8])) -> Result<()> {
    if let Some(dir) = csv.0.parent() {
        std::fs::create_dir_all(dir).at(dir)?;
    }
    let csv_tmp = write_temp(csv.0, csv.1)?;
    let meta_tmp = match write_temp(meta.0, meta.1) {
        Ok(t) => t,
        Err(e) => {
            let _ = std::fs::remove_file(&csv_tmp);
            return Err(e);
        }
    };
    if let Err(e) = std::fs::rename(&csv_tmp, csv.0) {
        let _ = std::fs::remove_file(&csv_tmp);
        let _ = std::fs::remove_file(&meta_tmp);
        return Err(Error::io(csv.0, e));
    }
    std::fs::rename(&meta_tmp, meta.0).map_err(|e| {
        let _ = std::fs::remove_file(&meta_tmp);
        Error::io(meta.0, e)
    })
}

/// The lines of a results file after a run.
#[derive(Debug, PartialEq)]
struct Merged {
    rows: Vec<Row>,
    /// Old lines of benchmarks no longer defined.
    dropped: usize,
    /// Old lines that new ones replaced.
    replaced: usize,
}

/// Merges the new lines of the benchmarks in `rerun` into the old lines.
/// A new line replaces the old lines of its benchmark (`group`), subject
/// and version (all the old lines of its benchmark with `fresh`). Lines of
/// benchmarks no longer defined are dropped; lines with no group (written
/// by hand) are kept at the end. Within a benchmark, lines are ordered as
/// the definitions order its variants and subjects, then by version (`v20`
/// before `v22`), so the file reads the same whatever order runs came in.
fn merge(
    suite: &Suite,
    stem: &str,
    rerun: &[&str],
    old: &[Row],
    new: &[Row],
    fresh: bool,
) -> Merged {
    fn key(r: &Row) -> (&str, &str, &str) {
        (r[8].as_str(), r[1].as_str(), r[6].as_str())
    }
    let measured: BTreeSet<(&str, &str, &str)> = new.iter().map(key).collect();
    // A subject recorded as missing with no version (its runtime was not
    // found) is replaced by any new line of the subject.
    let subjects: BTreeSet<(&str, &str)> =
        new.iter().map(|r| (r[8].as_str(), r[1].as_str())).collect();
    let stale_missing = |r: &Row| {
        r[4].is_empty() && r[6].is_empty() && subjects.contains(&(r[8].as_str(), r[1].as_str()))
    };
    let mut rows = Vec::new();
    let mut replaced = 0;
    for bench in suite.writing(stem) {
        let name = bench.name.as_str();
        let ran = rerun.contains(&name);
        let mut group: Vec<Row> = Vec::new();
        for r in old.iter().filter(|r| r[8] == name) {
            if ran && (fresh || measured.contains(&key(r)) || stale_missing(r)) {
                replaced += 1;
            } else {
                group.push(r.clone());
            }
        }
        group.extend(new.iter().filter(|r| r[8] == name).cloned());
        let labels: Vec<&str> = bench.instances.iter().map(|i| i.label.as_str()).collect();
        let mut subjects: Vec<&str> = Vec::new();
        for s in bench.instances.iter().flat_map(|i| &i.subjects) {
            if !subjects.contains(&s.name.as_str()) {
                subjects.push(&s.name);
            }
        }
        let place =
            |list: &[&str], v: &str| list.iter().position(|x| *x == v).unwrap_or(list.len());
        group.sort_by_cached_key(|r| {
            (
                place(&labels, &r[0]),
                place(&subjects, &r[1]),
                version_key(&r[6]),
            )
        });
        rows.extend(group);
    }
    let defined: Vec<&str> = suite.writing(stem).map(|b| b.name.as_str()).collect();
    let dropped = old
        .iter()
        .filter(|r| !r[8].is_empty() && !defined.contains(&r[8].as_str()))
        .count();
    rows.extend(old.iter().filter(|r| r[8].is_empty()).cloned());
    Merged {
        rows,
        dropped,
        replaced,
    }
}

/// The runs an existing metadata file records. A file written before runs
/// were recorded describes one run: its date, machine and versions, for
/// every benchmark.
fn past_runs(meta: &Meta) -> Vec<Run> {
    if !meta.runs.is_empty() {
        return meta.runs.clone();
    }
    if meta.date.is_none() && meta.versions.is_empty() {
        return Vec::new();
    }
    vec![Run {
        date: meta.date.clone(),
        machine: meta.machine.clone(),
        os: meta.os.clone(),
        // Every benchmark: the lines were all measured then.
        benchmarks: Vec::new(),
        runtimes: meta
            .versions
            .iter()
            .map(|(name, v)| {
                (
                    name.clone(),
                    RunRuntime {
                        name: name.clone(),
                        version: v.clone(),
                    },
                )
            })
            .collect(),
        notes: meta.notes.clone(),
        ..Run::default()
    }]
}

/// This run, as the metadata records it.
fn this_run(suite: &Suite, stem: &str, rerun: &[&str], ctx: &Context) -> Run {
    let mut notes = Vec::new();
    let runs: Vec<String> = suite
        .writing(stem)
        .filter(|b| rerun.contains(&b.name.as_str()))
        .map(|b| format!("{} {} after {} warm-up", b.name, b.runs, b.warmup))
        .collect();
    notes.push(format!("Measured runs per subject: {}.", runs.join("; ")));
    if !ctx.executables.is_empty() {
        let exes: Vec<String> = ctx
            .executables
            .iter()
            .map(|(n, p)| format!("{n} {}", p.display()))
            .collect();
        notes.push(format!("Executables: {}.", exes.join(", ")));
    }
    if let Some(env) = &ctx.environment {
        let mut env = env.clone();
        if let Some(first) = env.get(..1) {
            env.replace_range(..1, &first.to_uppercase());
        }
        notes.push(format!("{env}."));
    }
    if let Some(q) = &ctx.quiet {
        notes.push(format!("{q}."));
    }
    if let Some(load) = &ctx.load {
        notes.push(format!(
            "Load averages (1, 5, 15 min) at the start: {load}."
        ));
    }
    Run {
        date: Some(ctx.date.clone()),
        machine: Some(ctx.machine.clone()),
        os: Some(ctx.os.clone()),
        benchmarks: rerun.iter().map(|s| s.to_string()).collect(),
        runtimes: ctx.runtimes.clone(),
        notes: Some(notes.join(" ")),
        hardware: ctx.hardware.clone(),
        calibration: ctx.calibration.clone(),
        client_bound: Vec::new(),
    }
}

/// The series whose load generator used [`CLIENT_BOUND_PERCENT`] or more
/// of its CPUs in some runs, from the `client CPU` lines of `records`.
fn client_bound(records: &[Record]) -> Vec<ClientBound> {
    let mut out: Vec<ClientBound> = Vec::new();
    for r in records.iter().filter(|r| r.metric == CLIENT_CPU_METRIC) {
        let Some(v) = r.value else { continue };
        let version = r.version.clone().unwrap_or_default();
        let at = out.iter().position(|b| {
            b.benchmark == r.benchmark && b.subject == r.subject && b.version == version
        });
        let i = at.unwrap_or_else(|| {
            out.push(ClientBound {
                benchmark: r.benchmark.clone(),
                subject: r.subject.clone(),
                version,
                ..ClientBound::default()
            });
            out.len() - 1
        });
        let b = &mut out[i];
        b.runs += 1;
        if v >= CLIENT_BOUND_PERCENT {
            b.saturated += 1;
        }
        b.max_percent = b.max_percent.max((v * 10.0).round() / 10.0);
    }
    out.retain(|b| b.saturated > 0);
    out
}

/// The runs that still measured some line, in order. A line belongs to the
/// latest run that measured its benchmark (`benchmarks` empty: all) with its
/// version (a line with no version: any run of its benchmark).
fn runs_in_use(runs: Vec<Run>, rows: &[Row]) -> Vec<Run> {
    let mut used = vec![false; runs.len()];
    let mut versions: Vec<BTreeSet<&str>> = vec![BTreeSet::new(); runs.len()];
    for r in rows {
        let owner = runs.iter().rposition(|run| run.measured(&r[8], &r[6]));
        if let Some(i) = owner {
            used[i] = true;
            versions[i].insert(&r[6]);
        }
    }
    // A run keeps the runtimes whose lines are still its own: one measured
    // again later is the later run's.
    runs.iter()
        .zip(used)
        .zip(&versions)
        .filter(|((_, u), _)| *u)
        .map(|((run, _), owned)| {
            let mut run = run.clone();
            run.runtimes
                .retain(|_, rt| owned.contains(rt.version.as_str()));
            run
        })
        .collect()
}

/// Writes `bytes` to a new temporary file beside `path` and syncs it.
fn write_temp(path: &Path, bytes: &[u8]) -> Result<PathBuf> {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    let mut f = std::fs::File::create(&tmp).at(&tmp)?;
    let done = f.write_all(bytes).and_then(|()| f.sync_all());
    if let Err(e) = done {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::io(&tmp, e));
    }
    Ok(tmp)
}

fn row(r: &Record) -> Row {
    [
        r.benchmark.clone(),
        r.subject.clone(),
        r.metric.clone(),
        r.unit.clone(),
        r.value.map(number).unwrap_or_default(),
        match r.better {
            Better::Lower => "lower".into(),
            Better::Higher => "higher".into(),
            Better::Neither => "neither".into(),
        },
        r.version.clone().unwrap_or_default(),
        r.note.clone().unwrap_or_default(),
        r.group.clone(),
    ]
}

/// A value with at most four decimals and no trailing zeros.
pub fn number(v: f64) -> String {
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// Why an existing results CSV cannot be merged into.
#[derive(Debug, thiserror::Error)]
enum OldRowsError {
    /// Not CSV, or rows of uneven length (the error says which line).
    #[error("{0}")]
    Csv(#[from] csv::Error),
    #[error("unknown column `{0}`")]
    UnknownColumn(String),
}

/// Reads an existing results CSV into rows of [`COLUMNS`] (whatever order
/// its own columns are in; absent columns are empty).
fn read_rows(text: &str) -> std::result::Result<Vec<Row>, OldRowsError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader.headers()?.iter().map(str::to_string).collect();
    if let Some(h) = headers.iter().find(|h| !COLUMNS.contains(&h.as_str())) {
        return Err(OldRowsError::UnknownColumn(h.clone()));
    }
    let mut rows = Vec::new();
    for rec in reader.records() {
        let rec = rec?;
        let mut row: Row = Default::default();
        for (i, col) in COLUMNS.iter().enumerate() {
            if let Some(j) = headers.iter().position(|h| h == col) {
                row[i] = rec.get(j).unwrap_or("").to_string();
            }
        }
        rows.push(row);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(number(12.0), "12");
        assert_eq!(number(0.123456), "0.1235");
        assert_eq!(number(27447.15), "27447.15");
        assert_eq!(number(-0.00001), "0");
    }

    #[test]
    fn reads_rows_in_any_column_order() {
        let rows = read_rows("value,subject,benchmark\n1.5,A,fib\n").unwrap();
        assert_eq!(rows[0][0], "fib");
        assert_eq!(rows[0][1], "A");
        assert_eq!(rows[0][4], "1.5");
        assert!(read_rows("bogus\n1\n").is_err());
    }

    fn run(date: &str, benchmarks: &[&str], versions: &[(&str, &str)]) -> Run {
        Run {
            date: Some(date.into()),
            benchmarks: benchmarks.iter().map(|b| b.to_string()).collect(),
            runtimes: versions
                .iter()
                .map(|(id, v)| {
                    (
                        id.to_string(),
                        RunRuntime {
                            name: "N".into(),
                            version: v.to_string(),
                        },
                    )
                })
                .collect(),
            ..Run::default()
        }
    }

    fn line(group: &str, version: &str) -> Row {
        let mut r: Row = Default::default();
        r[1] = "S".into();
        r[4] = "1".into();
        r[6] = version.into();
        r[8] = group.into();
        r
    }

    #[test]
    fn runs_keep_only_what_they_still_measured() {
        let runs = vec![
            run("2026-01-01", &["a", "b"], &[("n20", "20"), ("n22", "22")]),
            run("2026-02-01", &["a"], &[("n22", "22")]),
            run("2026-03-01", &["b"], &[("n24", "24")]),
        ];
        // b/22 still from the first run; a/22 from the second; nothing of
        // the third's is left.
        let rows = vec![line("a", "20"), line("a", "22"), line("b", "22")];
        let kept = runs_in_use(runs, &rows);
        assert_eq!(kept.len(), 2);
        assert_eq!(kept[0].runtimes.keys().collect::<Vec<_>>(), ["n20", "n22"]);
        assert_eq!(kept[1].date.as_deref(), Some("2026-02-01"));
        let only_a = runs_in_use(kept, &[line("a", "22")]);
        assert_eq!(only_a.len(), 1, "the first run lost its last line");
    }

    #[test]
    fn versions_sort_by_their_numbers() {
        let mut v = vec!["v22.1.0", "v9.0.0", "3.13.0", "3.9.18", "v20.20.2"];
        v.sort_by_cached_key(|x| version_key(x));
        assert_eq!(v, ["3.9.18", "3.13.0", "v9.0.0", "v20.20.2", "v22.1.0"]);
    }

    #[test]
    fn meta_beside_csv() {
        assert_eq!(
            meta_path(Path::new("a/results/cpu.csv")),
            Path::new("a/results/cpu.meta.toml")
        );
    }
}
