//! Outlines, the first pass over each page: its title, its headings with
//! the ids they get in the output (unique on the page, the author's own
//! kept), and its word count. Every outline is known before any page renders.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::content::Page;
use crate::shortcode_syntax as shortcode;
pub use crate::text::paths::slugify;

/// A heading of a page, with the id it gets in the output.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// What the first pass learns about a page.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct Outline {
    /// The page title: front matter, else the first `#` heading, else the file name.
    pub title: String,
    /// Headings in order. When the first `#` heading became the title it is
    /// left out of the body and of this list.
    pub headings: Vec<Heading>,
    /// Index (among all heading events) of the `#` heading used as the title.
    pub title_heading: Option<usize>,
    pub ids: HashSet<String>,
    pub words: usize,
    /// Headings whose wanted id was taken: (byte offset in the file, wanted, given).
    pub renamed: Vec<(usize, String, String)>,
}

/// The words of `text` as `split_whitespace` counts them, reading bytes
/// when the text is ASCII (most of it is: this count was most of the
/// outline pass's own time).
fn count_words(text: &str) -> usize {
    if !text.is_ascii() {
        return text.split_whitespace().count();
    }
    let mut words = 0;
    let mut in_word = false;
    for &b in text.as_bytes() {
        let space = matches!(b, b' ' | b'\t'..=b'\r');
        words += usize::from(!space && !in_word);
        in_word = !space;
    }
    words
}

/// First pass: title, heading ids, word count.
pub fn outline(page: &Page, opts: Options) -> Outline {
    let body = &page.text[page.body.clone()];
    let mut out = Outline::default();
    let mut in_heading: Option<(u8, Option<String>, String, usize)> = None;
    let mut raw: Vec<(u8, Option<String>, String, usize)> = Vec::new();
    let mut pending = String::new();
    for (event, range) in Parser::new_ext(body, opts).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                let at = page.body.start + range.start;
                in_heading = Some((
                    level_num(level),
                    id.map(|s| s.to_string()),
                    String::new(),
                    at,
                ));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(mut h) = in_heading.take() {
                    h.2.push_str(&shortcode::show_literals(&std::mem::take(&mut pending)));
                    raw.push(h);
                }
            }
            // A heading's text runs are joined before literal calls in
            // them are shown as calls (a call may span several runs).
            Event::Text(t) => {
                out.words += count_words(&t);
                if in_heading.is_some() {
                    pending.push_str(&t);
                }
            }
            Event::Code(t) => {
                out.words += count_words(&t);
                if let Some((_, _, text, _)) = &mut in_heading {
                    text.push_str(&shortcode::show_literals(&std::mem::take(&mut pending)));
                    text.push_str(&t);
                }
            }
            // A formula counts, and reads in a heading's text (the table of
            // contents, its id), as its symbols.
            Event::InlineMath(t) | Event::DisplayMath(t) => {
                let t = super::math::to_mathml(&t, false)
                    .map_or_else(|_| t.to_string(), |m| super::math::search_text(&m));
                out.words += count_words(&t);
                if let Some((_, _, text, _)) = &mut in_heading {
                    text.push_str(&shortcode::show_literals(&std::mem::take(&mut pending)));
                    text.push_str(&t);
                }
            }
            _ => {}
        }
    }
    let first_h1 = raw.iter().position(|(level, ..)| *level == 1);
    let fm_title = page.meta.title.clone().filter(|t| !t.trim().is_empty());
    out.title_heading = match (&fm_title, first_h1) {
        (None, Some(i)) => Some(i),
        (Some(t), Some(i)) if raw[i].2.trim() == t.trim() => Some(i),
        _ => None,
    };
    out.title = fm_title
        .or_else(|| first_h1.map(|i| raw[i].2.trim().to_string()))
        .unwrap_or_else(|| {
            // A section page is named after its folder, other pages after their file.
            let rel = if page.is_section {
                crate::text::paths::parent_dir(&page.key)
            } else {
                &page.key
            };
            crate::content::title_from_name(rel.rsplit('/').next().unwrap_or(""))
        });
    if out.title.is_empty() {
        out.title = crate::content::title_from_name(&page.key);
    }
    // Ids written by the author are kept where they can be: automatic ids
    // step aside for them.
    let custom: HashSet<String> = raw.iter().filter_map(|(_, id, ..)| id.clone()).collect();
    let mut next = HashMap::new();
    for (i, (level, id, text, at)) in raw.into_iter().enumerate() {
        if Some(i) == out.title_heading {
            continue;
        }
        let is_custom = id.is_some();
        let base = id.unwrap_or_else(|| slugify(&text));
        let mut id = unique_id(&mut out.ids, &mut next, &base);
        while !is_custom && custom.contains(&id) {
            release_id(&mut out.ids, &mut next, &id);
            id = unique_id(&mut out.ids, &mut next, &format!("{id}-1"));
        }
        if id != base {
            out.renamed.push((at, base, id.clone()));
        }
        out.headings.push(Heading {
            level,
            id,
            text: text.trim().to_string(),
        });
    }
    out
}

