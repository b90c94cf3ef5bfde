//! Files made from the whole rendered site, for publishing and offline
//! reading. Each gets what every page left behind in a
//! [`PageRecord`](crate::record::PageRecord).
//!
//! Written on every build: `.nojekyll`, the search index under `search/`
//! and `print.html`;
//! a redirect page for each alias of a page (its `aliases`);
//! `CNAME` with `cname` in versus.toml; `sitemap.xml`, `robots.txt` and
//! `atom.xml` only when `base_url` is known (they need absolute URLs).
//! On a site in several languages, [`write`] runs once per language, each
//! language's files under its folder (`fr/search/`, `fr/print.html`, ...;
//! `.nojekyll`, `CNAME` and `robots.txt` only at the root).
//! docs/publishing.md describes each file.

pub mod bundle;
mod feeds;
pub mod print;
mod redirects;
pub mod search;
mod site;

pub use site::{Language, RenderedSite};

use std::sync::Arc;

use crate::output::Staging;
use crate::record::PageRecord;
use crate::report::diagnostic::Diagnostic;
use crate::report::error::{IoContext, Result};
use std::path::Path;

/// Writes the site-wide files into the staging output. Problems that
/// should fail the build come back as diagnostics.
pub fn write(site: &RenderedSite<'_>, staging: &Staging) -> Result<Vec<Diagnostic>> {
    let config = site.config;
    let mut diags = Vec::new();

    let at_root = site.lang.as_ref().is_none_or(|l| l.is_default);
    // GitHub Pages runs Jekyll on a branch deploy unless told not to, and
    // Jekyll drops files and folders starting with `_`.
    if at_root {
        staging.write(".nojekyll", b"")?;
        if let Some(cname) = &config.cname {
            staging.write("CNAME", format!("{cname}\n").as_bytes())?;
        }
    }

    let words = site.renderer.words();
    let moved = redirects::Moved {
        lang: site.code(),
        title: words.get(site.code(), "moved_title"),
        heading: words.get(site.code(), "moved_heading"),
        text: words.get(site.code(), "moved_text"),
    };
    for r in site.records {
        for alias in &r.aliases {
            let page = redirects::page(config, &moved, alias, &r.output, &r.title);
            staging.write(alias, page.as_bytes())?;
        }
    }

    let mut skipped = Vec::new();
    // A language's stand-ins for untranslated pages are not in its feed
    // or sitemap: their text is the default language's.
    let own: Vec<Arc<PageRecord>> = match &site.lang {
        Some(l) => site
            .records
            .iter()
            .filter(|r| !l.fallbacks.contains(&r.output))
            .cloned()
            .collect(),
        None => site.records.to_vec(),
    };
    let prefix = site.prefix;
    match config.base_url.as_deref() {
        Some(base) => {
            if config.sitemap != Some(false) {
                let alternates = site.lang.as_ref().map(|l| l.alternates);
                staging.write(
                    &format!("{prefix}sitemap.xml"),
                    feeds::sitemap(base, &own, site.tag_pages, alternates).as_bytes(),
                )?;
                if at_root {
                    let prefixes = site.lang.as_ref().map_or(&[][..], |l| l.prefixes);
                    staging.write("robots.txt", feeds::robots(base, prefixes).as_bytes())?;
                }
            }
            if config.feed != Some(false) {
                let file = format!("{prefix}atom.xml");
                if let Some(atom) =
                    feeds::atom(&site.feed_head(), base, &own, prefix).at(Path::new(&file))?
                {
                    staging.write(&file, atom.as_bytes())?;
                }
            }
        }
        None if !at_root => {}
        None => {
            if config.sitemap == Some(true) {
                skipped.push("sitemap.xml and robots.txt (`sitemap = true`)");
            }
            if config.feed == Some(true) {
                skipped.push("atom.xml (`feed = true`)");
            }
            if config.cards == crate::config::Cards::All {
                skipped.push("social cards (`cards = \"all\"`)");
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
            search::build(site.records, site.code(), &|b| staging.keep_bytes(b))
                .and_then(|index| {
                    let dir = format!("{prefix}{}", search::DIR);
                    search::write(index, site.records, site.same_docs, &dir, staging)
                })
                .map(|_| ())
        },
        || print::write(site, staging),
    );
    index?;
    diags.extend(print?);
    Ok(diags)
}
