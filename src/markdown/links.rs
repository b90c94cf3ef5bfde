//! Links between pages: `[speed](../speed.md#io-bound)` is checked against
//! the target page's headings and rewritten to a relative URL of its output
//! file. Outside links and links to assets pass through unchanged.

use pulldown_cmark::{CowStr, Event, Tag};

use super::outline::Outline;
use crate::content::{Content, Page};
use crate::text::paths;
use crate::text::paths::parent_dir;

/// The code of broken-link diagnostics.
pub const BROKEN_LINK: &str = "broken-link";

/// Where an internal link points, once resolved.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// Not ours to touch (outside link, asset, folder).
    Unchanged,
    /// The rewritten URL.
    Url(String),
    /// Broken: the message and a hint.
    Broken(String, String),
}

/// Resolves `dest`, written on the page with source path `from` (under
/// `content/`). `page_ids(rel)` gives the output path and heading ids of a page.
pub fn resolve<'a>(
    from_rel: &str,
    from_output: &str,
    dest: &str,
    own_ids: &std::collections::HashSet<String>,
    lookup: impl Fn(&str) -> Option<(&'a str, &'a std::collections::HashSet<String>)>,
) -> Resolved {
    if dest.is_empty() || paths::is_external(dest) {
        return Resolved::Unchanged;
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    if path.is_empty() {
        let frag = paths::percent_decode(fragment.unwrap_or(""));
        if !frag.is_empty() && !own_ids.contains(&frag) {
            return Resolved::Broken(
                format!("link to missing heading `#{frag}` on this page"),
                suggest(&frag, own_ids),
            );
        }
        return Resolved::Unchanged;
    }
    let path = path.split('?').next().unwrap_or(path);
    if !path.ends_with(".md") {
        return Resolved::Unchanged;
    }
    let decoded = paths::percent_decode(path);
    let Some(target) = paths::join(parent_dir(from_rel), &decoded) else {
        return Resolved::Broken(
            format!("link to `{path}` leaves content/"),
            "links between pages stay inside content/".into(),
        );
    };
    let Some((output, ids)) = lookup(&target) else {
        return Resolved::Broken(
            format!("link to missing page `{path}` (content/{target})"),
            "check the path: it is relative to this page's folder".into(),
        );
    };
    let mut url = paths::relative_url(from_output, output);
    if let Some(frag) = fragment {
        let frag_dec = paths::percent_decode(frag);
        if !frag_dec.is_empty() && !ids.contains(&frag_dec) {
            return Resolved::Broken(
                format!("link to missing heading `#{frag_dec}` in `{path}`"),
                suggest(&frag_dec, ids),
            );
        }
        url.push('#');
        url.push_str(frag);
    }
    Resolved::Url(url)
}

/// A relative URL to a file beside the page (an image, a download), as
/// written on `page`, from where the page is written: a page of a
/// language other than the default is written one folder further down
/// (`fr/`) than its source, and files are shared, not copied into each
/// language's folder. `None` when the URL stays as written.
pub fn from_language_folder(content: &Content, page: &Page, dest: &str) -> Option<String> {
    let prefix = &content.langs.get(page.lang)?.prefix;
    if prefix.is_empty()
        || dest.is_empty()
        || dest.starts_with('#')
        || dest.starts_with('/')
        || paths::is_external(dest)
    {
        return None;
    }
    Some(format!(
        "{}{dest}",
        "../".repeat(prefix.matches('/').count())
    ))
}

/// The source path a `.md` link names, if it names one.
pub fn target_rel(from_rel: &str, dest: &str) -> Option<String> {
    if paths::is_external(dest) {
        return None;
    }
    let path = dest.split('#').next()?.split('?').next()?;
    if !path.ends_with(".md") {
        return None;
    }
    paths::join(parent_dir(from_rel), &paths::percent_decode(path))
}

fn suggest(frag: &str, ids: &std::collections::HashSet<String>) -> String {
    let mut sorted: Vec<&str> = ids.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    match crate::report::diagnostic::closest(frag, sorted.iter().copied()) {
        Some(id) => format!("did you mean `#{id}`?"),
        None if sorted.is_empty() => "that page has no headings".into(),
        None => format!(
            "headings there: {}",
            sorted
                .iter()
                .take(8)
                .map(|i| format!("#{i}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Resolves `dest` as written on `page`.
pub fn resolve_for(
    content: &Content,
    outlines: &[Outline],
    page: &Page,
    outline: &Outline,
    dest: &str,
) -> Resolved {
    // A link to a page goes to its translation in the page's language,
    // when there is one (or that language's stand-in for it).
    let resolved = resolve(&page.rel, &page.output, dest, &outline.ids, |rel| {
        content
            .page_by_link(rel)
            .map(|i| content.in_lang(i, page.lang).unwrap_or(i))
            .map(|i| (content.pages[i].output.as_str(), &outlines[i].ids))
    });
    match resolved {
        Resolved::Broken(message, help) if message.starts_with("link to missing heading") => {
            match translated(content, page, dest) {
                Some(shown) => Resolved::Broken(
                    format!("{message} (its translation {shown}, where this link goes)"),
                    format!(
                        "{help}; a translation keeps its original's heading ids when written `## Heading {{#id}}`"
                    ),
                ),
                None => Resolved::Broken(message, help),
            }
        }
        Resolved::Broken(message, _) if missing_page(content, &page.rel, dest) => {
            let rels = content.pages.iter().map(|p| p.rel.as_str());
            let target = target_rel(&page.rel, dest).unwrap_or_default();
            let help = match crate::report::diagnostic::closest(&target, rels) {
                Some(rel) => format!("did you mean `{}`?", paths::relative_url(&page.rel, rel)),
                None => "check the path: it is relative to this page's folder".into(),
            };
            Resolved::Broken(message, help)
        }
        other => other,
    }
}

/// The file of the translation a link on `page` to `dest` goes to, when
/// it goes to one (in `page`'s language, from a page of another).
fn translated(content: &Content, page: &Page, dest: &str) -> Option<String> {
    let target = content.page_by_link(&target_rel(&page.rel, dest)?)?;
    let to = content
        .in_lang(target, page.lang)
        .filter(|&t| t != target)?;
    let to = &content.pages[to];
    (!to.fallback).then(|| to.shown.display().to_string())
}

/// `dest` is a link to a page of content/ that does not exist.
fn missing_page(content: &Content, from_rel: &str, dest: &str) -> bool {
    target_rel(from_rel, dest).is_some_and(|t| content.page_by_link(&t).is_none())
}

/// `event` with a link's or an image's destination replaced by `dest(destination)`;
/// every other event as it is.
pub fn with_dest<'a>(event: Event<'a>, dest: impl FnOnce(CowStr<'a>) -> CowStr<'a>) -> Event<'a> {
    match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: dest(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: dest(dest_url),
            title,
            id,
        }),
        e => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn ids(list: &[&str]) -> HashSet<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn run(from: &str, dest: &str) -> Resolved {
        let speed = ids(&["io-bound", "cpu-bound"]);
        let own = ids(&["intro"]);
        let out = crate::content::output_path(from);
        resolve(from, &out, dest, &own, |rel| match rel {
            "speed.md" => Some(("speed.html", &speed)),
            "guide/_index.md" => Some(("guide/index.html", &speed)),
            _ => None,
        })
    }

    #[test]
    fn rewrites_md_links_relative_to_the_page() {
        assert_eq!(
            run("guide/a.md", "../speed.md#io-bound"),
            Resolved::Url("../speed.html#io-bound".into())
        );
        assert_eq!(run("a.md", "speed.md"), Resolved::Url("speed.html".into()));
        assert_eq!(
            run("a.md", "guide/_index.md"),
            Resolved::Url("guide/index.html".into())
        );
        assert_eq!(
            run("guide/a.md", "/speed.md"),
            Resolved::Url("../speed.html".into())
        );
    }

    #[test]
    fn reports_missing_pages_and_headings() {
        assert!(matches!(run("a.md", "nope.md"), Resolved::Broken(..)));
        let Resolved::Broken(_, help) = run("a.md", "speed.md#io-bond") else {
            panic!()
        };
        assert!(help.contains("#io-bound"), "{help}");
        assert!(matches!(run("a.md", "#missing"), Resolved::Broken(..)));
        assert_eq!(run("a.md", "#intro"), Resolved::Unchanged);
        assert!(matches!(run("a.md", "../../x.md"), Resolved::Broken(..)));
    }

    #[test]
    fn leaves_other_links_alone() {
        assert_eq!(run("a.md", "https://nodejs.org/"), Resolved::Unchanged);
        assert_eq!(run("a.md", "img/chart.png"), Resolved::Unchanged);
        assert_eq!(run("a.md", "mailto:x@y"), Resolved::Unchanged);
    }
}
