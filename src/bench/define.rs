//! The benchmark definition file: runtimes, results files and benchmarks,
//! read from TOML and checked before anything runs. Mistakes are
//! [`Diagnostic`]s that point at the line in the file.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use regex::Regex;
use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

use crate::data::machine::CLIENT_CPU_METRIC;
use crate::data::results::Better;
use crate::report::diagnostic::{Diagnostic, closest};
use crate::report::error::{Error, Result};
use crate::text::units::{self, Family};

/// Where the definition file lives, relative to the site's root.
pub const DEFINITIONS: &str = "content/benchmarks/benchmarks.toml";

const HELP: &str = "see docs/bench.md for the definition format";

/// A checked definition file.
#[derive(Debug, Clone)]
pub struct Suite {
    /// The definition file.
    pub path: PathBuf,
    /// Its folder: benchmark folders and `results_dir` are relative to it.
    pub dir: PathBuf,
    /// Where results files are written.
    pub results_dir: PathBuf,
    /// How old results may get before `versus check` warns (days).
    pub max_age_days: Option<u64>,
    /// The environment every command runs in.
    pub environment: Environment,
    /// Waiting for other programs to leave the CPUs alone, if asked.
    pub quiet: Option<Quiet>,
    pub runtimes: Vec<Runtime>,
    /// Title and description per results file, by file stem (`cpu`).
    pub results: BTreeMap<String, ResultsInfo>,
    pub benchmarks: Vec<Benchmark>,
}

/// The environment variables commands see.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Environment {
    /// The variables passed on from versus's own environment (when they are
    /// set there); all of them when this is absent.
    #[serde(default)]
    pub keep: Option<Vec<String>>,
    /// Variables set for every command, over the ones kept.
    #[serde(default)]
    pub set: BTreeMap<String, String>,
}

impl Environment {
    /// Gives `cmd` this environment.
    pub fn apply(&self, cmd: &mut std::process::Command) {
        if let Some(keep) = &self.keep {
            cmd.env_clear();
            for name in keep {
                if let Some(v) = std::env::var_os(name) {
                    cmd.env(name, v);
                }
            }
        }
        cmd.envs(&self.set);
    }

    /// In words, for the results' notes; `None` when everything is inherited.
    pub fn describe(&self) -> Option<String> {
        let mut parts = Vec::new();
        if let Some(keep) = &self.keep {
            parts.push(format!(
                "commands ran with only {} from the environment",
                if keep.is_empty() {
                    "nothing".to_string()
                } else {
                    keep.join(", ")
                }
            ));
        }
        if !self.set.is_empty() {
            let set: Vec<String> = self.set.iter().map(|(k, v)| format!("{k}={v}")).collect();
            parts.push(format!("with {} set", set.join(", ")));
        }
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

/// How to keep other programs' work out of the measurements: wait until
/// they leave the CPUs alone before each run, and repeat runs they disturbed.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Quiet {
    /// How much CPU other programs may use, in CPUs (0.1 is a tenth of one
    /// CPU), before a run and during it.
    #[serde(default = "Quiet::default_max_other")]
    pub max_other: f64,
    /// Seconds to wait for that before each run; after that, it runs anyway.
    #[serde(default = "Quiet::default_wait")]
    pub wait: f64,
    /// How many times a disturbed run is repeated.
    #[serde(default = "Quiet::default_retries")]
    pub retries: u32,
}

impl Quiet {
    fn default_max_other() -> f64 {
        0.1
    }
    fn default_wait() -> f64 {
        300.0
    }
    fn default_retries() -> u32 {
        3
    }
}

/// A language runtime that subjects run on. Several runtimes may share a
/// `name` (Node.js 20, 22 and 24): they are versions of one runtime, and a
/// subject on that runtime is measured on each of them.
#[derive(Debug, Clone)]
pub struct Runtime {
    /// What `--runtime` selects and the results' metadata records
    /// (`node22`); defaults to `program`.
    pub id: String,
    /// The name recorded with versions (`Node.js`).
    pub name: String,
    /// The program that subjects' commands name (`node`).
    pub program: String,
    /// The executable to run for `program`, when it is not the one on PATH
    /// (absolute, or relative to the site's folder).
    pub executable: Option<PathBuf>,
    /// A command printing the version (default: `PROGRAM --version`).
    pub version: Option<String>,
    /// A regex whose first group picks the version out of that output
    /// (default: the first line, trimmed).
    pub version_pattern: Option<String>,
    /// A command printing the real executable behind `program`: commands
    /// then run it directly, so a version manager's shim (pyenv, nvm, asdf)
    /// does not add its own start-up to every measurement.
    pub resolve: Option<String>,
    /// When the program is missing, leave its subjects out silently instead
    /// of recording them as missing.
    pub optional: bool,
}

/// A runtime subjects run on; several with one `name` are versions of it.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawRuntime {
    /// What `--runtime` selects and the results record (`node22`).
    /// Default: `program`.
    #[serde(default)]
    #[schemars(regex(pattern = r"^[A-Za-z0-9._-]+$"))]
    id: Option<String>,
    /// The name recorded with the versions (`Node.js`).
    name: String,
    /// The program subjects' commands name (`node`).
    program: String,
    /// The file to run for `program` instead of the one on PATH: absolute,
    /// `~/...`, or relative to the site's folder.
    #[serde(default)]
    executable: Option<String>,
    /// The command that prints the version. Default: `PROGRAM --version`.
    #[serde(default)]
    version: Option<String>,
    /// A regular expression whose first group is the version.
    #[serde(default)]
    version_pattern: Option<String>,
    /// A command that prints the path of the real executable (past a
    /// version manager's shim).
    #[serde(default)]
    resolve: Option<String>,
    /// `true`: when the program is missing, leave its subjects out.
    #[serde(default)]
    optional: bool,
}

/// Title and description of one results file (written to its `.meta.toml`).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResultsInfo {
    pub title: Option<String>,
    pub description: Option<String>,
}

