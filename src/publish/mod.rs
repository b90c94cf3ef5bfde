//! Files made from the whole rendered site, for publishing and offline
//! reading. Each gets what every page left behind in a [`PageRecord`].
//!
//! Written on every build: `.nojekyll`, the search index under `search/`
//! and `print.html`;
//! `CNAME` with `cname` in versus.toml; `sitemap.xml`, `robots.txt` and
//! `atom.xml` only when `base_url` is known (they need absolute URLs).
//! docs/publishing.md describes each file.

pub mod bundle;
mod feeds;
pub mod print;
pub mod search;

pub use crate::record::{PageRecord, is_doc};

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::error::{IoContext, Result};
use crate::output::Staging;
use crate::render::Renderer;
use std::path::Path;

/// The rendered site, as the site-wide writers read it.
pub struct Rendered<'a> {
    pub config: &'a Config,
    pub renderer: &'a Renderer,
    /// Pages in reading order.
    pub records: &'a [std::sync::Arc<PageRecord>],
}

/// Writes the site-wide files into the staging output. Problems that
/// should fail the build come back as diagnostics.
pub fn write(site: &Rendered<'_>, staging: &Staging) -> Result<Vec<Diagnostic>> {
    let config = site.config;
    let mut diags = Vec::new();

    // GitHub Pages runs Jekyll on a branch deploy unless told not to, and
    // Jekyll drops files and folders starting with `_`.
    staging.write(".nojekyll", b"")?;
    if let Some(cname) = &config.cname {
        staging.write("CNAME", format!("{cname}\n").as_bytes())?;
    }

    let mut skipped = Vec::new();
    match config.base_url.as_deref() {
        Some(base) => {
            if config.sitemap != Some(false) {
                staging.write("sitemap.xml", feeds::sitemap(base, site.records).as_bytes())?;
                staging.write("robots.txt", feeds::robots(base).as_bytes())?;
            }
            if config.feed != Some(false) {
                if let Some(atom) =
                    feeds::atom(config, base, site.records).at(Path::new("atom.xml"))?
                {
                    staging.write("atom.xml", atom.as_bytes())?;
                }
            }
        }
        None => {
            if config.sitemap == Some(true) {
                skipped.push("sitemap.xml and robots.txt (`sitemap = true`)");
            }
            if config.feed == Some(true) {
                skipped.push("atom.xml (`feed = true`)");
            }
        }
    }
    if !skipped.is_empty() {
        diags.push(
            Diagnostic::warning(format!(
                "not written: {}; they need absolute URLs",
                skipped.join(", ")
            ))
            .with_help("set `base_url` (or `cname`) in versus.toml"),
        );
    }

    // The two big ones, each streamed to its file, side by side: each has
    // serial stretches (writing, joining) that the other's work fills.
    let (index, print) = rayon::join(
        || {
            search::build(site.records)
                .and_then(|index| search::write(index, site.records, staging))
                .map(|_| ())
        },
        || print::write(site, staging),
    );
    index?;
    diags.extend(print?);
    Ok(diags)
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
