//! `print.html`: the whole site on one page, in reading order, for reading
//! offline and printing. Each page's body becomes a section whose id comes
//! from the page's output path; every id in a body is prefixed with that
//! page id (`speed--io`), and every link to a page or heading of the site is
//! rewritten to point inside print.html. Links to other files (images,
//! downloads) are rewritten relative to the output root, where print.html is.
//!
//! Each page is written once: in print.html, the whole book, or above
//! `[print] split_above_mb` in one volume per top-level section, with
//! print.html an index of them (see `write`).
//!
//! The bodies come from the project's Markdown renderer, so their HTML is
//! regular: this is a small tag scanner, not a general HTML parser.
//!
//! The file is streamed: the template is rendered once with a short marker
//! in place of each body, and the bodies are rewritten a batch at a time and
//! written where their markers were. A 10,000-page site never holds its
//! whole print.html (hundreds of megabytes) in memory.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::site::RenderedSite;
use crate::output::Staging;
use crate::record::PageRecord;
use crate::report::diagnostic::Diagnostic;
use crate::report::error::{IoContext, Result};
use crate::text::html::scan;
use crate::text::{escape, paths};

/// The file name at the output root, and the theme template rendering it.
pub const FILE: &str = "print.html";

#[derive(Serialize)]
struct PrintPage<'a> {
    /// The section's id (`speed`, `guide-io`).
    id: &'a str,
    title: &'a str,
    description: Option<&'a str>,
    date: Option<&'a str>,
    /// Output path of the page.
    path: &'a str,
    /// The body, ids and links rewritten.
    content: String,
}

/// Stands for page `i`'s body in the rendered template: private-use
/// characters, which no escaping touches and no page text contains.
const MARK_OPEN: char = '\u{F8F0}';
const MARK_CLOSE: char = '\u{F8F1}';

/// Bodies rewritten at once (in parallel) before they are written.
const BATCH: usize = 64;

/// The folder of the volumes of a split book.
pub const DIR: &str = "print";

/// One file of a split book: the pages of one top-level section.
#[derive(Serialize)]
struct Volume {
    /// Path from the output root (`print/guide.html`).
    path: String,
    title: String,
    pages: usize,
}

/// Writes the book through the theme's `print.html` template (nothing
/// when the theme has none), each page once. Up to `[print]
/// split_above_mb` of page bodies, print.html is the whole book, and a
/// top-level section's volume file (`print/SECTION.html`, which its page
/// links to) is a few hundred bytes sending the reader to the section's
/// place in it. Above, the volumes hold the pages, one per top-level
/// section, and print.html is an index of them. A template error comes
/// back as a diagnostic.
pub fn write(site: &RenderedSite<'_>, staging: &Staging) -> Result<Option<Diagnostic>> {
    if !site.renderer.has_template(FILE) {
        return Ok(None);
    }
    let mut book = Book::new(site.records, site.prefix).at(Path::new(FILE))?;
    let (groups, volumes) = Book::volumes(site.records, site.prefix);
    let size: usize = site.records.iter().map(|r| r.body.len()).sum();
    if size as f64 <= site.config.print.split_above_mb * 1_000_000.0 {
        return write_whole(site, staging, &book, &groups, &volumes);
    }
    book.split(&groups, &volumes);
    for (pages, volume) in groups.iter().zip(&volumes) {
        if let Some(d) = write_volume(site, staging, &book, pages, &volume.path, &volumes)? {
            return Ok(Some(d));
        }
    }
    write_volume(
        site,
        staging,
        &book,
        &[],
        &format!("{}{FILE}", site.prefix),
        &volumes,
    )
}

