//! What each fuzz target runs on one input, shared by the cargo-fuzz
//! targets (fuzz/fuzz_targets/) and by the regression replay in
//! tests/bad_input.rs, so a saved crash input is replayed through exactly
//! the code that found it.
//!
//! Every function takes raw bytes, calls the library's real functions, and
//! panics only where versus itself panics (or loops, or allocates without
//! bound, which libFuzzer reports as a timeout or an out-of-memory).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use versus::config::{Config, LinkPolicy};
use versus::content::front_matter::{self, FrontMatter, Split};
use versus::content::{Child, Content, Page, Section};
use versus::data::{self, Format, Source, matrix, results};
use versus::highlight::Highlighter;
use versus::markdown::{self, code};
use versus::present::{chart, tables};
use versus::render::Renderer;
use versus::render::shortcodes::TeraShortcodes;
use versus::render::views::Model;
use versus::render::{inline_markdown, theme};

/// What a target runs on one input.
pub type Target = fn(&[u8]);

/// The targets, by name (the folder names under fuzz/corpus/ and fuzz/regressions/).
pub const TARGETS: &[(&str, Target)] = &[
    ("front_matter", front_matter),
    ("markdown", markdown),
    ("data_csv", data_csv),
    ("data_json", data_json),
    ("data_toml", data_toml),
    ("data_yaml", data_yaml),
    ("info_string", info_string),
    ("line_ranges", line_ranges),
];

/// Front matter splitting and parsing, then what the page view reads of it.
pub fn front_matter(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let text: Arc<str> = Arc::from(text);
    match front_matter::split(Path::new("content/a.md"), &text) {
        Ok(split) => {
            assert!(split.body.start <= text.len() && split.body.end == text.len());
            let _ = &text[split.body.clone()];
            if let Some(d) = &split.front_matter.date {
                let _ = d.day();
            }
        }
        Err(d) => {
            let _ = d.to_string();
            let _ = d.render(false);
        }
    }
}

/// The info string of a fenced block, and the HTML of a block carrying it.
pub fn info_string(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    if let Ok(info) = code::parse_info(text) {
        let lines = vec!["let x = 1;".to_string(); 3];
        let mut html = String::new();
        code::block_html(
            &mut html,
            &code::Block {
                info: &info,
                lines: &lines,
            },
        );
        let blocks = [code::Block {
            info: &info,
            lines: &lines,
        }];
        code::group_html(&mut html, &blocks);
    }
}

/// `hl_lines` / `lines` ranges.
pub fn line_ranges(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    if let Ok(ranges) = code::parse_line_ranges(text) {
        for r in ranges {
            assert!(*r.start() >= 1 && r.start() <= r.end());
        }
    }
}

pub fn data_csv(bytes: &[u8]) {
    data_file(bytes, Format::Csv);
}

pub fn data_json(bytes: &[u8]) {
    data_file(bytes, Format::Json);
}

pub fn data_toml(bytes: &[u8]) {
    data_file(bytes, Format::Toml);
}

pub fn data_yaml(bytes: &[u8]) {
    data_file(bytes, Format::Yaml);
}

/// A data file through the loaders (both kinds are tried), then through
/// what the shortcodes do with the result: inline Markdown, the chart
/// layout, and the theme's shortcode templates.
fn data_file(bytes: &[u8], format: Format) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let ext = match format {
        Format::Csv => "csv",
        Format::Json => "json",
        Format::Toml => "toml",
        Format::Yaml => "yaml",
    };
    let src = Source {
        rel: format!("d.{ext}"),
        shown: PathBuf::from(format!("content/d.{ext}")),
        text: Arc::from(text),
        format,
    };
    let fx = fixture();
    let sets = match format {
        Format::Csv => {
            // With and without a sidecar of metadata.
            let meta = results::Meta {
                title: Some("t".into()),
                date: Some("2026-01-02".into()),
                ..results::Meta::default()
            };
            vec![
                results::from_csv(&src, None).map_err(|d| d.to_string()),
                results::from_csv(&src, Some(meta)).map_err(|d| d.to_string()),
            ]
        }
        _ => {
            if let Ok(m) = matrix::parse(&src) {
                for row in &m.rows {
                    let _ = inline_markdown(&row.criterion);
                    if let Some(n) = &row.note {
                        let _ = inline_markdown(n);
                    }
                }
                let mut ctx = tera::Context::new();
                ctx.insert("id", "compare-0");
                ctx.insert("data_path", &src.rel);
                ctx.insert("matrix", &m);
                ctx.insert("title", &m.title);
                let _ = fx
                    .renderer
                    .render("shortcodes/compare.html", &ctx, Path::new("a.md"));
            }
            let _ = src.parse::<results::Meta>();
            vec![results::from_structured(&src).map_err(|d| d.to_string())]
        }
    };
    for set in sets.into_iter().flatten() {
        let metrics = tables::all_tables(&set);
        for table in &metrics {
            let Ok(drawn) = chart::Kind::Bars.draw(&set, table, None, &chart::English) else {
                continue;
            };
            let mut ctx = tera::Context::new();
            ctx.insert("id", "bench-0");
            ctx.insert("bench", &tables::BenchView::new(&set, &metrics));
            ctx.insert("tables", &[table]);
            ctx.insert("title", &set.meta.title);
            ctx.insert("kind", chart::Kind::Bars.name());
            ctx.insert("fit_class", &drawn.fit_class);
            for (name, layout) in &drawn.layouts {
                ctx.insert(*name, layout);
            }
            for t in ["shortcodes/bench_table.html", "shortcodes/bench_chart.html"] {
                let _ = fx.renderer.render(t, &ctx, Path::new("a.md"));
            }
        }
    }
}

