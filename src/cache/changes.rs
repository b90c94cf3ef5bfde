//! What changed since the build the cache kept, and which pages that
//! reaches ([`plan`]); and the index a finished build leaves ([`index_of`]).
//!
//! Every input is compared by checksum: page sources, data files, included
//! files, templates, the theme's words in each language, each top-level
//! key of versus.toml; and each page's
//! date of last change (from git, which is not in the page's bytes). A page's own edit
//! renders it again; new heading ids reach the pages linking to it; a new
//! title, description or date (its link) reaches every page (they all show
//! the navigation). The dependency graph the cache kept turns the rest into
//! pages: the readers of a data file, an included file, a config key, a
//! template or any template that extends, includes or imports it. Pages
//! added, removed or moved, or a new set of templates, assets or static
//! files, rebuild everything.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::index::{
    Index, KeptWarning, PageEntry, build_id, config_keys, options_key, resolved, resolved_out,
};
use crate::deps::{Graph, Input};
use std::sync::Arc;

use crate::packed::sum;
use crate::pipeline::{Options, Session};
use crate::record::PageRecord;
use crate::report::error::{Error, Result};

/// What a build must redo.
#[derive(Debug, PartialEq, Eq)]
pub enum Plan {
    /// Nothing the output is made from changed.
    Nothing,
    /// Render these pages again (and the site-wide files); keep the rest.
    Pages(BTreeSet<usize>),
    /// Build everything, because of what the string says.
    All(String),
}

/// What a build is made from besides its pages, by checksum.
struct Sources {
    config: BTreeMap<String, String>,
    templates: BTreeMap<String, u64>,
    words: BTreeMap<String, u64>,
    files_copied: BTreeMap<String, u64>,
    data: BTreeMap<String, u64>,
}

impl Sources {
    fn of(session: &Session) -> Result<Self> {
        let config = config_keys(session.root());
        let templates = session
            .theme()
            .templates
            .iter()
            .map(|(name, t)| (name.clone(), sum(t.text.as_bytes())))
            .collect();
        let mut files_copied: BTreeMap<String, u64> = session
            .theme()
            .statics
            .iter()
            .map(|(k, f)| {
                let s = match f {
                    crate::render::theme::StaticFile::Embedded(bytes) => sum(bytes),
                    crate::render::theme::StaticFile::Disk(path) => file_sum(path),
                };
                (format!("theme:{k}"), s)
            })
            .collect();
        for a in &session.content().assets {
            files_copied.insert(format!("content:{}", a.rel), file_sum(&a.abs));
        }
        let statics = session.root().join("static");
        if statics.is_dir() {
            let (files, _) = crate::content::walk::walk(&statics);
            for f in files {
                files_copied.insert(format!("static:{}", f.rel), file_sum(&f.abs));
            }
        }
        let mut data = BTreeMap::new();
        for d in &session.content().data {
            let bytes = std::fs::read(&d.abs).map_err(|e| Error::io(&d.abs, e))?;
            data.insert(d.rel.clone(), sum(&bytes));
        }
        let words = session.words_sums();
        Ok(Self {
            config,
            templates,
            words,
            files_copied,
            data,
        })
    }
}

/// Checksum of the file at `path` as it is now (0: it cannot be read).
fn file_sum(path: &Path) -> u64 {
    std::fs::read(path).map_or(0, |b| sum(&b))
}

/// Where page `i` stands in the site: what, changed, moves other pages
/// (or, for its aliases, changes which redirect files exist).
fn place(session: &Session, i: usize) -> String {
    let page = &session.content().pages[i];
    format!(
        "{}|{}|{:?}|{:?}|{}|{}|{:?}",
        page.output,
        session.position(i),
        page.meta.weight,
        page.meta.template,
        page.section,
        page.is_section,
        page.meta.aliases
    )
}

/// The index a build whose pages are rendered leaves (its outputs and
/// records filled in later), and each page's record, in the index's order.
pub fn index_of(
    opts: &Options,
    session: &Session,
) -> Result<(Index, Vec<Option<Arc<PageRecord>>>)> {
    let sources = Sources::of(session)?;
    let (inputs, everyone) = session.graph().parts();
    let records = session.records_by_page();
    let mut pages = Vec::with_capacity(session.content().pages.len());
    for (i, page) in session.content().pages.iter().enumerate() {
        let record = records.get(i).cloned().flatten();
        pages.push((
            PageEntry {
                rel: page.id().to_string(),
                source: page.source_sum(),
                place: place(session, i),
                outline: session.outlines()[i].clone(),
                link: session.shown_elsewhere(i),
                inputs: inputs.get(i).cloned().unwrap_or_default(),
                record: None,
                warnings: session
                    .page_warnings(i)
                    .iter()
                    .map(KeptWarning::of)
                    .collect(),
            },
            record,
        ));
    }
    pages.sort_by(|a, b| a.0.rel.cmp(&b.0.rel));
    let (pages, records): (Vec<PageEntry>, Vec<_>) = pages.into_iter().unzip();
    let included = inputs
        .iter()
        .flatten()
        .chain(everyone)
        .filter_map(|i| match i {
            Input::File(p) => Some((p.clone(), file_sum(p))),
            _ => None,
        })
        .collect();
    let index = Index {
        build: build_id(),
        root: resolved(&opts.root),
        out: resolved_out(opts),
        options: options_key(opts),
        config: sources.config,
        templates: sources.templates,
        words: sources.words,
        files_copied: sources.files_copied,
        data: sources.data,
        included,
        pages,
        everyone: everyone.clone(),
        texts_len: 0,
        texts_live: 0,
        outputs: BTreeMap::new(),
    };
    Ok((index, records))
}

