//! Tests in real headless Chromium (Debian's `chromium`), driven by
//! playwright-core from Node. Skipped with a reason where those are missing,
//! failed under CI=true.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use std::path::Path;

use common::Site;

use common::{browser_tools, run_browser_script as run_script};

fn file_url(p: &Path) -> String {
    format!("file://{}", p.display())
}

#[test]
fn tabs_switch_every_group_and_are_remembered() {
    let Some(node) = browser_tools() else { return };
    let body = "+++\ntitle = \"Tabs\"\n+++\n## One\n\n```js tab=\"Node.js\"\nconsole.log(1)\n```\n```python tab=\"Python\"\nprint(1)\n```\n\n## Two\n\n```js tab=\"Node.js\"\nconsole.log(2)\n```\n```python tab=\"Python\"\nprint(2)\n```\n";
    let site = Site::new().file("content/tabs.md", body);
    site.build().ok();
    run_script(
        &node,
        "tabs.mjs",
        &[&file_url(&site.public().join("tabs.html"))],
    );
}

#[test]
fn search_from_disk_finds_a_word_and_lands_on_its_heading() {
    let Some(node) = browser_tools() else { return };
    let filler: String = (1..=40)
        .map(|i| format!("Paragraph {i} about event loops, threads and processes.\n\n"))
        .collect();
    let site = Site::new()
        .file("content/_index.md", "+++\ntitle = \"Home\"\n+++\nSee [the guide](guide/io.md).\n")
        .file("content/threads.md", &format!("+++\ntitle = \"Threads\"\n+++\n## Pools\n\n{filler}"))
        .file(
            "content/guide/io.md",
            &format!(
                "+++\ntitle = \"Input and output\"\n+++\n## Reading\n\n{filler}## The kumquat section\n\n\
                 Only this page mentions the kumquat.\n\n## Writing\n\n{filler}"
            ),
        );
    site.build().ok();
    run_script(
        &node,
        "search.mjs",
        &[
            &file_url(&site.public().join("index.html")),
            "kumquat",
            "guide/io.html",
            "the-kumquat-section",
        ],
    );
}

/// A French site (`language = "fr"`): typed without its accents and in
/// the singular, a query finds the page that has the words accented and
/// in the plural, through the index's word table.
#[test]
fn search_in_french_folds_accents_and_stems() {
    let Some(node) = browser_tools() else { return };
    let filler: String = (1..=30)
        .map(|i| format!("Paragraphe {i} sur les boucles d'événements et les fils.\n\n"))
        .collect();
    let site = Site::new()
        .file(
            "versus.toml",
            "title = \"Comparaison\"\nlanguage = \"fr\"\n",
        )
        .file(
            "content/_index.md",
            "+++\ntitle = \"Accueil\"\n+++\nVoir [le guide](guide/debit.md).\n",
        )
        .file(
            "content/fils.md",
            &format!("+++\ntitle = \"Fils\"\n+++\n## Pools\n\n{filler}"),
        )
        .file(
            "content/guide/debit.md",
            &format!(
                "+++\ntitle = \"Débit\"\n+++\n## Lecture\n\n{filler}## Serveurs HTTP\n\n\
                 Les vitesses d'exécution des serveurs.\n\n## Écriture\n\n{filler}"
            ),
        );
    site.build().ok();
    run_script(
        &node,
        "search.mjs",
        &[
            &file_url(&site.public().join("index.html")),
            "execution vitesse",
            "guide/debit.html",
            "serveurs-http",
            "exécution",
        ],
    );
}

/// Results for `n` subjects named `name(i)`, each with three samples
/// around `value(i)`, higher better.
fn results(n: usize, name: impl Fn(usize) -> String, value: impl Fn(usize) -> f64) -> String {
    let mut csv = String::from("benchmark,subject,metric,unit,value,better\n");
    for i in 0..n {
        for k in [0.9, 1.0, 1.15] {
            csv.push_str(&format!(
                "throughput,{},rate,ops/s,{},higher\n",
                name(i),
                value(i) * k
            ));
        }
    }
    csv
}

