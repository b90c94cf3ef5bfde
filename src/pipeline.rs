//! The build, as a list of named, timed steps:
//! load config -> load theme -> load content -> outline -> render -> write.
//!
//! Each step reports problems as diagnostics and the build goes on as far as
//! it can, so one run lists every error; nothing reaches the output folder
//! unless there were none.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use tera::Context;

use crate::config::{Config, LinkPolicy};
use crate::content::{Content, nav};
use crate::diagnostic::{self, Diagnostic};
use crate::error::{Error, Result};
use crate::highlight::{self, Highlighter};
use crate::markdown::{self, Env, Outline};
use crate::output::Staging;
use crate::progress::Progress;
use crate::publish::{self, PageRecord};
use crate::render::shortcodes::TeraShortcodes;
use crate::render::views::{Model, SiteView};
use crate::render::{Renderer, theme};

/// What to build and how.
#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    /// Output folder; relative paths are taken from `root`.
    pub out: PathBuf,
    pub drafts: bool,
    /// Overrides `links` from versus.toml.
    pub links: Option<LinkPolicy>,
    /// Show a progress bar on a terminal when the build takes over a second.
    pub progress: bool,
}

/// What a successful build did.
#[derive(Debug, Default)]
pub struct Report {
    pub pages: usize,
    pub data_files: usize,
    pub assets: usize,
    pub drafts: usize,
    pub warnings: Vec<Diagnostic>,
    pub out: PathBuf,
    pub elapsed: Duration,
    /// (step name, time) in order.
    pub steps: Vec<(&'static str, Duration)>,
}

struct Steps {
    last: Instant,
    steps: Vec<(&'static str, Duration)>,
}

impl Steps {
    fn done(&mut self, name: &'static str) {
        let now = Instant::now();
        self.steps.push((name, now - self.last));
        self.last = now;
    }
}

/// Builds the site. On any error, returns all diagnostics and leaves the
/// output folder as it was.
pub fn build(opts: &Options) -> Result<Report> {
    let start = Instant::now();
    let mut steps = Steps {
        last: start,
        steps: Vec::new(),
    };
    let root = &opts.root;
    let out = if opts.out.is_absolute() {
        opts.out.clone()
    } else {
        root.join(&opts.out)
    };

    let config = Config::load(root)?;
    let links = opts.links.unwrap_or(config.links);
    steps.done("config");

    let content_dir = root.join("content");
    check_out_dir(root, &content_dir, &out)?;
    let mut diags = Vec::new();
    let theme = theme::load(root, &config.theme).unwrap_or_else(|d| {
        diags.extend(d);
        theme::Theme::default()
    });
    steps.done("theme");

    let (content, content_diags) = Content::load(root, &content_dir, opts.drafts);
    diags.extend(content_diags);
    steps.done("content");

    let md_options = markdown::options(&config);
    let outlines: Vec<Outline> = content
        .pages
        .par_iter()
        .map(|p| markdown::outline(p, md_options))
        .collect();
    let order = nav::reading_order(&content);
    let positions = nav::positions(&order, content.pages.len());
    steps.done("outline");

    let mut renderer = match Renderer::new(&theme, &content_dir) {
        Ok(r) => Some(r),
        Err(d) => {
            diags.extend(d);
            None
        }
    };
    if let Some(r) = &mut renderer {
        r.set_global("site", &SiteView::new(&config));
    }
    let css = highlight::stylesheet(&config.highlight)
        .map_err(|d| diags.push(d))
        .ok();
    if has_errors(&diags) {
        return Err(fail(diags));
    }
    let (Some(renderer), Some(css)) = (renderer, css) else {
        return Err(fail(diags));
    };
    steps.done("templates");

    let staging = Staging::new(&out)?;
    let highlighter = Highlighter::new();
    let store = crate::data::Store::new(root, &content_dir);
    let shortcodes = TeraShortcodes::new(&renderer, &store);
    let env = Env {
        root,
        content: &content,
        outlines: &outlines,
        highlighter: &highlighter,
        links,
        options: md_options,
        shortcodes: Some(&shortcodes),
    };
    let model = Model {
        content: &content,
        outlines: &outlines,
        order: &order,
        positions: &positions,
    };
    let progress = Progress::new(opts.progress, content.pages.len() as u64, "rendering");
    let results: Vec<PageResult> = (0..content.pages.len())
        .into_par_iter()
        .map(|i| {
            let r = render_page(&env, &model, &renderer, &staging, i);
            progress.inc();
            r
        })
        .collect();
    progress.finish();
    let mut unknown_langs: BTreeMap<String, Diagnostic> = BTreeMap::new();
    let mut records = Vec::with_capacity(results.len());
    for r in results {
        diags.extend(r.diags);
        records.extend(r.record);
        for (lang, d) in r.unknown_langs {
            unknown_langs.entry(lang).or_insert(d);
        }
        if let Some(e) = r.io {
            return Err(e);
        }
    }
    diags.extend(unknown_langs.into_values());
    steps.done("render");

    if has_errors(&diags) {
        return Err(fail(diags));
    }
    records.sort_by_key(|r| r.position);
    let site = publish::Site {
        config: &config,
        renderer: &renderer,
        records: &records,
    };
    diags.extend(publish::write(&site, &staging)?);
    write_extras(
        &staging, &renderer, &model, &theme, &content, root, &css, &mut diags,
    )?;
    if has_errors(&diags) {
        return Err(fail(diags));
    }
    staging.commit()?;
    steps.done("write");

    diagnostic::sort(&mut diags);
    Ok(Report {
        pages: content.pages.len(),
        data_files: content.data.len(),
        assets: content.assets.len(),
        drafts: content.drafts,
        warnings: diags,
        out,
        elapsed: start.elapsed(),
        steps: steps.steps,
    })
}

fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(Diagnostic::is_error)
}

fn fail(mut diags: Vec<Diagnostic>) -> Error {
    diagnostic::sort(&mut diags);
    Error::Content(diags)
}

/// The output folder must not be the site itself or hold the content.
fn check_out_dir(root: &Path, content_dir: &Path, out: &Path) -> Result<()> {
    let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let (root_c, out_c, content_c) = (canon(root), canon(out), canon(content_dir));
    if out_c == root_c || content_c.starts_with(&out_c) || out_c.starts_with(&content_c) {
        return Err(Error::Usage(format!(
            "the output folder {} would overwrite the site's own files: choose another --out",
            out.display()
        )));
    }
    Ok(())
}

#[derive(Default)]
struct PageResult {
    diags: Vec<Diagnostic>,
    unknown_langs: Vec<(String, Diagnostic)>,
    io: Option<Error>,
    record: Option<PageRecord>,
}

fn render_page(
    env: &Env<'_>,
    model: &Model<'_>,
    renderer: &Renderer,
    staging: &Staging,
    i: usize,
) -> PageResult {
    let page = &env.content.pages[i];
    let body = markdown::render(env, i);
    let mut result = PageResult {
        diags: body.diags,
        unknown_langs: body.unknown_langs,
        io: None,
        record: None,
    };
    if result.diags.iter().any(Diagnostic::is_error) {
        return result;
    }
    let kind = model.kind(i);
    let template = match &page.meta.template {
        Some(t) => t.clone(),
        None => match kind {
            "index" => "index.html".to_string(),
            "section" => "section.html".to_string(),
            _ => "page.html".to_string(),
        },
    };
    if !renderer.has_template(&template) {
        let d = Diagnostic::error(format!(
            "front matter asks for template `{template}`, which the theme lacks"
        ))
        .at(&page.shown, &page.text, 0..page.body.start.min(3))
        .with_help("add it under templates/, or remove `template` from the front matter");
        result.diags.push(d);
        return result;
    }
    let mut ctx = Context::new();
    ctx.insert("root", &crate::paths::root_prefix(&page.output));
    let view = model.page(i, body.html);
    result.record = Some(PageRecord {
        position: model.positions[i],
        kind,
        output: page.output.clone(),
        title: view.title.to_string(),
        description: view.description.map(str::to_string),
        date: page.meta.date.as_ref().map(|d| d.0.clone()),
        sections: body.sections,
        body_html: view.content.clone(),
    });
    ctx.insert("page", &view);
    ctx.insert("section", &model.section(i));
    ctx.insert("nav", &model.nav(i));
    ctx.insert("breadcrumbs", &model.breadcrumbs(i));
    let (prev, next) = model.prev_next(i);
    ctx.insert("prev", &prev);
    ctx.insert("next", &next);
    ctx.insert("watch", &false);
    match renderer.render(&template, &ctx, &page.shown) {
        Ok(html) => {
            if let Err(e) = staging.write(&page.output, html.as_bytes()) {
                result.io = Some(e);
            }
        }
        Err(d) => result.diags.push(d),
    }
    result
}

/// 404 page, highlight stylesheet, theme and site static files, content assets.
#[allow(clippy::too_many_arguments)]
fn write_extras(
    staging: &Staging,
    renderer: &Renderer,
    model: &Model<'_>,
    theme: &theme::Theme,
    content: &Content,
    root: &Path,
    css: &str,
    diags: &mut Vec<Diagnostic>,
) -> Result<()> {
    let mut ctx = Context::new();
    ctx.insert("root", "");
    let not_found = crate::render::views::PageView {
        kind: "404",
        title: "Page not found",
        description: None,
        date: None,
        tags: &[],
        extra: &serde_json::Map::new(),
        content: String::new(),
        toc: Vec::new(),
        path: "404.html",
        source: "",
        word_count: 0,
        reading_minutes: 1,
    };
    ctx.insert("page", &not_found);
    ctx.insert("section", &None::<()>);
    ctx.insert(
        "nav",
        &model.nav(content.sections.first().map_or(0, |s| s.index)),
    );
    ctx.insert("breadcrumbs", &Vec::<()>::new());
    ctx.insert("prev", &None::<()>);
    ctx.insert("next", &None::<()>);
    ctx.insert("watch", &false);
    match renderer.render("404.html", &ctx, Path::new("404.html")) {
        Ok(html) => staging.write("404.html", html.as_bytes())?,
        Err(d) => diags.push(d),
    }
    staging.write("highlight.css", css.as_bytes())?;
    for (rel, file) in &theme.statics {
        match file {
            theme::StaticFile::Embedded(bytes) => staging.write(rel, bytes)?,
            theme::StaticFile::Disk(path) => staging.copy(rel, path)?,
        }
    }
    let site_static = root.join("static");
    if site_static.is_dir() {
        let (files, d) = crate::content::walk::walk(&site_static);
        diags.extend(d);
        for f in files {
            staging.copy(&f.rel, &f.abs)?;
        }
    }
    for asset in &content.assets {
        staging.copy(&asset.rel, &asset.abs)?;
    }
    Ok(())
}
