//! The bad-input suite: broken sites, each generated here in a temporary
//! folder (big inputs are made by the test, never committed). Every case
//! builds a good site first, plants the defect, and then checks that the
//! build ends in a correct site or in a clear error naming the file (and
//! line, where a file has lines), within bounded time and memory, with the
//! previous `public/` byte for byte as it was.
//!
//! Each build is measured (wall time, and peak memory through
//! `/usr/bin/time` when it is installed) and the figures are printed:
//! `cargo test --test bad_input -- --nocapture` shows them. The observed
//! figures and the asserted bounds are in docs/robustness.md.
//!
//! The saved fuzzing inputs (fuzz/corpus/ and fuzz/regressions/) are
//! replayed here too, through the fuzz targets' own code.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

#[path = "../fuzz/harness/mod.rs"]
mod harness;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::{BIN, Run, Site, assert_links_resolve, snapshot};

/// What every bad-input build must stay under, in a debug build on a busy
/// two-core machine (docs/robustness.md has the observed figures).
const MAX_TIME: Duration = Duration::from_secs(20);
/// Peak resident memory of one build, in MiB, unless a case says otherwise.
const MAX_MEMORY_MB: u64 = 512;

/// A build and what it cost.
struct Measured {
    run: Run,
    time: Duration,
    /// Peak resident set in KiB (None without /usr/bin/time).
    peak_kb: Option<u64>,
}

/// `versus build --quiet` in the site, timed; `prefix` runs it through
/// another program first (`setpriv ...`).
fn measured_build(site: &Site, case: &str, prefix: &[&str]) -> Measured {
    let time_bin = Path::new("/usr/bin/time");
    let mut argv: Vec<String> = Vec::new();
    if time_bin.is_file() {
        argv.extend(["/usr/bin/time", "-f", "\nVERSUS-MEASURE %e %M"].map(String::from));
    }
    argv.extend(prefix.iter().map(|s| s.to_string()));
    argv.extend([BIN, "build", "--quiet"].map(String::from));
    let start = Instant::now();
    let out = Command::new(&argv[0])
        .args(&argv[1..])
        .current_dir(site.root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let time = start.elapsed();
    let mut stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let mut peak_kb = None;
    if let Some(i) = stderr.rfind("\nVERSUS-MEASURE ") {
        let line = stderr[i + 1..].trim().to_string();
        peak_kb = line
            .split_whitespace()
            .nth(2)
            .and_then(|k| k.parse::<u64>().ok());
        stderr.truncate(i);
        // /usr/bin/time reports a failing command on a line of its own.
        if let Some(j) = stderr.rfind("Command exited with non-zero status") {
            stderr.truncate(j);
        }
    }
    let m = Measured {
        run: Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr,
        },
        time,
        peak_kb,
    };
    println!(
        "MEASURE {case}: exit {}, {:.2} s, peak {}",
        m.run.code,
        time.as_secs_f64(),
        peak_kb.map_or("unknown".into(), |k| format!("{} MiB", k / 1024))
    );
    for line in m.run.stderr.lines().filter(|l| {
        l.starts_with("error") || l.trim_start().starts_with("-->") || l.starts_with(" = ")
    }) {
        println!("  {line}");
    }
    m
}

impl Measured {
    #[track_caller]
    fn within(self, max_time: Duration, max_mb: u64) -> Run {
        assert!(
            self.time < max_time,
            "took {:?} (bound {max_time:?})",
            self.time
        );
        if let Some(kb) = self.peak_kb {
            assert!(
                kb / 1024 < max_mb,
                "peak memory {} MiB (bound {max_mb} MiB)",
                kb / 1024
            );
        }
        self.run
    }

    #[track_caller]
    fn bounded(self) -> Run {
        self.within(MAX_TIME, MAX_MEMORY_MB)
    }
}

/// A small good site, built: what a failed build must leave as it is.
fn good_site() -> (Site, Vec<(String, Vec<u8>)>) {
    let site = Site::new()
        .file(
            "content/_index.md",
            "+++\ntitle = \"Home\"\n+++\nWelcome.\n",
        )
        .file("content/guide.md", "# Guide\n\n## Start\n\nText.\n");
    site.build().ok();
    let before = snapshot(&site.public());
    assert!(!before.is_empty());
    (site, before)
}

#[track_caller]
fn assert_untouched(site: &Site, before: &[(String, Vec<u8>)]) {
    let after = snapshot(&site.public());
    assert!(
        after == before,
        "public/ changed after a failed build: {:?}",
        after.iter().map(|(p, _)| p).collect::<Vec<_>>()
    );
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("versus-new"))
        .collect();
    assert!(leftovers.is_empty(), "staging left behind: {leftovers:?}");
}

