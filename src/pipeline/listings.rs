//! The tag pages: one per tag (template `tag.html`) listing the pages that
//! carry it, and the tags index (`tags.html`). They are made from every
//! page's front matter and outline, which each build has whether or not it
//! renders the pages, so they are written again with the site-wide files
//! and never kept from an earlier build.

use super::{Session, fail};
use crate::content::tags::{INDEX, Tag};
use crate::output::Staging;
use crate::render::context::PageContext;
use crate::render::views::{Model, PageView, SectionView, TagView};
use crate::report::diagnostic::Diagnostic;
use crate::report::error::Result;
use crate::text::paths::relative_url;

impl Session {
    /// Every tag, the pages carrying it in reading order.
    pub fn tags(&self) -> &[Tag] {
        &self.tags
    }

    /// The output paths of the tag pages and the tags index (none when no
    /// page has a tag).
    pub fn tag_outputs(&self) -> Vec<String> {
        if self.tags.is_empty() {
            return Vec::new();
        }
        let mut out: Vec<String> = self.tags.iter().map(Tag::output).collect();
        out.push(INDEX.to_string());
        out
    }

    /// Finds the tags again from every page's front matter (after a page's
    /// tags changed); errors leave the tags as they were.
    pub fn collect_tags(&mut self) -> Result<()> {
        let (tags, diags) = crate::content::tags::collect(&self.content, &self.order);
        if diags.iter().any(Diagnostic::is_error) {
            return Err(fail(diags));
        }
        self.tags = tags;
        Ok(())
    }

    /// Writes the tag pages and the tags index into `out`.
    pub fn write_tag_pages(&self, out: &Staging) -> Result<()> {
        if self.tags.is_empty() {
            return Ok(());
        }
        let model = self.model();
        let rendered: Vec<(String, std::result::Result<String, Diagnostic>)> = {
            use rayon::prelude::*;
            let mut all: Vec<Option<&Tag>> = self.tags.iter().map(Some).collect();
            all.push(None);
            all.par_iter()
                .map(|tag| match tag {
                    Some(t) => (t.output(), self.tag_page(&model, t)),
                    None => (INDEX.to_string(), self.tags_index(&model)),
                })
                .collect()
        };
        let mut diags = Vec::new();
        for (output, html) in rendered {
            match html {
                Ok(html) => out.write(&output, html.as_bytes())?,
                Err(d) => diags.push(d),
            }
        }
        if diags.is_empty() {
            Ok(())
        } else {
            Err(fail(diags))
        }
    }

    /// The page of `tag`: a card per page carrying it.
    fn tag_page(&self, model: &Model<'_>, tag: &Tag) -> std::result::Result<String, Diagnostic> {
        let output = tag.output();
        let (words, lang) = (self.renderer.words(), model.language);
        let title = words.fill(lang, "tag_title", &[("name", &tag.name)]);
        let count = crate::text::locale::number(tag.pages.len() as f64, 0, lang);
        let description = match tag.pages.len() {
            1 => words.fill(lang, "tag_one", &[("name", &tag.name)]),
            _ => words.fill(lang, "tag_many", &[("name", &tag.name), ("count", &count)]),
        };
        let page = PageView {
            description: Some(&description),
            ..PageView::outside("tag", &title, &output)
        };
        let listing = SectionView {
            pages: tag
                .pages
                .iter()
                .map(|&p| model.link_at(&output, p))
                .collect(),
            subsections: Vec::new(),
        };
        let view = TagView {
            name: &tag.name,
            url: relative_url(&output, &output),
            count: tag.pages.len(),
        };
        PageContext::tag_listing(
            model,
            words.get(lang, "tags"),
            page,
            listing,
            Some(view),
            None,
        )
        .render(&self.renderer, "tag.html", std::path::Path::new("tag.html"))
    }

    /// The tags index: every tag, linked to its page, with its count.
    fn tags_index(&self, model: &Model<'_>) -> std::result::Result<String, Diagnostic> {
        let (words, lang) = (self.renderer.words(), model.language);
        let count = crate::text::locale::number(self.tags.len() as f64, 0, lang);
        let description = words.fill(lang, "tags_description", &[("count", &count)]);
        let page = PageView {
            description: Some(&description),
            ..PageView::outside("tags", words.get(lang, "tags"), INDEX)
        };
        let tags = self
            .tags
            .iter()
            .map(|t| TagView {
                name: &t.name,
                url: relative_url(INDEX, &t.output()),
                count: t.pages.len(),
            })
            .collect();
        let listing = SectionView {
            pages: Vec::new(),
            subsections: Vec::new(),
        };
        PageContext::tag_listing(
            model,
            words.get(lang, "tags"),
            page,
            listing,
            None,
            Some(tags),
        )
        .render(
            &self.renderer,
            "tags.html",
            std::path::Path::new("tags.html"),
        )
    }
}
