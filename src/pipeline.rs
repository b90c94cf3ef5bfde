//! The build, as a list of named, timed steps:
//! load config -> load theme -> load content -> outline -> render -> write.
//!
//! Each step reports problems as diagnostics and the build goes on as far as
//! it can, so one run lists every error; nothing reaches the output folder
//! unless there were none.
//!
//! A [`Session`] keeps what a build computed, so `versus watch` can redo
//! only the pages a change affects (see [`crate::watch`]).

pub mod kept;
mod listings;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::{Config, LinkPolicy};
use crate::content::{Content, nav};
use crate::data::Store;
use crate::deps::{Graph, Input, Reader, Recorder};
use crate::highlight::Highlighter;
use crate::markdown::{self, Env, Outline};
use crate::output::Staging;
use crate::record::PageRecord;
use crate::render::card::{self, ImageView};
use crate::render::context::PageContext;
use crate::render::shortcodes::TeraShortcodes;
use crate::render::views::{Model, SiteView};
use crate::render::{Renderer, theme};
use crate::report::diagnostic::{self, Diagnostic};
use crate::report::error::{Error, IoContext, Result};
use crate::report::progress::Progress;

/// What to build and how.
#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    /// Output folder; relative paths are taken from `root`.
    pub out: PathBuf,
    pub drafts: bool,
    /// Overrides `links` from versus.toml.
    pub links: Option<LinkPolicy>,
    /// Show a progress bar on a terminal when the build takes over a second.
    pub progress: bool,
    /// Note figures typed into prose (for `versus check`).
    pub typed_figures: bool,
}

impl Options {
    pub fn new(root: &Path) -> Self {
        Self {
            root: root.to_path_buf(),
            out: PathBuf::from("public"),
            drafts: false,
            links: None,
            progress: false,
            typed_figures: false,
        }
    }

    /// The output folder, resolved against the root.
    pub fn out_dir(&self) -> PathBuf {
        if self.out.is_absolute() {
            self.out.clone()
        } else {
            self.root.join(&self.out)
        }
    }
}

/// The keys of versus.toml that every page's render reads besides the
/// `site` view: the Markdown pass's options and link policy, the code
/// blocks' colours, the sidebar's depth, the theme, the edit links and the
/// social cards.
const PAGE_CONFIG_KEYS: &[&str] = &[
    "languages",
    "markdown",
    "links",
    "highlight",
    "nav",
    "theme",
    "edit_url",
    "cards",
];

/// The dependency graph of `pages` pages that have read only what every
/// page reads: some config keys, and the navigation.
fn new_graph(pages: usize) -> Graph {
    let mut graph = Graph::new(pages);
    let keys = PAGE_CONFIG_KEYS.iter().chain(SiteView::CONFIG_KEYS);
    let mut every: Vec<(Reader, Input)> = keys
        .map(|k| (Reader::Every, Input::Config(k.to_string())))
        .collect();
    every.push((Reader::Every, Input::Nav));
    graph.file(&[], every);
    graph
}

/// What a successful build did.
#[derive(Debug, Default)]
pub struct Report {
    pub pages: usize,
    /// Pages rendered (the others were kept from the last build).
    pub rendered: usize,
    pub data_files: usize,
    pub assets: usize,
    pub drafts: usize,
    pub warnings: Vec<Diagnostic>,
    /// Lines for the author that are not warnings (why pages have no
    /// dates from git).
    pub notes: Vec<String>,
    pub out: PathBuf,
    pub elapsed: Duration,
    /// (step name, time) in order.
    pub steps: Vec<(&'static str, Duration)>,
}

impl Report {
    /// The line a build ends with: what it built, how long it took, where.
    pub fn summary(&self) -> String {
        let kept = if self.rendered < self.pages {
            format!(
                " ({} rendered, the others kept from .versus/)",
                self.rendered
            )
        } else {
            String::new()
        };
        let drafts = if self.drafts > 0 {
            format!(", {} drafts skipped", self.drafts)
        } else {
            String::new()
        };
        let warnings = match self.warnings.len() {
            0 => String::new(),
            1 => ", 1 warning".to_string(),
            n => format!(", {n} warnings"),
        };
        format!(
            "built {} pages{kept}, {} data files, {} assets{drafts}{warnings} in {:.2} s -> {}",
            self.pages,
            self.data_files,
            self.assets,
            self.elapsed.as_secs_f64(),
            self.out.display()
        )
    }
}

pub struct Steps {
    last: Instant,
    /// (step name, time) in order.
    pub steps: Vec<(&'static str, Duration)>,
}

impl Steps {
    fn new() -> Self {
        Self {
            last: Instant::now(),
            steps: Vec::new(),
        }
    }

