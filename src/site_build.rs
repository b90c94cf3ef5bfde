//! A whole build: the pipeline's stages (load, parse, render, in
//! [`crate::pipeline`]), then the files made from every page (the search
//! index, print.html and feeds, in [`crate::publish`]), then the output
//! put in place. `build` writes to disk, from nothing or from what the
//! last build kept ([`crate::cache`]); `watch` and `check` build in memory.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Instant;

use crate::cache::changes::{self, Plan};
use crate::cache::{self, Cache, Draft};
use crate::content::Page;
use crate::highlight::Highlighter;
use crate::output::{Files, Staging};
use crate::pipeline::{Options, Report, Session, Steps, check_out_dir};
use crate::publish;
use crate::record::PageRecord;
use crate::report::diagnostic::Diagnostic;
use crate::report::error::Result;
use crate::report::progress::Progress;

/// Builds the site into the output folder. On any error, returns all
/// diagnostics and leaves the output folder as it was. With `use_cache`,
/// what the last build kept in `.versus/` ([`crate::cache`]) spares the
/// work whose inputs did not change; the cache is written either way.
pub fn to_disk(opts: &Options, use_cache: bool) -> Result<Report> {
    let start = Instant::now();
    let out = opts.out_dir();
    check_out_dir(&opts.root, &opts.root.join("content"), &out)?;
    let cache = if use_cache {
        Cache::open(opts).unwrap_or_else(|why| {
            eprintln!("build cache: not used, {why}");
            None
        })
    } else {
        None
    };
    // Outlines are kept for pages whose source is the same, unless the
    // Markdown options they depend on may have changed.
    let same_config = cache.as_ref().is_some_and(|c| c.same_config(&opts.root));
    let known = |p: &Page| {
        let c = cache.as_ref().filter(|_| same_config)?;
        c.page(p.id(), p.source_sum()).map(|e| e.outline.clone())
    };
    // A build renders each page once: it reads page texts again when it
    // needs them instead of keeping them (a 100,000-page site has a
    // gigabyte of Markdown).
    let (mut session, mut steps) =
        Session::load_with(opts, Arc::new(Highlighter::new()), true, &known)?;
    let mut rendered = session.content().pages.len();
    match cache.map(|c| (changes::plan(&c.index, &session), c)) {
        Some((Ok(Plan::Nothing), c)) => {
            rendered = 0;
            for (i, rel) in unrendered(&session, &BTreeSet::new()) {
                session.restore_warnings(i, c.warnings(&opts.root, &rel));
            }
            session.keep(Vec::new())?;
            steps.done("render");
        }
        Some((Ok(Plan::Pages(pages)), c)) => {
            rendered = pages.len();
            update(opts, &mut session, &mut steps, c, &pages)?;
        }
        Some((Err(e), _)) => return Err(e),
        Some((Ok(Plan::All(why)), _)) => {
            eprintln!("build cache: rendering every page: {why}");
            from_scratch(opts, &mut session, &mut steps)?
        }
        None => from_scratch(opts, &mut session, &mut steps)?,
    }
    let mut report = session.report(out);
    report.rendered = rendered;
    report.elapsed = start.elapsed();
    report.steps = steps.steps;
    Ok(report)
}

/// A build from nothing: a fresh output swapped in whole, and a new cache.
fn from_scratch(opts: &Options, session: &mut Session, steps: &mut Steps) -> Result<()> {
    let (texts, texts_path) = cache::new_texts(opts)?;
    let built = (|| {
        let staging = Staging::new(&opts.out_dir(), Some(Arc::clone(&texts)))?;
        session.render_all(&staging, opts.progress)?;
        let draft = Draft::of(opts, session)?;
        session.release_sources();
        steps.done("render");
        write_site_files(session, &staging, false)?;
        let sums = staging.sums();
        let inputs = staging.inputs();
        cache::invalidate(opts)?;
        let removal = staging.commit(&[])?;
        steps.done("write");
        Ok((draft, sums, inputs, removal))
    })();
    let (draft, sums, inputs, removal) = match built {
        Ok(b) => b,
        Err(e) => {
            let _ = std::fs::remove_file(&texts_path);
            return Err(e);
        }
    };
    keep_cache(draft.save(opts, sums, &inputs, None, &texts, Some(&texts_path)));
    drop(removal);
    steps.done("cache");
    Ok(())
}

