//! `versus check`: builds in memory and reports problems without writing.

use crate::cli::CheckArgs;
use crate::error::{Error, Result};

pub fn run(args: &CheckArgs) -> Result<()> {
    let _ = args;
    Err(Error::Usage("versus check is being written".into()))
}
