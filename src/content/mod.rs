//! The content stage: walk `content/`, read every page, split its front
//! matter, and arrange pages into sections. The result, [`Content`], is the
//! model the later stages read; templates never see it directly. On a site
//! in several languages each language has its own tree of sections, and a
//! language without a page's translation gets a stand-in for it (or not:
//! `missing` in [crate::lang]).

pub mod aliases;
pub mod front_matter;
pub mod git;
pub mod nav;
pub mod tags;
pub mod walk;

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::report::diagnostic::Diagnostic;
use crate::text::paths::parent_dir;
use front_matter::FrontMatter;
pub use walk::{ContentFile, FileKind};

/// One Markdown page, or a section's own page (`_index.md`, or generated when
/// a folder has none).
#[derive(Debug, Clone)]
pub struct Page {
    /// Source path under `content/` (`guide/intro.md`); for a generated
    /// section page, the folder followed by `/` (empty for the root).
    pub rel: String,
    /// The path shown to the author in diagnostics (`content/guide/intro.md`).
    pub shown: PathBuf,
    /// The whole file; empty when the build left it on disk (`on_disk`).
    pub text: Arc<str>,
    /// Where the text is when a build does not keep it ([`Page::with_text`]
    /// reads it again): a 100,000-page site has a gigabyte of Markdown.
    pub on_disk: Option<OnDisk>,
    /// Byte range of the Markdown body within `text`.
    pub body: Range<usize>,
    pub meta: FrontMatter,
    /// Output path under the output folder (`guide/intro.html`).
    pub output: String,
    /// The section this page is listed in; for a section's own page, the
    /// section it introduces.
    pub section: usize,
    /// True for `_index.md` and generated section pages.
    pub is_section: bool,
    /// True when no `_index.md` exists and the page was made up.
    pub generated: bool,
    /// When the page last changed, as written: front matter `updated`,
    /// else the date of its file's last commit ([`git`]).
    pub updated: Option<String>,
    /// Its language: an index into [`Content::langs`] (0: the default).
    pub lang: usize,
    /// Its path with no language suffix (`speed.md` for `speed.fr.md`),
    /// the same for every translation of a page.
    pub key: String,
    /// True for a language's stand-in for a page not translated into it:
    /// the default language's page (`rel`, `text`), written under the
    /// language's folder.
    pub fallback: bool,
    /// What names the page in the build cache when `rel` does not (a
    /// stand-in or a generated section page of another language).
    pub id: Option<String>,
}

/// A page's file as it was read: read again, it must be the same.
#[derive(Debug, Clone)]
pub struct OnDisk {
    pub abs: PathBuf,
    /// Hash of the text as first read.
    hash: u64,
}

impl OnDisk {
    fn hash(text: &str) -> u64 {
        ahash::RandomState::with_seeds(0x7665, 0x7273, 0x7573, 0x2121).hash_one(text)
    }
}

impl Page {
    /// The name the build cache knows the page by: unique in the site.
    pub fn id(&self) -> &str {
        self.id.as_deref().unwrap_or(&self.rel)
    }

    /// When the page last changed: front matter `updated`, else the last
    /// commit of its file in `dates` (by path under `content/`).
    pub fn updated_by(&self, dates: &HashMap<String, String>) -> Option<String> {
        match &self.meta.updated {
            Some(d) => Some(d.0.clone()),
            None if self.generated => None,
            None => dates.get(&self.rel).cloned(),
        }
    }

    /// Checksum of the page's source as read (`None` for a generated
    /// section page).
    pub fn source_sum(&self) -> Option<u64> {
        match &self.on_disk {
            Some(d) => Some(d.hash),
            None if self.generated => None,
            None => Some(OnDisk::hash(&self.text)),
        }
    }

    /// The page with its whole text at hand: itself, or a copy with its
    /// text read again from disk. A file changed since the build began is
    /// an error (the build read the rest of the site as it was).
    pub fn with_text(&self) -> Result<std::borrow::Cow<'_, Page>, Diagnostic> {
        let Some(source) = &self.on_disk else {
            return Ok(std::borrow::Cow::Borrowed(self));
        };
        let text = crate::source::read_text(&self.shown, &source.abs, "Markdown pages")?;
        if OnDisk::hash(&text) != source.hash {
            return Err(Diagnostic::error(format!(
                "{} changed while the site was being built",
                self.shown.display()
            ))
            .with_help("build again"));
        }
        let mut page = self.clone();
        page.text = Arc::from(text);
        page.on_disk = None;
        Ok(std::borrow::Cow::Owned(page))
    }
}

