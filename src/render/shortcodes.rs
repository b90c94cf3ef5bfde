//! Shortcodes: `{{ name(key=value) }}` in Markdown renders the theme's
//! `shortcodes/name.html` template. A site adds or overrides one by
//! dropping a template into `templates/shortcodes/`.
//!
//! The built-in data shortcodes (`compare`, `bench_table`, `bench_chart`)
//! check their arguments, load and validate the data file, compute the
//! figures and hand them to their template.

use std::ops::Range;
use std::sync::Mutex;

use tera::Context;

use super::Renderer;
use crate::content::Page;
use crate::data::matrix::Matrix;
use crate::data::results::BenchSet;
use crate::data::{self, Loaded, Store, chart};
use crate::diagnostic::{Diagnostic, closest};
use crate::markdown;
use crate::markdown::links::Resolved;
use crate::shortcode_syntax::{Arg, Call};

/// Built-in shortcodes and the arguments each takes (the first is required).
pub const BUILTIN: &[(&str, &[&str])] = &[
    ("compare", &["data", "title"]),
    (
        "bench_table",
        &["data", "metric", "title", "subjects", "versions", "digits"],
    ),
    (
        "bench_chart",
        &[
            "data", "metric", "title", "subjects", "versions", "digits", "trend",
        ],
    ),
    ("figure", data::tables::FIGURE_ARGS),
];

pub struct TeraShortcodes<'a> {
    pub renderer: &'a Renderer,
    pub store: &'a Store,
    /// Data files (under content/) each page used, by page source path:
    /// for rebuilds when one changes, and for `check`.
    pub used: Mutex<std::collections::BTreeMap<String, Vec<String>>>,
    /// How many times each table has been shown so far, by page and by
    /// what the table shows (file, title, metric, selection): a table
    /// shown again says so in its caption, which names its scrolling
    /// region, and landmarks must be told apart.
    shown: Mutex<std::collections::HashMap<(String, String), usize>>,
}

impl<'a> TeraShortcodes<'a> {
    pub fn new(renderer: &'a Renderer, store: &'a Store) -> Self {
        Self {
            renderer,
            store,
            used: Mutex::new(std::collections::BTreeMap::new()),
            shown: Mutex::new(std::collections::HashMap::new()),
        }
    }

    /// 0 the first time `page` shows the table `key`, then 2, 3...
    fn repeat(&self, page: &Page, key: String) -> usize {
        let Ok(mut shown) = self.shown.lock() else {
            return 0;
        };
        let n = shown.entry((page.rel.clone(), key)).or_default();
        *n += 1;
        if *n > 1 { *n } else { 0 }
    }

    fn at_call(page: &Page, span: &Range<usize>, d: Diagnostic) -> Diagnostic {
        markdown::located(page, d, span.clone())
    }

    fn check_args(
        call: &Call,
        known: &[&str],
        page: &Page,
        span: &Range<usize>,
    ) -> Result<(), Diagnostic> {
        for key in call.args.keys() {
            if !known.contains(&key.as_str()) {
                let hint = match closest(key, known.iter().copied()) {
                    Some(k) => format!("did you mean `{k}`?"),
                    None => format!("`{}` takes {}", call.name, known.join(", ")),
                };
                let d = Diagnostic::error(format!(
                    "unknown argument `{key}` for shortcode `{}`",
                    call.name
                ));
                return Err(Self::at_call(page, span, d.with_help(hint)));
            }
        }
        if !call.args.contains_key(known[0]) {
            let d = Diagnostic::error(format!("shortcode `{}` needs `{}`", call.name, known[0]))
                .with_help(format!("{{{{ {}({}=\"...\") }}}}", call.name, known[0]));
            return Err(Self::at_call(page, span, d));
        }
        Ok(())
    }

