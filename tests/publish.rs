//! Publishing: the files for GitHub Pages and crawlers, the output served
//! under a sub-path, the search index, print.html, the zip bundle and the
//! Pages workflow `versus init` writes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{
    Site, assert_links_resolve, attr_values, broken_links, percent_decode, snapshot, stdout_ok,
};

/// A small site with nested sections, dated pages, cross links, an image,
/// an external link and a code group.
fn fixture(config: &str) -> Site {
    Site::new()
        .file("versus.toml", &format!("title = \"Pub & Co\"\ndescription = \"A site\"\n{config}"))
        .file(
            "content/_index.md",
            "+++\ntitle = \"Home\"\n+++\nStart with [the guide](guide/_index.md) or [files](guide/io.md#reading-files).\n\n## Welcome\n\nHello.\n",
        )
        .file(
            "content/guide/_index.md",
            "+++\ntitle = \"Guide\"\nweight = 1\n+++\nThe [deep page](deep/page.md) and [home](../_index.md#welcome).\n",
        )
        .file(
            "content/guide/io.md",
            "+++\ntitle = \"Input and output\"\ndescription = \"Reading & writing\"\ndate = 2024-03-04\nweight = 1\n+++\n\
             ![A picture](pic.png)\n\n\
             ## Reading files\n\nThe kumquat appears on this page only. See [above](#reading-files), \
             [the deep page](deep/page.md#setup) and [an outside page](https://example.org/a.html).\n\n\
             ```js tab=\"Node.js\"\nconsole.log(1)\n```\n\n```python tab=\"Python\"\nprint(1)\n```\n\n\
             ## Writing files\n\nWriting is the other half.\n",
        )
        .file("content/guide/pic.png", "not really a png")
        .file(
            "content/guide/deep/page.md",
            "+++\ntitle = \"Deep page\"\ndate = 2023-01-02\nweight = 2\n+++\n## Setup\n\nBack to [reading](../io.md#reading-files) and [the guide](../_index.md).\n",
        )
        .file("content/zeta.md", "+++\ntitle = \"Zeta\"\nweight = 9\n+++\n## Setup\n\nAnother setup, no date.\n")
}

fn pages(site: &Site) -> Vec<String> {
    snapshot(&site.public())
        .into_iter()
        .map(|(rel, _)| rel)
        .filter(|rel| {
            rel.ends_with(".html")
                && rel != "404.html"
                && rel != "print.html"
                && !rel.starts_with("print/")
        })
        .collect()
}

// ---------------------------------------------------------------------
// Files for GitHub Pages, crawlers and feed readers
// ---------------------------------------------------------------------

#[test]
fn without_base_url_only_the_files_that_need_no_urls_are_written() {
    let site = fixture("");
    site.build().ok().stderr_lacks("warning");
    assert!(site.exists(".nojekyll"));
    assert!(site.exists("search/index.js"));
    assert!(site.exists("print.html"));
    for f in ["CNAME", "sitemap.xml", "robots.txt", "atom.xml"] {
        assert!(!site.exists(f), "{f} written without base_url");
    }
    let html = site.out("guide/io.html");
    assert!(
        !html.contains("rel=\"canonical\""),
        "no canonical without base_url"
    );
    assert!(!html.contains("og:url"));
    assert_links_resolve(&site.public());
}

