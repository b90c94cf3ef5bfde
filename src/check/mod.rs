//! `versus check`: what an author should fix before publishing, found by
//! building in memory (nothing is written) and looking over what the build
//! collected: broken links and anchors, links to missing files, images
//! without alternative text, heading ids that had to be changed, pages no
//! other page links to, data files no page uses, stale benchmark results,
//! hand-set edges the results disagree with, and theme words missing from
//! a language's words file.

mod edges;
pub mod external;

use std::collections::BTreeSet;

use crate::config::LinkPolicy;
use crate::deps::Input;
use crate::markdown::links::BROKEN_LINK;
use crate::output::Files;
use crate::pipeline::{Options, Session};
use crate::report::diagnostic::{Diagnostic, Severity};
use crate::report::error::{Error, Result};
use crate::text::paths;

/// Everything `check` found, errors and warnings, in file order.
pub struct Findings {
    pub items: Vec<Diagnostic>,
    pub pages: usize,
}

impl Findings {
    pub fn errors(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.items.len() - self.errors()
    }
}

/// What `check` looks at beyond the build itself.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// Fetch links to other sites too.
    pub external: bool,
    /// Benchmark results older than this many days are reported; `None`
    /// takes `max_age_days` from the benchmark definitions.
    pub max_age_days: Option<u64>,
}

/// Builds the site in memory and reports every finding. Broken links are
/// errors here whatever `links` says in versus.toml.
pub fn run(opts: &Options, scope: &Scope) -> Result<Findings> {
    let opts = Options {
        links: Some(LinkPolicy::Warn),
        typed_figures: true,
        ..opts.clone()
    };
    let (session, files) = match crate::site_build::in_memory(&opts, Default::default()) {
        Ok(built) => built,
        Err(Error::Content(diags)) => {
            return Ok(Findings {
                items: diags,
                pages: 0,
            });
        }
        Err(e) => return Err(e),
    };
    let mut items: Vec<Diagnostic> = session
        .warnings()
        .iter()
        .cloned()
        .map(|d| {
            if d.code == BROKEN_LINK {
                Diagnostic {
                    severity: Severity::Error,
                    ..d
                }
            } else {
                d
            }
        })
        .collect();
    items.extend(missing_files_and_alt(&session, &files));
    items.extend(renamed_ids(&session));
    items.extend(orphans(&session));
    items.extend(unused_data(&session));
    items.extend(missing_words(&session));
    items.extend(typed_figures(&session));
    items.extend(edges::disagreeing(&session));
    items.extend(stale_results(&opts.root, scope.max_age_days)?);
    if scope.external {
        items.extend(external_links(&session));
    }
    crate::report::diagnostic::sort(&mut items);
    Ok(Findings {
        items,
        pages: session.content().pages.len(),
    })
}

/// Links and images pointing at files the output lacks; images with no
/// alternative text.
fn missing_files_and_alt(s: &Session, files: &Files) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, body) in s.bodies().iter().enumerate() {
        let page = &s.content().pages[i];
        for r in &body.refs {
            if r.image && r.alt.trim().is_empty() {
                out.push(
                    Diagnostic::error("image without alternative text")
                        .at(&page.shown, &page.text, r.span.clone())
                        .with_help(
                            "describe the image between the brackets: ![a chart of ...](file.svg)",
                        )
                        .with_code("image-alt"),
                );
            }
            let dest = r.dest.trim();
            if dest.is_empty() || dest.starts_with('#') || paths::is_external(dest) {
                continue;
            }
            let path = paths::percent_decode(dest.split(['#', '?']).next().unwrap_or(""));
            let found = paths::join(crate::text::paths::parent_dir(&page.output), &path)
                .is_some_and(|key| {
                    files.contains_key(&key) || files.contains_key(&format!("{key}/index.html"))
                });
            if !found {
                let what = if r.image { "image" } else { "file" };
                let help = match closest_file(files, &page.output, &path) {
                    Some(p) => format!("did you mean `{p}`?"),
                    None => "paths are relative to the page; files under content/ are copied beside the pages".into(),
                };
                out.push(
                    Diagnostic::error(format!("link to missing {what} `{dest}`"))
                        .at(&page.shown, &page.text, r.span.clone())
                        .with_help(help)
                        .with_code("missing-file"),
                );
            }
        }
    }
    out
}