/// A folder of content.
#[derive(Debug)]
pub struct Section {
    /// Folder under `content/` (`""` for the root, else `guide` or `guide/deep`).
    pub dir: String,
    /// The section's own page.
    pub index: usize,
    pub parent: Option<usize>,
    /// Pages and subsections in navigation order.
    pub children: Vec<Child>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Child {
    Page(usize),
    Section(usize),
}

/// Everything found under `content/`.
#[derive(Debug, Default)]
pub struct Content {
    pub pages: Vec<Page>,
    pub sections: Vec<Section>,
    /// Data files, by path under `content/`.
    pub data: Vec<ContentFile>,
    /// Files copied as they are.
    pub assets: Vec<ContentFile>,
    /// Page index by source path under `content/`.
    pub by_rel: HashMap<String, usize>,
    /// Drafts left out of this build.
    pub drafts: usize,
    /// The site's languages, the default first.
    pub langs: Vec<crate::lang::Lang>,
    /// Each language's root section, in the order of `langs`.
    pub roots: Vec<usize>,
    /// Page index by (language, path without language suffix).
    pub by_key: HashMap<(usize, String), usize>,
}

impl Content {
    /// Dates each page by its front matter `updated`, else by the last
    /// commit of its file in `dates` (by path under `content/`).
    pub fn date_pages(&mut self, dates: &HashMap<String, String>) {
        for page in &mut self.pages {
            page.updated = page.updated_by(dates);
        }
    }

    /// Reads and arranges the content. Diagnostics for broken pages are
    /// returned alongside whatever could be read. With `leave_on_disk`,
    /// page texts are not kept (see [`Page::on_disk`]).
    pub fn load(
        root: &Path,
        content_dir: &Path,
        (drafts, leave_on_disk): (bool, bool),
        setup: &crate::lang::Setup,
    ) -> (Self, Vec<Diagnostic>) {
        let (files, mut diags) = walk::walk(content_dir);
        let shown_base = content_dir
            .strip_prefix(root)
            .unwrap_or(content_dir)
            .to_path_buf();

        let mut md = Vec::new();
        let mut content = Content {
            langs: setup.langs.clone(),
            ..Content::default()
        };
        for file in files {
            match file.kind {
                FileKind::Page => md.push(file),
                FileKind::Data => content.data.push(file),
                FileKind::Asset => content.assets.push(file),
            }
        }

        type Loaded = (ContentFile, Arc<str>, front_matter::Split, Option<OnDisk>);
        type Lang = (String, usize);
        let read: Vec<Result<Option<(Loaded, Lang)>, Diagnostic>> = md
            .into_par_iter()
            .map(|file| {
                let read = read_page(&shown_base, file)?;
                let Some((file, text, split)) = read else {
                    return Ok(None);
                };
                let lang = language_of(&shown_base, &file.rel, &text, setup).map_err(|d| *d)?;
                if !leave_on_disk {
                    return Ok(Some(((file, text, split, None), lang)));
                }
                let source = OnDisk {
                    abs: file.abs.clone(),
                    hash: OnDisk::hash(&text),
                };
                Ok(Some(((file, Arc::from(""), split, Some(source)), lang)))
            })
            .collect();
        let mut parsed = Vec::new();
        for r in read {
            match r {
                Ok(Some(p)) => parsed.push(p),
                Ok(None) => {}
                Err(d) => diags.push(d),
            }
        }

        for ((file, text, split, on_disk), (key, lang)) in parsed {
            if split.front_matter.draft && !drafts {
                content.drafts += 1;
                continue;
            }
            // `_index.md` is a section's page; so is `index.md` (mdBook and
            // GitHub habits), unless both exist, which is reported as a clash.
            let name = key.rsplit('/').next().unwrap_or(&key);
            let is_section = name == "_index.md" || name == "index.md";
            let output = format!("{}{}", setup.langs[lang].prefix, output_path(&key));
            content.pages.push(Page {
                shown: shown_base.join(&file.rel),
                rel: file.rel,
                text,
                on_disk,
                body: split.body,
                meta: split.front_matter,
                output,
                section: 0,
                is_section,
                generated: false,
                updated: None,
                lang,
                key,
                fallback: false,
                id: None,
            });
        }
        if setup.missing == crate::lang::Missing::Fallback {
            content.add_fallbacks();
        }
        diags.extend(content.check_output_clashes());
        content.arrange(&shown_base);
        (content, diags)
    }