#[test]
fn chart_labels_stay_inside_and_off_the_whiskers() {
    let Some(node) = browser_tools() else { return };
    let cases: Vec<(&str, String)> = vec![
        ("one", results(1, |_| "Node.js".into(), |_| 1_900_000.0)),
        // The report that started this: the best label was cut at the right.
        (
            "four",
            results(
                4,
                |i| ["Node.js", "Bun", "Deno", "CPython"][i].into(),
                |i| [1_900_000.0, 1_200_000.0, 800_000.0, 95_000.0][i],
            ),
        ),
        (
            "eight",
            results(
                8,
                |i| format!("A rather long subject name number {i} with options"),
                |i| 10.0 + i as f64 * 7.0,
            ),
        ),
        (
            "tiny",
            results(3, |i| format!("s{i}"), |i| 1e-9 * (i + 1) as f64),
        ),
        (
            "huge",
            results(3, |i| format!("s{i}"), |i| 1e12 * (i + 1) as f64),
        ),
        (
            "signs",
            "benchmark,subject,value,unit\nx,Below,-5,ms\nx,Zero,0,ms\nx,Above,12,ms\n".to_string(),
        ),
    ];
    let mut site = Site::new();
    let mut urls = Vec::new();
    for (name, csv) in &cases {
        site = site.file(&format!("content/{name}.csv"), csv).file(
            &format!("content/{name}.md"),
            &format!("+++\ntitle = \"{name}\"\n+++\n{{{{ bench_chart(data=\"{name}.csv\") }}}}\n"),
        );
        urls.push(file_url(&site.public().join(format!("{name}.html"))));
    }
    site.build().ok();
    let eight = site.out("eight.html");
    let whole = "<title>A rather long subject name number 0 with options</title>";
    let cut = &eight[eight.find(whole).expect("the whole name as a tooltip") + whole.len()..];
    assert!(
        cut[..cut.find("</text>").unwrap()].ends_with('…'),
        "{eight}"
    );
    let urls: Vec<&str> = urls.iter().map(String::as_str).collect();
    run_script(&node, "charts.mjs", &urls);
}

/// The values of subject `i` of `n` in each chart of the fixture: name,
/// unit, better, value.
type ChartCase = (
    &'static str,
    &'static str,
    &'static str,
    fn(usize, usize) -> f64,
);

const CHART_CASES: [ChartCase; 10] = [
    ("ordinary", "ms", "lower", |i, _| 10.0 * (i + 1) as f64),
    ("issue 16", "ops/s", "higher", |i, _| {
        4_400_000.0 - 150_000.0 * i as f64
    }),
    ("tiny", "", "lower", |i, _| 1e-9 * (i + 1) as f64),
    ("huge", "", "higher", |i, _| 1e12 * (i + 1) as f64),
    // Too long for the narrowest plot: the chart widens.
    ("long unit", "requests per second", "higher", |i, _| {
        1e12 * (i + 1) as f64
    }),
    ("zero", "ms", "lower", |i, _| 5.0 * i as f64),
    ("negative", "ms", "lower", |i, n| {
        (i as f64 - n as f64 / 2.0) * 7.5
    }),
    ("all negative", "", "higher", |i, _| -3.0 * (i + 1) as f64),
    ("zero and wide", "", "lower", |i, _| {
        if i == 0 { 0.0 } else { 10f64.powi(i as i32) }
    }),
    ("tiny to huge", "", "lower", |i, _| {
        1e-9 * 1e3f64.powi(i as i32)
    }),
];

/// Writes the results file of a chart case with `n` subjects or versions.
type ChartCsv = fn(usize, &str, &str, fn(usize, usize) -> f64) -> String;

