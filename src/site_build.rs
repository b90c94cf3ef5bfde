//! A whole build: the pipeline's stages (load, parse, render, in
//! [`crate::pipeline`]), then the files made from every page (the search
//! index, print.html and feeds, in [`crate::publish`]), then the output
//! put in place. `build` writes to disk; `watch` and `check` build in
//! memory.

use std::sync::Arc;
use std::time::Instant;

use crate::highlight::Highlighter;
use crate::output::{Files, Staging};
use crate::pipeline::{Options, Report, Session, check_out_dir};
use crate::publish;
use crate::record::PageRecord;
use crate::report::diagnostic::Diagnostic;
use crate::report::error::Result;

/// Builds the site into the output folder. On any error, returns all
/// diagnostics and leaves the output folder as it was.
pub fn to_disk(opts: &Options) -> Result<Report> {
    let start = Instant::now();
    let out = opts.out_dir();
    check_out_dir(&opts.root, &opts.root.join("content"), &out)?;
    // A build renders each page once: it reads page texts again when it
    // needs them instead of keeping them (a 100,000-page site has a
    // gigabyte of Markdown).
    let (mut session, mut steps) = Session::load(opts, Arc::new(Highlighter::new()), true)?;
    let staging = Staging::new(&out)?;
    session.render_all(&staging, opts.progress)?;
    session.release_sources();
    steps.done("render");
    write_site_files(&mut session, &staging)?;
    staging.commit()?;
    steps.done("write");
    let mut report = session.report(out);
    report.elapsed = start.elapsed();
    report.steps = steps.steps;
    Ok(report)
}

/// Builds the site in memory (for `watch` and `check`).
/// `highlighter` may come from an earlier build, to reuse its work.
pub fn in_memory(opts: &Options, highlighter: Arc<Highlighter>) -> Result<(Session, Files)> {
    let (mut session, _) = Session::load(opts, highlighter, false)?;
    let staging = Staging::memory();
    session.render_all(&staging, false)?;
    write_site_files(&mut session, &staging)?;
    Ok((session, staging.into_files()))
}

/// The files made from the whole site: search index, print.html, feeds,
/// then the 404 page, stylesheets, static files and assets.
fn write_site_files(session: &mut Session, out: &Staging) -> Result<()> {
    let diags = publish_job(session)(out)?;
    session.keep(diags)?;
    session.write_extras(out)
}

/// The files made from every page (search index, print.html, feeds), as
/// work detached from the session (it holds shared copies of what it
/// reads), so that `watch` can run it on another thread while pages keep
/// being rebuilt.
pub fn publish_job(
    session: &Session,
) -> impl FnOnce(&Staging) -> Result<Vec<Diagnostic>> + Send + 'static {
    let mut records: Vec<Arc<PageRecord>> = session.records().cloned().collect();
    records.sort_by_key(|r| r.position);
    let config = session.config().clone();
    let renderer = Arc::clone(session.renderer());
    move |out: &Staging| {
        let site = publish::RenderedSite {
            config: &config,
            renderer: &renderer,
            records: &records,
        };
        publish::write(&site, out)
    }
}
