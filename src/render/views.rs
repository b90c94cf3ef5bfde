//! The small structs templates see. They are built from the content model
//! for each page, so the model can change without breaking themes. The
//! fields are documented in docs/templates.md.

use std::sync::{Arc, Mutex};

use ahash::AHashMap;
use serde::Serialize;

use crate::config::Config;
use crate::content::{Child, Content, nav};
use crate::markdown::{Heading, Outline};
use crate::text::paths::relative_url;

#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub base_url: Option<&'a str>,
    pub language: &'a str,
    pub extra: &'a toml::Table,
}

impl<'a> SiteView<'a> {
    /// The keys of versus.toml the view shows (every page's template sees it).
    pub const CONFIG_KEYS: &'static [&'static str] =
        &["title", "description", "base_url", "language", "extra"];

    pub fn new(config: &'a Config) -> Self {
        Self {
            title: &config.title,
            description: &config.description,
            base_url: config.base_url.as_deref(),
            language: &config.language,
            extra: &config.extra,
        }
    }
}

#[derive(Serialize)]
pub struct PageView<'a> {
    pub kind: &'static str,
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub date: Option<&'a str>,
    /// The day the page last changed (front matter `updated`, else its
    /// last commit).
    pub updated: Option<&'a str>,
    /// The address that edits the page's source (with `edit_url`).
    pub edit_url: Option<String>,
    pub tags: &'a [String],
    /// Each tag with the URL of its page (`tags/rust.html`).
    pub tag_links: Vec<TagLink<'a>>,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
    pub content: String,
    pub toc: Vec<TocItem<'a>>,
    pub path: &'a str,
    pub source: &'a str,
    pub word_count: usize,
    pub reading_minutes: usize,
    /// On a top-level section's page: its volume of the book
    /// (`../print/guide.html`).
    pub print: Option<String>,
    /// Its social image (`og:image`), when it has one.
    pub image: Option<crate::render::card::ImageView>,
}

#[derive(Serialize, Debug)]
pub struct TocItem<'a> {
    pub level: u8,
    pub id: &'a str,
    pub title: &'a str,
    pub children: Vec<TocItem<'a>>,
}

/// A tag and the URL of its page, relative to the page showing it.
#[derive(Serialize, Clone)]
pub struct TagLink<'a> {
    pub name: &'a str,
    pub url: String,
}

impl<'a> TagLink<'a> {
    /// The links to the pages of `tags` (of the language whose folder is
    /// `prefix`), from the page written at `from`.
    pub fn all(from: &str, prefix: &str, tags: &'a [String]) -> Vec<Self> {
        tags.iter()
            .filter_map(|name| {
                let slug = crate::content::tags::slug(name)?;
                let to = format!("{prefix}{}", crate::content::tags::output(&slug));
                Some(Self {
                    name,
                    url: relative_url(from, &to),
                })
            })
            .collect()
    }
}

/// A tag as its page and the tags index show it.
#[derive(Serialize, Clone)]
pub struct TagView<'a> {
    pub name: &'a str,
    /// Its page, relative to the file showing it.
    pub url: String,
    /// How many pages carry it.
    pub count: usize,
}

#[derive(Serialize, Clone)]
pub struct LinkView<'a> {
    pub title: &'a str,
    pub url: String,
    pub description: Option<&'a str>,
    pub date: Option<&'a str>,
}

#[derive(Serialize)]
pub struct SectionView<'a> {
    pub pages: Vec<LinkView<'a>>,
    pub subsections: Vec<LinkView<'a>>,
}

#[derive(Serialize)]
pub struct NavItem<'a> {
    pub title: &'a str,
    pub url: String,
    /// `index`, `section`, `page`, or `more`: the link to a folder's page
    /// standing for the entries a long folder leaves out.
    pub kind: &'static str,
    pub current: bool,
    pub open: bool,
    /// For `more`: how many entries it stands for.
    pub hidden: usize,
    pub children: Vec<NavItem<'a>>,
}

/// How many levels of folders the sidebar tree opens.
pub const MAX_NAV_DEPTH: usize = 12;

/// Shared, read-only inputs for building views.
pub struct Model<'a> {
    pub content: &'a Content,
    pub outlines: &'a [Outline],
    pub order: &'a [usize],
    pub positions: &'a [usize],
    /// `[nav] collapse_above` in versus.toml.
    pub collapse_above: usize,
    /// Where source files are edited (`edit_url` in versus.toml).
    pub edit: Option<EditLinks<'a>>,
    /// versus.toml (each language's `site` view is made from it).
    pub config: &'a Config,
    /// Sidebars made so far ([`Model::nav`]).
    pub navs: NavCache,
}

