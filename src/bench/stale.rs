//! Whether committed results still describe this machine: results age, and
//! runtimes get upgraded. `versus check` reports what [`staleness`] finds;
//! [`check_results`] does the whole check for a site.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::define::{self, Environment, Runtime};
use super::machine::{days_of, days_since_epoch};
use crate::data::results::Meta;
use crate::report::error::{Error, Result};

/// How old results may be, in days, when neither the caller nor the
/// definitions (`max_age_days`) say.
pub const DEFAULT_MAX_AGE_DAYS: u64 = 365;

/// One problem with a results file's metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    /// What it is about: the measuring date, or a runtime's version.
    pub kind: StaleKind,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaleKind {
    /// The `date` is missing, unreadable, in the future or too old.
    Age,
    /// The runtime named in `versions` is installed in another version now,
    /// or not at all.
    Runtime(String),
    /// A results CSV has no `.meta.toml`.
    NoMeta,
    /// Its lines come from runs on different machines.
    Machines,
    /// Its runs timed the calibration loop more than
    /// [`CALIBRATION_TOLERANCE`] apart: the run at this index of `runs` is
    /// the one furthest from the fastest.
    Calibration(usize),
}

/// How far apart (as a fraction of the faster) the calibrations of the runs
/// in one results file may be before `versus check` warns.
pub const CALIBRATION_TOLERANCE: f64 = 0.10;

impl Stale {
    fn new(kind: StaleKind, message: String) -> Self {
        Self { kind, message }
    }
}

/// Problems with the metadata of one results file, empty when there are
/// none:
///
/// - its `date` is missing, unreadable, in the future, or more than
///   `max_age_days` days before `now`;
/// - a runtime it records in `versions` is installed now in another version,
///   or not installed at all.
///
/// `installed` maps runtime names (`Node.js`, as in the definitions'
/// `[[runtime]]` tables) to the version installed now, `None` when the
/// runtime is not installed; see [`installed_versions`]. Only keys of
/// `meta.versions` that are runtime names are compared: subjects named
/// otherwise (`Python asyncio`) are not runtimes. The function is pure: it
/// runs nothing and reads nothing.
pub fn staleness(
    meta: &Meta,
    now: SystemTime,
    max_age_days: u64,
    installed: &BTreeMap<String, Option<String>>,
) -> Vec<Stale> {
    let mut out = Vec::new();
    out.extend(age(meta.date.as_deref(), now, max_age_days));
    out.extend(runtime_changes(meta, installed));
    out.extend(several_machines(meta));
    out.extend(calibrations_apart(meta));
    out
}

/// A problem when two runs that timed the same calibration loop (same
/// workload, same build of versus) took more than [`CALIBRATION_TOLERANCE`]
/// longer one than the other: the machine ran the same code at another
/// speed, so their figures do not compare.
fn calibrations_apart(meta: &Meta) -> Option<Stale> {
    let timed: Vec<(usize, &crate::data::machine::Calibration)> = meta
        .runs
        .iter()
        .enumerate()
        .filter_map(|(i, r)| r.calibration.as_ref().map(|c| (i, c)))
        .filter(|(_, c)| c.median_ms > 0.0)
        .collect();
    let mut worst: Option<(f64, usize, usize)> = None;
    for (i, a) in &timed {
        for (j, b) in &timed {
            if !a.compares_with(b) || a.median_ms > b.median_ms {
                continue;
            }
            let apart = b.median_ms / a.median_ms - 1.0;
            if apart > CALIBRATION_TOLERANCE && worst.is_none_or(|w| apart > w.0) {
                worst = Some((apart, *i, *j));
            }
        }
    }
    let (apart, fast, slow) = worst?;
    let describe = |k: usize| {
        let run = &meta.runs[k];
        let ms = run.calibration.as_ref().map_or(0.0, |c| c.median_ms);
        let day = run.date.as_deref().map_or("", |d| d.get(..10).unwrap_or(d));
        format!("{ms:.1} ms ({day})")
    };
    Some(Stale::new(
        StaleKind::Calibration(slow),
        format!(
            "the runs timed the calibration loop {:.0}% apart, {} against {}: the machine ran at another speed, so their figures do not compare",
            apart * 100.0,
            describe(fast),
            describe(slow)
        ),
    ))
}

/// What is wrong with the measuring `date`, if anything: missing,
/// unreadable, in the future, or more than `max_age_days` days before `now`.
fn age(date: Option<&str>, now: SystemTime, max_age_days: u64) -> Option<Stale> {
    let message = match date {
        None => "no `date`: when these results were measured is unknown".into(),
        Some(d) => match days_of(d) {
            None => format!("`date` {d:?} is not a YYYY-MM-DD date"),
            Some(day) => {
                let max = i64::try_from(max_age_days).unwrap_or(i64::MAX);
                let days = days_since_epoch(now) - day;
                if days < 0 {
                    format!("measured on {}, which is in the future", &d[..10])
                } else if days > max {
                    format!(
                        "measured on {}, {days} days ago (older than {max_age_days} days)",
                        &d[..10]
                    )
                } else {
                    return None;
                }
            }
        },
    };
    Some(Stale::new(StaleKind::Age, message))
}

