//! What a [`Session`] keeps, as others may read it, and how it takes in a
//! page edited on disk ([`Session::reload_page`]) and answers which pages
//! an edit reaches ([`Session::pages_reading`], from the dependency graph).

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use super::{Body, Session};
use crate::config::Config;
use crate::content::{Content, front_matter, output_path};
use crate::data::Store;
use crate::deps::{Graph, Input};
use crate::markdown::{self, Outline};
use crate::record::PageRecord;
use crate::render::Renderer;
use crate::report::diagnostic::Diagnostic;
use crate::report::error::{Error, Result};

/// How far a page edit reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reload {
    /// Nothing changed.
    Same,
    /// Only its own output.
    Body,
    /// Its heading ids: pages linking to it are checked again.
    Headings,
    /// Its tags: the tag pages are written again (and, as its heading ids
    /// may have changed too, pages linking to it are checked again).
    Tags,
    /// What other pages show of it (its link: title, description, date).
    Nav,
    /// Its place in the site (weight, draft, template, output path):
    /// build everything.
    Structure,
}

impl Session {
    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn content(&self) -> &Content {
        &self.content
    }

    pub fn outlines(&self) -> &[Outline] {
        &self.outlines
    }

    /// Per page: what its body left for `check`.
    pub fn bodies(&self) -> &[Body] {
        &self.bodies
    }

    /// What each page read in its last render.
    pub fn graph(&self) -> &Graph {
        &self.graph
    }

