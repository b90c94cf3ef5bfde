//! `versus bench`: runs the benchmarks defined in
//! content/benchmarks/benchmarks.toml and writes their results files.

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::bench::define::Benchmark;
use crate::bench::results::{self, Context};
use crate::bench::run::{self, Report};
use crate::bench::{self as b, exec, machine};
use crate::cli::BenchArgs;
use crate::diagnostic::closest;
use crate::error::{Error, Result};

pub fn run(args: &BenchArgs) -> Result<()> {
    let mut suite = b::load(&args.root)?;
    if args.list {
        list(&suite);
        return Ok(());
    }
    // Which benchmarks, in definition order.
    for name in &args.names {
        if !suite.benchmarks.iter().any(|x| &x.name == name) {
            let names: Vec<&str> = suite.benchmarks.iter().map(|x| x.name.as_str()).collect();
            let hint = match closest(name, names.iter().copied()) {
                Some(c) => format!("did you mean `{c}`?"),
                None => format!("the benchmarks are: {}", names.join(", ")),
            };
            return Err(Error::Usage(format!("no benchmark `{name}`: {hint}")));
        }
    }
    let selection = select_runtimes(&suite, &args.runtimes)?;
    for bench in &mut suite.benchmarks {
        if let Some(r) = args.runs {
            bench.runs = r;
        }
        if let Some(w) = args.warmup {
            bench.warmup = w;
        }
    }
    let chosen: Vec<&Benchmark> = suite
        .benchmarks
        .iter()
        .filter(|x| args.names.is_empty() || args.names.contains(&x.name))
        .filter(|x| selection.covers(x))
        .collect();
    if chosen.is_empty() {
        return Err(Error::Usage(if args.runtimes.is_empty() {
            format!("{} defines no benchmark", b::DEFINITIONS)
        } else {
            format!(
                "no benchmark chosen has a subject on {}",
                args.runtimes.join(", ")
            )
        }));
    }

    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = Arc::clone(&stop);
        // If another handler is already installed (tests calling this
        // twice), Ctrl-C keeps its default meaning.
        let _ = ctrlc::set_handler(move || stop.store(true, Ordering::SeqCst));
    }
    let started = Instant::now();
    let progress = Progress::new(!args.quiet, run::planned_runs(&chosen, &selection));

    // The runtimes.
    let found = run::probe(&suite.runtimes, &suite.environment);
    let mut ctx = Context {
        date: machine::iso_utc(SystemTime::now()),
        machine: machine::machine(),
        os: machine::os(),
        load: machine::load_average(),
        environment: suite.environment.describe(),
        ..Context::default()
    };
    progress.line(&format!("machine: {}", ctx.machine));
    progress.line(&format!("os: {}", ctx.os));
    if let Some(load) = &ctx.load {
        progress.line(&format!("load averages: {load}"));
    }
    for (k, (rt, f)) in suite.runtimes.iter().zip(&found).enumerate() {
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
        let program = rt
            .executable
            .as_ref()
            .map_or(rt.program.clone(), |e| e.display().to_string());
        match (&f.path, &f.version) {
            (None, _) if rt.optional => progress.line(&format!(
                "{label}: {program} not found (optional: its subjects are left out)"
            )),
            (None, _) => progress.line(&format!(
                "{label}: {program} not found: its subjects are recorded as missing"
            )),
            (Some(path), version) => {
                let exe = f.executable.as_deref().unwrap_or(path);
                progress.line(&format!(
                    "{label}: {} ({})",
                    version.as_deref().unwrap_or("version unknown"),
                    exe.display()
                ));
                if let Some(v) = version {
                    ctx.runtimes.insert(
                        rt.id.clone(),
                        results::RunRuntime {
                            name: rt.name.clone(),
                            version: v.clone(),
                        },
                    );
                }
                if let Some(exe) = &f.executable {
                    ctx.executables.push((rt.id.clone(), exe.clone()));
                }
            }
        }
        if let Some(p) = &f.problem {
            progress.line(&format!("warning: {label}: {p}"));
        }
    }

    // Two versions of a runtime that turn out to be the same version write
    // lines no one can tell apart: say so before measuring.
    let mut seen: Vec<(&str, &str, &str)> = Vec::new();
    for (id, rt) in &ctx.runtimes {
        if let Some((other, ..)) = seen
            .iter()
            .find(|(_, n, v)| *n == rt.name && *v == rt.version)
        {
            progress.line(&format!(
                "warning: runtimes `{other}` and `{id}` are both {} {}: their lines will be merged",
                rt.name, rt.version
            ));
        }
        seen.push((id, &rt.name, &rt.version));
    }

    // Results files in order of first use; each is written once all its
    // chosen benchmarks have run.
    let mut stems: Vec<&str> = Vec::new();
    for x in &chosen {
        if !stems.contains(&x.results.as_str()) {
            stems.push(&x.results);
        }
    }
    let mut failed = Vec::new();
    let mut written = 0;
    for stem in stems {
        let group: Vec<&Benchmark> = chosen
            .iter()
            .copied()
            .filter(|x| x.results == stem)
            .collect();
        let mut records = Vec::new();
        let mut guarded = run::Guarded::default();
        for bench in &group {
            let label = match bench.instances.as_slice() {
                [one] => one.label.clone(),
                many => format!("{} ({} variants)", bench.name, many.len()),
            };
            progress.line(&format!("{} [{label}] -> {stem}.csv", bench.name));
            match run::benchmark(
                &suite,
                &found,
                bench,
                &selection,
                &stop,
                &progress,
                &mut guarded,
            ) {
                Ok(r) => records.extend(r),
                Err(run::Stopped) => {
                    progress.finish();
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
            }
        }
        let rerun: Vec<&str> = group.iter().map(|x| x.name.as_str()).collect();
        let mut ctx = ctx.clone();
        if let Some(q) = &suite.quiet {
            ctx.quiet = Some(format!(
                "Runs started once other programs used at most {} CPUs ({} s of waiting in all); {} runs were repeated because other programs used more during them; {} measured runs were kept although disturbed",
                q.max_other,
                guarded.waited.as_secs(),
                guarded.repeated,
                guarded.disturbed
            ));
            if guarded.disturbed > 0 {
                progress.line(&format!(
                    "warning: {} measured runs for {stem}.csv were disturbed by other programs",
                    guarded.disturbed
                ));
            }
        }
        match results::write(&suite, stem, &rerun, &records, &ctx, args.fresh) {
            Ok(w) => {
                written += 1;
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
                progress.line(&line);
            }
            Err(e) => {
                progress.line(&format!("error: {e}"));
                failed.push(e);
            }
        }
    }
    progress.finish();
    let took = started.elapsed();
    eprintln!(
        "ran {} benchmark{} in {}",
        chosen.len(),
        if chosen.len() == 1 { "" } else { "s" },
        exec::seconds(Duration::from_secs(took.as_secs()))
    );
    match failed.len() {
        0 => Ok(()),
        1 => Err(failed.remove(0)),
        n => Err(Error::Usage(format!(
            "{n} results files were left as they were (see above)"
        ))),
    }
}

