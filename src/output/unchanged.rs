//! Output files whose bytes did not change since the last build are not
//! written again: the staging folder gets a hard link to the old file
//! instead (same inode, same modification time, no data written), so the
//! old output stays untouched until the swap and a failed build still
//! leaves it whole.
//!
//! A staged path that is a link must never be written through (that would
//! change the old output too): every write first drops a link it made.

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The output being replaced, to take unchanged files from.
pub struct Previous {
    root: PathBuf,
    /// Staged paths that are links to old files.
    linked: Mutex<HashSet<PathBuf>>,
}

impl Previous {
    pub fn new(root: &Path) -> Self {
        Self {
            root: root.to_path_buf(),
            linked: Mutex::new(HashSet::new()),
        }
    }

    /// The old file at `rel`, if it is a plain file of `len` bytes.
    fn old_file(&self, rel: &str, len: u64) -> Option<PathBuf> {
        let path = join_clean(&self.root, rel);
        let meta = fs::symlink_metadata(&path).ok()?;
        (meta.is_file() && meta.len() == len).then_some(path)
    }

    /// Links `staged` to the old file at `rel` when it holds exactly
    /// `bytes`; returns whether it did.
    pub fn reuse(&self, rel: &str, bytes: &[u8], staged: &Path) -> bool {
        let Some(old) = self.old_file(rel, bytes.len() as u64) else {
            return false;
        };
        match fs::read(&old) {
            Ok(have) if have == bytes => self.link(&old, staged),
            _ => false,
        }
    }

    fn link(&self, old: &Path, staged: &Path) -> bool {
        self.forget(staged);
        let mut made = fs::hard_link(old, staged);
        if matches!(&made, Err(e) if e.kind() == io::ErrorKind::AlreadyExists) {
            // A file staged earlier at the same path: ours to replace.
            let _ = fs::remove_file(staged);
            made = fs::hard_link(old, staged);
        }
        if made.is_err() {
            return false;
        }
        if let Ok(mut linked) = self.linked.lock() {
            linked.insert(staged.to_path_buf());
        }
        true
    }

    /// Before `staged` is written: removes it if it is a link to an old file.
    pub fn forget(&self, staged: &Path) {
        let was_linked = self
            .linked
            .lock()
            .map(|mut linked| linked.remove(staged))
            .unwrap_or(false);
        if was_linked {
            let _ = fs::remove_file(staged);
        }
    }

    /// A writer for `staged` that compares what it is given with the old
    /// file at `rel` and only starts writing at the first difference.
    pub fn writer<'a>(&'a self, rel: &str, staged: &'a Path) -> io::Result<Compare<'a>> {
        self.forget(staged);
        let old = join_clean(&self.root, rel);
        let reader = match fs::symlink_metadata(&old) {
            Ok(meta) if meta.is_file() => File::open(&old).ok().map(BufReader::new),
            _ => None,
        };
        let mut w = Compare {
            prev: self,
            old,
            staged,
            reader,
            matched: 0,
            scratch: Vec::new(),
            out: None,
        };
        if w.reader.is_none() {
            w.diverge()?;
        }
        Ok(w)
    }
}

/// `rel` (a `/`-separated path) under `dir`, with empty, `.` and `..` parts dropped.
pub(super) fn join_clean(dir: &Path, rel: &str) -> PathBuf {
    let mut p = dir.to_path_buf();
    for part in rel
        .split('/')
        .filter(|s| !s.is_empty() && *s != "." && *s != "..")
    {
        p.push(part);
    }
    p
}

/// See [`Previous::writer`]; call [`Compare::finish`] at the end.
pub struct Compare<'a> {
    prev: &'a Previous,
    old: PathBuf,
    staged: &'a Path,
    /// The old file, while everything so far matched it.
    reader: Option<BufReader<File>>,
    matched: u64,
    scratch: Vec<u8>,
    out: Option<BufWriter<File>>,
}