/// Where a measured figure comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum From {
    /// The process's wall time, from start to exit.
    Wall,
    /// The process's peak resident memory (through GNU time).
    Rss,
    /// The memory the subject's server (and the workers it forked) holds
    /// right after the run: their summed proportional set sizes.
    #[serde(rename = "server_memory")]
    ServerMemory,
    /// The share of the CPUs it may use (its affinity) that the command
    /// used, in %: for an HTTP benchmark, how busy the load generator was.
    #[serde(rename = "client_cpu")]
    ClientCpu,
    /// A number the program prints, found with a pattern.
    Output,
}

/// One figure taken from every measured run.
#[derive(Debug, Clone)]
pub struct Measure {
    /// The `metric` column (`time`, `memory`, `throughput`).
    pub metric: String,
    pub from: From,
    /// The `unit` column; values are converted into it.
    pub unit: String,
    pub better: Better,
    /// For `output`: group 1 is the number; a group named `unit`, if any,
    /// is the unit it is written in.
    pub pattern: Option<Regex>,
}

/// A benchmark as defined: one or more instances (one per parameter set).
#[derive(Debug, Clone)]
pub struct Benchmark {
    /// The name used on the command line and in the `group` column.
    pub name: String,
    pub description: Option<String>,
    /// The results file stem (`cpu` writes `results/cpu.csv`).
    pub results: String,
    /// The working folder of every command.
    pub dir: PathBuf,
    pub warmup: u32,
    pub runs: u32,
    pub timeout: Duration,
    /// How long a server may take to accept connections.
    pub ready_timeout: Duration,
    pub measures: Vec<Measure>,
    /// A run whose output matches one of these failed.
    pub fail_if: Vec<Regex>,
    pub instances: Vec<Instance>,
}

/// A benchmark with its parameters filled in: one `benchmark` label.
#[derive(Debug, Clone)]
pub struct Instance {
    /// The `benchmark` column (`fib(35)`, `50 connections`).
    pub label: String,
    pub subjects: Vec<Subject>,
}

/// One thing measured in a benchmark.
#[derive(Debug, Clone)]
pub struct Subject {
    /// The `subject` column (`Node.js`).
    pub name: String,
    /// Indices into [`Suite::runtimes`]: the versions of its runtime it is
    /// measured on (none when it has no runtime).
    pub runtimes: Vec<usize>,
    /// The measured command, split into words; `{port}` is still to fill.
    pub command: Vec<String>,
    /// A server started before the command and stopped after it.
    pub server: Option<Vec<String>>,
}

impl Suite {
    /// Benchmarks that write the results file `stem`, in definition order.
    pub fn writing(&self, stem: &str) -> impl Iterator<Item = &Benchmark> {
        self.benchmarks.iter().filter(move |b| b.results == stem)
    }

    /// The path of a results CSV.
    pub fn results_csv(&self, stem: &str) -> PathBuf {
        self.results_dir.join(format!("{stem}.csv"))
    }
}

/// Benchmark definitions: `content/benchmarks/benchmarks.toml`, read by
/// `versus bench` (docs/bench.md, "The definition file"). Its JSON Schema
/// (`versus schema benchmarks`) is derived from these types.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFile {
    /// Where results files go, relative to this file's folder. Default:
    /// `results`.
    #[serde(default)]
    results_dir: Option<String>,
    /// How old results may be, in days, before `versus check` warns.
    /// Default: 365.
    #[serde(default)]
    max_age_days: Option<u64>,
    /// Run counts and timeouts for every benchmark that sets none.
    #[serde(default)]
    defaults: RawDefaults,
    /// The environment variables commands see. Without it they inherit
    /// versus's whole environment.
    #[serde(default)]
    environment: Environment,
    /// Waiting for other programs to leave the CPUs alone before each run.
    #[serde(default)]
    #[schemars(with = "Option<Quiet>")]
    quiet: Option<Spanned<Quiet>>,
    /// The runtimes subjects run on.
    #[serde(default)]
    #[schemars(with = "Vec<RawRuntime>")]
    runtime: Vec<Spanned<RawRuntime>>,
    /// `title` and `description` of a results file, by its name (`cpu`).
    #[serde(default)]
    results: BTreeMap<String, ResultsInfo>,
    /// The benchmarks.
    #[serde(default)]
    benchmark: Vec<RawBenchmark>,
}

/// Defaults for every benchmark that does not set its own.
#[derive(Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawDefaults {
    /// Warm-up runs per subject (1).
    warmup: Option<u32>,
    /// Measured runs per subject (5).
    #[schemars(range(min = 1))]
    runs: Option<u32>,
    /// Seconds one run may take (60).
    timeout: Option<f64>,
    /// Seconds a server may take to accept connections (10).
    ready_timeout: Option<f64>,
}

/// One benchmark: subjects, the command each runs, and what is measured.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawBenchmark {
    /// Letters, digits, `-` and `_`: used on the command line and in the
    /// `group` column.
    #[schemars(with = "String", regex(pattern = r"^[A-Za-z0-9_-]+$"))]
    name: Spanned<String>,
    /// The `benchmark` column, shown in tables and charts; may use
    /// parameters (`{connections} connections`). Default: `name`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    label: Option<Spanned<String>>,
    /// Shown by `versus bench --list`.
    #[serde(default)]
    description: Option<String>,
    /// The results file name: `cpu` writes `cpu.csv` and `cpu.meta.toml`.
    #[schemars(with = "String")]
    results: Spanned<String>,
    /// The working folder of every command, relative to this file.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    dir: Option<Spanned<String>>,
    /// Warm-up runs per subject.
    #[serde(default)]
    warmup: Option<u32>,
    /// Measured runs per subject, at least 1.
    #[serde(default)]
    #[schemars(with = "Option<u32>", range(min = 1))]
    runs: Option<Spanned<u32>>,
    /// Seconds one run may take before it is killed.
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    timeout: Option<Spanned<f64>>,
    /// Seconds a server may take to accept connections.
    #[serde(default)]
    ready_timeout: Option<f64>,
    /// Parameter tables: the benchmark runs once per table, with `{key}`
    /// in `label`, `command` and `server` replaced by the value.
    #[serde(default)]
    #[schemars(with = "Vec<BTreeMap<String, Param>>")]
    params: Vec<Spanned<BTreeMap<String, Param>>>,
    /// The command for subjects that have none of their own.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    command: Option<Spanned<String>>,
    /// Regular expressions: a run whose output matches one has failed.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    fail_if: Vec<Spanned<String>>,
    /// What to take from every measured run; at least one.
    #[serde(default)]
    #[schemars(with = "Vec<RawMeasure>")]
    measure: Vec<Spanned<RawMeasure>>,
    /// The things measured, in the order tables list them.
    #[serde(default)]
    #[schemars(with = "Vec<RawSubject>")]
    subjects: Vec<Spanned<RawSubject>>,
}

