//! Benchmarks as content: the definitions in `content/benchmarks/benchmarks.toml`,
//! running them (`versus bench`), and the results files they write, which
//! the `bench_table` and `bench_chart` shortcodes read ([`crate::data::results`]).
//!
//! - [`define`] reads and checks the definition file.
//! - [`exec`] runs one process: wall time, peak memory, output, timeout,
//!   process-group kill.
//! - [`machine`] describes the machine, the OS and the current time.
//! - [`run`] runs benchmarks and collects one record per measured run.
//! - [`session`] is one `versus bench`: choose, find the runtimes, run,
//!   write; [`report`] shows its progress.
//! - [`merge`] merges records into a results CSV and its `.meta.toml`,
//!   written atomically.
//! - [`stale`] tells when committed results no longer match the machine
//!   they are read on (too old, or other runtime versions installed): what
//!   `versus check` reports.
//!
//! The format and the command are described in docs/bench.md.

pub mod define;
pub mod exec;
pub mod machine;
pub mod merge;
pub mod report;
pub mod run;
pub mod session;
pub mod stale;

pub use define::{DEFINITIONS, Suite, load};
pub use stale::{Stale, StaleKind, check_results, installed_versions, staleness};
