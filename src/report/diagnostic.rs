//! Errors and warnings about the author's files, located by path, line and
//! column and printed with the offending line, like a compiler's.
//!
//! Every stage reports problems as [`Diagnostic`]s and keeps going where it
//! can, so one build reports all the errors it finds. Only `main` prints them.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// The place in an author's file a diagnostic points at.
#[derive(Debug, Clone)]
pub struct Location {
    /// The path as shown to the author (relative to the site root).
    pub path: PathBuf,
    /// The whole text of the file, shared with the other diagnostics of it.
    pub source: Arc<str>,
    /// Byte range in `source`.
    pub span: Range<usize>,
}

impl Location {
    /// 1-based line and column (in characters) of the span start.
    pub fn line_col(&self) -> (usize, usize) {
        line_col(&self.source, self.span.start)
    }
}

/// 1-based line and column of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = text[line_start..offset].chars().count() + 1;
    (line, col)
}

/// Byte offset of the start of 1-based `line` (and 1-based char `col`) in `text`.
pub fn offset_of(text: &str, line: usize, col: usize) -> usize {
    let mut start = 0;
    for _ in 1..line.max(1) {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let rest = &text[start..];
    let line_end = rest.find('\n').unwrap_or(rest.len());
    let col_bytes = rest[..line_end]
        .char_indices()
        .nth(col.saturating_sub(1))
        .map_or(line_end, |(i, _)| i);
    start + col_bytes
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One problem found in the author's files.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub location: Option<Box<Location>>,
    /// What the author can do about it, one line.
    pub help: Option<String>,
    /// Extra context lines (e.g. "while rendering content/a.md").
    pub notes: Vec<String>,
    /// What kind of problem, for tools that sort them (`broken-link`).
    pub code: &'static str,
}

/// Prints diagnostics to stderr, in colour on a terminal. A closed stderr
/// (a broken pipe) is no reason to panic, so write errors are dropped.
pub fn eprint(diags: &[Diagnostic]) {
    use std::io::{IsTerminal, Write};
    let color = std::io::stderr().is_terminal();
    let mut stderr = std::io::stderr().lock();
    for d in diags {
        let _ = write!(stderr, "{}", d.render(color));
    }
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            message: message.into(),
            location: None,
            help: None,
            notes: Vec::new(),
            code: "",
        }
    }

    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = code;
        self
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(message)
        }
    }

    pub fn at(mut self, path: &Path, source: &Arc<str>, span: Range<usize>) -> Self {
        let end = span.end.min(source.len()).max(span.start.min(source.len()));
        let start = span.start.min(end);
        self.location = Some(Box::new(Location {
            path: path.to_path_buf(),
            source: Arc::clone(source),
            span: start..end,
        }));
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Sort key: errors before warnings is not wanted; file order is.
    fn sort_key(&self) -> (PathBuf, usize, String) {
        match &self.location {
            Some(loc) => (loc.path.clone(), loc.span.start, self.message.clone()),
            None => (PathBuf::new(), 0, self.message.clone()),
        }
    }

    /// Renders the diagnostic, with the source line and a caret under the span.
    pub fn render(&self, color: bool) -> String {
        let mut buf = term::termcolor::Buffer::no_color();
        let mut colored = term::termcolor::Buffer::ansi();
        let writer: &mut dyn term::termcolor::WriteColor =
            if color { &mut colored } else { &mut buf };
        let config = Config {
            chars: term::Chars::ascii(),
            ..Config::default()
        };
        let severity = match self.severity {
            Severity::Error => CsSeverity::Error,
            Severity::Warning => CsSeverity::Warning,
        };
        let mut notes: Vec<String> = self.notes.clone();
        if let Some(help) = &self.help {
            notes.push(format!("help: {help}"));
        }
        let result = match &self.location {
            Some(loc) => {
                let name = loc.path.display().to_string();
                let file = SimpleFile::new(name, loc.source.as_ref());
                let diag = CsDiagnostic::new(severity)
                    .with_message(&self.message)
                    .with_labels(vec![Label::primary((), loc.span.clone())])
                    .with_notes(notes);
                term::emit(writer, &config, &file, &diag)
            }
            None => {
                let file = SimpleFile::new(String::new(), "");
                let diag = CsDiagnostic::new(severity)
                    .with_message(&self.message)
                    .with_notes(notes);
                term::emit(writer, &config, &file, &diag)
            }
        };
        if result.is_err() {
            return self.to_string();
        }
        let bytes = if color {
            colored.into_inner()
        } else {
            buf.into_inner()
        };
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match &self.location {
            Some(loc) => {
                let (line, col) = loc.line_col();
                write!(
                    f,
                    "{}:{line}:{col}: {kind}: {}",
                    loc.path.display(),
                    self.message
                )
            }
            None => write!(f, "{kind}: {}", self.message),
        }
    }
}

