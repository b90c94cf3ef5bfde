//! What runs a built-in shortcode: its registry entry ([`Builtin`], its
//! [`Handler`]), and [`TeraShortcodes`], which every handler is given: the
//! theme, the data store, and the recorder that hears what each page read.

use std::sync::{Arc, Mutex};

use tera::Context;

use crate::content::Page;
use crate::data::results::BenchSet;
use crate::data::{Loaded, Store};
use crate::deps::{Input, Recorder};
use crate::markdown::CallSite;
use crate::markdown::links::Resolved;
use crate::present::{self, tables::MetricTable};
use crate::render::Renderer;
use crate::render::card::Headline;
use crate::report::diagnostic::Diagnostic;
use crate::shortcode_syntax::Spec;

/// One built-in shortcode: what it takes, and what runs it.
pub struct Builtin {
    pub spec: &'static Spec,
    pub handler: Handler,
}

/// Resolves a link written in data shown on a page, as if written there.
pub type Links<'l> = dyn Fn(&str) -> Resolved + 'l;

/// Fills the context of a block shortcode's template.
/// Fills the context of a block shortcode's template; returns its words
/// for the search index (empty for one whose words are figures).
pub type BlockFn =
    fn(&TeraShortcodes<'_>, &CallSite<'_>, &mut Context, &Links<'_>) -> Result<String, Diagnostic>;

/// Renders an inline shortcode: its HTML and its plain text.
pub type InlineFn = fn(&TeraShortcodes<'_>, &CallSite<'_>) -> Result<(String, String), Diagnostic>;

/// What runs a built-in shortcode's call, once its arguments' names are
/// checked against its spec.
pub enum Handler {
    /// A block: fills the context of its template `shortcodes/NAME.html`.
    Block(BlockFn),
    /// Inside running text: its HTML and its plain text.
    Inline(InlineFn),
    /// Written by the Markdown pass itself (`code`, a code block).
    Markdown,
}

/// Runs the shortcode calls of the pages (the Markdown pass's
/// [`crate::markdown::Shortcodes`]) over the theme's templates and the data
/// store, noting what each page used.
pub struct TeraShortcodes<'a> {
    pub renderer: &'a Renderer,
    pub store: &'a Store,
    /// Hears which data files and templates each page's calls read.
    pub recorder: &'a Recorder,
    /// How many times each table has been shown so far, by page and by
    /// what the table shows (file, title, metric, selection): a table
    /// shown again says so in its caption, which names its scrolling
    /// region, and landmarks must be told apart.
    shown: Mutex<std::collections::HashMap<(String, String), usize>>,
    /// The tables of every series of each results file shown (`bench.metrics`
    /// in templates), made once per file as parsed (the parse is kept to
    /// tell a reloaded file).
    every_series: Mutex<TablesByFile>,
    /// Where data files are edited (`edit_url` in versus.toml).
    pub edit: Option<crate::render::views::EditLinks<'a>>,
    /// The code of each language of the site, by its index (the default
    /// first; `language` in versus.toml on a site of one): the words and
    /// numbers of a page's shortcodes ([`TeraShortcodes::lang`]).
    pub languages: Vec<&'a str>,
    /// The pages that show data, each with the headline of its social
    /// card (the first matrix's tally, else the first figure).
    headlines: Mutex<std::collections::HashMap<usize, Option<Headline>>>,
}

pub(super) type LoadResult = Result<Loaded, Diagnostic>;
/// By results file: the parse, and the tables of its every series.
type TablesByFile = std::collections::HashMap<String, (Arc<LoadResult>, Arc<Vec<MetricTable>>)>;

impl<'a> TeraShortcodes<'a> {
    pub fn new(renderer: &'a Renderer, store: &'a Store, recorder: &'a Recorder) -> Self {
        Self {
            renderer,
            store,
            recorder,
            shown: Mutex::new(std::collections::HashMap::new()),
            every_series: Mutex::new(std::collections::HashMap::new()),
            edit: None,
            languages: Vec::new(),
            headlines: Mutex::new(std::collections::HashMap::new()),
        }
    }

    /// The language of the page a call is on: the words and the numbers
    /// of what it shows.
    /// On a stand-in for a page not translated (its text is the default
    /// language's, marked so), the default language's: the figures and
    /// words of its tables read as the text around them.
    pub fn lang(&self, site: &CallSite<'_>) -> &'a str {
        let of = |lang: usize| self.languages.get(lang).copied();
        let lang = if site.page.fallback {
            0
        } else {
            site.page.lang
        };
        of(lang).or_else(|| of(0)).unwrap_or("en")
    }

    /// The text of `key` in the language of the page a call is on.
    pub fn word(&self, site: &CallSite<'_>, key: &'a str) -> &'a str {
        let words: &'a crate::render::words::Words = self.renderer.words();
        words.get(self.lang(site), key)
    }

