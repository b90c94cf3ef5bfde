//! The floor under a full build: each part of the work alone, on the same
//! content, with the same threads, and how far the full build is from
//! their sum.
//!
//! ```sh
//! cargo bench --bench floor -- /dev/shm/versus-bench/corpus-1000/raw
//! ```
//!
//! Parts, each timed as the median of RUNS (default 5) runs:
//! - **markdown**: pulldown-cmark parsing and HTML rendering of every page
//!   body with versus's options, code blocks left unhighlighted;
//! - **highlight**: every fenced code block through versus's highlighter
//!   (a fresh one each run, so no run profits from another's memo), then
//!   each language's blocks alone (CPU time a line, memo hits included);
//! - **write**: the files of a finished build written again, as many at
//!   once as the build writes, into a fresh folder beside the output.
//!
//! The full build (`versus build`, the same binary's library) is timed the
//! same way. The sum of the parts divided by the threads is the floor; the
//! report gives the full build's distance from it.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
use rayon::prelude::*;
use versus::config::Config;
use versus::content::Content;
use versus::highlight::Highlighter;
use versus::pipeline::Options;

/// The allocator of the `versus` binary, so the full build here costs what it
/// costs there.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let root = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/dev/shm/versus-bench/corpus-1000/raw"));
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let threads = rayon::current_num_threads();
    let config = Config::load(&root).unwrap_or_else(|e| panic!("{}: {e}", root.display()));
    let setup = versus::lang::Setup::single("en");
    let (content, _) = Content::load(&root, &root.join("content"), (false, false), &setup);
    let opts = versus::markdown::options(&config);
    let bodies: Vec<&str> = content
        .pages
        .iter()
        .map(|p| &p.text[p.body.clone()])
        .collect();
    let blocks: Vec<(String, String)> = bodies.iter().flat_map(|b| code_blocks(b, opts)).collect();
    let code_bytes: usize = blocks.iter().map(|(_, c)| c.len()).sum();
    println!(
        "{}: {} pages, {} code blocks ({} KB of code), {threads} threads, median of {runs}",
        root.display(),
        bodies.len(),
        blocks.len(),
        code_bytes / 1024
    );

    let out = root.join("public-floor");
    let build_opts = Options {
        out: out.clone(),
        ..Options::new(&root)
    };
    let build = median(runs, || {
        versus::site_build::to_disk(&build_opts, false).unwrap_or_else(|e| panic!("build: {e}"));
    });
    let files = read_tree(&out);
    let out_bytes: usize = files.iter().map(|(_, b)| b.len()).sum();

    let markdown = median(runs, || {
        let html: usize = bodies
            .par_iter()
            .map(|b| {
                let mut html = String::with_capacity(b.len() * 2);
                pulldown_cmark::html::push_html(&mut html, Parser::new_ext(b, opts));
                html.len()
            })
            .sum();
        assert!(html > 0);
    });
    let highlight = median(runs, || {
        let h = Highlighter::new();
        h.configure(&config.highlight)
            .unwrap_or_else(|d| panic!("{}", d.message));
        let lines: usize = blocks
            .par_iter()
            .map(|(lang, code)| match h.highlight(code, Some(lang)) {
                versus::highlight::Highlighting::Highlighted(l)
                | versus::highlight::Highlighting::Partial(l)
                | versus::highlight::Highlighting::Plain(l)
                | versus::highlight::Highlighting::Unknown(l) => l.len(),
            })
            .sum();
        assert!(lines > 0);
    });
    // The same, one language at a time: where a grammar is the cost.
    let mut langs: Vec<&str> = blocks.iter().map(|(l, _)| l.as_str()).collect();
    langs.sort_unstable();
    langs.dedup();
    let by_lang: Vec<(String, usize, Duration)> = langs
        .iter()
        .map(|lang| {
            let of_lang: Vec<&str> = blocks
                .iter()
                .filter(|(l, _)| l == lang)
                .map(|(_, c)| c.as_str())
                .collect();
            let lines = of_lang.iter().map(|c| c.lines().count()).sum();
            let time = median(runs, || {
                let h = Highlighter::new();
                h.configure(&config.highlight)
                    .unwrap_or_else(|d| panic!("{}", d.message));
                of_lang.par_iter().for_each(|code| {
                    h.highlight(code, Some(lang));
                });
            });
            (format!("  {lang} ({lines} lines)"), lines, time)
        })
        .collect();
    let target = root.join("public-floor-write");
    let write = median(runs, || {
        let _ = std::fs::remove_dir_all(&target);
        files.par_iter().for_each(|(rel, bytes)| {
            let path = target.join(rel);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{e}"));
            }
            std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{e}"));
        });
    });
    let _ = std::fs::remove_dir_all(&target);
    let _ = std::fs::remove_dir_all(&out);

    let sum = markdown + highlight + write;
    println!("{:<28} {:>9}", "part", "median");
    for (name, d) in [
        ("markdown alone", markdown),
        ("highlighting alone", highlight),
        (
            &format!("writing {} files ({} MB)", files.len(), out_bytes >> 20) as &str,
            write,
        ),
        ("sum of the parts", sum),
        ("full build", build),
    ] {
        println!("{name:<28} {:>8.3}s", d.as_secs_f64());
    }
    println!("highlighting by language (each alone, a fresh highlighter):");
    for (name, lines, d) in &by_lang {
        println!(
            "{name:<28} {:>8.3}s  {:>5.1} us a line",
            d.as_secs_f64(),
            d.as_secs_f64() * 1e6 * threads as f64 / (*lines).max(1) as f64
        );
    }
    println!(
        "full build / sum of the parts: {:.2}x (each part already runs on all {threads} threads)",
        build.as_secs_f64() / sum.as_secs_f64()
    );
}

/// (language, code) of every fenced block with a language.
fn code_blocks(body: &str, opts: pulldown_cmark::Options) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut current: Option<(String, String)> = None;
    for event in Parser::new_ext(body, opts) {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                let lang = info.split_whitespace().next().unwrap_or("").to_string();
                current = (!lang.is_empty()).then(|| (lang, String::new()));
            }
            Event::Text(t) => {
                if let Some((_, code)) = current.as_mut() {
                    code.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => out.extend(current.take()),
            _ => {}
        }
    }
    out
}

fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs.max(1))
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn read_tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap_or(e.path()).to_path_buf();
            let bytes = std::fs::read(e.path()).unwrap_or_else(|err| panic!("{err}"));
            (rel, bytes)
        })
        .collect()
}