/// Sidebars as template values, shared by the pages they are the same
/// for: the pages of one folder (links are relative to it) with the same
/// sections open, which differ only in the entry marked current.
#[derive(Default)]
pub struct NavCache(Mutex<AHashMap<NavKey, Arc<SharedNav>>>);

/// The folder of the page showing it, its language's root section and
/// the sections open.
type NavKey = (String, usize, Vec<usize>);

struct SharedNav {
    /// The sidebar with no entry current.
    items: Vec<tera::Value>,
    /// Each entry's URL, and where it is: its index among the top
    /// entries, then among its parent's `children`.
    places: AHashMap<String, Vec<usize>>,
}

impl SharedNav {
    fn new(items: &[NavItem<'_>]) -> Self {
        fn walk(
            items: &[NavItem<'_>],
            at: &mut Vec<usize>,
            places: &mut AHashMap<String, Vec<usize>>,
        ) {
            for (i, item) in items.iter().enumerate() {
                at.push(i);
                places.entry(item.url.clone()).or_insert_with(|| at.clone());
                walk(&item.children, at, places);
                at.pop();
            }
        }
        let mut places = AHashMap::new();
        walk(items, &mut Vec::new(), &mut places);
        Self {
            items: items.iter().map(tera::Value::from_serializable).collect(),
            places,
        }
    }

    /// The sidebar with the entry linking to `url` current.
    fn with_current(&self, url: &str) -> tera::Value {
        match self.places.get(url) {
            Some(place) => marked(&self.items, place),
            None => tera::Value::from(self.items.clone()),
        }
    }
}

/// `items` with the entry at `place` marked current (values share what
/// they hold, so only the way to the entry is copied).
fn marked(items: &[tera::Value], place: &[usize]) -> tera::Value {
    let mut items = items.to_vec();
    if let Some((&first, rest)) = place.split_first() {
        if let Some(mut map) = items.get(first).and_then(tera::Value::as_map).cloned() {
            if rest.is_empty() {
                map.insert("current".into(), true.into());
            } else {
                let children = map
                    .get(&tera::value::Key::from("children"))
                    .and_then(tera::Value::as_array)
                    .map(|c| marked(c, rest));
                if let Some(children) = children {
                    map.insert("children".into(), children);
                }
            }
            items[first] = tera::Value::from(map);
        }
    }
    tera::Value::from(items)
}

/// Where source files are edited: `edit_url` from versus.toml, `{path}`
/// standing for a file's path from the repository's top, which is the
/// site's folder in the repository (`prefix`) and `content/` and the
/// file's path there.
#[derive(Clone, Copy, Debug)]
pub struct EditLinks<'a> {
    pub url: &'a str,
    pub prefix: &'a str,
}

impl EditLinks<'_> {
    /// The address that edits `rel`, a file under `content/`.
    pub fn of(&self, rel: &str) -> String {
        let mut path = String::new();
        for b in format!("{}content/{rel}", self.prefix).bytes() {
            if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
                path.push(b as char);
            } else {
                path.push_str(&format!("%{b:02X}"));
            }
        }
        self.url.replace("{path}", &path)
    }
}