    /// The results files published beside the pages by the last render
    /// (paths under content/, which are their output paths).
    pub fn published(&self) -> &BTreeSet<String> {
        &self.published
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn renderer(&self) -> &Arc<Renderer> {
        &self.renderer
    }

    /// What each rendered page left for the site-wide files.
    pub fn records(&self) -> impl Iterator<Item = &Arc<PageRecord>> {
        self.records.iter().flatten()
    }

    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// The warnings page `i`'s last render gave.
    pub fn page_warnings(&self, i: usize) -> &[Diagnostic] {
        &self.page_warnings[i]
    }

    /// Takes the warnings an earlier build gave page `i`, which this build
    /// does not render again.
    pub fn restore_warnings(&mut self, i: usize, warnings: Vec<Diagnostic>) {
        self.warnings.extend(warnings.iter().cloned());
        self.page_warnings[i] = warnings;
    }

    /// The pages whose output may change when `inputs` change.
    pub fn pages_reading(&self, inputs: &[Input]) -> BTreeSet<usize> {
        self.graph.affected(inputs)
    }

    /// Data files changed on disk: the next render reads them again.
    pub fn forget_data(&mut self) {
        self.store.clear();
    }

    pub fn theme(&self) -> &crate::render::theme::Theme {
        &self.theme
    }

    /// The checksum of the theme's words in each language the pages are
    /// written in, by its code (for the build cache).
    pub fn words_sums(&self) -> std::collections::BTreeMap<String, u64> {
        let words = self.renderer.words();
        self.language_codes()
            .into_iter()
            .map(|code| (code.to_string(), words.sum(code)))
            .collect()
    }

    /// The code of each language of the site, by its index (the default
    /// first): `language` in versus.toml on a site of one.
    pub fn language_codes(&self) -> Vec<&str> {
        match self.content.langs.as_slice() {
            [] => vec![self.config.language.as_str()],
            langs => langs.iter().map(|l| l.code.as_str()).collect(),
        }
    }

    /// The theme's words, every language.
    pub fn words(&self) -> &crate::render::words::Words {
        self.renderer.words()
    }

    /// Page `i`'s place in reading order.
    pub fn position(&self, i: usize) -> usize {
        self.positions[i]
    }

    /// Each page's record (`None` for a page not rendered), in page order.
    pub fn records_by_page(&self) -> &[Option<Arc<PageRecord>>] {
        &self.records
    }

    /// What other pages show of page `i`: its link, as every listing,
    /// breadcrumb and sidebar builds it.
    pub fn shown_elsewhere(&self, i: usize) -> String {
        serde_json::to_string(&self.model().link(i, i)).unwrap_or_default()
    }

    /// Reads page `i` again from disk and takes in its new text, front
    /// matter and outline, unless its place in the site changed
    /// ([`Reload::Structure`]: the session is left as it was).
    pub fn reload_page(&mut self, i: usize) -> Result<Reload> {
        let page = &self.content.pages[i];
        let path = self.content_dir.join(&page.rel);
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
        let text: Arc<str> = Arc::from(crate::source::text_of(
            &page.shown,
            bytes,
            "Markdown pages",
        )?);
        if text == page.text {
            return Ok(Reload::Same);
        }
        let split = front_matter::split(&page.shown, &text)?;
        let (old, new) = (&page.meta, &split.front_matter);
        if old.weight != new.weight
            || old.draft != new.draft
            || old.template != new.template
            || old.aliases != new.aliases
            || self
                .content
                .langs
                .get(page.lang)
                .map(|l| l.prefix.as_str())
                .unwrap_or_default()
                .to_string()
                + &output_path(&page.key)
                != page.output
        {
            return Ok(Reload::Structure);
        }
        let tags_changed = old.tags != new.tags;
        let shown_before = self.shown_elsewhere(i);
        let page = &mut self.content.pages[i];
        page.text = text;
        page.body = split.body;
        page.meta = split.front_matter;
        page.updated = page.updated_by(&self.repo.dates);
        let outline = markdown::outline(page, self.md_options);
        let old_outline = std::mem::replace(&mut self.outlines[i], outline);
        if tags_changed {
            self.collect_tags()?;
        }
        if self.shown_elsewhere(i) != shown_before {
            return Ok(Reload::Nav);
        }
        if tags_changed {
            return Ok(Reload::Tags);
        }
        if old_outline.ids != self.outlines[i].ids {
            return Ok(Reload::Headings);
        }
        Ok(Reload::Body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::Options;

    const PAGE: &str = "+++\ntitle = \"A\"\ndescription = \"d\"\ndate = 2026-01-02\nweight = 1\ntags = [\"x\"]\n+++\n## One\n\ntext\n";

    /// How far each edit of `a.md` (from [`PAGE`]) reaches.
    #[test]
    fn page_edits_reach_as_far_as_what_they_change() {
        let table: &[(&str, Reload)] = &[
            (PAGE, Reload::Same),
            (&PAGE.replace("text", "more text"), Reload::Body),
            (
                &PAGE.replace("tags = [\"x\"]", "tags = [\"y\"]"),
                Reload::Tags,
            ),
            (
                &PAGE.replace("tags = [\"x\"]", "tags = [\"x\", \"z\"]"),
                Reload::Tags,
            ),
            (
                &PAGE
                    .replace("tags = [\"x\"]", "tags = [\"y\"]")
                    .replace("\"A\"", "\"C\""),
                Reload::Nav,
            ),
            (&PAGE.replace("## One", "## Two"), Reload::Headings),
            (&PAGE.replace("title = \"A\"", "title = \"B\""), Reload::Nav),
            (&PAGE.replace("\"d\"", "\"e\""), Reload::Nav),
            (&PAGE.replace("01-02", "01-03"), Reload::Nav),
            (
                &PAGE
                    .replace("title = \"A\"\n", "")
                    .replace("## One", "# H1"),
                Reload::Nav,
            ),
            (&PAGE.replace("weight = 1", "weight = 2"), Reload::Structure),
            (
                &PAGE.replace("weight = 1", "draft = true"),
                Reload::Structure,
            ),
        ];
        for (text, want) in table {
            let dir = tempfile::tempdir().expect("temp dir");
            let content = dir.path().join("content");
            std::fs::create_dir_all(&content).expect("content/");
            std::fs::write(dir.path().join("versus.toml"), "title = \"T\"\n").expect("config");
            std::fs::write(content.join("_index.md"), "+++\ntitle = \"Home\"\n+++\n")
                .expect("home");
            std::fs::write(content.join("a.md"), PAGE).expect("page");
            let opts = Options::new(dir.path());
            let (mut session, _) =
                Session::load(&opts, Arc::default(), false).expect("the site loads");
            let i = session.content().page_by_rel("a.md").expect("a.md");
            std::fs::write(content.join("a.md"), text).expect("edit");
            let got = session.reload_page(i).expect("reload");
            assert_eq!(got, *want, "after the edit to\n{text}");
        }
    }
}
