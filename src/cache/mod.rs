//! The build cache: what one `versus build` learned, kept in `.versus/`
//! beside versus.toml so that the next build redoes only what changed.
//!
//! ```text
//! .versus/index    a header line, the index as JSON, its checksum
//! .versus/texts    every page's search text, body and ids (the spill file
//!                  of the build that wrote the index, appended to since)
//! ```
//!
//! The index holds each page's source checksum, outline, link, record and
//! what it read (the dependency graph), the checksum of every data file,
//! included file and template, the config's keys, and every output file's
//! checksum, size and modification time. [`Cache::open`] takes it only
//! when the same versus binary wrote it for the same site, output folder
//! and options, and when the output folder still holds what it wrote;
//! otherwise it says why in one line and the build starts from nothing.
//! [`changes`] decides what a build must redo.
//!
//! A build that updates the output removes the index first and writes a
//! new one last: killed in between, it leaves no index, and the next build
//! starts from nothing.

pub mod changes;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use crate::deps::Input;
use crate::markdown::Outline;
use crate::output::Sums;
use crate::packed::{Spill, sum};
use crate::pipeline::{Options, Session};
use crate::record::KeptRecord;
use crate::report::error::{IoContext, Result};

/// The cache folder, under the site's root.
pub const DIR: &str = ".versus";
const INDEX: &str = "index";
const TEXTS: &str = "texts";
/// The index's first line; a new layout changes the number.
const HEADER: &str = "versus build cache 1";

/// What a build kept of the site, as the index stores it.
#[derive(Debug, Serialize, Deserialize)]
pub struct Index {
    /// The versus binary that wrote it ([`build_id`]).
    build: String,
    /// The site's root and output folder, resolved.
    root: PathBuf,
    out: PathBuf,
    /// The build's options that change the output (drafts, links).
    options: String,
    /// Each top-level key of versus.toml, as TOML text.
    config: BTreeMap<String, String>,
    /// Each template's checksum, by name.
    templates: BTreeMap<String, u64>,
    /// The static files' and content assets' checksums, by path.
    files_copied: BTreeMap<String, u64>,
    /// Each data file's checksum, by path under content/.
    data: BTreeMap<String, u64>,
    /// Each included file's checksum (0: missing), by path.
    included: BTreeMap<PathBuf, u64>,
    pages: Vec<PageEntry>,
    /// Inputs every page reads.
    everyone: BTreeSet<Input>,
    /// Bytes of `.versus/texts` the records point into, and of them the
    /// bytes still pointed at.
    texts_len: u64,
    texts_live: u64,
    /// Every output file, by path.
    outputs: BTreeMap<String, OutFile>,
}

/// A page as the cache keeps it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PageEntry {
    pub rel: String,
    /// Checksum of its source (`None` for a generated section page).
    pub source: Option<u64>,
    /// Its place in the site: anything here differing rebuilds every page.
    pub place: String,
    pub outline: Outline,
    /// What other pages show of it ([`Session::shown_elsewhere`]).
    pub link: String,
    /// What it read in its last render.
    pub inputs: BTreeSet<Input>,
    pub record: Option<KeptRecord>,
}

/// An output file as the last build left it.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct OutFile {
    pub sum: u64,
    pub len: u64,
    /// Modification time, nanoseconds since 1970.
    pub mtime: i128,
}

/// An open cache: its index, and the spill file its records point into.
pub struct Cache {
    pub index: Index,
    pub texts: Arc<Spill>,
}

/// Where the cache of the site at `root` lives.
pub fn dir(root: &Path) -> PathBuf {
    root.join(DIR)
}

/// Names the running versus binary: its version, and the size and time of
/// its executable, so that a rebuilt versus never reads an older one's cache.
pub fn build_id() -> String {
    let exe = std::env::current_exe()
        .and_then(fs::metadata)
        .map(|m| format!("{}-{}", m.len(), mtime_of(&m)))
        .unwrap_or_default();
    format!("{} {exe}", env!("CARGO_PKG_VERSION"))
}

fn mtime_of(meta: &fs::Metadata) -> i128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i128)
}

/// The build options that change the output, as one string.
fn options_key(opts: &Options) -> String {
    format!("drafts={} links={:?}", opts.drafts, opts.links)
}

fn resolved(path: &Path) -> PathBuf {
    fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The output folder, resolved whether or not it exists yet.
fn resolved_out(opts: &Options) -> PathBuf {
    let root = resolved(&opts.root);
    match fs::canonicalize(opts.out_dir()) {
        Ok(out) => out,
        Err(_) => root.join(&opts.out),
    }
}

impl Cache {
    /// The cache of the last build of `opts`' site, when it may be used.
    /// `Err` says in one line why it may not (`Ok(None)`: there is none).
    pub fn open(opts: &Options) -> std::result::Result<Option<Self>, String> {
        let dir = dir(&opts.root);
        let text = match fs::read(dir.join(INDEX)) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("{DIR}/{INDEX} cannot be read ({e})")),
        };
        let index = parse(&text).ok_or_else(|| format!("{DIR}/{INDEX} is damaged"))?;
        if index.build != build_id() {
            return Err("it was written by another versus binary".into());
        }
        if index.root != resolved(&opts.root) {
            return Err(format!(
                "it was written for the site at {}",
                index.root.display()
            ));
        }
        if index.out != resolved_out(opts) {
            return Err(format!(
                "it was written for the output folder {}",
                index.out.display()
            ));
        }
        if index.options != options_key(opts) {
            return Err(format!(
                "it was written with other options ({})",
                index.options
            ));
        }
        if index.texts_len > 2 * index.texts_live + (16 << 20) {
            return Err(format!(
                "{DIR}/{TEXTS} holds more old text than new; starting it afresh"
            ));
        }
        let texts = Spill::reopen(&dir.join(TEXTS), index.texts_len)
            .map_err(|e| format!("{DIR}/{TEXTS}: {e}"))?;
        if let Some(why) = outputs_differ(&opts.out_dir(), &index.outputs) {
            return Err(why);
        }
        Ok(Some(Self { index, texts }))
    }

    /// The checksums of the output files.
    pub fn sums(&self) -> Sums {
        self.index
            .outputs
            .iter()
            .map(|(rel, f)| (rel.clone(), f.sum))
            .collect()
    }

    /// What the cache kept of page `rel`.
    pub fn page_entry(&self, rel: &str) -> Option<&PageEntry> {
        self.index
            .pages
            .binary_search_by(|p| p.rel.as_str().cmp(rel))
            .ok()
            .map(|i| &self.index.pages[i])
    }

    /// What the cache kept of page `rel`, when its source still has the
    /// checksum `source`.
    pub fn page(&self, rel: &str, source: Option<u64>) -> Option<&PageEntry> {
        self.page_entry(rel)
            .filter(|p| p.source == source && source.is_some())
    }

    /// Whether versus.toml is as the cache's build read it.
    pub fn same_config(&self, root: &Path) -> bool {
        changes::config_keys(root) == self.index.config
    }
}

