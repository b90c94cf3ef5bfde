//! Comparison matrices: qualitative criteria, one column per subject, an
//! optional edge per row, and a tally of edges. A row's words can be
//! given in other languages (`fr.criterion = "..."`, `fr.Python = "..."`,
//! `fr.note = "..."`), and the matrix's title (`fr.title`): the
//! language's text where it is given, the row's own elsewhere
//! ([`Matrix::in_language`]).

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Serialize;
use serde_json::Value;

use super::file::Source;
use crate::report::diagnostic::{Diagnostic, closest};

#[derive(Debug, Clone, Serialize)]
pub struct Matrix {
    pub title: Option<String>,
    pub description: Option<String>,
    pub source: Option<String>,
    pub subjects: Vec<String>,
    pub rows: Vec<Row>,
    /// Edges won per subject, in subject order.
    pub tally: Vec<Tally>,
    pub ties: usize,
    /// Rows with no edge given.
    pub open: usize,
    /// The tally in words: "Node.js 4, Python 3, tie 1".
    pub tally_text: String,
    /// Results files the cells' `figure` calls read (paths under content/).
    pub figure_sources: Vec<String>,
    /// Figures with units typed into the text rather than read from results
    /// (spans in the matrix file), for `versus check`.
    #[serde(skip)]
    pub typed_figures: Vec<Range<usize>>,
    /// Figures in the matrix that are not measurements (`unmeasured`).
    #[serde(skip)]
    pub unmeasured: Vec<String>,
    /// The title and description in other languages, by language code.
    #[serde(skip)]
    pub translated: BTreeMap<String, Texts>,
}

/// A row's or a matrix's words in one other language, where given:
/// `criterion`, `note`, `title`, `description`, and cells by subject.
#[derive(Debug, Clone, Default)]
pub struct Texts(pub BTreeMap<String, String>);

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub criterion: String,
    /// `criterion` and `note` as HTML (inline Markdown, links rewritten for
    /// the page showing the matrix); filled in by the `compare` shortcode.
    pub criterion_html: String,
    pub note_html: String,
    pub cells: Vec<RowEntry>,
    /// Who has the edge, in words: a subject, several (`Node.js, Bun`) or
    /// `tie`.
    pub edge: Option<String>,
    /// The subjects that share the edge (empty for a tie or none).
    pub edges: Vec<String>,
    pub note: Option<String>,
    pub source: Option<String>,
    /// For an edge decided by the data (`edge = "measured"`), each
    /// comparison behind it in words; `None` for an edge set by hand.
    pub edge_why: Option<String>,
    /// Where the row starts in the file.
    #[serde(skip)]
    pub at: usize,
    /// The row says `edge = "measured"`.
    #[serde(skip)]
    pub edge_measured: bool,
    /// Where its `edge` key is written, if it has one.
    #[serde(skip)]
    pub edge_span: Option<Range<usize>>,
    /// What the data decides of the row, from the figures in its cells
    /// ([`super::edge`]); `None` when they compare nothing.
    #[serde(skip)]
    pub decided: Option<super::edge::Decided>,
    /// The row's words in other languages, by language code.
    #[serde(skip)]
    pub translated: BTreeMap<String, Texts>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RowEntry {
    pub subject: String,
    pub text: String,
    /// `text` as HTML (inline Markdown, like `criterion_html`); filled in
    /// by the `compare` shortcode.
    pub html: String,
    pub edge: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tally {
    pub subject: String,
    pub count: usize,
}

const TOP_KEYS: &[&str] = &[
    "title",
    "description",
    "source",
    "subjects",
    "rows",
    "unmeasured",
];
const ROW_KEYS: &[&str] = &["criterion", "edge", "note", "source"];

/// Parses and validates a matrix file.
pub fn parse(src: &Source) -> Result<Matrix, Diagnostic> {
    let top: BTreeMap<String, Value> = src.parse()?;
    let mut translated = BTreeMap::new();
    for (key, value) in &top {
        if let Value::Object(texts) = value {
            let known = ["title", "description"];
            translated.insert(key.clone(), translation(src, key, texts, &known, 0)?);
        } else if !TOP_KEYS.contains(&key.as_str()) {
            return Err(unknown(src, key, TOP_KEYS.iter().copied(), 0, "a matrix"));
        }
    }
    let text_of = |key: &str| -> Result<Option<String>, Diagnostic> {
        match top.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(src.error_at_value(format!("`{key}` must be a string"), key, 0)),
        }
    };
    let subjects = subjects_of(src, &top)?;
    let Some(Value::Array(raw_rows)) = top.get("rows") else {
        return Err(src
            .error("a matrix needs `rows`", 0..0)
            .with_help("add [[rows]] tables, one per criterion"));
    };
    if raw_rows.is_empty() {
        return Err(src.error_at_value("the matrix has no rows", "rows", 0));
    }
    let mut rows = Vec::with_capacity(raw_rows.len());
    // Where the row being read starts in the file, about.
    let mut from = 0;
    for (n, raw) in raw_rows.iter().enumerate() {
        rows.push(row(src, n, raw, &subjects, &mut from)?);
    }
    let (tally, ties, tally_text) = tally(&subjects, &rows);
    let source = text_of("source")?;
    if let Some(url) = &source {
        check_url(src, url, 0)?;
    }
    let title = text_of("title")?;
    let description = text_of("description")?;
    let unmeasured = match top.get("unmeasured") {
        None => Vec::new(),
        Some(v) => names(v).ok_or_else(|| {
            src.error_at_value("`unmeasured` is a list of figures", "unmeasured", 0)
        })?,
    };
    Ok(Matrix {
        title,
        description,
        source,
        subjects,
        open: rows.iter().filter(|r| r.edge.is_none()).count(),
        rows,
        tally,
        ties,
        tally_text,
        figure_sources: Vec::new(),
        typed_figures: Vec::new(),
        unmeasured,
        translated,
    })
}