/// A results file of two benchmarks with `n` subjects (the last one with a
/// long name), three samples each.
fn chart_csv(n: usize, unit: &str, better: &str, value: fn(usize, usize) -> f64) -> String {
    let names = [
        "Node.js",
        "Python",
        "Deno",
        "Bun",
        "PyPy",
        "GraalPy",
        "Node.js 24",
    ];
    let mut csv = String::from("benchmark,subject,unit,value,better\n");
    let mut subjects = names[..n - 1].to_vec();
    subjects.push(if n > 1 {
        "A runtime with a long name, version 1.2.3 (cluster mode)"
    } else {
        names[0]
    });
    for bench in ["startup", "a benchmark with a long name"] {
        for (i, name) in subjects.iter().enumerate() {
            let v = value(i, n);
            for s in [v - v.abs() / 8.0, v, v + v.abs() / 8.0] {
                csv.push_str(&format!("{bench},\"{name}\",{unit},{s},{better}\n"));
            }
        }
    }
    csv
}

/// A results file of one subject in `n` versions (the last one with a
/// long name), in two benchmarks (one with a long name).
fn trend_csv(n: usize, unit: &str, better: &str, value: fn(usize, usize) -> f64) -> String {
    let mut csv = String::from("benchmark,subject,version,unit,value,better\n");
    let versions: Vec<String> = (0..n)
        .map(|i| match i {
            _ if i + 1 == n && n > 2 => "v30.0.0-nightly20261205a1b2c3d4e5f6".to_string(),
            _ => format!("v{}.{i}.0", 18 + i),
        })
        .collect();
    for bench in [
        "startup",
        "a benchmark with a long name that goes on and on, eight workers in cluster mode",
    ] {
        for (i, version) in versions.iter().enumerate() {
            let v = value(i, n);
            csv.push_str(&format!(
                "\"{bench}\",Node.js,{version},{unit},{v},{better}\n"
            ));
        }
    }
    csv
}

#[test]
fn issue_16_charts_fit_with_1_4_and_8_subjects_of_any_size_and_sign() {
    let Some(node) = browser_tools() else { return };
    let mut site = Site::new();
    let mut pages = Vec::new();
    // Every case as bars of 1, 4 and 8 subjects, and as trends of the
    // same values across 2, 5 and 12 versions, in values and as change
    // from the first version: a page per count.
    let kinds: [(&str, &str, [usize; 3], ChartCsv); 3] = [
        ("n", "subjects", [1, 4, 8], chart_csv),
        ("v", "versions", [2, 5, 12], trend_csv),
        ("r", "versions", [2, 5, 12], trend_csv),
    ];
    for (prefix, what, counts, csv_of) in kinds {
        let trend = match prefix {
            "v" => ", trend=true",
            "r" => ", trend=true, relative=true",
            _ => "",
        };
        for n in counts {
            let mut body = format!("+++\ntitle = \"{n} {what}\"\n+++\n");
            for (k, (name, unit, better, value)) in CHART_CASES.iter().enumerate() {
                // No change in percent can be told from a first value of 0.
                if prefix == "r" && value(0, n) == 0.0 {
                    continue;
                }
                let csv = format!("{prefix}{n}-{k}.csv");
                site = site.file(&format!("content/{csv}"), &csv_of(n, unit, better, *value));
                body.push_str(&format!(
                    "\n{{{{ bench_chart(data=\"{csv}\"{trend}, title=\"{name}, {n} {what}\") }}}}\n"
                ));
            }
            site = site.file(&format!("content/{prefix}{n}.md"), &body);
            pages.push(format!("{prefix}{n}.html"));
        }
    }
    site.build().ok();
    let urls: Vec<String> = pages
        .iter()
        .map(|p| file_url(&site.public().join(p)))
        .collect();
    let args: Vec<&str> = urls.iter().map(String::as_str).collect();
    run_script(&node, "charts.mjs", &args);
}

/// Subjects as an author comparing languages for CLI tools names them.
const LANGS: [&str; 8] = [
    "Go 1.23",
    "Rust 1.83",
    "Zig 0.13",
    "C (gcc 14)",
    "Node.js 22",
    "Python 3.13",
    "Java 21 (OpenJDK)",
    "C# (.NET 9)",
];