    /// Notes that page `page` shows data, and what it says in one line;
    /// a matrix's tally outranks a figure, the first of each kind wins.
    pub(super) fn shows(&self, page: usize, headline: Option<Headline>) {
        let Ok(mut all) = self.headlines.lock() else {
            return;
        };
        let kept = all.entry(page).or_default();
        let better = match (&*kept, &headline) {
            (_, None) => false,
            (None, Some(_)) => true,
            (Some(old), Some(new)) => new.from_matrix && !old.from_matrix,
        };
        if better {
            *kept = headline;
        }
    }

    /// Whether page `page` showed data in its last render, and its
    /// headline (taken: a page renders once per build).
    pub fn headline(&self, page: usize) -> Option<Option<Headline>> {
        self.headlines.lock().ok()?.remove(&page)
    }

    /// The tables of every series of `set` (parsed from `file`, `rel`).
    pub(super) fn every_series(
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

    /// 0 the first time `page` shows the table `key`, then 2, 3...
    pub(super) fn repeat(&self, page: &Page, key: String) -> usize {
        let Ok(mut shown) = self.shown.lock() else {
            return 0;
        };
        let n = shown.entry((page.id().to_string(), key)).or_default();
        *n += 1;
        if *n > 1 { *n } else { 0 }
    }

    /// Loads the data file a call names, as the page sees it.
    pub(super) fn load(
        &self,
        site: &CallSite<'_>,
    ) -> Result<(String, Arc<LoadResult>), Diagnostic> {
        let page = site.page;
        let written = site.str("data")?.unwrap_or_default();
        let rel = match self.store.resolve(&page.rel, written) {
            Ok(Some(rel)) => rel,
            Ok(None) => {
                let d = Diagnostic::error(format!("data file `{written}` not found"))
                    .with_help(match self.store.suggest(&page.rel, written) {
                    Some(p) => format!("did you mean `{p}`?"),
                    // Where `versus bench` writes: it has not run yet.
                    None if written.contains("benchmarks/results/") => {
                        "`versus bench` writes the results of content/benchmarks/benchmarks.toml \
                             under content/benchmarks/results/: run it first (docs/bench.md)"
                            .into()
                    }
                    None => "paths are relative to the page's folder, then to content/".into(),
                });
                return Err(site.at_arg("data", d));
            }
            Err(msg) => return Err(site.at_arg("data", Diagnostic::error(msg.to_string()))),
        };
        self.recorder.page(site.index, Input::Data(rel.clone()));
        self.shows(site.index, None);
        let loaded = self.store.load(&rel);
        Ok((rel, loaded))
    }

    /// The results file `rel` and its metadata as links from `page`: they
    /// are published beside the site's pages at the same path.
    pub(super) fn downloads(&self, page: &Page, rel: &str) -> Vec<Download> {
        self.store
            .published_with(rel)
            .into_iter()
            .map(|file| Download {
                href: crate::text::paths::relative_url(&page.output, &file),
                name: file.rsplit('/').next().unwrap_or(&file).to_string(),
                kind: if file.ends_with(".meta.toml") {
                    "metadata"
                } else {
                    "results"
                },
            })
            .collect()
    }

    /// The data file a `compare` or `bench_*` call shows, loaded and
    /// valid, with what each such template gets: `id` and `data_path`.
    pub(super) fn data_file(
        &self,
        site: &CallSite<'_>,
        ctx: &mut Context,
    ) -> Result<(String, Arc<LoadResult>), Diagnostic> {
        let (rel, loaded) = self.load(site)?;
        if let Err(d) = loaded.as_ref() {
            return Err(site.data_error(d));
        }
        site.str("title")?;
        let name = &site.call.name;
        ctx.insert(
            "id",
            &format!("{}-{}", name.replace('_', "-"), site.span.start),
        );
        ctx.insert("data_path", &rel);
        if let Some(edit) = &self.edit {
            ctx.insert("edit_url", &edit.of(&rel));
        }
        Ok((rel, loaded))
    }
}

/// The error for a data file of the other kind than the call shows.
pub(super) fn wrong_kind(site: &CallSite<'_>, rel: &str, want: &str) -> Diagnostic {
    site.at_arg(
        "data",
        Diagnostic::error(format!(
            "`{}` needs {want}, but content/{rel} holds something else",
            site.call.name
        ))
        .with_help("see docs/data.md for the two kinds of data file"),
    )
}

impl TeraShortcodes<'_> {
    /// Renders `template` for the call; the recorder hears of it, and of
    /// the files it loads.
    pub(super) fn template(
        &self,
        site: &CallSite<'_>,
        template: &str,
        mut ctx: Context,
    ) -> Result<String, Diagnostic> {
        self.recorder
            .page(site.index, Input::Template(template.to_string()));
        crate::render::for_page(&mut ctx, site.index);
        self.renderer.words().insert_into(&mut ctx, self.lang(site));
        let html = self.renderer.render(template, &ctx, &site.page.shown);
        html.map_err(|d| {
            let note = d.render(false);
            site.at_call(Diagnostic::error(format!(
                "shortcode `{}` failed",
                site.call.name
            )))
            .with_note(note)
        })
    }
}

/// A results file offered for download.
#[derive(Debug, serde::Serialize)]
pub struct Download {
    pub name: String,
    pub href: String,
    /// `results` or `metadata`.
    pub kind: &'static str,
}
