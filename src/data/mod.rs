//! The data stage: data files (CSV, JSON, TOML, YAML) beside the articles,
//! parsed and validated into typed tables: comparison matrices
//! ([`matrix`]) and benchmark results ([`bench`]), with what a run records
//! of its machine ([`machine`]). Every error names the file, line and
//! column.

pub mod edge;
pub mod figure;
pub mod file;
pub mod machine;
pub mod matrix;
pub mod results;
pub mod select;
pub mod stats;

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::report::diagnostic::Diagnostic;
use crate::shortcode_syntax as shortcode;

pub use file::{Format, Source};

/// Reads and caches data files for one build: a file used by many pages is
/// parsed once. Results (errors included) are cached by path.
pub struct Store {
    content_dir: PathBuf,
    shown_base: PathBuf,
    cache: Mutex<HashMap<String, Arc<Result<Loaded, Diagnostic>>>>,
}

/// A path written on a page that, joined to the page's folder or to
/// `content/`, lands outside `content/` (`../../secrets.csv`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` leaves content/")]
pub struct LeavesContent(pub String);

/// Why `load_data` returns no value.
#[derive(Debug, thiserror::Error)]
pub enum LoadValueError {
    #[error("load_data: `{0}` leaves content/")]
    LeavesContent(String),
    /// The file cannot be read or parsed; the diagnostic names where.
    #[error("{0}")]
    File(Diagnostic),
    /// A CSV record that does not fit the header (`rel` is under content/).
    #[error("content/{rel}: {source}")]
    Csv { rel: String, source: csv::Error },
    #[error(transparent)]
    Json(#[from] serde_json::Error),
}

/// A parsed data file.
#[derive(Debug)]
pub enum Loaded {
    Matrix(matrix::Matrix),
    Bench(results::BenchSet),
}

impl Store {
    pub fn new(root: &Path, content_dir: &Path) -> Self {
        Self {
            content_dir: content_dir.to_path_buf(),
            shown_base: content_dir
                .strip_prefix(root)
                .unwrap_or(content_dir)
                .to_path_buf(),
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// Forgets every parsed file (after a data file changed on disk).
    pub fn clear(&self) {
        if let Ok(mut c) = self.cache.lock() {
            c.clear();
        }
    }

    /// The files published with the results file `rel`: the file itself,
    /// and `NAME.meta.toml` beside a `NAME.csv`. Paths under `content/`,
    /// which are also their paths in the output.
    pub fn published_with(&self, rel: &str) -> Vec<String> {
        let mut files = vec![rel.to_string()];
        if let Some(stem) = rel
            .strip_suffix(".csv")
            .or_else(|| rel.strip_suffix(".CSV"))
        {
            let meta = format!("{stem}.meta.toml");
            if self.content_dir.join(&meta).is_file() {
                files.push(meta);
            }
        }
        files
    }

    /// The path of `rel` on disk.
    pub fn path_of(&self, rel: &str) -> PathBuf {
        self.content_dir.join(rel)
    }

    /// Resolves `written` (as written on the page whose source is
    /// `page_rel`): first against the page's folder, then against `content/`.
    /// `None` when neither holds the file; `Err` when the path leaves `content/`.
    pub fn resolve(&self, page_rel: &str, written: &str) -> Result<Option<String>, LeavesContent> {
        let page_dir = crate::text::paths::parent_dir(page_rel);
        let mut tried_inside = false;
        for base in [page_dir, ""] {
            if let Some(rel) = crate::text::paths::join(base, written) {
                tried_inside = true;
                if self.content_dir.join(&rel).is_file() {
                    return Ok(Some(rel));
                }
            }
        }
        if tried_inside {
            Ok(None)
        } else {
            Err(LeavesContent(written.to_string()))
        }
    }

    /// The path the author probably meant when `written` (on the page
    /// `page_rel`) names no file: see [`crate::report::diagnostic::closest_path`].
    pub fn suggest(&self, page_rel: &str, written: &str) -> Option<String> {
        let page_dir = crate::text::paths::parent_dir(page_rel);
        [page_dir, ""].into_iter().find_map(|base| {
            crate::report::diagnostic::closest_path(&self.content_dir.join(base), written)
        })
    }

    pub fn source(&self, rel: &str) -> Result<Source, Diagnostic> {
        let shown = self.shown_base.join(rel);
        let format = Format::of(rel).ok_or_else(|| {
            Diagnostic::error(format!(
                "{} is not a data file (CSV, JSON, TOML or YAML)",
                shown.display()
            ))
        })?;
        let text = crate::source::read_text(&shown, &self.content_dir.join(rel), "Data files")?;
        Ok(Source {
            rel: rel.to_string(),
            shown,
            text: Arc::from(text),
            format,
        })
    }

    /// Loads a data file (cached), as a matrix or a benchmark set depending
    /// on what it holds.
    pub fn load(&self, rel: &str) -> Arc<Result<Loaded, Diagnostic>> {
        if let Some(hit) = self.cache.lock().ok().and_then(|c| c.get(rel).cloned()) {
            return hit;
        }
        let loaded = Arc::new(self.source(rel).and_then(|src| self.parse(&src)));
        if let Ok(mut c) = self.cache.lock() {
            c.insert(rel.to_string(), Arc::clone(&loaded));
        }
        loaded
    }

    fn parse(&self, src: &Source) -> Result<Loaded, Diagnostic> {
        if src.text.trim().is_empty() {
            return Err(src.error("the data file is empty", 0..0).with_help(
                "write a comparison matrix (subjects + rows) or benchmark results (see docs/data.md)",
            ));
        }
        if src.format == Format::Csv {
            let meta = self.sidecar(&src.rel)?;
            return results::from_csv(src, meta).map(Loaded::Bench);
        }
        let value: serde_json::Value = src.parse()?;
        let is_matrix = value.get("rows").is_some() || value.get("subjects").is_some();
        if is_matrix {
            let mut m = matrix::parse(src)?;
            self.fill_figures(src, &mut m)?;
            Ok(Loaded::Matrix(m))
        } else if value.get("results").is_some() {
            results::from_structured(src).map(Loaded::Bench)
        } else {
            Err(src.error("this data file is neither a comparison matrix nor benchmark results", 0..0).with_help(
                "a matrix has `subjects` and `rows`; benchmark results have `results` (see docs/data.md)",
            ))
        }
    }

    /// Replaces the `figure` calls in a matrix's criteria, notes and cells
    /// with their figures, read from results files (paths relative to the
    /// matrix's folder, then to content/), and notes the figures typed in
    /// by hand.
    fn fill_figures(&self, src: &Source, m: &mut matrix::Matrix) -> Result<(), Diagnostic> {
        let mut sources = Vec::new();
        let mut typed = Vec::new();
        for row in &mut m.rows {
            let at = row.at;
            let mut shown = Vec::new();
            let mut texts: Vec<(Option<usize>, &mut String)> = vec![(None, &mut row.criterion)];
            texts.extend(row.note.as_mut().map(|n| (None, n)));
            texts.extend(
                row.cells
                    .iter_mut()
                    .enumerate()
                    .map(|(i, c)| (Some(i), &mut c.text)),
            );
            for (subject, t) in texts {
                let mut found = Found {
                    sources: &mut sources,
                    typed: &mut typed,
                    shown: subject.map(|s| (s, &mut shown)),
                };
                *t = self.expand(src, t, at, &mut found)?;
            }
            row.decided = edge::decide(&m.subjects, &shown);
            if row.edge_measured {
                measured_edge(src, row)?;
            }
        }
        m.retally();
        sources.sort();
        sources.dedup();
        m.figure_sources = sources;
        m.typed_figures = typed;
        Ok(())
    }

    fn expand(
        &self,
        src: &Source,
        text: &str,
        at: usize,
        found: &mut Found<'_>,
    ) -> Result<String, Diagnostic> {
        let typed = &mut *found.typed;
        // Where a piece of `text` is in the file, at or after the row.
        let locate = |piece: &str| -> Range<usize> {
            let from = at.min(src.text.len());
            src.text[from..]
                .find(piece)
                .or_else(|| src.text[from..].find("figure("))
                .map_or(from..from, |i| from + i..from + i + piece.len())
        };
        let mut note_typed = |piece: &str| {
            for r in crate::text::units::measured_looking(piece) {
                typed.push(locate(&piece[r]));
            }
        };
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for (range, parsed) in crate::shortcode_syntax::inline_calls(text) {
            let before = &text[last..range.start];
            note_typed(before);
            out.push_str(before);
            let written = &text[range.clone()];
            let fail = |msg: String| {
                Diagnostic::error(msg)
                    .at(&src.shown, &src.text, locate(written))
                    .with_help("see `figure` in docs/data.md")
            };
            match parsed {
                shortcode::Parsed::Call(call)
                    if call.name == figure::FIGURE.name || call.name == figure::VERDICT.name =>
                {
                    let spec = if call.name == figure::VERDICT.name {
                        &figure::VERDICT
                    } else {
                        &figure::FIGURE
                    };
                    let name = spec.name;
                    let written_data = match call.args.get("data") {
                        Some(shortcode::Arg::Str(d)) => d.as_str(),
                        _ => return Err(fail(format!("`{name}` needs `data`, the results file"))),
                    };
                    let rel = match self.resolve(&src.rel, written_data) {
                        Ok(Some(rel)) => rel,
                        Ok(None) => {
                            let guess = self
                                .suggest(&src.rel, written_data)
                                .map(|p| format!(": did you mean `{p}`?"))
                                .unwrap_or_default();
                            return Err(fail(format!(
                                "data file `{written_data}` not found (paths are relative to this file's folder, then to content/){guess}"
                            )));
                        }
                        Err(e) => return Err(fail(e.to_string())),
                    };
                    let loaded = self.load(&rel);
                    let set = match loaded.as_ref() {
                        Ok(Loaded::Bench(set)) => set,
                        Ok(Loaded::Matrix(_)) => {
                            return Err(fail(format!(
                                "`{name}` needs benchmark results, but content/{rel} is a comparison matrix"
                            )));
                        }
                        Err(d) => return Err(d.clone()),
                    };
                    if !call.args.contains_key("subject") {
                        return Err(fail(format!(
                            "`{name}` needs `subject`, the series to print a figure of: for example subject=\"{}\" (in content/{rel})",
                            select::example_series(set)
                        )));
                    }
                    let q = figure::Query::of_call(spec, &call.args)
                        .map_err(|msg| fail(format!("{msg} (in content/{rel})")))?;
                    let f = figure::figure(set, &q)
                        .map_err(|msg| fail(format!("{msg} (in content/{rel})")))?;
                    out.push_str(&f.text);
                    if let (Some((subject, shown)), false, Some(runs)) =
                        (found.shown.as_mut(), q.verdict, figure::runs(set, &q))
                    {
                        shown.push(edge::Shown {
                            subject: *subject,
                            file: rel.clone(),
                            runs,
                        });
                    }
                    found.sources.push(rel);
                }
                shortcode::Parsed::Call(call) => {
                    return Err(fail(format!(
                        "shortcode `{}` cannot be used in a data file: only `figure` and `verdict` can",
                        call.name
                    )));
                }
                shortcode::Parsed::Literal(lit) => out.push_str(&lit),
                shortcode::Parsed::Invalid(e) => return Err(fail(e.to_string())),
                shortcode::Parsed::None => out.push_str(written),
            }
            last = range.end;
        }
        note_typed(&text[last..]);
        out.push_str(&text[last..]);
        Ok(out)
    }

    /// `NAME.meta.toml` beside `NAME.csv`, if present.
    fn sidecar(&self, rel: &str) -> Result<Option<results::Meta>, Diagnostic> {
        let stem = rel
            .strip_suffix(".csv")
            .or_else(|| rel.strip_suffix(".CSV"))
            .unwrap_or(rel);
        let meta_rel = format!("{stem}.meta.toml");
        if !self.content_dir.join(&meta_rel).is_file() {
            return Ok(None);
        }
        let src = self.source(&meta_rel)?;
        src.parse::<results::Meta>().map(Some)
    }
}

/// What expanding a matrix's text collects: the results files read, the
/// figures typed by hand, and in a subject's cell (its index) the runs its
/// figures show.
struct Found<'a> {
    sources: &'a mut Vec<String>,
    typed: &'a mut Vec<Range<usize>>,
    shown: Option<(usize, &'a mut Vec<edge::Shown>)>,
}

/// Sets the edge of a row that says `edge = "measured"` to what the data
/// decided; an error when its cells compare nothing.
fn measured_edge(src: &Source, row: &mut matrix::Row) -> Result<(), Diagnostic> {
    let Some(decided) = row.decided.clone() else {
        let span = row.edge_span.clone().unwrap_or(row.at..row.at);
        return Err(src
            .error(
                format!(
                    "row `{}` has edge = \"measured\", but its cells show no benchmark for two subjects",
                    row.criterion
                ),
                span,
            )
            .with_help(
                "put a {{ figure(data=..., benchmark=..., subject=...) }} of the same benchmark in two subjects' cells, or set the edge by hand",
            ));
    };
    row.edges = decided.edges;
    for c in &mut row.cells {
        c.edge = row.edges.contains(&c.subject);
    }
    row.edge = decided.edge;
    row.edge_why = Some(decided.because);
    Ok(())
}

/// The path under content/ that `load_data(path=rel)` reads; `None` when
/// it leaves content/.
/// Whether the data file `rel` is one an author writes for pages to show:
/// not the `.meta.toml` that `versus bench` writes beside its results, nor
/// benchmark definitions (`benchmarks.toml`, `NAME.bench.toml`), which
/// `versus bench` reads. The build summary counts only these.
pub fn shown_by_pages(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    !(name.ends_with(".meta.toml") || name == "benchmarks.toml" || name.ends_with(".bench.toml"))
}

pub fn content_rel(rel: &str) -> Option<String> {
    crate::text::paths::join("", rel.trim_start_matches('/'))
}

/// Loads any data file under `content_dir` as a plain value (for the
/// `load_data` template function): CSV as a list of records keyed by the
/// header, the others as written. Errors are one line, naming the file.
pub fn load_value(content_dir: &Path, rel: &str) -> Result<serde_json::Value, LoadValueError> {
    let Some(clean) = content_rel(rel) else {
        return Err(LoadValueError::LeavesContent(rel.to_string()));
    };
    let store = Store::new(content_dir, content_dir);
    let src = store.source(&clean).map_err(LoadValueError::File)?;
    Ok(match src.format {
        Format::Csv => {
            let mut reader = csv::Reader::from_reader(src.text.as_bytes());
            let mut rows = Vec::new();
            for record in reader.deserialize::<std::collections::BTreeMap<String, String>>() {
                let record = record.map_err(|source| LoadValueError::Csv {
                    rel: clean.clone(),
                    source,
                })?;
                rows.push(serde_json::to_value(record)?);
            }
            serde_json::Value::Array(rows)
        }
        _ => src.parse().map_err(LoadValueError::File)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{YAML_MAX_DEPTH, yaml_too_deep};

    #[test]
    fn yaml_depth_is_checked_before_parsing() {
        let deep = format!("x: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let start = std::time::Instant::now();
        assert_eq!(yaml_too_deep(&deep), Some(3 + YAML_MAX_DEPTH));
        let src = Source::for_test("d.yaml", &deep, Format::Yaml);
        let err = src.parse::<serde_json::Value>().unwrap_err();
        assert!(err.to_string().starts_with("content/d.yaml:1:"), "{err}");
        assert!(err.message.contains("128 levels"), "{err}");
        assert!(start.elapsed().as_secs() < 5, "{:?}", start.elapsed());
        let braces = format!("x: {}1{}\n", "{a: ".repeat(200), "}".repeat(200));
        assert!(yaml_too_deep(&braces).is_some());
    }

    #[test]
    fn yaml_depth_check_leaves_brackets_in_text_alone() {
        let many = "[".repeat(500);
        for text in [
            format!("note: \"{many}\"\n"),
            format!("note: '{many}'' {many}'\n"),
            format!("note: see {many}\n"),
            format!("# {many}\nx: 1\n"),
            format!("rows:\n{}", "  - [a, \"[\", b]\n".repeat(300)),
            format!("x: {}{}\n", "[".repeat(128), "]".repeat(128)),
        ] {
            assert_eq!(
                yaml_too_deep(&text),
                None,
                "{}",
                &text[..40.min(text.len())]
            );
        }
    }

    #[test]
    fn yaml_bombs_are_refused_with_a_hint() {
        let mut bomb = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for (name, prev) in "bcdefghi".chars().zip("abcdefgh".chars()) {
            bomb.push_str(&format!(
                "{name}: &{name} [{}]\n",
                vec![format!("*{prev}"); 9].join(",")
            ));
        }
        let src = Source::for_test("d.yaml", &bomb, Format::Yaml);
        let err = src.parse::<serde_json::Value>().unwrap_err();
        assert!(err.message.contains("repetition limit"), "{err}");
        assert!(err.help.unwrap_or_default().contains("aliases"));
    }
}
