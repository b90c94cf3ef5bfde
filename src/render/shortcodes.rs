//! Shortcodes: `{{ name(key=value) }}` in Markdown renders the theme's
//! `shortcodes/name.html` template. A site adds or overrides one by
//! dropping a template into `templates/shortcodes/`.
//!
//! The built-in data shortcodes (`compare`, `bench_table`, `bench_chart`)
//! check their arguments, load and validate the data file, compute the
//! figures and hand them to their template.

use std::ops::Range;
use std::sync::{Arc, Mutex};

use tera::Context;

use super::Renderer;
use crate::content::Page;
use crate::data::matrix::Matrix;
use crate::data::results::BenchSet;
use crate::data::{self, Loaded, Store};
use crate::diagnostic::{Diagnostic, closest};
use crate::markdown;
use crate::markdown::links::Resolved;
use crate::present::tables::MetricTable;
use crate::present::{self, chart};
use crate::shortcode_syntax::{Arg, Call};

/// Built-in shortcodes and the arguments each takes (the first is required).
pub const BUILTIN: &[(&str, &[&str])] = &[
    ("compare", &["data", "title"]),
    (
        "bench_table",
        &[
            "data",
            "metric",
            "title",
            "subjects",
            "versions",
            "digits",
            "benchmark",
            "benchmarks",
            "group",
        ],
    ),
    (
        "bench_chart",
        &[
            "data",
            "metric",
            "title",
            "subjects",
            "versions",
            "digits",
            "trend",
            "benchmark",
            "benchmarks",
            "group",
            "relative",
        ],
    ),
    ("figure", data::figure::FIGURE_ARGS),
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
    /// The tables of every series of each results file shown (`bench.metrics`
    /// in templates), made once per file as parsed (the parse is kept to
    /// tell a reloaded file).
    every_series: Mutex<TablesByFile>,
}

type LoadResult = Result<Loaded, Diagnostic>;
/// By results file: the parse, and the tables of its every series.
type TablesByFile = std::collections::HashMap<String, (Arc<LoadResult>, Arc<Vec<MetricTable>>)>;

