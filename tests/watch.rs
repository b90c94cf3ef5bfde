//! `versus watch`: every kind of editor save, served correctly; errors shown
//! and cleared; and incremental rebuilds equal to clean builds over random
//! edit sequences.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/watch.rs"]
mod watch_server;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::Site;
use watch_server::Watch;

/// Fails a wait for the server after this long.
const WAIT: Duration = Duration::from_secs(10);

/// `versus watch` on `site`, logging every request it serves.
fn watch(site: &Site) -> Watch {
    Watch::start_with(site.root(), &[], &[("VERSUS_SERVE_LOG", "1")])
}

fn site() -> Site {
    Site::new()
        .file(
            "content/_index.md",
            "+++\ntitle = \"Home\"\n+++\nSee [a](a.md).\n",
        )
        .file("content/a.md", "+++\ntitle = \"A\"\n+++\nversion one\n")
        .file("content/b.md", "+++\ntitle = \"B\"\n+++\nB text\n")
}

#[test]
fn every_kind_of_save_is_served() {
    let site = site();
    let w = watch(&site);
    w.wait_for("/a.html", "first build", WAIT, |r| {
        r.status == 200 && r.text().contains("version one")
    });
    assert!(
        w.get("/a.html").text().contains("/__versus/live.js"),
        "live reload script injected"
    );

    // 1. Write in place.
    site.write("content/a.md", "+++\ntitle = \"A\"\n+++\nversion two\n");
    w.wait_for("/a.html", "write in place", WAIT, |r| {
        r.text().contains("version two")
    });

    // 2. Write a temp file and rename it over (vim, JetBrains safe write).
    site.write(
        "content/a.md___jb_tmp___",
        "+++\ntitle = \"A\"\n+++\nversion three\n",
    );
    std::fs::rename(
        site.root().join("content/a.md___jb_tmp___"),
        site.root().join("content/a.md"),
    )
    .unwrap();
    w.wait_for("/a.html", "temp + rename", WAIT, |r| {
        r.text().contains("version three")
    });

    // 3. Delete and recreate.
    site.remove("content/a.md");
    site.write("content/a.md", "+++\ntitle = \"A\"\n+++\nversion four\n");
    w.wait_for("/a.html", "delete + recreate", WAIT, |r| {
        r.text().contains("version four")
    });

    // 4. A burst of writes, a file briefly empty mid-save among them.
    for i in 0..20 {
        site.write("content/a.md", "");
        site.write(
            "content/a.md",
            &format!("+++\ntitle = \"A\"\n+++\nburst {i}\n"),
        );
    }
    w.wait_for("/a.html", "burst", WAIT, |r| r.text().contains("burst 19"));

    // 5. A new folder with files.
    std::fs::create_dir_all(site.root().join("content/new/deep")).unwrap();
    site.write(
        "content/new/deep/c.md",
        "+++\ntitle = \"C\"\n+++\nnew page\n",
    );
    w.wait_for("/new/deep/c.html", "new folder", WAIT, |r| {
        r.status == 200 && r.text().contains("new page")
    });

    // 6. Rename a page: the old output disappears.
    std::fs::rename(
        site.root().join("content/b.md"),
        site.root().join("content/b2.md"),
    )
    .unwrap();
    w.wait_for("/b2.html", "renamed page", WAIT, |r| r.status == 200);
    w.wait_for("/b.html", "old output gone", WAIT, |r| r.status == 404);

    // 7. Delete a page that another links to: an error, the last good site stays.
    site.remove("content/a.md");
    let start = Instant::now();
    while !w.log().contains("link to missing page `a.md`") {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "no link error:\n{}",
            w.log()
        );
        std::thread::sleep(Duration::from_millis(25));
    }
    assert_eq!(w.get("/a.html").status, 200, "last good site still served");
    site.write(
        "content/_index.md",
        "+++\ntitle = \"Home\"\n+++\nNo links now.\n",
    );
    w.wait_for("/a.html", "deleted page gone after the fix", WAIT, |r| {
        r.status == 404
    });
    w.wait_for("/", "home updated", WAIT, |r| {
        r.text().contains("No links now.")
    });

    let status = w.stop();
    assert!(status.success(), "Ctrl-C stops cleanly: {status:?}");
}

