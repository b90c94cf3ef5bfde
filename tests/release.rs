//! Releases and installing them, for real: the shell steps of
//! .github/workflows/release.yml package the tested binary and hand it to a
//! stand-in `gh`; a local server serves what was uploaded the way GitHub
//! serves release downloads; then the `run:` steps of the Pages workflow
//! that `versus init` writes download it, check it, put it on the PATH and
//! build the site with it. The scripts are read from the workflow files, so
//! a step that breaks breaks a test. `cargo`, `rustup` and `gh` are stubs
//! that record their arguments; everything else (bash, curl, sha256sum,
//! tar) is the machine's own.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_norway::Value;

// ---------------------------------------------------------------------
// Workflows and their steps
// ---------------------------------------------------------------------

struct Workflow {
    yaml: Value,
}

/// A `run:` step as the runner sees it before expressions are filled in.
struct Step {
    name: String,
    id: Option<String>,
    run: String,
    /// The shell's command line, as GitHub runs a script file on Linux.
    shell: Vec<&'static str>,
    /// Workflow, job and step `env`, in that order of precedence.
    env: Vec<(String, String)>,
}

impl Workflow {
    fn repo(rel: &str) -> Self {
        let text =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap();
        Self::parse(&text)
    }

    fn parse(text: &str) -> Self {
        Workflow {
            yaml: serde_norway::from_str(text).unwrap(),
        }
    }

    fn job(&self, job: &str) -> &Value {
        let value = &self.yaml["jobs"][job];
        assert!(!value.is_null(), "no job {job}");
        value
    }

    /// The job's `run:` steps in order (`uses:` steps are GitHub's).
    fn run_steps(&self, job: &str) -> Vec<Step> {
        let job_value = self.job(job);
        let mut inherited = env_of(&self.yaml);
        inherited.extend(env_of(job_value));
        job_value["steps"]
            .as_sequence()
            .unwrap()
            .iter()
            .filter(|s| s.get("run").is_some())
            .map(|s| {
                let mut env = inherited.clone();
                env.extend(env_of(s));
                let shell = match s["shell"].as_str() {
                    None => vec!["bash", "-e"],
                    Some("bash") => vec!["bash", "--noprofile", "--norc", "-eo", "pipefail"],
                    Some(other) => panic!("a step with shell {other} cannot run here"),
                };
                Step {
                    name: s["name"].as_str().unwrap_or("(unnamed)").to_string(),
                    id: s["id"].as_str().map(str::to_string),
                    run: s["run"].as_str().unwrap().to_string(),
                    shell,
                    env,
                }
            })
            .collect()
    }
}

fn env_of(value: &Value) -> Vec<(String, String)> {
    value["env"]
        .as_mapping()
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    let v = match v {
                        Value::String(s) => s.clone(),
                        other => serde_norway::to_string(other).unwrap().trim().to_string(),
                    };
                    (k.as_str().unwrap().to_string(), v)
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Replaces every `${{ expr }}` with its value; an expression the test
/// gave no value for is a test error, not an empty string.
fn fill(text: &str, values: &HashMap<String, String>, step: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("${{") {
        out.push_str(&rest[..at]);
        let end = rest[at..].find("}}").expect("an expression ends") + at;
        let expr = rest[at + 3..end].trim();
        let value = values
            .get(expr)
            .unwrap_or_else(|| panic!("step {step:?}: no value for ${{{{ {expr} }}}}"));
        out.push_str(value);
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    out
}

// ---------------------------------------------------------------------
// A stand-in for a GitHub-hosted Linux runner
// ---------------------------------------------------------------------

/// One machine: a home, a temporary folder, stub `cargo`, `rustup` and
/// `gh` that log their arguments, and the machine's other programs.
struct Runner {
    dir: tempfile::TempDir,
}

struct StepRun {
    name: String,
    ok: bool,
    log: String,
}

/// The steps a job ran; it stops at the first that fails, as GitHub does.
struct JobRun {
    steps: Vec<StepRun>,
}

impl JobRun {
    fn ok(&self) -> bool {
        self.steps.iter().all(|s| s.ok)
    }

    fn log(&self) -> String {
        self.steps
            .iter()
            .map(|s| {
                format!(
                    "== {} ({})\n{}",
                    s.name,
                    if s.ok { "ok" } else { "FAILED" },
                    s.log
                )
            })
            .collect()
    }

    #[track_caller]
    fn step(&self, name: &str) -> &StepRun {
        self.steps
            .iter()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("step {name:?} did not run:\n{}", self.log()))
    }

    fn names(&self) -> Vec<&str> {
        self.steps.iter().map(|s| s.name.as_str()).collect()
    }
}

/// A stand-in for cargo: logs its arguments, and puts the tested binary
/// where `cargo install` or `cargo build` would put the one it builds.
const CARGO_STUB: &str = r#"printf '%s\n' "$*" >> "@LOG@/cargo"
case "$1" in
  install) dest="${CARGO_HOME:-$HOME/.cargo}/bin" ;;
  build)
    dest=target/release
    while [ $# -gt 0 ]; do
      if [ "$1" = --target ]; then dest="target/$2/release"; fi
      shift
    done ;;
  *) exit 0 ;;
