//! Redirects, as the load stage sees them: each page's `aliases` (old
//! addresses of the page) made into output paths and checked against each
//! other and every file the site writes, so that a redirect never takes the
//! place of a page or a file. The redirect pages themselves are written with
//! the site-wide files (`crate::publish`).

use std::collections::BTreeMap;
use std::ops::Range;

use super::{Content, Page};
use crate::report::diagnostic::Diagnostic;

/// The output path an alias of `page` writes its redirect to: that of
/// [`output_of`], under the folder of the page's language (a
/// translation's old addresses were the language's).
pub fn output_in(content: &Content, page: &Page, alias: &str) -> Result<String, &'static str> {
    let prefix = content
        .langs
        .get(page.lang)
        .map_or("", |l| l.prefix.as_str());
    output_of(alias).map(|out| format!("{prefix}{out}"))
}

/// The output path an alias writes its redirect to: `old.html` and
/// `/old.html` are `old.html`; a folder (`old/`, `old`) is its
/// `index.html`. The error says why an alias is not a path on the site.
pub fn output_of(alias: &str) -> Result<String, &'static str> {
    let path = crate::text::paths::percent_decode(alias.trim());
    if path.contains("://") || path.starts_with("//") {
        return Err("it is a URL: an alias is a path on this site (`old/name.html`)");
    }
    if path.contains(['?', '#', '\\', ':']) || path.chars().any(char::is_control) {
        return Err("a path on this site holds no `?`, `#`, `\\`, `:` or control characters");
    }
    let path = path.trim_start_matches('/');
    if path.split('/').any(|s| s == ".." || s == ".") {
        return Err("`.` and `..` are not allowed: write the path from the site's root");
    }
    if path.contains("//") {
        return Err("the path has an empty folder name (`//`)");
    }
    let last = path.rsplit('/').next().unwrap_or("");
    if last.is_empty() {
        return Ok(format!("{path}index.html"));
    }
    if last.ends_with(".html") || last.ends_with(".htm") {
        return Ok(path.to_string());
    }
    if !last.contains('.') {
        return Ok(format!("{path}/index.html"));
    }
    Err("a redirect is an HTML page: write `old/name.html` or a folder `old/name/`")
}

/// The errors about the pages' aliases: not a path, or taken by a page,
/// another alias or one of `files` (output path -> what writes it).
pub fn check(content: &Content, files: &BTreeMap<String, String>) -> Vec<Diagnostic> {
    let pages: BTreeMap<&str, &Page> = content
        .pages
        .iter()
        .map(|p| (p.output.as_str(), p))
        .collect();
    let mut seen: BTreeMap<String, &Page> = BTreeMap::new();
    let mut diags = Vec::new();
    for page in content.pages.iter().filter(|p| !p.meta.aliases.is_empty()) {
        for (n, alias) in page.meta.aliases.iter().enumerate() {
            let problem = match output_in(content, page, alias) {
                Err(why) => Some((
                    format!("alias `{alias}` is not a path on this site"),
                    why.to_string(),
                )),
                Ok(out) => taken(&out, page, &pages, &seen, files).map(|what| {
                    (
                        format!("alias `{alias}` writes {out}, which is {what}"),
                        "remove the alias, or rename what is there".to_string(),
                    )
                }),
            };
            match problem {
                Some((message, help)) => diags.push(located(page, n, message, help)),
                None => {
                    if let Ok(out) = output_in(content, page, alias) {
                        seen.insert(out, page);
                    }
                }
            }
        }
    }
    diags
}