fn write_bytes(site: &Site, rel: &str, bytes: &[u8]) {
    let p = site.root().join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

#[test]
fn truncated_utf8_is_an_error_with_file_and_line() {
    let (site, before) = good_site();
    let mut page = "+++\ntitle = \"Café\"\n+++\nLine one.\nLine two, then "
        .as_bytes()
        .to_vec();
    page.extend_from_slice(&"é".as_bytes()[..1]);
    write_bytes(&site, "content/guide.md", &page);
    let mut data = "subjects = [\"A\", \"B\"]\n# Fran".as_bytes().to_vec();
    data.extend_from_slice(&"ç".as_bytes()[..1]);
    write_bytes(&site, "content/d.toml", &data);
    site.write("content/uses.md", "{{ compare(data=\"d.toml\") }}\n");
    measured_build(&site, "truncated UTF-8", &[])
        .bounded()
        .fails(1)
        .stderr_has("content/guide.md:5:")
        .stderr_has("not valid UTF-8")
        .stderr_has("save the file as UTF-8");
    assert_untouched(&site, &before);
    // With the page fixed, the data file's error (found while rendering) shows.
    site.write("content/guide.md", "# Guide\n");
    measured_build(&site, "truncated UTF-8 (data)", &[])
        .bounded()
        .fails(1)
        .stderr_has("content/d.toml:2:")
        .stderr_has("not valid UTF-8");
    assert_untouched(&site, &before);
}

#[test]
fn byte_order_marks_are_ignored_in_pages_data_and_config() {
    let (site, _) = good_site();
    let bom = "\u{feff}";
    site.write("versus.toml", &format!("{bom}title = \"Marked\"\n"));
    site.write(
        "content/guide.md",
        &format!("{bom}+++\ntitle = \"With a mark\"\n+++\n# Body heading\n\n{{{{ compare(data=\"d.toml\") }}}}\n"),
    );
    site.write(
        "content/d.toml",
        &format!("{bom}subjects = [\"A\", \"B\"]\n[[rows]]\ncriterion = \"Speed\"\nA = \"fast\"\nB = \"slow\"\n"),
    );
    site.write(
        "content/yaml.md",
        &format!("{bom}---\ntitle: YAML too\n---\nText.\n"),
    );
    measured_build(&site, "BOM", &[]).bounded().ok();
    let html = site.out("guide.html");
    assert!(
        html.contains("<title>With a mark · Marked</title>"),
        "{html}"
    );
    assert!(html.contains("<td>fast</td>") || html.contains(">fast<"));
    assert!(!html.contains('\u{feff}'), "the mark reached the output");
    assert!(site.out("yaml.html").contains("<h1>YAML too</h1>"));
}

#[test]
fn crlf_line_ends_build_the_same_site_as_lf() {
    let page = "---\ntitle: Windows\ntags: [a, b]\n---\n## Part one\n\nSome *text*\nover two lines.\n\n```python title=\"x.py\" hl_lines=\"2\"\nx = 1\ny = 2\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n{{ bench_table(data=\"b.csv\") }}\n\n{{ compare(data=\"m.toml\") }}\n";
    let csv = "benchmark,subject,value\nfib,A,1\nfib,B,2\n";
    let matrix = "subjects = [\"A\", \"B\"]\n[[rows]]\ncriterion = \"Speed\"\nA = \"fast\"\nB = \"slow\"\nnote = \"\"\"\ntwo\nlines\"\"\"\n";
    let build = |crlf: bool| {
        let conv = |s: &str| {
            if crlf {
                s.replace('\n', "\r\n")
            } else {
                s.to_string()
            }
        };
        let site = Site::new()
            .file("content/a.md", &conv(page))
            .file("content/b.csv", &conv(csv))
            .file("content/m.toml", &conv(matrix));
        measured_build(&site, if crlf { "CRLF" } else { "LF" }, &[])
            .bounded()
            .ok();
        site
    };
    let (lf, crlf) = (build(false), build(true));
    // Shortcode ids are byte offsets in the source, which CR bytes move.
    let ids = regex::Regex::new(r"(bench-table|compare)-\d+").unwrap();
    let page = |site: &Site| ids.replace_all(&site.out("a.html"), "$1-N").into_owned();
    let (a, b) = (page(&lf), page(&crlf));
    assert!(!b.contains('\r'), "a carriage return reached the page");
    assert!(b.contains("<h1>Windows</h1>") && b.contains("<table>"));
    assert!(b.contains("two\nlines"), "the multi-line note");
    assert_eq!(a, b, "CRLF and LF sources give different pages");
}

#[test]
fn a_nul_byte_is_an_error_with_file_and_line() {
    let (site, before) = good_site();
    site.write("content/guide.md", "# Guide\n\nText\0 with a NUL.\n");
    measured_build(&site, "NUL byte (page)", &[])
        .bounded()
        .fails(1)
        .stderr_has("content/guide.md:3:5")
        .stderr_has("NUL byte");
    assert_untouched(&site, &before);
    site.write("content/guide.md", "{{ bench_table(data=\"b.csv\") }}\n");
    site.write("content/b.csv", "benchmark,subject,value\nfi\0b,A,1\n");
    measured_build(&site, "NUL byte (data)", &[])
        .bounded()
        .fails(1)
        .stderr_has("content/b.csv:2:3")
        .stderr_has("NUL byte");
    assert_untouched(&site, &before);
}

/// A page of `mb` megabytes of prose, lists, emphasis, links and headings.
fn big_page(mb: usize, max_time: Duration, max_mb: u64) {
    let (site, _) = good_site();
    let mut page = String::with_capacity((mb + 1) << 20);
    page.push_str("+++\ntitle = \"Big\"\n+++\n");
    let mut n = 0;
    while page.len() < mb << 20 {
        if n % 200 == 0 {
            let _ = write!(page, "## Part {n}\n\n");
        }
        let _ = write!(
            page,
            "Paragraph {n}: the event loop runs *one* callback at a time, and **nothing** else; \
             see [the guide](guide.md#start) and `code {n}`. Lorem ipsum dolor sit amet, \
             consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore.\n\n- item {n}\n- item\n\n"
        );
        n += 1;
    }
    page.push_str("The last paragraph.\n");
    site.write("content/big.md", &page);
    measured_build(&site, &format!("{mb} MB page"), &[])
        .within(max_time, max_mb)
        .ok();
    let html = std::fs::read_to_string(site.public().join("big.html")).unwrap();
    assert!(html.contains("The last paragraph."));
    assert!(html.contains(&format!("Paragraph {}:", n - 1)));
}

/// About 32 s and 1 GiB in a debug build on an idle two-core machine (twice
/// that with other work running), 7.5 s in a release build.
#[test]
fn a_50_mb_page_builds() {
    big_page(50, Duration::from_secs(150), 2048);
}

#[test]
fn ten_thousand_headings_build_with_unique_ids() {
    let (site, _) = good_site();
    site.write("content/many.md", &"## Same\n\ntext\n\n".repeat(10_000));
    measured_build(&site, "10,000 headings", &[]).bounded().ok();
    let html = site.out("many.html");
    assert!(html.contains("id=\"same\"") && html.contains("id=\"same-9999\""));
    assert_eq!(html.matches("<h2 id=").count(), 10_000);
}

#[test]
fn five_thousand_levels_of_lists_and_quotes_build() {
    let (site, _) = good_site();
    site.write("content/list.md", &format!("{}deep\n", "- ".repeat(5_000)));
    site.write("content/quote.md", &format!("{}deep\n", "> ".repeat(5_000)));
    let mut indented = String::new();
    for i in 0..5_000 {
        let _ = writeln!(indented, "{}- level {i}", "  ".repeat(i));
    }
    site.write("content/indented.md", &indented);
    measured_build(&site, "5,000-level lists and quotes", &[])
        .bounded()
        .ok();
    let list = site.out("list.html");
    assert_eq!(list.matches("<ul>").count(), 5_000);
    assert_eq!(
        site.out("quote.html").matches("<blockquote>").count(),
        5_000
    );
    assert!(site.out("indented.html").contains("level 4999"));
}

#[test]
fn unclosed_front_matter_is_an_error_at_its_first_line() {
    let (site, before) = good_site();
    site.write(
        "content/guide.md",
        "+++\ntitle = \"Never closed\"\n\n# Body\n\nText.\n",
    );
    site.write("content/yaml.md", "---\ntitle: Open\n\nText.\n");
    measured_build(&site, "unclosed front matter", &[])
        .bounded()
        .fails(1)
        .stderr_has("content/guide.md:1:1")
        .stderr_has("content/yaml.md:1:1")
        .stderr_has("front matter is not closed");
    assert_untouched(&site, &before);
}

/// Nine levels of nine aliases: 387 million strings if expanded.
fn yaml_bomb(indent: &str) -> String {
    let mut s = format!(
        "{indent}a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
    );
    for (name, prev) in "bcdefghi".chars().zip("abcdefgh".chars()) {
        let refs = vec![format!("*{prev}"); 9].join(",");
        let _ = writeln!(s, "{indent}{name}: &{name} [{refs}]");
    }
    s
}

#[test]
fn yaml_bombs_in_front_matter_and_data_are_errors() {
    let (site, before) = good_site();
    site.write(
        "content/guide.md",
        &format!("---\ntitle: Bomb\nextra:\n{}---\nText.\n", yaml_bomb("  ")),
    );
    measured_build(&site, "YAML bomb (front matter)", &[])
        .bounded()
        .fails(1)
        .stderr_has("content/guide.md:")
        .stderr_has("repetition limit exceeded")
        .stderr_has("aliases");
    assert_untouched(&site, &before);
    site.write("content/guide.md", "{{ compare(data=\"d.yaml\") }}\n");
    site.write(
        "content/d.yaml",
        &format!("subjects: [A, B]\nrows: []\n{}", yaml_bomb("")),
    );
    measured_build(&site, "YAML bomb (data)", &[])
        .bounded()
        .fails(1)
        .stderr_has("content/d.yaml:")
        .stderr_has("repetition limit exceeded");
    assert_untouched(&site, &before);
}

#[test]
fn data_nested_100000_levels_deep_is_an_error_with_file_and_line() {
    let (site, before) = good_site();
    let n = 100_000;
    let (open, close) = ("[".repeat(n), "]".repeat(n));
    site.write("content/d.json", &format!("{open}{close}"));
    site.write("content/d.yaml", &format!("x: {open}{close}\n"));
    site.write("content/d.toml", &format!("x = {open}{close}\n"));
    site.write(
        "content/guide.md",
        "{{ compare(data=\"d.json\") }}\n\n{{ compare(data=\"d.yaml\") }}\n\n{{ compare(data=\"d.toml\") }}\n",
    );
    site.write(
        "content/fm.md",
        &format!("---\ntitle: Deep\nextra:\n  x: {open}{close}\n---\n"),
    );
    measured_build(&site, "100,000 levels (front matter)", &[])
        .bounded()
        .fails(1)
        .stderr_has("content/fm.md:4:")
        .stderr_has("128 levels");
    assert_untouched(&site, &before);
    site.remove("content/fm.md");
    measured_build(&site, "100,000 levels (JSON, YAML, TOML)", &[])
        .bounded()
        .fails(1)
        .stderr_has("content/d.json:1:")
        .stderr_has("recursion limit exceeded")
        .stderr_has("content/d.yaml:1:")
        .stderr_has("128 levels")
        .stderr_has("content/d.toml:1:")
        .stderr_has("max recursion depth");
    assert_untouched(&site, &before);
}

#[test]
fn a_csv_with_a_million_rows_builds() {
    let (site, _) = good_site();
    let mut csv = String::with_capacity(32 << 20);
    csv.push_str("benchmark,subject,metric,unit,value\n");
    let mut rows = 0;
    for b in 0..1_000 {
        for s in ["Node.js", "Python"] {
            for i in 0..500 {
                let _ = writeln!(csv, "bench-{b},{s},time,ms,{}.{i}", 10 + b % 90);
                rows += 1;
            }
        }
    }
    assert_eq!(rows, 1_000_000);
    site.write("content/big.csv", &csv);
    site.write(
        "content/guide.md",
        "{{ bench_table(data=\"big.csv\") }}\n\n{{ bench_chart(data=\"big.csv\") }}\n",
    );
    measured_build(&site, "CSV with a million rows", &[])
        .within(Duration::from_secs(40), 1024)
        .ok();
    let html = site.out("guide.html");
    assert!(
        html.contains("bench-999") && html.contains(">500<"),
        "samples"
    );
}

#[test]
fn file_names_with_spaces_and_non_ascii_build_with_working_links() {
    let (site, _) = good_site();
    site.write(
        "content/Grüße an alle.md",
        "# Grüße\n\nSee [the summer](données/été%202024.md#résumé) and \
         [home](_index.md).\n\n![a chart](<img/ça va.svg>)\n",
    );
    site.write(
        "content/données/été 2024.md",
        "# Été\n\n## Résumé\n\nBack to [greetings](<../Grüße an alle.md>).\n\n\
         {{ bench_table(data=\"résultats 1.csv\") }}\n",
    );
    site.write(
        "content/données/résultats 1.csv",
        "benchmark,subject,value\nfib,A,1\nfib,B,2\n",
    );
    site.write(
        "content/img/ça va.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    measured_build(&site, "names with spaces and non-ASCII", &[])
        .bounded()
        .ok();
    assert!(site.exists("Grüße an alle.html"));
    assert!(site.exists("données/été 2024.html"));
    assert!(site.exists("img/ça va.svg"));
    assert!(site.out("données/été 2024.html").contains("<table"));
    // Links are percent-encoded in the output; decoded, each names a file.
    assert_links_resolve(&site.public());
}

#[test]
fn symlink_loops_in_content_are_errors_naming_the_link() {
    let (site, before) = good_site();
    let content = site.root().join("content");
    std::os::unix::fs::symlink("..", content.join("up")).unwrap();
    std::os::unix::fs::symlink("me.md", content.join("me.md")).unwrap();
    measured_build(&site, "symlink loop", &[])
        .bounded()
        .fails(1)
        .stderr_has("content/up: symlink loop")
        .stderr_has("content/me.md: Too many levels of symbolic links");
    assert_untouched(&site, &before);
}

#[test]
fn a_symlink_out_of_the_site_is_refused_naming_the_link() {
    let (site, before) = good_site();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), "# Secret\n").unwrap();
    std::fs::create_dir(outside.path().join("dir")).unwrap();
    std::fs::write(outside.path().join("dir/key.txt"), "key").unwrap();
    let content = site.root().join("content");
    std::os::unix::fs::symlink(outside.path().join("secret.md"), content.join("s.md")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("dir"), content.join("shared")).unwrap();
    std::os::unix::fs::symlink("/nonexistent/gone.md", content.join("gone.md")).unwrap();
    // A link that stays inside the site is followed.
    site.write("notes/inside.md", "# Inside\n");
    std::os::unix::fs::symlink("../notes/inside.md", content.join("inside.md")).unwrap();
    measured_build(&site, "symlink out of the site", &[])
        .bounded()
        .fails(1)
        .stderr_has("content/s.md leads outside the site")
        .stderr_has("content/shared leads outside the site")
        .stderr_has("content/gone.md: No such file")
        .stderr_lacks("inside.md");
    assert_untouched(&site, &before);
    for name in ["s.md", "shared", "gone.md"] {
        std::fs::remove_file(content.join(name)).unwrap();
    }
    measured_build(&site, "symlink inside the site", &[])
        .bounded()
        .ok();
    assert!(site.out("inside.html").contains("<h1>Inside</h1>"));
}

