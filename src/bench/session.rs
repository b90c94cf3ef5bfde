//! One `versus bench`: choose the benchmarks and runtimes asked for, find
//! the runtimes, run the benchmarks of each results file, and write it.
//! A results file is written only once all its chosen benchmarks ran; an
//! interrupted run leaves it as it was.

use std::collections::BTreeSet;
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

use super::define::DEFINITIONS;
use super::define::{Benchmark, Quiet, Suite};
use super::merge::{self, Context, Written};
use super::report::RunBar;
use super::run::{self, Found, Guarded, Observer, Selection};
use super::{exec, machine};
use crate::report::diagnostic::closest;
use crate::report::error::{Error, Result};

/// How many times the calibration loop is timed at the start of a run.
const CALIBRATION_RUNS: usize = 5;

/// What to run, from the command line.
#[derive(Debug, Default)]
pub struct Request {
    /// Benchmarks by name; empty for all.
    pub names: Vec<String>,
    /// Runtimes by id or name; empty for all.
    pub runtimes: Vec<String>,
    /// Measured runs and warm-up runs, replacing the definitions'.
    pub runs: Option<u32>,
    pub warmup: Option<u32>,
    /// Drop the results file's old lines instead of merging.
    pub fresh: bool,
    /// Show a progress bar on a terminal.
    pub progress: bool,
}

/// Runs what `req` asks for and writes the results files.
pub fn run(mut suite: Suite, req: &Request) -> Result<()> {
    check_names(&suite, &req.names)?;
    let selection = select_runtimes(&suite, &req.runtimes)?;
    for bench in &mut suite.benchmarks {
        bench.runs = req.runs.unwrap_or(bench.runs);
        bench.warmup = req.warmup.unwrap_or(bench.warmup);
    }
    let chosen = choose(&suite, req, &selection)?;

    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = Arc::clone(&stop);
        // If another handler is already installed (tests calling this
        // twice), Ctrl-C keeps its default meaning.
        let _ = ctrlc::set_handler(move || stop.store(true, Ordering::SeqCst));
    }
    let started = Instant::now();
    let bar = RunBar::new(req.progress, run::planned_runs(&chosen, &selection));
    let found = run::probe(&suite.runtimes, &suite.environment);
    let mut ctx = context(&suite, &found, &chosen, &selection, &bar);
    match run::calibrate_quietly(suite.quiet.as_ref(), CALIBRATION_RUNS, &stop, &bar) {
        Ok(c) => {
            bar.line(&format!(
                "calibration: {:.1} ms (median of {}, {} build{})",
                c.median_ms,
                c.runs_ms.len(),
                c.build,
                c.other_cpus
                    .map(|x| format!(", other programs used {x:.2} CPUs"))
                    .unwrap_or_default()
            ));
            ctx.calibration = Some(c);
        }
        Err(run::Stopped) => {
            bar.finish();
            return Err(Error::Usage("interrupted before anything was run".into()));
        }
    }
    let runner = Runner {
        suite: &suite,
        found: &found,
        selection: &selection,
        stop: &stop,
        bar: &bar,
        ctx: &ctx,
        fresh: req.fresh,
    };

    let mut failed = Vec::new();
    let mut written = 0;
    for stem in results_files(&chosen) {
        let group: Vec<&Benchmark> = chosen
            .iter()
            .copied()
            .filter(|x| x.results == stem)
            .collect();
        match runner.results_file(stem, &group) {
            Err(run::Stopped) => {
                bar.finish();
                return Err(Error::Usage(format!(
                    "interrupted: {} is left as it was{}",
                    suite.results_csv(stem).display(),
                    if written > 0 {
                        " (results files finished before were written)"
                    } else {
                        ""
                    }
                )));
            }
            Ok(Ok(w)) => {
                written += 1;
                bar.line(&written_line(&w));
            }
            Ok(Err(e)) => {
                bar.line(&format!("error: {e}"));
                failed.push(e);
            }
        }
    }
    bar.finish();
    eprintln!(
        "ran {} benchmark{} in {}",
        chosen.len(),
        if chosen.len() == 1 { "" } else { "s" },
        exec::seconds(Duration::from_secs(started.elapsed().as_secs()))
    );
    match failed.len() {
        0 => Ok(()),
        1 => Err(failed.remove(0)),
        n => Err(Error::Usage(format!(
            "{n} results files were left as they were (see above)"
        ))),
    }
}

/// Every name asked for is a benchmark's.
fn check_names(suite: &Suite, names: &[String]) -> Result<()> {
    let known: Vec<&str> = suite.benchmarks.iter().map(|x| x.name.as_str()).collect();
    match names.iter().find(|n| !known.contains(&n.as_str())) {
        None => Ok(()),
        Some(name) => Err(unknown("benchmark", name, &known, "the benchmarks are")),
    }
}

