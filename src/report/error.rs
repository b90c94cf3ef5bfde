//! The error type every command returns, and the exit code each kind maps to.

use std::io;
use std::path::{Path, PathBuf};

use crate::report::diagnostic::Diagnostic;

/// Why a command failed. Content problems carry every diagnostic found.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The author's files have errors (all of them are listed).
    #[error("{} error{} in the site", count_errors(.0), if count_errors(.0) == 1 { "" } else { "s" })]
    Content(Vec<Diagnostic>),
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// The command line asked for something that cannot be done.
    #[error("{0}")]
    Usage(String),
    /// `versus check` found errors (already printed).
    #[error("check found {0} error(s)")]
    Findings(usize),
}

fn count_errors(diags: &[Diagnostic]) -> usize {
    diags.iter().filter(|d| d.is_error()).count()
}

impl Error {
    pub fn io(path: &Path, source: io::Error) -> Self {
        Self::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// Prints the error to stderr the one way every command does: a
    /// content error's diagnostics, then an `error:` line.
    pub fn eprint(&self) {
        use std::io::Write;
        if let Self::Content(diags) = self {
            crate::report::diagnostic::eprint(diags);
        }
        let _ = writeln!(std::io::stderr().lock(), "error: {self}");
    }

    /// Exit status: 1 for a content or I/O error, 2 for a usage error.
    pub fn exit_code(&self) -> i32 {
        match self {
            Self::Content(_) | Self::Io { .. } | Self::Findings(_) => 1,
            Self::Usage(_) => 2,
        }
    }
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Self::Content(vec![d])
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Adds the path to an I/O error at the place it happens.
pub trait IoContext<T> {
    fn at(self, path: &Path) -> Result<T>;
}

impl<T> IoContext<T> for io::Result<T> {
    fn at(self, path: &Path) -> Result<T> {
        self.map_err(|e| Error::io(path, e))
    }
}