/// True when this process can read a file whose mode is 000 (root can).
fn can_read_mode_000(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let p = dir.join("probe");
    std::fs::write(&p, "x").unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    let readable = std::fs::read(&p).is_ok();
    std::fs::remove_file(&p).unwrap();
    readable
}

/// Gives everyone access to the site, so it can be built as `nobody`.
fn open_up(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    for e in walkdir::WalkDir::new(dir) {
        let e = e.unwrap();
        let mode = if e.file_type().is_dir() { 0o777 } else { 0o666 };
        std::fs::set_permissions(e.path(), std::fs::Permissions::from_mode(mode)).unwrap();
    }
}

#[test]
fn an_unreadable_file_is_an_error_naming_it() {
    use std::os::unix::fs::PermissionsExt;
    let (site, before) = good_site();
    site.write("content/locked.md", "# Locked\n");
    site.write("content/locked.csv", "benchmark,subject,value\nfib,A,1\n");
    site.write(
        "content/data.md",
        "{{ bench_table(data=\"locked.csv\") }}\n",
    );
    site.write("content/locked.png", "not really a picture");
    // As root, mode 000 does not stop reads: the build then runs as
    // `nobody` (through setpriv), for whom it does.
    let mut prefix: Vec<&str> = Vec::new();
    if can_read_mode_000(site.root()) {
        if Path::new("/usr/bin/setpriv").is_file() {
            println!("running as root: building as nobody through setpriv");
            open_up(site.root());
            prefix = vec![
                "/usr/bin/setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
            ];
        } else {
            eprintln!(
                "SKIPPED (partly): running as root without setpriv, mode 000 files stay readable"
            );
        }
    }
    let before = if prefix.is_empty() {
        before
    } else {
        // public/ must be replaceable by nobody too.
        snapshot(&site.public())
    };
    let lock = |rel: &str| {
        std::fs::set_permissions(
            site.root().join(rel),
            std::fs::Permissions::from_mode(0o000),
        )
        .unwrap();
    };
    lock("content/locked.md");
    let can_test = !prefix.is_empty() || !can_read_mode_000(site.root());
    if !can_test {
        measured_build(&site, "unreadable file (readable as root)", &prefix)
            .bounded()
            .ok();
        return;
    }
    measured_build(&site, "unreadable page", &prefix)
        .bounded()
        .fails(1)
        .stderr_has("cannot read content/locked.md: Permission denied");
    assert_untouched(&site, &before);
    std::fs::remove_file(site.root().join("content/locked.md")).unwrap();
    lock("content/locked.csv");
    measured_build(&site, "unreadable data file", &prefix)
        .bounded()
        .fails(1)
        .stderr_has("cannot read content/locked.csv: Permission denied")
        .stderr_has("used by content/data.md:1");
    assert_untouched(&site, &before);
    std::fs::remove_file(site.root().join("content/locked.csv")).unwrap();
    std::fs::remove_file(site.root().join("content/data.md")).unwrap();
    lock("content/locked.png");
    measured_build(&site, "unreadable asset", &prefix)
        .bounded()
        .fails(1)
        .stderr_has("content/locked.png: Permission denied");
    assert_untouched(&site, &before);
}

