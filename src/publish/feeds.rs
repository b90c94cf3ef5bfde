//! `sitemap.xml`, `robots.txt` and the Atom feed `atom.xml`: files for
//! crawlers and feed readers, which need absolute URLs, so they are only
//! written when `base_url` is known.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use crate::config::Config;
use crate::record::PageRecord;
use crate::text::escape;

/// Every page, in reading order, then the tag pages (sitemaps.org
/// protocol 0.9), each page with the day it last changed (`updated`, from
/// git or front matter, else its `date`). Redirects (aliases) are not
/// pages: they are left out. With `alternates` (a site of several
/// languages), each page translated lists every language's version as an
/// `xhtml:link rel="alternate" hreflang` (and `x-default`, the default's).
pub fn sitemap(
    base: &str,
    records: &[Arc<PageRecord>],
    tag_pages: &[String],
    alternates: Option<&HashMap<String, Vec<(String, String)>>>,
) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(match alternates {
        None => "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        Some(_) => {
            "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
             xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n"
        }
    });
    for r in records {
        let _ = write!(
            out,
            "  <url>\n    <loc>{}</loc>\n",
            escape::xml(&absolute_url(base, &r.output))
        );
        let changed = r.updated.as_deref().or(r.date.as_deref());
        if let Some(day) = changed.and_then(|d| d.get(..10)) {
            let _ = writeln!(out, "    <lastmod>{}</lastmod>", escape::xml(day));
        }
        let versions = alternates.and_then(|a| a.get(&r.output));
        for (code, path) in versions.into_iter().flatten() {
            let href = escape::xml(&absolute_url(base, path));
            let _ = writeln!(
                out,
                "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{href}\"/>",
                escape::xml(code)
            );
        }
        out.push_str("  </url>\n");
    }
    for page in tag_pages {
        let url = escape::xml(&absolute_url(base, page));
        let _ = write!(out, "  <url>\n    <loc>{url}</loc>\n  </url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// What a feed says about itself.
pub struct FeedHead<'a> {
    /// Its `xml:lang`.
    pub lang: &'a str,
    pub title: &'a str,
    pub description: &'a str,
}

impl<'a> FeedHead<'a> {
    /// The site's, as versus.toml says.
    pub fn of(config: &'a Config) -> Self {
        FeedHead {
            lang: &config.language,
            title: &config.title,
            description: &config.description,
        }
    }
}

/// Allows everything and names the sitemap (one per language folder in
/// `prefixes`, when the site has several). Crawlers read `robots.txt`
/// only at the root of a host, so under a project path it is inert.
pub fn robots(base: &str, prefixes: &[String]) -> String {
    let mut out = format!("User-agent: *\nAllow: /\n\nSitemap: {base}/sitemap.xml\n");
    for prefix in prefixes.iter().filter(|p| !p.is_empty()) {
        let _ = writeln!(out, "Sitemap: {base}/{prefix}sitemap.xml");
    }
    out
}

/// The pages with a front matter `date`, most recently updated first (RFC
/// 4287): an entry is `updated` when the page last changed (from git or
/// front matter), else at its `date`, and `published` at its `date`.
/// `None` when no page has a date. `head`: the feed's language, title and
/// description (those of the language's pages, on a site of several).
pub fn atom(
    head: &FeedHead<'_>,
    base: &str,
    records: &[Arc<PageRecord>],
    prefix: &str,
) -> std::io::Result<Option<String>> {
    let mut dated: Vec<(String, &PageRecord)> = records
        .iter()
        .filter(|r| r.date.is_some())
        .filter_map(|r| {
            r.updated
                .as_deref()
                .or(r.date.as_deref())
                .map(|d| (rfc3339(d), &**r))
        })
        .collect();
    if dated.is_empty() {
        return Ok(None);
    }
    // Newest first; equal dates keep reading order.
    dated.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.position.cmp(&b.1.position)));
    let home = absolute_url(base, &format!("{prefix}index.html"));
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\"");
    let _ = writeln!(out, " xml:lang=\"{}\">", escape::xml(head.lang));
    let _ = writeln!(out, "  <title>{}</title>", escape::xml(head.title));
    if !head.description.is_empty() {
        let _ = writeln!(
            out,
            "  <subtitle>{}</subtitle>",
            escape::xml(head.description)
        );
    }
    let _ = writeln!(out, "  <id>{}</id>", escape::xml(&home));
    let _ = writeln!(
        out,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        escape::xml(&format!("{base}/{prefix}atom.xml"))
    );
    let _ = writeln!(
        out,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape::xml(&home)
    );
    let _ = writeln!(out, "  <updated>{}</updated>", dated[0].0);
    let _ = writeln!(
        out,
        "  <author><name>{}</name></author>",
        escape::xml(head.title)
    );
    out.push_str("  <generator>versus</generator>\n");
    for (updated, r) in &dated {
        let url = escape::xml(&absolute_url(base, &r.output));
        out.push_str("  <entry>\n");
        let _ = writeln!(out, "    <title>{}</title>", escape::xml(&r.title));
        let _ = writeln!(out, "    <id>{url}</id>");
        let _ = writeln!(
            out,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>"
        );
        let _ = writeln!(out, "    <updated>{updated}</updated>");
        if let (Some(_), Some(date)) = (&r.updated, &r.date) {
            let _ = writeln!(out, "    <published>{}</published>", rfc3339(date));
        }
        let summary = summary(r)?;
        if !summary.is_empty() {
            let _ = writeln!(out, "    <summary>{}</summary>", escape::xml(&summary));
        }
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    Ok(Some(out))
}