/// Each runtime as its latest run measured it (by id), or as the file's
/// `versions` record it (by runtime name) when it records no runs: (key,
/// runtime name, version), in key order.
fn measured_runtimes(meta: &Meta) -> Vec<(String, String, String)> {
    if meta.runs.is_empty() {
        return meta
            .versions
            .iter()
            .map(|(name, v)| (name.clone(), name.clone(), v.clone()))
            .collect();
    }
    let mut latest: BTreeMap<&str, (&str, &str)> = BTreeMap::new();
    for run in &meta.runs {
        for (id, rt) in &run.runtimes {
            latest.insert(id, (&rt.name, &rt.version));
        }
    }
    latest
        .into_iter()
        .map(|(id, (name, v))| (id.to_string(), name.to_string(), v.to_string()))
        .collect()
}

/// A problem for each runtime measured that is now installed in another
/// version, or not at all; runtimes `installed` does not know are skipped.
fn runtime_changes(meta: &Meta, installed: &BTreeMap<String, Option<String>>) -> Vec<Stale> {
    let mut out = Vec::new();
    for (key, name, measured) in &measured_runtimes(meta) {
        let label = if key == name {
            name.clone()
        } else {
            format!("{name} ({key})")
        };
        let message = match installed.get(key) {
            Some(Some(now)) if now != measured => {
                format!("measured with {label} {measured}, but {name} {now} is installed now")
            }
            Some(None) => format!("measured with {label} {measured}, which is not installed now"),
            _ => continue,
        };
        out.push(Stale::new(StaleKind::Runtime(key.clone()), message));
    }
    out
}

/// A problem when the runs were made on more than one machine, listing each
/// machine with the day of its first run.
fn several_machines(meta: &Meta) -> Option<Stale> {
    let mut machines: Vec<(&str, &str)> = Vec::new();
    for run in &meta.runs {
        if let Some(m) = run.machine.as_deref() {
            if !machines.iter().any(|(x, _)| *x == m) {
                let day = run.date.as_deref().map_or("", |d| d.get(..10).unwrap_or(d));
                machines.push((m, day));
            }
        }
    }
    if machines.len() <= 1 {
        return None;
    }
    let list: Vec<String> = machines
        .iter()
        .map(|(m, day)| format!("{m} ({day})"))
        .collect();
    Some(Stale::new(
        StaleKind::Machines,
        format!(
            "lines measured on different machines, whose figures do not compare: {}",
            list.join("; ")
        ),
    ))
}

/// The version of each runtime installed now, by runtime id (and by name
/// where one runtime has it): runs each
/// runtime's version command (`node --version`) in `env` (the suite's
/// `environment`, whose PATH decides which runtime is found). `None` for a runtime whose
/// program is not on PATH or whose version cannot be read.
pub fn installed_versions(
    runtimes: &[Runtime],
    env: &Environment,
) -> BTreeMap<String, Option<String>> {
    let found = super::run::probe(runtimes, env);
    let mut out = BTreeMap::new();
    for (rt, f) in runtimes.iter().zip(found) {
        // By name too, for files that record versions by runtime name,
        // when the name is that of one runtime only.
        if runtimes.iter().filter(|r| r.name == rt.name).count() == 1 {
            out.insert(rt.name.clone(), f.version.clone());
        }
        out.insert(rt.id.clone(), f.version);
    }
    out
}

