//! The served site: [`Site::apply`] carries a [`Plan`] out against the kept
//! [`Session`] and the in-memory output, and falls back to a full build
//! whenever a change could reach beyond the pages it names. The output is
//! always what a clean `versus build` of the same files would write.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::plan::{Change, Plan, plan};
use crate::deps::Input;
use crate::output::{Files, Staging};
use crate::pipeline::kept::Reload;
use crate::pipeline::{self, Options, Session};
use crate::report::error::{IoContext, Result};
use crate::report::progress::Progress;

/// The served site: the session that built it and its files.
pub struct Site {
    pub session: Option<Session>,
    pub files: Arc<Files>,
    /// A partial rebuild left the site-wide files (search index,
    /// print.html, feeds) to [`Site::complete`].
    pending: bool,
    /// Counts site-wide jobs and full rebuilds: a job's files are merged
    /// only if nothing newer came since it started.
    site_wide: u64,
    opts: Options,
    highlighter: Arc<crate::highlight::Highlighter>,
}

/// What a rebuild did.
#[derive(Debug, Default)]
pub struct Rebuild {
    /// Output paths whose bytes changed (added, changed or removed).
    pub changed: Vec<String>,
    pub full: bool,
    pub pages_rendered: usize,
    pub elapsed: Duration,
}

impl Site {
    /// Builds the whole site in memory.
    pub fn new(opts: &Options) -> (Self, Result<Rebuild>) {
        let mut site = Site {
            pending: false,
            site_wide: 0,
            session: None,
            files: Arc::new(Files::new()),
            opts: opts.clone(),
            highlighter: Arc::new(crate::highlight::Highlighter::new()),
        };
        let r = site.full();
        (site, r)
    }

    fn full(&mut self) -> Result<Rebuild> {
        let start = Instant::now();
        let (session, files) =
            crate::site_build::in_memory(&self.opts, Arc::clone(&self.highlighter))?;
        let changed = diff(&self.files, &files);
        let pages = session.content().pages.len();
        self.pending = false;
        self.site_wide += 1;
        self.session = Some(session);
        self.files = Arc::new(files);
        Ok(Rebuild {
            changed,
            full: true,
            pages_rendered: pages,
            elapsed: start.elapsed(),
        })
    }

    /// Whether a change can affect the site: any change under the site's
    /// folders does; a file elsewhere (`Change::Other`) only when a page of
    /// the last build included it, or, with no build to ask, when it is
    /// not at the top of the site (where logs and notes are written).
    pub fn matters(&self, change: &Change) -> bool {
        let Change::Other(path) = change else {
            return true;
        };
        match &self.session {
            Some(session) => !session.pages_reading(&[Input::file(path)]).is_empty(),
            None => path
                .parent()
                .is_some_and(|dir| dir != self.opts.root.as_path()),
        }
    }

    /// Rebuilds after `changes`; on error the served files stay as they were.
    pub fn apply(&mut self, changes: &[Change]) -> Result<Rebuild> {
        let with_existence: Vec<(Change, bool)> = changes
            .iter()
            .map(|c| (c.clone(), self.exists(c)))
            .collect();
        let Some(session) = &self.session else {
            return self.full();
        };
        let plan = plan(&with_existence, |rel| {
            let content = session.content();
            content.by_rel.contains_key(rel)
                || content
                    .data
                    .iter()
                    .chain(&content.assets)
                    .any(|d| d.rel == rel)
        });
        if plan.full {
            return self.full();
        }
        let start = Instant::now();
        let partial = self.partial(&plan).inspect_err(|_| {
            // The session has taken in part of this change (a page's new
            // text, say) that the served files lack: a later save that
            // finds that page unchanged would never render it. The next
            // change builds everything instead.
            self.session = None;
        });
        match partial? {
            Some((files, pages)) => {
                let changed = diff(&self.files, &files);
                self.files = Arc::new(files);
                Ok(Rebuild {
                    changed,
                    full: false,
                    pages_rendered: pages,
                    elapsed: start.elapsed(),
                })
            }
            None => self.full(),
        }
    }