impl Diagnostic {
    /// The diagnostic as a GitHub Actions workflow command
    /// (`::error file=content/a.md,line=5,col=3::message`), which GitHub
    /// shows on the commit and the pull request, at that line.
    pub fn github_annotation(&self) -> String {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut message = self.message.clone();
        if let Some(help) = &self.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        let escape = |s: &str| {
            s.replace('%', "%25")
                .replace('\r', "%0D")
                .replace('\n', "%0A")
        };
        let property = |s: &str| escape(s).replace(':', "%3A").replace(',', "%2C");
        match &self.location {
            Some(loc) => {
                let (line, col) = loc.line_col();
                let file = loc.path.display().to_string().replace('\\', "/");
                format!(
                    "::{kind} file={},line={line},col={col}::{}",
                    property(&file),
                    escape(&message)
                )
            }
            None => format!("::{kind}::{}", escape(&message)),
        }
    }
}

/// Sorts diagnostics by file and position so output is stable across runs
/// (stages run in parallel).
/// Also drops repeats (a broken data file used by many pages is one error).
pub fn sort(diags: &mut Vec<Diagnostic>) {
    diags.sort_by_key(|d| d.sort_key());
    diags.dedup_by(|a, b| a.sort_key() == b.sort_key() && a.severity == b.severity);
}

/// Suggests the known name closest to `unknown`, if any is close enough.
/// Case does not count (`zig` finds `Zig`), and a short name one typo
/// away (`Zgi`, `Gp`) is close even where the Jaro-Winkler score of so
/// few letters is low.
pub fn closest<'a>(unknown: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted = unknown.to_lowercase();
    known
        .into_iter()
        .filter_map(|k| {
            let lower = k.to_lowercase();
            let score = if lower == wanted {
                2.0
            } else if wanted.chars().count() >= 2
                && strsim::osa_distance(&wanted, &lower) == 1
                && !only_digits_differ(&wanted, &lower)
            {
                1.0 + strsim::jaro_winkler(&wanted, &lower) / 2.0
            } else {
                strsim::jaro_winkler(&wanted, &lower)
            };
            (score > 0.8).then_some((score, k))
        })
        .fold(
            None,
            |best: Option<(f64, Option<&'a str>)>, (score, k)| match best {
                // Two names as close as each other: no guess between them.
                Some((top, guess)) if score == top => Some((top, guess.filter(|g| *g == k))),
                Some((top, _)) if score < top => best,
                _ => Some((score, Some(k))),
            },
        )
        .and_then(|(_, k)| k)
}

/// `v3` and `v2`, `node23` and `node24`: names that differ only in a
/// number are two things, not a typo of one.
fn only_digits_differ(a: &str, b: &str) -> bool {
    let letters = |s: &str| {
        s.chars()
            .filter(|c| !c.is_ascii_digit())
            .collect::<String>()
    };
    letters(a) == letters(b)
}

/// `did you mean` for serde's "unknown field `x`, expected one of `a`,
/// `b`" (or "expected `a` or `b`", or "unknown variant"): the expected
/// name closest to `x`.
pub fn unknown_field_guess(message: &str) -> Option<String> {
    let (unknown, expected) = unknown_field(message)?;
    closest(unknown, expected).map(|k| format!("did you mean `{k}`?"))
}

/// The name in serde's "unknown field `x`, expected one of `a`, `b`" (or
/// "unknown variant"), with the names serde expected: those the type
/// declares, so no list kept beside it can drift from them.
pub fn unknown_field(message: &str) -> Option<(&str, Vec<&str>)> {
    let rest = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))?;
    let (unknown, expected) = rest.split_once('`')?;
    Some((unknown, expected.split('`').skip(1).step_by(2).collect()))
}