pub(super) fn level_num(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// `base`, or `base-1`, `base-2`, ...: the first one not taken. `next`
/// remembers per base the number to try first (all below it are taken), so
/// 10,000 equal headings are not quadratic.
fn unique_id(taken: &mut HashSet<String>, next: &mut HashMap<String, usize>, base: &str) -> String {
    let mut id = base.to_string();
    if taken.contains(&id) {
        let n = next.entry(base.to_string()).or_insert(1);
        loop {
            id = format!("{base}-{n}");
            *n += 1;
            if !taken.contains(&id) {
                break;
            }
        }
    }
    taken.insert(id.clone());
    id
}

/// Frees `id` again (and lets [`unique_id`] find `base-N` once more).
fn release_id(taken: &mut HashSet<String>, next: &mut HashMap<String, usize>, id: &str) {
    taken.remove(id);
    if let Some((base, n)) = id.rsplit_once('-') {
        if let (Ok(n), Some(first)) = (n.parse::<usize>(), next.get_mut(base)) {
            if n < *first {
                *first = n;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        for text in [
            "",
            "   ",
            "one",
            " two  words ",
            "tab\tnew\nline\x0bvt\x0cff\rcr end",
            "\x1cnot\x1fspace",
            "caf\u{e9} na\u{ef}ve\u{a0}nbsp\u{3000}ideo",
        ] {
            assert_eq!(
                count_words(text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
    }

    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slugify("The GIL, explained"), "the-gil-explained");
        assert_eq!(slugify("I/O-bound work"), "io-bound-work");
        assert_eq!(slugify("  Über   Straße "), "über-straße");
        assert_eq!(slugify("???"), "section");
    }

    #[test]
    fn ten_thousand_equal_headings_are_not_quadratic() {
        let text: std::sync::Arc<str> = std::sync::Arc::from("## Same\n\n".repeat(10_000));
        let page = Page {
            rel: "a.md".into(),
            shown: "content/a.md".into(),
            body: 0..text.len(),
            text,
            on_disk: None,
            meta: Default::default(),
            output: "a.html".into(),
            section: 0,
            is_section: false,
            generated: false,
            updated: None,
            lang: 0,
            key: "a.md".into(),
            fallback: false,
            id: None,
        };
        let start = std::time::Instant::now();
        let o = outline(&page, Options::empty());
        assert_eq!(o.headings.len(), 10_000);
        assert_eq!(o.headings[9_999].id, "same-9999");
        assert!(start.elapsed().as_secs() < 5, "{:?}", start.elapsed());
    }

    #[test]
    fn ids_are_unique() {
        let mut taken = HashSet::new();
        let mut next = HashMap::new();
        assert_eq!(unique_id(&mut taken, &mut next, "a"), "a");
        assert_eq!(unique_id(&mut taken, &mut next, "a"), "a-1");
        assert_eq!(unique_id(&mut taken, &mut next, "a"), "a-2");
        release_id(&mut taken, &mut next, "a-1");
        assert_eq!(
            unique_id(&mut taken, &mut next, "a"),
            "a-1",
            "freed ids are reused"
        );
        assert_eq!(unique_id(&mut taken, &mut next, "a"), "a-3");
    }
}