#[test]
fn errors_reach_the_browser_and_clear() {
    let site = site();
    let w = watch(&site);
    w.wait_for("/a.html", "first build", WAIT, |r| r.status == 200);
    let mut events = TcpStream::connect(("127.0.0.1", w.port)).unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        events,
        "GET /__versus/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(events);
    let mut read_until = |needle: &str| -> String {
        let mut seen = String::new();
        let start = Instant::now();
        while !seen.contains(needle) {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0
                || start.elapsed() > Duration::from_secs(10)
            {
                panic!("no {needle} in the event stream:\n{seen}");
            }
            seen.push_str(&line);
        }
        seen
    };
    read_until("retry:");
    site.write("content/a.md", "+++\ntitle = \n+++\nbroken\n");
    let seen = read_until("event: build-error");
    let data = read_until("\n\n");
    assert!(
        data.contains("content/a.md") && data.contains("\"line\":2"),
        "{seen}{data}"
    );
    assert!(
        w.get("/a.html").text().contains("version one"),
        "the last good page stays served"
    );
    site.write("content/a.md", "+++\ntitle = \"A\"\n+++\nfixed\n");
    read_until("event: reload");
    w.wait_for("/a.html", "fixed", WAIT, |r| r.text().contains("fixed"));
}

#[test]
fn the_server_serves_nothing_outside_the_output() {
    let site = site().file("secret.txt", "do not serve");
    let w = watch(&site);
    w.wait_for("/", "first build", WAIT, |r| r.status == 200);
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/a%2f..%2f..%2fsecret.txt",
        "//etc/passwd",
        "/..\\secret.txt",
        "/versus.toml",
        "/content/a.md",
    ] {
        let r = w.get(path);
        let (status, body) = (r.status, r.text());
        assert!(status == 400 || status == 404, "{path}: {status}");
        assert!(
            !body.contains("do not serve") && !body.contains("title = "),
            "{path} leaked"
        );
    }
    assert_eq!(w.get("/").status, 200);
}

#[test]
fn the_server_answers_only_plain_get_and_head() {
    let site = site().file(
        "content/guide/_index.md",
        "+++\ntitle = \"Guide\"\n+++\nIn.\n",
    );
    let w = watch(&site);
    w.wait_for("/", "first build", WAIT, |r| r.status == 200);
    let status = |answer: &str| answer.split(' ').nth(1).unwrap_or("").to_string();
    let post = w.raw("POST / HTTP/1.1\r\nHost: x\r\n\r\n");
    assert_eq!(status(&post), "405", "{post}");
    let garbage = w.raw("HELLO\r\n\r\n");
    assert_eq!(status(&garbage), "400", "{garbage}");
    let long = w.raw(&format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(10_000)));
    assert_eq!(status(&long), "414", "{long}");
    // HEAD: the head of the page, no body.
    let head = w.raw("HEAD /index.html HTTP/1.1\r\n\r\n");
    assert_eq!(status(&head), "200", "{head}");
    assert!(
        head.contains("Content-Length: ") && head.ends_with("\r\n\r\n"),
        "{head}"
    );
    // A folder without its slash moves to it.
    let folder = w.raw("GET /guide HTTP/1.1\r\n\r\n");
    assert_eq!(status(&folder), "301", "{folder}");
    assert!(folder.contains("Location: /guide/\r\n"), "{folder}");
    // Anything else missing: the site's own 404 page, with the reload script.
    let missing = w.get("/nothing-here.html");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("/__versus/"), "{}", missing.text());
}