/// The templates each template names in `extends`, `include` and `import`.
fn template_uses(session: &Session) -> BTreeMap<String, BTreeSet<String>> {
    let tag = regex::Regex::new(r#"\{%-?\s*(?:extends|include|import)\b((?s).*?)-?%\}"#)
        .unwrap_or_else(|_| unreachable!("a fixed pattern"));
    let quoted = regex::Regex::new(r#""([^"]*)"|'([^']*)'|`([^`]*)`"#)
        .unwrap_or_else(|_| unreachable!("a fixed pattern"));
    let mut uses = BTreeMap::new();
    for (name, t) in &session.theme().templates {
        let names: BTreeSet<String> = tag
            .captures_iter(&t.text)
            .flat_map(|c| {
                let args = c.get(1).map_or("", |m| m.as_str()).to_string();
                quoted
                    .captures_iter(&args)
                    .filter_map(|q| {
                        q.iter()
                            .skip(1)
                            .flatten()
                            .next()
                            .map(|m| m.as_str().to_string())
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        uses.insert(name.clone(), names);
    }
    uses
}

/// `changed` templates and every template that uses one of them, directly
/// or through others.
fn templates_reached(
    changed: BTreeSet<String>,
    uses: &BTreeMap<String, BTreeSet<String>>,
) -> BTreeSet<String> {
    let mut reached = changed;
    loop {
        let more: Vec<String> = uses
            .iter()
            .filter(|(name, used)| {
                !reached.contains(*name) && used.iter().any(|u| reached.contains(u))
            })
            .map(|(name, _)| name.clone())
            .collect();
        if more.is_empty() {
            return reached;
        }
        reached.extend(more);
    }
}

/// What the build of `session` must redo, given what the cache kept.
pub fn plan(index: &Index, session: &Session) -> Result<Plan> {
    let pages = &session.content().pages;
    if pages.len() != index.pages.len() {
        return Ok(Plan::All("pages were added or removed".into()));
    }
    let sources = Sources::of(session)?;
    if sources.files_copied.keys().ne(index.files_copied.keys()) {
        return Ok(Plan::All(
            "static files or assets were added or removed".into(),
        ));
    }
    if sources.data.keys().ne(index.data.keys()) {
        return Ok(Plan::All("data files were added or removed".into()));
    }
    if sources.templates.keys().ne(index.templates.keys()) {
        return Ok(Plan::All("templates were added or removed".into()));
    }
    let mut render = BTreeSet::new();
    let mut edited: Vec<Input> = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let Ok(at) = index
            .pages
            .binary_search_by(|p| p.rel.as_str().cmp(page.id()))
        else {
            return Ok(Plan::All(format!("content/{} is new", page.rel)));
        };
        let kept = &index.pages[at];
        if kept.place != place(session, i) {
            return Ok(Plan::All(format!("content/{} moved in the site", page.rel)));
        }
        // A page's date (from its last commit) is not in its bytes.
        let same_date = kept.record.as_ref().map(|r| r.updated()) == Some(page.updated.as_deref());
        if kept.source == page.source_sum() && same_date {
            continue;
        }
        render.insert(i);
        if kept.outline.ids != session.outlines()[i].ids {
            edited.push(Input::Anchors(page.rel.clone()));
        }
        if kept.link != session.shown_elsewhere(i) {
            edited.push(Input::Nav);
        }
    }
    for (key, value) in &sources.config {
        if index.config.get(key) != Some(value) {
            edited.push(Input::Config(key.clone()));
        }
    }
    for key in index.config.keys() {
        if !sources.config.contains_key(key) {
            edited.push(Input::Config(key.clone()));
        }
    }
    for (lang, now) in &sources.words {
        if index.words.get(lang) != Some(now) {
            edited.push(Input::Words(lang.clone()));
        }
    }
    let content = session.root().join("content");
    for (rel, now) in &sources.data {
        if index.data.get(rel) != Some(now) {
            edited.extend(Input::data(rel));
            edited.push(Input::file(&content.join(rel)));
        }
    }
    for (path, then) in &index.included {
        if file_sum(path) != *then {
            edited.push(Input::File(path.clone()));
        }
    }
    let changed: BTreeSet<String> = sources
        .templates
        .iter()
        .filter(|(name, now)| index.templates.get(*name) != Some(now))
        .map(|(name, _)| name.clone())
        .collect();
    if !changed.is_empty() {
        let uses = template_uses(session);
        edited.extend(
            templates_reached(changed, &uses)
                .into_iter()
                .map(Input::Template),
        );
    }
    let graph = graph_of(index, session);
    render.extend(graph.affected(&edited));
    if render.is_empty() && edited.is_empty() && sources.files_copied == index.files_copied {
        return Ok(Plan::Nothing);
    }
    if render.len() == pages.len() {
        return Ok(Plan::All("every page reads what changed".into()));
    }
    Ok(Plan::Pages(render))
}

/// The dependency graph the cache kept, pages in the session's order
/// (a page the cache does not know read nothing).
pub fn graph_of(index: &Index, session: &Session) -> Graph {
    let inputs = session
        .content()
        .pages
        .iter()
        .map(|page| {
            index
                .pages
                .binary_search_by(|p| p.rel.as_str().cmp(page.id()))
                .map(|at| index.pages[at].inputs.clone())
                .unwrap_or_default()
        })
        .collect();
    Graph::from_parts(inputs, index.everyone.clone())
}