#[test]
fn a_template_that_includes_itself_is_an_error_naming_it() {
    let (site, before) = good_site();
    site.write(
        "templates/partials/loop.html",
        "<p>again</p>\n{% include \"partials/loop.html\" %}\n",
    );
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}{% include \"partials/loop.html\" %}{% endblock content %}\n",
    );
    measured_build(&site, "template including itself", &[])
        .bounded()
        .fails(1)
        .stderr_has("templates/partials/loop.html:2:")
        .stderr_has("includes itself");
    assert_untouched(&site, &before);
    // A cycle through two templates, and one through `extends`.
    site.write(
        "templates/partials/loop.html",
        "{% include \"partials/b.html\" %}\n",
    );
    site.write(
        "templates/partials/b.html",
        "\n{% include \"partials/loop.html\" %}\n",
    );
    measured_build(&site, "templates including each other", &[])
        .bounded()
        .fails(1)
        .stderr_has("templates/partials/b.html:2:");
    assert_untouched(&site, &before);
    site.remove("templates/partials/loop.html");
    site.remove("templates/partials/b.html");
    site.write("templates/page.html", "{% extends \"section.html\" %}\n");
    site.write("templates/section.html", "{% extends \"page.html\" %}\n");
    measured_build(&site, "templates extending each other", &[])
        .bounded()
        .fails(1)
        .stderr_has("templates/section.html:1:")
        .stderr_has("extends");
    assert_untouched(&site, &before);
    // A component calling itself is stopped by Tera's depth limit.
    site.remove("templates/section.html");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% component f() %}x{{ <f /> }}{% endcomponent f %}\n{% block content %}{{ <f /> }}{% endblock content %}\n",
    );
    measured_build(&site, "component calling itself", &[])
        .bounded()
        .fails(1)
        .stderr_has("recursion depth")
        .stderr_has("content/guide.md");
    assert_untouched(&site, &before);
}