/// "no benchmark `fob`: did you mean `fib`?"
fn unknown(kind: &str, name: &str, known: &[&str], list: &str) -> Error {
    let hint = match closest(name, known.iter().copied()) {
        Some(c) => format!("did you mean `{c}`?"),
        None => format!("{list}: {}", known.join(", ")),
    };
    Error::Usage(format!("no {kind} `{name}`: {hint}"))
}

/// The runtimes named with `--runtime`, by id (or by name: all its versions).
fn select_runtimes(suite: &Suite, wanted: &[String]) -> Result<Selection> {
    if wanted.is_empty() {
        return Ok(Selection::default());
    }
    let mut chosen = BTreeSet::new();
    for w in wanted {
        let hits: Vec<usize> = (0..suite.runtimes.len())
            .filter(|&i| suite.runtimes[i].id == *w || suite.runtimes[i].name == *w)
            .collect();
        if hits.is_empty() {
            let ids: Vec<&str> = suite.runtimes.iter().map(|r| r.id.as_str()).collect();
            return Err(unknown("runtime", w, &ids, "the runtimes are"));
        }
        chosen.extend(hits);
    }
    Ok(Selection {
        runtimes: Some(chosen),
    })
}

/// The benchmarks to run, in definition order.
fn choose<'s>(
    suite: &'s Suite,
    req: &Request,
    selection: &Selection,
) -> Result<Vec<&'s Benchmark>> {
    let chosen: Vec<&Benchmark> = suite
        .benchmarks
        .iter()
        .filter(|x| req.names.is_empty() || req.names.contains(&x.name))
        .filter(|x| selection.covers(x))
        .collect();
    if !chosen.is_empty() {
        return Ok(chosen);
    }
    Err(Error::Usage(if req.runtimes.is_empty() {
        format!("{DEFINITIONS} defines no benchmark")
    } else {
        format!(
            "no benchmark chosen has a subject on {}",
            req.runtimes.join(", ")
        )
    }))
}

/// The results files, in order of first use.
fn results_files<'s>(chosen: &[&'s Benchmark]) -> Vec<&'s str> {
    let mut stems: Vec<&str> = Vec::new();
    for x in chosen {
        if !stems.contains(&x.results.as_str()) {
            stems.push(&x.results);
        }
    }
    stems
}

/// Where this run measures: the machine, and the runtimes found (each
/// shown on a line as it is found).
fn context(
    suite: &Suite,
    found: &[Found],
    chosen: &[&Benchmark],
    selection: &Selection,
    bar: &RunBar,
) -> Context {
    let mut ctx = Context {
        date: machine::iso_utc(SystemTime::now()),
        machine: machine::machine(),
        os: machine::os(),
        load: machine::load_average(),
        environment: suite.environment.describe(),
        hardware: Some(machine::hardware()),
        ..Context::default()
    };
    bar.line(&format!("machine: {}", ctx.machine));
    if let Some(h) = &ctx.hardware {
        bar.line(&format!("cpu: {}", h.details()));
    }
    bar.line(&format!("os: {}", ctx.os));
    if let Some(load) = &ctx.load {
        bar.line(&format!("load averages: {load}"));
    }
    for (k, (rt, f)) in suite.runtimes.iter().zip(found).enumerate() {
        let used = chosen
            .iter()
            .flat_map(|x| &x.instances)
            .flat_map(|i| &i.subjects)
            .any(|s| selection.variants(s).contains(&Some(k)));
        if !used {
            continue;
        }
        let label = if suite.runtimes.iter().filter(|r| r.name == rt.name).count() > 1 {
            format!("{} ({})", rt.name, rt.id)
        } else {
            rt.name.clone()
        };
        bar.line(&found_line(&label, rt, f));
        if let (Some(_), Some(v)) = (&f.path, &f.version) {
            let runtime = merge::RunRuntime {
                name: rt.name.clone(),
                version: v.clone(),
            };
            ctx.runtimes.insert(rt.id.clone(), runtime);
        }
        if let (Some(_), Some(exe)) = (&f.path, &f.executable) {
            ctx.executables.push((rt.id.clone(), exe.clone()));
        }
        if let Some(p) = &f.problem {
            bar.line(&format!("warning: {label}: {p}"));
        }
    }
    warn_same_versions(&ctx, bar);
    ctx
}

/// "Python 3.13: 3.13.0 (/usr/bin/python3.13)", or why it is missing.
fn found_line(label: &str, rt: &super::define::Runtime, f: &Found) -> String {
    let program = rt
        .executable
        .as_ref()
        .map_or(rt.program.clone(), |e| e.display().to_string());
    match (&f.path, &f.version) {
        (None, _) if rt.optional => {
            format!("{label}: {program} not found (optional: its subjects are left out)")
        }
        (None, _) => format!("{label}: {program} not found: its subjects are recorded as missing"),
        (Some(path), version) => format!(
            "{label}: {} ({})",
            version.as_deref().unwrap_or("version unknown"),
            f.executable.as_deref().unwrap_or(path).display()
        ),
    }
}