/// A subject before its parameters are filled in: name, runtime, command
/// and server.
type Template = (String, Vec<usize>, Spanned<String>, Option<Spanned<String>>);

/// A parameter's value.
#[derive(Deserialize, JsonSchema)]
#[serde(untagged)]
enum Param {
    Text(String),
    Int(i64),
    Float(f64),
}

impl Param {
    fn text(&self) -> String {
        match self {
            Param::Text(s) => s.clone(),
            Param::Int(i) => i.to_string(),
            Param::Float(f) => f.to_string(),
        }
    }
}

/// One figure taken from every measured run.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawMeasure {
    /// The `metric` column. Default `time` for `wall`, `memory` for `rss`,
    /// `server memory` for `server_memory`, `client CPU` for `client_cpu`;
    /// required for `output`.
    #[serde(default)]
    metric: Option<String>,
    from: From,
    /// The `unit` column. Default `ms` for `wall`, `MiB` for `rss` and
    /// `server_memory`, `%` (the only one) for `client_cpu`; required for
    /// `output`.
    #[serde(default)]
    unit: Option<String>,
    /// `lower` (default), `higher`, or `neither` (the default for
    /// `client_cpu`).
    #[serde(default)]
    better: Option<Better>,
    /// For `output`: a regular expression whose first group is the number
    /// (a group named `unit` is its unit).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pattern: Option<Spanned<String>>,
}

/// One thing measured in a benchmark.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawSubject {
    /// The `subject` column; unique within the benchmark.
    name: String,
    /// A runtime `name` (every version) or `id` (that one only).
    #[serde(default)]
    runtime: Option<String>,
    /// The measured command. Default: the benchmark's `command`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    command: Option<Spanned<String>>,
    /// A command started before the measured runs and stopped after them.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    server: Option<Spanned<String>>,
}

/// The JSON Schema of benchmark definitions (`versus schema benchmarks`).
pub fn schema() -> schemars::Schema {
    schemars::schema_for!(RawFile)
}

/// Reads and checks the definition file of the site at `root`
/// (`content/benchmarks/benchmarks.toml`).
pub fn load(root: &Path) -> Result<Suite> {
    let path = root.join(DEFINITIONS);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            Error::Usage(format!(
                "no benchmark definitions: {} does not exist (see docs/bench.md)",
                path.display()
            ))
        } else {
            Error::io(&path, e)
        }
    })?;
    parse(&path, Path::new(DEFINITIONS), &text).map_err(Error::Content)
}

/// Collects the definition file's mistakes, each pointing into the file.
struct Checker<'a> {
    shown: &'a Path,
    source: Arc<str>,
    diags: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn err(&self, msg: impl Into<String>, span: Range<usize>) -> Diagnostic {
        Diagnostic::error(msg)
            .at(self.shown, &self.source, span)
            .with_help(HELP)
    }

    fn fail(&mut self, msg: impl Into<String>, span: Range<usize>) {
        let d = self.err(msg, span);
        self.diags.push(d);
    }
}

/// What the checks of every benchmark share.
struct Common<'a> {
    /// The definitions' folder.
    dir: &'a Path,
    defaults: &'a RawDefaults,
    runtimes: &'a [Runtime],
    /// The machine's cores, the built-in parameter `{cores}`.
    cores: usize,
}

/// Parses definitions written in `text`; `shown` is the path shown in errors.
pub fn parse(path: &Path, shown: &Path, text: &str) -> Result<Suite, Vec<Diagnostic>> {
    let mut ck = Checker {
        shown,
        source: Arc::from(text),
        diags: Vec::new(),
    };
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let d = ck.err(e.message().trim(), e.span().unwrap_or(0..0));
        match crate::report::diagnostic::unknown_field_guess(e.message().trim()) {
            Some(guess) => vec![d.with_help(format!("{guess} ({HELP})"))],
            None => vec![d],
        }
    })?;
    let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    // Executables are relative to the site's folder (where versus.toml is).
    let root = if path.ends_with(DEFINITIONS) {
        path.ancestors().nth(3).unwrap_or(Path::new("."))
    } else {
        path.parent().unwrap_or(Path::new("."))
    };
    let mut runtimes: Vec<Runtime> = Vec::new();
    for rt in raw.runtime {
        if let Some(rt) = runtime(&mut ck, rt, &runtimes, root) {
            runtimes.push(rt);
        }
    }
    let common = Common {
        dir: &dir,
        defaults: &raw.defaults,
        runtimes: &runtimes,
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let mut benchmarks: Vec<Benchmark> = Vec::new();
    for b in raw.benchmark {
        if let Some(b) = benchmark(&mut ck, b, &common, &benchmarks) {
            benchmarks.push(b);
        }
    }
    same_metrics_agree(&mut ck, &benchmarks);
    if let Some(q) = &raw.quiet {
        let v = q.get_ref();
        if !(v.max_other > 0.0 && v.wait >= 0.0 && v.wait.is_finite()) {
            ck.fail(
                "`max_other` must be more than 0 and `wait` 0 or more seconds",
                q.span(),
            );
        }
    }
    if !ck.diags.is_empty() {
        return Err(ck.diags);
    }
    let results_dir = dir.join(raw.results_dir.as_deref().unwrap_or("results"));
    Ok(Suite {
        path: path.to_path_buf(),
        dir,
        results_dir,
        max_age_days: raw.max_age_days,
        environment: raw.environment,
        quiet: raw.quiet.map(Spanned::into_inner),
        runtimes,
        results: raw.results,
        benchmarks,
    })
}