/// A comparison matrix of the first `n` of [`LANGS`], with cells of a
/// few words, a note and an edge per row.
fn matrix_toml(n: usize) -> String {
    let langs = &LANGS[..n];
    let quoted: Vec<String> = langs.iter().map(|l| format!("\"{l}\"")).collect();
    let mut toml = format!(
        "title = \"CLI tools in {n} languages\"\nsubjects = [{}]\n",
        quoted.join(", ")
    );
    let rows = [
        (
            "Start-up time of a hello-world binary",
            "about 1 ms, static binary",
        ),
        (
            "Cross-compiling to another OS",
            "one flag, no extra toolchain",
        ),
        (
            "Argument parsing in the standard library",
            "yes, with subcommands",
        ),
        (
            "Size of a stripped release binary",
            "1.8 MiB including runtime",
        ),
    ];
    for (k, (criterion, cell)) in rows.iter().enumerate() {
        toml.push_str(&format!(
            "\n[[rows]]\ncriterion = \"{criterion}\"\nnote = \"Measured on Debian 12, x86-64; see the table below.\"\nedge = \"{}\"\n",
            langs[k % n]
        ));
        for l in langs {
            toml.push_str(&format!("\"{l}\" = \"{cell}\"\n"));
        }
    }
    toml
}

/// Results of the first `n` of [`LANGS`] in three benchmarks, in ms and
/// MiB, three samples each.
fn langs_csv(n: usize) -> String {
    let mut csv = String::from("benchmark,subject,metric,unit,value\n");
    for (b, bench) in ["hello world", "parse a 1 MB JSON file", "grep a 100 MB log"]
        .iter()
        .enumerate()
    {
        for (i, l) in LANGS[..n].iter().enumerate() {
            let v = (1.0 + i as f64 * 1.7) * (b + 1) as f64 * 12.25;
            for k in [0.93, 1.0, 1.11] {
                csv.push_str(&format!("{bench},\"{l}\",time,ms,{:.4}\n", v * k));
            }
            csv.push_str(&format!(
                "{bench},\"{l}\",memory,MiB,{:.1}\n",
                3.5 + i as f64
            ));
        }
    }
    csv
}

/// One subject in `n` versions, in two benchmarks.
fn go_versions_csv(n: usize) -> String {
    let mut csv = String::from("benchmark,subject,version,unit,value\n");
    for bench in ["hello world", "parse a 1 MB JSON file"] {
        for i in 0..n {
            let v = 20.0 - i as f64 * 1.5;
            csv.push_str(&format!("{bench},Go,1.{},ms,{v}\n", 16 + i));
        }
    }
    csv
}