/// What already writes `out`, if anything.
fn taken(
    out: &str,
    page: &Page,
    pages: &BTreeMap<&str, &Page>,
    seen: &BTreeMap<String, &Page>,
    files: &BTreeMap<String, String>,
) -> Option<String> {
    if let Some(p) = pages.get(out) {
        return Some(if p.rel == page.rel {
            "this page itself".to_string()
        } else {
            format!("the page {}", p.shown.display())
        });
    }
    if let Some(p) = seen.get(out) {
        return Some(if p.rel == page.rel {
            "another alias of this page".to_string()
        } else {
            format!("an alias of {}", p.shown.display())
        });
    }
    if let Some(what) = files.get(out) {
        return Some(what.clone());
    }
    if let Some((_, what)) = files
        .iter()
        .find(|(k, _)| k.ends_with('/') && out.starts_with(k.as_str()))
    {
        return Some(what.clone());
    }
    folder_taken(out, pages, seen, files)
}

/// Whether a folder of `out` is a file the site writes, or `out` is a
/// folder holding some: one path cannot be both.
fn folder_taken(
    out: &str,
    pages: &BTreeMap<&str, &Page>,
    seen: &BTreeMap<String, &Page>,
    files: &BTreeMap<String, String>,
) -> Option<String> {
    let is_file = |path: &str| {
        pages.contains_key(path) || seen.contains_key(path) || files.contains_key(path)
    };
    let mut at = 0;
    while let Some(i) = out[at..].find('/') {
        let folder = &out[..at + i];
        if is_file(folder) {
            return Some(format!("inside {folder}, a file of the site"));
        }
        at += i + 1;
    }
    let inside = format!("{out}/");
    let holds = |path: &str| path.starts_with(&inside);
    (pages.keys().any(|p| holds(p))
        || seen.keys().any(|p| holds(p))
        || files.keys().any(|p| holds(p)))
    .then(|| format!("a folder of the site's files ({inside})"))
}

/// The diagnostic at the `n`th alias of `page`, as written in its front
/// matter (the page's text is read again when the build left it on disk).
fn located(page: &Page, n: usize, message: String, help: String) -> Diagnostic {
    let d = Diagnostic::error(message).with_help(help);
    match page.with_text() {
        Ok(p) => {
            let span = span_of(
                &p.text[..p.body.start.min(p.text.len())],
                &p.meta.aliases,
                n,
            );
            d.at(&p.shown, &p.text, span)
        }
        Err(_) => d.at(&page.shown, &page.text, 0..0),
    }
}

/// Where the `n`th of `aliases` is written in `front` (the front matter):
/// after the `aliases` key, each alias found after the one before it.
fn span_of(front: &str, aliases: &[String], n: usize) -> Range<usize> {
    let Some(key) = front.find("aliases") else {
        return 0..front.len().min(3);
    };
    let mut at = key + "aliases".len();
    let mut span = key..at;
    for alias in &aliases[..=n] {
        match front[at..].find(alias.as_str()) {
            Some(i) if !alias.is_empty() => {
                span = at + i..at + i + alias.len();
                at = span.end;
            }
            _ => span = key..key + "aliases".len(),
        }
    }
    span
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_become_output_paths() {
        for (alias, out) in [
            ("old.html", "old.html"),
            ("/old/page.html", "old/page.html"),
            ("old/", "old/index.html"),
            ("/old/folder", "old/folder/index.html"),
            ("old/a%20b.htm", "old/a b.htm"),
            ("/", "index.html"),
        ] {
            assert_eq!(output_of(alias).as_deref(), Ok(out), "{alias}");
        }
        for bad in [
            "https://a.org/x.html",
            "//a.org/x",
            "../x.html",
            "a/./b.html",
            "a.html?x=1",
            "a.html#top",
            "a\\b.html",
            "old.php",
            "a//b.html",
            "c:/x.html",
        ] {
            assert!(output_of(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn spans_follow_the_aliases_in_order() {
        let front = "+++\ntitle = \"old.html\"\naliases = [\"a.html\", \"old.html\"]\n+++\n";
        let aliases = ["a.html".to_string(), "old.html".to_string()];
        let span = span_of(front, &aliases, 1);
        assert_eq!(&front[span.clone()], "old.html");
        assert!(span.start > front.find("aliases").unwrap_or(0));
    }
}