impl<'a> TeraShortcodes<'a> {
    pub fn new(renderer: &'a Renderer, store: &'a Store) -> Self {
        Self {
            renderer,
            store,
            used: Mutex::new(std::collections::BTreeMap::new()),
            shown: Mutex::new(std::collections::HashMap::new()),
            every_series: Mutex::new(std::collections::HashMap::new()),
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

    /// `d` pointing at argument `key` as written (`data="x.csv"`), or at
    /// the whole call (`span`) where it was not written.
    fn at_arg(
        page: &Page,
        call: &Call,
        key: &str,
        span: &Range<usize>,
        d: Diagnostic,
    ) -> Diagnostic {
        markdown::located(page, d, call.span_of(key).unwrap_or_else(|| span.clone()))
    }

    /// `d` pointing at the argument whose value its message quotes
    /// (``no subject `Nodejs` ``), or at the whole call.
    fn at_quoted_arg(page: &Page, call: &Call, span: &Range<usize>, d: Diagnostic) -> Diagnostic {
        let key = call.args.iter().find_map(|(k, v)| match v {
            Arg::Str(s) if d.message.contains(&format!("`{s}`")) => Some(k.as_str()),
            _ => None,
        });
        match key {
            Some(key) => Self::at_arg(page, call, key, span, d),
            None => Self::at_call(page, span, d),
        }
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
                let at = call.key_span(key).unwrap_or_else(|| span.clone());
                return Err(markdown::located(page, d.with_help(hint), at));
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
            Some(_) => Err(Self::at_arg(
                page,
                call,
                key,
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
            Some(_) => Err(Self::at_arg(
                page,
                call,
                key,
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
            Some(_) => Err(Self::at_arg(
                page,
                call,
                key,
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
    ) -> Result<(String, Arc<LoadResult>), Diagnostic> {
        let written = Self::string_arg(call, "data", page, span)?.unwrap_or_default();
        let rel = match self.store.resolve(&page.rel, written) {
            Ok(Some(rel)) => rel,
            Ok(None) => {
                let d = Diagnostic::error(format!("data file `{written}` not found")).with_help(
                    match self.store.suggest(&page.rel, written) {
                        Some(p) => format!("did you mean `{p}`?"),
                        None => "paths are relative to the page's folder, then to content/".into(),
                    },
                );
                return Err(Self::at_arg(page, call, "data", span, d));
            }
            Err(msg) => {
                return Err(Self::at_arg(
                    page,
                    call,
                    "data",
                    span,
                    Diagnostic::error(msg.to_string()),
                ));
            }
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
        Self::check_args(call, data::figure::FIGURE_ARGS, page, span)?;
        let (rel, loaded) = self.load(call, page, span)?;
        let set = match loaded.as_ref() {
            Ok(Loaded::Bench(set)) => set,
            Ok(Loaded::Matrix(_)) => {
                let d = Diagnostic::error(format!(
                    "`figure` needs benchmark results, but content/{rel} is a comparison matrix"
                ));
                return Err(Self::at_arg(page, call, "data", span, d));
            }
            Err(d) => return Err(Self::data_error(page, span, d)),
        };
        if !call.args.contains_key("subject") {
            let d = Diagnostic::error("`figure` needs `subject`, the series to print a figure of")
                .with_help(format!(
                    "for example subject=\"{}\"",
                    data::select::example_series(set)
                ));
            return Err(Self::at_call(page, span, d));
        }
        let query = data::figure::Query::from_args(&call.args).map_err(|msg| {
            Self::at_quoted_arg(page, call, span, Diagnostic::error(msg.to_string()))
        })?;
        let f = data::figure::figure(set, &query).map_err(|msg| {
            Self::at_quoted_arg(
                page,
                call,
                span,
                Diagnostic::error(msg.to_string()).with_help(format!("in content/{rel}")),
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
        let (rel, file) = self.load(call, page, span)?;
        let loaded = match file.as_ref() {
            Ok(l) => l,
            Err(d) => return Err(Self::data_error(page, span, d)),
        };
        let title = Self::string_arg(call, "title", page, span)?;
        let wrong_kind = |want: &str| {
            Self::at_arg(
                page,
                call,
                "data",
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
                let metrics = self.every_series(&rel, &file, set);
                ctx.insert("bench", &present::tables::BenchView::new(set, &metrics));
            }
            (_, _) => return Err(wrong_kind("benchmark results")),
        }
        Ok(())
    }

    /// The tables of every series of `set` (parsed from `file`, `rel`).
    fn every_series(
        &self,
        rel: &str,
        file: &Arc<LoadResult>,
        set: &BenchSet,
    ) -> Arc<Vec<MetricTable>> {
        let Ok(mut cache) = self.every_series.lock() else {
            return Arc::new(present::tables::all_tables(set));
        };
        match cache.get(rel) {
            Some((parsed, tables)) if Arc::ptr_eq(parsed, file) => Arc::clone(tables),
            _ => {
                let tables = Arc::new(present::tables::all_tables(set));
                cache.insert(rel.to_string(), (Arc::clone(file), Arc::clone(&tables)));
                tables
            }
        }
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

    /// The results narrowed to the benchmarks the call picks (`benchmark`,
    /// `benchmarks`, `group`), or none when it picks none.
    fn picked(
        set: &BenchSet,
        rel: &str,
        call: &Call,
        page: &Page,
        span: &Range<usize>,
        metric: Option<&str>,
    ) -> Result<Option<BenchSet>, Diagnostic> {
        let wanted = present::pick::Wanted {
            one: Self::string_arg(call, "benchmark", page, span)?,
            list: Self::string_arg(call, "benchmarks", page, span)?,
            group: Self::string_arg(call, "group", page, span)?,
        };
        let key = pick_key(call);
        present::pick::benchmarks(set, metric, wanted, &format!("content/{rel}")).map_err(|m| {
            Self::at_arg(
                page,
                call,
                key,
                span,
                Diagnostic::error(m.message).with_help(m.help),
            )
        })
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
        let full = set;
        let picked = Self::picked(full, rel, call, page, span, metric)?;
        let set = picked.as_ref().unwrap_or(full);
        // `select` fails on a `versions` other than all/latest, else on `subjects`.
        let faulty = match versions.map(str::trim) {
            Some(v) if v != "all" && v != "latest" => "versions",
            _ => "subjects",
        };
        let shown = data::select::select(set, subjects, versions).map_err(|msg| {
            Self::at_arg(page, call, faulty, span, Diagnostic::error(msg.to_string()))
        })?;
        let tables = present::tables::tables(set, &shown, metric, digits);
        if tables.is_empty() {
            let names: Vec<&str> = set.data.iter().map(|t| t.metric.as_str()).collect();
            let written = metric.unwrap_or_default();
            let hint = match closest(written, names.iter().copied()) {
                Some(c) => format!("did you mean `{c}`?"),
                None => format!("metrics there: {}", names.join(", ")),
            };
            let d = Diagnostic::error(format!("no metric `{written}` in content/{rel}"))
                .with_help(hint);
            return Err(Self::at_arg(page, call, "metric", span, d));
        }
        if picked.is_some() && tables.iter().all(|t| t.benchmarks.is_empty()) {
            let d = Diagnostic::error("the series shown have no results in the benchmarks picked")
                .with_help(format!(
                    "these results measured them with {}",
                    measured_by(set)
                ));
            return Err(Self::at_arg(page, call, pick_key(call), span, d));
        }
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
            let trend = Self::bool_arg(call, "trend", page, span)? == Some(true);
            let relative = Self::bool_arg(call, "relative", page, span)? == Some(true);
            let Some(kind) = chart::Kind::of(trend, relative) else {
                let d = Diagnostic::error("`relative` is for trend charts").with_help(
                    "it draws each line's change from its first version: add trend=true",
                );
                return Err(Self::at_call(page, span, d));
            };
            let drawn = kind.draw(set, &tables[0], title).map_err(|msg| {
                let help = if matches!(msg, chart::ChartError::StartsAtZero { .. }) {
                    "leave out relative=true to draw the medians, or leave that benchmark \
                     out with `benchmarks`"
                        .to_string()
                } else {
                    trend_help(full, &shown)
                };
                Self::at_call(
                    page,
                    span,
                    Diagnostic::error(msg.to_string()).with_help(help),
                )
            })?;
            ctx.insert("kind", kind.name());
            ctx.insert("fit_class", &drawn.fit_class);
            for (name, layout) in &drawn.layouts {
                ctx.insert(*name, layout);
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

    fn is_block(&self, name: &str) -> bool {
        name != "figure"
            && (BUILTIN.iter().any(|(n, _)| *n == name)
                || self
                    .renderer
                    .has_template(&format!("shortcodes/{name}.html")))
    }

    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = BUILTIN.iter().map(|(n, _)| n.to_string()).collect();
        names.extend(self.renderer.tera.get_template_names().filter_map(|t| {
            let name = t.strip_prefix("shortcodes/")?.strip_suffix(".html")?;
            Some(name.to_string())
        }));
        names
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

/// The argument a call picks benchmarks with (only one may be given), which
/// errors about the pick point at.
fn pick_key(call: &Call) -> &'static str {
    ["benchmark", "benchmarks", "group"]
        .into_iter()
        .find(|k| call.args.contains_key(*k))
        .unwrap_or("benchmark")
}

/// How to pick series for a trend, from the file's own subjects: those
/// measured in several versions, the ones shown first.
fn trend_help(set: &BenchSet, shown: &[usize]) -> String {
    let versions = |subject: &str| {
        set.series
            .iter()
            .filter(|s| s.subject == subject && s.version.is_some())
            .count()
    };
    let mut several: Vec<&str> = shown
        .iter()
        .map(|&i| set.series[i].subject.as_str())
        .chain(set.subjects.iter().map(String::as_str))
        .filter(|s| versions(s) >= 2)
        .collect();
    let mut seen = std::collections::HashSet::new();
    several.retain(|s| seen.insert(*s));
    match several.as_slice() {
        [] => "a trend needs a subject measured in several versions (the `version` column); \
               each subject in these results has one"
            .to_string(),
        [one] => format!("pick one subject in several versions: subjects=\"{one}\""),
        [a, b, ..] => {
            format!("pick one subject in several versions: subjects=\"{a}\" or subjects=\"{b}\"")
        }
    }
}

/// The series with results in the benchmarks of `set`, by label: "Node.js
/// v20.1.0, Python 3.13.0".
fn measured_by(set: &BenchSet) -> String {
    let mut series: Vec<usize> = set
        .data
        .iter()
        .flat_map(|m| &m.benchmarks)
        .flat_map(|b| &b.cells)
        .filter(|c| !c.missing())
        .map(|c| c.series)
        .collect();
    series.sort_unstable();
    series.dedup();
    let labels: Vec<&str> = series
        .iter()
        .filter_map(|&i| set.series.get(i))
        .map(|s| s.label.as_str())
        .collect();
    if labels.is_empty() {
        "no series: every result there is missing".into()
    } else {
        labels.join(", ")
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
fn figure_html(f: &data::figure::Figure, rel: &str) -> String {
    let title = crate::escape::html(&format!("{}; from {rel}", f.source));
    let text = crate::escape::html(&f.text);
    match f.value {
        Some(v) => format!("<data class=\"figure\" value=\"{v}\" title=\"{title}\">{text}</data>"),
        None => format!("<span class=\"figure\" title=\"{title}\">{text}</span>"),
    }
}

/// The matrix with its criteria, notes and cells rendered for this page; a
/// broken link in them is an error (the message names the link).
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
        for cell in &mut row.cells {
            cell.html = super::inline_markdown_with(&cell.text, &mut rewrite);
        }
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