    /// For each language but the default, a stand-in for every default
    /// page not translated into it.
    fn add_fallbacks(&mut self) {
        let have: std::collections::HashSet<(usize, String)> =
            self.pages.iter().map(|p| (p.lang, p.key.clone())).collect();
        let mut extra = Vec::new();
        for (lang, l) in self.langs.iter().enumerate().skip(1) {
            for page in self.pages.iter().filter(|p| p.lang == 0) {
                if have.contains(&(lang, page.key.clone())) {
                    continue;
                }
                // The original's old addresses redirect to the original.
                let mut meta = page.meta.clone();
                meta.aliases = Vec::new();
                extra.push(Page {
                    output: format!("{}{}", l.prefix, page.output),
                    lang,
                    fallback: true,
                    id: Some(format!("{}{}", l.prefix, page.key)),
                    meta,
                    ..page.clone()
                });
            }
        }
        self.pages.extend(extra);
    }

    /// The page `page` stands for in language `lang` (itself when it is
    /// in it): its translation, or the language's stand-in for it.
    pub fn in_lang(&self, page: usize, lang: usize) -> Option<usize> {
        let p = &self.pages[page];
        if p.lang == lang {
            return Some(page);
        }
        self.by_key.get(&(lang, p.key.clone())).copied()
    }

    /// The language of a section's folder (`fr/guide`: French).
    fn lang_of_dir(&self, dir: &str) -> usize {
        let top = dir.split('/').next().unwrap_or("");
        self.langs
            .iter()
            .skip(1)
            .position(|l| l.code == top)
            .map_or(0, |i| i + 1)
    }

    /// Two sources must not write the same output file (`a.md` and `a/_index.md` do not clash:
    /// `a.html` and `a/index.html`; `index.md` and `_index.md` do).
    fn check_output_clashes(&mut self) -> Vec<Diagnostic> {
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut diags = Vec::new();
        let mut keep = Vec::new();
        for (i, page) in self.pages.iter().enumerate() {
            match seen.get(&page.output) {
                Some(&first) => diags.push(
                    Diagnostic::error(format!(
                        "{} and {} would both be written to {}",
                        self.pages[first].shown.display(),
                        page.shown.display(),
                        page.output
                    ))
                    .at(&page.shown, &page.text, 0..0)
                    .with_help("rename one of the two files"),
                ),
                None => {
                    seen.insert(page.output.clone(), i);
                    keep.push(i);
                }
            }
        }
        if !diags.is_empty() {
            let mut pages = std::mem::take(&mut self.pages)
                .into_iter()
                .map(Some)
                .collect::<Vec<_>>();
            self.pages = keep.into_iter().filter_map(|i| pages[i].take()).collect();
        }
        diags
    }

    /// Builds the section tree from the page paths; folders without an
    /// `_index.md` get a generated section page.
    fn arrange(&mut self, shown_base: &Path) {
        let mut dirs = section_dirs(&self.pages);
        for l in self.langs.iter().skip(1) {
            dirs.entry(l.prefix.trim_end_matches('/').to_string())
                .or_insert(None);
        }
        for (dir, index) in dirs.iter_mut() {
            if index.is_none() {
                let lang = self.lang_of_dir(dir);
                let page = generated_section_page(shown_base, dir, lang, &self.langs[lang]);
                self.pages.push(page);
                *index = Some(self.pages.len() - 1);
            }
        }
        let section_of: HashMap<String, usize> = dirs
            .keys()
            .enumerate()
            .map(|(i, d)| (d.clone(), i))
            .collect();
        self.sections = dirs
            .iter()
            .map(|(dir, index)| Section {
                dir: dir.clone(),
                index: index.unwrap_or_default(),
                parent: if dir.is_empty() || self.is_lang_root(dir) {
                    None
                } else {
                    section_of.get(parent_dir(dir)).copied()
                },
                children: Vec::new(),
            })
            .collect();
        self.place_pages(&section_of);
        for s in 1..self.sections.len() {
            if let Some(p) = self.sections[s].parent {
                self.sections[p].children.push(Child::Section(s));
            }
        }
        self.roots = self
            .langs
            .iter()
            .map(|l| {
                let dir = l.prefix.trim_end_matches('/');
                section_of.get(dir).copied().unwrap_or_default()
            })
            .collect();
        self.sort_children();
    }