#[test]
fn with_base_url_sitemap_robots_feed_and_canonical_tags() {
    let site = fixture("base_url = \"https://user.github.io/repo/\"\n");
    site.build().ok().stderr_lacks("warning");
    assert!(!site.exists("CNAME"));

    let sitemap = site.out("sitemap.xml");
    assert!(sitemap.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    let locs: Vec<&str> = sitemap
        .split("<loc>")
        .skip(1)
        .map(|s| s.split("</loc>").next().unwrap())
        .collect();
    let mut expected: Vec<String> = pages(&site)
        .iter()
        .map(|p| match p.strip_suffix("index.html") {
            Some(dir) => format!("https://user.github.io/repo/{dir}"),
            None => format!("https://user.github.io/repo/{p}"),
        })
        .collect();
    let mut got: Vec<String> = locs.iter().map(|s| s.to_string()).collect();
    expected.sort();
    got.sort();
    assert_eq!(got, expected, "one <loc> per page");
    assert!(sitemap.contains("<loc>https://user.github.io/repo/</loc>"));
    assert!(sitemap.contains("<lastmod>2024-03-04</lastmod>"));

    let robots = site.out("robots.txt");
    assert!(robots.contains("User-agent: *"));
    assert!(robots.contains("Sitemap: https://user.github.io/repo/sitemap.xml"));

    let atom = site.out("atom.xml");
    assert!(atom.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""));
    assert!(atom.contains("<title>Pub &amp; Co</title>"));
    assert!(atom.contains("href=\"https://user.github.io/repo/atom.xml\""));
    assert!(atom.contains("<updated>2024-03-04T00:00:00Z</updated>"));
    assert_eq!(
        atom.matches("<entry>").count(),
        2,
        "dated pages only:\n{atom}"
    );
    let newer = atom
        .find("<id>https://user.github.io/repo/guide/io.html</id>")
        .unwrap();
    let older = atom
        .find("<id>https://user.github.io/repo/guide/deep/page.html</id>")
        .unwrap();
    assert!(newer < older, "newest first");
    assert!(atom.contains("<summary>Reading &amp; writing</summary>"));

    let io = site.out("guide/io.html");
    for tag in [
        "<link rel=\"canonical\" href=\"https://user.github.io/repo/guide/io.html\">",
        "<meta property=\"og:url\" content=\"https://user.github.io/repo/guide/io.html\">",
        "<meta property=\"og:type\" content=\"article\">",
        "<meta property=\"og:title\" content=\"Input and output\">",
        "<meta property=\"og:description\" content=\"Reading &amp; writing\">",
        "<meta name=\"twitter:card\" content=\"summary\">",
        "<meta name=\"twitter:title\" content=\"Input and output\">",
        "<meta name=\"twitter:description\" content=\"Reading &amp; writing\">",
    ] {
        assert!(io.contains(tag), "guide/io.html lacks {tag}");
    }
    let guide = site.out("guide/index.html");
    assert!(guide.contains("<link rel=\"canonical\" href=\"https://user.github.io/repo/guide/\">"));
    assert!(guide.contains("<meta property=\"og:type\" content=\"website\">"));
    assert!(guide.contains("<meta property=\"og:description\" content=\"A site\">"));
    let home = site.out("index.html");
    assert!(home.contains("<link rel=\"canonical\" href=\"https://user.github.io/repo/\">"));
    // The 404 page links home absolutely, so it works at any depth.
    assert!(
        site.out("404.html")
            .contains("href=\"https://user.github.io/repo/\"")
    );
    assert_links_resolve(&site.public());
}

#[test]
fn cname_is_written_and_gives_the_base_url() {
    let site = fixture("cname = \"docs.example.com\"\n");
    site.build().ok().stderr_lacks("warning");
    assert_eq!(site.out("CNAME"), "docs.example.com\n");
    assert!(
        site.out("sitemap.xml")
            .contains("<loc>https://docs.example.com/guide/io.html</loc>")
    );
    assert!(
        site.out("index.html")
            .contains("href=\"https://docs.example.com/\"")
    );

    let site = fixture("cname = \"https://docs.example.com\"\n");
    site.build()
        .fails(1)
        .stderr_has("is not a domain name")
        .stderr_has("versus.toml:");
}

#[test]
fn asking_for_sitemap_or_feed_without_base_url_is_one_warning() {
    let site = fixture("sitemap = true\nfeed = true\n");
    let run = site.build().ok();
    assert_eq!(run.stderr.matches("warning:").count(), 1, "{}", run.stderr);
    let run = run
        .stderr_has("sitemap.xml and robots.txt")
        .stderr_has("atom.xml")
        .stderr_has("base_url");
    drop(run);
    for f in ["sitemap.xml", "robots.txt", "atom.xml"] {
        assert!(!site.exists(f), "{f} written without base_url");
    }
}

#[test]
fn sitemap_and_feed_can_be_turned_off() {
    let site = fixture("base_url = \"https://a.org\"\nsitemap = false\n");
    site.build().ok().stderr_lacks("warning");
    assert!(!site.exists("sitemap.xml") && !site.exists("robots.txt"));
    assert!(site.exists("atom.xml"));
    let site = fixture("base_url = \"https://a.org\"\nfeed = false\n");
    site.build().ok();
    assert!(site.exists("sitemap.xml") && !site.exists("atom.xml"));
}

#[test]
fn no_feed_without_dated_pages() {
    let site = Site::new()
        .file(
            "versus.toml",
            "title = \"T\"\nbase_url = \"https://a.org\"\n",
        )
        .file("content/a.md", "+++\ntitle = \"A\"\n+++\nText.\n");
    site.build().ok();
    assert!(site.exists("sitemap.xml"));
    assert!(!site.exists("atom.xml"));
}

// ---------------------------------------------------------------------
// Served under a sub-path (GitHub Pages project site), and from disk
// ---------------------------------------------------------------------