/// A build that renders `pages` again, takes the other pages' records
/// from `cache`, makes the site-wide files again and moves into the
/// output folder only the files whose bytes changed.
fn update(
    opts: &Options,
    session: &mut Session,
    steps: &mut Steps,
    cache: Cache,
    pages: &BTreeSet<usize>,
) -> Result<()> {
    let records = session
        .content()
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let kept = cache.page_entry(p.id()).and_then(|e| e.record.clone());
            kept.filter(|_| !pages.contains(&i))
                .map(|k| PageRecord::from_kept(k, &cache.texts))
        })
        .collect();
    session.adopt(changes::graph_of(&cache.index, session), records);
    for (i, rel) in unrendered(session, pages) {
        let warnings = cache.warnings(&opts.root, &rel);
        session.restore_warnings(i, warnings);
    }
    let staging = Staging::update(
        &opts.out_dir(),
        cache.sums(),
        cache.inputs(),
        Arc::clone(&cache.texts),
    )?;
    let list: Vec<usize> = pages.iter().copied().collect();
    let bar = Progress::new(opts.progress, list.len() as u64, "rendering");
    session.render_pages(&list, &staging, &bar)?;
    bar.finish();
    // The search index's documents keep their numbers when every page
    // rendered again gives as many as before.
    let same_docs = list.iter().all(|&i| {
        let before = cache
            .page_entry(session.content().pages[i].id())
            .and_then(|e| e.record.as_ref())
            .map(|r| r.docs());
        let now = session.records_by_page()[i].as_ref().map(|r| r.docs);
        before.is_some() && before == now
    });
    let draft = Draft::of(opts, session)?;
    session.release_sources();
    steps.done("render");
    write_site_files(session, &staging, same_docs)?;
    let mut sums = staging.sums();
    let inputs = staging.inputs();
    let known = cache.sums();
    for (i, page) in session.content().pages.iter().enumerate() {
        if !pages.contains(&i) {
            if let Some(sum) = known.get(&page.output) {
                sums.insert(page.output.clone(), *sum);
            }
            // Its social card, if it has one, is kept with it.
            let card = crate::render::card::path_of(&page.output);
            if let Some(sum) = known.get(&card) {
                sums.insert(card, *sum);
            }
        }
    }
    let gone: Vec<String> = known
        .keys()
        .filter(|k| !sums.contains_key(*k))
        .cloned()
        .collect();
    cache::invalidate(opts)?;
    let removal = staging.commit(&gone)?;
    steps.done("write");
    keep_cache(draft.save(opts, sums, &inputs, Some(&cache.index), &cache.texts, None));
    drop(removal);
    steps.done("cache");
    Ok(())
}

/// The pages not in `pages`: (index, name in the cache).
fn unrendered(session: &Session, pages: &BTreeSet<usize>) -> Vec<(usize, String)> {
    session
        .content()
        .pages
        .iter()
        .enumerate()
        .filter(|(i, _)| !pages.contains(i))
        .map(|(i, p)| (i, p.id().to_string()))
        .collect()
}

/// A cache that cannot be written costs the next build time, not this
/// build its output: say so and go on.
fn keep_cache(saved: Result<()>) {
    if let Err(e) = saved {
        eprintln!("build cache: not written ({e}); the next build starts from nothing");
    }
}

/// Builds the site in memory (for `watch` and `check`).
/// `highlighter` may come from an earlier build, to reuse its work.
pub fn in_memory(opts: &Options, highlighter: Arc<Highlighter>) -> Result<(Session, Files)> {
    let (mut session, _) = Session::load(opts, highlighter, false)?;
    let staging = Staging::memory();
    session.render_all(&staging, false)?;
    write_site_files(&mut session, &staging, false)?;
    Ok((session, staging.into_files()))
}

/// The files made from the whole site: search index, print.html, feeds,
/// then the 404 page, stylesheets, static files and assets.
/// `same_docs`: see [`publish::RenderedSite::same_docs`].
fn write_site_files(session: &mut Session, out: &Staging, same_docs: bool) -> Result<()> {
    let diags = publish_job(session, same_docs)(out)?;
    session.keep(diags)?;
    session.write_extras(out)
}

