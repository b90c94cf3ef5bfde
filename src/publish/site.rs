//! What the site-wide writers read: the site once every page is rendered.

use std::sync::Arc;

use crate::config::Config;
use crate::record::PageRecord;
use crate::render::Renderer;

/// The rendered site, as the site-wide writers read it.
pub struct RenderedSite<'a> {
    pub config: &'a Config,
    pub renderer: &'a Renderer,
    /// Pages in reading order.
    pub records: &'a [Arc<PageRecord>],
    /// Every page gives the search index as many documents as in the last
    /// build (an update from the build cache): files made only from pages
    /// reused from it are the same, and need not be made again.
    pub same_docs: bool,
    /// Output paths of the tag pages and the tags index: in the sitemap,
    /// not in the search index, the print volumes or the feed.
    pub tag_pages: &'a [String],
}