/// The index from the bytes of the index file: its header, the JSON, and
/// the JSON's checksum on the last line. `None` when any of it is wrong.
fn parse(bytes: &[u8]) -> Option<Index> {
    let text = std::str::from_utf8(bytes).ok()?;
    let rest = text.strip_prefix(HEADER)?.strip_prefix('\n')?;
    let (json, check) = rest.trim_end_matches('\n').rsplit_once('\n')?;
    if format!("{:016x}", sum(json.as_bytes())) != check {
        return None;
    }
    serde_json::from_str(json).ok()
}

/// Why the output folder no longer holds what the cache says it does
/// (a file changed, missing or added), or `None`.
fn outputs_differ(out: &Path, outputs: &BTreeMap<String, OutFile>) -> Option<String> {
    let mut seen = 0usize;
    for entry in walkdir::WalkDir::new(out).min_depth(1) {
        let Ok(entry) = entry else {
            return Some(format!("{} cannot be read", out.display()));
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(out)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        let Some(want) = outputs.get(&rel) else {
            return Some(format!(
                "{} holds {rel}, which the last build did not write",
                out.display()
            ));
        };
        match entry.metadata() {
            Ok(m) if m.is_file() && m.len() == want.len && mtime_of(&m) == want.mtime => {}
            _ => {
                return Some(format!(
                    "{}/{rel} changed since the last build",
                    out.display()
                ));
            }
        }
        seen += 1;
    }
    (seen != outputs.len()).then(|| {
        format!(
            "{} lacks {} files the last build wrote",
            out.display(),
            outputs.len() - seen
        )
    })
}

/// Removes the index: from here until [`save`] the output folder may be
/// half-updated, and the next build must not trust the cache.
pub fn invalidate(root: &Path) -> Result<()> {
    let path = dir(root).join(INDEX);
    match fs::remove_file(&path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(crate::report::error::Error::io(&path, e))
        }
        _ => Ok(()),
    }
}

/// A fresh spill file for a build that starts from nothing; [`save`]
/// makes it the cache's.
pub fn new_texts(root: &Path) -> Result<(Arc<Spill>, PathBuf)> {
    let dir = dir(root);
    fs::create_dir_all(&dir).at(&dir)?;
    clean_stale(&dir);
    let path = dir.join(format!("{TEXTS}.{}", std::process::id()));
    Ok((Spill::persistent(&path).at(&path)?, path))
}

/// Removes spill files left by builds that were killed.
fn clean_stale(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix(&format!("{TEXTS}."))
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The index of a build whose pages are rendered, before its output is
/// in place: taken before the build lets go of the pages' outlines.
pub struct Draft(Index);

impl Draft {
    pub fn of(opts: &Options, session: &Session, texts: &Spill) -> Result<Self> {
        changes::index_of(opts, session, texts).map(Self)
    }

    /// Writes the index of the build, now that its output is in place:
    /// `sums` are every output file's checksums; `before`, the index of the
    /// build it updated (files it left as they were keep their entries);
    /// `new_texts`, the spill file a build from nothing wrote.
    pub fn save(
        self,
        opts: &Options,
        sums: Sums,
        before: Option<&Index>,
        new_texts: Option<&Path>,
    ) -> Result<()> {
        let mut index = self.0;
        let dir = dir(&opts.root);
        fs::create_dir_all(&dir).at(&dir)?;
        if let Some(new) = new_texts {
            let to = dir.join(TEXTS);
            fs::rename(new, &to).at(&to)?;
        }
        let out = opts.out_dir();
        for (rel, file_sum) in sums {
            let known = before
                .and_then(|b| b.outputs.get(&rel))
                .filter(|f| f.sum == file_sum);
            let file = match known {
                Some(f) => *f,
                None => {
                    let path = out.join(&rel);
                    let meta = fs::metadata(&path).at(&path)?;
                    OutFile {
                        sum: file_sum,
                        len: meta.len(),
                        mtime: mtime_of(&meta),
                    }
                }
            };
            index.outputs.insert(rel, file);
        }
        let path = dir.join(INDEX);
        let json = serde_json::to_string(&index)
            .map_err(|e| crate::report::error::Error::io(&path, std::io::Error::other(e)))?;
        let text = format!("{HEADER}\n{json}\n{:016x}\n", sum(json.as_bytes()));
        let tmp = dir.join(format!("{INDEX}.{}", std::process::id()));
        fs::write(&tmp, text).at(&tmp)?;
        fs::rename(&tmp, &path).at(&path)
    }
}