/// A tiny deterministic random generator (no dependency needed for this).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn incremental_rebuilds_equal_clean_builds_over_random_edits() {
    use versus::pipeline::Options;
    use versus::watch::{Site as Served, classify};
    let site = Site::new()
        .file(
            "content/_index.md",
            "+++\ntitle = \"Home\"\n+++\nStart at [p0](g/p0.md).\n",
        )
        .file("content/g/_index.md", "+++\ntitle = \"Group\"\n+++\n")
        .file(
            "content/data.csv",
            "benchmark,subject,value\nfib,A,1\nfib,B,2\n",
        )
        .file("content/code.py", "# region: r\nprint(1)\n# endregion\n");
    for i in 0..6 {
        site.write(
            &format!("content/g/p{i}.md"),
            &format!("+++\ntitle = \"P{i}\"\nweight = {i}\n+++\n## Part\ntext {i}\n"),
        );
    }
    let opts = Options::new(site.root());
    let (mut served, first) = Served::new(&opts);
    first.unwrap();
    let out = site.root().join("public");
    let mut rng = Rng(42);
    let mut n_pages = 6;
    for step in 0..60 {
        let i = rng.pick(n_pages);
        let page = format!("content/g/p{i}.md");
        let mut touched = vec![page.clone()];
        match rng.pick(10) {
            0 => site.write(&page, &format!("+++\ntitle = \"P{i}\"\nweight = {i}\n+++\n## Part\nedited at step {step}\n")),
            1 => site.write(&page, &format!("+++\ntitle = \"Renamed {step}\"\nweight = {i}\n+++\n## Part\ntext\n")),
            2 => site.write(&page, &format!("+++\ntitle = \"P{i}\"\nweight = {i}\n+++\n## Other heading {step}\n")),
            3 => site.write(&page, &format!("+++\ntitle = \"P{i}\"\nweight = {i}\n+++\n{{{{ bench_table(data=\"../data.csv\") }}}}\n\n{{{{ code(file=\"../code.py\", region=\"r\") }}}}\n")),
            4 => {
                site.write("content/data.csv", &format!("benchmark,subject,value\nfib,A,{}\nfib,B,2\n", step + 1));
                touched = vec!["content/data.csv".into()];
            }
            5 => {
                site.write("content/code.py", &format!("# region: r\nprint({step})\n# endregion\n"));
                touched = vec!["content/code.py".into()];
            }
            6 => {
                site.write(&format!("content/g/p{n_pages}.md"), &format!("+++\ntitle = \"P{n_pages}\"\nweight = {n_pages}\n+++\nnew\n"));
                touched = vec![format!("content/g/p{n_pages}.md")];
                n_pages += 1;
            }
            // Tags added, removed or renamed: the tag pages follow.
            8 | 9 => {
                let bits = rng.pick(8);
                let tags: Vec<&str> = ["\"fast\"", "\"slow\"", "\"event loop\""]
                    .into_iter()
                    .enumerate()
                    .filter(|(b, _)| bits >> b & 1 == 1)
                    .map(|(_, t)| t)
                    .collect();
                let tags = tags.join(", ");
                site.write(&page, &format!("+++\ntitle = \"P{i}\"\nweight = {i}\ntags = [{tags}]\n+++\n## Part\ntext\n"));
            }
            _ => site.write(&page, &format!("+++\ntitle = \"P{i}\"\nweight = {}\n+++\nmoved\n", 100 - step)),
        }
        let changes: Vec<_> = touched
            .iter()
            .filter_map(|t| classify(site.root(), &out, &site.root().join(t)))
            .collect();
        served
            .apply(&changes)
            .unwrap_or_else(|e| panic!("step {step}: {e}"));
        served
            .complete()
            .unwrap_or_else(|e| panic!("step {step}: {e}"));
        let (_, clean) = versus::site_build::in_memory(&opts, Default::default()).unwrap();
        let got = &*served.files;
        let diff = versus::watch::diff(got, &clean);
        assert!(
            diff.is_empty(),
            "step {step}: incremental output differs from a clean build in {diff:?}"
        );
    }
}

#[test]
fn browser_reloads_on_save_and_shows_errors() {
    let Some(node) = common::browser_tools() else {
        return;
    };
    let filler = "Filler paragraph.\n\n".repeat(120);
    let site = Site::new().file(
        "content/live.md",
        &format!("+++\ntitle = \"Live\"\n+++\nfirst version\n\n{filler}Bottom marker.\n"),
    );
    let w = watch(&site);
    w.wait_for("/live.html", "first build", WAIT, |r| r.status == 200);
    let url = format!("http://127.0.0.1:{}/live.html", w.port);
    let file = site.root().join("content/live.md");
    let out = std::process::Command::new(&node)
        .arg(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/watch.mjs"))
        .args([&url, &*file.to_string_lossy()])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("ok"),
        "watch.mjs failed:\n{stdout}\n{}\nserver log:\n{}",
        String::from_utf8_lossy(&out.stderr),
        w.log()
    );
}

