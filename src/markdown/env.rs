//! What the Markdown pass reads and returns: the extensions it turns on,
//! the [`Env`] shared by all pages, the [`Shortcodes`] renderer the render
//! stage provides, and a page's [`RenderedBody`] with what was found on
//! the way.

use std::ops::Range;
use std::path::Path;

use pulldown_cmark::Options;

use super::call_site::CallSite;
use super::links;
use super::outline::Outline;
use super::search_text::TextSection;
use crate::config::{Config, LinkPolicy};
use crate::content::Content;
use crate::highlight::Highlighter;
use crate::report::diagnostic::Diagnostic;
use crate::shortcode_syntax::Placement;

/// The Markdown extensions versus turns on.
pub fn options(config: &Config) -> Options {
    let mut o = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM;
    if config.markdown.smart_punctuation {
        o |= Options::ENABLE_SMART_PUNCTUATION;
    }
    if config.markdown.math {
        o |= Options::ENABLE_MATH;
    }
    o
}

/// Runs shortcode calls (the render stage provides this, over Tera, from
/// its registry of shortcodes).
pub trait Shortcodes: Sync {
    /// Renders a block call (`site.call` written on `site.page`): its HTML
    /// and its words for the search index (a matrix's criteria, notes and
    /// cells; empty for a table or chart of figures). `links` resolves a
    /// link written in data shown on the page, as if it were written on the
    /// page itself.
    fn render(
        &self,
        site: &CallSite<'_>,
        links: &dyn Fn(&str) -> links::Resolved,
    ) -> Result<(String, String), Diagnostic>;

    /// Renders a call written inside running text (`figure`): its HTML and
    /// its plain text (for the search index). `None` for shortcodes that
    /// are not written inline: the call is an error where it stands.
    fn inline(&self, site: &CallSite<'_>) -> Option<Result<(String, String), Diagnostic>>;

    /// Where a call of `name` stands: a built-in's placement, a block for
    /// one of the site's templates, `None` for a name no shortcode has.
    fn placement(&self, name: &str) -> Option<Placement>;

    /// The names of the shortcodes this renderer knows, for did-you-mean.
    fn names(&self) -> Vec<String>;
}

/// Everything the second pass reads, shared by all pages.
pub struct Env<'a> {
    /// The site's folder (code files resolve inside it).
    pub root: &'a Path,
    pub content: &'a Content,
    pub outlines: &'a [Outline],
    pub highlighter: &'a Highlighter,
    pub links: LinkPolicy,
    pub options: Options,
    pub shortcodes: Option<&'a dyn Shortcodes>,
    /// Where the pass notes what a page read besides its own text
    /// (included files, the pages it links to).
    pub recorder: &'a crate::deps::Recorder,
    /// Note figures typed into the prose ([`RenderedBody::typed_figures`]):
    /// only `versus check` reads them.
    pub typed_figures: bool,
}

/// A page's body as HTML, and what was found on the way.
#[derive(Debug, Default)]
pub struct RenderedBody {
    pub html: String,
    pub diags: Vec<Diagnostic>,
    /// Languages with no grammar, each with where it was first seen.
    pub unknown_langs: Vec<(String, Diagnostic)>,
    /// The page's prose split at its headings, for the search index.
    pub sections: Vec<TextSection>,
    /// Links to anything but pages, and images, for `versus check`.
    pub refs: Vec<Ref>,
    /// Figures with units typed into the prose (not from a `figure` call):
    /// where, in the page's file. `versus check` asks for them to come from
    /// data on pages that show benchmark results.
    pub typed_figures: Vec<Range<usize>>,
    /// The ids of the body's elements, in document order: headings' from
    /// the outline, footnotes' from their names, and those inside raw HTML
    /// and shortcode output read from just that HTML. The book
    /// (print.html) makes them unique across pages.
    pub ids: Vec<String>,
}

/// A link or image destination as written, with where.
#[derive(Debug, Clone)]
pub struct Ref {
    pub dest: String,
    pub span: Range<usize>,
    pub image: bool,
    /// An image's alternative text.
    pub alt: String,
}