/// A `did you mean` for a path that names no file: each part of
/// `written` (a `/`-separated path, relative to `base`) that names
/// nothing is replaced by the closest name in its folder. The path as the
/// author would write it, when one part changed and it leads to a file.
pub fn closest_path(base: &Path, written: &str) -> Option<String> {
    let parts: Vec<&str> = written.split('/').collect();
    let mut dir = base.to_path_buf();
    let mut out: Vec<String> = Vec::with_capacity(parts.len());
    let mut changed = false;
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let wanted_kind = |p: &Path| if last { p.is_file() } else { p.is_dir() };
        let here = dir.join(part);
        if part.is_empty() || *part == "." || *part == ".." || wanted_kind(&here) {
            out.push((*part).to_string());
            dir = here;
            continue;
        }
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .ok()?
            .flatten()
            .filter(|e| wanted_kind(&e.path()))
            .filter_map(|e| e.file_name().into_string().ok())
            .collect();
        names.sort();
        let found = closest(part, names.iter().map(String::as_str))?.to_string();
        dir = dir.join(&found);
        out.push(found);
        changed = true;
    }
    changed.then(|| out.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "ab\nçé x\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        let x = text.find('x').unwrap_or_default();
        assert_eq!(line_col(text, x), (2, 4));
        assert_eq!(offset_of(text, 2, 4), x);
    }

    #[test]
    fn suggests_close_names() {
        assert_eq!(closest("titel", ["title", "theme"]), Some("title"));
        assert_eq!(closest("zzz", ["title", "theme"]), None);
        let subjects = ["Go", "Rust", "Zig", "C"];
        for (typed, meant) in [
            ("zig", Some("Zig")),
            ("Zgi", Some("Zig")),
            ("zgi", Some("Zig")),
            ("ZIG", Some("Zig")),
            ("rsut", Some("Rust")),
            ("go", Some("Go")),
            ("Gp", Some("Go")),
            ("c", Some("C")),
            ("Python", None),
            ("x", None),
        ] {
            assert_eq!(closest(typed, subjects), meant, "{typed}");
        }
        for (typed, meant) in [("v3", None), ("V1", Some("v1")), ("vv1", Some("v1"))] {
            assert_eq!(closest(typed, ["v1", "v2"]), meant, "{typed}");
        }
        // An exact match in another case beats a closer spelling.
        assert_eq!(closest("node", ["Nodes", "Node"]), Some("Node"));
        // Two as close as each other: no guess.
        assert_eq!(closest("3.1", ["3.11.7", "3.13.0"]), None);
        assert_eq!(closest("3.1", ["3.11.7", "2.7.18"]), Some("3.11.7"));
    }

    #[test]
    fn github_annotations_escape_what_would_end_them() {
        let text: Arc<str> = Arc::from("a\nSee [x](y,z.md).\n");
        let d = Diagnostic::error("link to missing page `y,z.md`: 100%")
            .at(Path::new("content/a:b.md"), &text, 6..16)
            .with_help("did you mean `yz.md`?");
        assert_eq!(
            d.github_annotation(),
            "::error file=content/a%3Ab.md,line=2,col=5::link to missing page `y,z.md`: 100%25%0Ahelp: did you mean `yz.md`?"
        );
        assert_eq!(Diagnostic::warning("w").github_annotation(), "::warning::w");
    }

    #[test]
    fn guesses_unknown_fields_from_what_serde_expected() {
        let guess = |m: &str| unknown_field_guess(m);
        assert_eq!(
            guess("unknown field `comand`, expected one of `name`, `command`, `dir`").as_deref(),
            Some("did you mean `command`?")
        );
        assert_eq!(
            guess("unknown field `warmups`, expected `warmup` or `runs`").as_deref(),
            Some("did you mean `warmup`?")
        );
        assert_eq!(
            guess("unknown field `zzz`, expected `warmup` or `runs`"),
            None
        );
        assert_eq!(
            guess("unknown variant `wal`, expected one of `wall`, `rss`, `output`").as_deref(),
            Some("did you mean `wall`?")
        );
        assert_eq!(guess("invalid type: string, expected a number"), None);
    }

    #[test]
    fn suggests_paths_part_by_part() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("data/results")).expect("mkdir");
        for f in [
            "data/features.toml",
            "data/results/cli.csv",
            "data/results/cli.meta.toml",
        ] {
            std::fs::write(root.join(f), "").expect("write");
        }
        let at = |w: &str| closest_path(root, w);
        assert_eq!(
            at("data/feature.toml").as_deref(),
            Some("data/features.toml")
        );
        assert_eq!(
            at("data/results/cli.cvs").as_deref(),
            Some("data/results/cli.csv")
        );
        assert_eq!(
            at("dta/reslts/cli.csv").as_deref(),
            Some("data/results/cli.csv")
        );
        assert_eq!(
            at("./data/Features.toml").as_deref(),
            Some("./data/features.toml")
        );
        assert_eq!(at("data/features.toml"), None, "it exists");
        assert_eq!(at("data/nothing-like-it.yaml"), None);
        assert_eq!(at("nowhere/cli.csv"), None);
    }
}