#[test]
fn an_edit_rewrites_only_the_search_shards_it_changes() {
    // 60 pages of 8 sections each: 30 document shards and a few term shards.
    let mut site = Site::new();
    for p in 0..60 {
        let mut text = format!("+++\ntitle = \"Page {p}\"\n+++\n");
        for h in 0..8 {
            text.push_str(&format!(
                "\n## Part {h}\n\nWords about servers, loops and threads, part {h} of page {p}.\n"
            ));
        }
        site = site.file(&format!("content/p{p:02}.md"), &text);
    }
    let w = watch(&site);
    w.wait_for("/search/index.js", "first build", WAIT, |r| r.status == 200);
    let before = w.line_count();
    let text = std::fs::read_to_string(site.root().join("content/p30.md")).unwrap();
    site.write(
        "content/p30.md",
        &text.replace("part 3 of page 30", "part 3 of page 30 quinoa"),
    );
    let start = Instant::now();
    let line = loop {
        let found = w.lines()[before..]
            .iter()
            .find(|l| l.contains("the site-wide files"))
            .cloned();
        if let Some(l) = found {
            break l;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no site-wide update:\n{}",
            w.log()
        );
        std::thread::sleep(Duration::from_millis(25));
    };
    let search: Vec<&str> = line
        .split([' ', ',', '(', ')'])
        .filter(|f| f.starts_with("search/"))
        .collect();
    // The page's document shard and the term shards and chunks listing
    // its section; the manifest and every other shard stay as they were.
    assert!(search.contains(&"search/d/17.js"), "{line}");
    assert!(!search.contains(&"search/index.js"), "{line}");
    assert!(
        !search
            .iter()
            .any(|f| f.starts_with("search/d/") && *f != "search/d/17.js"),
        "{line}"
    );
    assert!(search.len() <= 12, "too many shards rewritten: {line}");
    let shard = w.get("/search/d/17.js").text();
    assert!(shard.contains("quinoa"), "{shard}");
    let status = w.stop();
    assert!(status.success());
}

#[test]
fn a_data_file_a_shortcode_loads_rebuilds_its_page_and_counts_as_used() {
    let site = site()
        .file(
            "templates/shortcodes/price.html",
            "{% set rows = load_data(path=args.data) %}<p class=\"price\">{{ rows[0].price }} kumquats</p>",
        )
        .file("content/prices.csv", "item,price\ntea,7\n")
        .file(
            "content/shop.md",
            "+++\ntitle = \"Shop\"\n+++\n{{ price(data=\"prices.csv\") }}\n",
        );
    // `check` sees the file as used: no unused-data warning.
    let check = site.run(&["check"]);
    assert!(!check.stderr.contains("unused"), "{}", check.stderr);
    let w = watch(&site);
    w.wait_for("/shop.html", "first build", WAIT, |r| {
        r.status == 200 && r.text().contains("7 kumquats")
    });
    site.write("content/prices.csv", "item,price\ntea,9\n");
    w.wait_for("/shop.html", "the edited CSV", WAIT, |r| {
        r.text().contains("9 kumquats")
    });
    assert!(
        w.log().contains("(1 pages"),
        "only the page that loads it: {}",
        w.log()
    );
}