/// Two versions of a runtime that turn out to be the same version write
/// lines no one can tell apart: say so before measuring.
fn warn_same_versions(ctx: &Context, bar: &RunBar) {
    let mut seen: Vec<(&str, &str, &str)> = Vec::new();
    for (id, rt) in &ctx.runtimes {
        if let Some((other, ..)) = seen
            .iter()
            .find(|(_, n, v)| *n == rt.name && *v == rt.version)
        {
            bar.line(&format!(
                "warning: runtimes `{other}` and `{id}` are both {} {}: their lines will be merged",
                rt.name, rt.version
            ));
        }
        seen.push((id, &rt.name, &rt.version));
    }
}

/// What every results file of one run shares.
struct Runner<'a> {
    suite: &'a Suite,
    found: &'a [Found],
    selection: &'a Selection,
    stop: &'a AtomicBool,
    bar: &'a RunBar,
    ctx: &'a Context,
    fresh: bool,
}

impl Runner<'_> {
    /// Runs `group`, the chosen benchmarks of results file `stem`, and
    /// writes it. The outer error is Ctrl-C, the inner one a failed write.
    fn results_file(
        &self,
        stem: &str,
        group: &[&Benchmark],
    ) -> std::result::Result<Result<Written>, run::Stopped> {
        let mut records = Vec::new();
        let mut guarded = Guarded::default();
        for bench in group {
            let label = match bench.instances.as_slice() {
                [one] => one.label.clone(),
                many => format!("{} ({} variants)", bench.name, many.len()),
            };
            self.bar
                .line(&format!("{} [{label}] -> {stem}.csv", bench.name));
            records.extend(run::benchmark(
                self.suite,
                self.found,
                bench,
                self.selection,
                self.stop,
                self.bar,
                &mut guarded,
            )?);
        }
        let rerun: Vec<&str> = group.iter().map(|x| x.name.as_str()).collect();
        let mut ctx = self.ctx.clone();
        if let Some(q) = &self.suite.quiet {
            ctx.quiet = Some(quiet_note(q, &guarded));
            if guarded.disturbed > 0 {
                self.bar.line(&format!(
                    "warning: {} measured runs for {stem}.csv were disturbed by other programs",
                    guarded.disturbed
                ));
            }
        }
        Ok(merge::write(
            self.suite, stem, &rerun, &records, &ctx, self.fresh,
        ))
    }
}

/// What the quiet guard did, for the results' metadata.
fn quiet_note(q: &Quiet, guarded: &Guarded) -> String {
    format!(
        "Runs started once other programs used at most {} CPUs ({} s of waiting in all); {} runs were repeated because other programs used more during them; {} measured runs were kept although disturbed",
        q.max_other,
        guarded.waited.as_secs(),
        guarded.repeated,
        guarded.disturbed
    )
}

/// "wrote content/benchmarks/fib.csv (12 lines) and fib.meta.toml; ..."
fn written_line(w: &Written) -> String {
    let mut line = format!(
        "wrote {} ({} lines) and {}",
        w.csv.display(),
        w.rows,
        w.meta.file_name().unwrap_or_default().to_string_lossy()
    );
    if w.replaced > 0 {
        line.push_str(&format!("; replaced {} old lines", w.replaced));
    }
    if w.missing > 0 {
        line.push_str(&format!("; {} missing", w.missing));
    }
    if w.dropped > 0 {
        line.push_str(&format!(
            "; dropped {} lines of benchmarks no longer defined",
            w.dropped
        ));
    }
    line
}

/// `versus bench --list`: the runtimes and benchmarks, a line each.
pub fn list(suite: &Suite, out: &mut impl Write) -> std::io::Result<()> {
    for rt in &suite.runtimes {
        let exe = rt
            .executable
            .as_ref()
            .map_or(rt.program.clone(), |e| e.display().to_string());
        writeln!(
            out,
            "runtime {}: {} ({exe}){}",
            rt.id,
            rt.name,
            if rt.optional { ", optional" } else { "" }
        )?;
    }
    for x in &suite.benchmarks {
        let labels: Vec<&str> = x.instances.iter().map(|i| i.label.as_str()).collect();
        let mut subjects: Vec<&str> = Vec::new();
        for s in x.instances.iter().flat_map(|i| &i.subjects) {
            if !subjects.contains(&s.name.as_str()) {
                subjects.push(&s.name);
            }
        }
        let metrics: Vec<&str> = x.measures.iter().map(|m| m.metric.as_str()).collect();
        writeln!(
            out,
            "{}  -> {}.csv: {}; {}; {} runs after {} warm-up; {}",
            x.name,
            x.results,
            labels.join(", "),
            subjects.join(", "),
            x.runs,
            x.warmup,
            metrics.join(", ")
        )?;
        if let Some(d) = &x.description {
            writeln!(out, "    {d}")?;
        }
    }
    Ok(())
}