/// Issue 23: with 2, 4 and 8 subjects, at 360, 768 and 1280 px, a matrix,
/// a bench table, a bar chart and a trend chart fit: the page never
/// scrolls sideways, no table does, chart text stays at 11 px or more;
/// and a page with several tables of one results file (by metric, by
/// subject, the same call twice) gives every region its own name (axe-core
/// finds nothing there or anywhere else).
#[test]
fn issue_23_comparisons_of_2_4_and_8_subjects_fit_phone_tablet_and_desktop() {
    let Some(node) = browser_tools() else { return };
    let mut site = Site::new();
    let mut pages = Vec::new();
    for n in [2, 4, 8] {
        site = site
            .file(&format!("content/m{n}.toml"), &matrix_toml(n))
            .file(&format!("content/r{n}.csv"), &langs_csv(n))
            .file(&format!("content/v{n}.csv"), &go_versions_csv(n))
            .file(
                &format!("content/n{n}.md"),
                &format!(
                    "+++\ntitle = \"{n} subjects\"\n+++\n## Matrix\n\n{{{{ compare(data=\"m{n}.toml\") }}}}\n\n\
                     ## Results\n\n{{{{ bench_table(data=\"r{n}.csv\", metric=\"time\") }}}}\n\n\
                     {{{{ bench_chart(data=\"r{n}.csv\", metric=\"time\") }}}}\n\n\
                     ## Versions\n\n{{{{ bench_chart(data=\"v{n}.csv\", trend=true) }}}}\n"
                ),
            );
        pages.push(format!("n{n}.html"));
    }
    let several = "+++\ntitle = \"Several tables of one file\"\n+++\n\
        {{ compare(data=\"m4.toml\") }}\n\n{{ compare(data=\"m4.toml\") }}\n\n\
        {{ bench_table(data=\"r4.csv\") }}\n\n\
        {{ bench_table(data=\"r4.csv\", metric=\"time\") }}\n\n\
        {{ bench_table(data=\"r4.csv\", metric=\"time\", subjects=\"Go 1.23, Rust 1.83\") }}\n\n\
        {{ bench_table(data=\"r4.csv\", metric=\"time\") }}\n";
    site = site.file("content/several.md", several);
    pages.push("several.html".to_string());
    site.build().ok();
    let urls: Vec<String> = pages
        .iter()
        .map(|p| file_url(&site.public().join(p)))
        .collect();
    let mut args = vec!["--axe"];
    args.extend(urls.iter().map(String::as_str));
    run_script(&node, "fit.mjs", &args);
}

/// Nothing moves after the first paint, at a phone's and a desktop's size,
/// even when the scripts run after it: not when a matrix, a results table,
/// a chart, a code sample or a group of tabs is the first thing on the page
/// (blocks lower down are laid out lazily, and a lazy block on screen was
/// first painted at its guessed height; a group of tabs showed all its
/// panels until versus.js ran), nor on a long page of such blocks, nor on
/// the bundled site's longest page.
#[test]
fn blocks_at_the_top_of_a_page_do_not_shift_the_text_under_them() {
    let Some(node) = browser_tools() else { return };
    let text = "A paragraph after the block, long enough to wrap over several lines \
                on a phone, so that a reader would see it move if the block above it \
                changed height after the first paint.";
    let firsts = [
        ("matrix", "{{ compare(data=\"m.toml\") }}".to_string()),
        ("table", "{{ bench_table(data=\"r.csv\", metric=\"time\") }}".to_string()),
        ("chart", "{{ bench_chart(data=\"r.csv\", metric=\"time\") }}".to_string()),
        ("code", "{{ code(file=\"fib.py\") }}".to_string()),
        (
            "tabs",
            "```js tab=\"Node.js\"\nconsole.log(1);\n```\n\n```python tab=\"Python\"\nprint(1)\n```".to_string(),
        ),
    ];
    let fib = (1..=30)
        .map(|i| format!("x{i} = fib({i})  # line {i}\n"))
        .collect::<String>();
    let mut site = Site::new()
        .file("content/m.toml", &matrix_toml(4))
        .file("content/r.csv", &langs_csv(4))
        .file("content/fib.py", &fib);
    let mut pages = Vec::new();
    for (name, block) in &firsts {
        site = site.file(
            &format!("content/{name}.md"),
            &format!(
                "+++\ntitle = \"{name} first\"\n+++\n{block}\n\n{text}\n\n## Next\n\n{text}\n"
            ),
        );
        pages.push(format!("{name}.html"));
    }
    let long: String = firsts
        .iter()
        .cycle()
        .take(20)
        .map(|(_, block)| format!("{block}\n\n{text}\n\n"))
        .collect();
    site = site.file(
        "content/long.md",
        &format!("+++\ntitle = \"Long\"\n+++\n{long}"),
    );
    pages.push("long.html".to_string());
    site.build().ok();
    let public = site.public();
    let mut args = vec![public.to_str().unwrap()];
    args.extend(pages.iter().map(String::as_str));
    run_script(&node, "shift.mjs", &args);
    let (out, _) = common::build_bundled(&[]);
    let bundled = out.path().join("public");
    run_script(
        &node,
        "shift.mjs",
        &[
            bundled.to_str().unwrap(),
            "speed.html",
            "fr/speed.html",
            "index.html",
        ],
    );
}