    /// The work of writing the site-wide files a partial rebuild left out
    /// of date, to run on any thread: they take longer than pages, so the
    /// browser is told about its page first and the next save need not
    /// wait for them. `None` when they are up to date. Hand what the job
    /// makes to [`Site::merge`].
    pub fn complete_job(&mut self) -> Option<SiteWideJob> {
        let session = self.session.as_ref()?;
        if !self.pending {
            return None;
        }
        self.pending = false;
        self.site_wide += 1;
        let generation = self.site_wide;
        let job = crate::site_build::publish_job(session, false);
        Some(SiteWideJob {
            generation,
            run: Box::new(move || {
                let out = Staging::memory();
                let warnings = job(&out)?;
                Ok((out.into_files(), warnings))
            }),
        })
    }

    /// Puts in the files a site-wide job made, unless the site has changed
    /// since in a way that made them stale (a full rebuild, or a newer job).
    /// Returns the output paths that changed, `None` for a stale job.
    pub fn merge(&mut self, generation: u64, new: Files) -> Option<Vec<String>> {
        if generation != self.site_wide {
            return None;
        }
        let mut files = (*self.files).clone();
        let mut changed = Vec::new();
        // The job writes the whole search index and every print volume of
        // each language: a shard or volume it no longer writes (the site
        // has fewer documents, terms or sections) is gone.
        let mut prefixes: Vec<String> = match &self.session {
            Some(session) => session
                .content()
                .langs
                .iter()
                .map(|l| l.prefix.clone())
                .collect(),
            None => vec![String::new()],
        };
        if prefixes.is_empty() {
            prefixes.push(String::new());
        }
        let dirs: Vec<String> = prefixes
            .iter()
            .flat_map(|p| {
                [crate::publish::search::DIR, crate::publish::print::DIR]
                    .map(|d| format!("{p}{d}/"))
            })
            .collect();
        let gone: Vec<String> = files
            .keys()
            .filter(|k| dirs.iter().any(|d| k.starts_with(d.as_str())) && !new.contains_key(*k))
            .cloned()
            .collect();
        for k in gone {
            files.remove(&k);
            changed.push(k);
        }
        // Only the files whose bytes changed are replaced: an edit to one
        // page changes a few search shards, not all of them.
        for (k, v) in new {
            if k == crate::output::MARKER || files.get(&k).is_some_and(|old| same(old, &v)) {
                continue;
            }
            changed.push(k.clone());
            files.insert(k, v);
        }
        changed.sort();
        self.files = Arc::new(files);
        Some(changed)
    }

    /// Writes the site-wide files now, on this thread (see
    /// [`Site::complete_job`]). Returns the output paths that changed.
    pub fn complete(&mut self) -> Result<Vec<String>> {
        let Some(job) = self.complete_job() else {
            return Ok(Vec::new());
        };
        let generation = job.generation;
        let (files, _) = (job.run)()?;
        Ok(self.merge(generation, files).unwrap_or_default())
    }

    fn exists(&self, change: &Change) -> bool {
        let root = &self.opts.root;
        match change {
            Change::Page(rel) | Change::Data(rel) | Change::Asset(rel) => {
                root.join("content").join(rel).is_file()
            }
            Change::Other(p) => p.is_file(),
            Change::Static | Change::Config | Change::Theme => true,
        }
    }