/// A site on disk the Markdown target's shortcodes read: data files, a code
/// file with regions, and a custom shortcode template. Made once per process.
struct Fixture {
    root: PathBuf,
    renderer: Renderer,
    store: data::Store,
    highlighter: Highlighter,
    config: Config,
    recorder: std::sync::Arc<versus::deps::Recorder>,
}

const FILES: &[(&str, &str)] = &[
    (
        "content/m.toml",
        "title = \"M\"\nsubjects = [\"A\", \"B\"]\n[[rows]]\ncriterion = \"See [b](b.md#two)\"\nA = \"x\"\nB = \"y\"\nedge = \"A\"\nnote = \"*n*\"\n",
    ),
    (
        "content/b.csv",
        "benchmark,subject,metric,unit,value\nfib,A,time,ms,1\nfib,B,time,ms,30\nfib,B,time,ms,31\n",
    ),
    (
        "content/b.meta.toml",
        "title = \"B\"\nmachine = \"box\"\ndate = 2026-01-02\n",
    ),
    (
        "content/r.json",
        "{\"results\": [{\"benchmark\": \"x\", \"subject\": \"A\", \"value\": 2, \"unit\": \"MB\", \"metric\": \"mem\"}]}",
    ),
    (
        "content/guide/x.py",
        "import os\n# region: main\ndef main():\n    return 1\n# endregion\n",
    ),
    (
        "templates/shortcodes/note.html",
        "<aside class=\"note\">{{ args.text }}</aside>",
    ),
];

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        // One folder shared by every process (fuzzers, test runs), so none
        // is left behind per run; each file is replaced in one rename, so a
        // process never reads one half written by another.
        let root = std::env::temp_dir().join("versus-fuzz-site");
        for (rel, text) in FILES {
            let p = root.join(rel);
            if std::fs::read(&p).is_ok_and(|b| b == text.as_bytes()) {
                continue;
            }
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            let tmp = p.with_extension(format!("tmp-{}", std::process::id()));
            std::fs::write(&tmp, text).unwrap();
            std::fs::rename(&tmp, &p).unwrap();
        }
        let content_dir = root.join("content");
        let config = Config::default();
        let theme = theme::load(&root, "default").expect("default theme");
        let recorder = std::sync::Arc::new(versus::deps::Recorder::new());
        let mut renderer = Renderer::new(&theme, &content_dir, std::sync::Arc::clone(&recorder))
            .expect("templates");
        renderer.set_global("site", &versus::render::views::SiteView::new(&config));
        renderer.set_words(
            versus::render::words::Words::load(&theme, &config.language).expect("theme words"),
        );
        let highlighter = Highlighter::new();
        highlighter
            .configure(&config.highlight)
            .expect("highlight themes");
        Fixture {
            store: data::Store::new(&root, &content_dir),
            root,
            renderer,
            highlighter,
            config,
            recorder,
        }
    })
}

