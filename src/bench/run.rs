//! Running benchmarks: find the runtimes and their versions, then for each
//! subject start its server (if any), run the warm-ups and the measured
//! runs, and turn every measured run into records. A subject that cannot be
//! measured (runtime or program missing, a failed run, a timeout) gives
//! records with no value and a note saying why, never a zero.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use super::define::{
    Benchmark, Environment, From, Instance, Measure, Quiet, Runtime, Subject, Suite, fill,
    split_words,
};
use super::exec::{self, Ended, Server};
use super::machine;
use crate::data::results::Better;
use crate::text::units;

/// One line of a results file.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub benchmark: String,
    pub subject: String,
    pub metric: String,
    pub unit: String,
    /// `None` for a missing result.
    pub value: Option<f64>,
    pub better: Better,
    pub version: Option<String>,
    pub note: Option<String>,
    /// The benchmark's name in the definitions.
    pub group: String,
}

/// A runtime as found on this machine.
#[derive(Debug, Clone, Default)]
pub struct Found {
    /// The program on PATH, `None` when it is missing.
    pub path: Option<PathBuf>,
    /// The version its version command printed.
    pub version: Option<String>,
    /// The real executable behind the program, when `resolve` found one.
    pub executable: Option<PathBuf>,
    /// Why the version could not be read, when it could not.
    pub problem: Option<String>,
}

/// Looks for every runtime and asks for its version (and executable).
pub fn probe(runtimes: &[Runtime], env: &Environment) -> Vec<Found> {
    runtimes.iter().map(|rt| probe_one(rt, env)).collect()
}

fn probe_one(rt: &Runtime, env: &Environment) -> Found {
    let path = match &rt.executable {
        Some(exe) => exec::which(&exe.to_string_lossy()),
        None => exec::which(&rt.program),
    };
    let Some(path) = path else {
        return Found::default();
    };
    let stop = AtomicBool::new(false);
    let ask = |cmd: &str| -> Result<String, AskError> {
        let mut argv = split_words(cmd).map_err(|e| AskError::Split(cmd.into(), e))?;
        // The version and resolve commands ask the runtime's own executable.
        if let Some(exe) = &rt.executable {
            for w in argv.iter_mut().filter(|w| **w == rt.program) {
                *w = exe.to_string_lossy().into_owned();
            }
        }
        let o = exec::run(
            &argv,
            std::path::Path::new("."),
            env,
            Duration::from_secs(30),
            false,
            &stop,
        )
        .map_err(|e| AskError::Run(cmd.into(), e))?;
        match o.failure() {
            Some(f) => Err(AskError::Failed(cmd.into(), f)),
            // Some runtimes (Python 2) print their version on stderr.
            None => Ok(format!("{}{}", o.stdout, o.stderr)),
        }
    };
    let version_cmd = rt
        .version
        .clone()
        .unwrap_or_else(|| format!("{} --version", rt.program));
    let mut found = Found {
        executable: rt.executable.as_ref().map(|_| path.clone()),
        path: Some(path),
        ..Found::default()
    };
    match ask(&version_cmd) {
        Ok(text) => match extract_version(&text, rt.version_pattern.as_deref()) {
            Some(v) => found.version = Some(v),
            None => {
                found.problem = Some(format!(
                    "no version in the output of `{version_cmd}`: {}",
                    exec::last_line(&text).unwrap_or_default()
                ));
            }
        },
        Err(e) => found.problem = Some(e.to_string()),
    }
    if let Some(cmd) = &rt.resolve {
        match ask(cmd) {
            Ok(text) => {
                let p = PathBuf::from(text.lines().next().unwrap_or("").trim());
                if p.is_absolute() && p.is_file() {
                    found.executable = Some(p);
                } else {
                    found.problem = Some(format!("`{cmd}` printed no executable's path"));
                }
            }
            Err(e) => found.problem = Some(e.to_string()),
        }
    }
    found
}

/// Why a runtime's version or resolve command gave no answer.
#[derive(Debug, thiserror::Error)]
enum AskError {
    #[error("`{0}`: {1}")]
    Split(String, super::define::SplitError),
    #[error("`{0}`: {1}")]
    Run(String, std::io::Error),
    /// It ran and failed (`exited with status 1: ...`).
    #[error("`{0}` {1}")]
    Failed(String, String),
}

