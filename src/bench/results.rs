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
use crate::data::bench::{Better, Meta};
use crate::error::{Error, IoContext, Result};

/// The columns written, in order.
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

/// A line of a results file as text (kept as written when merged).
type Row = [String; 9];

/// Where and with what the new records were measured.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// ISO UTC time of this run.
    pub date: String,
    pub machine: String,
    pub os: String,
    /// Version per runtime name, as found.
    pub runtime_versions: BTreeMap<String, String>,
    /// Runtime name and the executable that was run, when it was resolved.
    pub executables: Vec<(String, PathBuf)>,
    /// Load averages when the run started.
    pub load: Option<String>,
    /// The environment commands ran in, in words, when it was not inherited.
    pub environment: Option<String>,
    /// What the quiet guard did, in words, when it was on.
    pub quiet: Option<String>,
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
}

/// `cpu.csv` → `cpu.meta.toml`.
pub fn meta_path(csv: &Path) -> PathBuf {
    let stem = csv.file_stem().unwrap_or_default().to_string_lossy();
    csv.with_file_name(format!("{stem}.meta.toml"))
}

/// Merges `records` (from the benchmarks named in `rerun`) into the results
/// file `stem` and writes it with its metadata.
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
    let old_rows = match std::fs::read_to_string(&csv_path) {
        Ok(text) => read_rows(&text).map_err(|e| {
            Error::io(
                &csv_path,
                std::io::Error::other(format!(
                    "cannot merge new results into it ({e}); fix or move the file and run again"
                )),
            )
        })?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(Error::io(&csv_path, e)),
    };
    let old_meta: Option<Meta> = std::fs::read_to_string(&meta_file)
        .ok()
        .and_then(|t| toml::from_str(&t).ok());

    // Rows in definition order: new ones for the benchmarks run now, old
    // ones for the others; rows of benchmarks no longer defined are dropped,
    // rows without a group (written by hand) are kept at the end.
    let defined: Vec<&str> = suite.writing(stem).map(|b| b.name.as_str()).collect();
    let new_rows: Vec<Row> = records.iter().map(row).collect();
    let mut rows: Vec<Row> = Vec::new();
    let mut kept_groups = BTreeSet::new();
    for name in &defined {
        if rerun.contains(name) {
            rows.extend(new_rows.iter().filter(|r| r[8] == *name).cloned());
        } else {
            let old: Vec<Row> = old_rows.iter().filter(|r| r[8] == *name).cloned().collect();
            if !old.is_empty() {
                kept_groups.insert(*name);
            }
            rows.extend(old);
        }
    }
    let dropped = old_rows
        .iter()
        .filter(|r| !r[8].is_empty() && !defined.contains(&r[8].as_str()))
        .count();
    rows.extend(old_rows.iter().filter(|r| r[8].is_empty()).cloned());

    // Metadata.
    let info = suite.results.get(stem).cloned().unwrap_or_default();
    let subjects: BTreeSet<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    let mut versions = BTreeMap::new();
    for s in &subjects {
        let fresh = records
            .iter()
            .find(|r| r.subject == *s)
            .and_then(|r| r.version.clone());
        let old = old_meta.as_ref().and_then(|m| m.versions.get(*s).cloned());
        if let Some(v) = fresh.or(old) {
            versions.insert((*s).to_string(), v);
        }
    }
    // The versions per runtime too, which `versus check` compares with the
    // runtimes installed when it runs.
    for (name, v) in &ctx.runtime_versions {
        versions.entry(name.clone()).or_insert_with(|| v.clone());
    }
    let mut notes = Vec::new();
    let partial = !kept_groups.is_empty();
    let date = if partial {
        let old_date = old_meta.as_ref().and_then(|m| m.date.clone());
        notes.push(format!(
            "Partly rerun on {}: {} (the rest from {}).",
            ctx.date.get(..10).unwrap_or(&ctx.date),
            rerun.join(", "),
            kept_groups.iter().copied().collect::<Vec<_>>().join(", ")
        ));
        old_date.unwrap_or_else(|| ctx.date.clone())
    } else {
        ctx.date.clone()
    };
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
    let meta = Meta {
        title: Some(info.title.unwrap_or_else(|| stem.to_string())),
        description: info.description,
        source: Some(format!(
            "versus bench, from {}",
            super::DEFINITIONS.trim_start_matches("content/")
        )),
        date: Some(date),
        machine: Some(ctx.machine.clone()),
        os: Some(ctx.os.clone()),
        versions,
        notes: Some(notes.join(" ")),
    };

    let mut csv_text = Vec::new();
    {
        let mut w = csv::Writer::from_writer(&mut csv_text);
        let io = |e: csv::Error| Error::io(&csv_path, std::io::Error::other(e.to_string()));
        w.write_record(COLUMNS).map_err(io)?;
        for r in &rows {
            w.write_record(r).map_err(io)?;
        }
        w.flush().at(&csv_path)?;
    }
    let meta_text = format!(
        "# Written by `versus bench`; see docs/bench.md.\n{}",
        toml::to_string(&meta)
            .map_err(|e| Error::io(&meta_file, std::io::Error::other(e.to_string())))?
    );
    if let Some(dir) = csv_path.parent() {
        std::fs::create_dir_all(dir).at(dir)?;
    }
    // Both temporary files first; then the renames.
    let csv_tmp = write_temp(&csv_path, &csv_text)?;
    let meta_tmp = match write_temp(&meta_file, meta_text.as_bytes()) {
        Ok(t) => t,
        Err(e) => {
            let _ = std::fs::remove_file(&csv_tmp);
            return Err(e);
        }
    };
    if let Err(e) = std::fs::rename(&csv_tmp, &csv_path) {
        let _ = std::fs::remove_file(&csv_tmp);
        let _ = std::fs::remove_file(&meta_tmp);
        return Err(Error::io(&csv_path, e));
    }
    std::fs::rename(&meta_tmp, &meta_file).map_err(|e| {
        let _ = std::fs::remove_file(&meta_tmp);
        Error::io(&meta_file, e)
    })?;
    Ok(Written {
        csv: csv_path,
        meta: meta_file,
        rows: rows.len(),
        missing: records.iter().filter(|r| r.value.is_none()).count(),
        dropped,
    })
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

/// Reads an existing results CSV into rows of [`COLUMNS`] (whatever order
/// its own columns are in; absent columns are empty).
fn read_rows(text: &str) -> std::result::Result<Vec<Row>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| e.to_string())?
        .iter()
        .map(str::to_string)
        .collect();
    if let Some(h) = headers.iter().find(|h| !COLUMNS.contains(&h.as_str())) {
        return Err(format!("unknown column `{h}`"));
    }
    let mut rows = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| e.to_string())?;
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

    #[test]
    fn meta_beside_csv() {
        assert_eq!(
            meta_path(Path::new("a/results/cpu.csv")),
            Path::new("a/results/cpu.meta.toml")
        );
    }
}