fn page(rel: &str, text: Arc<str>, split: Split, section: usize) -> Page {
    let is_section = rel.ends_with("_index.md") || rel.is_empty() || rel.ends_with('/');
    Page {
        shown: Path::new("content").join(rel),
        output: versus::content::output_path(rel),
        rel: rel.to_string(),
        text,
        on_disk: None,
        body: split.body,
        meta: split.front_matter,
        section,
        is_section,
        generated: false,
        updated: None,
        lang: 0,
        key: rel.to_string(),
        fallback: false,
        id: None,
    }
}

fn section_page(dir: &str, section: usize) -> Page {
    Page {
        shown: Path::new("content").join(dir),
        output: if dir.is_empty() {
            "index.html".into()
        } else {
            format!("{dir}/index.html")
        },
        rel: if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        },
        text: Arc::from(""),
        on_disk: None,
        body: 0..0,
        meta: FrontMatter {
            title: Some(versus::content::title_from_name(dir)),
            ..FrontMatter::default()
        },
        section,
        is_section: true,
        generated: true,
        updated: None,
        lang: 0,
        key: String::new(),
        fallback: false,
        id: None,
    }
}

const OTHER: &str = "# Other\n\n## One\n\n## Two {#two}\n\ntext\n";

/// One page (`content/guide/a.md`, the input) in a small site with another
/// page to link to, through both Markdown passes and the page template.
pub fn markdown(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let fx = fixture();
    let text: Arc<str> = Arc::from(text);
    let split = front_matter::split(Path::new("content/guide/a.md"), &text).unwrap_or(Split {
        front_matter: FrontMatter::default(),
        body: 0..text.len(),
    });
    let other: Arc<str> = Arc::from(OTHER);
    let other_split = Split {
        front_matter: FrontMatter::default(),
        body: 0..OTHER.len(),
    };
    let mut content = Content {
        pages: vec![
            page("guide/a.md", text, split, 1),
            page("b.md", other, other_split, 0),
            section_page("", 0),
            section_page("guide", 1),
        ],
        ..Content::default()
    };
    content.sections = vec![
        Section {
            dir: String::new(),
            index: 2,
            parent: None,
            children: vec![Child::Page(1), Child::Section(1)],
        },
        Section {
            dir: "guide".into(),
            index: 3,
            parent: Some(0),
            children: vec![Child::Page(0)],
        },
    ];
    content.by_rel.insert("guide/a.md".into(), 0);
    content.by_rel.insert("b.md".into(), 1);
    let mut config = fx.config.clone();
    config.markdown.smart_punctuation = bytes.len() % 2 == 1;
    let options = markdown::options(&config);
    let outlines: Vec<markdown::Outline> = content
        .pages
        .iter()
        .map(|p| markdown::outline(p, options))
        .collect();
    // What one input read is not kept for the next.
    fx.recorder.take();
    let shortcodes = TeraShortcodes::new(&fx.renderer, &fx.store, &fx.recorder);
    let env = markdown::Env {
        root: &fx.root,
        content: &content,
        outlines: &outlines,
        highlighter: &fx.highlighter,
        links: LinkPolicy::Error,
        options,
        shortcodes: Some(&shortcodes),
        recorder: &fx.recorder,
        typed_figures: true,
    };
    let rendered = markdown::render(&env, 0);
    for d in &rendered.diags {
        let _ = d.to_string();
        let _ = d.render(false);
    }
    let order = versus::content::nav::reading_order(&content);
    let positions = versus::content::nav::positions(&order, content.pages.len());
    let model = Model {
        content: &content,
        outlines: &outlines,
        order: &order,
        positions: &positions,
        collapse_above: 100,
        edit: None,
        config: &fx.config,
        navs: Default::default(),
    };
    let view = model.page(0, rendered.html);
    let mut ctx = tera::Context::new();
    ctx.insert(
        "root",
        &versus::text::paths::root_prefix(&content.pages[0].output),
    );
    ctx.insert("page", &view);
    ctx.insert("section", &model.section(0));
    ctx.insert_value("nav", model.nav(0));
    ctx.insert("breadcrumbs", &model.breadcrumbs(0));
    let (prev, next) = model.prev_next(0);
    ctx.insert("prev", &prev);
    ctx.insert("next", &next);
    ctx.insert("watch", &false);
    fx.renderer.words().insert_into(&mut ctx, "en");
    let template = content.pages[0]
        .meta
        .template
        .clone()
        .filter(|t| fx.renderer.has_template(t))
        .unwrap_or_else(|| "page.html".into());
    let _ = fx
        .renderer
        .render(&template, &ctx, Path::new("content/guide/a.md"));
}