/// Every saved fuzzing input (the seed corpora and the crash reproducers)
/// through the fuzz targets' own code: none may panic.
#[test]
fn fuzz_corpora_and_regressions_replay_cleanly() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut replayed = 0;
    for (name, run) in harness::TARGETS {
        for kind in ["corpus", "regressions"] {
            let dir: PathBuf = fuzz.join(kind).join(name);
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            let mut files: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
            files.sort();
            for f in files {
                let bytes = std::fs::read(&f).unwrap();
                let start = Instant::now();
                if std::panic::catch_unwind(|| run(&bytes)).is_err() {
                    panic!("{} panics", f.display());
                }
                assert!(
                    start.elapsed() < Duration::from_secs(10),
                    "{} took {:?}",
                    f.display(),
                    start.elapsed()
                );
                replayed += 1;
            }
        }
    }
    assert!(replayed >= 8, "only {replayed} inputs found under fuzz/");
}

#[test]
fn folders_nested_30_deep_build() {
    let (site, _) = good_site();
    let dir: Vec<String> = (1..=30).map(|i| format!("d{i}")).collect();
    let rel = format!("content/{}/deep.md", dir.join("/"));
    let up = "../".repeat(30);
    site.write(&rel, &format!("# Deep\n\nBack [home]({up}_index.md).\n"));
    measured_build(&site, "folders 30 deep", &[]).bounded().ok();
    let html = site.out(&format!("{}/deep.html", dir.join("/")));
    assert!(html.contains("<h1>Deep</h1>"));
    assert!(html.contains(&format!("href=\"{up}index.html\"")));
}