/// The runtimes named with `--runtime`, by id (or by name: all its versions).
fn select_runtimes(suite: &b::Suite, wanted: &[String]) -> Result<run::Selection> {
    if wanted.is_empty() {
        return Ok(run::Selection::default());
    }
    let mut chosen = std::collections::BTreeSet::new();
    for w in wanted {
        let hits: Vec<usize> = (0..suite.runtimes.len())
            .filter(|&i| suite.runtimes[i].id == *w || suite.runtimes[i].name == *w)
            .collect();
        if hits.is_empty() {
            let ids: Vec<&str> = suite.runtimes.iter().map(|r| r.id.as_str()).collect();
            let hint = match closest(w, ids.iter().copied()) {
                Some(c) => format!("did you mean `{c}`?"),
                None => format!("the runtimes are: {}", ids.join(", ")),
            };
            return Err(Error::Usage(format!("no runtime `{w}`: {hint}")));
        }
        chosen.extend(hits);
    }
    Ok(run::Selection {
        runtimes: Some(chosen),
    })
}

fn list(suite: &b::Suite) {
    let mut out = std::io::stdout().lock();
    for rt in &suite.runtimes {
        let exe = rt
            .executable
            .as_ref()
            .map_or(rt.program.clone(), |e| e.display().to_string());
        let _ = writeln!(
            out,
            "runtime {}: {} ({exe}){}",
            rt.id,
            rt.name,
            if rt.optional { ", optional" } else { "" }
        );
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
        let _ = writeln!(
            out,
            "{}  -> {}.csv: {}; {}; {} runs after {} warm-up; {}",
            x.name,
            x.results,
            labels.join(", "),
            subjects.join(", "),
            x.runs,
            x.warmup,
            metrics.join(", ")
        );
        if let Some(d) = &x.description {
            let _ = writeln!(out, "    {d}");
        }
    }
}

/// Progress on stderr: a bar on a terminal (with lines printed above it),
/// plain lines otherwise.
struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    fn new(enabled: bool, total: u64) -> Self {
        let bar = (enabled && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            if let Ok(style) =
                ProgressStyle::with_template("[{bar:25}] {pos}/{len} runs, {elapsed} {wide_msg}")
            {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Self { bar }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Report for Progress {
    fn step(&self, what: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(what.to_string());
        }
    }

    fn advance(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    fn line(&self, text: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{text}")),
            None => eprintln!("{text}"),
        }
    }
}