/// The version in a version command's output: group 1 of `pattern`, or
/// the first non-blank line.
pub fn extract_version(output: &str, pattern: Option<&str>) -> Option<String> {
    match pattern {
        Some(p) => {
            let re = regex::Regex::new(p).ok()?;
            Some(re.captures(output)?.get(1)?.as_str().trim().to_string())
        }
        None => output
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .map(str::to_string),
    }
}

/// What the runner tells the person waiting.
pub trait Observer {
    /// A process run is about to start (`what`: "fib(35) · Python · run 2/5").
    fn step(&self, what: &str);
    /// A process run is over.
    fn advance(&self);
    /// A line worth keeping on screen (a subject's result, a problem).
    fn line(&self, text: &str);
}

/// The run was interrupted (Ctrl-C): nothing from it should be written.
#[derive(Debug)]
pub struct Stopped;

/// Which versions of the runtimes a run measures: all of them, or those
/// named with `--runtime` (and then no subject without a runtime).
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Indices into [`Suite::runtimes`]; `None` for all.
    pub runtimes: Option<std::collections::BTreeSet<usize>>,
}

impl Selection {
    /// The runtimes `subject` is measured on in this run, one entry per
    /// measurement (`None`: the subject has no runtime).
    pub fn variants(&self, subject: &Subject) -> Vec<Option<usize>> {
        match &self.runtimes {
            None if subject.runtimes.is_empty() => vec![None],
            None => subject.runtimes.iter().copied().map(Some).collect(),
            Some(chosen) => subject
                .runtimes
                .iter()
                .copied()
                .filter(|r| chosen.contains(r))
                .map(Some)
                .collect(),
        }
    }

    /// Whether the run measures anything of `bench`.
    pub fn covers(&self, bench: &Benchmark) -> bool {
        bench
            .instances
            .iter()
            .flat_map(|i| &i.subjects)
            .any(|s| !self.variants(s).is_empty())
    }
}

/// How many process runs `benchmarks` take, for a progress bar.
pub fn planned_runs(benchmarks: &[&Benchmark], selection: &Selection) -> u64 {
    benchmarks
        .iter()
        .map(|b| {
            let per_subject = u64::from(b.warmup + b.runs);
            b.instances
                .iter()
                .flat_map(|i| &i.subjects)
                .map(|s| per_subject * selection.variants(s).len() as u64)
                .sum::<u64>()
        })
        .sum()
}

/// Runs every instance and subject of a benchmark (each subject on every
/// selected version of its runtime) and returns its records.
pub fn benchmark(
    suite: &Suite,
    found: &[Found],
    bench: &Benchmark,
    selection: &Selection,
    stop: &AtomicBool,
    report: &dyn Observer,
    guarded: &mut Guarded,
) -> Result<Vec<Record>, Stopped> {
    let mut records = Vec::new();
    for inst in &bench.instances {
        let subjects = inst
            .subjects
            .iter()
            .flat_map(|subj| {
                selection
                    .variants(subj)
                    .into_iter()
                    .map(move |runtime| Subjects {
                        suite,
                        found,
                        bench,
                        inst,
                        subj,
                        runtime,
                    })
            })
            .collect();
        records.extend(instance(subjects, stop, report, guarded)?);
    }
    Ok(records)
}

/// What the quiet guard did (see [`super::define::Quiet`]).
#[derive(Debug, Default, Clone, Copy)]
pub struct Guarded {
    /// Time spent waiting for other programs to leave the CPUs alone.
    pub waited: Duration,
    /// Runs repeated because other programs used the CPUs during them.
    pub repeated: u32,
    /// Measured runs kept although disturbed (the repeats ran out).
    pub disturbed: u32,
}

/// Fewer clock ticks of other programs' work than this never count as a
/// disturbance: /proc accounting is that coarse.
const MIN_DISTURBANCE: u64 = 3;

/// CPU time counters at one moment.
#[derive(Debug, Clone, Copy)]
struct Snapshot {
    machine: u64,
    own: u64,
    server: u64,
}

impl Snapshot {
    fn take(server: Option<&Server>) -> Option<Self> {
        Some(Self {
            machine: machine::machine_ticks()?,
            own: machine::own_ticks()?,
            server: match server {
                Some(s) => s.ticks()?,
                None => 0,
            },
        })
    }