    fn string_arg<'c>(
        call: &'c Call,
        key: &str,
        page: &Page,
        span: &Range<usize>,
    ) -> Result<Option<&'c str>, Diagnostic> {
        match call.args.get(key) {
            None => Ok(None),
            Some(Arg::Str(s)) => Ok(Some(s)),
            Some(_) => Err(Self::at_call(
                page,
                span,
                Diagnostic::error(format!(
                    "`{key}` of shortcode `{}` must be a quoted string",
                    call.name
                )),
            )),
        }
    }

    fn int_arg(
        call: &Call,
        key: &str,
        page: &Page,
        span: &Range<usize>,
    ) -> Result<Option<usize>, Diagnostic> {
        match call.args.get(key) {
            None => Ok(None),
            Some(Arg::Int(i)) if (0..=12).contains(i) => Ok(usize::try_from(*i).ok()),
            Some(_) => Err(Self::at_call(
                page,
                span,
                Diagnostic::error(format!(
                    "`{key}` of shortcode `{}` is a whole number from 0 to 12",
                    call.name
                )),
            )),
        }
    }

    fn bool_arg(
        call: &Call,
        key: &str,
        page: &Page,
        span: &Range<usize>,
    ) -> Result<Option<bool>, Diagnostic> {
        match call.args.get(key) {
            None => Ok(None),
            Some(Arg::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(Self::at_call(
                page,
                span,
                Diagnostic::error(format!(
                    "`{key}` of shortcode `{}` is true or false",
                    call.name
                )),
            )),
        }
    }

    /// Loads the data file a call names, as the page sees it.
    fn load(
        &self,
        call: &Call,
        page: &Page,
        span: &Range<usize>,
    ) -> Result<(String, std::sync::Arc<Result<Loaded, Diagnostic>>), Diagnostic> {
        let written = Self::string_arg(call, "data", page, span)?.unwrap_or_default();
        let rel = match self.store.resolve(&page.rel, written) {
            Ok(Some(rel)) => rel,
            Ok(None) => {
                let d = Diagnostic::error(format!("data file `{written}` not found"))
                    .with_help("paths are relative to the page's folder, then to content/");
                return Err(Self::at_call(page, span, d));
            }
            Err(msg) => return Err(Self::at_call(page, span, Diagnostic::error(msg))),
        };
        if let Ok(mut used) = self.used.lock() {
            used.entry(page.rel.clone()).or_default().push(rel.clone());
        }
        let loaded = self.store.load(&rel);
        Ok((rel, loaded))
    }

    /// The results file `rel` and its metadata as links from `page`: they
    /// are published beside the site's pages at the same path.
    fn downloads(&self, page: &Page, rel: &str) -> Vec<Download> {
        self.store
            .published_with(rel)
            .into_iter()
            .map(|file| Download {
                href: crate::paths::relative_url(&page.output, &file),
                name: file.rsplit('/').next().unwrap_or(&file).to_string(),
                kind: if file.ends_with(".meta.toml") {
                    "metadata"
                } else {
                    "results"
                },
            })
            .collect()
    }

    /// `{{ figure(...) }}` in running text: one figure from a results file,
    /// as HTML and as plain text.
    pub fn figure(
        &self,
        call: &Call,
        page: &Page,
        span: &Range<usize>,
    ) -> Result<(String, String), Diagnostic> {
        Self::check_args(call, data::tables::FIGURE_ARGS, page, span)?;
        let (rel, loaded) = self.load(call, page, span)?;
        let set = match loaded.as_ref() {
            Ok(Loaded::Bench(set)) => set,
            Ok(Loaded::Matrix(_)) => {
                let d = Diagnostic::error(format!(
                    "`figure` needs benchmark results, but content/{rel} is a comparison matrix"
                ));
                return Err(Self::at_call(page, span, d));
            }
            Err(d) => return Err(Self::data_error(page, span, d)),
        };
        let query = data::tables::Query::from_args(&call.args)
            .map_err(|msg| Self::at_call(page, span, Diagnostic::error(msg)))?;
        let f = data::tables::figure(set, &query).map_err(|msg| {
            Self::at_call(
                page,
                span,
                Diagnostic::error(msg).with_help(format!("in content/{rel}")),
            )
        })?;
        Ok((figure_html(&f, &rel), f.text))
    }

    fn data_error(page: &Page, span: &Range<usize>, d: &Diagnostic) -> Diagnostic {
        let (line, _) = crate::diagnostic::line_col(&page.text, span.start);
        d.clone()
            .with_note(format!("used by {}:{line}", page.shown.display()))
    }

    fn builtin(
        &self,
        call: &Call,
        page: &Page,
        span: &Range<usize>,
        ctx: &mut Context,
        links: &dyn Fn(&str) -> Resolved,
    ) -> Result<(), Diagnostic> {
        let (rel, loaded) = self.load(call, page, span)?;
        let loaded = match loaded.as_ref() {
            Ok(l) => l,
            Err(d) => return Err(Self::data_error(page, span, d)),
        };
        let title = Self::string_arg(call, "title", page, span)?;
        let wrong_kind = |want: &str| {
            Self::at_call(
                page,
                span,
                Diagnostic::error(format!(
                    "`{}` needs {want}, but content/{rel} holds something else",
                    call.name
                ))
                .with_help("see docs/data.md for the two kinds of data file"),
            )
        };
        ctx.insert(
            "id",
            &format!("{}-{}", call.name.replace('_', "-"), span.start),
        );
        ctx.insert("data_path", &rel);
        match (call.name.as_str(), loaded) {
            ("compare", Loaded::Matrix(m)) => {
                self.compare(m, &rel, page, span, ctx, links)?;
                ctx.insert("title", &title.or(m.title.as_deref()));
                let key = format!("{rel}\0{}", title.unwrap_or_default());
                ctx.insert("repeat", &self.repeat(page, key));
            }
            ("compare", _) => return Err(wrong_kind("a comparison matrix")),
            ("figure", Loaded::Bench(_)) => {
                return Err(Self::at_call(
                    page,
                    span,
                    Diagnostic::error("`figure` is written inside a sentence or a table cell")
                        .with_help("it prints one number: write it in running text"),
                ));
            }
            (_, Loaded::Bench(set)) => {
                self.bench(set, &rel, call, page, span, ctx)?;
            }
            (_, _) => return Err(wrong_kind("benchmark results")),
        }
        Ok(())
    }

    /// The context of `compare`: the matrix with its links resolved, and
    /// the results files its figures come from.
    fn compare(
        &self,
        m: &Matrix,
        rel: &str,
        page: &Page,
        span: &Range<usize>,
        ctx: &mut Context,
        links: &dyn Fn(&str) -> Resolved,
    ) -> Result<(), Diagnostic> {
        let m = with_html(m, links).map_err(|msg| {
            let src_err = self
                .store
                .source(rel)
                .map(|src| src.error_at_value(msg.clone(), &msg_target(&msg), 0));
            let d = src_err.unwrap_or_else(|d| d);
            Self::data_error(
                page,
                span,
                &d.with_help("links in data are relative to the page that shows it"),
            )
        })?;
        // Figures in the matrix come from results files: the page
        // depends on them, and publishes them.
        if let Ok(mut used) = self.used.lock() {
            used.entry(page.rel.clone())
                .or_default()
                .extend(m.figure_sources.iter().cloned());
        }
        let downloads: Vec<Download> = m
            .figure_sources
            .iter()
            .flat_map(|r| self.downloads(page, r))
            .collect();
        ctx.insert("downloads", &downloads);
        ctx.insert("matrix", &m);
        Ok(())
    }

    /// The context of `bench_table` and `bench_chart`: the tables of the
    /// metric asked for, and the chart.
    fn bench(
        &self,
        set: &BenchSet,
        rel: &str,
        call: &Call,
        page: &Page,
        span: &Range<usize>,
        ctx: &mut Context,
    ) -> Result<(), Diagnostic> {
        let title = Self::string_arg(call, "title", page, span)?;
        let metric = Self::string_arg(call, "metric", page, span)?;
        let subjects = Self::string_arg(call, "subjects", page, span)?;
        let versions = Self::string_arg(call, "versions", page, span)?;
        let digits = Self::int_arg(call, "digits", page, span)?;
        let shown = data::tables::select(set, subjects, versions)
            .map_err(|msg| Self::at_call(page, span, Diagnostic::error(msg)))?;
        let tables = data::tables::tables(set, &shown, metric, digits);
        if tables.is_empty() {
            let names: Vec<&str> = set.data.iter().map(|t| t.metric.as_str()).collect();
            let written = metric.unwrap_or_default();
            let hint = match closest(written, names.iter().copied()) {
                Some(c) => format!("did you mean `{c}`?"),
                None => format!("metrics there: {}", names.join(", ")),
            };
            let d = Diagnostic::error(format!("no metric `{written}` in content/{rel}"))
                .with_help(hint);
            return Err(Self::at_call(page, span, d));
        }
        ctx.insert("bench", set);
        ctx.insert("tables", &tables);
        ctx.insert("selection", &selection_text(subjects, versions));
        if call.name == "bench_table" {
            let repeats: Vec<usize> = tables
                .iter()
                .map(|t| {
                    let key = format!("{rel}\0{title:?}\0{}\0{subjects:?}\0{versions:?}", t.metric);
                    self.repeat(page, key)
                })
                .collect();
            ctx.insert("repeats", &repeats);
        }
        ctx.insert("title", &title.or(set.meta.title.as_deref()));
        ctx.insert(
            "measured_text",
            &data::results::measured_text(&set.meta, &set.series, &shown),
        );
        ctx.insert("downloads", &self.downloads(page, rel));
        if call.name == "bench_chart" {
            if Self::bool_arg(call, "trend", page, span)? == Some(true) {
                let trend = chart::trend(set, &tables[0], title).map_err(|msg| {
                    Self::at_call(
                        page,
                        span,
                        Diagnostic::error(msg)
                            .with_help("pick one subject in several versions: subjects=\"Python\""),
                    )
                })?;
                ctx.insert("fit_class", &chart::width_class(trend.width));
                ctx.insert("narrow_trend", &chart::narrow_trend(&trend));
                ctx.insert("trend", &trend);
            } else {
                let wide = chart::layout(set, &tables[0], title);
                ctx.insert("fit_class", &chart::width_class(wide.width));
                ctx.insert("narrow", &chart::narrow_bars(&wide));
                ctx.insert("chart", &wide);
            }
        }
        Ok(())
    }
}

