//! The site-wide files (search index, print book, feeds) after a partial
//! rebuild, made on a thread of their own: they take longer than pages, so
//! the browser gets its page first and the next save need not wait. One
//! job at a time; a save during it asks for one more.

use std::sync::mpsc::{self, Receiver, Sender};
use std::time::{Duration, Instant};

use super::events::{Inbox, Wake};
use super::site::{Site, SiteWideFiles};
use crate::report::error::Result;

/// A job that has finished.
pub struct Finished {
    pub generation: u64,
    pub took: Duration,
    pub made: Result<SiteWideFiles>,
}

pub struct Background {
    running: bool,
    wanted: bool,
    done_tx: Sender<Finished>,
    done_rx: Receiver<Finished>,
    /// Wakes the loop when a job is done.
    wake: Sender<Wake>,
}

impl Background {
    pub fn new(inbox: &Inbox) -> Self {
        let (done_tx, done_rx) = mpsc::channel();
        Self {
            running: false,
            wanted: false,
            done_tx,
            done_rx,
            wake: inbox.sender(),
        }
    }

    /// Starts a job if the site's files are out of date and none runs;
    /// asks for one more after it otherwise.
    pub fn request(&mut self, site: &mut Site) {
        if self.running {
            self.wanted = true;
        } else {
            self.start(site);
        }
    }

    /// The jobs finished since the last call; starts the one asked for
    /// meanwhile.
    pub fn finished(&mut self, site: &mut Site) -> Vec<Finished> {
        let done: Vec<Finished> = self.done_rx.try_iter().collect();
        if !done.is_empty() {
            self.running = false;
        }
        if !self.running && std::mem::take(&mut self.wanted) {
            self.start(site);
        }
        done
    }

    fn start(&mut self, site: &mut Site) {
        let Some(job) = site.complete_job() else {
            return;
        };
        let (done, wake) = (self.done_tx.clone(), self.wake.clone());
        self.running = true;
        std::thread::spawn(move || {
            let start = Instant::now();
            let made = (job.run)();
            let _ = done.send(Finished {
                generation: job.generation,
                took: start.elapsed(),
                made,
            });
            let _ = wake.send(Wake::SiteWideReady);
        });
    }
}
