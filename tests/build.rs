//! `versus build` end to end: fixture sites built by the real binary.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{Site, assert_links_resolve, attr_values, build_into, snapshot};

#[test]
fn front_matter_in_toml_yaml_and_none() {
    let site = Site::new()
        .file(
            "content/toml.md",
            "+++\ntitle = \"From TOML\"\ndate = 2024-04-13\ntags = [\"a\"]\n+++\nBody one.\n",
        )
        .file(
            "content/yaml.md",
            "---\ntitle: From YAML\ndescription: Described\n---\nBody two.\n",
        )
        .file(
            "content/plain.md",
            "Just text, no front matter and no heading.\n",
        );
    site.build().ok();
    let toml = site.out("toml.html");
    assert!(toml.contains("<title>From TOML"), "{toml}");
    assert!(toml.contains("2024-04-13"));
    assert!(toml.contains("Body one."));
    let yaml = site.out("yaml.html");
    assert!(yaml.contains("<title>From YAML") && yaml.contains("Described"));
    let plain = site.out("plain.html");
    assert!(
        plain.contains("<h1>Plain</h1>"),
        "title falls back to the file name"
    );
}

#[test]
fn first_heading_becomes_the_title_and_is_not_repeated() {
    let site = Site::new().file(
        "content/chapter.md",
        "# The Chapter\n\nText.\n\n## Part one\n",
    );
    site.build().ok();
    let html = site.out("chapter.html");
    assert!(html.contains("<title>The Chapter"));
    assert_eq!(html.matches("<h1").count(), 1, "{html}");
}

#[test]
fn real_world_markdown_without_front_matter_builds() {
    let site = Site::new()
        .file("content/README.md", "# Book\n\nSee [chapter 1](ch1.md).\n")
        .file("content/ch1.md", "# Chapter 1\n\n```rust,ignore\nfn main() {}\n```\n\n- [x] done\n- [ ] todo\n\nA[^1].\n\n[^1]: Note.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~\n");
    site.build().ok();
    let html = site.out("ch1.html");
    assert!(html.contains("<table>") && html.contains("<del>old</del>"));
    assert!(html.contains("type=\"checkbox\""));
    assert!(html.contains("footnote"));
    assert!(site.out("README.html").contains("href=\"ch1.html\""));
}

#[test]
fn heading_ids_are_stable_and_unique() {
    let site = Site::new().file(
        "content/a.md",
        "+++\ntitle = \"A\"\n+++\n## The GIL, explained\n## Setup\n## Setup\n### Custom {#my-id}\n",
    );
    site.build().ok();
    let html = site.out("a.html");
    for id in ["the-gil-explained", "setup", "setup-1", "my-id"] {
        assert!(html.contains(&format!("id=\"{id}\"")), "missing id {id}");
        assert!(
            html.contains(&format!("href=\"#{id}\"")),
            "missing anchor link {id}"
        );
    }
}

#[test]
fn links_between_nested_pages_point_at_output_files() {
    let site = Site::new()
        .file("content/speed.md", "+++\ntitle = \"Speed\"\n+++\n## I/O bound\n")
        .file("content/guide/_index.md", "+++\ntitle = \"Guide\"\n+++\nSee [io](../speed.md#io-bound) and [deep](deep/page.md).\n")
        .file("content/guide/deep/page.md", "+++\ntitle = \"Deep\"\n+++\nBack to [speed](../../speed.md) and [guide](../_index.md).\n");
    site.build().ok();
    assert!(
        site.out("guide/index.html")
            .contains("href=\"../speed.html#io-bound\"")
    );
    assert!(
        site.out("guide/index.html")
            .contains("href=\"deep/page.html\"")
    );
    let deep = site.out("guide/deep/page.html");
    assert!(deep.contains("href=\"../../speed.html\"") && deep.contains("href=\"../index.html\""));
    assert!(
        deep.contains("href=\"../../style.css\""),
        "assets are relative too"
    );
    assert_links_resolve(&site.public());
}

