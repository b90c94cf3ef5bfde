//! The build cache: what one `versus build` learned, kept in `.versus/`
//! beside versus.toml so that the next build redoes only what changed.
//!
//! ```text
//! .versus/KEY/index  a header line, the index (postcard, a compact serde format), its checksum
//! .versus/KEY/texts  every page's search text, body and ids (the spill
//!                    file of the build that wrote the index, appended to)
//! ```
//!
//! KEY names the output folder and the options (`--drafts`, `--links`):
//! each combination keeps a cache of its own.
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
mod index;

pub use index::{Index, OutFile, PageEntry};
use index::{
    build_id, bytes_of, config_keys, mtime_of, options_key, parse, resolved, resolved_out,
    same_format,
};

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::output::Sums;
use crate::packed::{Spill, sum};
use crate::pipeline::{Options, Session};
use crate::report::error::{IoContext, Result};

/// The cache folder, under the site's root.
pub const DIR: &str = ".versus";
const INDEX: &str = "index";
const TEXTS: &str = "texts";
/// The file naming the output folder a cache is for.
const OUT: &str = "out";

/// Why a cache is not used, in one line.
#[derive(Debug)]
pub struct Untrusted(pub String);

impl std::fmt::Display for Untrusted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// An open cache: its index, and the spill file its records point into.
pub struct Cache {
    pub index: Index,
    pub texts: Arc<Spill>,
}

/// Where the cache of the site at `root` lives.
/// One cache for each output folder and set of options, each in a folder
/// of its own named by them, so that builds with `--drafts` or into
/// another `--out` do not undo each other's cache.
pub fn dir(opts: &Options) -> PathBuf {
    let key = format!("{}\n{}", resolved_out(opts).display(), options_key(opts));
    opts.root
        .join(DIR)
        .join(format!("{:016x}", sum(key.as_bytes())))
}

impl Cache {
    /// The cache of the last build of `opts`' site, when it may be used.
    /// `Err` says in one line why it may not (`Ok(None)`: there is none).
    pub fn open(opts: &Options) -> std::result::Result<Option<Self>, Untrusted> {
        let dir = dir(opts);
        let shown = |name: &str| {
            let path = dir.join(name);
            let rel = path.strip_prefix(&opts.root).unwrap_or(&path);
            rel.display().to_string()
        };
        let text = match fs::read(dir.join(INDEX)) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Untrusted(format!("{} cannot be read ({e})", shown(INDEX)))),
        };
        if !same_format(&text) {
            return Err(Untrusted(
                "it was written by another versus binary (another layout)".into(),
            ));
        }
        let index =
            parse(&text).ok_or_else(|| Untrusted(format!("{} is damaged", shown(INDEX))))?;
        if index.build != build_id() {
            return Err(Untrusted("it was written by another versus binary".into()));
        }
        if index.root != resolved(&opts.root) {
            return Err(Untrusted(format!(
                "it was written for the site at {}",
                index.root.display()
            )));
        }
        if index.out != resolved_out(opts) {
            return Err(Untrusted(format!(
                "it was written for the output folder {}",
                index.out.display()
            )));
        }
        if index.options != options_key(opts) {
            return Err(Untrusted(format!(
                "it was written with other options ({})",
                index.options
            )));
        }
        if index.texts_len > 2 * index.texts_live + (16 << 20) {
            return Err(Untrusted(format!(
                "{} holds more old text than new; starting it afresh",
                shown(TEXTS)
            )));
        }
        let texts = Spill::reopen(&dir.join(TEXTS), index.texts_len)
            .map_err(|e| Untrusted(format!("{}: {e}", shown(TEXTS))))?;
        if let Some(why) = outputs_differ(&opts.out_dir(), &index.outputs) {
            return Err(Untrusted(why));
        }
        Ok(Some(Self { index, texts }))
    }

    /// The checksums of what went into the site-wide files, by path, as
    /// the last build noted them.
    pub fn inputs(&self) -> Sums {
        self.index
            .outputs
            .iter()
            .filter_map(|(rel, f)| Some((rel.clone(), f.inputs?)))
            .collect()
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

    /// The warnings the cache's build gave page `rel`.
    pub fn warnings(&self, root: &Path, rel: &str) -> Vec<crate::report::diagnostic::Diagnostic> {
        self.page_entry(rel)
            .map(|e| e.warnings.iter().map(|w| w.restore(root)).collect())
            .unwrap_or_default()
    }

    /// Whether versus.toml is as the cache's build read it.
    pub fn same_config(&self, root: &Path) -> bool {
        config_keys(root) == self.index.config
    }
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
                    "{}/{rel} changed since the build that wrote it (another build, or an edit)",
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
pub fn invalidate(opts: &Options) -> Result<()> {
    let path = dir(opts).join(INDEX);
    match fs::remove_file(&path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(crate::report::error::Error::io(&path, e))
        }
        _ => Ok(()),
    }
}