    /// Whether `dir` is the folder of a language other than the default.
    fn is_lang_root(&self, dir: &str) -> bool {
        self.langs.iter().skip(1).any(|l| l.code == dir)
    }

    /// The root section of page `page`'s language.
    pub fn root_of(&self, page: usize) -> usize {
        self.roots
            .get(self.pages[page].lang)
            .copied()
            .unwrap_or_default()
    }

    /// Gives every page its section (`section_of` maps folders to sections),
    /// lists the pages that are not a section's own page among their
    /// section's children, in page order, and indexes pages by source path.
    fn place_pages(&mut self, section_of: &HashMap<String, usize>) {
        for (i, page) in self.pages.iter_mut().enumerate() {
            let dir = if page.is_section {
                page.output
                    .strip_suffix("index.html")
                    .unwrap_or("")
                    .trim_end_matches('/')
            } else {
                parent_dir(&page.output)
            };
            page.section = section_of.get(dir).copied().unwrap_or_default();
            if !page.is_section {
                self.sections[page.section].children.push(Child::Page(i));
            }
            if !page.generated && !page.fallback {
                self.by_rel.insert(page.rel.clone(), i);
            }
            self.by_key.insert((page.lang, page.key.clone()), i);
        }
    }

    /// Puts each section's children in navigation order ([`Self::sort_key`]).
    fn sort_children(&mut self) {
        let keys: Vec<Vec<(i64, String)>> = self
            .sections
            .iter()
            .map(|s| s.children.iter().map(|c| self.sort_key(*c)).collect())
            .collect();
        for (section, keys) in self.sections.iter_mut().zip(keys) {
            let mut paired: Vec<_> = keys
                .into_iter()
                .zip(section.children.iter().copied())
                .collect();
            paired.sort_by(|a, b| a.0.cmp(&b.0));
            section.children = paired.into_iter().map(|(_, c)| c).collect();
        }
    }

    /// Navigation order: `weight` first (pages without one come last), then the file name.
    fn sort_key(&self, child: Child) -> (i64, String) {
        let page = match child {
            Child::Page(p) => &self.pages[p],
            Child::Section(s) => &self.pages[self.sections[s].index],
        };
        let name = match child {
            Child::Page(_) => page.key.rsplit('/').next().unwrap_or(&page.key).to_string(),
            Child::Section(s) => self.sections[s]
                .dir
                .rsplit('/')
                .next()
                .unwrap_or("")
                .to_string(),
        };
        (page.meta.weight.unwrap_or(i64::MAX), name)
    }

    /// The pages made from the file at `rel` (under `content/`): its
    /// page, and the other languages' stand-ins for it.
    pub fn pages_of_file(&self, rel: &str) -> Vec<usize> {
        let Some(page) = self.page_by_rel(rel) else {
            return Vec::new();
        };
        let mut pages = vec![page];
        if self.langs.len() > 1 {
            pages.extend(
                (0..self.pages.len())
                    .filter(|&i| self.pages[i].fallback && self.pages[i].rel == rel),
            );
        }
        pages
    }

    /// The page a link names by its path under `content/`: the file's
    /// page, else the default language's page of that name without a
    /// language suffix (`speed.md`, written `speed.en.md`).
    pub fn page_by_link(&self, rel: &str) -> Option<usize> {
        self.page_by_rel(rel)
            .or_else(|| self.by_key.get(&(0, rel.to_string())).copied())
    }