/// Serves `public` at http://127.0.0.1:PORT/REPO/ like GitHub Pages: a
/// folder URL serves its index.html, a missing file gets 404.html with
/// status 404. Stops on a request for /quit.
fn serve(public: PathBuf) -> (u16, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            // Skip the headers.
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                    break;
                }
            }
            let target = line.split_whitespace().nth(1).unwrap_or("/").to_string();
            if target == "/quit" {
                let _ = stream.write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                );
                break;
            }
            let path = target.split(['?', '#']).next().unwrap_or("");
            let file = path.strip_prefix("/REPO/").map(|rel| {
                let rel = percent_decode(rel);
                let mut p = public.clone();
                for part in rel.split('/').filter(|s| !s.is_empty() && *s != "..") {
                    p.push(part);
                }
                if rel.is_empty() || rel.ends_with('/') {
                    p.push("index.html");
                }
                p
            });
            let (status, body) = match file.filter(|p| p.is_file()) {
                Some(p) => ("200 OK", std::fs::read(p).unwrap()),
                None => (
                    "404 Not Found",
                    std::fs::read(public.join("404.html")).unwrap(),
                ),
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(&body);
        }
    });
    (port, handle)
}

/// GET `path` from the test server: (status, body).
fn get(port: u16, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    s.read_to_end(&mut response).unwrap();
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map_or(String::new(), |(_, b)| b.to_string());
    (status, body)
}

/// Resolves `href` against the URL path `base` as a browser does:
/// `None` for URLs that leave the site.
fn resolve(base: &str, href: &str) -> Option<(String, Option<String>)> {
    if href.starts_with("//")
        || href
            .split_once(':')
            .is_some_and(|(scheme, _)| !scheme.contains('/'))
    {
        return None;
    }
    let (before, frag) = match href.split_once('#') {
        Some((b, f)) => (b, Some(f.to_string())),
        None => (href, None),
    };
    let before = before.split('?').next().unwrap();
    if before.is_empty() {
        return Some((base.to_string(), frag));
    }
    let joined = if before.starts_with('/') {
        before.to_string()
    } else {
        format!("{}{before}", &base[..=base.rfind('/').unwrap()])
    };
    let mut parts: Vec<&str> = Vec::new();
    let ends_with_slash =
        joined.ends_with('/') || joined.ends_with("/.") || joined.ends_with("/..");
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let mut path = format!("/{}", parts.join("/"));
    if ends_with_slash && !path.ends_with('/') {
        path.push('/');
    }
    Some((path, frag))
}

/// Every internal href/src of every page, fetched under /REPO/ as a browser
/// would resolve it: each must answer 200 and hold the id it points at.
fn check_sub_path(site: &Site) -> Vec<String> {
    let (port, server) = serve(site.public());
    let mut broken = Vec::new();
    let mut cache: HashMap<String, (u16, String)> = HashMap::new();
    let mut fetch = |path: &str| {
        cache
            .entry(path.to_string())
            .or_insert_with(|| get(port, path))
            .clone()
    };
    let mut html_files = pages(site);
    html_files.push("print.html".into());
    for rel in html_files {
        let page_path = format!("/REPO/{rel}");
        let (status, html) = fetch(&page_path);
        assert_eq!(status, 200, "{page_path}");
        let mut urls: Vec<String> = attr_values(&html, "href")
            .into_iter()
            .chain(attr_values(&html, "src"))
            .collect();
        // search.js loads the index from data-root, when the box is used.
        for root in attr_values(&html, "data-root") {
            urls.push(format!("{root}search/index.js"));
        }
        for url in urls {
            let Some((path, frag)) = resolve(&page_path, &url) else {
                continue;
            };
            if !path.starts_with("/REPO/") {
                broken.push(format!("{rel}: {url} leaves /REPO/ ({path})"));
                continue;
            }
            let (status, body) = fetch(&path);
            if status != 200 {
                broken.push(format!("{rel}: {url} -> {path}: {status}"));
            } else if let Some(f) = frag.filter(|f| !f.is_empty()) {
                if !body.contains(&format!("id=\"{f}\"")) {
                    broken.push(format!("{rel}: {url} -> {path}: no id {f}"));
                }
            }
        }
    }
    let _ = get(port, "/quit");
    server.join().unwrap();
    broken
}

#[test]
fn every_link_stylesheet_script_and_image_works_under_a_sub_path() {
    for config in ["", "base_url = \"https://user.github.io/REPO\"\n"] {
        let site = fixture(config);
        site.build().ok();
        let broken = check_sub_path(&site);
        assert!(broken.is_empty(), "with {config:?}: {broken:#?}");
        let broken = broken_links(&site.public());
        assert!(broken.is_empty(), "from disk, with {config:?}: {broken:#?}");
    }
}

#[test]
fn not_found_page_works_at_any_depth() {
    let site = fixture("base_url = \"https://user.github.io/REPO\"\n");
    site.build().ok();
    let (port, server) = serve(site.public());
    for missing in [
        "/REPO/missing",
        "/REPO/a/b/missing",
        "/REPO/guide/deep/gone.html",
    ] {
        let (status, html) = get(port, missing);
        assert_eq!(status, 404, "{missing}");
        assert!(html.contains("Page not found"), "{missing}");
        for url in attr_values(&html, "href")
            .into_iter()
            .chain(attr_values(&html, "src"))
        {
            // Only in-page fragments and absolute links: nothing that
            // depends on the depth it is served at.
            assert!(
                url.starts_with('#') || url.starts_with("https://user.github.io/REPO/"),
                "{missing}: {url}"
            );
        }
        assert!(
            !html.contains("rel=\"stylesheet\""),
            "404.html has its CSS inline"
        );
    }
    let _ = get(port, "/quit");
    server.join().unwrap();
}

