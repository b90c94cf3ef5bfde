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
    /// The checksum of every file of the new output, by path (folder
    /// outputs), for the build cache.
    sums: Mutex<Sums>,
    /// An update in place ([`Staging::update`]): the checksums of the files
    /// in the target now. A file written again with the same bytes is left
    /// as it is; the others wait in `dir` until [`Staging::commit`].
    known: Option<Sums>,
    /// Checksums of what went into site-wide files, by path: noted by this
    /// build ([`Staging::keep_same_inputs`]) for the build cache, and
    /// (`known_inputs`, with `known`) those the last build noted.
    inputs: Mutex<Sums>,
    known_inputs: Sums,
}

/// Output files' checksums ([`crate::packed::sum`]), by path.
pub type Sums = BTreeMap<String, u64>;

/// Output files held in memory, by path.
pub type Files = BTreeMap<String, Arc<[u8]>>;

impl Staging {
    /// Starts a new output for `target`, next to it (same file system, so the
    /// final swap is a rename). Texts kept for later go to `spill` (the build
    /// cache's), or to a file of the staging folder that vanishes with it.
    pub fn new(target: &Path, spill: Option<Arc<Spill>>) -> Result<Self> {
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
        let spill = match spill {
            Some(spill) => spill,
            None => {
                let spill_path = dir.join(".versus-spill");
                Spill::create(&spill_path).at(&spill_path)?
            }
        };
        let mut sums = Sums::new();
        sums.insert(MARKER.to_string(), crate::packed::sum(b""));
        Ok(Self {
            dir,
            target: target.to_path_buf(),
            done: false,
            memory: None,
            spill: Some(spill),
            previous: target.is_dir().then(|| Previous::new(target)),
            sums: Mutex::new(sums),
            known: None,
            inputs: Mutex::new(Sums::new()),
            known_inputs: Sums::new(),
        })
    }

    /// Starts an update in place of `target`, whose files have the checksums
    /// `known` (the build cache checked that they still do): files written
    /// with other bytes wait in a staging folder beside it until
    /// [`Staging::commit`] moves them in, so a failed build changes nothing.
    /// `inputs`: what went into the site-wide files, as the last build noted.
    pub fn update(target: &Path, known: Sums, inputs: Sums, spill: Arc<Spill>) -> Result<Self> {
        let mut staging = Self::new(target, Some(spill))?;
        staging.previous = None;
        staging.known = Some(known);
        staging.known_inputs = inputs;
        Ok(staging)
    }

    /// Notes that the site-wide file `rel` is made from inputs whose
    /// checksum is `inputs` (everything its bytes depend on); true when an
    /// update in place may leave it as it is, because the last build made
    /// it from the same inputs: then the caller need not make it again.
    pub fn keep_same_inputs(&self, rel: &str, inputs: u64) -> bool {
        if let Ok(mut noted) = self.inputs.lock() {
            noted.insert(clean(rel), inputs);
        }
        self.known_inputs.get(&clean(rel)) == Some(&inputs) && self.keep_unchanged(rel)
    }