    /// Other programs' CPU use between `self` and `later`, over `wall`, in
    /// CPUs, with the ticks it amounts to; `child` is the measured process's
    /// own ticks.
    fn others(&self, later: &Self, child: u64, wall: Duration) -> Option<(f64, u64)> {
        let ours =
            later.own.saturating_sub(self.own) + later.server.saturating_sub(self.server) + child;
        let ticks = later
            .machine
            .saturating_sub(self.machine)
            .saturating_sub(ours);
        let secs = wall.as_secs_f64();
        (secs > 0.0).then(|| (ticks as f64 / machine::ticks_per_second() / secs, ticks))
    }
}

/// Times the calibration loop ([`machine::calibrate`]) `times` times, once
/// the machine is quiet when the suite asks for quiet (waiting as for a
/// run), and notes how many CPUs other programs used meanwhile; timed
/// again (up to the guard's retries) when they used more than allowed.
pub fn calibrate_quietly(
    quiet: Option<&Quiet>,
    times: usize,
    stop: &AtomicBool,
    report: &dyn Observer,
) -> Result<crate::data::machine::Calibration, Stopped> {
    let mut attempt = 0;
    loop {
        // Not quiet after the longest wait: timed as the machine is, once.
        let calm = match quiet {
            Some(q) => wait_quiet(q, None, stop, report, "calibration")?.1,
            None => true,
        };
        report.step("calibration");
        let start = std::time::Instant::now();
        let before = Snapshot::take(None);
        let mut c = machine::calibrate(times);
        let after = Snapshot::take(None);
        let others = match (before, after) {
            (Some(a), Some(b)) => a.others(&b, 0, start.elapsed()).map(|(cpus, _)| cpus),
            _ => None,
        };
        c.other_cpus = others.map(|x| (x * 100.0).round() / 100.0);
        let disturbed = quiet.is_some_and(|q| others.is_some_and(|x| x > q.max_other));
        if calm && disturbed && quiet.is_some_and(|q| attempt < q.retries) {
            attempt += 1;
            continue;
        }
        return Ok(c);
    }
}

/// Waits until other programs use at most `max_other` CPUs over a third of a
/// second, or `wait` seconds have passed. Returns the time waited and
/// whether the machine became quiet.
fn wait_quiet(
    q: &Quiet,
    server: Option<&Server>,
    stop: &AtomicBool,
    report: &dyn Observer,
    step: &str,
) -> Result<(Duration, bool), Stopped> {
    let start = std::time::Instant::now();
    let window = Duration::from_millis(330);
    loop {
        let Some(a) = Snapshot::take(server) else {
            return Ok((start.elapsed(), true));
        };
        std::thread::sleep(window);
        if stop.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(Stopped);
        }
        let Some(b) = Snapshot::take(server) else {
            return Ok((start.elapsed(), true));
        };
        let cpus = a.others(&b, 0, window).map_or(0.0, |(c, _)| c);
        if cpus <= q.max_other {
            return Ok((start.elapsed(), true));
        }
        if start.elapsed().as_secs_f64() >= q.wait {
            return Ok((start.elapsed(), false));
        }
        report.step(&format!(
            "{step} · waiting: other programs use {cpus:.1} CPUs"
        ));
    }
}

/// One subject of one benchmark instance.
#[derive(Clone, Copy)]
struct Subjects<'a> {
    suite: &'a Suite,
    found: &'a [Found],
    bench: &'a Benchmark,
    inst: &'a Instance,
    subj: &'a Subject,
    /// The version of its runtime it runs on (index into the runtimes).
    runtime: Option<usize>,
}

/// A subject ready to run, and what its runs gave so far.
struct Active<'a> {
    who: Subjects<'a>,
    command: Vec<String>,
    server: Option<Vec<String>>,
    rss: bool,
    background: Option<Server>,
    values: Vec<Vec<f64>>,
    quiet_before: bool,
}

impl<'a> Subjects<'a> {
    fn total(&self) -> u64 {
        u64::from(self.bench.warmup + self.bench.runs)
    }

    fn runtime(&self) -> Option<(&'a Runtime, &'a Found)> {
        self.runtime
            .map(|i| (&self.suite.runtimes[i], &self.found[i]))
    }