#[test]
fn broken_links_are_errors_with_file_and_line() {
    let site = Site::new()
        .file("content/b.md", "+++\ntitle = \"B\"\n+++\n## Real\n")
        .file(
            "content/a.md",
            "+++\ntitle = \"A\"\n+++\nIntro.\n\nSee [gone](gone.md) and [b](b.md#fake).\n",
        );
    site.build()
        .fails(1)
        .stderr_has("link to missing page `gone.md`")
        .stderr_has("content/a.md:6:5")
        .stderr_has("See [gone](gone.md)")
        .stderr_has("link to missing heading `#fake`")
        .stderr_has("2 errors");
    assert!(!site.public().exists(), "nothing written on failure");
    site.run(&["build", "--quiet", "--links", "warn"])
        .ok()
        .stderr_has("warning: link to missing page");
    let site2 = Site::new()
        .file("versus.toml", "title = \"T\"\nlinks = \"warn\"\n")
        .file("content/a.md", "[x](nope.md)\n");
    site2.build().ok().stderr_has("1 warning");
}

#[test]
fn every_required_language_is_highlighted() {
    let langs = [
        "javascript",
        "js",
        "typescript",
        "ts",
        "jsx",
        "tsx",
        "python",
        "bash",
        "shell",
        "sh",
        "json",
        "toml",
        "yaml",
        "html",
        "css",
        "sql",
        "rust",
        "dockerfile",
        "diff",
    ];
    let mut body = String::from("+++\ntitle = \"Langs\"\n+++\n");
    for l in langs {
        body.push_str(&format!("```{l}\nx = 1 # {l}\n```\n\n"));
    }
    let site = Site::new().file("content/langs.md", &body);
    site.build().ok().stderr_lacks("warning");
    let html = site.out("langs.html");
    assert_eq!(html.matches("<figure class=\"code\"").count(), langs.len());
    for l in langs {
        // Each block's one line holds at least one styled token.
        let start = html.find(&format!("class=\"language-{l}\">")).unwrap();
        let line = &html[start..start + html[start..].find("</code>").unwrap()];
        assert!(
            line.contains("<span class=\"l") || line.contains("<span class=\"d"),
            "{l} not highlighted: {line}"
        );
    }
    assert!(
        !html.contains("style=\""),
        "highlighting uses classes, not inline styles"
    );
    let css = site.out("highlight.css");
    assert!(
        css.contains("prefers-color-scheme: dark") && css.contains("html[data-theme=\"dark\"]")
    );
}

#[test]
fn unknown_language_is_plain_with_one_warning() {
    let site = Site::new().file(
        "content/a.md",
        "```klingon\n<b>x</b>\n```\n\n```klingon\ny\n```\n",
    );
    let run = site.build().ok();
    assert_eq!(
        run.stderr
            .matches("no syntax highlighting for `klingon`")
            .count(),
        1,
        "{}",
        run.stderr
    );
    assert!(site.out("a.html").contains("&lt;b&gt;x&lt;/b&gt;"));
}

#[test]
fn a_line_too_long_to_highlight_is_plain_with_a_warning() {
    // Over the 64 KiB a line may have to be highlighted.
    let long = "x".repeat(70 * 1024);
    let site = Site::new().file(
        "content/a.md",
        &format!("Intro.\n\n```js\nlet a = 1;\nconst b = \"{long}\";\n```\n"),
    );
    let run = site.build().ok();
    assert_eq!(
        run.stderr
            .matches("syntax highlighting of this `js` block stopped early")
            .count(),
        1,
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("content/a.md:3:1"), "{}", run.stderr);
    let html = site.out("a.html");
    assert!(html.contains(&long), "the long line is there, as text");
    let start = html.find("class=\"language-js\">").unwrap();
    let first = &html[start..start + html[start..].find('\n').unwrap()];
    assert!(
        first.contains("<span class=\"l"),
        "the short line is highlighted: {first}"
    );
}