// ---------------------------------------------------------------------------
// Escaping: text from front matter, file names, data files, versus.toml and
// shortcode arguments never becomes markup.

const SCRIPT: &str = "<script>alert(1)</script>";
const ONLOAD: &str = "\"onload=alert(1) x=\"";
const JS_URL: &str = "javascript:alert(1)";
const END_TITLE: &str = "</title>";

/// All four payloads in one string.
fn payload() -> String {
    format!("{SCRIPT} {ONLOAD} {JS_URL} {END_TITLE}")
}

/// `s` as a TOML basic string.
fn toml_str(s: &str) -> String {
    let escaped = s
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
        .replace('\t', "\\t");
    format!("\"{escaped}\"")
}

/// `s` as a CSV field.
fn csv_field(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// `s` as Markdown text (no raw HTML: `<` is escaped, as an author writing
/// about a tag would).
fn md_text(s: &str) -> String {
    s.replace('<', "\\<")
}

/// `s` as a quoted value in an info string or a shortcode call written in
/// Markdown: the Markdown parser takes one backslash, the value parser the
/// other.
fn md_quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\\\\\\\""))
}

/// HTML attribute values: `&amp;` and friends decoded.
fn unescape(s: &str) -> String {
    let mut out = s
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">");
    for (entity, c) in [
        ("&#9;", "\t"),
        ("&#x9;", "\t"),
        ("&#10;", "\n"),
        ("&#58;", ":"),
    ] {
        out = out.replace(entity, c);
    }
    out.replace("&amp;", "&")
}