esac
mkdir -p "$dest"
cp "@VERSUS@" "$dest/versus"
"#;

impl Runner {
    fn new() -> Self {
        let runner = Runner {
            dir: tempfile::tempdir().unwrap(),
        };
        for sub in ["home", "temp", "stubs", "logs"] {
            std::fs::create_dir_all(runner.path(sub)).unwrap();
        }
        let log = runner.path("logs").display().to_string();
        runner.stub(
            "cargo",
            &CARGO_STUB
                .replace("@LOG@", &log)
                .replace("@VERSUS@", common::BIN),
        );
        for name in ["rustup", "gh"] {
            runner.stub(
                name,
                &format!("printf '%s\\n' \"$*\" >> \"{log}/{name}\"\n"),
            );
        }
        runner
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn stub(&self, name: &str, body: &str) {
        use std::os::unix::fs::PermissionsExt;
        let path = self.path("stubs").join(name);
        std::fs::write(&path, format!("#!/usr/bin/env bash\n{body}")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    /// The command lines a stub was called with, one per call.
    fn calls(&self, stub: &str) -> Vec<String> {
        std::fs::read_to_string(self.path("logs").join(stub))
            .map(|t| t.lines().map(str::to_string).collect())
            .unwrap_or_default()
    }

    /// The PATH of a fresh job: `~/.cargo/bin` (on the PATH of GitHub's
    /// Ubuntu images), the stubs, then this machine's folders except any
    /// that hold a `versus`, which must come from the job.
    fn base_path(&self) -> Vec<PathBuf> {
        let mut dirs = vec![self.path("home/.cargo/bin"), self.path("stubs")];
        let system = std::env::var_os("PATH").unwrap_or_default();
        dirs.extend(std::env::split_paths(&system).filter(|d| !d.join("versus").exists()));
        dirs
    }

    /// Runs the `run:` steps of `job` in `workspace`, with `values` for the
    /// expressions and `env` replacing variables the workflow sets (each
    /// must be one it sets).
    fn run_job(
        &self,
        workflow: &Workflow,
        job: &str,
        workspace: &Path,
        values: &[(&str, &str)],
        env: &[(&str, &str)],
    ) -> JobRun {
        let mut values: HashMap<String, String> = values
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let mut path = self.base_path();
        let mut steps = Vec::new();
        for (i, step) in workflow.run_steps(job).into_iter().enumerate() {
            let files = self.path(&format!("temp/_runner_file_commands/{job}-{i}"));
            std::fs::create_dir_all(&files).unwrap();
            let github_path = files.join("path");
            let github_output = files.join("output");
            let script = files.join("script.sh");
            std::fs::write(&script, fill(&step.run, &values, &step.name)).unwrap();
            let mut vars: Vec<(String, String)> = step
                .env
                .iter()
                .map(|(k, v)| (k.clone(), fill(v, &values, &step.name)))
                .collect();
            for (key, value) in env {
                let var = vars
                    .iter_mut()
                    .find(|(k, _)| k == key)
                    .unwrap_or_else(|| panic!("the workflow sets no {key}"));
                var.1 = value.to_string();
            }
            let out = Command::new(step.shell[0])
                .args(&step.shell[1..])
                .arg(&script)
                .current_dir(workspace)
                .env_clear()
                .env("PATH", std::env::join_paths(&path).unwrap())
                .env("HOME", self.path("home"))
                .env("RUNNER_TEMP", self.path("temp"))
                .env("RUNNER_OS", "Linux")
                .env("RUNNER_ARCH", "X64")
                .env("GITHUB_ACTIONS", "true")
                .env("CI", "true")
                .env("GITHUB_WORKSPACE", workspace)
                .env("GITHUB_PATH", &github_path)
                .env("GITHUB_OUTPUT", &github_output)
                .envs(vars)
                .output()
                .unwrap();
            let ok = out.status.success();
            steps.push(StepRun {
                name: step.name.clone(),
                ok,
                log: format!(
                    "{}{}",
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                ),
            });
            if !ok {
                break;
            }
            // What the step asked the runner for: folders put first on the
            // PATH of later steps, and outputs for their expressions.
            let added = std::fs::read_to_string(&github_path).unwrap_or_default();
            for line in added.lines().filter(|l| !l.is_empty()) {
                path.insert(0, PathBuf::from(line));
            }
            if let Some(id) = &step.id {
                let outputs = std::fs::read_to_string(&github_output).unwrap_or_default();
                for line in outputs.lines() {
                    if let Some((k, v)) = line.split_once('=') {
                        values.insert(format!("steps.{id}.outputs.{k}"), v.to_string());
                    }
                }
            }
        }
        JobRun { steps }
    }
}

// ---------------------------------------------------------------------
// Releasing, and serving the release
// ---------------------------------------------------------------------

/// The programs the workflows' scripts use besides the stubs; None
/// (skipping with a reason) outside CI when one is missing.
fn script_tools() -> Option<()> {
    for program in ["bash", "curl", "sha256sum", "tar", "gzip"] {
        common::require_program(program)?;
    }
    Some(())
}

fn version() -> String {
    let out = Command::new(common::BIN).arg("--version").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    text.trim().strip_prefix("versus ").unwrap().to_string()
}

fn tag() -> String {
    format!("v{}", version())
}

/// The release target whose binary the Pages job downloads: the one the
/// release workflow builds on the runner the Pages job runs on.
fn pages_target(release: &Workflow, pages: &Workflow) -> String {
    let runs_on = pages.job("build")["runs-on"].as_str().unwrap().to_string();
    release.job("build")["strategy"]["matrix"]["include"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|e| e["os"].as_str() == Some(&runs_on))
        .unwrap_or_else(|| panic!("the release builds nothing on {runs_on}, where Pages runs"))
        ["target"]
        .as_str()
        .unwrap()
        .to_string()
}

/// A release of the tested binary, made by the release workflow's build
/// job: the files its `gh release upload` was given, copied into a folder.
struct Release {
    runner: Runner,
    names: Vec<String>,
}

impl Release {
    fn make() -> Self {
        let release = Workflow::repo(".github/workflows/release.yml");
        let target = pages_target(&release, &init_site().1);
        let runner = Runner::new();
        let checkout = runner.path("checkout");
        std::fs::create_dir_all(&checkout).unwrap();
        let job = runner.run_job(
            &release,
            "build",
            &checkout,
            &[
                ("matrix.target", &target),
                ("github.ref_name", &tag()),
                ("github.token", "not-a-token"),
            ],
            &[],
        );
        assert!(job.ok(), "the release build job failed:\n{}", job.log());
        assert_eq!(
            runner.calls("rustup"),
            [format!("target add {target}")],
            "{}",
            job.log()
        );
        let uploads = runner.calls("gh");
        assert_eq!(uploads.len(), 1, "one upload: {uploads:?}");
        let args: Vec<&str> = uploads[0].split(' ').collect();
        assert_eq!(
            args[..3],
            ["release", "upload", tag().as_str()],
            "{uploads:?}"
        );
        let files = runner.path("release");
        std::fs::create_dir_all(&files).unwrap();
        let mut names = Vec::new();
        for file in args[3..].iter().filter(|a| !a.starts_with("--")) {
            let name = Path::new(file).file_name().unwrap().to_string_lossy();
            std::fs::copy(checkout.join(file), files.join(&*name)).unwrap();
            names.push(name.into_owned());
        }
        Release { runner, names }
    }

    fn files(&self) -> PathBuf {
        self.runner.path("release")
    }
}

/// Serves `dir` at `REPO/releases/download/TAG/NAME`, as GitHub serves a
/// release's files; anything else is a 404. Returns REPO's address.
fn serve_release(dir: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let prefix = format!("/owner/versus/releases/download/{}/", tag());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            let _ = reader.read_line(&mut request);
            let mut header = String::new();
            while reader.read_line(&mut header).unwrap_or(0) > 2 {
                header.clear();
            }
            let path = request.split_whitespace().nth(1).unwrap_or("/");
            let body = path
                .strip_prefix(&prefix)
                .filter(|name| !name.contains('/') && !name.starts_with('.'))
                .and_then(|name| std::fs::read(dir.join(name)).ok());
            let (status, body) = match body {
                Some(b) => ("200 OK", b),
                None => ("404 Not Found", b"Not Found".to_vec()),
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(&body);
        }
    });
    format!("http://127.0.0.1:{port}/owner/versus")
}

/// `versus init` into a temporary folder: the site and its workflow.
fn init_site() -> (tempfile::TempDir, Workflow) {
    let work = tempfile::tempdir().unwrap();
    common::versus_ok(work.path(), ["init", "site", "--title", "Released"]);
    let yml =
        std::fs::read_to_string(work.path().join("site/.github/workflows/pages.yml")).unwrap();
    (work, Workflow::parse(&yml))
}

/// The Pages build job of a new site on a fresh runner, downloading from
/// `repository` instead of the address Cargo.toml names.
fn pages_job(repository: &str) -> (Runner, tempfile::TempDir, JobRun) {
    pages_job_with(repository, |_| {})
}

/// [`pages_job`] on a new site that `change` edits first.
fn pages_job_with(
    repository: &str,
    change: impl FnOnce(&Path),
) -> (Runner, tempfile::TempDir, JobRun) {
    let (site, pages) = init_site();
    change(&site.path().join("site"));
    let runner = Runner::new();
    let job = runner.run_job(
        &pages,
        "build",
        &site.path().join("site"),
        &[(
            "steps.pages.outputs.base_url",
            "https://owner.github.io/site",
        )],
        &[("VERSUS_REPO", repository)],
    );
    (runner, site, job)
}

// ---------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------

#[test]
fn the_release_installs_with_the_pages_workflow_init_writes_and_builds_the_site() {
    let Some(()) = script_tools() else { return };
    let release = Release::make();
    let target = pages_target(
        &Workflow::repo(".github/workflows/release.yml"),
        &init_site().1,
    );
    let asset = format!("versus-{target}.tar.gz");
    assert_eq!(release.names, [asset.clone(), format!("{asset}.sha256")]);
    let repository = serve_release(release.files());
    let (runner, site, job) = pages_job(&repository);
    assert!(job.ok(), "{}", job.log());
    assert_eq!(
        job.names(),
        [
            "Install versus",
            "Versus version",
            "Use the Pages address as base_url when versus.toml has none",
            "Check the site",
            "Build the site",
        ]
    );
    let install = job.step("Install versus");
    assert!(
        install.log.contains(&format!("{asset}: OK")),
        "{}",
        install.log
    );
    assert!(!job.log().contains("::warning"), "{}", job.log());
    assert!(runner.calls("cargo").is_empty(), "nothing was compiled");
    assert_eq!(
        job.step("Versus version").log.trim(),
        format!("versus {}", version())
    );
    let site = site.path().join("site");
    let config = std::fs::read_to_string(site.join("versus.toml")).unwrap();
    assert!(
        config.starts_with("base_url = \"https://owner.github.io/site\"\n"),
        "{config}"
    );
    let index = std::fs::read_to_string(site.join("public/index.html")).unwrap();
    assert!(index.contains("Released"), "{index}");
}

#[test]
fn a_release_binary_that_fails_its_checksum_stops_the_job() {
    let Some(()) = script_tools() else { return };
    let release = Release::make();
    // The archive changed after its checksum was published.
    let name = release
        .names
        .iter()
        .find(|n| n.ends_with(".tar.gz"))
        .unwrap();
    let archive = release.files().join(name);
    let mut bytes = std::fs::read(&archive).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&archive, bytes).unwrap();
    let repository = serve_release(release.files());
    let (runner, _site, job) = pages_job(&repository);
    assert!(!job.ok(), "{}", job.log());
    assert_eq!(job.names(), ["Install versus"], "the job stops there");
    let install = job.step("Install versus");
    assert!(install.log.contains("FAILED"), "{}", install.log);
    assert!(
        install.log.contains("::error::") && install.log.contains("does not match its checksum"),
        "{}",
        install.log
    );
    assert!(
        runner.calls("cargo").is_empty(),
        "a mismatch is not a missing release: nothing is built instead"
    );
}