#[test]
fn a_log_written_at_the_site_root_starts_no_rebuild() {
    let site = site();
    let w = watch(&site);
    w.wait_for("/a.html", "first build", WAIT, |r| r.status == 200);
    let rebuilt = || {
        w.lines()
            .iter()
            .filter(|l| l.starts_with("rebuilt"))
            .count()
    };
    for i in 0..20 {
        site.write("watch.log", &format!("line {i}\n").repeat(i + 1));
        std::thread::sleep(Duration::from_millis(25));
    }
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(rebuilt(), 0, "{}", w.log());
    // A page edit still rebuilds.
    site.write("content/a.md", "+++\ntitle = \"A\"\n+++\nversion nine\n");
    w.wait_for("/a.html", "an edit after the log", WAIT, |r| {
        r.text().contains("version nine")
    });
    // The new page may be served a moment before the line saying so.
    let start = Instant::now();
    while rebuilt() == 0 && start.elapsed() < WAIT {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(rebuilt(), 1, "{}", w.log());
}

#[test]
fn a_page_saved_with_a_failing_one_is_served_once_the_failure_is_fixed() {
    let site = site()
        .file(
            "templates/shortcodes/count.html",
            "{% set d = load_data(path=args.data) %}<p>{{ d.n }} items</p>",
        )
        .file("content/d.json", "{\"n\": 3}")
        .file(
            "content/shop.md",
            "+++\ntitle = \"Shop\"\n+++\n{{ count(data=\"d.json\") }}\n",
        );
    let w = watch(&site);
    w.wait_for("/shop.html", "first build", WAIT, |r| {
        r.status == 200 && r.text().contains("3 items")
    });
    // One burst: the data file breaks, and a page that does not use it
    // changes. The rebuild fails as a whole.
    site.write("content/d.json", "{\"n\": ");
    site.write("content/a.md", "+++\ntitle = \"A\"\n+++\nversion two\n");
    w.wait_for("/a.html", "the failed build", WAIT, |_| {
        w.log().contains("error")
    });
    // Fixing the data file must bring the page's edit too.
    site.write("content/d.json", "{\"n\": 4}");
    w.wait_for("/shop.html", "the fixed data", WAIT, |r| {
        r.text().contains("4 items")
    });
    w.wait_for("/a.html", "the page edited during the failure", WAIT, |r| {
        r.text().contains("version two")
    });
}

/// A data file shown as code (`code(file=...)`) is an included file too:
/// the old lists sent an edited data file only to the pages that showed it
/// as data, and the page showing its text kept the old one.
#[test]
fn a_data_file_included_as_code_rebuilds_the_page_showing_it() {
    let site = site().file("content/limits.toml", "max = 3\n").file(
        "content/setup.md",
        "+++\ntitle = \"Setup\"\n+++\n{{ code(file=\"limits.toml\") }}\n",
    );
    let w = watch(&site);
    w.wait_for("/setup.html", "first build", WAIT, |r| {
        r.status == 200 && r.text().contains("max")
    });
    site.write("content/limits.toml", "ceiling = 5\n");
    w.wait_for("/setup.html", "the edited data file", WAIT, |r| {
        r.text().contains("ceiling")
    });
}

/// Issue 28: saving a translation renders that language's page again, and
/// saving a page renders it and the other languages' stand-ins for it;
/// over random edits (translations added, edited, removed), what watch
/// serves equals a clean build.
#[test]
fn issue_28_a_translation_rebuilds_its_language_and_equals_clean_builds() {
    use versus::pipeline::Options;
    use versus::watch::{Site as Served, classify};
    let site = Site::new()
        .file(
            "versus.toml",
            "title = \"T\"\n[languages.fr]\ntitle = \"T fr\"\n[languages.ar]\ntitle = \"T ar\"\n",
        )
        .file(
            "content/_index.md",
            "+++\ntitle = \"Home\"\n+++\nStart at [p0](g/p0.md).\n",
        )
        .file("content/g/_index.md", "+++\ntitle = \"Group\"\n+++\n");
    for i in 0..4 {
        site.write(
            &format!("content/g/p{i}.md"),
            &format!("+++\ntitle = \"P{i}\"\nweight = {i}\n+++\n## Part\ntext {i}, [next](p{}.md#part)\n", (i + 1) % 4),
        );
    }
    site.write(
        "content/g/p1.fr.md",
        "+++\ntitle = \"P1 fr\"\nweight = 1\n+++\n## Partie {#part}\ntexte\n",
    );
    let opts = Options::new(site.root());
    let (mut served, first) = Served::new(&opts);
    first.unwrap();
    let out = site.root().join("public");
    let apply = |served: &mut Served, touched: &str| {
        let changes: Vec<_> = classify(site.root(), &out, &site.root().join(touched))
            .into_iter()
            .collect();
        let rebuild = served.apply(&changes).unwrap();
        served.complete().unwrap();
        rebuild
    };
    // A translation's edit: its page alone.
    site.write(
        "content/g/p1.fr.md",
        "+++\ntitle = \"P1 fr\"\nweight = 1\n+++\n## Partie {#part}\ntexte deux\n",
    );
    let r = apply(&mut served, "content/g/p1.fr.md");
    assert!(
        !r.full && r.pages_rendered == 1,
        "{:?} {}",
        r.changed,
        r.pages_rendered
    );
    assert!(
        r.changed.contains(&"fr/g/p1.html".to_string()),
        "{:?}",
        r.changed
    );
    assert!(
        !r.changed
            .iter()
            .any(|c| c == "g/p1.html" || c == "ar/g/p1.html"),
        "{:?}",
        r.changed
    );
    // The original of stand-ins: it and each stand-in.
    site.write(
        "content/g/p2.md",
        "+++\ntitle = \"P2\"\nweight = 2\n+++\n## Part\nedited\n",
    );
    let r = apply(&mut served, "content/g/p2.md");
    assert!(
        !r.full && r.pages_rendered == 3,
        "{:?} {}",
        r.changed,
        r.pages_rendered
    );
    for page in ["g/p2.html", "fr/g/p2.html", "ar/g/p2.html"] {
        assert!(
            r.changed.contains(&page.to_string()),
            "{page}: {:?}",
            r.changed
        );
    }
    let mut rng = Rng(28);
    for step in 0..40 {
        let i = rng.pick(4);
        let (rel, text) = match rng.pick(5) {
            0 | 1 => (
                format!("content/g/p{i}.fr.md"),
                Some(format!(
                    "+++\ntitle = \"P{i} fr {step}\"\nweight = {i}\n+++\n## Partie {{#part}}\nétape {step}\n"
                )),
            ),
            2 => (format!("content/g/p{i}.fr.md"), None),
            3 => (
                format!("content/g/p{i}.ar.md"),
                Some(format!(
                    "+++\ntitle = \"ص{i}\"\nweight = {i}\n+++\n## جزء {{#part}}\nنص {step}\n"
                )),
            ),
            _ => (
                format!("content/g/p{i}.md"),
                Some(format!(
                    "+++\ntitle = \"P{i}\"\nweight = {i}\n+++\n## Part\nstep {step}, [next](p{}.md#part)\n",
                    (i + 1) % 4
                )),
            ),
        };
        match text {
            Some(t) => site.write(&rel, &t),
            None if site.root().join(&rel).exists() => site.remove(&rel),
            None => continue,
        }
        apply(&mut served, &rel);
        let (_, clean) = versus::site_build::in_memory(&opts, Default::default()).unwrap();
        let diff = versus::watch::diff(&served.files, &clean);
        assert!(
            diff.is_empty(),
            "step {step} ({rel}): incremental output differs from a clean build in {diff:?}"
        );
    }
}

/// Issue 28: a missing page under a language's folder gets that
/// language's 404 page; elsewhere, the site's.
#[test]
fn issue_28_a_missing_page_gets_its_languages_404() {
    let site = Site::new()
        .file(
            "versus.toml",
            "title = \"T\"\n[languages.fr]\ntitle = \"T fr\"\n",
        )
        .file("content/_index.md", "# Home\n")
        .file("content/_index.fr.md", "# Accueil\n");
    let w = watch(&site);
    w.wait_for("/fr/index.html", "first build", WAIT, |r| r.status == 200);
    let fr = w.get("/fr/nowhere.html");
    assert_eq!(fr.status, 404);
    assert!(fr.text().contains("<html lang=\"fr\""), "{}", fr.text());
    let en = w.get("/nowhere.html");
    assert_eq!(en.status, 404);
    assert!(en.text().contains("<html lang=\"en\">"), "{}", en.text());
}