impl Compare<'_> {
    /// Starts the real file: the matched prefix copied from the old file.
    fn diverge(&mut self) -> io::Result<()> {
        self.reader = None;
        let mut out = BufWriter::with_capacity(256 * 1024, File::create(self.staged)?);
        if self.matched > 0 {
            io::copy(&mut File::open(&self.old)?.take(self.matched), &mut out)?;
        }
        self.out = Some(out);
        Ok(())
    }

    /// Links the old file if every byte matched, else completes the new one.
    pub fn finish(mut self) -> io::Result<()> {
        if let Some(reader) = self.reader.as_mut() {
            let mut one = [0u8; 1];
            if reader.read(&mut one)? == 0 && self.prev.link(&self.old, self.staged) {
                return Ok(());
            }
            self.diverge()?;
        }
        match self.out.as_mut() {
            Some(out) => out.flush(),
            None => Ok(()),
        }
    }
}

impl Write for Compare<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let Some(reader) = self.reader.as_mut() {
            self.scratch.resize(buf.len(), 0);
            if reader.read_exact(&mut self.scratch).is_ok() && self.scratch == buf {
                self.matched += buf.len() as u64;
                return Ok(buf.len());
            }
            self.diverge()?;
        }
        match self.out.as_mut() {
            Some(out) => out.write_all(buf).map(|()| buf.len()),
            None => Ok(buf.len()),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self.out.as_mut() {
            Some(out) => out.flush(),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (tempfile::TempDir, Previous, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("old");
        let new = dir.path().join("new");
        fs::create_dir_all(&old).unwrap();
        fs::create_dir_all(&new).unwrap();
        fs::write(old.join("a.html"), b"hello world").unwrap();
        (dir, Previous::new(&old), new)
    }

    fn inode(p: &Path) -> u64 {
        use std::os::unix::fs::MetadataExt;
        fs::metadata(p).unwrap().ino()
    }

    #[test]
    fn same_bytes_link_and_different_bytes_write() {
        let (dir, prev, new) = setup();
        let old = dir.path().join("old/a.html");
        let staged = new.join("a.html");
        assert!(prev.reuse("a.html", b"hello world", &staged));
        assert_eq!(inode(&staged), inode(&old));
        assert!(!prev.reuse("a.html", b"hello worle", &staged));
        assert!(!prev.reuse("a.html", b"hello", &staged));
        assert!(!prev.reuse("b.html", b"hello world", &new.join("b.html")));
    }

    #[test]
    fn writing_over_a_link_leaves_the_old_file_alone() {
        let (dir, prev, new) = setup();
        let old = dir.path().join("old/a.html");
        let staged = new.join("a.html");
        assert!(prev.reuse("a.html", b"hello world", &staged));
        prev.forget(&staged);
        fs::write(&staged, b"changed").unwrap();
        assert_eq!(fs::read(&old).unwrap(), b"hello world");
        let mut w = prev.writer("a.html", &staged).unwrap();
        w.write_all(b"hello world").unwrap();
        w.finish().unwrap();
        assert_eq!(inode(&staged), inode(&old));
        let mut w = prev.writer("a.html", &staged).unwrap();
        w.write_all(b"x").unwrap();
        w.finish().unwrap();
        assert_eq!(fs::read(&old).unwrap(), b"hello world");
        assert_eq!(fs::read(&staged).unwrap(), b"x");
    }

    #[test]
    fn streamed_writes_keep_the_matched_prefix() {
        let (_dir, prev, new) = setup();
        let cases: [&[&[u8]]; 5] = [
            &[b"hello", b" wor", b"ld!"],
            &[b"hello", b" wor"],
            &[b"hello", b" xor", b"ld"],
            &[b"", b"hello world"],
            &[b"other"],
        ];
        for (i, parts) in cases.iter().enumerate() {
            let staged = new.join(format!("s{i}"));
            let mut w = prev.writer("a.html", &staged).unwrap();
            for p in *parts {
                w.write_all(p).unwrap();
            }
            w.finish().unwrap();
            assert_eq!(fs::read(&staged).unwrap(), parts.concat(), "case {i}");
        }
        let staged = new.join("fresh");
        let mut w = prev.writer("missing.html", &staged).unwrap();
        w.write_all(b"new").unwrap();
        w.finish().unwrap();
        assert_eq!(fs::read(&staged).unwrap(), b"new");
    }
}