/// Everything in one output file that would run a script.
fn markup_leaks(name: &str, text: &str) -> Vec<String> {
    let mut leaks = Vec::new();
    let lower = text.to_ascii_lowercase();
    if lower.contains("<script>alert") {
        leaks.push(format!("{name}: <script>alert"));
    }
    let onload = regex::Regex::new(r#"(?i)<[^<>]*["'\s/]onload\s*="#).unwrap();
    if let Some(m) = onload.find(text) {
        leaks.push(format!("{name}: onload attribute in {}", m.as_str()));
    }
    let tags = regex::Regex::new(r"<[a-zA-Z][^<>]*>").unwrap();
    let urls = regex::Regex::new(
        r#"(?i)\s(?:href|src|action|formaction|xlink:href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))"#,
    )
    .unwrap();
    for c in tags
        .find_iter(text)
        .flat_map(|t| urls.captures_iter(t.as_str()))
    {
        let raw = c
            .get(1)
            .or(c.get(2))
            .or(c.get(3))
            .map_or("", |m| m.as_str());
        // What a browser's URL parser makes of it.
        let url: String = unescape(raw)
            .chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .collect::<String>()
            .trim_matches(|c: char| c <= ' ')
            .to_ascii_lowercase();
        if url.starts_with("javascript:") || url.starts_with("vbscript:") {
            leaks.push(format!("{name}: script URL {raw}"));
        }
    }
    if name.ends_with(".html") {
        let opens = lower.matches("<title").count();
        let closes = lower.matches("</title>").count();
        if opens != closes {
            leaks.push(format!("{name}: {opens} <title> but {closes} </title>"));
        }
        let title = regex::Regex::new(r"(?is)<title[^>]*>(.*?)</title>").unwrap();
        for c in title.captures_iter(text) {
            if c[1].contains('<') {
                leaks.push(format!("{name}: markup in a title: {}", &c[1]));
            }
        }
    }
    leaks
}

fn escaping_site() -> Site {
    let p = payload();
    let ts = toml_str(&p);
    Site::new()
        .file(
            "versus.toml",
            &format!(
                "title = {ts}\ndescription = {ts}\nbase_url = \"https://example.org\"\n[extra]\npayload = {ts}\n"
            ),
        )
        .file(
            "templates/partials/footer.html",
            "<footer>{{ site.extra.payload }}{% if page.extra %}{% if page.extra.payload %}{{ page.extra.payload }}{% endif %}{% endif %}</footer>\n",
        )
        .file(
            "templates/shortcodes/note.html",
            "<aside class=\"note\" title=\"{{ args.text }}\">{{ args.text }}</aside>\n",
        )
        .file(
            "content/_index.md",
            &format!(
                "+++\ntitle = {ts}\ndescription = {ts}\ntags = [{}]\ndate = 2024-01-02\n[extra]\npayload = {ts}\n+++\nHome.\n",
                [SCRIPT, ONLOAD, JS_URL, END_TITLE].map(toml_str).join(", ")
            ),
        )
        .file(
            "content/fields.md",
            &format!(
                "---\ntitle: {ts}\ndescription: {ts}\ntags: [{}]\ndate: 2024-01-03\nextra:\n  payload: {ts}\n---\n\
                 ## {h}\n\n\
                 ### `{SCRIPT}` and more\n\n\
                 ## Attributes {{#x ONLOAD=alert(1) onclick=alert(1) data-x=1}}\n\n\
                 A [link with {h}](other.md \"{ht}\") and ![{h}](pic.png \"{ht}\").\n\n\
                 ```{SCRIPT} title={t} tab={t} group={t}\n</code></pre>{SCRIPT}\n```\n\n\
                 ```py title={t} tab={t} group={t}\nprint(\"{SCRIPT}\")\n```\n\n\
                 {{{{ code(file=\"x.py\", title={t}, tab={t}) }}}}\n\n\
                 {{{{ note(text={t}) }}}}\n\n\
                 {{{{ compare(data=\"m.toml\", title={t}) }}}}\n\n\
                 {{{{ bench_table(data=\"b.csv\", title={t}) }}}}\n\n\
                 {{{{ bench_chart(data=\"b.csv\", title={t}) }}}}\n\n\
                 {{{{ bench_chart(data=\"r.json\") }}}}\n",
                [SCRIPT, ONLOAD, JS_URL, END_TITLE]
                    .map(|s| format!("'{s}'"))
                    .join(", "),
                ts = format!("'{p}'"),
                h = md_text(&p),
                ht = md_text(&p).replace('"', "\\\""),
                t = md_quoted(&p),
            ),
        )
        .file(
            "content/heading-title.md",
            &format!("# {}\n\nThe heading is the title.\n", md_text(&p)),
        )
        .file("content/other.md", "# Other\n")
        .file("content/pic.png", "not a picture")
        .file("content/x.py", &format!("print(\"{SCRIPT}\")\n"))
        .file(&format!("content/{}.md", SCRIPT.replace('/', "|")), "No title.\n")
        .file(&format!("content/{ONLOAD}.md"), "No title.\n")
        .file(&format!("content/{JS_URL}.md"), "No title.\n")
        .file(&format!("content/{JS_URL}/{ONLOAD}.md"), "In a folder.\n")
        .file(
            "content/m.toml",
            &format!(
                "title = {ts}\ndescription = {ts}\nsource = \"https://example.org/?q={ONLOAD_URL}\"\n\
                 subjects = [{s1}, {s2}]\n[[rows]]\ncriterion = {ts}\n{s1} = {ts}\n{s2} = {ts}\nedge = {s1}\n\
                 note = {ts}\nsource = \"https://example.org/{ONLOAD_URL}\"\n\
                 [[rows]]\ncriterion = \"links [x](javascript:alert(1))\"\n{s1} = \"a\"\n{s2} = {note}\nnote = {note}\n",
                s1 = toml_str(SCRIPT),
                s2 = toml_str(ONLOAD),
                note = toml_str(
                    "[a](javascript:alert(1)) [b](<java\tscript:alert(1)>) [c]( JAVASCRIPT:alert(1)) \
                     [d](&#106;avascript:alert(1)) [e](vbscript:msgbox(1)) [f](<java\nscript:alert(1)>) \
                     [g](javascript&colon;alert(1)) <a href=\"javascript:alert(1)\">h</a>"
                ),
                ONLOAD_URL = "%22onload=alert(1)%20x=%22",
            ),
        )
        .file(
            "content/b.csv",
            &format!(
                "benchmark,subject,metric,unit,value,version,note,group\n\
                 {f},{o},{f},{f},1,{f},{f},{f}\n{f},{f},{f},{f},,{f},{f},{f}\n{o},{o},{f},{f},2,{f},{f},{f}\n",
                f = csv_field(&p),
                o = csv_field(ONLOAD),
            ),
        )
        .file(
            "content/b.meta.toml",
            &format!(
                "title = {ts}\ndescription = {ts}\nsource = {ts}\nmachine = {ts}\nos = {ts}\nnotes = {ts}\n[versions]\n{s} = {ts}\n",
                s = toml_str(ONLOAD)
            ),
        )
        .file(
            "content/r.json",
            &format!(
                "{{\"meta\": {{\"title\": {j}, \"machine\": {j}}}, \"results\": [\
                 {{\"benchmark\": {j}, \"subject\": {j}, \"unit\": {j}, \"metric\": {j}, \"value\": 3, \"version\": {j}}},\
                 {{\"benchmark\": {j}, \"subject\": \"B\", \"unit\": {j}, \"metric\": {j}, \"value\": 300000}}]}}",
                j = serde_json::to_string(&p).unwrap()
            ),
        )
}

#[test]
fn text_from_every_field_stays_text() {
    let site = escaping_site();
    measured_build(&site, "escaping", &[]).bounded().ok();
    // BAD_INPUT_KEEP=DIR keeps a copy of the site, to look at.
    if let Some(keep) = std::env::var_os("BAD_INPUT_KEEP") {
        common::copy_dir(site.root(), Path::new(&keep));
    }
    let mut leaks = Vec::new();
    let mut files = 0;
    for (rel, bytes) in snapshot(&site.public()) {
        if rel.ends_with(".html") || rel.ends_with(".js") || rel.ends_with(".xml") {
            leaks.extend(markup_leaks(&rel, &String::from_utf8_lossy(&bytes)));
            files += 1;
        }
    }
    assert!(
        leaks.is_empty(),
        "{} leaks:\n{}",
        leaks.len(),
        leaks.join("\n")
    );
    assert!(files >= 10);
    // The payloads did reach the pages, as text.
    let escaped = "&lt;script&gt;alert(1)&lt;/script&gt;";
    let fields = site.out("fields.html");
    for part in [
        "<title>&lt;script&gt;",
        "<meta name=\"description\" content=\"&lt;script&gt;",
        "<figcaption class=\"code-title\">&lt;script&gt;",
        "<aside class=\"note\" title=\"&lt;script&gt;",
        "class=\"tag\" href=\"tags/scriptalert1script.html\">&lt;script&gt;",
    ] {
        assert!(fields.contains(part), "no {part:?} in fields.html");
    }
    let tag_page = site.out("tags/scriptalert1script.html");
    assert!(tag_page.contains("<h1>Tag: &lt;script&gt;"), "{tag_page}");
    assert!(
        fields.matches(escaped).count() > 30,
        "payloads missing from fields.html"
    );
    let index = common::search_text(&site.public());
    assert!(index.contains("alert(1)"), "the search index has the text");
    assert!(!index.contains('<'), "`<` is escaped in the search index");
    let print = site.out("print.html");
    assert!(print.matches(escaped).count() > 10);
}

#[test]
fn script_urls_in_data_sources_are_errors() {
    for source in [
        "javascript:alert(1)",
        "java\\tscript:alert(1)",
        " JavaScript:alert(1)",
    ] {
        let site = Site::new()
            .file("content/a.md", "{{ compare(data=\"m.toml\") }}\n")
            .file(
                "content/m.toml",
                &format!(
                    "subjects = [\"A\", \"B\"]\n[[rows]]\ncriterion = \"c\"\nA = \"a\"\nB = \"b\"\nsource = \"{source}\"\n"
                ),
            );
        site.build()
            .fails(1)
            .stderr_has("content/m.toml:6:")
            .stderr_has("is not an http(s) address");
    }
}

#[test]
fn a_date_with_text_after_it_is_an_error() {
    let site = Site::new().file(
        "content/a.md",
        "+++\ndate = \"2024-01-02<script>alert(1)</script>\"\n+++\n",
    );
    site.build()
        .fails(1)
        .stderr_has("content/a.md:2:")
        .stderr_has("is not a date");
}
