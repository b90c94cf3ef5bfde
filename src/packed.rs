//! Text a build keeps until the site-wide files are written: every page's
//! rendered body (for print.html) and prose (for the search index). Held in
//! memory those are hundreds of megabytes on a large site, so a build that
//! writes to disk puts them in a spill file inside its staging folder and
//! keeps only where they are; a build in memory (`watch`, `check`) keeps
//! them LZ4-compressed.

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Kept text: compressed in memory, or a range of a spill file.
#[derive(Clone)]
pub enum Kept {
    /// LZ4 block format, its length in front.
    Packed(Box<[u8]>),
    Spilled {
        spill: Arc<Spill>,
        at: u64,
        len: usize,
        /// [`sum`] of the text: a spill file the build cache kept from an
        /// earlier build is checked as it is read.
        sum: u64,
    },
}

/// The checksum of kept text (and of output files, in the build cache).
pub fn sum(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

impl Default for Kept {
    fn default() -> Self {
        Self::packed("")
    }
}

impl Kept {
    /// `text`, compressed in memory.
    pub fn packed(text: &str) -> Self {
        // Copied into a block of its own size: the compressor's buffer is
        // sized for the worst case, and shrinking it in place (as mimalloc
        // does) would keep that size.
        Self::Packed(Box::from(
            lz4_flex::block::compress_prepend_size(text.as_bytes()).as_slice(),
        ))
    }

    /// `bytes`, compressed in memory.
    pub fn packed_bytes(bytes: &[u8]) -> Self {
        Self::Packed(Box::from(
            lz4_flex::block::compress_prepend_size(bytes).as_slice(),
        ))
    }

    /// The checksum ([`sum`]) of the kept bytes: known without reading
    /// them when they are in a spill file.
    pub fn sum(&self) -> io::Result<u64> {
        match self {
            Self::Spilled { sum, .. } => Ok(*sum),
            Self::Packed(_) => Ok(sum(&self.bytes()?)),
        }
    }

    /// The text again.
    pub fn text(&self) -> io::Result<String> {
        String::from_utf8(self.bytes()?).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }

    /// The bytes again.
    pub fn bytes(&self) -> io::Result<Vec<u8>> {
        let bytes = match self {
            Self::Packed(bytes) => lz4_flex::block::decompress_size_prepended(bytes)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?,
            Self::Spilled {
                spill,
                at,
                len,
                sum: want,
            } => {
                let mut bytes = vec![0; *len];
                spill.file.read_exact_at(&mut bytes, *at)?;
                if sum(&bytes) != *want {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        "kept text does not match its checksum",
                    ));
                }
                bytes
            }
        };
        Ok(bytes)
    }

    /// Length of the text, in bytes.
    pub fn len(&self) -> usize {
        match self {
            Self::Packed(bytes) => bytes
                .get(..4)
                .and_then(|b| b.try_into().ok())
                .map_or(0, |b| u32::from_le_bytes(b) as usize),
            Self::Spilled { len, .. } => *len,
        }
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Where a spilled text is: (offset, length, checksum) in its spill
    /// file; `None` for text held in memory.
    pub fn place(&self) -> Option<(u64, usize, u64)> {
        match self {
            Self::Spilled { at, len, sum, .. } => Some((*at, *len, *sum)),
            Self::Packed(_) => None,
        }
    }

    /// Text kept by an earlier build at `place` (see [`Kept::place`]) of
    /// `spill`.
    pub fn spilled(spill: &Arc<Spill>, (at, len, sum): (u64, usize, u64)) -> Self {
        Self::Spilled {
            spill: Arc::clone(spill),
            at,
            len,
            sum,
        }
    }

    /// Bytes held in memory for it.
    pub fn memory(&self) -> usize {
        match self {
            Self::Packed(bytes) => bytes.len(),
            Self::Spilled { .. } => 0,
        }
    }
}

impl std::fmt::Debug for Kept {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Packed(b) => write!(f, "Packed({} bytes)", b.len()),
            Self::Spilled { at, len, .. } => write!(f, "Spilled({at}+{len})"),
        }
    }
}

impl From<&str> for Kept {
    fn from(text: &str) -> Self {
        Self::packed(text)
    }
}