/// The output file closest to the missing `path` linked from the page
/// `from` (both in output terms), as the page would link to it.
fn closest_file(files: &Files, from: &str, path: &str) -> Option<String> {
    let wanted = paths::join(paths::parent_dir(from), path)?;
    let found = crate::report::diagnostic::closest(&wanted, files.keys().map(String::as_str))?;
    Some(paths::relative_url(from, found))
}

/// Links to other sites that do not answer, or answer with an error.
fn external_links(s: &Session) -> Vec<Diagnostic> {
    let mut at: Vec<(usize, &crate::markdown::Ref)> = Vec::new();
    for (i, body) in s.bodies().iter().enumerate() {
        for r in &body.refs {
            let d = r.dest.trim();
            if d.starts_with("http://") || d.starts_with("https://") {
                at.push((i, r));
            }
        }
    }
    let mut urls: Vec<String> = at.iter().map(|(_, r)| r.dest.trim().to_string()).collect();
    urls.sort();
    urls.dedup();
    let answers = external::check(&urls);
    at.into_iter()
        .filter_map(|(i, r)| match answers.get(r.dest.trim()) {
            Some(external::Status::Broken(why)) => {
                let page = &s.content().pages[i];
                Some(
                    Diagnostic::error(format!("outside link `{}` is broken: {why}", r.dest.trim()))
                        .at(&page.shown, &page.text, r.span.clone())
                        .with_code("external-link"),
                )
            }
            _ => None,
        })
        .collect()
}

/// Headings whose id had to change because another heading had it first:
/// a link to the second one is easy to get wrong.
fn renamed_ids(s: &Session) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, outline) in s.outlines().iter().enumerate() {
        let page = &s.content().pages[i];
        for (at, wanted, given) in &outline.renamed {
            let end = page.text[*at..]
                .find('\n')
                .map_or(page.text.len(), |e| at + e);
            out.push(
                Diagnostic::warning(format!(
                    "heading id `{wanted}` is taken on this page; this heading is `#{given}`"
                ))
                .at(&page.shown, &page.text, *at..end)
                .with_help("give the heading its own id: ## Title {#my-id}")
                .with_code("duplicate-id"),
            );
        }
    }
    out
}

/// Pages (not section pages) that no other page links to: only the
/// generated sidebar leads there.
fn orphans(s: &Session) -> Vec<Diagnostic> {
    let pages = &s.content().pages;
    let linked = |i: usize| {
        let to = Input::Anchors(pages[i].rel.clone());
        s.pages_reading(&[to]).iter().any(|&from| from != i)
    };
    pages
        .iter()
        .enumerate()
        .filter(|&(i, p)| !p.is_section && !p.generated && !linked(i))
        .map(|(_, p)| p)
        .map(|p| {
            Diagnostic::warning("orphan page: no other page links to it")
                .at(&p.shown, &p.text, 0..0)
                .with_help("link to it from its section's page or a related article")
                .with_code("orphan")
        })
        .collect()
}

/// Data files no page shows (a CSV's `.meta.toml` counts as used with it;
/// benchmark definitions are not shown data).
fn unused_data(s: &Session) -> Vec<Diagnostic> {
    s.content()
        .data
        .iter()
        .filter(|d| {
            let used = Input::data(&d.rel).iter().any(|i| s.graph().is_read(i));
            !used && !is_bench_definition(&d.rel)
        })
        .map(|d| {
            Diagnostic::warning(format!(
                "data file content/{} is not used by any page",
                d.rel
            ))
            .with_help("show it with a shortcode, or remove it")
            .with_code("unused-data")
        })
        .collect()
}