#[test]
fn without_a_release_the_job_warns_and_builds_that_version_with_cargo_install() {
    let Some(()) = script_tools() else { return };
    let empty = tempfile::tempdir().unwrap();
    let repository = serve_release(empty.path().to_path_buf());
    let (runner, site, job) = pages_job(&repository);
    assert!(job.ok(), "{}", job.log());
    let install = job.step("Install versus");
    let target = pages_target(
        &Workflow::repo(".github/workflows/release.yml"),
        &init_site().1,
    );
    let url = format!(
        "{repository}/releases/download/{}/versus-{target}.tar.gz",
        tag()
    );
    assert!(
        install
            .log
            .contains(&format!("::warning::No release binary at {url}")),
        "the warning names the address it tried:\n{}",
        install.log
    );
    assert_eq!(
        runner.calls("cargo"),
        [format!(
            "install --locked --git {repository} --tag {} versus",
            tag()
        )]
    );
    assert_eq!(
        job.step("Versus version").log.trim(),
        format!("versus {}", version())
    );
    assert!(site.path().join("site/public/index.html").is_file());
}

#[test]
fn a_site_with_an_error_versus_check_finds_is_neither_built_nor_deployed() {
    let Some(()) = script_tools() else { return };
    let empty = tempfile::tempdir().unwrap();
    let repository = serve_release(empty.path().to_path_buf());
    // `versus build` accepts this page (a link to a missing file is not a
    // build error); `versus check` does not.
    let (_runner, site, job) = pages_job_with(&repository, |site| {
        let page = site.join("content/first-comparison.md");
        let text = std::fs::read_to_string(&page).unwrap();
        std::fs::write(&page, text + "\nSee [the figures](figures.csv).\n").unwrap();
        common::versus_ok(site, ["build", "--quiet"]);
        std::fs::remove_dir_all(site.join("public")).unwrap();
    });
    assert!(!job.ok(), "{}", job.log());
    assert_eq!(
        job.names().last(),
        Some(&"Check the site"),
        "the job stops there:\n{}",
        job.log()
    );
    let check = job.step("Check the site");
    assert!(
        check.log.contains("link to missing file `figures.csv`")
            && check.log.contains("content/first-comparison.md:"),
        "{}",
        check.log
    );
    // On GitHub, the error is also an annotation at its line.
    let page =
        std::fs::read_to_string(site.path().join("site/content/first-comparison.md")).unwrap();
    let line = page.lines().count();
    assert!(
        check.log.contains(&format!(
            "::error file=content/first-comparison.md,line={line},col=5::link to missing file `figures.csv`%0Ahelp: "
        )),
        "{}",
        check.log
    );
    assert!(
        !site.path().join("site/public").exists(),
        "nothing was built to upload"
    );
}