    pub fn done(&mut self, name: &'static str) {
        let now = Instant::now();
        self.steps.push((name, now - self.last));
        self.last = now;
    }
}

/// What a page's rendered Markdown body left for `versus check` (what it
/// read is in the session's [`Graph`]).
#[derive(Debug, Default, Clone)]
pub struct Body {
    pub refs: Vec<markdown::Ref>,
    /// Figures typed into the prose (spans in the page's file).
    pub typed_figures: Vec<std::ops::Range<usize>>,
}

/// Everything a build computed, kept for incremental rebuilds.
pub struct Session {
    opts: Options,
    root: PathBuf,
    content_dir: PathBuf,
    config: Config,
    links: LinkPolicy,
    md_options: pulldown_cmark::Options,
    theme: theme::Theme,
    renderer: Arc<Renderer>,
    css: String,
    content: Content,
    outlines: Vec<Outline>,
    order: Vec<usize>,
    positions: Vec<usize>,
    /// Shared across rebuilds: grammars load once, and identical blocks are highlighted once.
    highlighter: std::sync::Arc<Highlighter>,
    store: Store,
    /// Hears, while pages render, what each read (the Markdown pass, the
    /// shortcodes and the templates' `load_data` all tell it).
    recorder: Arc<Recorder>,
    /// What each page read in its last render, and who read what.
    graph: Graph,
    /// Per page: what its body left for `check` (from the last render).
    bodies: Vec<Body>,
    /// Per page: what it left for the site-wide files.
    records: Vec<Option<Arc<PageRecord>>>,
    warnings: Vec<Diagnostic>,
    /// Per page: the warnings its last render gave (also in `warnings`).
    page_warnings: Vec<Vec<Diagnostic>>,
    /// What git knows of the site: page dates, the site's folder in the
    /// repository, why there are no dates.
    repo: crate::content::git::Repo,
    /// Every tag, the pages carrying it in reading order.
    tags: Vec<crate::content::tags::Tag>,
    /// The results files published beside the pages (paths under content/).
    published: BTreeSet<String>,
}

/// What rendering one page produced.
#[derive(Default)]
struct PageResult {
    diags: Vec<Diagnostic>,
    unknown_langs: Vec<(String, Diagnostic)>,
    io: Option<Error>,
    record: Option<PageRecord>,
    body: Body,
}

/// Every page's outline (title, heading ids), in parallel; a page that
/// cannot be read again adds its error to `diags` and an empty outline.
fn outline_all(
    content: &Content,
    md_options: pulldown_cmark::Options,
    known: &Known<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Outline> {
    let outlines: Vec<Result<Outline, Diagnostic>> = content
        .pages
        .par_iter()
        .map(|p| match known(p) {
            Some(outline) => Ok(outline),
            None => p.with_text().map(|p| markdown::outline(&p, md_options)),
        })
        .collect();
    outlines
        .into_iter()
        .map(|o| {
            o.unwrap_or_else(|d| {
                diags.push(d);
                Outline::default()
            })
        })
        .collect()
}

/// The outline an earlier build made of a page, if its source is the same
/// (from the build cache).
pub type Known<'a> = dyn Fn(&crate::content::Page) -> Option<Outline> + Sync + 'a;

impl Session {
    /// Loads configuration, theme and content, and outlines every page.
    pub fn load(
        opts: &Options,
        highlighter: std::sync::Arc<Highlighter>,
        leave_on_disk: bool,
    ) -> Result<(Self, Steps)> {
        Self::load_with(opts, highlighter, leave_on_disk, &|_| None)
    }

    /// Like [`Session::load`], taking the outlines `known` gives instead of
    /// reading those pages.
    pub fn load_with(
        opts: &Options,
        highlighter: std::sync::Arc<Highlighter>,
        leave_on_disk: bool,
        known: &Known<'_>,
    ) -> Result<(Self, Steps)> {
        let mut steps = Steps::new();
        let root = opts.root.clone();
        let config = Config::load(&root)?;
        let links = opts.links.unwrap_or(config.links);
        steps.done("config");

        let content_dir = root.join("content");
        let mut diags = Vec::new();
        let theme = theme::load(&root, &config.theme).unwrap_or_else(|d| {
            diags.extend(d);
            theme::Theme::default()
        });
        steps.done("theme");

        let (mut content, content_diags) = Content::load(
            &root,
            &content_dir,
            (opts.drafts, leave_on_disk),
            &config.lang_setup(),
        );
        diags.extend(content_diags);
        let repo = if config.git_dates || config.edit_url.is_some() {
            crate::content::git::read(&root, config.git_dates)
        } else {
            crate::content::git::Repo::default()
        };
        content.date_pages(&repo.dates);
        if content.pages.iter().any(|p| !p.meta.aliases.is_empty()) {
            let files = written_files(&root, &theme, &content);
            diags.extend(crate::content::aliases::check(&content, &files));
        }
        steps.done("content");

        let md_options = markdown::options(&config);
        let outlines = outline_all(&content, md_options, known, &mut diags);
        let order = nav::reading_order(&content);
        let positions = nav::positions(&order, content.pages.len());
        let (tags, tag_diags) = crate::content::tags::collect(&content, &order);
        diags.extend(tag_diags);
        steps.done("outline");

        let recorder = Arc::new(Recorder::new());
        let default = content.langs.first().map_or(&config.language, |l| &l.code);
        let words = crate::render::words::Words::load(&theme, default)
            .map_err(|d| diags.extend(d))
            .ok();
        let renderer = Renderer::new(&theme, &content_dir, Arc::clone(&recorder))
            .map(|mut r| {
                r.set_global("site", &SiteView::new(&config));
                r.set_words(words.unwrap_or_default());
                r
            })
            .map_err(|d| diags.extend(d))
            .ok();
        let css = highlighter
            .configure(&config.highlight)
            .map(|t| t.stylesheet())
            .map_err(|d| diags.push(d))
            .ok();
        let (Some(renderer), Some(css), false) = (renderer, css, has_errors(&diags)) else {
            return Err(fail(diags));
        };
        steps.done("templates");
        let pages = content.pages.len();
        let store = Store::new(&root, &content_dir);
        let session = Self {
            opts: opts.clone(),
            root,
            content_dir,
            config,
            links,
            md_options,
            theme,
            renderer: Arc::new(renderer),
            css,
            content,
            outlines,
            order,
            positions,
            highlighter,
            store,
            recorder,
            graph: new_graph(pages),
            bodies: vec![Body::default(); pages],
            records: vec![None; pages],
            warnings: diags,
            page_warnings: vec![Vec::new(); pages],
            repo,
            tags,
            published: BTreeSet::new(),
        };
        Ok((session, steps))
    }

    /// Takes what an earlier build left of the pages it will not render
    /// again: what each read, and each one's record (`None` for pages to
    /// render).
    pub fn adopt(&mut self, graph: Graph, records: Vec<Option<PageRecord>>) {
        self.graph = graph;
        self.records = records.into_iter().map(|r| r.map(Arc::new)).collect();
    }

    /// Renders every page into `out`.
    pub fn render_all(&mut self, out: &Staging, progress: bool) -> Result<()> {
        let all: Vec<usize> = (0..self.content.pages.len()).collect();
        let bar = Progress::new(progress, all.len() as u64, "rendering");
        let result = self.render_pages(&all, out, &bar);
        bar.finish();
        result
    }

    /// Renders `pages` into `out`, keeping what they depend on. Errors
    /// (every one found) leave the session's records untouched.
    pub fn render_pages(&mut self, pages: &[usize], out: &Staging, bar: &Progress) -> Result<()> {
        // What a render that failed part-way heard is not what the pages read.
        self.recorder.take();
        let mut shortcodes = TeraShortcodes::new(&self.renderer, &self.store, &self.recorder);
        shortcodes.edit = self.edit_links();
        shortcodes.languages = self.language_codes();
        let results: Vec<(usize, PageResult)> = {
            let env = Env {
                root: &self.root,
                content: &self.content,
                outlines: &self.outlines,
                highlighter: &self.highlighter,
                links: self.links,
                options: self.md_options,
                shortcodes: Some(&shortcodes),
                recorder: &self.recorder,
                typed_figures: self.opts.typed_figures,
            };
            let model = self.model();
            let cards = Cards {
                shortcodes: &shortcodes,
                config: &self.config,
            };
            pages
                .par_iter()
                .map(|&i| {
                    let r = render_page(&env, &model, &self.renderer, &cards, out, i);
                    bar.inc();
                    (i, r)
                })
                .collect()
        };
        let heard = self.recorder.take();
        let published = self.publish_results(&heard, pages, out)?;
        let mut diags = Vec::new();
        let mut unknown_langs: BTreeSet<String> = BTreeSet::new();
        let mut done = Vec::with_capacity(results.len());
        for (i, mut r) in results {
            // A language no grammar knows is reported once, for the first
            // page that used it.
            let mut mine = std::mem::take(&mut r.diags);
            for (lang, d) in r.unknown_langs.drain(..) {
                if unknown_langs.insert(lang) {
                    mine.push(d);
                }
            }
            diags.extend(mine.iter().cloned());
            if let Some(e) = r.io.take() {
                return Err(e);
            }
            done.push((i, r, mine));
        }
        if has_errors(&diags) {
            return Err(fail(diags));
        }
        for (i, r, mine) in done {
            self.records[i] = r.record.map(Arc::new);
            self.bodies[i] = r.body;
            self.page_warnings[i] = mine;
        }
        self.graph.file(pages, heard);
        self.published = published;
        self.warnings.retain(|w| {
            !pages.iter().any(|&p| {
                w.location
                    .as_ref()
                    .is_some_and(|l| l.path == self.content.pages[p].shown)
            })
        });
        self.warnings.extend(diags);
        Ok(())
    }

    /// Lets go of what only rendering pages needs (their source text and
    /// what their bodies depend on), once every page is rendered and the
    /// session will not render again: `build` does, `watch` and `check` keep
    /// them. Diagnostics already made keep the text they show.
    /// Drops what only rendering needed (page texts, what each body
    /// depends on, every page's headings and ids), before the site-wide
    /// files are written: a build's peak memory is reached there.
    pub fn release_sources(&mut self) {
        for page in &mut self.content.pages {
            page.text = Arc::from("");
            page.body = 0..0;
        }
        for outline in &mut self.outlines {
            outline.headings = Vec::new();
            outline.ids = Default::default();
            outline.renamed = Vec::new();
        }
        self.bodies = Vec::new();
    }

    /// Results files the pages show are published beside them, as
    /// downloads: the figures can be checked against the measurements.
    /// What `pages` read is in `heard`; what the others read, in the graph.
    fn publish_results(
        &self,
        heard: &[(Reader, Input)],
        pages: &[usize],
        out: &Staging,
    ) -> Result<BTreeSet<String>> {
        let rendered: BTreeSet<usize> = pages.iter().copied().collect();
        let others = (0..self.content.pages.len())
            .filter(|p| !rendered.contains(p))
            .flat_map(|p| self.graph.inputs(p));
        let mut published = BTreeSet::new();
        for input in heard.iter().map(|(_, i)| i).chain(others) {
            let Input::Data(rel) = input else { continue };
            if matches!(
                self.store.load(rel).as_ref(),
                Ok(crate::data::Loaded::Bench(_))
            ) {
                published.extend(self.store.published_with(rel));
            }
        }
        for rel in &published {
            out.copy(rel, &self.store.path_of(rel))?;
        }
        Ok(published)
    }

    /// Where source files are edited, with `edit_url` in versus.toml.
    pub fn edit_links(&self) -> Option<crate::render::views::EditLinks<'_>> {
        let url = self.config.edit_url.as_deref()?;
        Some(crate::render::views::EditLinks {
            url,
            prefix: &self.repo.prefix,
        })
    }

    pub fn model(&self) -> Model<'_> {
        Model {
            content: &self.content,
            outlines: &self.outlines,
            order: &self.order,
            positions: &self.positions,
            collapse_above: self.config.nav.collapse_above,
            edit: self.edit_links(),
            config: &self.config,
            navs: Default::default(),
        }
    }

