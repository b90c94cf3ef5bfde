//! `versus watch`: build in memory, serve, rebuild on change, and tell the
//! browsers. The decisions live in `watch.rs`, the server in `serve.rs`.

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use crate::cli::WatchArgs;
use crate::error::{Error, Result};
use crate::pipeline::Options;
use crate::serve::{self, BuildError, Shared};
use crate::watch::{self, Change, Site};

/// Quiet time that ends a burst of file events (an editor's save is
/// several events: write, rename, chmod...).
const DEBOUNCE: Duration = Duration::from_millis(10);
/// A burst never delays a rebuild longer than this.
const MAX_WAIT: Duration = Duration::from_millis(200);

/// What wakes the watch loop.
enum Wake {
    /// The file watcher reported something (or failed to).
    Files(notify::Result<notify::Event>),
    /// Ctrl-C: stop serving.
    Stop,
    /// A site-wide job finished; its files wait in its own channel.
    SiteWideReady,
}

pub fn run(args: &WatchArgs) -> Result<()> {
    let root = std::fs::canonicalize(&args.root).map_err(|e| Error::io(&args.root, e))?;
    let opts = Options {
        drafts: args.drafts,
        links: args.links,
        ..Options::new(&root)
    };
    let color = std::io::stderr().is_terminal();

    let (tx, rx) = mpsc::channel::<Wake>();
    let stop_tx = tx.clone();
    // Wakes the loop when the site-wide files are ready.
    let wake_tx = tx.clone();
    let (done_tx, done_rx) = mpsc::channel::<(u64, Duration, Result<SiteWideFiles>)>();
    // Whether a site-wide job runs, and whether another is wanted after it.
    let (mut job_running, mut job_wanted) = (false, false);
    let _ = ctrlc::set_handler(move || {
        let _ = stop_tx.send(Wake::Stop);
    });
    let fs_tx = tx.clone();
    let mut watcher = notify::recommended_watcher(move |event| {
        let _ = fs_tx.send(Wake::Files(event));
    })
    .map_err(|e| Error::Usage(format!("cannot watch files: {e}")))?;
    // Watch before the first build, so no save made while it runs is missed.
    let mut watched: Vec<PathBuf> = Vec::new();
    watch_dirs(&mut watcher, &root, &mut watched);

    let (mut site, first) = Site::new(&opts);
    let error = match &first {
        Ok(o) => {
            eprintln!(
                "built {} pages in {} ms",
                o.pages_rendered,
                o.elapsed.as_millis()
            );
            None
        }
        Err(e) => {
            print_error(e, color);
            if matches!(e, Error::Usage(_)) {
                return Err(first.err().unwrap_or_else(|| Error::Usage(String::new())));
            }
            Some(BuildError::from_error(e))
        }
    };
    let shared = Shared::new(Arc::clone(&site.files), error);
    let server = serve::start(SocketAddr::new(args.bind, args.port), Arc::clone(&shared))?;
    let url = format!("http://{}/", server.addr);
    eprintln!("serving {} at {url} (Ctrl-C to stop)", root.display());
    if !args.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}, reachable from other machines",
            args.bind
        );
    }
    if args.open {
        open_browser(&url);
    }

    let out = root.join("public");
    let mut dirty: Vec<Change> = Vec::new();
    while let Ok(first) = rx.recv() {
        let start = Instant::now();
        let mut events = vec![first];
        loop {
            match rx.recv_timeout(DEBOUNCE) {
                Ok(ev) => events.push(ev),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
            if start.elapsed() > MAX_WAIT {
                break;
            }
        }
        if events.iter().any(|e| matches!(e, Wake::Stop)) {
            break;
        }
        // Site-wide files made in the background since the last turn.
        while let Ok((generation, took, made)) = done_rx.try_recv() {
            job_running = false;
            match made {
                Ok((files, _)) => {
                    if let Some(changed) = site.merge(generation, files) {
                        if !changed.is_empty() {
                            shared.publish(Arc::clone(&site.files), &changed);
                            eprintln!(
                                "  and the site-wide files ({}) in {:.1} ms",
                                changed.join(", "),
                                took.as_secs_f64() * 1000.0
                            );
                        }
                    }
                }
                Err(e) => {
                    print_error(&e, color);
                    shared.fail(BuildError::from_error(&e));
                }
            }
        }
        if !job_running && std::mem::take(&mut job_wanted) {
            job_running = start_site_wide(&mut site, &done_tx, &wake_tx);
        }
        let mut changes = std::mem::take(&mut dirty);
        // Whether this burst changed a file: the changes a failed build left
        // (`dirty`) wait for one, or the build's own reads of the files
        // (open and close events) would start it again and again.
        let mut fresh = false;
        let file_events = events.into_iter().filter_map(|wake| match wake {
            Wake::Files(Ok(event)) => Some(event),
            _ => None,
        });
        for ev in file_events {
            // Reading a file (the build itself does) is no change; a file
            // closed after writing is, since it may end a save that an
            // earlier event caught half-way.
            use notify::event::{AccessKind, AccessMode, EventKind};
            if matches!(ev.kind, EventKind::Access(kind) if kind != AccessKind::Close(AccessMode::Write))
            {
                continue;
            }
            for path in &ev.paths {
                // A new folder's files may be written before the watcher
                // sees the folder: look inside it.
                let inside: Vec<PathBuf> = if path.is_dir() {
                    walkdir::WalkDir::new(path)
                        .into_iter()
                        .flatten()
                        .map(|e| e.into_path())
                        .collect()
                } else {
                    vec![path.clone()]
                };
                for p in inside {
                    // A file outside the site's folders counts only when a
                    // page includes it: a log written at the root
                    // (`versus watch > watch.log`) is no change.
                    if let Some(c) = watch::classify(&root, &out, &p).filter(|c| site.matters(c)) {
                        fresh = true;
                        if !changes.contains(&c) {
                            changes.push(c);
                        }
                    }
                }
            }
        }
        if !fresh {
            dirty = changes;
            continue;
        }
        // A folder created at the top (templates/, static/) is watched from now on.
        watch_dirs(&mut watcher, &root, &mut watched);
        match site.apply(&changes) {
            Ok(outcome) => {
                shared.publish(Arc::clone(&site.files), &outcome.changed);
                eprintln!(
                    "rebuilt {} ({} pages, {} files changed) in {:.1} ms",
                    if outcome.full {
                        "everything"
                    } else {
                        "incrementally"
                    },
                    outcome.pages_rendered,
                    outcome.changed.len(),
                    start.elapsed().as_secs_f64() * 1000.0
                );
                // Then the site-wide files (search index, print.html), which
                // take longer, on another thread: the browser has its page,
                // and the next save is rebuilt while they are made. One job
                // at a time; a save during it asks for one more.
                if job_running {
                    job_wanted = true;
                } else {
                    job_running = start_site_wide(&mut site, &done_tx, &wake_tx);
                }
                if let Some(s) = &site.session {
                    for w in s.warnings.iter().filter(|w| changes_touch(&changes, w)) {
                        eprint!("{}", w.render(color));
                    }
                }
            }
            Err(e) => {
                print_error(&e, color);
                shared.fail(BuildError::from_error(&e));
                dirty = changes;
            }
        }
    }
    eprintln!("stopped");
    server.stop();
    Ok(())
}

