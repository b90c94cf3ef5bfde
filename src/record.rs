//! What a rendered page leaves for the files made from the whole site
//! (search index, print.html, feeds): written by the pipeline as it renders
//! each page, read by publish.

use crate::markdown::TextSection;
use crate::packed::Kept;
use crate::report::error::Result;

/// What a rendered page leaves for the site-wide files. The texts are
/// kept (see [`crate::output::Staging::keep`]): on disk during a build, so that a
/// 100,000-page site does not hold them in memory.
#[derive(Debug, Clone)]
pub struct PageRecord {
    /// Position in reading order.
    pub position: usize,
    /// `"index"`, `"section"` or `"page"`.
    pub kind: &'static str,
    /// Output path (`guide/intro.html`).
    pub output: String,
    pub title: String,
    pub description: Option<String>,
    /// `YYYY-MM-DD...` as written in front matter.
    pub date: Option<String>,
    /// When the page last changed (front matter `updated`, else its last
    /// commit), RFC 3339.
    pub updated: Option<String>,
    /// Output paths that redirect to the page (its `aliases`).
    pub aliases: Vec<String>,
    /// Documents the page gives the search index (see [`is_doc`]).
    pub docs: u32,
    /// The page's prose under each heading (read with
    /// [`PageRecord::sections`]).
    text: Kept,
    /// The rendered Markdown body.
    pub body: Kept,
    /// The ids in the body, in order, as a JSON array (print.html makes
    /// them unique; read with [`PageRecord::ids`]).
    ids: Kept,
    /// Taken from the build cache: the page was not rendered again, and
    /// what the last build made of it still holds.
    pub reused: bool,
    /// The search terms of its documents, as the index found them (kept
    /// for the next build; see `publish::search`).
    pub terms: std::sync::OnceLock<Kept>,
}

/// A [`PageRecord`] as the build cache keeps it: its texts by their place
/// (offset, length, checksum) in the cache's spill file.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct KeptRecord {
    position: usize,
    kind: String,
    output: String,
    title: String,
    description: Option<String>,
    date: Option<String>,
    #[serde(default)]
    updated: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    docs: u32,
    text: (u64, usize, u64),
    body: (u64, usize, u64),
    ids: (u64, usize, u64),
    terms: Option<(u64, usize, u64)>,
}

impl KeptRecord {
    /// Documents the page gave the search index.
    pub fn docs(&self) -> u32 {
        self.docs
    }

    /// When the page last changed, as it was when the page was rendered.
    pub fn updated(&self) -> Option<&str> {
        self.updated.as_deref()
    }

    /// Bytes of the spill file its texts take.
    pub fn kept_bytes(&self) -> u64 {
        (self.text.1 + self.body.1 + self.ids.1 + self.terms.map_or(0, |t| t.1)) as u64
    }
}

/// Whether section `i` of a page is a search document: the top of the
/// page (i == 0) always is, so its title always finds the page; a later
/// section needs a heading or some text.
pub fn is_doc(i: usize, s: &TextSection) -> bool {
    i == 0 || !s.heading.is_empty() || !s.text.trim().is_empty()
}

impl PageRecord {
    /// A record of the page (`position` to `date` filled in by `fill`),
    /// keeping its sections, `body` and the body's `ids` (from the Markdown
    /// pass) through `keep`.
    pub fn new(
        sections: &[TextSection],
        ids: &[String],
        body: &str,
        keep: impl Fn(&str) -> Result<Kept>,
    ) -> Result<Self> {
        // The headings as a JSON line, then the prose of every section.
        let heads: Vec<(Option<&str>, &str, usize)> = sections
            .iter()
            .map(|s| (s.id.as_deref(), s.heading.as_str(), s.text.len()))
            .collect();
        let mut text = serde_json::to_string(&heads).unwrap_or_default();
        text.push('\n');
        for s in sections {
            text.push_str(&s.text);
        }
        let ids = serde_json::to_string(ids).unwrap_or_default();
        Ok(Self {
            position: 0,
            kind: "page",
            output: String::new(),
            title: String::new(),
            description: None,
            date: None,
            updated: None,
            aliases: Vec::new(),
            docs: sections
                .iter()
                .enumerate()
                .filter(|(i, s)| is_doc(*i, s))
                .count() as u32,
            text: keep(&text)?,
            body: keep(body)?,
            ids: keep(&ids)?,
            reused: false,
            terms: std::sync::OnceLock::new(),
        })
    }

    /// A record kept in memory, for tests: `sections` are (id, heading,
    /// text).
    #[cfg(test)]
    pub fn for_test(
        output: &str,
        title: &str,
        sections: &[(Option<&str>, &str, &str)],
        body: &str,
    ) -> Self {
        let sections: Vec<TextSection> = sections
            .iter()
            .map(|(id, heading, text)| TextSection {
                id: id.map(str::to_string),
                heading: heading.to_string(),
                text: text.to_string(),
            })
            .collect();
        let ids = crate::text::html::body_ids(body);
        let record = Self::new(&sections, &ids, body, |t| Ok(Kept::packed(t)))
            .unwrap_or_else(|e| panic!("{e}"));
        Self {
            output: output.into(),
            title: title.into(),
            ..record
        }
    }

    /// The page's sections: heading, id and prose, in order.
    pub fn sections(&self) -> std::io::Result<Vec<TextSection>> {
        let all = self.text.text()?;
        let bad = |e: &dyn std::fmt::Display| {
            std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string())
        };
        let (heads, mut prose) = all.split_once('\n').ok_or_else(|| bad(&"no headings"))?;
        let heads: Vec<(Option<String>, String, usize)> =
            serde_json::from_str(heads).map_err(|e| bad(&e))?;
        heads
            .into_iter()
            .map(|(id, heading, len)| {
                let text = prose.get(..len).ok_or_else(|| bad(&"prose cut short"))?;
                prose = &prose[len..];
                Ok(TextSection {
                    id,
                    heading,
                    text: text.to_string(),
                })
            })
            .collect()
    }

    /// The record as the build cache keeps it; `None` when its texts are
    /// not in a spill file.
    pub fn kept(&self) -> Option<KeptRecord> {
        Some(KeptRecord {
            position: self.position,
            kind: self.kind.to_string(),
            output: self.output.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            date: self.date.clone(),
            updated: self.updated.clone(),
            aliases: self.aliases.clone(),
            docs: self.docs,
            text: self.text.place()?,
            body: self.body.place()?,
            ids: self.ids.place()?,
            terms: self.terms.get().and_then(Kept::place),
        })
    }

    /// A record the build cache kept, its texts in `spill`.
    pub fn from_kept(k: KeptRecord, spill: &std::sync::Arc<crate::packed::Spill>) -> Self {
        Self {
            position: k.position,
            kind: match k.kind.as_str() {
                "index" => "index",
                "section" => "section",
                _ => "page",
            },
            output: k.output,
            title: k.title,
            description: k.description,
            date: k.date,
            updated: k.updated,
            aliases: k.aliases,
            docs: k.docs,
            text: Kept::spilled(spill, k.text),
            body: Kept::spilled(spill, k.body),
            ids: Kept::spilled(spill, k.ids),
            reused: true,
            terms: match k.terms {
                Some(place) => std::sync::OnceLock::from(Kept::spilled(spill, place)),
                None => std::sync::OnceLock::new(),
            },
        }
    }

    /// The ids in the body, in order.
    pub fn ids(&self) -> std::io::Result<Vec<String>> {
        serde_json::from_str(&self.ids.text()?)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
    }
}