    /// The 404 page, the tag pages, stylesheets, static files and assets.
    pub fn write_extras(&mut self, out: &Staging) -> Result<()> {
        self.write_tag_pages(out)?;
        let mut diags = Vec::new();
        write_extras(out, self, &mut diags)?;
        self.keep(diags)
    }

    pub fn keep(&mut self, diags: Vec<Diagnostic>) -> Result<()> {
        if has_errors(&diags) {
            return Err(fail(diags));
        }
        self.warnings.extend(diags);
        diagnostic::sort(&mut self.warnings);
        Ok(())
    }

    pub fn report(&self, out: PathBuf) -> Report {
        Report {
            pages: self.content.pages.len(),
            rendered: self.content.pages.len(),
            data_files: self
                .content
                .data
                .iter()
                .filter(|d| crate::data::shown_by_pages(&d.rel))
                .count(),
            assets: self.content.assets.len(),
            drafts: self.content.drafts,
            warnings: self.warnings.clone(),
            notes: self.repo.note.iter().cloned().collect(),
            out,
            ..Report::default()
        }
    }
}

fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(Diagnostic::is_error)
}

fn fail(mut diags: Vec<Diagnostic>) -> Error {
    diagnostic::sort(&mut diags);
    Error::Content(diags)
}

/// The output folder must not be the site itself or hold the content.
pub fn check_out_dir(root: &Path, content_dir: &Path, out: &Path) -> Result<()> {
    let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let (root_c, out_c, content_c) = (canon(root), canon(out), canon(content_dir));
    if out_c == root_c || content_c.starts_with(&out_c) || out_c.starts_with(&content_c) {
        return Err(Error::Usage(format!(
            "the output folder {} would overwrite the site's own files: choose another --out",
            out.display()
        )));
    }
    Ok(())
}