/// The texts of language `lang` (`fr = { criterion = "..." }`, or
/// `fr.criterion = "..."`): each key one of `known`, each value a text.
fn translation(
    src: &Source,
    lang: &str,
    texts: &serde_json::Map<String, Value>,
    known: &[&str],
    from: usize,
) -> Result<Texts, Diagnostic> {
    let mut out = BTreeMap::new();
    for (key, value) in texts {
        if !known.contains(&key.as_str()) {
            let what = format!("the `{lang}` texts");
            return Err(unknown(src, key, known.iter().copied(), from, &what));
        }
        let Value::String(text) = value else {
            return Err(src.error_at_value(format!("`{lang}.{key}` must be a text"), key, from));
        };
        out.insert(key.clone(), text.clone());
    }
    Ok(Texts(out))
}

impl Texts {
    /// The text of `key`, if this language gives it.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }
}

/// The texts of `lang` in `translated`, else of its base language (`fr`
/// for `fr-CA`).
fn texts_of<'a>(translated: &'a BTreeMap<String, Texts>, lang: &str) -> Option<&'a Texts> {
    translated.get(lang).or_else(|| {
        lang.split_once('-')
            .and_then(|(base, _)| translated.get(base))
    })
}

impl Matrix {
    /// The matrix as shown in `lang`: each text given in that language
    /// replaces the one written for the default language.
    pub fn in_language(&self, lang: &str) -> Matrix {
        let mut m = self.clone();
        if let Some(t) = texts_of(&self.translated, lang) {
            if let Some(title) = t.get("title") {
                m.title = Some(title.to_string());
            }
            if let Some(d) = t.get("description") {
                m.description = Some(d.to_string());
            }
        }
        for row in &mut m.rows {
            let Some(t) = texts_of(&row.translated, lang) else {
                continue;
            };
            if let Some(c) = t.get("criterion") {
                row.criterion = c.to_string();
            }
            if let Some(n) = t.get("note") {
                row.note = Some(n.to_string());
            }
            for cell in &mut row.cells {
                if let Some(text) = t.get(&cell.subject) {
                    cell.text = text.to_string();
                }
            }
        }
        m
    }
}