// ---------------------------------------------------------------------
// Search index
// ---------------------------------------------------------------------

/// The data of search/NAME.js, as JSON.
fn search_file(site: &Site, name: &str) -> serde_json::Value {
    let script = site.out(&format!("search/{name}.js"));
    let json = script
        .strip_prefix(&format!("versusSearchData(\"{name}\","))
        .and_then(|rest| rest.trim_end().strip_suffix(");"))
        .unwrap();
    serde_json::from_str(json).unwrap()
}

#[test]
fn search_index_maps_a_word_to_its_heading() {
    let site = fixture("");
    site.build().ok();
    let manifest = search_file(&site, "index");
    assert_eq!(manifest["format"], 3);
    let shards = manifest["shards"].as_array().unwrap().len();
    let mut terms = Vec::new();
    let mut kumquat = None;
    for n in 0..shards {
        let shard = search_file(&site, &format!("t/{n}"));
        for (i, t) in shard["terms"].as_array().unwrap().iter().enumerate() {
            if t == "kumquat" {
                kumquat = Some(shard["postings"][i].clone());
            }
            terms.push(t.as_str().unwrap().to_string());
        }
    }
    let postings = kumquat.expect("kumquat indexed");
    assert_eq!(
        postings.as_array().unwrap().len(),
        3,
        "one document: {postings:?}"
    );
    let doc = postings[0].as_u64().unwrap() as usize;
    let per = manifest["docShard"].as_u64().unwrap() as usize;
    let shard = search_file(&site, &format!("d/{}", doc / per));
    let d = &shard["docs"][doc % per];
    let page = shard["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p[0] == d[0])
        .unwrap();
    assert_eq!(page[1], "guide/io.html");
    assert_eq!(d[1], "reading-files");
    assert_eq!(d[2], "Reading files");
    // Every page is in the index; code is not.
    let mut listed = HashSet::new();
    for n in 0..manifest["docs"].as_u64().unwrap() as usize / per + 1 {
        for p in search_file(&site, &format!("d/{n}"))["pages"]
            .as_array()
            .unwrap()
        {
            listed.insert(p[1].as_str().unwrap().to_string());
        }
    }
    assert_eq!(listed, pages(&site).into_iter().collect::<HashSet<_>>());
    assert!(
        !terms.iter().any(|t| t == "console"),
        "code blocks are not indexed"
    );
}

#[test]
fn search_js_finds_the_right_heading_under_node() {
    let Some(node) = common::require_program("node") else {
        return;
    };
    let site = fixture("");
    site.build().ok();
    let script = r##"
        const fs = require("node:fs");
        const path = require("node:path");
        const [searchJs, dir] = process.argv.slice(1);
        const search = require(searchJs);
        const engine = new search.Engine((name) => {
            const text = fs.readFileSync(path.join(dir, name + ".js"), "utf8");
            return Promise.resolve(JSON.parse(text.slice(text.indexOf(",") + 1, text.lastIndexOf(")"))));
        });
        const show = (q) => engine.search(q).then((rs) => rs.map((r) => r.path + "#" + r.id));
        (async () => console.log(JSON.stringify({
            one: await show("kumquat"),
            typing: await show("kumq"),
            stemmed: await show("kumquats"),
            title: await show("Deep page "),
            two: await show("setup another"),
            setup: await show("setup "),
            none: await show("zzzzzz"),
        })))();
    "##;
    let out = stdout_ok(
        Command::new(node)
            .arg("-e")
            .arg(script)
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/search.js"))
            .arg(site.public().join("search")),
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["one"], serde_json::json!(["guide/io.html#reading-files"]));
    assert_eq!(
        v["typing"], v["one"],
        "a word being typed matches as a prefix"
    );
    assert_eq!(v["stemmed"], v["one"], "plural finds the singular");
    assert_eq!(
        v["title"][0], "guide/deep/page.html#",
        "page titles find the page"
    );
    assert_eq!(
        v["two"],
        serde_json::json!(["zeta.html#setup"]),
        "all words must match"
    );
    let setup: Vec<&str> = v["setup"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    assert!(
        setup.contains(&"zeta.html#setup") && setup.contains(&"guide/deep/page.html#setup"),
        "{setup:?}"
    );
    assert_eq!(v["none"], serde_json::json!([]));
}

// ---------------------------------------------------------------------
// print.html
// ---------------------------------------------------------------------

#[test]
fn print_html_has_every_page_and_links_only_inside_it() {
    let site = fixture("");
    site.build().ok();
    let print = site.out("print.html");
    let ids: Vec<String> = attr_values(&print, "id");
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "ids are unique: {ids:?}");

    // Every page, in reading order, as a section.
    let order = ["index", "guide", "guide-io", "guide-deep-page", "zeta"];
    let mut last = 0;
    for id in order {
        let at = print
            .find(&format!("<section class=\"print-section\" id=\"{id}\">"))
            .unwrap_or_else(|| panic!("no section {id}"));
        assert!(at > last, "{id} out of reading order");
        last = at;
    }
    // Links rewritten to sections and prefixed heading ids.
    for href in [
        "#guide-io--reading-files",
        "#guide",
        "#index--welcome",
        "#guide-deep-page--setup",
        "#guide-deep-page",
    ] {
        assert!(
            print.contains(&format!("href=\"{href}\"")),
            "no link {href}"
        );
    }
    assert!(
        print.contains("id=\"zeta--setup\"") && print.contains("id=\"guide-deep-page--setup\"")
    );
    // Images relative to the root, external links kept.
    assert!(print.contains("src=\"guide/pic.png\""));
    assert!(print.contains("href=\"https://example.org/a.html\""));
    // No link leaves print.html but external ones and files.
    for url in attr_values(&print, "href")
        .into_iter()
        .chain(attr_values(&print, "src"))
    {
        if url.starts_with("https:") || url.starts_with("http:") || url.starts_with("mailto:") {
            continue;
        }
        if let Some(id) = url.strip_prefix('#') {
            assert!(unique.contains(&id.to_string()), "{url} points at no id");
            continue;
        }
        let file = url.split(['#', '?']).next().unwrap();
        assert!(site.public().join(file).is_file(), "{url}: no such file");
        assert!(
            !file.ends_with(".html") || file == "index.html",
            "{url} leaves print.html for another page"
        );
    }
    // Code groups expanded: no script turns them into tabs, no panel hidden.
    assert!(!print.contains("versus.js") && !print.contains("search.js"));
    assert!(print.contains("class=\"code-tab-label\">Node.js"));
    assert!(print.contains("class=\"code-tab-label\">Python"));
    assert!(!print.contains(" hidden"));
    // The print stylesheet: page breaks, wrapped code, link targets.
    let css = site.out("style.css");
    assert!(css.contains(".print-section{break-before:page;"));
    assert!(css.contains("white-space:pre-wrap"));
    assert!(css.contains("content:\" (\" attr(href) \")\""));
}

#[test]
fn every_kind_of_id_in_a_body_is_made_unique_in_the_book() {
    // Two pages with the same ids of every kind the Markdown pass knows of:
    // a heading's, a footnote's, in a raw HTML block (its start tag over
    // two lines), in inline HTML and in a shortcode's output. In an
    // image's alternative text a tag is text, not an element.
    let body = "## Setup\n\nA claim.[^src]\n\n<div class=\"raw\"\n  id=\"raw-block\">block</div>\n\n\
                Inline <span id=\"inline-id\">html</span>. ![a <b id=\"alt-id\">b</b>](pic.png)\n\n\
                {{ boxed(name=\"one\") }}\n\n[^src]: The source.\n";
    let site = Site::new()
        .file(
            "templates/shortcodes/boxed.html",
            "<aside id=\"box-{{ args.name }}\">box</aside>",
        )
        .file("content/pic.png", "")
        .file("content/a.md", &format!("+++\ntitle = \"A\"\n+++\n{body}"))
        .file("content/b.md", &format!("+++\ntitle = \"B\"\n+++\n{body}"));
    site.build().ok();
    let page = site.out("a.html");
    for id in ["setup", "src", "raw-block", "inline-id", "box-one"] {
        assert!(page.contains(&format!("id=\"{id}\"")), "a.html lacks {id}");
    }
    assert!(!page.contains("id=\"alt-id\""), "alt text is text");
    let print = site.out("print.html");
    let ids = attr_values(&print, "id");
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "ids are unique: {ids:?}");
    for page in ["a", "b"] {
        for id in ["setup", "src", "raw-block", "inline-id", "box-one"] {
            let id = format!("{page}--{id}");
            assert!(unique.contains(&id), "print.html lacks {id}: {ids:?}");
        }
    }
    assert_links_resolve(&site.public());
}