/// The files a build writes besides pages (output path, or folder ending
/// in `/`, -> what it is), which an alias must not take.
fn written_files(
    root: &Path,
    theme: &theme::Theme,
    content: &Content,
) -> std::collections::BTreeMap<String, String> {
    let mut files: std::collections::BTreeMap<String, String> = [
        ("404.html", "the 404 page"),
        ("print.html", "the whole site to print"),
        ("print/", "a print volume's folder"),
        ("search/", "the search index's folder"),
        ("tags/", "the tag pages' folder"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for rel in theme.statics.keys() {
        files.insert(rel.clone(), format!("the theme's file static/{rel}"));
    }
    let (statics, _) = crate::content::walk::walk(&root.join("static"));
    for f in statics {
        files.insert(f.rel.clone(), format!("the file static/{}", f.rel));
    }
    for a in &content.assets {
        files.insert(a.rel.clone(), format!("the file content/{}", a.rel));
    }
    files
}

/// The template a page renders with.
fn template_for(page: &crate::content::Page, kind: &str) -> String {
    match &page.meta.template {
        Some(t) => t.clone(),
        None => match kind {
            "index" => "index.html".to_string(),
            "section" => "section.html".to_string(),
            _ => "page.html".to_string(),
        },
    }
}

/// What choosing and drawing pages' social cards needs.
struct Cards<'a> {
    /// Which pages showed data, and their headlines.
    shortcodes: &'a TeraShortcodes<'a>,
    config: &'a Config,
}

/// Page `i`'s `og:image` (of `title`, `kind`), its card drawn and
/// written when it gets one ([`card::plan`]).
fn page_image(
    env: &Env<'_>,
    renderer: &Renderer,
    cards: &Cards<'_>,
    out: &Staging,
    (i, title, kind): (usize, &str, &str),
) -> std::result::Result<Option<ImageView>, Box<PageResult>> {
    let page = &env.content.pages[i];
    let shown = cards.shortcodes.headline(i);
    let config = cards.config;
    let is_asset = |rel: &str| env.content.assets.iter().any(|a| a.rel == rel);
    let plan = card::plan(
        page,
        kind,
        shown.is_some(),
        config.cards,
        config.base_url.as_deref(),
        &is_asset,
    );
    let fail = |d: Diagnostic| {
        Box::new(PageResult {
            diags: vec![d],
            ..PageResult::default()
        })
    };
    // A drawn card's size is known; a page's own image's is not.
    let image = |url: String, drawn: bool| ImageView {
        url,
        width: drawn.then_some(card::WIDTH),
        height: drawn.then_some(card::HEIGHT),
        alt: title.to_string(),
    };
    match plan.map_err(fail)? {
        card::Plan::Nothing => Ok(None),
        card::Plan::Own(url) => Ok(Some(image(url, false))),
        card::Plan::Card(_) if !renderer.has_template(card::TEMPLATE) => Ok(None),
        card::Plan::Card(path) => {
            env.recorder
                .page(i, Input::Template(card::TEMPLATE.to_string()));
            let headline = shown.flatten();
            let view = card::CardView::new(title, &config.title, kind, headline.as_ref());
            let png = card::draw(renderer, i, page, &view).map_err(fail)?;
            out.write(&path, &png).map_err(|e| {
                Box::new(PageResult {
                    io: Some(e),
                    ..PageResult::default()
                })
            })?;
            let base = config.base_url.as_deref().unwrap_or_default();
            Ok(Some(image(format!("{base}/{path}"), true)))
        }
    }
}

fn render_page(
    env: &Env<'_>,
    model: &Model<'_>,
    renderer: &Renderer,
    cards: &Cards<'_>,
    out: &Staging,
    i: usize,
) -> PageResult {
    let page = &env.content.pages[i];
    let body = markdown::render(env, i);
    let mut result = PageResult {
        diags: body.diags,
        unknown_langs: body.unknown_langs,
        body: Body {
            refs: body.refs,
            typed_figures: body.typed_figures,
        },
        ..PageResult::default()
    };
    if has_errors(&result.diags) {
        return result;
    }
    let kind = model.kind(i);
    let template = template_for(page, kind);
    if !renderer.has_template(&template) {
        let d = Diagnostic::error(format!(
            "front matter asks for template `{template}`, which the theme lacks"
        ))
        .at(&page.shown, &page.text, 0..page.body.start.min(3))
        .with_help("add it under templates/, or remove `template` from the front matter");
        result.diags.push(d);
        return result;
    }
    let mut view = model.page(i, body.html);
    match page_image(env, renderer, cards, out, (i, view.title, kind)) {
        Ok(image) => view.image = image,
        Err(failed) => {
            result.diags.extend(failed.diags);
            result.io = failed.io;
            return result;
        }
    }
    let mut record =
        match PageRecord::new(&body.sections, &body.ids, &view.content, |t| out.keep(t)) {
            Ok(r) => r,
            Err(e) => {
                result.io = Some(e);
                return result;
            }
        };
    record.position = model.positions[i];
    record.kind = kind;
    record.output = page.output.clone();
    record.title = view.title.to_string();
    record.description = view.description.map(str::to_string);
    record.date = page.meta.date.as_ref().map(|d| d.0.clone());
    record.updated = page.updated.clone();
    record.aliases = page
        .meta
        .aliases
        .iter()
        .filter_map(|a| crate::content::aliases::output_in(env.content, page, a).ok())
        .collect();
    result.record = Some(record);
    let ctx = PageContext::page(model, i, view);
    env.recorder.page(i, Input::Template(template.clone()));
    env.recorder
        .page(i, Input::Words(model.code(page.lang).to_string()));
    if page.fallback {
        // Its shortcodes speak the default language, as its text does.
        env.recorder
            .page(i, Input::Words(model.code(0).to_string()));
    }
    match ctx.render(renderer, &template, &page.shown) {
        Ok(html) => {
            if let Err(e) = out.write(&page.output, html.as_bytes()) {
                result.io = Some(e);
            }
        }
        Err(d) => result.diags.push(d),
    }
    result
}

/// 404 page, highlight stylesheet, theme and site static files, content assets.
fn write_extras(out: &Staging, s: &Session, diags: &mut Vec<Diagnostic>) -> Result<()> {
    let model = s.model();
    for (lang, l) in s.content.langs.iter().enumerate() {
        let path = format!("{}404.html", l.prefix);
        let title = s.renderer.words().get(&l.code, "not_found");
        let ctx = PageContext::not_found(&model, lang, &path, title);
        match ctx.render(&s.renderer, "404.html", Path::new("404.html")) {
            Ok(html) => out.write(&path, html.as_bytes())?,
            Err(d) => diags.push(d),
        }
    }
    out.write("highlight.css", s.css.as_bytes())?;
    write_statics(out, s, diags)?;
    for asset in &s.content.assets {
        out.copy(&asset.rel, &asset.abs)?;
    }
    Ok(())
}

/// The theme's static files, then the site's own `static/` over them.
pub fn write_statics(out: &Staging, s: &Session, diags: &mut Vec<Diagnostic>) -> Result<()> {
    for (rel, file) in &s.theme.statics {
        let read;
        let bytes = match file {
            theme::StaticFile::Embedded(bytes) => *bytes,
            theme::StaticFile::Disk(path) => {
                read = std::fs::read(path).at(path)?;
                &read
            }
        };
        let (bytes, warning) = theme::prepare_static(rel, bytes, &s.css);
        diags.extend(warning);
        out.write(rel, &bytes)?;
    }
    let site_static = s.root.join("static");
    if site_static.is_dir() {
        let (files, d) = crate::content::walk::walk(&site_static);
        diags.extend(d);
        for f in files {
            out.copy(&f.rel, &f.abs)?;
        }
    }
    Ok(())
}