#[test]
fn code_attributes_title_lines_and_numbers() {
    let site = Site::new().file(
        "content/a.md",
        "```js title=\"server.js\" hl_lines=\"2-3\" linenos\na\nb\nc\nd\n```\n",
    );
    site.build().ok();
    let html = site.out("a.html");
    assert!(html.contains("<figcaption class=\"code-title\">server.js</figcaption>"));
    assert!(html.contains("<pre class=\"hl linenos\""));
    assert_eq!(html.matches("class=\"line hl-line\"").count(), 2);
    let bad = Site::new().file("content/a.md", "text\n\n```js hl_lines=\"9\"\na\n```\n");
    bad.build()
        .fails(1)
        .stderr_has("content/a.md:3:1")
        .stderr_has("past the end");
}

#[test]
fn site_templates_override_the_theme() {
    let site = Site::new()
        .file("templates/page.html", "{% extends \"base.html\" %}{% block content %}<p id=\"custom\">{{ page.title }}</p>{% endblock %}")
        .file("content/a.md", "+++\ntitle = \"Over\"\n+++\n");
    site.build().ok();
    let html = site.out("a.html");
    assert!(html.contains("<p id=\"custom\">Over</p>"), "{html}");
    assert!(
        html.contains("skip-link"),
        "the rest of the theme still applies"
    );
}

#[test]
fn front_matter_template_picks_another_template() {
    let site = Site::new()
        .file("templates/bare.html", "BARE {{ page.title }}")
        .file(
            "content/a.md",
            "+++\ntitle = \"X\"\ntemplate = \"bare.html\"\n+++\n",
        )
        .file(
            "content/b.md",
            "+++\ntitle = \"Y\"\ntemplate = \"nope.html\"\n+++\n",
        );
    site.build()
        .fails(1)
        .stderr_has("content/b.md:1")
        .stderr_has("nope.html");
    site.remove("content/b.md");
    site.build().ok();
    assert_eq!(site.out("a.html"), "BARE X");
}

#[test]
fn template_errors_name_template_line_and_page() {
    let site = Site::new()
        .file(
            "templates/page.html",
            "line one\n{{ page.title | nosuchfilter }}\n",
        )
        .file("content/a.md", "x");
    site.build().fails(1).stderr_has("templates/page.html:2");
    let site = Site::new()
        .file("templates/page.html", "ok\n{{ page.missing.field }}\n")
        .file("content/a.md", "x");
    site.build()
        .fails(1)
        .stderr_has("templates/page.html:2")
        .stderr_has("while rendering content/a.md");
}

#[test]
fn drafts_are_skipped_unless_asked_for() {
    let site = Site::new()
        .file("content/a.md", "+++\ntitle = \"A\"\ndraft = true\n+++\n")
        .file("content/b.md", "+++\ntitle = \"B\"\n+++\n");
    site.build().ok().stderr_has("1 drafts skipped");
    assert!(!site.exists("a.html") && site.exists("b.html"));
    site.run(&["build", "--quiet", "--drafts"]).ok();
    assert!(site.exists("a.html"));
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let site = Site::new()
        .file("content/a.md", "+++\ntitle = \"A\"\n+++\nfirst\n")
        .file("content/b.md", "+++\ntitle = \"B\"\n+++\n");
    site.build().ok();
    let before = snapshot(&site.public());
    site.write("content/a.md", "+++\ntitle = \n+++\nsecond\n");
    site.build().fails(1).stderr_has("content/a.md:2:");
    assert_eq!(
        snapshot(&site.public()),
        before,
        "public/ changed after a failed build"
    );
    // Files of deleted pages do not linger after a good build.
    site.write("content/a.md", "+++\ntitle = \"A\"\n+++\nthird\n");
    site.remove("content/b.md");
    site.build().ok();
    assert!(!site.exists("b.html"));
    assert!(site.out("a.html").contains("third"));
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("versus-new"))
        .collect();
    assert!(leftovers.is_empty(), "staging folder left behind");
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_write() {
    let site = Site::new()
        .file("content/a.md", "x")
        .file("public/precious.txt", "keep me");
    site.build().fails(2).stderr_has("refusing to replace");
    assert_eq!(site.out("precious.txt"), "keep me");
}