/// Issue 27: an alias lands on its page from `file://`, two folders down
/// as at the top, keeping a `#fragment`; the page, with its "Last updated" line, "Edit this page"
/// link and the link that edits its table's data, fits and passes axe.
#[test]
fn issue_27_aliases_land_on_their_page_and_edit_links_pass_axe() {
    let Some(node) = browser_tools() else { return };
    let site = Site::new()
        .file(
            "versus.toml",
            "title = \"T\"\nedit_url = \"https://github.com/o/r/edit/main/{path}\"\n",
        )
        .file("content/_index.md", "# Home\n")
        .file("content/data/cpu.csv", "benchmark,subject,value\nfib,A,1.5\nfib,B,2.5\n")
        .file(
            "content/guide/speed.md",
            "+++\ntitle = \"Speed\"\nupdated = 2025-03-01\naliases = [\"speed.html\", \"old/perf/\"]\n+++\n# Speed\n\n## Results\n\n{{ bench_table(data=\"../data/cpu.csv\") }}\n",
        );
    site.build().ok();
    let target = file_url(&site.public().join("guide/speed.html"));
    for alias in ["speed.html", "old/perf/index.html"] {
        let from = file_url(&site.public().join(alias));
        run_script(&node, "redirect.mjs", &[&from, &target, "Speed"]);
    }
    // A link to a heading of the old address lands on that heading.
    let from = file_url(&site.public().join("speed.html")) + "#results";
    run_script(
        &node,
        "redirect.mjs",
        &[&from, &format!("{target}#results"), "Speed"],
    );
    run_script(&node, "fit.mjs", &["--axe", &target]);
}

/// A page that sends the browser on at once (a print volume pointing into
/// print.html): what the browser shows is the page it points to.
fn redirects(path: &std::path::Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|html| html.contains("http-equiv=\"refresh\""))
}

/// Issue 23, on the bundled site: every page (and print.html) fits
/// at 360, 768 and 1280 px, and axe-core finds no violation.
#[test]
fn issue_23_every_page_of_the_bundled_site_fits_and_passes_axe() {
    let Some(node) = browser_tools() else { return };
    let (out, _) = common::build_bundled(&[]);
    let public = out.path().join("public");
    let mut urls = Vec::new();
    let mut dirs = vec![public.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "html") && !redirects(&path) {
                urls.push(file_url(&path));
            }
        }
    }
    urls.sort();
    assert!(urls.len() > 10, "{urls:?}");
    let mut args = vec!["--axe"];
    args.extend(urls.iter().map(String::as_str));
    run_script(&node, "fit.mjs", &args);
}

/// Issue 28: a right-to-left page opened from `file://` runs right to
/// left, its language switcher lands on the same page in French, and the
/// French page searches the French index.
#[test]
fn issue_28_an_rtl_page_switches_language_from_file_urls() {
    let Some(node) = browser_tools() else { return };
    let site = Site::new()
        .file(
            "versus.toml",
            "title = \"T\"\n[languages.fr]\nname = \"Français\"\n[languages.ar]\nname = \"العربية\"\n",
        )
        .file("content/_index.md", "# Home\n\nWelcome.\n")
        .file("content/guide/speed.md", "# Speed\n\n## Fast\n\nEnglish zebra.\n")
        .file(
            "content/guide/speed.fr.md",
            "# Vitesse\n\n## Rapide {#fast}\n\nTexte girafe.\n",
        )
        .file("content/guide/speed.ar.md", "# سرعة\n\n## سريع {#fast}\n\nنص.\n");
    site.build().ok();
    let ar = file_url(&site.public().join("ar/guide/speed.html"));
    let fr = file_url(&site.public().join("fr/guide/speed.html"));
    run_script(&node, "languages.mjs", &[&ar, &fr, "fr", "girafe"]);
}
