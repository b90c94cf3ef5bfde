//! The `versus` binary: parse the command line, run the command, print the
//! errors once (`Error::eprint`), exit with 0 (success), 1 (content error) or 2 (usage error).

use std::process::ExitCode;

use clap::Parser;
use versus::cli::{Cli, Command};

/// mimalloc returns freed memory to the system and keeps the heap compact
/// under the build's mix of long-lived records and short-lived page
/// buffers: a 10,000-page build peaks far lower than with the system
/// allocator (figures in benches/README.md).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Build(args) => versus::cmd::build::run(args),
        Command::Init(args) => versus::cmd::init::run(args),
        Command::Watch(args) => versus::cmd::watch::run(args),
        Command::Check(args) => versus::cmd::check::run(args),
        Command::Bench(args) => versus::cmd::bench::run(args),
        Command::Schema(args) => versus::cmd::schema::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            err.eprint();
            ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(1))
        }
    }
}