#[test]
fn one_minified_stylesheet_carries_the_highlighting_and_pages_name_an_icon() {
    let site = fixture("");
    site.build().ok();
    let css = site.out("style.css");
    let source = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/style.css"),
    )
    .unwrap();
    assert!(
        css.len() * 10 < source.len() * 8,
        "minified: {} of {} bytes",
        css.len(),
        source.len()
    );
    assert!(
        !css.contains("/*") && !css.contains("\n  "),
        "no comments or indentation left"
    );
    // The highlighting rules, at the marker, in the one stylesheet.
    assert!(
        css.contains("pre.hl .l0{color:"),
        "{}",
        &css[css.len().saturating_sub(400)..]
    );
    assert!(!css.contains("versus:highlight"));
    assert!(
        site.out("highlight.css").contains("pre.hl"),
        "still written for other themes"
    );
    for script in ["versus.js", "search.js"] {
        let js = site.out(script);
        let source = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("themes/default/static")
                .join(script),
        )
        .unwrap();
        assert!(js.len() * 10 < source.len() * 8, "{script} minified");
        assert!(!js.contains("\n  //"), "{script}: comments left");
    }
    let page = site.out("guide/io.html");
    assert!(page.contains("<link rel=\"icon\" href=\"../favicon.svg\" type=\"image/svg+xml\">"));
    assert!(page.contains("<link rel=\"stylesheet\" href=\"../style.css\">"));
    assert!(!page.contains("highlight.css"), "one stylesheet per page");
    assert!(site.out("favicon.svg").starts_with("<svg"));
    // A site's own static/favicon.svg replaces the theme's.
    site.write(
        "static/favicon.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.build().ok();
    assert_eq!(
        site.out("favicon.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"
    );
}

// ---------------------------------------------------------------------
// --bundle FILE.zip
// ---------------------------------------------------------------------

fn zip_entries(path: &Path) -> Vec<(String, zip::DateTime)> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..archive.len())
        .map(|i| {
            let f = archive.by_index(i).unwrap();
            (f.name().to_string(), f.last_modified().unwrap_or_default())
        })
        .collect()
}

