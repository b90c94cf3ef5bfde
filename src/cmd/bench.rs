//! `versus bench`: runs the benchmarks defined in
//! content/benchmarks/benchmarks.toml and writes their results files
//! (the work is in `bench/session.rs`).

use crate::bench::session::{self, Request};
use crate::cli::BenchArgs;
use crate::report::error::Result;

pub fn run(args: &BenchArgs) -> Result<()> {
    let suite = crate::bench::load(&args.root)?;
    if args.list {
        // A closed stdout (`versus bench --list | head`) is no error.
        let _ = session::list(&suite, &mut std::io::stdout().lock());
        return Ok(());
    }
    session::run(
        suite,
        &Request {
            names: args.names.clone(),
            runtimes: args.runtimes.clone(),
            runs: args.runs,
            warmup: args.warmup,
            fresh: args.fresh,
            progress: !args.quiet,
        },
    )
}
