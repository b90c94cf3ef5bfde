//! What wakes the watch loop: file events from notify, Ctrl-C and a
//! finished site-wide job, on one channel ([`Inbox`]), taken a burst at a
//! time; and which paths a burst of file events changed.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, EventKind};
use notify::{RecommendedWatcher, RecursiveMode, Watcher};

use crate::report::error::{Error, Result};

/// Quiet time that ends a burst of file events (an editor's save is
/// several events: write, rename, chmod...).
const DEBOUNCE: Duration = Duration::from_millis(10);
/// A burst never delays a rebuild longer than this.
const MAX_WAIT: Duration = Duration::from_millis(200);

/// What wakes the watch loop.
pub enum Wake {
    /// The file watcher reported something (or failed to).
    Files(notify::Result<notify::Event>),
    /// Ctrl-C: stop serving.
    Stop,
    /// A site-wide job finished; its files wait in its own channel.
    SiteWideReady,
}

/// Everything that arrived in one burst.
pub struct Burst {
    pub wakes: Vec<Wake>,
    /// When the first of them arrived.
    pub started: Instant,
}

impl Burst {
    pub fn stop(&self) -> bool {
        self.wakes.iter().any(|w| matches!(w, Wake::Stop))
    }

    /// The paths the burst's file events may have changed: reading a file
    /// (the build itself does) is no change, but a file closed after
    /// writing is, since it may end a save an earlier event caught half
    /// way. A new folder's files may be written before the watcher sees
    /// the folder, so a folder stands for everything inside it.
    pub fn changed_paths(self) -> Vec<PathBuf> {
        let events = self.wakes.into_iter().filter_map(|wake| match wake {
            Wake::Files(Ok(event)) => Some(event),
            _ => None,
        });
        let mut paths = Vec::new();
        for ev in events {
            if matches!(ev.kind, EventKind::Access(kind) if kind != AccessKind::Close(AccessMode::Write))
            {
                continue;
            }
            for path in ev.paths {
                if path.is_dir() {
                    paths.extend(
                        walkdir::WalkDir::new(&path)
                            .into_iter()
                            .flatten()
                            .map(|e| e.into_path()),
                    );
                } else {
                    paths.push(path);
                }
            }
        }
        paths
    }
}

/// The loop's one channel. Ctrl-C is sent on it as [`Wake::Stop`].
pub struct Inbox {
    tx: Sender<Wake>,
    rx: Receiver<Wake>,
}

impl Inbox {
    /// Opens the channel and sends Ctrl-C to it.
    pub fn open() -> Self {
        let (tx, rx) = mpsc::channel();
        let stop = tx.clone();
        // If a handler is already installed (tests calling this twice),
        // Ctrl-C keeps that meaning.
        let _ = ctrlc::set_handler(move || {
            let _ = stop.send(Wake::Stop);
        });
        Self { tx, rx }
    }

    pub fn sender(&self) -> Sender<Wake> {
        self.tx.clone()
    }

    /// Waits for something to happen, then for the burst to end.
    pub fn next_burst(&self) -> Option<Burst> {
        let first = self.rx.recv().ok()?;
        let started = Instant::now();
        let mut wakes = vec![first];
        // Ends on a quiet DEBOUNCE, a closed channel, or MAX_WAIT.
        while let Ok(wake) = self.rx.recv_timeout(DEBOUNCE) {
            wakes.push(wake);
            if started.elapsed() > MAX_WAIT {
                break;
            }
        }
        Some(Burst { wakes, started })
    }
}

/// Watches versus.toml (through the root, not recursively) and each of
/// content/, themes/, templates/, i18n/ and static/ that exists.
pub struct FileWatcher {
    watcher: RecommendedWatcher,
    root: PathBuf,
    watched: Vec<PathBuf>,
}

impl FileWatcher {
    /// Starts watching; events go to `inbox`.
    pub fn new(root: &Path, inbox: &Inbox) -> Result<Self> {
        let tx = inbox.sender();
        let watcher = notify::recommended_watcher(move |event| {
            let _ = tx.send(Wake::Files(event));
        })
        .map_err(|e| Error::Usage(format!("cannot watch files: {e}")))?;
        let mut this = Self {
            watcher,
            root: root.to_path_buf(),
            watched: Vec::new(),
        };
        this.refresh();
        Ok(this)
    }

    /// Watches the folders created at the top since the last call.
    pub fn refresh(&mut self) {
        let root = self.root.clone();
        if !self.watched.contains(&root)
            && self
                .watcher
                .watch(&root, RecursiveMode::NonRecursive)
                .is_ok()
        {
            self.watched.push(root.clone());
        }
        for dir in ["content", "themes", "templates", "i18n", "static"] {
            let path = root.join(dir);
            if path.is_dir()
                && !self.watched.contains(&path)
                && self.watcher.watch(&path, RecursiveMode::Recursive).is_ok()
            {
                self.watched.push(path);
            }
        }
    }
}