/// For each language pages are written in, the theme's words its files
/// lack (they show in the site's language, else in English): one warning
/// per language, at its own file, naming the keys.
fn missing_words(s: &Session) -> Vec<Diagnostic> {
    let (inputs, _) = s.graph().parts();
    let langs: BTreeSet<&str> = inputs
        .iter()
        .flatten()
        .filter_map(|i| match i {
            Input::Words(lang) => Some(lang.as_str()),
            _ => None,
        })
        .collect();
    let words = s.words();
    let mut out = Vec::new();
    for lang in langs {
        let missing = words.missing(lang);
        if missing.is_empty() {
            continue;
        }
        let mut listed: Vec<String> = missing.iter().take(8).map(|k| format!("`{k}`")).collect();
        if missing.len() > 8 {
            listed.push(format!("and {} more", missing.len() - 8));
        }
        let mut d = Diagnostic::warning(format!(
            "the words in `{lang}` lack {} of the theme's keys: {}",
            missing.len(),
            listed.join(", ")
        ))
        .with_code("missing-words")
        .with_help(format!(
            "pages show them in the site's language, else in English: add them, e.g. {} = \"...\"",
            missing[0]
        ));
        match words.files_of(lang).last() {
            Some(file) => {
                let text: std::sync::Arc<str> = std::fs::read_to_string(s.root().join(file))
                    .unwrap_or_default()
                    .into();
                d = d.at(file, &text, 0..0);
            }
            None if !words.has(lang) => {
                d = d.with_note(format!(
                    "neither the theme nor the site has words in `{lang}`: add i18n/{lang}.toml"
                ));
            }
            None => {}
        }
        out.push(d);
    }
    out
}

/// Figures with units typed by hand on pages that show benchmark results
/// (in their prose, or in the matrices they show): after the next `versus
/// bench` they would silently disagree with the tables beside them.
fn typed_figures(s: &Session) -> Vec<Diagnostic> {
    use crate::data::Loaded;
    let help = "take it from the results with {{ figure(data=\"...\", benchmark=\"...\", subject=\"...\") }} (docs/data.md); if it is not a measurement, list it under `unmeasured`";
    let mut out = Vec::new();
    let mut matrices_done = BTreeSet::new();
    for (i, body) in s.bodies().iter().enumerate() {
        let page = &s.content().pages[i];
        let loaded: Vec<(String, std::sync::Arc<Result<Loaded, Diagnostic>>)> = s
            .graph()
            .data_of(i)
            .map(|rel| (rel.to_string(), s.store().load(rel)))
            .collect();
        let shows_results = loaded
            .iter()
            .any(|(_, l)| matches!(l.as_ref(), Ok(Loaded::Bench(_))));
        if !shows_results {
            continue;
        }
        for span in &body.typed_figures {
            let written = page.text.get(span.clone()).unwrap_or("");
            if page.meta.unmeasured.iter().any(|u| u == written) {
                continue;
            }
            out.push(
                Diagnostic::warning(format!(
                    "`{written}` is typed by hand on a page that shows benchmark results"
                ))
                .at(&page.shown, &page.text, span.clone())
                .with_help(help)
                .with_code("typed-figure"),
            );
        }
        for (rel, l) in &loaded {
            let Ok(Loaded::Matrix(m)) = l.as_ref() else {
                continue;
            };
            if m.typed_figures.is_empty() || !matrices_done.insert(rel.clone()) {
                continue;
            }
            let Ok(src) = s.store().source(rel) else {
                continue;
            };
            for span in &m.typed_figures {
                let written = src.text.get(span.clone()).unwrap_or("");
                if m.unmeasured.iter().any(|u| u == written) {
                    continue;
                }
                out.push(
                    Diagnostic::warning(format!(
                        "`{written}` is typed by hand in a matrix shown beside benchmark results"
                    ))
                    .at(&src.shown, &src.text, span.clone())
                    .with_note(format!("shown by {}", page.shown.display()))
                    .with_help(help)
                    .with_code("typed-figure"),
                );
            }
        }
    }
    out
}

