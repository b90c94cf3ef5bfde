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
    /// The language these files are for, on a site of several (each
    /// language gets its own, under its folder).
    pub lang: Option<Language<'a>>,
    /// On a site of several languages, `lang` and `site` as the print
    /// book's template sees them (the `site` of the book's language).
    pub lang_view: Option<serde_json::Value>,
    pub site: Option<serde_json::Value>,
    /// The language's folder (`""` or `fr/`).
    pub prefix: &'a str,
}

/// What the site-wide files of one language of several need to know.
pub struct Language<'a> {
    /// The language's code.
    pub code: &'a str,
    /// Whether it is the default language (whose files are at the root).
    pub is_default: bool,
    /// Every language's folder (`""`, `fr/`, ...): robots.txt names each sitemap.
    pub prefixes: &'a [String],
    /// Per page (output path): the page in each language it is translated
    /// into, as (`hreflang`, output path): `x-default` and the default
    /// language's first; stand-ins left out, pages in one language too.
    pub alternates: &'a std::collections::HashMap<String, Vec<(String, String)>>,
    /// Output paths of the language's stand-ins for untranslated pages:
    /// not in its feed or sitemap (their text is another language's).
    pub fallbacks: &'a std::collections::HashSet<String>,
}

impl<'a> RenderedSite<'a> {
    /// What the language's feed says about itself: the language's code,
    /// and its title and description where `[languages]` gives them.
    pub fn feed_head(&self) -> super::feeds::FeedHead<'_> {
        let text = |key: &str, default: &'a str| {
            self.site
                .as_ref()
                .and_then(|v| v.get(key))
                .and_then(serde_json::Value::as_str)
                .unwrap_or(default)
        };
        super::feeds::FeedHead {
            lang: self.code(),
            title: text("title", &self.config.title),
            description: text("description", &self.config.description),
        }
    }

    /// The code of the language these files are for: its words, numbers,
    /// dates and search pipeline.
    pub fn code(&self) -> &str {
        self.lang
            .as_ref()
            .map_or(self.config.language.as_str(), |l| l.code)
    }
}
