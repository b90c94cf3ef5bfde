//! The context a page template gets, as one type: the pipeline hands over
//! a page's view and gets HTML back, without knowing how Tera is fed.
//! docs/templates.md lists every variable.

use std::path::Path;

use tera::Context;

use super::Renderer;
use super::switcher::{LangView, TranslationView};
use super::views::{LinkView, Model, PageView, SectionView, SiteView, TagView};
use crate::report::diagnostic::Diagnostic;

/// Everything a page template reads, besides `site` (added by the
/// renderer to every context).
pub struct PageContext<'a> {
    root: String,
    page: PageView<'a>,
    section: Option<SectionView<'a>>,
    nav: tera::Value,
    breadcrumbs: Vec<LinkView<'a>>,
    prev: Option<LinkView<'a>>,
    next: Option<LinkView<'a>>,
    /// The page's index, for the dependency recorder (`None`: 404.html).
    index: Option<usize>,
    /// On a tag page, its tag; on the tags index, every tag.
    tag: Option<TagView<'a>>,
    tags: Option<Vec<TagView<'a>>>,
    /// The page's language, and the page in every language.
    lang: Option<LangView<'a>>,
    translations: Vec<TranslationView<'a>>,
    alternates: Vec<TranslationView<'a>>,
    /// On a site of several languages, `site` in the page's language.
    site: Option<SiteView<'a>>,
    /// The code of the page's language: its words are `t`.
    code: &'a str,
}

impl<'a> PageView<'a> {
    /// The view of a file that is no page of the content (404.html, a tag
    /// page), written at `path`.
    pub fn outside(kind: &'static str, title: &'a str, path: &'a str) -> Self {
        PageView {
            kind,
            title,
            description: None,
            date: None,
            updated: None,
            edit_url: None,
            tags: &[],
            tag_links: Vec::new(),
            extra: &EMPTY,
            content: String::new(),
            toc: Vec::new(),
            path,
            source: "",
            word_count: 0,
            reading_minutes: 0,
            print: None,
            image: None,
        }
    }
}

impl<'a> PageContext<'a> {
    /// The context of page `i`, whose view is `page`.
    pub fn page(model: &Model<'a>, i: usize, page: PageView<'a>) -> Self {
        let (prev, next) = model.prev_next(i);
        let lang = model.content.pages[i].lang;
        let translations = model.translations(i);
        Self {
            lang: model.lang_view(lang, Some(i)),
            code: model.code(lang),
            alternates: model.alternates(&translations),
            translations,
            site: model.site_in(lang),
            root: crate::text::paths::root_prefix(page.path),
            section: model.section(i),
            nav: model.nav(i),
            breadcrumbs: model.breadcrumbs(i),
            prev,
            next,
            page,
            index: Some(i),
            tag: None,
            tags: None,
        }
    }

    /// The context of a tag page (`tag`: its tag, `section.pages` its
    /// pages) or of the tags index (`tags`), whose view is `page`: the
    /// sidebar with no section open, breadcrumbs from the home page
    /// (through the tags index, `tags_title`, on a tag page).
    pub fn tag_listing(
        model: &Model<'a>,
        tags_title: &'a str,
        (page, lang): (PageView<'a>, usize),
        listing: SectionView<'a>,
        tag: Option<TagView<'a>>,
        tags: Option<Vec<TagView<'a>>>,
    ) -> Self {
        let home = model.home(lang);
        let mut breadcrumbs = vec![model.link_at(page.path, home)];
        if tag.is_some() {
            breadcrumbs.push(LinkView {
                title: tags_title,
                url: "index.html".to_string(),
                description: None,
                date: None,
            });
        }
        Self {
            lang: model.lang_view(lang, None),
            code: model.code(lang),
            alternates: Vec::new(),
            translations: model.homes(page.path, lang),
            site: model.site_in(lang),
            root: crate::text::paths::root_prefix(page.path),
            section: Some(listing),
            nav: model.nav_outside(page.path, lang),
            breadcrumbs,
            prev: None,
            next: None,
            page,
            index: None,
            tag,
            tags,
        }
    }

    /// The context of a language's `404.html` (written at `path`): the
    /// home page's sidebar, nothing else; `title` is its title in that
    /// language.
    pub fn not_found(model: &Model<'a>, lang: usize, path: &'a str, title: &'a str) -> Self {
        let home = model.home(lang);
        Self {
            lang: model.lang_view(lang, None),
            code: model.code(lang),
            alternates: Vec::new(),
            translations: model.homes(path, lang),
            site: model.site_in(lang),
            root: crate::text::paths::root_prefix(path),
            page: PageView {
                reading_minutes: 1,
                ..PageView::outside("404", title, path)
            },
            section: None,
            nav: model.nav(home),
            breadcrumbs: Vec::new(),
            prev: None,
            next: None,
            index: None,
            tag: None,
            tags: None,
        }
    }

    /// The page through `template`; errors point at `shown`.
    pub fn render(
        &self,
        renderer: &Renderer,
        template: &str,
        shown: &Path,
    ) -> Result<String, Diagnostic> {
        let mut ctx = Context::new();
        ctx.insert("root", &self.root);
        ctx.insert("page", &self.page);
        ctx.insert("section", &self.section);
        ctx.insert_value("nav", self.nav.clone());
        ctx.insert("breadcrumbs", &self.breadcrumbs);
        ctx.insert("prev", &self.prev);
        ctx.insert("next", &self.next);
        // `watch` injects its reload script as it serves pages instead.
        ctx.insert("watch", &false);
        if let Some(tag) = &self.tag {
            ctx.insert("tag", tag);
        }
        if let Some(tags) = &self.tags {
            ctx.insert("tags", tags);
        }
        ctx.insert("lang", &self.lang);
        ctx.insert("translations", &self.translations);
        ctx.insert("alternates", &self.alternates);
        if let Some(site) = &self.site {
            ctx.insert("site", site);
        }
        if let Some(i) = self.index {
            super::for_page(&mut ctx, i);
        }
        renderer.words().insert_into(&mut ctx, self.code);
        renderer.render(template, &ctx, shown)
    }
}

static EMPTY: std::sync::LazyLock<serde_json::Map<String, serde_json::Value>> =
    std::sync::LazyLock::new(serde_json::Map::new);
