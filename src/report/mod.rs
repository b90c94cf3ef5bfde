//! What versus tells the author: diagnostics about their files (located by
//! path, line and column), the error type commands return with its exit
//! code, and the progress bar of a long build.

pub mod diagnostic;
pub mod error;
pub mod progress;