#[test]
fn bundle_zip_holds_the_whole_site_and_is_reproducible() {
    let site = fixture("");
    let out = tempfile::tempdir().unwrap();
    let zip_path = out.path().join("site.zip");
    let zip_arg = zip_path.to_str().unwrap();
    site.run(&["build", "--quiet", "--bundle", zip_arg])
        .ok()
        .stderr_has("bundled");
    let entries = zip_entries(&zip_path);
    let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "entries are sorted");
    let mut expected: Vec<String> = snapshot(&site.public())
        .into_iter()
        .map(|(rel, _)| rel)
        .filter(|rel| rel != ".versus-output")
        .map(|rel| format!("site/{rel}"))
        .collect();
    expected.sort();
    assert_eq!(names, expected);
    for page in pages(&site) {
        assert!(
            names.contains(&format!("site/{page}").as_str()),
            "{page} missing"
        );
    }
    for f in [
        "site/index.html",
        "site/search/index.js",
        "site/print.html",
        "site/guide/pic.png",
    ] {
        assert!(names.contains(&f), "{f} missing");
    }
    assert!(
        entries.iter().all(|(_, t)| *t == zip::DateTime::default()),
        "fixed timestamps"
    );

    // Unpacked, it is the site: its links work from disk.
    let unpacked = tempfile::tempdir().unwrap();
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    archive.extract(unpacked.path()).unwrap();
    assert!(unpacked.path().join("site/index.html").is_file());
    assert_links_resolve(&unpacked.path().join("site"));

    // The same site makes the same bytes.
    let first = std::fs::read(&zip_path).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    site.run(&["build", "--quiet", "--bundle", zip_arg]).ok();
    assert!(
        std::fs::read(&zip_path).unwrap() == first,
        "rebuilt zip differs"
    );
}

#[test]
fn bundle_refuses_to_write_inside_the_output_folder() {
    let site = fixture("");
    site.run(&["build", "--quiet", "--bundle", "public/site.zip"])
        .fails(2)
        .stderr_has("inside the output folder");
    assert!(!site.exists("site.zip"));
}

// ---------------------------------------------------------------------
// The GitHub Pages workflow
// ---------------------------------------------------------------------

#[test]
fn pages_workflow_deploys_with_the_official_actions() {
    let yml = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".github/workflows/pages.yml"),
    )
    .unwrap();
    for needle in [
        "pages: write",
        "id-token: write",
        "concurrency:",
        "actions/configure-pages@",
        "actions/upload-pages-artifact@",
        "actions/deploy-pages@",
        "Swatinem/rust-cache@",
        "cargo build --release --locked",
        "versus --version",
        "versus check",
        "versus build",
        "path: public",
        "name: github-pages",
    ] {
        assert!(yml.contains(needle), "pages.yml lacks {needle}");
    }
}

#[test]
fn init_writes_the_same_pages_workflow() {
    let work = tempfile::tempdir().unwrap();
    common::versus_ok(work.path(), ["init", "site"]);
    let written = std::fs::read(work.path().join("site/.github/workflows/pages.yml")).unwrap();
    let ours =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(".github/workflows/pages.yml"))
            .unwrap();
    assert!(written == ours, "init writes the repository's workflow");
}

