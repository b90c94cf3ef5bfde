//! The context a page template gets, as one type: the pipeline hands over
//! a page's view and gets HTML back, without knowing how Tera is fed.
//! docs/templates.md lists every variable.

use std::path::Path;

use tera::Context;

use super::Renderer;
use super::views::{LinkView, Model, NavItem, PageView, SectionView};
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
        }
    }

    /// The context of `404.html`: the home page's sidebar, nothing else.
    pub fn not_found(model: &Model<'a>) -> Self {
        let home = model.content.sections.first().map_or(0, |s| s.index);
        Self {
            root: String::new(),
            page: PageView {
                kind: "404",
                title: "Page not found",
                description: None,
                date: None,
                tags: &[],
                extra: &EMPTY,
                content: String::new(),
                toc: Vec::new(),
                path: "404.html",
                source: "",
                word_count: 0,
                reading_minutes: 1,
                print: None,
                image: None,
            },
            section: None,
            nav: model.nav(home),
            breadcrumbs: Vec::new(),
            prev: None,
            next: None,
            index: None,
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
        if let Some(i) = self.index {
            super::for_page(&mut ctx, i);
        }
        renderer.render(template, &ctx, shown)
    }
}

static EMPTY: std::sync::LazyLock<serde_json::Map<String, serde_json::Value>> =
    std::sync::LazyLock::new(serde_json::Map::new);
