//! The tag pages: one per tag (template `tag.html`) listing the pages that
//! carry it, and the tags index (`tags.html`). They are made from every
//! page's front matter and outline, which each build has whether or not it
//! renders the pages, so they are written again with the site-wide files
//! and never kept from an earlier build.

use super::{Session, fail};
use crate::content::tags::{Tag, index_of};
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
        out.extend(self.tag_langs().into_iter().map(|(_, p)| index_of(p)));
        out
    }

    /// The languages that have tags: (language, its folder).
    fn tag_langs(&self) -> Vec<(usize, &str)> {
        let mut langs: Vec<(usize, &str)> = self
            .tags
            .iter()
            .map(|t| (t.lang, t.prefix.as_str()))
            .collect();
        langs.dedup();
        langs
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
            let mut all: Vec<Result<&Tag, (usize, &str)>> = self.tags.iter().map(Ok).collect();
            all.extend(self.tag_langs().into_iter().map(Err));
            all.par_iter()
                .map(|tag| match tag {
                    Ok(t) => (t.output(), self.tag_page(&model, t)),
                    Err((lang, prefix)) => (index_of(prefix), self.tags_index(&model, *lang)),
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
        let (words, lang) = (self.renderer.words(), model.code(tag.lang));
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
            (page, tag.lang),
            listing,
            Some(view),
            None,
        )
        .render(&self.renderer, "tag.html", std::path::Path::new("tag.html"))
    }

    /// The tags index: every tag, linked to its page, with its count.
    fn tags_index(
        &self,
        model: &Model<'_>,
        lang: usize,
    ) -> std::result::Result<String, Diagnostic> {
        let mine: Vec<&Tag> = self.tags.iter().filter(|t| t.lang == lang).collect();
        let (words, code) = (self.renderer.words(), model.code(lang));
        let count = crate::text::locale::number(mine.len() as f64, 0, code);
        let description = words.fill(code, "tags_description", &[("count", &count)]);
        let prefix = mine.first().map_or("", |t| t.prefix.as_str());
        let index = index_of(prefix);
        let page = PageView {
            description: Some(&description),
            ..PageView::outside("tags", words.get(code, "tags"), &index)
        };
        let tags = mine
            .iter()
            .map(|t| TagView {
                name: &t.name,
                url: relative_url(&index, &t.output()),
                count: t.pages.len(),
            })
            .collect();
        let listing = SectionView {
            pages: Vec::new(),
            subsections: Vec::new(),
        };
        PageContext::tag_listing(
            model,
            words.get(code, "tags"),
            (page, lang),
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