#[test]
fn the_comments_init_writes_point_to_docs_that_exist() {
    let work = tempfile::tempdir().unwrap();
    common::versus_ok(work.path(), ["init", "site"]);
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cargo = std::fs::read_to_string(manifest.join("Cargo.toml")).unwrap();
    let repo = cargo
        .lines()
        .find_map(|l| l.strip_prefix("repository = \""))
        .and_then(|r| r.strip_suffix('"'))
        .unwrap();
    let version = env!("CARGO_PKG_VERSION");
    let prefix = format!("{repo}/blob/v{version}/docs/");
    let mut pointed = Vec::new();
    for file in ["versus.toml", ".github/workflows/pages.yml"] {
        let text = std::fs::read_to_string(work.path().join("site").join(file)).unwrap();
        assert!(
            !text.contains("README"),
            "{file} points to a README:\n{text}"
        );
        for comment in text.lines().filter(|l| l.trim_start().starts_with('#')) {
            for word in comment.split_whitespace() {
                if word.starts_with("http") && word.contains("/docs/") {
                    let page = word
                        .strip_prefix(&prefix)
                        .unwrap_or_else(|| panic!("{file}: {word} is not under {prefix}"));
                    assert!(manifest.join("docs").join(page).is_file(), "{file}: {word}");
                    pointed.push(page.to_string());
                }
            }
        }
    }
    assert_eq!(
        pointed,
        ["configuration.md", "writing.md", "data.md", "publishing.md"]
    );
}

#[test]
fn the_workflow_init_writes_installs_the_version_that_wrote_it() {
    let work = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| common::versus_ok(work.path(), args);
    let version = run(&["--version"]);
    let version = version.trim().strip_prefix("versus ").unwrap().to_string();
    run(&["init", "site"]);
    let yml =
        std::fs::read_to_string(work.path().join("site/.github/workflows/pages.yml")).unwrap();
    assert!(
        yml.contains(&format!("  VERSUS_VERSION: \"{version}\"\n")),
        "the workflow pins {version}:\n{yml}"
    );
    // The repository comes from Cargo.toml, the one place that names it.
    let cargo =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap();
    let repo = cargo
        .lines()
        .find_map(|l| l.strip_prefix("repository = \""))
        .and_then(|r| r.strip_suffix('"'))
        .unwrap();
    assert!(yml.contains(&format!("  VERSUS_REPO: {repo}\n")), "{yml}");
    // It downloads what the release workflow uploads, checksum included,
    // and falls back to building that version from source, saying so.
    let release = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".github/workflows/release.yml"),
    )
    .unwrap();
    assert!(yml.contains("asset=\"versus-x86_64-unknown-linux-gnu.tar.gz\""));
    assert!(yml.contains("releases/download/v$VERSUS_VERSION/$asset"));
    assert!(yml.contains("sha256sum -c"));
    assert!(release.contains("target: x86_64-unknown-linux-gnu"));
    assert!(release.contains("asset=\"versus-$TARGET.tar.gz\""));
    assert!(release.contains("\"$ASSET.sha256\""));
    assert!(yml.contains("::warning::No release binary"));
    assert!(yml.contains(
        "cargo install --locked --git \"$VERSUS_REPO\" --tag \"v$VERSUS_VERSION\" versus"
    ));
    for target in [
        "x86_64-unknown-linux-gnu",
        "aarch64-unknown-linux-gnu",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(
            release.contains(&format!("target: {target}")),
            "release builds {target}"
        );
    }
}

#[test]
fn a_large_book_is_split_into_volumes_whose_links_stay_inside() {
    // Any body at all is over this limit.
    let site = fixture("[print]\nsplit_above_mb = 0.0001\n");
    site.build().ok();
    let index = site.out("print.html");
    assert!(
        index.contains("href=\"print/index.html\">Home</a> (2 pages)"),
        "{index}"
    );
    assert!(
        index.contains("href=\"print/guide.html\">Guide</a> (4 pages)"),
        "{index}"
    );
    assert!(!index.contains("kumquat"), "the index holds no page");
    let home = site.out("print/index.html");
    let guide = site.out("print/guide.html");
    assert!(home.contains("id=\"zeta\""), "top-level pages together");
    // Home links to the guide: into the guide's volume.
    assert!(
        home.contains("href=\"guide.html#guide-io--reading-files\""),
        "{home}"
    );
    // Inside the guide volume: fragments; back to home: home's volume.
    assert!(
        guide.contains("href=\"#guide-io--reading-files\""),
        "{guide}"
    );
    assert!(
        guide.contains("href=\"index.html#index--welcome\""),
        "{guide}"
    );
    // Other files and the stylesheet from one folder down.
    assert!(guide.contains("src=\"../guide/pic.png\""), "{guide}");
    assert!(guide.contains("href=\"../style.css\""), "{guide}");
    assert!(
        guide.contains("href=\"../print.html\">All sections"),
        "{guide}"
    );
    assert_links_resolve(&site.public());
    // The section's page links to its volume.
    assert!(
        site.out("guide/index.html")
            .contains("<a href=\"../print/guide.html\">This section as one page"),
        "{}",
        site.out("guide/index.html")
    );
    // Under the limit (the default), print.html is the whole book, its
    // links inside itself; the section's volume, which its page links to,
    // sends the reader to the section in print.html.
    let whole = fixture("");
    whole.build().ok();
    let book = whole.out("print.html");
    assert!(book.contains("kumquat"));
    assert!(book.contains("href=\"#guide-io--reading-files\""), "{book}");
    let pointer = whole.out("print/guide.html");
    assert!(!pointer.contains("kumquat"), "{pointer}");
    assert!(
        pointer.contains("<meta http-equiv=\"refresh\" content=\"0; url=../print.html#guide\">"),
        "{pointer}"
    );
    assert!(
        pointer.contains("<a href=\"../print.html#guide\">Guide</a>"),
        "{pointer}"
    );
    // No page links to the top-level pages' volume: none is written.
    assert!(!whole.exists("print/index.html"));
    assert!(
        whole
            .out("guide/index.html")
            .contains("<a href=\"../print/guide.html\">This section as one page")
    );
    assert_links_resolve(&whole.public());
}

