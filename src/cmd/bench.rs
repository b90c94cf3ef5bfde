//! `versus bench`: runs the benchmarks defined under content/benchmarks/.

use crate::cli::BenchArgs;
use crate::error::{Error, Result};

pub fn run(args: &BenchArgs) -> Result<()> {
    let _ = args;
    Err(Error::Usage("versus bench is being written".into()))
}
