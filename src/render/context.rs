//! The context a page template gets, as one type: the pipeline hands over
//! a page's view and gets HTML back, without knowing how Tera is fed.
//! docs/templates.md lists every variable.

use std::path::Path;

use tera::Context;

use super::Renderer;
use super::views::{LinkView, Model, NavItem, PageView, SectionView, TagView};
use crate::report::diagnostic::Diagnostic;

/// Everything a page template reads, besides `site` (added by the
/// renderer to every context).
pub struct PageContext<'a> {
    root: String,
    page: PageView<'a>,
    section: Option<SectionView<'a>>,
    nav: Vec<NavItem<'a>>,
    breadcrumbs: Vec<LinkView<'a>>,
    prev: Option<LinkView<'a>>,
    next: Option<LinkView<'a>>,
    /// The page's index, for the dependency recorder (`None`: 404.html).
    index: Option<usize>,
    /// On a tag page, its tag; on the tags index, every tag.
    tag: Option<TagView<'a>>,
    tags: Option<Vec<TagView<'a>>>,
    /// The language the page is written in: its words are `t`.
    lang: &'a str,
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
        Self {
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
            lang: model.language,
        }
    }

    /// The context of a tag page (`tag`: its tag, `section.pages` its
    /// pages) or of the tags index (`tags`), whose view is `page`: the
    /// sidebar with no section open, breadcrumbs from the home page
    /// (through the tags index, `tags_title`, on a tag page).
    pub fn tag_listing(
        model: &Model<'a>,
        tags_title: &'a str,
        page: PageView<'a>,
        listing: SectionView<'a>,
        tag: Option<TagView<'a>>,
        tags: Option<Vec<TagView<'a>>>,
    ) -> Self {
        let home = model.content.sections.first().map_or(0, |s| s.index);
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
            root: crate::text::paths::root_prefix(page.path),
            section: Some(listing),
            nav: model.nav_outside(page.path),
            breadcrumbs,
            prev: None,
            next: None,
            page,
            index: None,
            tag,
            tags,
            lang: model.language,
        }
    }

    /// The context of `404.html`: the home page's sidebar, nothing else;
    /// `title` is its title in the site's language.
    pub fn not_found(model: &Model<'a>, title: &'a str) -> Self {
        let home = model.content.sections.first().map_or(0, |s| s.index);
        Self {
            root: String::new(),
            page: PageView {
                reading_minutes: 1,
                ..PageView::outside("404", title, "404.html")
            },
            section: None,
            nav: model.nav(home),
            breadcrumbs: Vec::new(),
            prev: None,
            next: None,
            index: None,
            tag: None,
            tags: None,
            lang: model.language,
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
        ctx.insert("nav", &self.nav);
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
        if let Some(i) = self.index {
            super::for_page(&mut ctx, i);
        }
        renderer.words().insert_into(&mut ctx, self.lang);
        renderer.render(template, &ctx, shown)
    }
}

static EMPTY: std::sync::LazyLock<serde_json::Map<String, serde_json::Value>> =
    std::sync::LazyLock::new(serde_json::Map::new);