    /// The inputs' checksums noted by [`Staging::keep_same_inputs`], by path.
    pub fn inputs(&self) -> Sums {
        self.inputs.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Whether an update in place may leave `rel` as the target holds it
    /// (the caller knows its bytes would be the same): if so, notes it as
    /// part of the new output and returns true.
    pub fn keep_unchanged(&self, rel: &str) -> bool {
        let Some(sum) = self.known.as_ref().and_then(|k| k.get(&clean(rel))) else {
            return false;
        };
        self.note(rel, *sum)
    }

    /// Whether this is an update in place that knows the file `rel`.
    pub fn knows(&self, rel: &str) -> bool {
        self.known
            .as_ref()
            .is_some_and(|k| k.contains_key(&clean(rel)))
    }

    /// The checksum of every file of the new output, by path.
    pub fn sums(&self) -> Sums {
        self.sums.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Notes the checksum of `rel`; true when an update in place may leave
    /// the file as it is.
    fn note(&self, rel: &str, sum: u64) -> bool {
        if let Ok(mut sums) = self.sums.lock() {
            sums.insert(clean(rel), sum);
        }
        self.known
            .as_ref()
            .is_some_and(|k| k.get(&clean(rel)) == Some(&sum))
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
            sums: Mutex::new(Sums::new()),
            known: None,
            inputs: Mutex::new(Sums::new()),
            known_inputs: Sums::new(),
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
        if self.note(rel, crate::packed::sum(bytes)) {
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

    /// Keeps `bytes` like [`Staging::keep`] keeps text.
    pub fn keep_bytes(&self, bytes: &[u8]) -> std::io::Result<Kept> {
        match &self.spill {
            Some(spill) => spill.keep_bytes(bytes),
            None => Ok(Kept::packed_bytes(bytes)),
        }
    }

    /// Writes `rel` through `fill`, which streams the file's bytes to the
    /// writer it is given (buffered), so a large file is never held whole.
    pub fn write_with(
        &self,
        rel: &str,
        fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<()> {
        if self.memory.is_some() || self.known.is_some() {
            let mut bytes = Vec::new();
            fill(&mut bytes).at(Path::new(rel))?;
            return self.write(rel, &bytes);
        }
        let path = self.path_of(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).at(parent)?;
        }
        let mut sum = xxhash_rust::xxh3::Xxh3::new();
        if let Some(previous) = &self.previous {
            let mut file = previous.writer(rel, &path).at(&path)?;
            fill(&mut Summing(&mut file, &mut sum)).at(&path)?;
            file.finish().at(&path)?;
        } else {
            let mut file =
                std::io::BufWriter::with_capacity(256 * 1024, fs::File::create(&path).at(&path)?);
            fill(&mut Summing(&mut file, &mut sum)).at(&path)?;
            file.flush().at(&path)?;
        }
        self.note(rel, sum.digest());
        Ok(())
    }

    /// Copies the file `from` to `rel` inside the new output.
    pub fn copy(&self, rel: &str, from: &Path) -> Result<()> {
        let bytes = fs::read(from).at(from)?;
        self.write(rel, &bytes)
    }

    fn path_of(&self, rel: &str) -> PathBuf {
        join_clean(&self.dir, rel)
    }

    /// Puts the new output in place of the old one, in one step where the
    /// system allows it (Linux: an atomic exchange of the two folders). An
    /// update in place moves in the files that changed, one by one, and
    /// removes the files `gone`.
    pub fn commit(mut self, gone: &[String]) -> Result<Removal> {
        if self.memory.is_some() {
            return Ok(Removal(None));
        }
        if self.known.is_some() {
            move_in(&self.dir, &self.target, gone)?;
        } else {
            swap_in(&self.dir, &self.target)?;
        }
        self.done = true;
        // What is left at the staging path (the old site after a swap) is
        // removed on another thread, while the build writes its cache.
        let dir = self.dir.clone();
        let removal = std::thread::Builder::new()
            .name("remove-old-output".into())
            .spawn(move || {
                if dir.exists() {
                    let _ = fs::remove_dir_all(&dir);
                }
            });
        match removal {
            Ok(handle) => Ok(Removal(Some(handle))),
            Err(_) => {
                let _ = fs::remove_dir_all(&self.dir);
                Ok(Removal(None))
            }
        }
    }
}

/// The removal of the old output after [`Staging::commit`]; dropping it
/// waits until the removal is done.
#[must_use = "dropping it waits for the old output to be removed"]
pub struct Removal(Option<std::thread::JoinHandle<()>>);

impl Drop for Removal {
    fn drop(&mut self) {
        if let Some(handle) = self.0.take() {
            let _ = handle.join();
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done && self.memory.is_none() {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Passes bytes on to a writer, summing them on the way.
struct Summing<'a>(&'a mut dyn Write, &'a mut xxhash_rust::xxh3::Xxh3);

impl Write for Summing<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.0.write(buf)?;
        self.1.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// Moves every file under `staged` to the same place under `target`
/// (each a rename, so a reader sees the old file or the new one), then
/// removes the files `gone` (paths under `target`) and folders they leave
/// empty.
fn move_in(staged: &Path, target: &Path, gone: &[String]) -> Result<()> {
    for entry in walkdir::WalkDir::new(staged).min_depth(1) {
        let entry = entry.map_err(|e| Error::io(staged, e.into()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(staged) else {
            continue;
        };
        if rel == Path::new(MARKER) || rel == Path::new(".versus-spill") {
            continue;
        }
        let to = target.join(rel);
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent).at(parent)?;
        }
        fs::rename(entry.path(), &to).at(&to)?;
    }
    for rel in gone {
        let path = join_clean(target, rel);
        match fs::remove_file(&path) {
            Ok(()) => {
                let mut dir = path.parent();
                while let Some(d) = dir.filter(|d| *d != target) {
                    if fs::remove_dir(d).is_err() {
                        break;
                    }
                    dir = d.parent();
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(&path, e)),
        }
    }
    Ok(())
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
