//! Test helper: a fixture site in a temporary folder, built with the real
//! `versus` binary, with chainable setup and checks.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_versus");

/// Runs the binary with `args` in `dir` and returns what it printed on
/// standard output; the test fails, showing its standard error, unless it
/// succeeds.
#[track_caller]
pub fn versus_ok<S: AsRef<std::ffi::OsStr>>(
    dir: &Path,
    args: impl IntoIterator<Item = S>,
) -> String {
    stdout_ok(Command::new(BIN).args(args).current_dir(dir))
}

/// Builds the site in `root` into `out`; the test fails, showing what the
/// build printed, unless it succeeds.
#[track_caller]
pub fn build_into(root: &Path, out: &Path) {
    versus_ok(
        root,
        [
            "build".as_ref(),
            "--quiet".as_ref(),
            "--out".as_ref(),
            out.as_os_str(),
        ],
    );
}

/// Runs `cmd` and returns what it printed on standard output; the test
/// fails, showing its standard error, unless it succeeds.
#[track_caller]
pub fn stdout_ok(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{} failed:\n{}",
        Path::new(cmd.get_program())
            .file_name()
            .unwrap_or_default()
            .to_string_lossy(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

pub struct Site {
    pub dir: tempfile::TempDir,
}

/// The result of running the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(out: Output) -> Self {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    #[track_caller]
    pub fn ok(self) -> Self {
        assert_eq!(
            self.code, 0,
            "expected success, got {}:\n{}",
            self.code, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn fails(self, code: i32) -> Self {
        assert_eq!(
            self.code, code,
            "expected exit {code}, got {}:\n{}",
            self.code, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn stderr_has(self, needle: &str) -> Self {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            self.stderr
        );
        self
    }

    #[track_caller]
    pub fn stderr_lacks(self, needle: &str) -> Self {
        assert!(
            !self.stderr.contains(needle),
            "stderr has {needle:?}:\n{}",
            self.stderr
        );
        self
    }
}

impl Site {
    /// An empty site with a minimal versus.toml.
    pub fn new() -> Self {
        let site = Site {
            dir: tempfile::tempdir().unwrap(),
        };
        site.file("versus.toml", "title = \"Test site\"\n")
    }

    /// A copy of a fixture folder under tests/fixtures/.
    pub fn fixture(name: &str) -> Self {
        let site = Site {
            dir: tempfile::tempdir().unwrap(),
        };
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        copy_dir(&from, site.root());
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file (creating folders).
    pub fn file(self, rel: &str, text: &str) -> Self {
        self.write(rel, text);
        self
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.root().join(rel)).unwrap();
    }

    /// Runs `versus ARGS` in the site folder.
    pub fn run(&self, args: &[&str]) -> Run {
        Run::from(
            Command::new(BIN)
                .args(args)
                .current_dir(self.root())
                .env("NO_COLOR", "1")
                .output()
                .unwrap(),
        )
    }

    pub fn build(&self) -> Run {
        self.run(&["build", "--quiet"])
    }

    /// Reads an output file.
    #[track_caller]
    pub fn out(&self, rel: &str) -> String {
        let p = self.root().join("public").join(rel);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.root().join("public").join(rel).exists()
    }

    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }
}

/// Builds the site that ships in this repository (README, content/,
/// themes/) into a temporary folder with `env` set, and returns the folder
/// (the site is in its `public/`) and what the build printed on standard
/// error; the test fails unless the build succeeds.
#[track_caller]
pub fn build_bundled(env: &[(&str, &str)]) -> (tempfile::TempDir, String) {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let run = Command::new(BIN)
        .args([
            "build",
            "--quiet",
            "--root",
            env!("CARGO_MANIFEST_DIR"),
            "--out",
        ])
        .arg(&public)
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
    assert!(
        run.status.success(),
        "the bundled site does not build:\n{stderr}"
    );
    (out, stderr)
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// Every file under `dir`, relative, sorted, with its bytes.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// The values of `attr="..."` attributes in an HTML text.
pub fn attr_values(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        rest = &rest[i + needle.len()..];
        if let Some(end) = rest.find('"') {
            out.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    out
}

/// Checks that every internal href/src in every HTML file under `public`
/// resolves to an existing file (and heading id) the way a browser opening
/// the files from disk would resolve it, percent-encoding decoded. Returns
/// the broken ones.
pub fn broken_links(public: &Path) -> Vec<String> {
    let mut broken = Vec::new();
    for (rel, bytes) in snapshot(public) {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(&bytes);
        let dir = Path::new(&rel)
            .parent()
            .unwrap_or(Path::new(""))
            .to_path_buf();
        for url in attr_values(&html, "href")
            .into_iter()
            .chain(attr_values(&html, "src"))
        {
            if url.starts_with("http:")
                || url.starts_with("https:")
                || url.starts_with("mailto:")
                || url.starts_with("data:")
            {
                continue;
            }
            if url.starts_with('/') {
                broken.push(format!("{rel}: absolute URL {url}"));
                continue;
            }
            let (path, frag) = url
                .split_once('#')
                .map_or((url.as_str(), None), |(p, f)| (p, Some(f)));
            let target_rel = if path.is_empty() {
                PathBuf::from(&rel)
            } else {
                normalize(&dir.join(percent_decode(path)))
            };
            let target = public.join(&target_rel);
            if !target.is_file() {
                broken.push(format!("{rel}: {url} (no file {})", target_rel.display()));
                continue;
            }
            if let Some(frag) = frag.filter(|f| !f.is_empty()) {
                let text = std::fs::read_to_string(&target).unwrap_or_default();
                let id = percent_decode(frag);
                if !text.contains(&format!("id=\"{id}\"")) {
                    broken.push(format!("{rel}: {url} (no id {id})"));
                }
            }
        }
    }
    broken
}

/// Fails the test, listing them, if any link under `public` is broken
/// (see [`broken_links`]).
#[track_caller]
pub fn assert_links_resolve(public: &Path) {
    let broken = broken_links(public);
    assert!(broken.is_empty(), "broken links: {broken:#?}");
}

/// `s` with each `%XX` replaced by the byte it stands for (as UTF-8, lossy).
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = (b[i] == b'%')
            .then(|| s.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match hex {
            Some(v) => {
                out.push(v);
                i += 3;
            }
            None => {
                out.push(b[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// The Nu HTML Checker's jar (`VNU_JAR`, or the one .ci/run installs);
/// `None`, saying so, when it is missing (a failure under CI=true).
pub fn vnu_jar() -> Option<PathBuf> {
    let jar = std::env::var_os("VNU_JAR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(".ci/node_modules/vnu-jar/build/dist/vnu.jar")
        });
    if jar.is_file() {
        return Some(jar);
    }
    assert!(
        !in_ci(),
        "the Nu HTML Checker is required under CI=true: {} is missing",
        jar.display()
    );
    eprintln!(
        "SKIPPED: no Nu HTML Checker at {} (run .ci/run, or set VNU_JAR)",
        jar.display()
    );
    None
}

/// True when running under CI (tests needing outside programs must not skip there).
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Finds an outside program; under CI its absence fails the test, elsewhere it skips with a reason.
pub fn require_program(name: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        if in_ci() {
            panic!("{name} is required under CI=true but was not found on PATH");
        }
        eprintln!("SKIPPED: {name} not found on PATH (install it to run this test)");
    }
    found
}

/// Node, Chromium and playwright-core for browser tests, or None (skipping
/// with a reason) outside CI.
pub fn browser_tools() -> Option<PathBuf> {
    let node = require_program("node")?;
    require_program("chromium")?;
    let pw = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/node_modules/playwright-core");
    if !pw.is_dir() {
        assert!(
            !in_ci(),
            "playwright-core is required under CI=true: run .ci/run"
        );
        eprintln!("SKIPPED: no {} (run .ci/run to install it)", pw.display());
        return None;
    }
    Some(node)
}

/// Runs a script of tests/browser/ with Node; it prints "ok" on success.
#[track_caller]
pub fn run_browser_script(node: &Path, script: &str, args: &[&str]) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/browser")
        .join(script);
    let out = Command::new(node).arg(path).args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.contains("ok"),
        "{script} failed:\n{stdout}\n{stderr}"
    );
}

/// A number from the environment variable `name`, else `default`.
pub fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The seed of a randomised test: from the environment variable `name`
/// (to replay a run), else from the clock.
pub fn seed(name: &str) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                % 1_000_000_007
        })
}

/// SplitMix64: a small seeded generator for randomised tests, so that a
/// printed seed (see [`seed`]) replays the same run.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A number in [0, n), or 0 when n is 0.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// `len` random ASCII letters and digits.
    pub fn word(&mut self, len: usize) -> String {
        const ABC: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        (0..len)
            .map(|_| ABC[self.below(ABC.len() as u64) as usize] as char)
            .collect()
    }
}

/// The text of every search index file under `public/search`, one after
/// the other.
pub fn search_text(public: &Path) -> String {
    let mut out = String::new();
    for entry in walkdir::WalkDir::new(public.join("search"))
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
    {
        out.push_str(&std::fs::read_to_string(entry.path()).unwrap_or_default());
    }
    out
}

/// Checks every HTML file under `dir` with the Nu HTML Checker; the test
/// fails on any error. Skipped, saying so, without java or the checker
/// (a failure under CI=true).
#[track_caller]
pub fn assert_valid_html(dir: &Path) {
    let Some(java) = require_program("java") else {
        return;
    };
    let Some(jar) = vnu_jar() else { return };
    let run = Command::new(java)
        .arg("-jar")
        .arg(jar)
        .args(["--errors-only", "--skip-non-html", "--format", "text"])
        .arg(dir)
        .output()
        .unwrap();
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(run.status.success(), "Nu HTML Checker errors:\n{report}");
}