impl markdown::Shortcodes for TeraShortcodes<'_> {
    fn inline(
        &self,
        call: &Call,
        page: &Page,
        span: Range<usize>,
    ) -> Option<Result<(String, String), Diagnostic>> {
        (call.name == "figure").then(|| self.figure(call, page, &span))
    }

    fn render(
        &self,
        call: &Call,
        page: &Page,
        span: Range<usize>,
        links: &dyn Fn(&str) -> Resolved,
    ) -> Result<String, Diagnostic> {
        let template = format!("shortcodes/{}.html", call.name);
        let builtin = BUILTIN.iter().find(|(n, _)| *n == call.name);
        if builtin.is_none() && !self.renderer.has_template(&template) {
            let known: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
            let mut d = Diagnostic::error(format!("unknown shortcode `{}`", call.name));
            d = match closest(&call.name, known.iter().copied()) {
                Some(k) => d.with_help(format!("did you mean `{k}`?")),
                None => d.with_help(format!(
                    "add a template templates/{template}, or write {{{{/* {}(...) */}}}} to show the call as text",
                    call.name
                )),
            };
            return Err(markdown::located(page, d, span));
        }
        let mut ctx = Context::new();
        ctx.insert("args", &call.args);
        ctx.insert("page_source", &page.rel);
        if let Some((_, known)) = builtin {
            Self::check_args(call, known, page, &span)?;
            self.builtin(call, page, &span, &mut ctx, links)?;
        }
        let (html, loaded) =
            super::recording_loads(|| self.renderer.render(&template, &ctx, &page.shown));
        if !loaded.is_empty() {
            if let Ok(mut used) = self.used.lock() {
                used.entry(page.rel.clone()).or_default().extend(loaded);
            }
        }
        html.map_err(|d| {
            let note = d.render(false);
            markdown::located(
                page,
                Diagnostic::error(format!("shortcode `{}` failed", call.name)),
                span,
            )
            .with_note(note)
        })
    }
}