fn inode(path: &std::path::Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).unwrap().ino()
}

#[test]
fn a_rebuild_does_not_rewrite_unchanged_files() {
    let site = Site::new()
        .file("content/a.md", "+++\ntitle = \"A\"\n+++\nfirst")
        .file("content/b.md", "+++\ntitle = \"B\"\n+++\nsame")
        .file(
            "content/pic.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        )
        .file("static/robots.txt", "User-agent: *\n");
    site.build().ok();
    let files = ["a.html", "b.html", "pic.svg", "robots.txt", "print.html"];
    let before: Vec<u64> = files
        .iter()
        .map(|f| inode(&site.public().join(f)))
        .collect();
    site.write("content/a.md", "+++\ntitle = \"A\"\n+++\nsecond");
    site.build().ok();
    let after: Vec<u64> = files
        .iter()
        .map(|f| inode(&site.public().join(f)))
        .collect();
    // a's page and the print book hold the new text; the rest is unchanged.
    for (i, file) in files.iter().enumerate() {
        let changed = *file == "a.html" || *file == "print.html";
        assert_eq!(before[i] != after[i], changed, "{file}");
    }
    assert!(site.out("a.html").contains("second"));
    assert!(site.out("print.html").contains("second"));
    let clean = tempfile::tempdir().unwrap();
    build_into(site.root(), &clean.path().join("public"));
    assert_eq!(
        snapshot(&site.public()),
        snapshot(&clean.path().join("public"))
    );
}

#[test]
fn rebuilds_are_byte_identical() {
    let site = Site::new()
        .file(
            "versus.toml",
            "title = \"T\"\n[extra]\nb = 1\na = 2\nc = { z = 1, y = 2 }\n",
        )
        .file("content/_index.md", "+++\ntitle = \"Home\"\n+++\n")
        .file(
            "content/x/_index.md",
            "+++\ntitle = \"X\"\nweight = 2\n+++\n",
        )
        .file("content/x/a.md", "```python\nprint(1)\n```\n")
        .file(
            "content/x/b.md",
            "+++\nweight = 1\n[extra]\nk = [1, 2]\n+++\n## H\n",
        )
        .file("content/y/c.md", "text")
        .file(
            "content/img/pic.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        );
    site.build().ok();
    let first = snapshot(&site.public());
    site.build().ok();
    assert_eq!(snapshot(&site.public()), first);
    assert!(
        site.exists("img/pic.svg"),
        "assets are copied beside the pages"
    );
}

#[test]
fn sections_without_index_get_a_generated_page_and_nav_order_follows_weight() {
    let site = Site::new()
        .file(
            "content/g01-runtime/s001-event-loop/p2.md",
            "+++\ntitle = \"Second\"\nweight = 2\n+++\n",
        )
        .file(
            "content/g01-runtime/s001-event-loop/p1.md",
            "+++\ntitle = \"First\"\nweight = 1\n+++\n",
        );
    site.build().ok();
    let section = site.out("g01-runtime/s001-event-loop/index.html");
    assert!(section.contains("S001 event loop"));
    let first = section.find("First").unwrap();
    let second = section.find("Second").unwrap();
    assert!(first < second, "weight orders the listing");
    assert!(site.exists("g01-runtime/index.html") && site.exists("index.html"));
    let p1 = site.out("g01-runtime/s001-event-loop/p1.html");
    let nexts: Vec<_> = attr_values(&p1, "href")
        .into_iter()
        .filter(|h| h == "p2.html")
        .collect();
    assert!(!nexts.is_empty(), "next link points at p2");
}

#[test]
fn ignores_hidden_files_and_editor_leftovers() {
    let site = Site::new()
        .file("content/a.md", "x")
        .file("content/.#a.md", "lock")
        .file("content/a.md~", "backup")
        .file("content/.a.md.swp", "swap")
        .file("content/4913", "")
        .file("content/.hidden/b.md", "x");
    site.build().ok();
    let files: Vec<String> = snapshot(&site.public())
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    assert!(
        files.iter().all(|f| !f.contains("swp")
            && !f.contains('~')
            && !f.contains("4913")
            && !f.contains(".hidden")),
        "{files:?}"
    );
}

#[test]
fn errors_in_front_matter_point_at_the_line_in_the_whole_file() {
    let site = Site::new()
        .file("content/a.md", "+++\ntitle = \"A\"\nwieght = 3\n+++\n")
        .file("content/b.md", "---\ntitle: [unclosed\n---\n")
        .file("content/c.md", "+++\ntitle = \"C\"\n");
    site.build()
        .fails(1)
        .stderr_has("content/a.md:3:1")
        .stderr_has("did you mean `weight`?")
        .stderr_has("content/b.md:")
        .stderr_has("content/c.md:1:1")
        .stderr_has("front matter is not closed")
        .stderr_has("3 errors");
}

#[test]
fn unknown_config_key_is_named_with_a_suggestion() {
    let site = Site::new()
        .file("versus.toml", "title = \"x\"\nbase_ulr = \"https://x\"\n")
        .file("content/a.md", "x");
    site.build()
        .fails(1)
        .stderr_has("versus.toml:2:1")
        .stderr_has("unknown field `base_ulr`")
        .stderr_has("did you mean `base_url`?");
}

#[test]
fn usage_errors_exit_2() {
    let site = Site::new();
    site.run(&["build", "--nope"]).fails(2);
    let empty = tempfile::tempdir().unwrap();
    let run = std::process::Command::new(common::BIN)
        .args(["build"])
        .current_dir(empty.path())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("versus init"));
}

#[test]
fn help_explains_each_command() {
    let site = Site::new();
    for cmd in ["build", "init"] {
        let run = site.run(&[cmd, "--help"]).ok();
        assert!(run.stdout.contains("Usage: versus"), "{}", run.stdout);
    }
}

#[test]
fn init_scaffold_builds_with_the_installed_binary_alone() {
    // Copy the binary somewhere with no repository around it, as `cargo install` would.
    let bin_dir = tempfile::tempdir().unwrap();
    let bin = bin_dir.path().join("versus");
    std::fs::copy(common::BIN, &bin).unwrap();
    let work = tempfile::tempdir().unwrap();
    // A binary copied while other tests spawn processes can briefly be
    // "text file busy" (another child inherited the open file): retry.
    let run = |args: &[&str], dir: &std::path::Path| {
        for _ in 0..50 {
            match std::process::Command::new(&bin)
                .args(args)
                .current_dir(dir)
                .output()
            {
                Ok(out) => return out,
                Err(e) if e.raw_os_error() == Some(26) => {
                    std::thread::sleep(std::time::Duration::from_millis(20))
                }
                Err(e) => panic!("{e}"),
            }
        }
        panic!("{} stayed busy", bin.display());
    };
    assert!(run(&["init", "site"], work.path()).status.success());
    let site = work.path().join("site");
    let out = run(&["build"], &site);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for f in [
        "index.html",
        "first-comparison.html",
        "style.css",
        "versus.js",
        "highlight.css",
        "404.html",
    ] {
        assert!(site.join("public").join(f).is_file(), "{f} missing");
    }
    assert_links_resolve(&site.join("public"));
    assert!(
        !run(&["init", "site"], work.path()).status.success(),
        "init refuses to overwrite"
    );
}

#[test]
fn output_has_no_absolute_or_remote_urls() {
    let site = Site::new()
        .file(
            "content/_index.md",
            "+++\ntitle = \"Home\"\n+++\n[a](a/b.md)\n",
        )
        .file("content/a/b.md", "## One\n[home](../_index.md#top)\n");
    let _ = site.build();
    let site = Site::new()
        .file(
            "content/_index.md",
            "+++\ntitle = \"Home\"\n+++\n[a](a/b.md)\n",
        )
        .file("content/a/b.md", "## One\n[home](../_index.md)\n");
    site.build().ok();
    for (rel, bytes) in snapshot(&site.public()) {
        if !rel.ends_with(".html") || rel == "404.html" {
            continue;
        }
        let html = String::from_utf8_lossy(&bytes);
        for url in attr_values(&html, "href")
            .into_iter()
            .chain(attr_values(&html, "src"))
        {
            assert!(
                !url.starts_with('/') && !url.starts_with("http"),
                "{rel}: {url}"
            );
        }
    }
    assert_links_resolve(&site.public());
}

#[test]
fn index_md_is_a_section_page_and_clashes_with_index_md() {
    let site = Site::new()
        .file("content/index.md", "# Welcome\n\nThe home text.\n")
        .file("content/guide/index.md", "Guide text.\n");
    for _ in 0..3 {
        site.build().ok();
        assert!(
            site.out("index.html").contains("The home text."),
            "index.md is the home page, every time"
        );
        assert!(site.out("guide/index.html").contains("Guide text."));
    }
    site.write("content/_index.md", "+++\ntitle = \"Home\"\n+++\n");
    site.build()
        .fails(1)
        .stderr_has("would both be written to index.html");
}

#[test]
fn smart_punctuation_leaves_shortcode_calls_working() {
    let site = Site::new()
        .file(
            "versus.toml",
            "title = \"T\"\n[markdown]\nsmart_punctuation = true\n",
        )
        .file("templates/shortcodes/hi.html", "<b>{{ args.name }}</b>")
        .file("content/a.md", "\"Quoted\" text.\n\n{{ hi(name=\"x\") }}\n");
    site.build().ok();
    let html = site.out("a.html");
    assert!(
        html.contains("<b>x</b>") && html.contains("“Quoted”"),
        "{html}"
    );
}

/// The pages of one folder share one sidebar (made once, see
/// `render::views::NavCache`); each still marks itself, and only itself,
/// as the current entry, in its own folder and from a nested one.
#[test]
fn every_page_of_a_folder_marks_itself_current_in_the_sidebar() {
    let site = Site::new()
        .file("content/_index.md", "# Home\n")
        .file("content/guide/_index.md", "# Guide\n")
        .file("content/guide/one.md", "# One\n")
        .file("content/guide/two.md", "# Two\n")
        .file("content/guide/deep/_index.md", "# Deep\n")
        .file("content/guide/deep/three.md", "# Three\n")
        .file("content/other.md", "# Other\n");
    site.build().ok();
    for (page, own) in [
        ("index.html", "index.html"),
        ("guide/index.html", "index.html"),
        ("guide/one.html", "one.html"),
        ("guide/two.html", "two.html"),
        ("guide/deep/index.html", "index.html"),
        ("guide/deep/three.html", "three.html"),
        ("other.html", "other.html"),
    ] {
        let html = site.out(page);
        let nav = &html[html.find("<nav").unwrap()..];
        let nav = &nav[..nav.find("</nav>").unwrap()];
        let current: Vec<&str> = nav
            .match_indices("aria-current=\"page\"")
            .map(|(i, _)| &nav[..i])
            .collect();
        assert_eq!(current.len(), 1, "{page}: one current entry\n{nav}");
        let before = current[0];
        let href = &before[before.rfind("href=\"").unwrap() + 6..];
        assert_eq!(&href[..href.find('"').unwrap()], own, "{page}");
    }
    // Two pages of one folder: the same sidebar but for the mark.
    let strip = |page: &str| {
        let html = site.out(page);
        let nav = html[html.find("<nav").unwrap()..].to_string();
        nav[..nav.find("</nav>").unwrap()].replace(" aria-current=\"page\"", "")
    };
    assert_eq!(strip("guide/one.html"), strip("guide/two.html"));
}
