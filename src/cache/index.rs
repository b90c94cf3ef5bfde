//! The index of the build cache as it is stored: what a build kept of
//! each page, input and output file, and what names the build that wrote
//! it (the versus binary, the site, the output folder, the options).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use crate::deps::Input;
use crate::markdown::Outline;
use crate::packed::sum;
use crate::pipeline::Options;
use crate::record::KeptRecord;
use crate::report::diagnostic::Diagnostic;

/// The index's first line; a new layout changes the number.
pub(super) const HEADER: &str = "versus build cache 3";

/// What a build kept of the site, as the index stores it.
#[derive(Debug, Serialize, Deserialize)]
pub struct Index {
    /// The versus binary that wrote it ([`build_id`]).
    pub(super) build: String,
    /// The site's root and output folder, resolved.
    pub(super) root: PathBuf,
    pub(super) out: PathBuf,
    /// The build's options that change the output (drafts, links).
    pub(super) options: String,
    /// Each top-level key of versus.toml, as TOML text.
    pub(super) config: BTreeMap<String, String>,
    /// Each template's checksum, by name.
    pub(super) templates: BTreeMap<String, u64>,
    /// The checksum of the theme's words in each language, by its code.
    pub(super) words: BTreeMap<String, u64>,
    /// The static files' and content assets' checksums, by path.
    pub(super) files_copied: BTreeMap<String, u64>,
    /// Each data file's checksum, by path under content/.
    pub(super) data: BTreeMap<String, u64>,
    /// Each included file's checksum (0: missing), by path.
    pub(super) included: BTreeMap<PathBuf, u64>,
    pub(super) pages: Vec<PageEntry>,
    /// Inputs every page reads.
    pub(super) everyone: BTreeSet<Input>,
    /// Bytes of `.versus/texts` the records point into, and of them the
    /// bytes still pointed at.
    pub(super) texts_len: u64,
    pub(super) texts_live: u64,
    /// Every output file, by path.
    pub(super) outputs: BTreeMap<String, OutFile>,
}

/// A page as the cache keeps it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PageEntry {
    /// The page's name in the cache ([`crate::content::Page::id`]): its
    /// path under content/, or for a page of another language with no
    /// file of its own, that language's folder and the page's path.
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
    /// The warnings its last render gave.
    pub warnings: Vec<KeptWarning>,
}

/// A warning as the cache keeps it: where it points by path and span, and
/// the checksum of that file then (its text is read again to show it).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeptWarning {
    message: String,
    at: Option<(PathBuf, usize, usize, u64)>,
    help: Option<String>,
    notes: Vec<String>,
    code: String,
}

impl KeptWarning {
    pub fn of(d: &Diagnostic) -> Self {
        Self {
            message: d.message.clone(),
            at: d.location.as_ref().map(|l| {
                (
                    l.path.clone(),
                    l.span.start,
                    l.span.end,
                    sum(l.source.as_bytes()),
                )
            }),
            help: d.help.clone(),
            notes: d.notes.clone(),
            code: d.code.to_string(),
        }
    }

    /// The warning again, its file read from under `root` (a file that
    /// changed since loses the place: the message stays).
    pub fn restore(&self, root: &Path) -> Diagnostic {
        let mut d = Diagnostic::warning(self.message.clone());
        if let Some((path, start, end, was)) = &self.at {
            if let Ok(text) = fs::read_to_string(root.join(path)) {
                if sum(text.as_bytes()) == *was {
                    d = d.at(path, &std::sync::Arc::from(text), *start..*end);
                }
            }
        }
        if let Some(help) = &self.help {
            d = d.with_help(help.clone());
        }
        d.notes = self.notes.clone();
        if self.code == crate::markdown::links::BROKEN_LINK {
            d = d.with_code(crate::markdown::links::BROKEN_LINK);
        }
        d
    }
}

/// An output file as the last build left it.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct OutFile {
    pub sum: u64,
    pub len: u64,
    /// Modification time, nanoseconds since 1970.
    pub mtime: i128,
    /// For a site-wide file made from many pages (a print volume): the
    /// checksum of everything it was made from
    /// ([`crate::output::Staging::keep_same_inputs`]).
    pub inputs: Option<u64>,
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

pub(super) fn mtime_of(meta: &fs::Metadata) -> i128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i128)
}

/// The build options that change the output, as one string.
pub(super) fn options_key(opts: &Options) -> String {
    format!("drafts={} links={:?}", opts.drafts, opts.links)
}

pub(super) fn resolved(path: &Path) -> PathBuf {
    fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The output folder, resolved whether or not it exists yet.
pub(super) fn resolved_out(opts: &Options) -> PathBuf {
    let root = resolved(&opts.root);
    match fs::canonicalize(opts.out_dir()) {
        Ok(out) => out,
        Err(_) => root.join(&opts.out),
    }
}

/// The index from the bytes of the index file: its header, the JSON, and
/// the JSON's checksum on the last line. `None` when any of it is wrong.
pub(super) fn parse(bytes: &[u8]) -> Option<Index> {
    let rest = bytes.strip_prefix(HEADER.as_bytes())?.strip_prefix(b"\n")?;
    let (body, check) = rest.split_at_checked(rest.len().checked_sub(8)?)?;
    if sum(body).to_le_bytes() != check {
        return None;
    }
    postcard::from_bytes(body).ok()
}

/// Whether `bytes` start as an index file of this layout does.
pub(super) fn same_format(bytes: &[u8]) -> bool {
    bytes.starts_with(HEADER.as_bytes()) && bytes.get(HEADER.len()) == Some(&b'\n')
}

/// The bytes of the index file of `index` (see [`parse`]).
pub(super) fn bytes_of(index: &Index) -> Option<Vec<u8>> {
    let body = postcard::to_stdvec(index).ok()?;
    let mut out = Vec::with_capacity(HEADER.len() + body.len() + 9);
    out.extend_from_slice(HEADER.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(&body);
    out.extend_from_slice(&sum(&body).to_le_bytes());
    Some(out)
}

/// Each top-level key of the site's versus.toml, as TOML text.
pub fn config_keys(root: &Path) -> BTreeMap<String, String> {
    let path = root.join(crate::config::FILE_NAME);
    match fs::read_to_string(&path) {
        Ok(text) => toml::from_str::<toml::Table>(&text)
            .map(|t| t.into_iter().map(|(k, v)| (k, v.to_string())).collect())
            .unwrap_or_default(),
        Err(_) => BTreeMap::new(),
    }
}
