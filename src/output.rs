//! The only writer of the output folder. A build writes into a fresh
//! sibling folder and swaps it in whole when, and only when, everything
//! succeeded: readers and a crashed build see the old site or the new one,
//! never a mix, and files of deleted pages do not linger. Files whose
//! bytes did not change are linked from the old output, not written again.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::packed::{Kept, Spill};
use crate::report::error::{Error, IoContext, Result};

mod unchanged;
use unchanged::{Previous, join_clean};

/// Marks a folder as written by versus, so it may be replaced.
pub const MARKER: &str = ".versus-output";

/// A build's output in the making: a fresh folder beside the target that
/// is swapped in at the end, or (for `watch` and `check`) files in memory.
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    done: bool,
    memory: Option<Mutex<Files>>,
    /// Where a folder output keeps text for later (see [`Staging::keep`]).
    spill: Option<Arc<Spill>>,
    /// The output being replaced, to link unchanged files from.
    previous: Option<Previous>,
}

/// Output files held in memory, by path.
pub type Files = BTreeMap<String, Arc<[u8]>>;

impl Staging {
    /// Starts a new output for `target`, next to it (same file system, so the
    /// final swap is a rename).
    pub fn new(target: &Path) -> Result<Self> {
        if target.exists() && !target.is_dir() {
            return Err(Error::Usage(format!(
                "{} exists and is not a folder",
                target.display()
            )));
        }
        if target.is_dir() && !is_replaceable(target)? {
            return Err(Error::Usage(format!(
                "refusing to replace {}: it is not empty and was not written by versus (no {MARKER} in it); \
                 remove it or choose another --out",
                target.display()
            )));
        }
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).at(&parent)?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        clean_stale(&parent, &name);
        let dir = parent.join(format!(".{name}.versus-new-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir).at(&dir)?;
        }
        fs::create_dir(&dir).at(&dir)?;
        fs::write(dir.join(MARKER), b"").at(&dir.join(MARKER))?;
        let spill_path = dir.join(".versus-spill");
        let spill = Spill::create(&spill_path).at(&spill_path)?;
        Ok(Self {
            dir,
            target: target.to_path_buf(),
            done: false,
            memory: None,
            spill: Some(spill),
            previous: target.is_dir().then(|| Previous::new(target)),
        })
    }

    /// An output kept in memory; nothing is written to disk.
    pub fn memory() -> Self {
        let mut files = Files::new();
        files.insert(MARKER.to_string(), Arc::from(&b""[..]));
        Self {
            dir: PathBuf::new(),
            target: PathBuf::new(),
            done: true,
            memory: Some(Mutex::new(files)),
            spill: None,
            previous: None,
        }
    }

    /// The files of an in-memory output (empty for a folder output).
    pub fn into_files(mut self) -> Files {
        self.memory
            .take()
            .and_then(|m| m.into_inner().ok())
            .unwrap_or_default()
    }

    /// Writes `bytes` to `rel` (a `/`-separated path) inside the new output.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        if let Some(mem) = &self.memory {
            if let Ok(mut files) = mem.lock() {
                files.insert(clean(rel), Arc::from(bytes));
            }
            return Ok(());
        }
        let path = self.path_of(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).at(parent)?;
        }
        if let Some(previous) = &self.previous {
            if previous.reuse(rel, bytes, &path) {
                return Ok(());
            }
            previous.forget(&path);
        }
        fs::write(&path, bytes).at(&path)
    }

    /// Keeps `text` until the site-wide files are written: in the spill file
    /// of a folder output (nothing stays in memory), compressed in memory
    /// otherwise. The spill file is never part of the output.
    pub fn keep(&self, text: &str) -> Result<Kept> {
        match &self.spill {
            Some(spill) => spill.keep(text).at(&self.dir.join(".versus-spill")),
            None => Ok(Kept::packed(text)),
        }
    }

    /// Writes `rel` through `fill`, which streams the file's bytes to the
    /// writer it is given (buffered), so a large file is never held whole.
    pub fn write_with(
        &self,
        rel: &str,
        fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<()> {
        if self.memory.is_some() {
            let mut bytes = Vec::new();
            fill(&mut bytes).at(Path::new(rel))?;
            return self.write(rel, &bytes);
        }
        let path = self.path_of(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).at(parent)?;
        }
        if let Some(previous) = &self.previous {
            let mut file = previous.writer(rel, &path).at(&path)?;
            fill(&mut file).at(&path)?;
            return file.finish().at(&path);
        }
        let mut file =
            std::io::BufWriter::with_capacity(256 * 1024, fs::File::create(&path).at(&path)?);
        fill(&mut file).at(&path)?;
        file.flush().at(&path)
    }

    /// Copies the file `from` to `rel` inside the new output.
    pub fn copy(&self, rel: &str, from: &Path) -> Result<()> {
        if self.memory.is_some() {
            let bytes = fs::read(from).at(from)?;
            return self.write(rel, &bytes);
        }
        let path = self.path_of(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).at(parent)?;
        }
        if let Some(previous) = &self.previous {
            if previous.reuse_copy(rel, from, &path) {
                return Ok(());
            }
            previous.forget(&path);
        }
        fs::copy(from, &path).at(from).map(|_| ())
    }

    fn path_of(&self, rel: &str) -> PathBuf {
        join_clean(&self.dir, rel)
    }

    /// Puts the new output in place of the old one, in one step where the
    /// system allows it (Linux: an atomic exchange of the two folders).
    pub fn commit(mut self) -> Result<()> {
        if self.memory.is_some() {
            return Ok(());
        }
        swap_in(&self.dir, &self.target)?;
        self.done = true;
        if self.dir.exists() {
            // The old site now sits at the staging path.
            let _ = fs::remove_dir_all(&self.dir);
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done && self.memory.is_none() {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// `rel` with empty, `.` and `..` parts dropped: output paths never leave the output.
fn clean(rel: &str) -> String {
    rel.split('/')
        .filter(|s| !s.is_empty() && *s != "." && *s != "..")
        .collect::<Vec<_>>()
        .join("/")
}

fn is_replaceable(dir: &Path) -> Result<bool> {
    if dir.join(MARKER).exists() {
        return Ok(true);
    }
    let mut entries = fs::read_dir(dir).at(dir)?;
    Ok(entries.next().is_none())
}

/// Removes staging folders left by builds that were killed (their process is gone).
fn clean_stale(parent: &Path, name: &str) {
    let prefix = format!(".{name}.versus-new-");
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = file_name
            .strip_prefix(&prefix)
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(target_os = "linux")]
fn swap_in(new: &Path, target: &Path) -> Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    if target.exists() {
        renameat_with(CWD, new, CWD, target, RenameFlags::EXCHANGE)
            .map_err(|e| Error::io(target, e.into()))
    } else {
        fs::rename(new, target).at(target)
    }
}

#[cfg(not(target_os = "linux"))]
fn swap_in(new: &Path, target: &Path) -> Result<()> {
    if target.exists() {
        let old = new.with_extension("old");
        fs::rename(target, &old).at(target)?;
        if let Err(e) = fs::rename(new, target) {
            let _ = fs::rename(&old, target);
            return Err(Error::io(target, e));
        }
        let _ = fs::rename(&old, new);
        Ok(())
    } else {
        fs::rename(new, target).at(target)
    }
}