/// print.html with every page, and a pointer into it at the volume file
/// of each top-level section. The pages at the top level get none: no
/// page links to their volume.
fn write_whole(
    site: &RenderedSite<'_>,
    staging: &Staging,
    book: &Book<'_>,
    groups: &[Vec<usize>],
    volumes: &[Volume],
) -> Result<Option<Diagnostic>> {
    let all: Vec<usize> = (0..site.records.len()).collect();
    let file = format!("{}{FILE}", site.prefix);
    if let Some(d) = write_volume(site, staging, book, &all, &file, &[])? {
        return Ok(Some(d));
    }
    for (pages, volume) in groups.iter().zip(volumes) {
        let Some(&first) = pages.first() else {
            continue;
        };
        if paths::print_key(book.unprefixed(first)) == "/" {
            continue;
        }
        let target = format!("../{FILE}#{}", book.page_ids[first]);
        let lang = site.code();
        let said = site.renderer.words().get(lang, "print_in_book");
        let html = pointer(lang, said, &volume.title, &target);
        staging.write(&volume.path, html.as_bytes())?;
    }
    Ok(None)
}

/// A volume file of a whole book: it sends the reader on to `target`, the
/// volume's first page in print.html, at once (an HTML redirect, as a
/// static host serves no other kind), with a link for a browser that does
/// not follow it. `said` is what the page says before the link, in the
/// site's language.
fn pointer(language: &str, said: &str, title: &str, target: &str) -> String {
    let (language, said, title, target) = (
        escape::html(language),
        escape::html(said),
        escape::html(title),
        escape::html(target),
    );
    format!(
        "<!DOCTYPE html>\n<html lang=\"{language}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<meta name=\"robots\" content=\"noindex\">\n\
         <meta name=\"color-scheme\" content=\"light dark\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={target}\">\n</head>\n<body>\n\
         <main>\n<h1>{title}</h1>\n<p>{said} \
         <a href=\"{target}\">{title}</a>.</p>\n</main>\n</body>\n</html>\n"
    )
}