#[test]
fn the_release_job_stops_at_a_tag_that_is_not_cargo_tomls_version() {
    let Some(_) = common::require_program("bash") else {
        return;
    };
    let release = Workflow::repo(".github/workflows/release.yml");
    let run = |tag: &str| {
        let runner = Runner::new();
        let checkout = runner.path("checkout");
        std::fs::create_dir_all(&checkout).unwrap();
        std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"),
            checkout.join("Cargo.toml"),
        )
        .unwrap();
        let job = runner.run_job(
            &release,
            "release",
            &checkout,
            &[("github.ref_name", tag), ("github.token", "not-a-token")],
            &[],
        );
        (runner, job)
    };
    let (runner, job) = run(&tag());
    assert!(job.ok(), "{}", job.log());
    assert_eq!(runner.calls("gh").len(), 1, "the release is created");
    assert!(runner.calls("gh")[0].starts_with(&format!("release create {}", tag())));

    let (runner, job) = run("v999.0.0");
    assert!(!job.ok(), "{}", job.log());
    assert!(
        job.log().contains(&format!(
            "::error::tag v999.0.0 does not match Cargo.toml's version {}",
            version()
        )),
        "{}",
        job.log()
    );
    assert!(runner.calls("gh").is_empty(), "no release is created");
}