impl<'a> Model<'a> {
    pub fn kind(&self, page: usize) -> &'static str {
        let p = &self.content.pages[page];
        if p.is_section && self.content.sections[p.section].parent.is_none() {
            "index"
        } else if p.is_section {
            "section"
        } else {
            "page"
        }
    }

    pub fn page(&self, page: usize, content_html: String) -> PageView<'a> {
        let p = &self.content.pages[page];
        let o = &self.outlines[page];
        PageView {
            kind: self.kind(page),
            title: &o.title,
            description: p.meta.description.as_deref(),
            date: p.meta.date.as_ref().map(|d| d.day()),
            updated: p.updated.as_deref().map(|d| &d[..d.len().min(10)]),
            edit_url: self.edit.filter(|_| !p.generated).map(|e| e.of(&p.rel)),
            tags: &p.meta.tags,
            tag_links: TagLink::all(&p.output, self.prefix(page), &p.meta.tags),
            extra: &p.meta.extra,
            content: content_html,
            toc: toc(&o.headings),
            path: &p.output,
            source: if p.generated { "" } else { &p.rel },
            word_count: o.words,
            reading_minutes: (o.words / 200).max(1),
            print: self.print_volume(page),
            image: None,
        }
    }

    /// The URL of the print volume of a top-level section, from its page.
    fn print_volume(&self, page: usize) -> Option<String> {
        let content = self.content;
        let p = &content.pages[page];
        let root = content.root_of(page);
        if !p.is_section || content.sections[p.section].parent != Some(root) {
            return None;
        }
        let prefix = self.prefix(page);
        let key_of = |s: usize| {
            let output = &content.pages[content.sections[s].index].output;
            crate::text::paths::print_key(output.strip_prefix(prefix).unwrap_or(output))
        };
        let mut keys = vec!["/"];
        for child in &content.sections[root].children {
            if let Child::Section(s) = *child {
                let key = key_of(s);
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
        }
        let at = keys.iter().position(|k| *k == key_of(p.section))?;
        let file = crate::text::paths::print_volumes(keys).swap_remove(at);
        Some(relative_url(&p.output, &format!("{prefix}print/{file}")))
    }

    /// The output folder of page `page`'s language (`""` or `fr/`).
    pub fn prefix(&self, page: usize) -> &'a str {
        let lang = self.content.pages[page].lang;
        self.content
            .langs
            .get(lang)
            .map_or("", |l| l.prefix.as_str())
    }

    pub fn link(&self, from: usize, to: usize) -> LinkView<'a> {
        self.link_at(&self.content.pages[from].output, to)
    }

    /// The link to page `to` from the file written at `from`.
    pub fn link_at(&self, from: &str, to: usize) -> LinkView<'a> {
        let t = &self.content.pages[to];
        LinkView {
            title: &self.outlines[to].title,
            url: relative_url(from, &t.output),
            description: t.meta.description.as_deref(),
            date: t.meta.date.as_ref().map(|d| d.day()),
        }
    }

    /// The listing of a section page.
    pub fn section(&self, page: usize) -> Option<SectionView<'a>> {
        let p = &self.content.pages[page];
        if !p.is_section {
            return None;
        }
        let s = &self.content.sections[p.section];
        let mut view = SectionView {
            pages: Vec::new(),
            subsections: Vec::new(),
        };
        for child in &s.children {
            match *child {
                Child::Page(c) => view.pages.push(self.link(page, c)),
                Child::Section(c) => view
                    .subsections
                    .push(self.link(page, self.content.sections[c].index)),
            }
        }
        Some(view)
    }

    pub fn breadcrumbs(&self, page: usize) -> Vec<LinkView<'a>> {
        nav::ancestors(self.content, page)
            .into_iter()
            .map(|s| self.link(page, self.content.sections[s].index))
            .collect()
    }

    pub fn prev_next(&self, page: usize) -> (Option<LinkView<'a>>, Option<LinkView<'a>>) {
        let pos = self.positions[page];
        if pos == usize::MAX {
            return (None, None);
        }
        // Each language reads on its own: its first page has no previous.
        let lang = self.content.pages[page].lang;
        let same = |i: &usize| self.content.pages[*i].lang == lang;
        let prev = pos
            .checked_sub(1)
            .map(|i| self.order[i])
            .filter(same)
            .map(|i| self.link(page, i));
        let next = self
            .order
            .get(pos + 1)
            .copied()
            .filter(same)
            .map(|i| self.link(page, i));
        (prev, next)
    }

    /// The sidebar, as a template value: the root section's children,
    /// with the sections on the way to `page` opened. Only open sections
    /// list their children, so the tree stays small however large the site
    /// is. Made once for every page it is the same for ([`NavCache`]).
    pub fn nav(&self, page: usize) -> tera::Value {
        let content = self.content;
        let p = &content.pages[page];
        let mut open: Vec<usize> = nav::ancestors(content, page);
        if p.is_section {
            open.push(p.section);
        }
        let root = self.content.root_of(page);
        self.shared_nav(Some(page), (&p.output, root), &open)
    }

    /// The sidebar of a file that is no page of the content (a tag page,
    /// written at `from`, of language `lang`): the language's root
    /// section's children, none open.
    pub fn nav_outside(&self, from: &str, lang: usize) -> tera::Value {
        let root = self.content.roots.get(lang).copied().unwrap_or_default();
        self.shared_nav(None, (from, root), &[])
    }

    fn shared_nav(
        &self,
        page: Option<usize>,
        (from, section): (&str, usize),
        open: &[usize],
    ) -> tera::Value {
        // A long folder lists the entries on the way to the page: the tree
        // is then the page's own.
        let collapses = |s: &usize| {
            self.collapse_above > 0
                && self.content.sections[*s].children.len() > self.collapse_above
        };
        if collapses(&section) || open.iter().any(collapses) {
            return tera::Value::from_serializable(&self.nav_tree(page, (from, section), open));
        }
        let dir = from.rsplit_once('/').map_or("", |(dir, _)| dir);
        let key: NavKey = (dir.to_string(), section, open.to_vec());
        let known = self.navs.0.lock().ok().and_then(|m| m.get(&key).cloned());
        let shared = known.unwrap_or_else(|| {
            let made = Arc::new(SharedNav::new(&self.nav_tree(None, (from, section), open)));
            if let Ok(mut m) = self.navs.0.lock() {
                m.insert(key, Arc::clone(&made));
            }
            made
        });
        match page {
            Some(p) => shared.with_current(&relative_url(from, &self.content.pages[p].output)),
            None => tera::Value::from(shared.items.clone()),
        }
    }

    fn nav_tree(
        &self,
        page: Option<usize>,
        (from, section): (&str, usize),
        open: &[usize],
    ) -> Vec<NavItem<'a>> {
        let root = self.content.sections[section].index;
        let mut items = vec![NavItem {
            current: Some(root) == page,
            open: true,
            ..self.nav_item(from, root, "index")
        }];
        items.extend(self.children(page, from, section, open, 1));
        items
    }

    /// The entries of `section` in the sidebar. A folder of more than
    /// `collapse_above` entries lists only those on the way to `page`, and
    /// then a `more` link to its own page: a site with hundreds of
    /// top-level folders would otherwise repeat them all on every page.
    fn children(
        &self,
        page: Option<usize>,
        from: &str,
        section: usize,
        open: &[usize],
        depth: usize,
    ) -> Vec<NavItem<'a>> {
        let content = self.content;
        let all = &content.sections[section].children;
        let collapse = self.collapse_above > 0 && all.len() > self.collapse_above;
        let shown = |child: &&Child| {
            !collapse
                || match **child {
                    Child::Page(c) => Some(c) == page,
                    Child::Section(s) => {
                        open.contains(&s) || Some(content.sections[s].index) == page
                    }
                }
        };
        let mut items: Vec<NavItem<'a>> = all
            .iter()
            .filter(shown)
            .map(|child| match *child {
                Child::Page(c) => NavItem {
                    current: Some(c) == page,
                    ..self.nav_item(from, c, "page")
                },
                Child::Section(s) => {
                    let idx = content.sections[s].index;
                    let is_open = open.contains(&s);
                    NavItem {
                        current: Some(idx) == page,
                        open: is_open,
                        // Themes draw the tree with a recursive component, and
                        // Tera stops at 20 levels: deeper folders are reached
                        // through their parent's listing and the breadcrumbs.
                        children: if is_open && depth < MAX_NAV_DEPTH {
                            self.children(page, from, s, open, depth + 1)
                        } else {
                            Vec::new()
                        },
                        ..self.nav_item(from, idx, "section")
                    }
                }
            })
            .collect();
        if collapse {
            let idx = content.sections[section].index;
            items.push(NavItem {
                hidden: all.len() - items.len(),
                ..self.nav_item(from, idx, "more")
            });
        }
        items
    }

    /// A closed, childless sidebar link to page `target` from the page at
    /// `from`; each caller sets what differs.
    fn nav_item(&self, from: &str, target: usize, kind: &'static str) -> NavItem<'a> {
        NavItem {
            title: &self.outlines[target].title,
            url: relative_url(from, &self.content.pages[target].output),
            kind,
            current: false,
            open: false,
            hidden: 0,
            children: Vec::new(),
        }
    }
}