/// Writes the pages `numbers` (in reading order) to `file`; with
/// `volumes`, the template also gets the list of volumes.
fn write_volume(
    site: &RenderedSite<'_>,
    staging: &Staging,
    book: &Book<'_>,
    numbers: &[usize],
    file: &str,
    volumes: &[Volume],
) -> Result<Option<Diagnostic>> {
    let pages: Vec<PrintPage<'_>> = numbers
        .iter()
        .map(|&i| (&site.records[i], i))
        .map(|(r, i)| PrintPage {
            id: &book.page_ids[i],
            title: &r.title,
            description: r.description.as_deref(),
            date: r.date.as_deref().and_then(|d| d.get(..10)),
            path: &r.output,
            content: format!("{MARK_OPEN}{i}{MARK_CLOSE}"),
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("root", &crate::text::paths::root_prefix(file));
    ctx.insert("pages", &pages);
    ctx.insert("volumes", volumes);
    if let Some(lang) = &site.lang_view {
        ctx.insert("lang", lang);
    }
    if let Some(view) = &site.site {
        ctx.insert("site", view);
    }
    site.renderer.words().insert_into(&mut ctx, site.code());
    let frame = match site.renderer.render(FILE, &ctx, Path::new(FILE)) {
        Ok(html) => html,
        Err(d) => return Ok(Some(d)),
    };
    drop(pages);
    // A build that updates the output leaves the file as it is when
    // everything it is made of is as the last build had it.
    let inputs = book.inputs(&frame, numbers).at(Path::new(file))?;
    if staging.keep_same_inputs(file, inputs) {
        return Ok(None);
    }
    staging.write_with(file, |w| book.fill(&frame, w))?;
    Ok(None)
}

/// Ids of every page and of every element in the bodies, made unique
/// across the whole of print.html.
struct Book<'a> {
    records: &'a [Arc<PageRecord>],
    page_ids: Vec<String>,
    /// Per page: the ids of its body that could not become `PAGE--ID`
    /// (taken by another page), and what they became. On a large site
    /// this is nearly empty, where a map of every id would hold millions.
    renamed: Vec<HashMap<String, String>>,
    /// Output path -> page number.
    by_path: HashMap<&'a str, usize>,
    /// When split: each page's volume file, relative to `print/`.
    volume_of: Vec<std::sync::Arc<str>>,
    /// The folder of the book's language (`""` or `fr/`).
    prefix: &'a str,
    /// [`Book::structure`], once the book is split (or not).
    structure: std::sync::OnceLock<u64>,
}

impl<'a> Book<'a> {
    fn new(records: &'a [Arc<PageRecord>], prefix: &'a str) -> std::io::Result<Self> {
        let mut used = Used::default();
        // Reserved by the template.
        used.insert("main");
        used.insert("contents");
        let page_ids: Vec<String> = records
            .iter()
            .map(|r| used.unique(page_id(&r.output)))
            .collect();
        // Ids of each body in document order (found when the page was
        // rendered), made unique in reading order.
        let renamed = records
            .iter()
            .zip(&page_ids)
            .map(|(r, pid)| {
                let mut seen = HashSet::new();
                let mut renamed = HashMap::new();
                for id in r.ids()? {
                    if !seen.insert(id.clone()) {
                        continue;
                    }
                    let wanted = format!("{pid}--{id}");
                    let given = used.unique(wanted.clone());
                    if given != wanted {
                        renamed.insert(id, given);
                    }
                }
                Ok(renamed)
            })
            .collect::<std::io::Result<_>>()?;
        let by_path = records
            .iter()
            .enumerate()
            .map(|(i, r)| (r.output.as_str(), i))
            .collect();
        Ok(Self {
            records,
            page_ids,
            renamed,
            by_path,
            volume_of: Vec::new(),
            prefix,
            structure: std::sync::OnceLock::new(),
        })
    }

    /// Page `i`'s output path within its language's folder.
    fn unprefixed(&self, i: usize) -> &str {
        let output = &self.records[i].output;
        output.strip_prefix(self.prefix).unwrap_or(output)
    }

    /// The book's volumes, one per top-level section, in the order they
    /// come in; the pages at the top level make one more,
    /// `print/index.html`. Each holds its pages in reading order.
    fn volumes(records: &[Arc<PageRecord>], prefix: &str) -> (Vec<Vec<usize>>, Vec<Volume>) {
        let mut groups: Vec<(&str, Vec<usize>)> = Vec::new();
        let mut by_key: HashMap<&str, usize> = HashMap::new();
        for (i, r) in records.iter().enumerate() {
            let key = paths::print_key(r.output.strip_prefix(prefix).unwrap_or(&r.output));
            let g = *by_key.entry(key).or_insert_with(|| {
                groups.push((key, Vec::new()));
                groups.len() - 1
            });
            groups[g].1.push(i);
        }
        let files = paths::print_volumes(groups.iter().map(|(key, _)| *key));
        let volumes = groups
            .iter()
            .zip(files)
            .map(|((key, pages), file)| {
                let (name, index) = match *key {
                    "/" => ("index".to_string(), format!("{prefix}index.html")),
                    dir => (dir.to_string(), format!("{prefix}{dir}/index.html")),
                };
                // The section's own page gives the volume its title.
                let title = pages
                    .iter()
                    .map(|&i| &records[i])
                    .find(|r| r.output == index)
                    .map_or(name, |r| r.title.clone());
                Volume {
                    path: format!("{prefix}{DIR}/{file}"),
                    title,
                    pages: pages.len(),
                }
            })
            .collect();
        (groups.into_iter().map(|(_, p)| p).collect(), volumes)
    }

    /// Splits the book into `volumes`: links between pages of two volumes
    /// go from file to file.
    fn split(&mut self, groups: &[Vec<usize>], volumes: &[Volume]) {
        self.volume_of = vec![Arc::from(""); self.records.len()];
        for (pages, volume) in groups.iter().zip(volumes) {
            let file = volume
                .path
                .strip_prefix(&format!("{}{DIR}/", self.prefix)[..]);
            let file: Arc<str> = Arc::from(file.unwrap_or(&volume.path));
            for &i in pages {
                self.volume_of[i] = Arc::clone(&file);
            }
        }
    }

    /// A link to page `to` (at `fragment`, a print.html id) from page
    /// `from`: within the file, or to the volume holding it.
    fn link(&self, from: usize, to: usize, fragment: &str) -> String {
        match (self.volume_of.get(from), self.volume_of.get(to)) {
            (Some(a), Some(b)) if a != b => format!("{b}#{fragment}"),
            _ => format!("#{fragment}"),
        }
    }

    /// The checksum of everything a file of the book holding the pages
    /// `numbers` in `frame` is made of: the frame (the template's output,
    /// with each page's title, date and place), those pages' bodies, and
    /// what rewriting them reads of the whole book (every page's path, id,
    /// renamed ids and volume).
    fn inputs(&self, frame: &str, numbers: &[usize]) -> std::io::Result<u64> {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        let mut field = |bytes: &[u8]| {
            h.update(&(bytes.len() as u64).to_le_bytes());
            h.update(bytes);
        };
        field(&self.structure().to_le_bytes());
        field(frame.as_bytes());
        for &i in numbers {
            field(&(i as u64).to_le_bytes());
            field(&self.records[i].body.sum()?.to_le_bytes());
        }
        Ok(h.digest())
    }

    /// The checksum of what rewriting any body reads of the whole book.
    fn structure(&self) -> u64 {
        *self.structure.get_or_init(|| {
            let mut h = xxhash_rust::xxh3::Xxh3::new();
            let mut field = |bytes: &[u8]| {
                h.update(&(bytes.len() as u64).to_le_bytes());
                h.update(bytes);
            };
            field(self.prefix.as_bytes());
            for (i, r) in self.records.iter().enumerate() {
                field(r.output.as_bytes());
                field(self.page_ids[i].as_bytes());
                field(self.volume_of.get(i).map_or(&b""[..], |v| v.as_bytes()));
                let mut renamed: Vec<(&String, &String)> = self.renamed[i].iter().collect();
                renamed.sort();
                field(&(renamed.len() as u64).to_le_bytes());
                for (from, to) in renamed {
                    field(from.as_bytes());
                    field(to.as_bytes());
                }
            }
            h.digest()
        })
    }

    /// Writes `frame` with each body marker replaced by that page's
    /// rewritten body. Bodies are rewritten a batch at a time, in parallel.
    fn fill(&self, frame: &str, w: &mut dyn Write) -> std::io::Result<()> {
        // (text before the marker, page of the marker); then the tail.
        let mut parts: Vec<(&str, usize)> = Vec::with_capacity(self.records.len());
        let mut rest = frame;
        while let Some(open) = rest.find(MARK_OPEN) {
            let after = &rest[open + MARK_OPEN.len_utf8()..];
            let Some(close) = after.find(MARK_CLOSE) else {
                break;
            };
            match after[..close].parse::<usize>() {
                Ok(page) if page < self.records.len() => parts.push((&rest[..open], page)),
                _ => break,
            }
            rest = &after[close + MARK_CLOSE.len_utf8()..];
        }
        for batch in parts.chunks(BATCH) {
            let bodies: Vec<String> = batch
                .par_iter()
                .map(|&(_, page)| Ok(self.rewrite(page, &self.records[page].body.text()?)))
                .collect::<std::io::Result<_>>()?;
            for ((before, _), body) in batch.iter().zip(bodies) {
                w.write_all(before.as_bytes())?;
                w.write_all(body.as_bytes())?;
            }
        }
        w.write_all(rest.as_bytes())
    }

    /// The print.html id of the element `id` of page `page`.
    fn id(&self, page: usize, id: &str) -> String {
        match self.renamed[page].get(id) {
            Some(new) => new.clone(),
            // Also a reference to an id the page lacks: kept page-local.
            None => format!("{}--{id}", self.page_ids[page]),
        }
    }

    /// Page `page`'s body with ids and links rewritten.
    fn rewrite(&self, page: usize, html: &str) -> String {
        scan(html, |_, attr, value| match attr {
            "id" => Some(self.id(page, value)),
            "for"
            | "headers"
            | "list"
            | "form"
            | "aria-labelledby"
            | "aria-describedby"
            | "aria-controls"
            | "aria-owns"
            | "aria-details"
            | "aria-flowto"
            | "aria-activedescendant"
            | "aria-errormessage" => Some(
                value
                    .split_ascii_whitespace()
                    .map(|id| self.id(page, id))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            "href" | "src" | "xlink:href" | "poster" => self.url(page, value),
            "srcset" => Some(
                value
                    .split(',')
                    .map(|item| {
                        let item = item.trim();
                        let (url, rest) = item.split_once(' ').unwrap_or((item, ""));
                        let url = self.url(page, url).unwrap_or_else(|| url.to_string());
                        if rest.is_empty() {
                            url
                        } else {
                            format!("{url} {rest}")
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            _ if value.contains("url(#") => Some(self.css_urls(page, value)),
            _ => None,
        })
    }

    /// A URL as seen from print.html; `None` when it stays as it is.
    fn url(&self, page: usize, url: &str) -> Option<String> {
        if url.is_empty() || paths::is_external(url) || url.starts_with('/') {
            return None;
        }
        if let Some(frag) = url.strip_prefix('#') {
            return Some(if frag.is_empty() {
                format!("#{}", self.page_ids[page])
            } else {
                format!("#{}", self.id(page, &paths::percent_decode(frag)))
            });
        }
        let (before_frag, frag) = match url.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (url, None),
        };
        let (path, query) = match before_frag.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (before_frag, None),
        };
        let from = &self.records[page].output;
        let dir = from.rsplit_once('/').map_or("", |(d, _)| d);
        let resolved = paths::join(dir, path)?;
        let decoded = paths::percent_decode(&resolved);
        let target = self.by_path.get(decoded.as_str()).copied().or_else(|| {
            let index = if decoded.is_empty() {
                "index.html".to_string()
            } else {
                format!("{decoded}/index.html")
            };
            self.by_path.get(index.as_str()).copied()
        });
        if let Some(t) = target.filter(|_| query.is_none()) {
            return Some(match frag.filter(|f| !f.is_empty()) {
                Some(f) => self.link(page, t, &self.id(t, &paths::percent_decode(f))),
                None => self.link(page, t, &self.page_ids[t]),
            });
        }
        // Another file of the site: relative to the output root, where
        // print.html is (volumes are one folder down).
        let up = "../".repeat(self.prefix.matches('/').count());
        let mut out = if self.volume_of.is_empty() {
            format!("{up}{resolved}")
        } else {
            format!("../{up}{resolved}")
        };
        if let Some(q) = query {
            out.push('?');
            out.push_str(q);
        }
        if let Some(f) = frag {
            out.push('#');
            out.push_str(f);
        }
        (out != url).then_some(out)
    }

    /// `url(#id)` references inside an attribute (SVG paint, CSS).
    fn css_urls(&self, page: usize, value: &str) -> String {
        let mut out = String::with_capacity(value.len() + 16);
        let mut rest = value;
        while let Some(i) = rest.find("url(#") {
            out.push_str(&rest[..i + 5]);
            rest = &rest[i + 5..];
            let end = rest.find(')').unwrap_or(rest.len());
            out.push_str(&self.id(page, &rest[..end]));
            rest = &rest[end..];
        }
        out.push_str(rest);
        out
    }
}

/// A section id from an output path: `speed.html` -> `speed`,
/// `guide/io.html` -> `guide-io`, `guide/index.html` -> `guide`.
fn page_id(output: &str) -> String {
    let stem = output.strip_suffix(".html").unwrap_or(output);
    let stem = match stem.strip_suffix("/index") {
        Some(dir) => dir,
        None => stem,
    };
    stem.chars()
        .map(|c| {
            if c == '/' || c.is_whitespace() {
                '-'
            } else {
                c
            }
        })
        .collect()
}

/// The ids given so far, as 64-bit hashes: a million ids take 16 MB
/// instead of a hundred. Two ids sharing a hash make the second one look
/// taken, so it gets a suffix it did not need; ids stay unique either way.
#[derive(Default)]
struct Used(HashSet<u64>);

impl Used {
    fn hash(id: &str) -> u64 {
        ahash::RandomState::with_seeds(0x7072, 0x696e, 0x7469, 0x6473).hash_one(id)
    }

    /// Marks `id` as taken; false if it was.
    fn insert(&mut self, id: &str) -> bool {
        self.0.insert(Self::hash(id))
    }

    /// `base`, or `base-2`, `base-3`... whichever is still free.
    fn unique(&mut self, base: String) -> String {
        if self.insert(&base) {
            return base;
        }
        (2..)
            .map(|n| format!("{base}-{n}"))
            .find(|c| self.insert(c))
            .unwrap_or(base)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(output: &str, body: &str) -> Arc<PageRecord> {
        Arc::new(PageRecord::for_test(output, output, &[], body))
    }

    #[test]
    fn page_ids_come_from_paths_and_are_unique() {
        assert_eq!(page_id("index.html"), "index");
        assert_eq!(page_id("guide/index.html"), "guide");
        assert_eq!(page_id("guide/io.html"), "guide-io");
        let records = [record("a-b.html", ""), record("a/b.html", "")];
        let book = Book::new(&records, "").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(book.page_ids, ["a-b", "a-b-2"]);
    }

    #[test]
    fn ids_and_links_point_inside_print_html() {
        let records = [
            record(
                "index.html",
                "<h2 id=\"top\">Top <a class=\"anchor\" href=\"#top\">#</a></h2>\
                 <p><a href=\"guide/io.html#files\">files</a> <a href=\"guide/io.html\">io</a> \
                 <a href=\"https://x.org/a.html\">ext</a> <img src=\"img/a.png\" alt=\"\"></p>",
            ),
            record(
                "guide/io.html",
                "<h2 id=\"files\">Files</h2><p><a href=\"../index.html#top\">home</a> \
                 <a href=\"../index.html\">home</a> <a href=\"#files\">self</a> \
                 <a href=\"data/x.csv?raw=1#l2\">csv</a> <a href='#nope'>x</a></p>\
                 <div role=\"region\" aria-labelledby=\"cap other\"><table><caption id=\"cap\">c</caption></table></div>\
                 <!-- <a href=\"#files\"> --><pre><code>&lt;a href=\"#files\"&gt;</code></pre>\
                 <svg><rect fill=\"url(#grad)\"/></svg>",
            ),
        ];
        let book = Book::new(&records, "").unwrap_or_else(|e| panic!("{e}"));
        let home = book.rewrite(0, &records[0].body.text().unwrap_or_default());
        assert!(home.contains("<h2 id=\"index--top\">"), "{home}");
        assert!(home.contains("href=\"#index--top\""), "{home}");
        assert!(home.contains("href=\"#guide-io--files\">files"), "{home}");
        assert!(home.contains("href=\"#guide-io\">io"), "{home}");
        assert!(home.contains("href=\"https://x.org/a.html\""), "{home}");
        assert!(home.contains("src=\"img/a.png\""), "{home}");
        let io = book.rewrite(1, &records[1].body.text().unwrap_or_default());
        assert!(io.contains("<h2 id=\"guide-io--files\">"), "{io}");
        assert!(io.contains("href=\"#index--top\">home"), "{io}");
        assert!(io.contains("href=\"#index\">home"), "{io}");
        assert!(io.contains("href=\"#guide-io--files\">self"), "{io}");
        assert!(io.contains("href=\"guide/data/x.csv?raw=1#l2\""), "{io}");
        assert!(io.contains("href='#guide-io--nope'"), "{io}");
        assert!(
            io.contains("aria-labelledby=\"guide-io--cap guide-io--other\""),
            "{io}"
        );
        assert!(io.contains("<caption id=\"guide-io--cap\">"), "{io}");
        // Comments and text are left alone.
        assert!(io.contains("<!-- <a href=\"#files\"> -->"), "{io}");
        assert!(io.contains("&lt;a href=\"#files\"&gt;"), "{io}");
        assert!(io.contains("fill=\"url(#guide-io--grad)\""), "{io}");
    }

    #[test]
    fn duplicate_ids_across_pages_stay_unique() {
        let records = [
            record("a.html", "<h2 id=\"x\">A</h2>"),
            record("a/index.html", "<h2 id=\"x\">B</h2>"),
        ];
        let book = Book::new(&records, "").unwrap_or_else(|e| panic!("{e}"));
        // "a" and "a/index.html" both want the id `a`.
        assert_eq!(book.page_ids, ["a", "a-2"]);
        assert!(
            book.rewrite(1, &records[1].body.text().unwrap_or_default())
                .contains("id=\"a-2--x\"")
        );
    }
}