/// Checks every `*.meta.toml` in the results folder of the site at `root`
/// against today and the runtimes installed now. Returns the problems with
/// the file each is about. A results CSV without a `.meta.toml` is a
/// problem too. A site without benchmark definitions has none.
///
/// `max_age_days` overrides the definitions' `max_age_days`, which
/// overrides [`DEFAULT_MAX_AGE_DAYS`].
pub fn check_results(
    root: &Path,
    now: SystemTime,
    max_age_days: Option<u64>,
) -> Result<Vec<(PathBuf, Stale)>> {
    if !root.join(super::define::DEFINITIONS).is_file() {
        return Ok(Vec::new());
    }
    let suite = define::load(root)?;
    let max = max_age_days
        .or(suite.max_age_days)
        .unwrap_or(DEFAULT_MAX_AGE_DAYS);
    let installed = installed_versions(&suite.runtimes, &suite.environment);
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(&suite.results_dir) else {
        return Ok(out);
    };
    let mut csvs: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .collect();
    csvs.sort();
    for csv in csvs {
        let meta_file = super::merge::meta_path(&csv);
        let Ok(text) = std::fs::read_to_string(&meta_file) else {
            let message = format!(
                "no {}: when and on what these results were measured is unknown",
                meta_file.file_name().unwrap_or_default().to_string_lossy()
            );
            out.push((csv.clone(), Stale::new(StaleKind::NoMeta, message)));
            continue;
        };
        let meta: Meta = toml::from_str(&text).map_err(|e| {
            Error::io(
                &meta_file,
                std::io::Error::other(e.message().trim().to_string()),
            )
        })?;
        for problem in staleness(&meta, now, max, &installed) {
            out.push((meta_file.clone(), problem));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    fn meta(date: Option<&str>, versions: &[(&str, &str)]) -> Meta {
        Meta {
            date: date.map(str::to_string),
            versions: versions
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..Meta::default()
        }
    }

    fn day(n: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(n * 86_400 + 3_600)
    }

    fn messages(found: Vec<Stale>) -> Vec<String> {
        found.into_iter().map(|s| s.message).collect()
    }

    fn installed(pairs: &[(&str, Option<&str>)]) -> BTreeMap<String, Option<String>> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.map(str::to_string)))
            .collect()
    }

    #[test]
    fn fresh_results_with_the_same_versions_are_fine() {
        let m = meta(
            Some("2024-03-01T10:00:00Z"),
            &[("Node.js", "v20.1.0"), ("Python asyncio", "3.11.7")],
        );
        let now = day(19_783 + 10); // 2024-03-11
        let inst = installed(&[("Node.js", Some("v20.1.0")), ("Python", Some("3.12.0"))]);
        assert!(staleness(&m, now, 30, &inst).is_empty());
    }

    #[test]
    fn old_results_are_reported() {
        let m = meta(Some("2024-03-01"), &[]);
        let w = messages(staleness(&m, day(19_783 + 31), 30, &BTreeMap::new()));
        assert_eq!(w.len(), 1);
        assert!(w[0].contains("31 days ago (older than 30 days)"), "{w:?}");
        assert!(staleness(&m, day(19_783 + 30), 30, &BTreeMap::new()).is_empty());
        let w = messages(staleness(&m, day(19_780), 30, &BTreeMap::new()));
        assert!(w[0].contains("in the future"), "{w:?}");
    }

    #[test]
    fn missing_or_bad_dates_are_reported() {
        let w = messages(staleness(&meta(None, &[]), day(1), 30, &BTreeMap::new()));
        assert!(w[0].contains("no `date`"));
        let w = messages(staleness(
            &meta(Some("March"), &[]),
            day(1),
            30,
            &BTreeMap::new(),
        ));
        assert!(w[0].contains("not a YYYY-MM-DD"));
    }

    #[test]
    fn calibrations_more_than_a_tenth_apart_are_reported() {
        use crate::data::machine::Calibration;
        use crate::data::results::Run;
        let run = |day: &str, ms: f64, build: &str| Run {
            date: Some(day.to_string()),
            calibration: Some(Calibration {
                workload: "loop".into(),
                build: build.into(),
                median_ms: ms,
                runs_ms: vec![ms],
                other_cpus: None,
            }),
            ..Run::default()
        };
        let mut m = meta(Some("2026-12-01"), &[]);
        m.runs = vec![
            run("2026-12-01", 40.0, "release"),
            run("2026-12-02", 43.9, "release"),
        ];
        assert!(calibrations_apart(&m).is_none());
        // Another build, or a run without calibration, compares with none.
        m.runs.push(run("2026-12-03", 120.0, "debug"));
        m.runs.push(Run::default());
        assert!(calibrations_apart(&m).is_none());
        m.runs.push(run("2026-12-04", 46.0, "release"));
        let s = calibrations_apart(&m).unwrap();
        assert_eq!(s.kind, StaleKind::Calibration(4));
        assert_eq!(
            s.message,
            "the runs timed the calibration loop 15% apart, 40.0 ms (2026-12-01) against 46.0 ms (2026-12-04): the machine ran at another speed, so their figures do not compare"
        );
    }

    #[test]
    fn changed_or_missing_runtimes_are_reported() {
        let m = meta(
            Some("2024-03-01"),
            &[
                ("Node.js", "v20.1.0"),
                ("Python", "3.11.7"),
                ("PyPy", "7.3.11"),
            ],
        );
        let inst = installed(&[
            ("Node.js", Some("v22.0.0")),
            ("Python", Some("3.11.7")),
            ("PyPy", None),
        ]);
        let w = staleness(&m, day(19_783), 365, &inst);
        assert_eq!(w[0].kind, StaleKind::Runtime("Node.js".into()));
        assert_eq!(
            messages(w),
            vec![
                "measured with Node.js v20.1.0, but Node.js v22.0.0 is installed now",
                "measured with PyPy 7.3.11, which is not installed now",
            ]
        );
    }
}