    /// The page a source path (under `content/`) names, if any.
    pub fn page_by_rel(&self, rel: &str) -> Option<usize> {
        self.by_rel.get(rel).copied()
    }
}

/// A page file read from disk, its text and its front matter split off.
type ReadPage = (ContentFile, Arc<str>, front_matter::Split);

fn read_page(shown_base: &Path, file: ContentFile) -> Result<Option<ReadPage>, Diagnostic> {
    let shown = shown_base.join(&file.rel);
    let text: Arc<str> = Arc::from(crate::source::read_text(
        &shown,
        &file.abs,
        "Markdown pages",
    )?);
    let split = front_matter::split(&shown, &text)?;
    Ok(Some((file, text, split)))
}

/// Every folder holding a page, and all its ancestors (each is a section),
/// with the page that introduces it (its `_index.md`) when there is one.
fn section_dirs(pages: &[Page]) -> BTreeMap<String, Option<usize>> {
    let mut dirs: BTreeMap<String, Option<usize>> = BTreeMap::new();
    dirs.insert(String::new(), None);
    for (i, page) in pages.iter().enumerate() {
        let dir = parent_dir(&page.output).to_string();
        let mut d = dir.as_str();
        loop {
            dirs.entry(d.to_string()).or_insert(None);
            if d.is_empty() {
                break;
            }
            d = parent_dir(d);
        }
        if page.is_section {
            dirs.insert(dir, Some(i));
        }
    }
    dirs
}

/// The page made up for folder `dir` (of language `lang`) when it has no
/// `_index.md`: empty, titled after the folder's name.
fn generated_section_page(
    shown_base: &Path,
    dir: &str,
    lang: usize,
    l: &crate::lang::Lang,
) -> Page {
    let output = if dir.is_empty() {
        "index.html".into()
    } else {
        format!("{dir}/index.html")
    };
    // The folder without the language's: `fr/guide` -> `guide`.
    let dir = dir
        .strip_prefix(l.prefix.trim_end_matches('/'))
        .map_or(dir, |d| d.trim_start_matches('/'));
    let rel = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    };
    Page {
        shown: shown_base.join(&rel),
        output,
        id: (lang > 0).then(|| format!("{}{rel}", l.prefix)),
        key: rel.clone(),
        lang,
        fallback: false,
        rel,
        text: Arc::from(""),
        on_disk: None,
        body: 0..0,
        meta: FrontMatter {
            title: Some(title_from_name(dir.rsplit('/').next().unwrap_or(dir))),
            ..FrontMatter::default()
        },
        section: 0,
        is_section: true,
        generated: true,
        updated: None,
    }
}

/// A page file's path without its language suffix, and its language;
/// a suffix that names no language of the site, and a default-language
/// page in another language's folder, are errors.
fn language_of(
    shown_base: &Path,
    rel: &str,
    text: &Arc<str>,
    setup: &crate::lang::Setup,
) -> Result<(String, usize), Box<Diagnostic>> {
    if !setup.suffixes {
        return Ok((rel.to_string(), 0));
    }
    let shown = shown_base.join(rel);
    let (key, lang) = match crate::lang::split_suffix(rel) {
        None => (rel.to_string(), 0),
        Some((key, code)) => match setup.index_of(code) {
            Some(lang) => (key, lang),
            None => {
                let known: Vec<&str> = setup.langs.iter().map(|l| l.code.as_str()).collect();
                return Err(Box::new(
                    Diagnostic::error(format!(
                        "`.{code}.md` in the file's name names no language of the site ({})",
                        known.join(", ")
                    ))
                    .at(&shown, text, 0..0)
                    .with_help(format!(
                        "add `[languages.{code}]` to versus.toml, or rename the file without the `.{code}` (a translation is named `page.LANG.md`)"
                    )),
                ));
            }
        },
    };
    let top = rel.split('/').next().unwrap_or("");
    if rel.contains('/') && setup.langs.iter().skip(1).any(|l| l.code == top) {
        return Err(Box::new(
            Diagnostic::error(format!(
                "content/{top}/ would be written where the `{top}` pages go"
            ))
            .at(&shown, text, 0..0)
            .with_help(format!(
                "translations sit beside their page (`speed.{top}.md` beside `speed.md`); rename the folder"
            )),
        ));
    }
    Ok((key, lang))
}

/// `a/b.md` -> `a/b.html`; `a/_index.md` -> `a/index.html`.
pub fn output_path(rel: &str) -> String {
    let stem = rel.strip_suffix(".md").unwrap_or(rel);
    match stem.strip_suffix("_index") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => format!("{dir}index.html"),
        _ => format!("{stem}.html"),
    }
}

/// A title for a folder without `_index.md`: `s001-event-loop` -> `S001 event loop`.
pub fn title_from_name(name: &str) -> String {
    let name = name.strip_suffix(".md").unwrap_or(name);
    if name.is_empty() {
        return "Home".to_string();
    }
    let spaced: String = name
        .chars()
        .map(|c| if c == '-' || c == '_' { ' ' } else { c })
        .collect();
    let mut chars = spaced.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths() {
        assert_eq!(output_path("a.md"), "a.html");
        assert_eq!(output_path("_index.md"), "index.html");
        assert_eq!(output_path("g/_index.md"), "g/index.html");
        assert_eq!(output_path("g/my_index.md"), "g/my_index.html");
    }

    #[test]
    fn titles_from_names() {
        assert_eq!(title_from_name("s001-event-loop"), "S001 event loop");
        assert_eq!(title_from_name("getting_started.md"), "Getting started");
    }
}