/// Benchmark results that are too old, or were measured with runtime
/// versions other than the ones installed now. Each warning points at the
/// line of the metadata it is about.
fn stale_results(root: &std::path::Path, max_age_days: Option<u64>) -> Result<Vec<Diagnostic>> {
    use crate::bench::StaleKind;
    let found = crate::bench::check_results(root, std::time::SystemTime::now(), max_age_days)?;
    Ok(found
        .into_iter()
        .map(|(file, stale)| {
            let text: std::sync::Arc<str> = std::fs::read_to_string(&file).unwrap_or_default().into();
            let (key, code, help) = match &stale.kind {
                StaleKind::Age => (
                    Some("date"),
                    "bench-age",
                    "run `versus bench` again, or raise `max_age_days` in the benchmark definitions",
                ),
                StaleKind::Runtime(name) => (
                    Some(name.as_str()),
                    "bench-runtime",
                    "run `versus bench` again with the runtimes installed now",
                ),
                StaleKind::NoMeta => (None, "bench-meta", "run `versus bench` to write results with their metadata"),
                StaleKind::Machines => (
                    Some("machine"),
                    "bench-machines",
                    "run the whole suite again on one machine: `versus bench --fresh`",
                ),
                StaleKind::Calibration(_) => (
                    None,
                    "bench-calibration",
                    "run the benchmarks of this file again in one session, on a quiet machine: `versus bench --fresh`",
                ),
            };
            let span = match &stale.kind {
                StaleKind::Runtime(id) => run_runtime_line(&text, id)
                    .unwrap_or_else(|| toml_key_line(&text, id)),
                StaleKind::Calibration(run) => calibration_line(&text, *run),
                _ => key.map_or(0..0, |k| toml_key_line(&text, k)),
            };
            let shown = root.join(&file);
            let shown = shown.strip_prefix(root).unwrap_or(&file);
            Diagnostic::warning(format!("stale benchmark results: {}", stale.message))
                .at(shown, &text, span)
                .with_help(help)
                .with_code(code)
        })
        .collect())
}

/// The span of the line that sets `key` (bare or quoted) in a TOML text,
/// or an empty span at the start when no line does.
fn toml_key_line(text: &str, key: &str) -> std::ops::Range<usize> {
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        let rest = t
            .strip_prefix(&format!("\"{key}\""))
            .or_else(|| t.strip_prefix(key));
        if rest.is_some_and(|r| r.trim_start().starts_with('=')) {
            let indent = line.len() - t.len();
            return start + indent..start + line.trim_end().len();
        }
        start += line.len();
    }
    0..0
}

/// The span of the `median_ms` line of the calibration of the run at
/// index `run` of `[[runs]]`, or of that run's header; empty at the start
/// when neither is found.
fn calibration_line(text: &str, run: usize) -> std::ops::Range<usize> {
    let mut seen = None;
    let mut header = None;
    let mut in_calibration = false;
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        let indent = line.len() - line.trim_start().len();
        let span = start + indent..start + line.trim_end().len();
        if t == "[[runs]]" {
            seen = Some(seen.map_or(0, |n| n + 1));
            if seen == Some(run) {
                header = Some(span.clone());
            }
        }
        if t.starts_with('[') {
            in_calibration = t == "[runs.calibration]";
        } else if in_calibration && seen == Some(run) && t.starts_with("median_ms") {
            return span;
        }
        start += line.len();
    }
    header.unwrap_or(0..0)
}

/// The span of the last `[runs.runtimes.ID]` header (the latest run that
/// measured runtime `id`), if there is one.
fn run_runtime_line(text: &str, id: &str) -> Option<std::ops::Range<usize>> {
    let headers = [
        format!("[runs.runtimes.{id}]"),
        format!("[runs.runtimes.\"{id}\"]"),
    ];
    let mut found = None;
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        if headers.iter().any(|h| line.trim() == h) {
            let indent = line.len() - line.trim_start().len();
            found = Some(start + indent..start + line.trim_end().len());
        }
        start += line.len();
    }
    found
}

/// Benchmark definitions (read by `versus bench`, not shown on pages).
fn is_bench_definition(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name == "benchmarks.toml" || name.ends_with(".bench.toml")
}
