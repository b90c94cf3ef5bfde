//! `versus watch`: build in memory, serve, rebuild on change, and tell the
//! browsers, doing only the work a change calls for.
//!
//! - [`plan`]: what a changed path is to the site, and what a batch of
//!   changes requires (pure decisions);
//! - [`site`]: the served site, which carries a plan out against the kept
//!   build session;
//! - [`events`]: what wakes the loop, and bursts of file events;
//! - [`background`]: the site-wide files, made off the save-to-reload path;
//! - [`run`] (here): the loop joining them to the server (`serve.rs`).

pub mod background;
pub mod events;
pub mod plan;
pub mod site;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use plan::{Change, Plan, classify, plan};
pub use site::{Rebuild, Site, SiteWideJob, diff};

use crate::pipeline::Options;
use crate::report::diagnostic::Diagnostic;
use crate::report::error::{Error, Result};
use crate::serve::{self, BuildError, Shared};
use background::{Background, Finished};
use events::{Burst, FileWatcher, Inbox};

/// Builds the site in `opts.root`, serves it at `addr` and rebuilds on
/// every change until Ctrl-C. `open` opens it in a browser.
pub fn run(opts: &Options, addr: SocketAddr, open: bool) -> Result<()> {
    let inbox = Inbox::open();
    // Watch before the first build, so no save made while it runs is missed.
    let watcher = FileWatcher::new(&opts.root, &inbox)?;
    let (site, error) = first_build(opts)?;
    let shared = Shared::new(Arc::clone(&site.files), error);
    let server = serve::start(addr, Arc::clone(&shared))?;
    let url = format!("http://{}/", server.addr);
    eprintln!("serving {} at {url} (Ctrl-C to stop)", opts.root.display());
    if !addr.ip().is_loopback() {
        eprintln!(
            "warning: listening on {}, reachable from other machines",
            addr.ip()
        );
    }
    if open {
        open_browser(&url);
    }
    let mut watch = Watch {
        root: opts.root.clone(),
        out: opts.root.join("public"),
        background: Background::new(&inbox),
        dirty: Vec::new(),
        site,
        shared,
        watcher,
    };
    while let Some(burst) = inbox.next_burst() {
        if burst.stop() {
            break;
        }
        watch.turn(burst);
    }
    eprintln!("stopped");
    server.stop();
    Ok(())
}

/// The first build. A usage error (no site here) ends the command; a
/// content error is shown in the browser until it is fixed.
fn first_build(opts: &Options) -> Result<(Site, Option<BuildError>)> {
    let (site, first) = Site::new(opts);
    match first {
        Ok(o) => {
            eprintln!(
                "built {} pages in {} ms",
                o.pages_rendered,
                o.elapsed.as_millis()
            );
            Ok((site, None))
        }
        Err(e @ Error::Usage(_)) => Err(e),
        Err(e) => {
            e.eprint();
            let error = BuildError::from_error(&e);
            Ok((site, Some(error)))
        }
    }
}

/// The loop's state between bursts.
struct Watch {
    root: PathBuf,
    out: PathBuf,
    site: Site,
    shared: Arc<Shared>,
    watcher: FileWatcher,
    background: Background,
    /// Changes a failed build left: they wait for a fresh change, or the
    /// build's own reads of the files (open and close events) would start
    /// it again and again.
    dirty: Vec<Change>,
}

impl Watch {
    /// One burst: take in finished site-wide files, then rebuild for the
    /// files the burst changed.
    fn turn(&mut self, burst: Burst) {
        for done in self.background.finished(&mut self.site) {
            take_site_wide(&mut self.site, &self.shared, done);
        }
        let started = burst.started;
        let mut changes = std::mem::take(&mut self.dirty);
        let mut fresh = false;
        for path in burst.changed_paths() {
            // A file outside the site's folders counts only when a page
            // includes it: a log written at the root (`versus watch >
            // watch.log`) is no change.
            let change = classify(&self.root, &self.out, &path).filter(|c| self.site.matters(c));
            if let Some(c) = change {
                fresh = true;
                if !changes.contains(&c) {
                    changes.push(c);
                }
            }
        }
        if !fresh {
            self.dirty = changes;
            return;
        }
        // A folder created at the top (templates/, static/) is watched from now on.
        self.watcher.refresh();
        match self.site.apply(&changes) {
            Ok(outcome) => {
                self.shared
                    .publish(Arc::clone(&self.site.files), &outcome.changed);
                eprintln!(
                    "rebuilt {} ({} pages, {} files changed) in {:.1} ms",
                    if outcome.full {
                        "everything"
                    } else {
                        "incrementally"
                    },
                    outcome.pages_rendered,
                    outcome.changed.len(),
                    started.elapsed().as_secs_f64() * 1000.0
                );
                self.background.request(&mut self.site);
                if let Some(s) = &self.site.session {
                    let touched: Vec<Diagnostic> = s
                        .warnings()
                        .iter()
                        .filter(|w| changes_touch(&changes, w))
                        .cloned()
                        .collect();
                    crate::report::diagnostic::eprint(&touched);
                }
            }
            Err(e) => {
                e.eprint();
                self.shared.fail(BuildError::from_error(&e));
                self.dirty = changes;
            }
        }
    }
}

/// Serves the files a site-wide job made, unless a newer build made
/// them stale.
fn take_site_wide(site: &mut Site, shared: &Shared, done: Finished) {
    match done.made {
        Ok((files, _)) => {
            let Some(changed) = site.merge(done.generation, files) else {
                return;
            };
            if !changed.is_empty() {
                shared.publish(Arc::clone(&site.files), &changed);
                eprintln!(
                    "  and the site-wide files ({}) in {:.1} ms",
                    changed.join(", "),
                    done.took.as_secs_f64() * 1000.0
                );
            }
        }
        Err(e) => {
            e.eprint();
            shared.fail(BuildError::from_error(&e));
        }
    }
}

/// Warnings about the files just changed are worth repeating.
fn changes_touch(changes: &[Change], w: &Diagnostic) -> bool {
    let Some(loc) = &w.location else { return false };
    changes.iter().any(|c| match c {
        Change::Page(rel) | Change::Data(rel) | Change::Asset(rel) => {
            loc.path == Path::new("content").join(rel)
        }
        _ => false,
    })
}

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(cmd).arg(url).spawn() {
        eprintln!("could not open a browser ({cmd}: {e}); visit {url}");
    }
}