/// A list of strings, or `None` for anything else.
fn names(value: &Value) -> Option<Vec<String>> {
    let Value::Array(items) = value else {
        return None;
    };
    items
        .iter()
        .map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// The subjects the rows name (their keys that are not row keys), quoted
/// for a TOML list: `"Go", "Rust"`; `"A", "B"` when the rows name none.
fn subjects_in_rows(top: &BTreeMap<String, Value>) -> String {
    let mut found: Vec<&str> = Vec::new();
    if let Some(Value::Array(rows)) = top.get("rows") {
        for key in rows
            .iter()
            .filter_map(Value::as_object)
            .flat_map(|row| row.keys())
        {
            if !ROW_KEYS.contains(&key.as_str()) && !found.contains(&key.as_str()) {
                found.push(key);
            }
        }
    }
    if found.len() < 2 {
        return "\"A\", \"B\"".into();
    }
    found
        .iter()
        .map(|s| format!("{s:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The subjects: at least two names, none empty, repeated or reserved.
fn subjects_of(src: &Source, top: &BTreeMap<String, Value>) -> Result<Vec<String>, Diagnostic> {
    let subjects: Vec<String> = match top.get("subjects") {
        Some(v @ Value::Array(_)) => names(v).ok_or_else(|| {
            src.error_at_value("`subjects` must be a list of names", "subjects", 0)
        })?,
        _ => {
            return Err(src
                .error("a matrix needs `subjects`, the names of its columns", 0..0)
                .with_help(format!("add subjects = [{}]", subjects_in_rows(top))));
        }
    };
    if subjects.len() < 2 {
        return Err(src.error_at_value("a matrix compares at least two subjects", "subjects", 0));
    }
    for (i, s) in subjects.iter().enumerate() {
        if subjects[..i].contains(s) || s.trim().is_empty() || ROW_KEYS.contains(&s.as_str()) {
            return Err(src.error_at_value(
                format!("subject `{s}` is empty, repeated or a reserved name"),
                s,
                0,
            ));
        }
    }
    Ok(subjects)
}

/// Row `n`: its criterion, a cell per subject, its edge. `from` moves to
/// where the row starts in the file, so errors point into it.
fn row(
    src: &Source,
    n: usize,
    raw: &Value,
    subjects: &[String],
    from: &mut usize,
) -> Result<Row, Diagnostic> {
    let Value::Object(map) = raw else {
        return Err(src.error_at_value(format!("row {} must be a table", n + 1), "rows", 0));
    };
    let criterion = match map.get("criterion") {
        Some(Value::String(c)) if !c.trim().is_empty() => c.clone(),
        _ => {
            return Err(src
                .error_at_value(format!("row {} has no `criterion`", n + 1), "rows", *from)
                .with_help("every row names what it compares: criterion = \"...\""));
        }
    };
    if let Some(i) = src.text[(*from).min(src.text.len())..].find(criterion.as_str()) {
        *from += i;
    }
    let from = *from;
    let allowed: Vec<&str> = ROW_KEYS
        .iter()
        .copied()
        .chain(subjects.iter().map(String::as_str))
        .collect();
    let mut translated = BTreeMap::new();
    for (key, value) in map {
        if let Value::Object(texts) = value {
            let mut known = vec!["criterion", "note"];
            known.extend(subjects.iter().map(String::as_str));
            translated.insert(key.clone(), translation(src, key, texts, &known, from)?);
        } else if !allowed.contains(&key.as_str()) {
            return Err(unknown(src, key, allowed.iter().copied(), from, "a row"));
        }
    }
    let string = |key: &str| -> Result<Option<String>, Diagnostic> {
        match map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(Value::Bool(b)) => Ok(Some(b.to_string())),
            Some(_) => Err(src.error_at_value(format!("`{key}` must be text"), key, from)),
        }
    };
    let edge_measured = map.get("edge").and_then(Value::as_str) == Some(MEASURED);
    let edges = if edge_measured {
        Vec::new()
    } else {
        edges_of(src, map.get("edge"), subjects, from)?
    };
    let edge = (!edges.is_empty()).then(|| edges.join(", "));
    let edges: Vec<String> = edges.into_iter().filter(|e| e != "tie").collect();
    let mut cells = Vec::with_capacity(subjects.len());
    for s in subjects {
        let text = string(s)?.ok_or_else(|| {
            src.error_at_value(
                format!("row `{criterion}` has nothing for `{s}`"),
                &criterion,
                from,
            )
            .with_help(format!("add \"{s}\" = \"...\" to the row"))
        })?;
        cells.push(RowEntry {
            subject: s.clone(),
            text,
            html: String::new(),
            edge: edges.contains(s),
        });
    }
    let source = string("source")?;
    if let Some(url) = &source {
        check_url(src, url, from)?;
    }
    Ok(Row {
        criterion,
        criterion_html: String::new(),
        note_html: String::new(),
        cells,
        edge,
        edges,
        note: string("note")?,
        source,
        edge_why: None,
        at: from,
        edge_measured,
        edge_span: map
            .contains_key("edge")
            .then(|| key_span(src, "edge", from))
            .flatten(),
        decided: None,
        translated,
    })
}

/// The `edge` a row gives to have the data decide it.
pub const MEASURED: &str = "measured";

/// Where `key` is written as a key at or after `from`: at the start of a
/// line (TOML, YAML) or quoted (JSON).
fn key_span(src: &Source, key: &str, from: usize) -> Option<Range<usize>> {
    let text = &src.text;
    let mut at = from.min(text.len());
    while let Some(i) = text[at..].find(key) {
        let start = at + i;
        let end = start + key.len();
        let line_start = text[..start].rfind('\n').map_or(0, |n| n + 1);
        let before = text[line_start..start].trim_start_matches([' ', '\t', '-']);
        let after = text[end..].trim_start_matches([' ', '\t', '"']);
        let quoted = text[..start].ends_with('"') && text[end..].starts_with('"');
        if (before.is_empty() || quoted) && after.starts_with(['=', ':']) {
            return Some(start..end);
        }
        at = end;
    }
    None
}

/// A row's `edge`: a subject, a list of them, or "tie" alone.
fn edges_of(
    src: &Source,
    edge: Option<&Value>,
    subjects: &[String],
    from: usize,
) -> Result<Vec<String>, Diagnostic> {
    const WHAT: &str =
        "`edge` is a subject, a list of subjects, \"tie\", or \"measured\" (decided by the data)";
    let edges: Vec<String> = match edge {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(e)) => vec![e.clone()],
        Some(v) => names(v).ok_or_else(|| src.error_at_value(WHAT, "edge", from))?,
    };
    for e in &edges {
        if (e == "tie" && edges.len() == 1) || subjects.contains(e) {
            continue;
        }
        let hint = if e == "tie" {
            "a tie is written alone: edge = \"tie\"".to_string()
        } else {
            closest(e, subjects.iter().map(String::as_str)).map_or_else(
                || {
                    format!(
                        "use one of {}, \"tie\", or \"measured\" to have the data decide",
                        subjects.join(", ")
                    )
                },
                |c| format!("did you mean `{c}`?"),
            )
        };
        return Err(src
            .error_at_value(format!("edge `{e}` is not one of the subjects"), e, from)
            .with_help(hint));
    }
    Ok(edges)
}

impl Matrix {
    /// The tally in words of a language: `tie` its word for a tie,
    /// `count` how it writes a number.
    pub fn tally_in(&self, tie: &str, count: &dyn Fn(usize) -> String) -> String {
        tally_words(&self.tally, self.ties, tie, count)
    }

    /// Counts the edges again (after the data decided some).
    pub fn retally(&mut self) {
        let (tally, ties, text) = tally(&self.subjects, &self.rows);
        self.tally = tally;
        self.ties = ties;
        self.tally_text = text;
        self.open = self.rows.iter().filter(|r| r.edge.is_none()).count();
    }
}

/// Edges won per subject, the number of ties, and both in words.
fn tally(subjects: &[String], rows: &[Row]) -> (Vec<Tally>, usize, String) {
    let tally: Vec<Tally> = subjects
        .iter()
        .map(|s| Tally {
            subject: s.clone(),
            count: rows.iter().filter(|r| r.edges.contains(s)).count(),
        })
        .collect();
    let ties = rows
        .iter()
        .filter(|r| r.edge.as_deref() == Some("tie"))
        .count();
    let text = tally_words(&tally, ties, "tie", &|n| n.to_string());
    (tally, ties, text)
}

/// The tally in words, ties called `tie`, counts written by `count`.
fn tally_words(tally: &[Tally], ties: usize, tie: &str, count: &dyn Fn(usize) -> String) -> String {
    let mut parts: Vec<String> = tally
        .iter()
        .map(|t| format!("{} {}", t.subject, count(t.count)))
        .collect();
    if ties > 0 {
        parts.push(format!("{tie} {}", count(ties)));
    }
    parts.join(", ")
}

/// Sources are web addresses or paths: never `javascript:` and the like.
fn check_url(src: &Source, url: &str, from: usize) -> Result<(), Diagnostic> {
    // As a browser reads it: blanks and control characters around it
    // dropped, and tabs and newlines inside it (`java\tscript:` runs).
    let cleaned: String = url
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let lower = cleaned
        .trim_matches(|c: char| c <= ' ')
        .to_ascii_lowercase();
    if crate::text::paths::is_external(&lower)
        && !(lower.starts_with("http://") || lower.starts_with("https://"))
    {
        // An escaped value (`\t`) is not in the text as it reads here.
        let at = if src.text[from.min(src.text.len())..].contains(url) {
            url
        } else {
            "source"
        };
        return Err(src.error_at_value(
            format!("source `{}` is not an http(s) address", url.escape_debug()),
            at,
            from,
        ));
    }
    Ok(())
}

fn unknown<'a>(
    src: &Source,
    key: &str,
    known: impl Iterator<Item = &'a str>,
    from: usize,
    what: &str,
) -> Diagnostic {
    let d = src.error_at_value(format!("unknown key `{key}` in {what}"), key, from);
    match closest(key, known) {
        Some(k) => d.with_help(format!("did you mean `{k}`?")),
        None => {
            d.with_help("keys of a row are criterion, edge, note, source and the subjects' names")
        }
    }
}
