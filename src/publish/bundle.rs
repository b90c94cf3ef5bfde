//! `versus build --bundle FILE.zip`: the built site as one zip file that a
//! reader unpacks and opens offline.

use std::path::Path;

use crate::error::{Error, Result};

/// Zips the folder `site` into `zip`; returns the number of files.
pub fn write_zip(site: &Path, zip: &Path) -> Result<usize> {
    let _ = (site, zip);
    Err(Error::Usage("--bundle is not available yet".into()))
}