    /// The subject as the person waiting reads it: `Node.js (node22)` when
    /// its runtime has several versions.
    fn who(&self) -> String {
        match self.runtime() {
            Some((rt, _))
                if self
                    .suite
                    .runtimes
                    .iter()
                    .filter(|r| r.name == rt.name)
                    .count()
                    > 1 =>
            {
                format!("{} ({})", self.subj.name, rt.id)
            }
            _ => self.subj.name.clone(),
        }
    }

    fn record(&self, m: &Measure, value: Option<f64>, note: Option<String>) -> Record {
        Record {
            benchmark: self.inst.label.clone(),
            subject: self.subj.name.clone(),
            metric: m.metric.clone(),
            unit: m.unit.clone(),
            value,
            better: m.better,
            version: self.runtime().and_then(|(_, f)| f.version.clone()),
            note,
            group: self.bench.name.clone(),
        }
    }

    /// The records of a subject that could not be measured, and a line
    /// saying why.
    fn missing(&self, report: &dyn Observer, note: String) -> Vec<Record> {
        report.line(&format!(
            "  {} · {}: missing ({note})",
            self.inst.label,
            self.who()
        ));
        self.bench
            .measures
            .iter()
            .map(|m| self.record(m, None, Some(note.clone())))
            .collect()
    }

    /// Checks the runtime, the programs and the tools. `Err` holds the
    /// records to write instead (missing, or none for an optional runtime).
    fn prepare(&self, report: &dyn Observer) -> Result<Active<'a>, Vec<Record>> {
        let skip_runs = || (0..self.total()).for_each(|_| report.advance());
        let runtime = self.runtime();
        if let Some((rt, f)) = runtime {
            if f.path.is_none() {
                skip_runs();
                let program = rt
                    .executable
                    .as_ref()
                    .map_or(rt.program.clone(), |e| e.display().to_string());
                if rt.optional {
                    report.line(&format!(
                        "  {} · {}: skipped ({program} not found; the runtime is optional)",
                        self.inst.label,
                        self.who()
                    ));
                    return Err(Vec::new());
                }
                return Err(self.missing(report, format!("{program} not found")));
            }
        }
        let resolve = |argv: &[String]| -> Vec<String> {
            let Some((rt, f)) = runtime else {
                return argv.to_vec();
            };
            let Some(exe) = &f.executable else {
                return argv.to_vec();
            };
            argv.iter()
                .map(|w| {
                    if w == &rt.program {
                        exe.to_string_lossy().into_owned()
                    } else {
                        w.clone()
                    }
                })
                .collect()
        };
        let command = resolve(&self.subj.command);
        let server = self.subj.server.as_deref().map(resolve);
        for argv in std::iter::once(&command).chain(server.iter()) {
            if exec::which(&argv[0]).is_none() {
                skip_runs();
                return Err(self.missing(report, format!("{} not found", argv[0])));
            }
        }
        let rss = self.bench.measures.iter().any(|m| m.from == From::Rss);
        if rss && exec::which(exec::GNU_TIME).is_none() {
            skip_runs();
            return Err(self.missing(
                report,
                format!(
                    "peak memory needs GNU time at {} (Debian and Ubuntu package `time`)",
                    exec::GNU_TIME
                ),
            ));
        }
        Ok(Active {
            who: *self,
            command,
            server,
            rss,
            background: None,
            values: vec![Vec::new(); self.bench.measures.len()],
            quiet_before: false,
        })
    }
}