/// The description, else the start of the page's text.
fn summary(r: &PageRecord) -> std::io::Result<String> {
    if let Some(d) = &r.description {
        return Ok(d.clone());
    }
    let sections = r.sections()?;
    let words: Vec<&str> = sections
        .iter()
        .flat_map(|s| s.text.split_whitespace())
        .take(51)
        .collect();
    Ok(if words.len() <= 50 {
        words.join(" ")
    } else {
        format!("{} …", words[..50].join(" "))
    })
}

/// A front matter date as an RFC 3339 date-time: a bare day is midnight
/// UTC, a time without offset is taken as UTC.
fn rfc3339(date: &str) -> String {
    let day = &date[..date.len().min(10)];
    let rest = date.get(11..).unwrap_or("").trim();
    if rest.is_empty() {
        return format!("{day}T00:00:00Z");
    }
    let (time, offset) = match rest.find(['Z', 'z', '+', '-']) {
        Some(i) => (&rest[..i], rest[i..].to_ascii_uppercase()),
        None => (rest, "Z".to_string()),
    };
    let time = if time.len() == 5 {
        format!("{time}:00")
    } else {
        time.to_string()
    };
    format!("{day}T{time}{offset}")
}

/// The public URL of the output file `path` under `base` (no trailing
/// slash): `index.html` files are addressed by their folder.
pub fn absolute_url(base: &str, path: &str) -> String {
    let path = if path == "index.html" {
        ""
    } else {
        path.strip_suffix("/index.html")
            .map_or(path, |dir| &path[..dir.len() + 1])
    };
    let mut url = String::with_capacity(base.len() + path.len() + 1);
    url.push_str(base);
    url.push('/');
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=:@".contains(&b) {
            url.push(b as char);
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(output: &str, title: &str, date: Option<&str>, position: usize) -> Arc<PageRecord> {
        let mut r = PageRecord::for_test(output, title, &[(None, "", "Some <text> & more")], "");
        r.position = position;
        r.date = date.map(str::to_string);
        Arc::new(r)
    }

    #[test]
    fn dates_become_rfc3339() {
        assert_eq!(rfc3339("2024-05-01"), "2024-05-01T00:00:00Z");
        assert_eq!(rfc3339("2024-05-01T10:20:30Z"), "2024-05-01T10:20:30Z");
        assert_eq!(rfc3339("2024-05-01 10:20"), "2024-05-01T10:20:00Z");
        assert_eq!(
            rfc3339("2024-05-01T10:20:30+02:00"),
            "2024-05-01T10:20:30+02:00"
        );
        assert_eq!(rfc3339("2024-05-01T10:20:30.5"), "2024-05-01T10:20:30.5Z");
    }

    #[test]
    fn feed_lists_dated_pages_newest_first() {
        let records = [
            record("index.html", "Home", None, 0),
            record("old.html", "Old", Some("2023-01-02"), 1),
            record("new.html", "New & shiny", Some("2024-03-04"), 2),
        ];
        let config = Config::default();
        let atom = atom(&FeedHead::of(&config), "https://a.org/r", &records, "")
            .ok()
            .flatten()
            .unwrap_or_default();
        let new = atom
            .find("<title>New &amp; shiny</title>")
            .unwrap_or(usize::MAX);
        let old = atom.find("<title>Old</title>").unwrap_or(0);
        assert!(new < old, "{atom}");
        assert!(atom.contains("<updated>2024-03-04T00:00:00Z</updated>"));
        assert!(atom.contains("<id>https://a.org/r/new.html</id>"));
        assert!(atom.contains("<summary>Some &lt;text&gt; &amp; more</summary>"));
        assert!(!atom.contains("Home"), "{atom}");
        assert!(matches!(
            super::atom(&FeedHead::of(&config), "https://a.org", &records[..1], ""),
            Ok(None)
        ));
    }

    #[test]
    fn absolute_urls_address_index_files_by_folder() {
        let b = "https://a.org/repo";
        assert_eq!(absolute_url(b, "index.html"), "https://a.org/repo/");
        assert_eq!(
            absolute_url(b, "guide/index.html"),
            "https://a.org/repo/guide/"
        );
        assert_eq!(
            absolute_url(b, "guide/io.html"),
            "https://a.org/repo/guide/io.html"
        );
        assert_eq!(
            absolute_url(b, "myindex.html"),
            "https://a.org/repo/myindex.html"
        );
        assert_eq!(
            absolute_url(b, "a b/é.html"),
            "https://a.org/repo/a%20b/%C3%A9.html"
        );
    }
}