    /// Carries out a partial plan. `Ok(None)` means the change reaches
    /// further than a partial rebuild can follow: build everything.
    fn partial(&mut self, plan: &Plan) -> Result<Option<(Files, usize)>> {
        let Some(session) = &mut self.session else {
            return Ok(None);
        };
        let tag_pages_before = session.tag_outputs();
        let published_before = session.published().clone();
        let Some((render, renav, retag)) = pages_to_render(session, plan)? else {
            return Ok(None);
        };
        let out = Staging::memory();
        let pages: Vec<usize> = render.into_iter().collect();
        session.render_pages(&pages, &out, &Progress::new(false, 0, ""))?;
        if retag && !renav {
            session.write_tag_pages(&out)?;
        }
        if renav {
            session.write_extras(&out)?;
        } else if plan.statics {
            let mut diags = Vec::new();
            pipeline::write_statics(&out, session, &mut diags)?;
        }
        self.pending = true;
        let mut files = (*self.files).clone();
        // A tag no page carries any more has no page.
        let tag_pages = session.tag_outputs();
        for gone in tag_pages_before.iter().filter(|p| !tag_pages.contains(p)) {
            files.remove(gone);
        }
        // Nor a results file no page shows any more a download.
        for gone in published_before.difference(session.published()) {
            files.remove(gone);
        }
        for (k, v) in out.into_files() {
            files.insert(k, v);
        }
        for rel in &plan.assets {
            let path = self.opts.root.join("content").join(rel);
            if path.is_file() {
                let bytes = std::fs::read(&path).at(&path)?;
                files.insert(rel.clone(), Arc::from(bytes));
            } else {
                files.remove(rel);
            }
        }
        Ok(Some((files, pages.len())))
    }
}

/// Whether two output files have the same bytes: the same allocation
/// (most files of a rebuild are shared with the one before) or equal.
fn same(a: &Arc<[u8]>, b: &Arc<[u8]>) -> bool {
    Arc::ptr_eq(a, b) || a == b
}

/// What a site-wide job makes: the files, and warnings.
pub type SiteWideFiles = (Files, Vec<crate::report::diagnostic::Diagnostic>);

/// The site-wide files' work, detached from the site.
pub struct SiteWideJob {
    pub generation: u64,
    pub run: Box<dyn FnOnce() -> Result<SiteWideFiles> + Send>,
}

/// What a partial plan renders again: the pages, whether the navigation
/// changed (every page reads it, and so do 404.html and the tag pages),
/// and whether the tags did (the tag pages are written again).
type ToRender = (BTreeSet<usize>, bool, bool);

/// What a partial plan renders again. `None`: the change reaches further
/// than a partial rebuild can follow.
fn pages_to_render(session: &mut Session, plan: &Plan) -> Result<Option<ToRender>> {
    let mut render: BTreeSet<usize> = BTreeSet::new();
    let mut edited: Vec<Input> = Vec::new();
    let (mut renav, mut retag) = (false, false);
    // A page and the other languages' stand-ins for it share its file.
    let pages: Vec<(&String, usize)> = plan
        .pages
        .iter()
        .flat_map(|rel| {
            let of = session.content().pages_of_file(rel);
            let none = of.is_empty().then_some((rel, usize::MAX));
            of.into_iter().map(move |i| (rel, i)).chain(none)
        })
        .collect();
    for (rel, i) in pages {
        if i == usize::MAX {
            return Ok(None);
        }
        match session.reload_page(i)? {
            Reload::Same => {}
            Reload::Body => {
                render.insert(i);
            }
            Reload::Headings => {
                render.insert(i);
                edited.push(Input::Anchors(rel.clone()));
            }
            Reload::Tags => {
                retag = true;
                render.insert(i);
                edited.push(Input::Anchors(rel.clone()));
            }
            Reload::Nav => {
                renav = true;
                edited.push(Input::Nav);
            }
            Reload::Structure => return Ok(None),
        }
    }
    if !plan.data.is_empty() {
        session.forget_data();
    }
    // A file under content/ is read as data, or included as code, or both.
    let content = session.root().join("content");
    for rel in &plan.data {
        edited.extend(Input::data(rel));
        edited.push(Input::file(&content.join(rel)));
    }
    edited.extend(plan.files.iter().map(|p| Input::file(p)));
    edited.extend(
        plan.assets
            .iter()
            .map(|rel| Input::file(&content.join(rel))),
    );
    render.extend(session.pages_reading(&edited));
    Ok(Some((render, renav, retag)))
}

/// Output paths that differ between two sets of files.
pub fn diff(old: &Files, new: &Files) -> Vec<String> {
    let mut changed: Vec<String> = new
        .iter()
        .filter(|(k, v)| old.get(*k).is_none_or(|o| !same(o, v)))
        .map(|(k, _)| k.clone())
        .collect();
    changed.extend(old.keys().filter(|k| !new.contains_key(*k)).cloned());
    changed.sort();
    changed
}
