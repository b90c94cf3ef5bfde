//! Tags: which pages carry each tag of their front matter. Each tag gets a
//! page at `tags/SLUG.html` listing them, and `tags/index.html` lists the
//! tags; the pipeline renders both (see `crate::pipeline::listings`).

use std::collections::{BTreeMap, HashMap};

use super::Content;
use crate::report::diagnostic::Diagnostic;
use crate::text::paths::slugify;

/// The output path of the tags index.
pub const INDEX: &str = "tags/index.html";

/// One tag and the pages carrying it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// As the first page carrying it (in reading order) spells it.
    pub name: String,
    /// Its page's file name, without `.html`.
    pub slug: String,
    /// Page indices, in reading order.
    pub pages: Vec<usize>,
    /// The language of its pages: each language has its own tag pages.
    pub lang: usize,
    /// That language's folder (`""` or `fr/`).
    pub prefix: String,
}

impl Tag {
    /// Its page, under the output folder (`tags/rust.html`, `fr/tags/rust.html`).
    pub fn output(&self) -> String {
        format!("{}{}", self.prefix, output(&self.slug))
    }
}

/// The output path of the tags index of the language whose folder is `prefix`.
pub fn index_of(prefix: &str) -> String {
    format!("{prefix}{INDEX}")
}

/// The output path of the page of the tag with slug `slug`.
pub fn output(slug: &str) -> String {
    format!("tags/{slug}.html")
}

/// The slug of `name`, as heading ids are made (`Event loop` ->
/// `event-loop`); `None` when it has no letter or digit to name a file by,
/// or it would be the tags index.
pub fn slug(name: &str) -> Option<String> {
    if !name.chars().any(char::is_alphanumeric) {
        return None;
    }
    Some(slugify(name)).filter(|s| s != "index")
}

/// Every tag of `content` by slug, pages in reading order (`order`). Two
/// spellings of one slug, a tag without a slug, and a tag page written
/// over a content page are errors.
pub fn collect(content: &Content, order: &[usize]) -> (Vec<Tag>, Vec<Diagnostic>) {
    let mut tags: BTreeMap<(usize, String), Tag> = BTreeMap::new();
    let mut diags = Vec::new();
    for &i in order {
        let page = &content.pages[i];
        // A stand-in's tags are its original's, which reports their errors.
        let mut diags_of_page = Vec::new();
        let diags = if page.fallback {
            &mut diags_of_page
        } else {
            &mut diags
        };
        for name in &page.meta.tags {
            let Some(slug) = slug(name) else {
                diags.push(
                    at_tag(content, i, name, format!("tag `{name}` cannot name a page")).with_help(
                        "tags need a letter or digit, and `index` is the tags index's own name",
                    ),
                );
                continue;
            };
            let prefix = content
                .langs
                .get(page.lang)
                .map_or(String::new(), |l| l.prefix.clone());
            let tag = tags
                .entry((page.lang, slug.clone()))
                .or_insert_with(|| Tag {
                    name: name.clone(),
                    slug,
                    pages: Vec::new(),
                    lang: page.lang,
                    prefix,
                });
            if tag.name != *name {
                let first = &content.pages[tag.pages.first().copied().unwrap_or(i)];
                let msg = format!(
                    "tags `{}` ({}) and `{name}` would both be written to {}",
                    tag.name,
                    first.shown.display(),
                    tag.output()
                );
                diags.push(
                    at_tag(content, i, name, msg)
                        .with_help(format!("spell the tag `{}` on every page", tag.name)),
                );
                continue;
            }
            if tag.pages.last() != Some(&i) {
                tag.pages.push(i);
            }
        }
    }
    let tags: Vec<Tag> = tags.into_values().collect();
    diags.extend(clashes_with_pages(content, &tags));
    (tags, diags)
}

/// Tag pages must not be written over a content page's output.
fn clashes_with_pages(content: &Content, tags: &[Tag]) -> Vec<Diagnostic> {
    if tags.is_empty() {
        return Vec::new();
    }
    let outputs: HashMap<&str, usize> = content
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.output.as_str(), i))
        .collect();
    let mut diags = Vec::new();
    let mut langs: Vec<&str> = tags.iter().map(|t| t.prefix.as_str()).collect();
    langs.dedup();
    let index = langs
        .into_iter()
        .map(|p| (index_of(p), "the tags index".to_string(), None));
    let pages = tags
        .iter()
        .map(|t| (t.output(), format!("the page of tag `{}`", t.name), Some(t)));
    for (output, what, tag) in index.chain(pages) {
        let Some(&i) = outputs.get(output.as_str()) else {
            continue;
        };
        let page = &content.pages[i];
        let mut d = Diagnostic::error(format!(
            "{} and {what} would both be written to {output}",
            page.shown.display()
        ))
        .with_help("rename the file, or its folder: tags/ holds the tag pages");
        if let Some(t) = tag {
            let tagged = &content.pages[t.pages[0]];
            d = d.with_note(format!(
                "`{}` is a tag of {}",
                t.name,
                tagged.shown.display()
            ));
        }
        diags.push(match page.with_text() {
            Ok(p) => d.at(&p.shown, &p.text, 0..0),
            Err(_) => d,
        });
    }
    diags
}

/// An error about tag `name` of page `i`, at the tag in its front matter.
fn at_tag(content: &Content, i: usize, name: &str, message: String) -> Diagnostic {
    let d = Diagnostic::error(message);
    let Ok(page) = content.pages[i].with_text() else {
        return d;
    };
    let front = &page.text[..page.body.start.min(page.text.len())];
    let span = front
        .find(&format!("\"{name}\""))
        .map(|at| at + 1..at + 1 + name.len())
        .or_else(|| front.find(name).map(|at| at..at + name.len()))
        .unwrap_or(0..0);
    d.at(&page.shown, &page.text, span)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("Event loop").as_deref(), Some("event-loop"));
        assert_eq!(slug("node.js").as_deref(), Some("nodejs"));
        assert_eq!(slug("pep 703").as_deref(), Some("pep-703"));
        assert_eq!(slug("C++").as_deref(), Some("c"));
        assert_eq!(slug("!!"), None);
        assert_eq!(slug(""), None);
        assert_eq!(slug("Index"), None);
    }
}