/// A checked runtime, unless it has a mistake (noted in `ck`). `earlier`
/// are the runtimes before it; `root` is the site's folder.
fn runtime(
    ck: &mut Checker<'_>,
    rt: Spanned<RawRuntime>,
    earlier: &[Runtime],
    root: &Path,
) -> Option<Runtime> {
    let span = rt.span();
    let rt = rt.into_inner();
    if rt.name.trim().is_empty() || rt.program.trim().is_empty() {
        ck.fail("a runtime needs a `name` and a `program`", span);
        return None;
    }
    let id = rt.id.clone().unwrap_or_else(|| rt.program.clone());
    if !is_name(&id.replace('.', "_")) {
        ck.fail(
            format!("runtime id `{id}` must be letters, digits, `.`, `-` or `_`"),
            span,
        );
        return None;
    }
    if earlier.iter().any(|r| r.id == id) {
        let msg = if rt.id.is_some() {
            format!("runtime id `{id}` is used twice")
        } else {
            format!(
                "two runtimes run `{id}`: give each an `id` (`{id}22`, `{id}24`) to tell them apart"
            )
        };
        ck.fail(msg, span);
        return None;
    }
    if let Some(p) = &rt.version_pattern {
        if let Err(e) = pattern(p) {
            ck.fail(format!("version_pattern: {e}"), span.clone());
        }
    }
    for cmd in [&rt.version, &rt.resolve].into_iter().flatten() {
        if let Err(e) = split_words(cmd) {
            ck.fail(format!("`{cmd}`: {e}"), span.clone());
        }
    }
    let executable = rt.executable.as_deref().map(|e| {
        let e = match (e.strip_prefix("~/"), std::env::var_os("HOME")) {
            (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
            _ => PathBuf::from(e),
        };
        // Absolute: commands run in their benchmark's folder.
        let e = if e.is_absolute() { e } else { root.join(e) };
        std::path::absolute(&e).unwrap_or(e)
    });
    Some(Runtime {
        id,
        name: rt.name,
        program: rt.program,
        executable,
        version: rt.version,
        version_pattern: rt.version_pattern,
        resolve: rt.resolve,
        optional: rt.optional,
    })
}

/// A checked benchmark, unless a mistake (noted in `ck`) leaves too little
/// of it to check further. `earlier` are the benchmarks before it.
fn benchmark(
    ck: &mut Checker<'_>,
    mut b: RawBenchmark,
    common: &Common<'_>,
    earlier: &[Benchmark],
) -> Option<Benchmark> {
    let name_span = b.name.span();
    let (name, results, dir) = names(ck, &b, common.dir, earlier);
    let (runs, timeout, ready_timeout) = limits(ck, &b, common.defaults)?;
    if b.measure.is_empty() {
        ck.fail(
            format!("benchmark `{name}` measures nothing: add a [[benchmark.measure]]"),
            name_span.clone(),
        );
    }
    let measures = measures(ck, std::mem::take(&mut b.measure));
    let mut fail_if = Vec::new();
    for f in &b.fail_if {
        match Regex::new(f.get_ref()) {
            Ok(r) => fail_if.push(r),
            Err(e) => ck.fail(format!("fail_if: {e}"), f.span()),
        }
    }
    if b.subjects.is_empty() {
        ck.fail(
            format!("benchmark `{name}` has no subjects"),
            name_span.clone(),
        );
    }
    let has_server = b.subjects.iter().any(|s| s.get_ref().server.is_some());
    let templates = templates(ck, &b, common.runtimes);
    if measures.iter().any(|m| m.from == From::ServerMemory) {
        if let Some(t) = templates.iter().find(|t| t.3.is_none()) {
            ck.fail(
                format!(
                    "benchmark `{name}` measures `server_memory`, but subject `{}` has no `server`",
                    t.0
                ),
                name_span.clone(),
            );
        }
    }
    let instances = instances(ck, &b, &templates, has_server, common.cores);
    Some(Benchmark {
        name,
        description: b.description,
        results,
        dir,
        warmup: b.warmup.or(common.defaults.warmup).unwrap_or(1),
        runs,
        timeout,
        ready_timeout,
        measures,
        fail_if,
        instances,
    })
}

/// The benchmark's name, its results file's name and its folder, each
/// checked.
fn names(
    ck: &mut Checker<'_>,
    b: &RawBenchmark,
    dir: &Path,
    earlier: &[Benchmark],
) -> (String, String, PathBuf) {
    let name_span = b.name.span();
    let name = b.name.get_ref().clone();
    if !is_name(&name) {
        ck.fail(
            format!("benchmark name `{name}` must be letters, digits, `-` or `_`"),
            name_span.clone(),
        );
    }
    if earlier.iter().any(|x| x.name == name) {
        ck.fail(
            format!("benchmark `{name}` is defined twice"),
            name_span.clone(),
        );
    }
    let results = b.results.get_ref().clone();
    if !is_name(&results) {
        ck.fail(
            format!("results file name `{results}` must be letters, digits, `-` or `_`"),
            b.results.span(),
        );
    }
    let bench_dir = match &b.dir {
        Some(d) => {
            let p = dir.join(d.get_ref());
            if !p.is_dir() {
                ck.fail(
                    format!("folder `{}` not found beside the definitions", d.get_ref()),
                    d.span(),
                );
            }
            p
        }
        None => dir.to_path_buf(),
    };
    (name, results, bench_dir)
}

/// Runs, timeout and ready timeout, from the benchmark or the defaults;
/// `None` when a timeout is no duration at all.
fn limits(
    ck: &mut Checker<'_>,
    b: &RawBenchmark,
    defaults: &RawDefaults,
) -> Option<(u32, Duration, Duration)> {
    let name_span = b.name.span();
    let runs = b
        .runs
        .as_ref()
        .map_or(defaults.runs.unwrap_or(5), |r| *r.get_ref());
    if runs == 0 {
        let span = b.runs.as_ref().map_or(name_span.clone(), Spanned::span);
        ck.fail("`runs` must be at least 1", span);
    }
    let timeout = b
        .timeout
        .as_ref()
        .map_or(defaults.timeout.unwrap_or(60.0), |t| *t.get_ref());
    let ready_timeout = b.ready_timeout.or(defaults.ready_timeout).unwrap_or(10.0);
    let timeout_span = b.timeout.as_ref().map_or(name_span, Spanned::span);
    let (Ok(timeout), Ok(ready_timeout)) = (
        Duration::try_from_secs_f64(timeout),
        Duration::try_from_secs_f64(ready_timeout),
    ) else {
        ck.fail("timeouts are positive numbers of seconds", timeout_span);
        return None;
    };
    if timeout.is_zero() {
        ck.fail("`timeout` must be more than 0 seconds", timeout_span);
    }
    Some((runs, timeout, ready_timeout))
}

/// The measures, each metric once.
fn measures(ck: &mut Checker<'_>, raw: Vec<Spanned<RawMeasure>>) -> Vec<Measure> {
    let mut measures: Vec<Measure> = Vec::new();
    for m in raw {
        let span = m.span();
        match measure(m.into_inner()) {
            Ok(m) if measures.iter().any(|x| x.metric == m.metric) => {
                ck.fail(format!("metric `{}` is measured twice", m.metric), span);
            }
            Ok(m) => measures.push(m),
            Err(e) => ck.fail(e.to_string(), e.span().unwrap_or(span)),
        }
    }
    measures
}

/// The subjects, checked once before their parameters are filled in.
fn templates(ck: &mut Checker<'_>, b: &RawBenchmark, runtimes: &[Runtime]) -> Vec<Template> {
    let mut templates: Vec<Template> = Vec::new();
    for s in &b.subjects {
        let span = s.span();
        let s = s.get_ref();
        if templates.iter().any(|t| t.0 == s.name) {
            // The same program on another runtime is a subject of its own:
            // the results tell subjects apart by name.
            let d = ck
                .err(format!("subject `{}` is listed twice", s.name), span)
                .with_help(format!(
                    "a subject's name is how the results tell it apart: give each its own, such as `{}`; versions of one runtime are `[[runtime]]` entries sharing its `name`",
                    match &s.runtime {
                        Some(r) => format!("{} ({r})", s.name),
                        None => format!("{} (variant)", s.name),
                    }
                ));
            ck.diags.push(d);
            continue;
        }
        let Some(command) = s.command.clone().or_else(|| b.command.clone()) else {
            ck.fail(
                format!(
                    "subject `{}` has no command (give it one, or the benchmark a `command`)",
                    s.name
                ),
                span,
            );
            continue;
        };
        let words = split_words(command.get_ref()).unwrap_or_default();
        let Some(runtime) = subject_runtimes(ck, s, &words, runtimes, span) else {
            continue;
        };
        templates.push((s.name.clone(), runtime, command, s.server.clone()));
    }
    templates
}

/// The runtimes a subject runs on: the one it names (by name: every
/// version of it; by id: that one), else the runtime named like the
/// subject, else the one whose program its commands (`words`) run. `None`
/// when it names a runtime that does not exist.
fn subject_runtimes(
    ck: &mut Checker<'_>,
    s: &RawSubject,
    words: &[String],
    runtimes: &[Runtime],
    span: Range<usize>,
) -> Option<Vec<usize>> {
    if let Some(r) = &s.runtime {
        let by_name = versions_of(runtimes, |x| &x.name == r);
        let by_id = versions_of(runtimes, |x| &x.id == r);
        if !by_name.is_empty() {
            return Some(by_name);
        }
        if !by_id.is_empty() {
            return Some(by_id);
        }
        let known: BTreeSet<&str> = runtimes
            .iter()
            .flat_map(|x| [x.name.as_str(), x.id.as_str()])
            .collect();
        let mut d = ck.err(format!("no runtime `{r}`"), span);
        if let Some(c) = closest(r, known.iter().copied()) {
            d = d.with_help(format!("did you mean `{c}`?"));
        }
        ck.diags.push(d);
        return None;
    }
    let by_name = versions_of(runtimes, |x| x.name == s.name);
    if !by_name.is_empty() {
        return Some(by_name);
    }
    let server_words = s
        .server
        .as_ref()
        .and_then(|c| split_words(c.get_ref()).ok())
        .unwrap_or_default();
    let first = runtimes
        .iter()
        .find(|x| server_words.iter().chain(words).any(|w| w == &x.program));
    Some(match first {
        Some(f) => versions_of(runtimes, |x| x.name == f.name),
        None => Vec::new(),
    })
}

/// One instance per parameter set (one with none), its subjects' commands
/// filled in.
fn instances(
    ck: &mut Checker<'_>,
    b: &RawBenchmark,
    templates: &[Template],
    has_server: bool,
    cores: usize,
) -> Vec<Instance> {
    let name_span = b.name.span();
    let param_sets: Vec<(BTreeMap<String, String>, Range<usize>)> = if b.params.is_empty() {
        vec![(BTreeMap::new(), name_span)]
    } else {
        b.params
            .iter()
            .map(|p| {
                let values = p.get_ref().iter().map(|(k, v)| (k.clone(), v.text()));
                (values.collect(), p.span())
            })
            .collect()
    };
    let label_template = b.label.as_ref().map_or(b.name.get_ref(), |l| l.get_ref());
    // `{port}` is filled in for each run of a server.
    let keep: &[&str] = if has_server { &["port"] } else { &[] };
    let mut instances: Vec<Instance> = Vec::new();
    for (params, pspan) in param_sets {
        // Parameter values may use the built-in `{cores}`.
        let builtin = BTreeMap::from([("cores".to_string(), cores.to_string())]);
        let mut vars = builtin.clone();
        for (k, v) in &params {
            match fill(v, &builtin, &[]) {
                Ok(v) => {
                    vars.insert(k.clone(), v);
                }
                Err(e) => ck.fail(format!("parameter `{k}`: {e}"), pspan.clone()),
            }
        }
        let label = match fill(label_template, &vars, &[]) {
            Ok(l) => l,
            Err(e) => {
                let span = b.label.as_ref().map_or(pspan.clone(), Spanned::span);
                ck.fail(e.to_string(), span);
                continue;
            }
        };
        if instances.iter().any(|i| i.label == label) {
            ck.fail(
                format!(
                    "two parameter sets give the same label `{label}`: put a parameter in `label`"
                ),
                pspan,
            );
            continue;
        }
        let subjects = subjects(ck, templates, &vars, keep);
        instances.push(Instance { label, subjects });
    }
    instances
}

/// The subjects of one instance: commands with `vars` filled in (but the
/// names in `keep`), split into words.
fn subjects(
    ck: &mut Checker<'_>,
    templates: &[Template],
    vars: &BTreeMap<String, String>,
    keep: &[&str],
) -> Vec<Subject> {
    let mut words = |c: &Spanned<String>| -> Option<Vec<String>> {
        let filled = fill(c.get_ref(), vars, keep).map_err(|e| ck.err(e.to_string(), c.span()));
        match filled.and_then(|f| split_words(&f).map_err(|e| ck.err(e.to_string(), c.span()))) {
            Ok(w) if w.is_empty() => {
                ck.fail("the command is empty", c.span());
                None
            }
            Ok(w) => Some(w),
            Err(d) => {
                ck.diags.push(d);
                None
            }
        }
    };
    let mut subjects = Vec::new();
    for (name, runtimes, command, server) in templates {
        let Some(command) = words(command) else {
            continue;
        };
        let server = match server {
            Some(s) => match words(s) {
                Some(w) => Some(w),
                None => continue,
            },
            None => None,
        };
        subjects.push(Subject {
            name: name.clone(),
            runtimes: runtimes.clone(),
            command,
            server,
        });
    }
    subjects
}

/// One metric in one results file has one unit family and one direction,
/// or the site build would reject the file.
fn same_metrics_agree(ck: &mut Checker<'_>, benchmarks: &[Benchmark]) {
    let mut seen: BTreeMap<(String, String), (String, Better)> = BTreeMap::new();
    for b in benchmarks {
        for m in &b.measures {
            let key = (b.results.clone(), m.metric.clone());
            let Some((unit, better)) = seen.get(&key) else {
                seen.insert(key, (m.unit.clone(), m.better));
                continue;
            };
            let same_unit = match (units::lookup(unit), units::lookup(&m.unit)) {
                (Some((f, _)), Some((g, _))) => f == g,
                _ => unit == &m.unit,
            };
            if !same_unit || *better != m.better {
                ck.diags.push(Diagnostic::error(format!(
                    "metric `{}` of results `{}` is measured in `{}` ({}) by one benchmark and `{}` ({}) by `{}`",
                    m.metric, b.results, unit, better.word(), m.unit, m.better.word(), b.name
                )).with_help("give one metric the same unit family and `better` in every benchmark of a results file"));
            }
        }
    }
}

/// The indices of the runtimes that `pick` accepts.
fn versions_of(runtimes: &[Runtime], pick: impl Fn(&Runtime) -> bool) -> Vec<usize> {
    (0..runtimes.len())
        .filter(|&i| pick(&runtimes[i]))
        .collect()
}

/// A mistake in one measure of a benchmark.
#[derive(Debug, thiserror::Error)]
enum MeasureError {
    #[error("an `output` measure needs a `metric` name")]
    NoMetric,
    #[error("metric `{0}` needs a `unit` (`ms`, `req/s`, ...)")]
    NoUnit(String),
    /// A `wall`, `rss` or `server_memory` measure in a unit of another
    /// family (`family`: "time" or "size").
    #[error("`{unit}` is not a {family} unit")]
    WrongFamily { unit: String, family: &'static str },
    /// The `pattern` written at `at` reads no number.
    #[error("{source}")]
    Pattern {
        source: PatternError,
        at: Range<usize>,
    },
    #[error("metric `{0}` reads the output: it needs a `pattern`")]
    NoPattern(String),
    /// A `pattern`, written at this range, on a measure that does not read
    /// the output.
    #[error("`pattern` is only for measures `from = \"output\"`")]
    PatternNotRead(Range<usize>),
    #[error("the pattern captures a unit, so `{0}` must be a time or size unit it converts into")]
    UnitNotConvertible(String),
    /// A `client_cpu` measure in a unit other than `%`.
    #[error("`client_cpu` is measured in `%`, not `{0}`")]
    NotPercent(String),
}

impl MeasureError {
    /// The part of the measure the mistake is in, when it is one value.
    fn span(&self) -> Option<Range<usize>> {
        match self {
            Self::Pattern { at, .. } | Self::PatternNotRead(at) => Some(at.clone()),
            _ => None,
        }
    }
}

fn measure(m: RawMeasure) -> std::result::Result<Measure, MeasureError> {
    let (default_metric, default_unit, family) = match m.from {
        From::Wall => (Some("time"), Some("ms"), Some(Family::Time)),
        From::Rss => (Some("memory"), Some("MiB"), Some(Family::Bytes)),
        From::ServerMemory => (Some("server memory"), Some("MiB"), Some(Family::Bytes)),
        From::ClientCpu => (Some(CLIENT_CPU_METRIC), Some("%"), None),
        From::Output => (None, None, None),
    };
    let metric = m
        .metric
        .or(default_metric.map(str::to_string))
        .ok_or(MeasureError::NoMetric)?;
    let unit = m
        .unit
        .or(default_unit.map(str::to_string))
        .ok_or_else(|| MeasureError::NoUnit(metric.clone()))?;
    if m.from == From::ClientCpu && unit != "%" {
        return Err(MeasureError::NotPercent(unit));
    }
    if let Some(f) = family {
        if units::lookup(&unit).map(|(g, _)| g) != Some(f) {
            return Err(MeasureError::WrongFamily {
                unit,
                family: if f == Family::Time { "time" } else { "size" },
            });
        }
    }
    let pattern = match (&m.pattern, m.from) {
        (Some(p), From::Output) => {
            Some(
                pattern(p.get_ref()).map_err(|source| MeasureError::Pattern {
                    source,
                    at: p.span(),
                })?,
            )
        }
        (None, From::Output) => return Err(MeasureError::NoPattern(metric)),
        (Some(p), _) => return Err(MeasureError::PatternNotRead(p.span())),
        (None, _) => None,
    };
    if let Some(p) = &pattern {
        if p.capture_names().flatten().any(|n| n == "unit") && units::lookup(&unit).is_none() {
            return Err(MeasureError::UnitNotConvertible(unit));
        }
    }
    Ok(Measure {
        metric,
        from: m.from,
        unit,
        // The load generator's CPU is a reading beside the results: no
        // way of it is better.
        better: m.better.unwrap_or(if m.from == From::ClientCpu {
            Better::Neither
        } else {
            Better::Lower
        }),
        pattern,
    })
}

/// Why a `pattern` or `version_pattern` cannot read a number.
#[derive(Debug, thiserror::Error)]
pub enum PatternError {
    #[error("{0}")]
    Regex(#[from] regex::Error),
    #[error("pattern `{0}` has no group: put the number in parentheses, as in `time: ([0-9.]+)`")]
    NoGroup(String),
    #[error("in pattern `{0}`, group 1 is the unit: the first group must be the number")]
    UnitFirst(String),
}

/// A regex with at least one group (the number).
fn pattern(p: &str) -> std::result::Result<Regex, PatternError> {
    let re = Regex::new(p)?;
    if re.captures_len() < 2 {
        return Err(PatternError::NoGroup(p.to_string()));
    }
    if re.capture_names().nth(1).flatten() == Some("unit") {
        return Err(PatternError::UnitFirst(p.to_string()));
    }
    Ok(re)
}

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// A `{name}` in a command, label or parameter that nothing fills in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown placeholder `{{{name}}}`{}", placeholder_hint(.name, .known))]
pub struct UnknownPlaceholder {
    pub name: String,
    /// The names that are filled in where it is written.
    pub known: BTreeSet<String>,
}

fn placeholder_hint(name: &str, known: &BTreeSet<String>) -> String {
    if name == "port" {
        ": `{port}` is for benchmarks whose subjects have a `server`".into()
    } else if known.is_empty() {
        String::new()
    } else {
        let list: Vec<String> = known.iter().map(|k| format!("{{{k}}}")).collect();
        format!(" (known here: {})", list.join(", "))
    }
}

/// Replaces `{name}` with `vars[name]`. Names in `keep` stay as written (to
/// fill later); any other `{identifier}` is an error. Braces around
/// anything but an identifier are left alone.
pub fn fill(
    template: &str,
    vars: &BTreeMap<String, String>,
    keep: &[&str],
) -> std::result::Result<String, UnknownPlaceholder> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}');
        let ident = close.map(|c| &after[..c]).filter(|s| {
            let mut chars = s.chars();
            chars
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
        match (ident, close) {
            (Some(name), Some(c)) => {
                if let Some(v) = vars.get(name) {
                    out.push_str(v);
                } else if keep.contains(&name) {
                    out.push_str(&rest[open..open + c + 2]);
                } else {
                    let known = vars.keys().cloned();
                    return Err(UnknownPlaceholder {
                        name: name.to_string(),
                        known: known.chain(keep.iter().map(|k| k.to_string())).collect(),
                    });
                }
                rest = &after[c + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// Why a command cannot be split into words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SplitError {
    /// A quote (`'` or `"`) opened and never closed.
    #[error("unclosed `{0}` in the command")]
    Unclosed(char),
    #[error("the command ends with `\\`")]
    TrailingBackslash,
}

/// Splits a command into words like a POSIX shell does for a simple command:
/// spaces separate words, `'...'` is literal, `"..."` allows `\"` and `\\`,
/// and a backslash outside quotes escapes the next character. No pipes,
/// redirections, variables or globs: run `sh -c '...'` for those.
pub fn split_words(s: &str) -> std::result::Result<Vec<String>, SplitError> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err(SplitError::Unclosed('\'')),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\')) => word.push(c),
                            Some(c) => {
                                word.push('\\');
                                word.push(c);
                            }
                            None => return Err(SplitError::Unclosed('"')),
                        },
                        Some(c) => word.push(c),
                        None => return Err(SplitError::Unclosed('"')),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some(c) => word.push(c),
                    None => return Err(SplitError::TrailingBackslash),
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn splits_like_a_shell() {
        assert_eq!(
            split_words(r#"python3 -c "print('a b')" x\ y 'c "d"'"#).unwrap(),
            vec!["python3", "-c", "print('a b')", "x y", "c \"d\""]
        );
        assert_eq!(split_words("  a   b ").unwrap(), vec!["a", "b"]);
        assert_eq!(split_words("a ''").unwrap(), vec!["a", ""]);
        for (bad, says) in [
            ("a 'b", "unclosed `'` in the command"),
            ("a \"b", "unclosed `\"` in the command"),
            ("a \"b\\", "unclosed `\"` in the command"),
            ("a b\\", "the command ends with `\\`"),
        ] {
            assert_eq!(
                split_words(bad).map_err(|e| e.to_string()),
                Err(says.into())
            );
        }
    }

    #[test]
    fn fills_placeholders() {
        let v = vars(&[("connections", "50")]);
        assert_eq!(
            fill(
                "wrk -c{connections} http://127.0.0.1:{port}/",
                &v,
                &["port"]
            )
            .unwrap(),
            "wrk -c50 http://127.0.0.1:{port}/"
        );
        assert_eq!(
            fill("node -e \"({a: 1})\" {x-y}", &v, &[]).unwrap(),
            "node -e \"({a: 1})\" {x-y}"
        );
        let e = fill("wrk -c{conections}", &v, &[]).unwrap_err().to_string();
        assert!(
            e.contains("`{conections}`") && e.contains("{connections}"),
            "{e}"
        );
        assert_eq!(
            fill("x {port}", &v, &[]).unwrap_err().to_string(),
            "unknown placeholder `{port}`: `{port}` is for benchmarks whose subjects have a `server`"
        );
        assert_eq!(
            fill("x {y}", &BTreeMap::new(), &[])
                .unwrap_err()
                .to_string(),
            "unknown placeholder `{y}`"
        );
    }

    const GOOD: &str = r#"
[defaults]
runs = 3

[[runtime]]
name = "Python"
program = "python3"
version_pattern = 'Python (\S+)'

[results.cpu]
title = "CPU"

[[benchmark]]
name = "fib"
label = "fib({n})"
results = "cpu"
params = [{ n = 20 }, { n = 25 }]
subjects = [
  { name = "Python", command = "python3 fib.py {n}" },
  { name = "Other", command = "python3 -c 'print(1)' {cores}" },
]

[[benchmark.measure]]
from = "wall"

[[benchmark.measure]]
metric = "inner"
from = "output"
pattern = 'time: ([0-9.]+) ?(?P<unit>ms|s)'
unit = "ms"
"#;

    #[test]
    fn parses_a_definition() {
        let s = parse(Path::new("/x/b.toml"), Path::new("b.toml"), GOOD).unwrap();
        assert_eq!(s.results_dir, Path::new("/x/results"));
        let b = &s.benchmarks[0];
        assert_eq!((b.runs, b.warmup), (3, 1));
        assert_eq!(b.instances.len(), 2);
        assert_eq!(b.instances[1].label, "fib(25)");

        let py = &b.instances[0].subjects[0];
        assert_eq!(py.command, vec!["python3", "fib.py", "20"]);
        assert_eq!(py.runtimes, vec![0], "runtime found by name");
        let other = &b.instances[0].subjects[1];
        assert_eq!(other.runtimes, vec![0], "runtime found by program");
        assert_eq!(b.measures[0].metric, "time");
        assert_eq!(b.measures[0].unit, "ms");
        assert_eq!(b.measures[1].better, Better::Lower);
    }

    #[test]
    fn errors_point_at_the_line() {
        let cases = [
            (
                GOOD.replace("fib.py {n}", "fib.py {m}"),
                "unknown placeholder `{m}`",
                19,
            ),
            (GOOD.replace("n = 25", "n = 20"), "same label", 17),
            (
                GOOD.replace("([0-9.]+)", "[0-9.]+"),
                "group 1 is the unit",
                29,
            ),
            (
                GOOD.replace("([0-9.]+) ?(?P<unit>ms|s)", "[0-9.]+ ms"),
                "no group",
                29,
            ),
            (
                GOOD.replace("from = \"wall\"", "from = \"clock\""),
                "unknown variant",
                24,
            ),
            (GOOD.replace("runs = 3", "runz = 3"), "unknown field", 3),
            (
                GOOD.replace(
                    "{ name = \"Python\", command",
                    "{ name = \"Python\", runtime = \"Pyhton\", command",
                ),
                "did you mean",
                19,
            ),
            (
                GOOD.replace("{ name = \"Other\"", "{ name = \"Python\""),
                "give each its own, such as `Python (variant)`",
                20,
            ),
        ];
        for (text, what, line) in cases {
            let diags = parse(Path::new("/x/b.toml"), Path::new("b.toml"), &text).unwrap_err();
            let d = &diags[0];
            let shown = format!("{} {}", d.message, d.help.clone().unwrap_or_default());
            assert!(shown.contains(what), "{what}: {shown}");
            let at = d.location.as_ref().map(|l| l.line_col().0);
            assert_eq!(at, Some(line), "{what}: {shown}");
        }
    }

    #[test]
    fn parameters_may_use_the_core_count() {
        let text = "[[benchmark]]\nname = \"p\"\nresults = \"r\"\nlabel = \"on {w}\"\ncommand = \"true\"\nparams = [{ w = \"{cores} cores\" }]\nsubjects = [{ name = \"A\" }]\n[[benchmark.measure]]\nfrom = \"wall\"\n";
        let s = parse(Path::new("/x/b.toml"), Path::new("b.toml"), text).unwrap();
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        assert_eq!(
            s.benchmarks[0].instances[0].label,
            format!("on {cores} cores")
        );
    }

    #[test]
    fn a_metric_keeps_one_unit_per_results_file() {
        let text = format!(
            "{GOOD}\n[[benchmark]]\nname = \"b\"\nresults = \"cpu\"\ncommand = \"true\"\nsubjects = [{{ name = \"A\" }}]\n[[benchmark.measure]]\nfrom = \"rss\"\nmetric = \"time\"\n"
        );
        let diags = parse(Path::new("/x/b.toml"), Path::new("b.toml"), &text).unwrap_err();
        assert!(
            diags[0].message.contains("metric `time`"),
            "{}",
            diags[0].message
        );
    }
}