/// The bytes of print.html and of every file under print/.
fn print_bytes(site: &Site) -> (u64, u64) {
    let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
    let book = size(&site.public().join("print.html"));
    let volumes = std::fs::read_dir(site.public().join("print"))
        .map(|dir| dir.flatten().map(|e| size(&e.path())).sum())
        .unwrap_or(0);
    (book, volumes)
}

/// Issue 25: the book is written once. Whole, print.html holds the pages
/// and print/ only small pointers; split, the volumes hold them and
/// print.html is a small index, their sum no more than the whole book
/// plus each volume's own cover and contents.
#[test]
fn issue_25_the_print_book_is_written_once() {
    let mut whole = fixture("");
    let mut split = fixture("[print]\nsplit_above_mb = 0.0001\n");
    // Enough text that a second copy of it would show.
    for i in 0..30 {
        let page = format!(
            "+++\ntitle = \"Page {i}\"\n+++\n## Part\n\n{}\n",
            "A sentence that fills the printed book. ".repeat(50)
        );
        whole = whole.file(&format!("content/guide/p{i}.md"), &page);
        split = split.file(&format!("content/guide/p{i}.md"), &page);
    }
    whole.build().ok();
    split.build().ok();
    let (book, pointers) = print_bytes(&whole);
    assert!(book > 60_000, "print.html is {book} bytes");
    assert!(pointers < 1_000, "print/ is {pointers} bytes beside {book}");
    let (index, volumes) = print_bytes(&split);
    assert!(index < 3_000, "the index is {index} bytes");
    // Each volume repeats the cover and a contents of its own pages.
    assert!(
        volumes < book + 2 * 1_500,
        "the volumes are {volumes} bytes, the whole book {book}"
    );
    assert!(volumes > book / 2, "the volumes are {volumes} bytes");
    assert_links_resolve(&whole.public());
    assert_links_resolve(&split.public());
}

#[test]
fn a_long_folder_lists_only_the_way_to_the_page_in_the_sidebar() {
    let mut site = Site::new().file(
        "versus.toml",
        "title = \"Many\"\n[nav]\ncollapse_above = 3\n",
    );
    for i in 0..5 {
        site = site.file(
            &format!("content/s{i}/_index.md"),
            &format!("+++\ntitle = \"Section {i}\"\nweight = {i}\n+++\n"),
        );
    }
    site = site.file("content/s2/a.md", "+++\ntitle = \"Page A\"\n+++\nText.\n");
    site.build().ok();
    let nav = |rel: &str| {
        let html = site.out(rel);
        let start = html.find("<nav class=\"site-nav\"").unwrap_or(0);
        let end = html[start..]
            .find("</nav>")
            .map_or(html.len(), |e| start + e);
        html[start..end].to_string()
    };
    let page = nav("s2/a.html");
    assert!(page.contains(">Section 2</a>"), "{page}");
    assert!(page.contains(">Page A</a>"), "{page}");
    for other in [0, 1, 3, 4] {
        assert!(!page.contains(&format!(">Section {other}</a>")), "{page}");
    }
    assert!(
        page.contains("href=\"../index.html\">Home: 4 more</a>"),
        "{page}"
    );
    // The home page itself lists every section.
    let home = site.out("index.html");
    for i in 0..5 {
        assert!(home.contains(&format!(">Section {i}</a>")), "{home}");
    }
    // Off (0), or under the limit: every section in every sidebar.
    site.write(
        "versus.toml",
        "title = \"Many\"\n[nav]\ncollapse_above = 0\n",
    );
    site.build().ok();
    let page = nav("s2/a.html");
    assert!(
        (0..5).all(|i| page.contains(&format!(">Section {i}</a>"))),
        "{page}"
    );
    assert!(!page.contains("more</a>"), "{page}");
}