/// What `subjects=` and `versions=` picked, in words, for a caption: two
/// tables of one results file read apart ("Node.js, Python; latest
/// versions"). Empty when both are absent.
fn selection_text(subjects: Option<&str>, versions: Option<&str>) -> String {
    let mut parts = Vec::new();
    if let Some(s) = subjects {
        parts.push(s.to_string());
    }
    match versions {
        Some("latest") => parts.push("latest versions".to_string()),
        Some(v) => parts.push(format!("versions: {v}")),
        None => {}
    }
    parts.join("; ")
}

/// A results file offered for download.
#[derive(Debug, serde::Serialize)]
pub struct Download {
    pub name: String,
    pub href: String,
    /// `results` or `metadata`.
    pub kind: &'static str,
}

/// A figure as HTML: the number in a `data` element (its exact value for
/// machines), saying where it comes from on hover.
fn figure_html(f: &data::tables::Figure, rel: &str) -> String {
    let title = crate::escape::html(&format!("{}; from {rel}", f.source));
    let text = crate::escape::html(&f.text);
    match f.value {
        Some(v) => format!("<data class=\"figure\" value=\"{v}\" title=\"{title}\">{text}</data>"),
        None => format!("<span class=\"figure\" title=\"{title}\">{text}</span>"),
    }
}

/// The matrix with its criteria and notes rendered for this page; a broken
/// link in them is an error (the message names the link).
fn with_html(
    m: &data::matrix::Matrix,
    links: &dyn Fn(&str) -> Resolved,
) -> Result<data::matrix::Matrix, String> {
    let mut m = m.clone();
    let mut broken: Option<String> = None;
    let mut rewrite = |dest: &str| match links(dest) {
        Resolved::Unchanged => None,
        Resolved::Url(u) => Some(u),
        Resolved::Broken(msg, _) => {
            broken.get_or_insert(format!("{msg} (in `{dest}`)"));
            None
        }
    };
    for row in &mut m.rows {
        row.criterion_html = super::inline_markdown_with(&row.criterion, &mut rewrite);
        row.note_html = row
            .note
            .as_deref()
            .map(|n| super::inline_markdown_with(n, &mut rewrite))
            .unwrap_or_default();
    }
    match broken {
        Some(msg) => Err(msg),
        None => Ok(m),
    }
}

/// The link destination quoted at the end of a [`with_html`] message.
fn msg_target(msg: &str) -> String {
    msg.rsplit_once("(in `")
        .map(|(_, t)| t.trim_end_matches("`)").to_string())
        .unwrap_or_default()
}
