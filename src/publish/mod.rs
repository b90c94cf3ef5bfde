//! Files made from the whole rendered site, for publishing and offline
//! reading. Each gets what every page left behind in a [`PageRecord`].

pub mod bundle;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::markdown::TextSection;
use crate::output::Staging;
use crate::render::Renderer;

/// What a rendered page leaves for the site-wide files.
#[derive(Debug, Clone)]
pub struct PageRecord {
    /// Position in reading order.
    pub position: usize,
    /// `"index"`, `"section"` or `"page"`.
    pub kind: &'static str,
    /// Output path (`guide/intro.html`).
    pub output: String,
    pub title: String,
    pub description: Option<String>,
    /// `YYYY-MM-DD...` as written in front matter.
    pub date: Option<String>,
    /// Prose under each heading (for search).
    pub sections: Vec<TextSection>,
    /// The rendered Markdown body.
    pub body_html: String,
}

/// Everything the site-wide writers read.
pub struct Site<'a> {
    pub config: &'a Config,
    pub renderer: &'a Renderer,
    /// Pages in reading order.
    pub records: &'a [PageRecord],
}

/// Writes the site-wide files into the staging output. Problems that
/// should fail the build come back as diagnostics.
pub fn write(site: &Site<'_>, staging: &Staging) -> Result<Vec<Diagnostic>> {
    let _ = (site, staging);
    Ok(Vec::new())
}