/// What a site-wide job makes: the files, and warnings.
type SiteWideFiles = (crate::output::Files, Vec<crate::diagnostic::Diagnostic>);

/// Starts writing the site-wide files on a thread of their own, if they
/// are out of date; the result comes back on `done`, and a message on
/// `wake` wakes the loop for it. Returns whether a job started.
fn start_site_wide(
    site: &mut Site,
    done: &mpsc::Sender<(u64, Duration, Result<SiteWideFiles>)>,
    wake: &mpsc::Sender<Wake>,
) -> bool {
    let Some(job) = site.complete_job() else {
        return false;
    };
    let (done, wake) = (done.clone(), wake.clone());
    std::thread::spawn(move || {
        let start = Instant::now();
        let made = (job.run)();
        let _ = done.send((job.generation, start.elapsed(), made));
        let _ = wake.send(Wake::SiteWideReady);
    });
    true
}

/// Warnings about the files just changed are worth repeating.
fn changes_touch(changes: &[Change], w: &crate::diagnostic::Diagnostic) -> bool {
    let Some(loc) = &w.location else { return false };
    changes.iter().any(|c| match c {
        Change::Page(rel) | Change::Data(rel) | Change::Asset(rel) => {
            loc.path == Path::new("content").join(rel)
        }
        _ => false,
    })
}

fn print_error(e: &Error, color: bool) {
    if let Error::Content(diags) = e {
        for d in diags {
            eprint!("{}", d.render(color));
        }
    }
    eprintln!("error: {e}");
}

/// Watches versus.toml (through the root, not recursively) and each of
/// content/, themes/, templates/ and static/ that exists.
fn watch_dirs(watcher: &mut notify::RecommendedWatcher, root: &Path, watched: &mut Vec<PathBuf>) {
    if !watched.iter().any(|w| w == root)
        && watcher.watch(root, RecursiveMode::NonRecursive).is_ok()
    {
        watched.push(root.to_path_buf());
    }
    for dir in ["content", "themes", "templates", "static"] {
        let path = root.join(dir);
        if path.is_dir()
            && !watched.contains(&path)
            && watcher.watch(&path, RecursiveMode::Recursive).is_ok()
        {
            watched.push(path);
        }
    }
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