impl Active<'_> {
    /// Starts the subject's server, if it has one, on a free port.
    fn start_server(&mut self, stop: &AtomicBool, report: &dyn Observer) -> Result<(), Failed> {
        let who = self.who;
        let Some(srv) = &mut self.server else {
            return Ok(());
        };
        let port = exec::free_port().map_err(|e| Failed::Note(format!("no free port: {e}")))?;
        let vars = BTreeMap::from([("port".to_string(), port.to_string())]);
        for argv in [&mut self.command, srv] {
            for w in argv.iter_mut() {
                if let Ok(filled) = fill(w, &vars, &[]) {
                    *w = filled;
                }
            }
        }
        report.step(&format!(
            "{} · {} · starting the server",
            who.inst.label,
            who.who()
        ));
        let mut bg = Server::start(srv, &who.bench.dir, &who.suite.environment)
            .map_err(|e| Failed::Note(format!("the server did not start: {e}")))?;
        if let Err(e) = bg.wait_ready(port, who.bench.ready_timeout, stop) {
            if stop.load(std::sync::atomic::Ordering::SeqCst) {
                return Err(Failed::Stopped);
            }
            return Err(Failed::Note(e.to_string()));
        }
        self.background = Some(bg);
        Ok(())
    }

    /// Run `i` (warm-ups first), repeated while other programs disturb it.
    fn run(
        &mut self,
        i: u64,
        stop: &AtomicBool,
        report: &dyn Observer,
        guarded: &mut Guarded,
    ) -> Result<(), Failed> {
        let Subjects { bench, inst, .. } = self.who;
        let what = if i < u64::from(bench.warmup) {
            format!("warm-up {}/{}", i + 1, bench.warmup)
        } else {
            format!("run {}/{}", i + 1 - u64::from(bench.warmup), bench.runs)
        };
        let step = format!("{} · {} · {what}", inst.label, self.who.who());
        let outcome = self.run_quietly(i, &step, stop, report, guarded)?;
        report.advance();
        let taken = match outcome {
            Err(e) => Err(NoValues::CouldNotRun(self.command[0].clone(), e)),
            Ok(o) if o.ended == Ended::Stopped => return Err(Failed::Stopped),
            Ok(o) => self.values_of(&o),
        };
        match taken {
            Ok(v) => {
                if i >= u64::from(bench.warmup) {
                    for (k, x) in v.into_iter().enumerate() {
                        self.values[k].push(x);
                    }
                }
                Ok(())
            }
            Err(e) => {
                let mut note = e.to_string();
                (i + 1..self.who.total()).for_each(|_| report.advance());
                if let Some(bg) = self.background.take() {
                    let (_, err) = bg.stop();
                    if note.contains("server") {
                        if let Some(l) = exec::last_line(&err) {
                            note.push_str(&format!(": {l}"));
                        }
                    }
                }
                report.line(&format!(
                    "  {} · {}: {what} failed: {note}",
                    inst.label,
                    self.who.who()
                ));
                Err(Failed::Note(note))
            }
        }
    }

    /// Runs the command once; with the quiet guard on, waits for the other
    /// programs to calm down first, and repeats a run they disturbed (up
    /// to the guard's retries).
    fn run_quietly(
        &mut self,
        i: u64,
        step: &str,
        stop: &AtomicBool,
        report: &dyn Observer,
        guarded: &mut Guarded,
    ) -> Result<std::io::Result<exec::ProcessOutput>, Failed> {
        let Subjects { suite, bench, .. } = self.who;
        let mut attempt = 0;
        loop {
            if let Some(q) = &suite.quiet {
                if !self.quiet_before {
                    let (waited, quiet) =
                        wait_quiet(q, self.background.as_ref(), stop, report, step)
                            .map_err(|Stopped| Failed::Stopped)?;
                    guarded.waited += waited;
                    if !quiet {
                        report.line(&format!(
                            "  {step}: other programs kept the CPUs busy for {}; running anyway",
                            exec::seconds(Duration::from_secs(waited.as_secs()))
                        ));
                    }
                }
            }
            report.step(step);
            let before = Snapshot::take(self.background.as_ref());
            let outcome = exec::run(
                &self.command,
                &bench.dir,
                &suite.environment,
                bench.timeout,
                self.rss,
                stop,
            );
            let after = Snapshot::take(self.background.as_ref());
            let (Some(q), Ok(o)) = (&suite.quiet, &outcome) else {
                return Ok(outcome);
            };
            let others = match (before, after, o.ticks) {
                (Some(a), Some(b), Some(t)) => a.others(&b, t, o.wall),
                _ => None,
            };
            self.quiet_before = others.is_some_and(|(cpus, _)| cpus <= q.max_other);
            let Some((cpus, ticks)) = others else {
                return Ok(outcome);
            };
            if cpus <= q.max_other || ticks < MIN_DISTURBANCE {
                return Ok(outcome);
            }
            if attempt < q.retries && o.succeeded() {
                attempt += 1;
                guarded.repeated += 1;
                report.line(&format!(
                    "  {step}: other programs used {cpus:.2} CPUs during the run; repeating it"
                ));
                continue;
            }
            if i >= u64::from(bench.warmup) {
                guarded.disturbed += 1;
            }
            return Ok(outcome);
        }
    }

    /// The values a finished run gives, or why it gives none.
    fn values_of(&mut self, o: &exec::ProcessOutput) -> Result<Vec<f64>, NoValues> {
        let bench = self.who.bench;
        let server_gone = self.background.as_mut().is_some_and(|b| !b.running());
        let wants_memory = bench.measures.iter().any(|m| m.from == From::ServerMemory);
        let server_kib = match self.background.as_ref() {
            Some(bg) if wants_memory && !server_gone => bg.memory_kib().map(Some),
            _ => Ok(None),
        };
        match (o.failure(), server_kib) {
            (Some(f), _) => Err(NoValues::Failed(f)),
            _ if server_gone => Err(NoValues::ServerGone),
            (None, Err(e)) => Err(NoValues::Server(e)),
            (None, Ok(kib)) => take(bench, o, kib),
        }
    }

    /// Stops the server and turns the values into records.
    fn finish(mut self, report: &dyn Observer) -> Vec<Record> {
        if let Some(bg) = self.background.take() {
            bg.stop();
        }
        let who = self.who;
        let summary: Vec<String> = who
            .bench
            .measures
            .iter()
            .zip(&self.values)
            .map(|(m, v)| {
                let med = crate::data::results::median(v);
                let (lo, hi) = v
                    .iter()
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
                        (a.min(*x), b.max(*x))
                    });
                format!(
                    "{} {} {} ({}–{})",
                    m.metric,
                    units::format_value(med),
                    m.unit,
                    units::format_value(lo),
                    units::format_value(hi)
                )
            })
            .collect();
        report.line(&format!(
            "  {} · {}: {}",
            who.inst.label,
            who.who(),
            summary.join(", ")
        ));
        let mut records = Vec::new();
        for (m, vals) in who.bench.measures.iter().zip(&self.values) {
            for v in vals {
                records.push(who.record(m, Some(*v), None));
            }
        }
        records
    }
}