/// Nests headings by level: an h3 after an h2 is its child.
pub fn toc(headings: &[Heading]) -> Vec<TocItem<'_>> {
    fn build<'h>(headings: &'h [Heading], i: &mut usize, parent_level: u8) -> Vec<TocItem<'h>> {
        let mut items = Vec::new();
        while *i < headings.len() && headings[*i].level > parent_level {
            let h = &headings[*i];
            *i += 1;
            let children = build(headings, i, h.level);
            items.push(TocItem {
                level: h.level,
                id: &h.id,
                title: &h.text,
                children,
            });
        }
        items
    }
    let mut i = 0;
    let mut out = Vec::new();
    while i < headings.len() {
        let level = headings[i].level.saturating_sub(1);
        out.extend(build(headings, &mut i, level));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(level: u8, id: &str) -> Heading {
        Heading {
            level,
            id: id.into(),
            text: id.into(),
        }
    }

    #[test]
    fn toc_nests_by_level() {
        let hs = vec![h(2, "a"), h(3, "a1"), h(3, "a2"), h(2, "b"), h(4, "b1")];
        let t = toc(&hs);
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].children.len(), 2);
        assert_eq!(t[1].children[0].id, "b1");
    }

    #[test]
    fn toc_starting_deep_keeps_everything() {
        let hs = vec![h(3, "a"), h(2, "b")];
        let t = toc(&hs);
        assert_eq!(t.len(), 2);
    }
}