/// A fresh spill file for a build that starts from nothing; [`save`]
/// makes it the cache's.
pub fn new_texts(opts: &Options) -> Result<(Arc<Spill>, PathBuf)> {
    let dir = dir(opts);
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
pub struct Draft {
    index: Index,
    /// Each page's record, in the index's order: read when the index is
    /// saved, once the search index has kept their terms.
    records: Vec<Option<Arc<crate::record::PageRecord>>>,
}

impl Draft {
    pub fn of(opts: &Options, session: &Session) -> Result<Self> {
        let (index, records) = changes::index_of(opts, session)?;
        Ok(Self { index, records })
    }

    /// Writes the index of the build, now that its output is in place:
    /// `sums` are every output file's checksums, `inputs` the checksums of
    /// what went into site-wide files; `before`, the index of the build it
    /// updated (files it left as they were keep their entries); `new_texts`,
    /// the spill file a build from nothing wrote.
    pub fn save(
        self,
        opts: &Options,
        sums: Sums,
        inputs: &Sums,
        before: Option<&Index>,
        texts: &Spill,
        new_texts: Option<&Path>,
    ) -> Result<()> {
        let mut index = self.index;
        index.texts_len = texts.len();
        for (page, record) in index.pages.iter_mut().zip(&self.records) {
            page.record = record.as_ref().and_then(|r| r.kept());
            index.texts_live += page.record.as_ref().map_or(0, |r| r.kept_bytes());
        }
        let dir = dir(opts);
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
            let mut file = match known {
                Some(f) => *f,
                None => {
                    let path = out.join(&rel);
                    let meta = fs::metadata(&path).at(&path)?;
                    OutFile {
                        sum: file_sum,
                        len: meta.len(),
                        mtime: mtime_of(&meta),
                        inputs: None,
                    }
                }
            };
            file.inputs = inputs.get(&rel).copied();
            index.outputs.insert(rel, file);
        }
        let path = dir.join(INDEX);
        let bytes = bytes_of(&index).ok_or_else(|| {
            crate::report::error::Error::io(&path, std::io::Error::other("cannot be encoded"))
        })?;
        let tmp = dir.join(format!("{INDEX}.{}", std::process::id()));
        fs::write(&tmp, bytes).at(&tmp)?;
        fs::rename(&tmp, &path).at(&path)?;
        let out_file = dir.join(OUT);
        fs::write(&out_file, resolved_out(opts).to_string_lossy().as_bytes()).at(&out_file)?;
        forget_gone_outputs(&opts.root.join(DIR));
        Ok(())
    }
}

/// Removes the caches of output folders that no longer exist (each cache
/// folder names its output folder in the file `out`): a build into a
/// temporary `--out` leaves no cache behind for long.
fn forget_gone_outputs(all: &Path) {
    let Ok(entries) = fs::read_dir(all) else {
        return;
    };
    for entry in entries.flatten() {
        let Ok(out) = fs::read_to_string(entry.path().join(OUT)) else {
            continue;
        };
        if !Path::new(&out).exists() {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}