/// The files made from every page (search index, print.html, feeds), as
/// work detached from the session (it holds shared copies of what it
/// reads), so that `watch` can run it on another thread while pages keep
/// being rebuilt.
pub fn publish_job(
    session: &Session,
    same_docs: bool,
) -> impl FnOnce(&Staging) -> Result<Vec<Diagnostic>> + Send + 'static {
    let mut records: Vec<Arc<PageRecord>> = session.records().cloned().collect();
    records.sort_by_key(|r| r.position);
    let config = session.config().clone();
    let renderer = Arc::clone(session.renderer());
    let tag_pages = session.tag_outputs();
    let languages = publish_languages(session, &records, &tag_pages);
    move |out: &Staging| {
        let Some(languages) = languages else {
            let site = publish::RenderedSite {
                config: &config,
                renderer: &renderer,
                records: &records,
                same_docs,
                tag_pages: &tag_pages,
                lang: None,
                lang_view: None,
                site: None,
                prefix: "",
            };
            return publish::write(&site, out);
        };
        let mut diags = Vec::new();
        for l in &languages.each {
            let site = publish::RenderedSite {
                config: &l.config,
                renderer: &renderer,
                records: &l.records,
                same_docs,
                tag_pages: &l.tag_pages,
                lang: Some(publish::Language {
                    code: &l.config.language,
                    is_default: l.prefix.is_empty(),
                    prefixes: &languages.prefixes,
                    alternates: &languages.alternates,
                    fallbacks: &languages.fallbacks,
                }),
                lang_view: Some(l.lang_view.clone()),
                site: Some(l.site_view.clone()),
                prefix: &l.prefix,
            };
            diags.extend(publish::write(&site, out)?);
        }
        Ok(diags)
    }
}

/// The site-wide files of each language of a site of several.
struct PublishLanguages {
    each: Vec<PublishLanguage>,
    prefixes: Vec<String>,
    alternates: std::collections::HashMap<String, Vec<(String, String)>>,
    fallbacks: std::collections::HashSet<String>,
}

/// One language's part of the site.
struct PublishLanguage {
    /// versus.toml with the language's title, description and code.
    config: crate::config::Config,
    prefix: String,
    records: Vec<Arc<PageRecord>>,
    tag_pages: Vec<String>,
    lang_view: serde_json::Value,
    site_view: serde_json::Value,
}

/// On a site of several languages, what each language's site-wide files
/// are made from: its pages (by their folder), its tag pages, and every
/// page's translations (`None` on a site of one language).
fn publish_languages(
    session: &Session,
    records: &[Arc<PageRecord>],
    tag_pages: &[String],
) -> Option<PublishLanguages> {
    let content = session.content();
    if content.langs.len() < 2 {
        return None;
    }
    let config = session.config();
    let lang_of = |output: &str| {
        content
            .langs
            .iter()
            .skip(1)
            .position(|l| output.starts_with(&l.prefix))
            .map_or(0, |i| i + 1)
    };
    let each = content
        .langs
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let mut config = config.clone();
            config.title.clone_from(&l.title);
            config.description.clone_from(&l.description);
            config.language.clone_from(&l.code);
            let site_view = serde_json::to_value(crate::render::views::SiteView::new(&config))
                .unwrap_or_default();
            PublishLanguage {
                lang_view: serde_json::json!({
                    "code": l.code, "name": l.name, "dir": l.dir.as_str(),
                    "prefix": l.prefix, "is_default": i == 0, "fallback": null,
                }),
                site_view,
                config,
                prefix: l.prefix.clone(),
                records: records
                    .iter()
                    .filter(|r| lang_of(&r.output) == i)
                    .cloned()
                    .collect(),
                tag_pages: tag_pages
                    .iter()
                    .filter(|t| lang_of(t) == i)
                    .cloned()
                    .collect(),
            }
        })
        .collect();
    Some(PublishLanguages {
        each,
        prefixes: content.langs.iter().map(|l| l.prefix.clone()).collect(),
        alternates: alternates(content),
        fallbacks: content
            .pages
            .iter()
            .filter(|p| p.fallback)
            .map(|p| p.output.clone())
            .collect(),
    })
}

/// Each translated page's versions for the sitemap, by its output path:
/// (`hreflang`, output path), `x-default` (the default language's) first,
/// then each language's in order; stand-ins are no versions.
fn alternates(
    content: &crate::content::Content,
) -> std::collections::HashMap<String, Vec<(String, String)>> {
    let mut all = std::collections::HashMap::new();
    for (i, page) in content.pages.iter().enumerate() {
        if page.fallback {
            continue;
        }
        let versions: Vec<&Page> = (0..content.langs.len())
            .filter_map(|lang| content.in_lang(i, lang))
            .map(|t| &content.pages[t])
            .filter(|t| !t.fallback)
            .collect();
        if versions.len() < 2 {
            continue;
        }
        let default = versions.iter().find(|t| t.lang == 0);
        let listed = default
            .map(|d| ("x-default".to_string(), d.output.clone()))
            .into_iter()
            .chain(
                versions
                    .iter()
                    .map(|t| (content.langs[t.lang].code.clone(), t.output.clone())),
            )
            .collect();
        all.insert(page.output.clone(), listed);
    }
    all
}