/// Why a subject stopped before its last run.
enum Failed {
    /// It failed: the note for its missing records.
    Note(String),
    /// The whole run was interrupted.
    Stopped,
}

/// Runs the subjects of one instance. With no server among them, runs go
/// round the subjects (run 1 of each, then run 2 of each, ...), so that a
/// slow spell of the machine falls on all of them alike. Subjects with a
/// server run one after the other, each with its server.
fn instance(
    subjects: Vec<Subjects<'_>>,
    stop: &AtomicBool,
    report: &dyn Observer,
    guarded: &mut Guarded,
) -> Result<Vec<Record>, Stopped> {
    let Some(first) = subjects.first() else {
        return Ok(Vec::new());
    };
    let total = first.total();
    let mut out: Vec<Vec<Record>> = vec![Vec::new(); subjects.len()];
    let mut active: Vec<(usize, Active<'_>)> = Vec::new();
    for (k, s) in subjects.iter().enumerate() {
        match s.prepare(report) {
            Ok(a) => active.push((k, a)),
            Err(records) => out[k] = records,
        }
    }
    let fail = |k: usize, failed: Failed, out: &mut Vec<Vec<Record>>| match failed {
        Failed::Stopped => Err(Stopped),
        Failed::Note(note) => {
            out[k] = subjects[k].missing(report, note);
            Ok(())
        }
    };
    if active.iter().any(|(_, a)| a.server.is_some()) {
        for (k, mut a) in active {
            if let Err(f) = a.start_server(stop, report) {
                (0..total).for_each(|_| report.advance());
                fail(k, f, &mut out)?;
                continue;
            }
            let mut failed = None;
            for i in 0..total {
                if let Err(f) = a.run(i, stop, report, guarded) {
                    failed = Some(f);
                    break;
                }
            }
            match failed {
                Some(f) => fail(k, f, &mut out)?,
                None => out[k] = a.finish(report),
            }
        }
    } else {
        for i in 0..total {
            let mut still = Vec::with_capacity(active.len());
            for (k, mut a) in active {
                match a.run(i, stop, report, guarded) {
                    Ok(()) => still.push((k, a)),
                    Err(f) => fail(k, f, &mut out)?,
                }
            }
            active = still;
        }
        for (k, a) in active {
            out[k] = a.finish(report);
        }
    }
    Ok(out.into_iter().flatten().collect())
}

/// Why a run gives no values: the note its missing records keep.
#[derive(Debug, thiserror::Error)]
pub enum NoValues {
    #[error("could not run {0}: {1}")]
    CouldNotRun(String, std::io::Error),
    /// It ran and failed (`exited with status 1: ...`).
    #[error("{0}")]
    Failed(String),
    #[error("the server stopped during the run")]
    ServerGone,
    #[error(transparent)]
    Server(#[from] exec::ServerError),
    /// A `fail_if` pattern matched this line of the output.
    #[error("the output says `{0}`")]
    FailIf(String),
    #[error("cannot convert `{from}` into `{to}`")]
    Convert { from: String, to: String },
    #[error("GNU time reported no peak memory")]
    NoPeakMemory,
    #[error("no server to measure the memory of")]
    NoServer,
    #[error("the CPU time the command used could not be read")]
    NoCpuTime,
    #[error("no pattern")]
    NoPattern,
    /// The measure's pattern (as written) found nothing to read.
    #[error("no match for `{0}` in the output")]
    NoMatch(String),
    #[error("`{0}` is not a number")]
    NotANumber(String),
}

/// The measures of one successful run, in the benchmark's order, each in
/// its unit; or why they could not be taken.
///
/// `server_kib` is the memory the subject's server held after the run, for
/// `server_memory` measures.
pub fn take(
    bench: &Benchmark,
    o: &exec::ProcessOutput,
    server_kib: Option<u64>,
) -> Result<Vec<f64>, NoValues> {
    for re in &bench.fail_if {
        for text in [&o.stdout, &o.stderr] {
            if let Some(m) = re.find(text) {
                let line = text[m.start()..].lines().next().unwrap_or("").trim();
                return Err(NoValues::FailIf(line.to_string()));
            }
        }
    }
    bench
        .measures
        .iter()
        .map(|m| {
            let convert = |value: f64, from_unit: &str| -> Result<f64, NoValues> {
                let (Some((f, k_from)), Some((g, k_to))) =
                    (units::lookup(from_unit), units::lookup(&m.unit))
                else {
                    return Ok(value);
                };
                if f != g {
                    return Err(NoValues::Convert {
                        from: from_unit.to_string(),
                        to: m.unit.clone(),
                    });
                }
                Ok(value * k_from / k_to)
            };
            match m.from {
                From::Wall => convert(o.wall.as_secs_f64(), "s"),
                From::Rss => {
                    let kib = o.max_rss_kib.ok_or(NoValues::NoPeakMemory)?;
                    convert(kib as f64, "KiB")
                }
                From::ServerMemory => {
                    let kib = server_kib.ok_or(NoValues::NoServer)?;
                    convert(kib as f64, "KiB")
                }
                From::ClientCpu => client_percent(o).ok_or(NoValues::NoCpuTime),
                From::Output => {
                    let re = m.pattern.as_ref().ok_or(NoValues::NoPattern)?;
                    let caps = re
                        .captures(&o.stdout)
                        .or_else(|| re.captures(&o.stderr))
                        .ok_or_else(|| NoValues::NoMatch(re.as_str().to_string()))?;
                    let text = caps.get(1).map_or("", |g| g.as_str());
                    let value: f64 = text
                        .trim()
                        .replace(',', "")
                        .parse()
                        .map_err(|_| NoValues::NotANumber(text.to_string()))?;
                    match caps.name("unit") {
                        Some(u) => convert(value, u.as_str()),
                        None => Ok(value),
                    }
                }
            }
        })
        .collect()
}

/// The share of the CPUs it may use that a finished command used, in %
/// to a tenth: its CPU time (with its children's) over its wall time and
/// the number of CPUs its affinity allows (all of them when unknown).
fn client_percent(o: &exec::ProcessOutput) -> Option<f64> {
    let ticks = o.ticks?;
    let wall = o.wall.as_secs_f64();
    if wall <= 0.0 {
        return None;
    }
    let cpus = o.cpus.map_or_else(
        || std::thread::available_parallelism().map_or(1, |n| n.get()) as f64,
        f64::from,
    );
    let share = ticks as f64 / machine::ticks_per_second() / wall / cpus * 100.0;
    Some((share * 10.0).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn versions() {
        assert_eq!(
            extract_version("v20.1.0\n", None).as_deref(),
            Some("v20.1.0")
        );
        assert_eq!(
            extract_version("Python 3.11.7\n", Some(r"Python (\S+)")).as_deref(),
            Some("3.11.7")
        );
        assert_eq!(extract_version("\n", None), None);
    }

    #[test]
    fn takes_figures_from_output() {
        let text = r#"
[[benchmark]]
name = "http"
results = "http"
command = "true"
fail_if = ['Non-2xx']
subjects = [{ name = "A" }]
[[benchmark.measure]]
metric = "throughput"
from = "output"
pattern = 'Requests/sec:\s+([0-9.]+)'
unit = "req/s"
better = "higher"
[[benchmark.measure]]
metric = "p99"
from = "output"
pattern = '99%\s+([0-9.]+)(?P<unit>us|ms|s)'
unit = "ms"
[[benchmark.measure]]
from = "wall"
unit = "s"
"#;
        let suite =
            super::super::define::parse(Path::new("/x/b.toml"), Path::new("b.toml"), text).unwrap();
        let b = &suite.benchmarks[0];
        let mut o = exec::ProcessOutput {
            ended: Ended::Exited(0),
            wall: Duration::from_millis(1500),
            stdout: "  Latency Distribution\n     99%  850.00us\nRequests/sec:  27447.15\n".into(),
            stderr: String::new(),
            max_rss_kib: None,
            ticks: None,
            cpus: None,
        };
        let v = take(b, &o, None).unwrap();
        assert_eq!(v[0], 27447.15);
        assert!((v[1] - 0.85).abs() < 1e-12, "{}", v[1]);
        assert_eq!(v[2], 1.5);
        o.stdout.push_str("Non-2xx or 3xx responses: 12\n");
        assert_eq!(
            take(b, &o, None).unwrap_err().to_string(),
            "the output says `Non-2xx or 3xx responses: 12`"
        );
        o.stdout = "nothing".into();
        assert!(
            take(b, &o, None)
                .unwrap_err()
                .to_string()
                .starts_with("no match for")
        );
    }

    #[test]
    fn client_cpu_is_a_share_of_the_cpus_allowed() {
        let text = "[[benchmark]]\nname = \"h\"\nresults = \"h\"\ncommand = \"true\"\nsubjects = [{ name = \"A\" }]\n[[benchmark.measure]]\nfrom = \"client_cpu\"\n";
        let suite =
            super::super::define::parse(Path::new("/x/b.toml"), Path::new("b.toml"), text).unwrap();
        let b = &suite.benchmarks[0];
        assert_eq!(
            (b.measures[0].metric.as_str(), b.measures[0].unit.as_str()),
            ("client CPU", "%")
        );
        let tps = machine::ticks_per_second();
        // 1.5 s of CPU in 2 s on one CPU: 75%; on two CPUs: 37.5%.
        let mut o = exec::ProcessOutput {
            ended: Ended::Exited(0),
            wall: Duration::from_secs(2),
            stdout: String::new(),
            stderr: String::new(),
            max_rss_kib: None,
            ticks: Some((1.5 * tps) as u64),
            cpus: Some(1),
        };
        assert_eq!(take(b, &o, None).unwrap(), vec![75.0]);
        o.cpus = Some(2);
        assert_eq!(take(b, &o, None).unwrap(), vec![37.5]);
        o.ticks = None;
        assert_eq!(
            take(b, &o, None).unwrap_err().to_string(),
            "the CPU time the command used could not be read"
        );
        let wrong = text.replace(
            "from = \"client_cpu\"",
            "from = \"client_cpu\"\nunit = \"ms\"",
        );
        let err = super::super::define::parse(Path::new("/x/b.toml"), Path::new("b.toml"), &wrong)
            .err()
            .unwrap();
        assert!(
            err.iter().any(|d| d
                .message
                .contains("`client_cpu` is measured in `%`, not `ms`")),
            "{err:?}"
        );
    }
}