/// An append-only file of kept text. Writers reserve their range with one
/// atomic add and write it with `pwrite`, so threads never wait for each
/// other.
pub struct Spill {
    file: File,
    end: AtomicU64,
}

impl Spill {
    /// Creates the spill file at `path` and unlinks it at once: it is
    /// reached only through this handle and vanishes with it, so it is
    /// never part of the output, even after a crash.
    pub fn create(path: &Path) -> io::Result<Arc<Self>> {
        let file = File::options()
            .read(true)
            .write(true)
            .create_new(true)
            .open(path)?;
        std::fs::remove_file(path)?;
        Ok(Arc::new(Self {
            file,
            end: AtomicU64::new(0),
        }))
    }

    /// A new, empty spill file that stays at `path` after the build (the
    /// build cache keeps it): replaces what was there.
    pub fn persistent(path: &Path) -> io::Result<Arc<Self>> {
        let file = File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(path)?;
        Ok(Arc::new(Self {
            file,
            end: AtomicU64::new(0),
        }))
    }

    /// The spill file an earlier build left at `path`, `len` bytes long as
    /// that build ended: new text goes after them (what a build killed
    /// part-way appended is overwritten). Shorter than `len` is an error.
    pub fn reopen(path: &Path, len: u64) -> io::Result<Arc<Self>> {
        let file = File::options().read(true).write(true).open(path)?;
        if file.metadata()?.len() < len {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "shorter than when it was written",
            ));
        }
        Ok(Arc::new(Self {
            file,
            end: AtomicU64::new(len),
        }))
    }

    /// Bytes written so far.
    pub fn len(&self) -> u64 {
        self.end.load(Ordering::Relaxed)
    }

    /// Whether nothing was written.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Waits until what was written is on disk.
    pub fn sync(&self) -> io::Result<()> {
        self.file.sync_data()
    }

    /// Writes `text` to the file and returns where it is.
    pub fn keep(self: &Arc<Self>, text: &str) -> io::Result<Kept> {
        self.keep_bytes(text.as_bytes())
    }

    /// Writes `bytes` to the file and returns where they are.
    pub fn keep_bytes(self: &Arc<Self>, bytes: &[u8]) -> io::Result<Kept> {
        let len = bytes.len();
        let at = self.end.fetch_add(len as u64, Ordering::Relaxed);
        self.file.write_all_at(bytes, at)?;
        Ok(Kept::Spilled {
            spill: Arc::clone(self),
            at,
            len,
            sum: sum(bytes),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_text_round_trips() {
        let long = "<span class=\"l3\">x</span>".repeat(500);
        for text in ["", "a", "<p>héllo</p>\n", long.as_str()] {
            assert_eq!(Kept::packed(text).text().unwrap_or_default(), text);
        }
        assert_eq!(Kept::default().text().unwrap_or_default(), "");
        assert!(Kept::packed(&long).memory() * 5 < long.len());
        // Four bytes that are not UTF-8: an error, not a panic.
        assert!(
            Kept::Packed(Box::new([4, 0, 0, 0, 0x40, 0xff, 0xfe, 0xfd, 0xfc]))
                .text()
                .is_err()
        );
        assert!(Kept::Packed(Box::new([9, 0, 0, 0])).text().is_err());
    }

    #[test]
    fn spilled_text_round_trips_across_threads() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("spill");
        let spill = Spill::create(&path).unwrap_or_else(|e| panic!("{e}"));
        assert!(!path.exists(), "unlinked at once");
        let texts: Vec<String> = (0..200).map(|i| format!("page {i} ").repeat(i)).collect();
        let kept: Vec<Kept> = std::thread::scope(|s| {
            let handles: Vec<_> = texts
                .chunks(50)
                .map(|chunk| {
                    let spill = &spill;
                    s.spawn(move || chunk.iter().map(|t| spill.keep(t)).collect::<Vec<_>>())
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_default())
                .collect::<io::Result<_>>()
                .unwrap_or_else(|e| panic!("{e}"))
        });
        for (k, t) in kept.iter().zip(&texts) {
            assert_eq!(&k.text().unwrap_or_default(), t);
            assert_eq!(k.memory(), 0);
        }
    }
}
