//! Charts and tables choose what they show (issue #23): benchmarks by name
//! or group, trends as change from the first version, and help that names
//! the site's own subjects and benchmarks.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::Site;

/// Two subjects in three versions each, a 400 ms benchmark and a 2 ms one
/// (the case of the issue: a 16% change in the small one looked flat), a
/// name holding commas, and the `group` column `versus bench` writes.
const RESULTS: &str = "benchmark,subject,metric,unit,value,version,group\n\
render,Go,time,ms,400,1.21.0,render\n\
render,Go,time,ms,410,1.22.0,render\n\
render,Go,time,ms,380,1.23.0,render\n\
\"parse (1,000 lines, 5 times)\",Go,time,ms,2.5,1.21.0,parse\n\
\"parse (1,000 lines, 5 times)\",Go,time,ms,2.1,1.22.0,parse\n\
\"parse (1,000 lines, 5 times)\",Go,time,ms,2.0,1.23.0,parse\n\
parse-large,Go,time,ms,20,1.21.0,parse\n\
parse-large,Go,time,ms,25,1.23.0,parse\n\
render,Zig,time,ms,300,0.12.0,render\n\
render,Zig,time,ms,290,0.13.0,render\n\
render,Go,memory,MB,30,1.23.0,render\n";

fn site(body: &str) -> Site {
    Site::new().file("content/r.csv", RESULTS).file(
        "content/a.md",
        &format!("+++\ntitle = \"A\"\n+++\nIntro.\n\n{body}\n"),
    )
}

/// The built `a.html` of [`site`]`(body)`.
fn built(body: &str) -> String {
    let s = site(body);
    s.build().ok();
    s.out("a.html")
}

/// The text of the first `<desc>` of the page.
fn desc(html: &str) -> &str {
    let at = html.find("<desc").expect("a chart");
    let from = at + html[at..].find('>').unwrap() + 1;
    &html[from..from + html[from..].find("</desc>").unwrap()]
}

#[test]
fn benchmark_picks_one_benchmark_for_a_trend_and_a_table() {
    let html = built(
        "{{ bench_chart(data=\"r.csv\", metric=\"time\", subjects=\"Go\", benchmark=\"parse (1,000 lines, 5 times)\", trend=true) }}\n\n\
         {{ bench_table(data=\"r.csv\", metric=\"time\", benchmark=\"render\", subjects=\"Go@1.23, Zig@0.13\") }}",
    );
    let d = desc(&html);
    assert!(
        d.contains("parse (1,000 lines, 5 times): 1.21.0: 2.5 ms"),
        "{d}"
    );
    assert!(!d.contains("render") && !d.contains("parse-large"), "{d}");
    // The table compares the picked benchmark only: its summary too.
    let table = &html[html.find("<table class=\"bench-table\"").unwrap()..];
    assert!(
        table.contains(">render</th>") && !table.contains("parse"),
        "{table}"
    );
    assert!(
        table.contains("Go 1.23.0 1.31x slower than Zig 0.13.0"),
        "{table}"
    );
    assert!(
        table.contains("Zig 0.13.0 1.00x (best in 1 of 1)"),
        "{table}"
    );
}

#[test]
fn benchmarks_take_a_list_in_the_order_written_commas_in_names_and_all() {
    let html = built(
        "{{ bench_table(data=\"r.csv\", metric=\"time\", subjects=\"Go\", benchmarks=\"parse-large, parse (1,000 lines, 5 times)\") }}",
    );
    let large = html.find(">parse-large</th>").expect("parse-large");
    let small = html
        .find(">parse (1,000 lines, 5 times)</th>")
        .expect("parse");
    assert!(large < small, "in the order written");
    assert!(!html.contains(">render</th>"));
}

#[test]
fn group_picks_the_benchmarks_of_a_group_and_metrics_without_them_go() {
    let html = built(
        "{{ bench_chart(data=\"r.csv\", subjects=\"Go\", group=\"parse\", trend=true) }}\n\n\
         {{ bench_table(data=\"r.csv\", group=\"parse\") }}",
    );
    let d = desc(&html);
    assert!(d.starts_with("Median time in ms by version"), "{d}");
    assert!(
        d.contains("parse (1,000 lines") && d.contains("parse-large: 1.21.0: 20 ms"),
        "{d}"
    );
    assert!(!d.contains("render"), "{d}");
    assert!(
        !html.contains("memory in MB"),
        "no memory table: the group has no memory results"
    );
}

#[test]
fn misspelt_benchmarks_and_groups_are_errors_at_the_call_with_did_you_mean() {
    let cases = [
        (
            "benchmark=\"parse (1000 lines, 5 times)\"",
            "no benchmark `parse (1000 lines, 5 times)` in metric `time` of content/r.csv",
            "did you mean `parse (1,000 lines, 5 times)`?",
        ),
        (
            "benchmarks=\"render, prase-large\"",
            "no benchmark `prase-large`",
            "did you mean `parse-large`?",
        ),
        (
            "group=\"rendr\"",
            "no group `rendr` in metric `time` of content/r.csv",
            "did you mean `render`?",
        ),
        (
            "benchmark=\"parse\"",
            "no benchmark `parse`",
            "`parse` is a group: write group=\"parse\"",
        ),
        (
            "benchmark=\"zzz\"",
            "no benchmark `zzz`",
            "the benchmarks there: `render`, `parse (1,000 lines, 5 times)`, `parse-large`",
        ),
        (
            "benchmark=\"render\", group=\"parse\"",
            "`benchmark` and `group` cannot be used together",
            "`benchmarks` several",
        ),
        (
            "subjects=\"Zig\", benchmark=\"parse-large\"",
            "the series shown have no results in the benchmarks picked",
            "these results measured them with Go 1.21.0, Go 1.23.0",
        ),
    ];
    for (args, message, help) in cases {
        let line = format!("{{{{ bench_chart(data=\"r.csv\", metric=\"time\", {args}) }}}}");
        // The error points at the argument that picks (the first written).
        let col = ["benchmark=", "benchmarks=", "group="]
            .iter()
            .filter_map(|k| line.find(k))
            .min()
            .expect("a picking argument")
            + 1;
        let s = site(&format!("Text.\n\n{line}"));
        s.build()
            .fails(1)
            .stderr_has(message)
            .stderr_has(&format!("content/a.md:8:{col}"))
            .stderr_has(help);
        assert!(!s.exists("a.html"), "{args}: nothing published");
    }
}

#[test]
fn relative_trends_show_change_in_percent_with_the_medians_beside() {
    let html = built(
        "{{ bench_chart(data=\"r.csv\", metric=\"time\", subjects=\"Go\", trend=true, relative=true) }}",
    );
    let d = desc(&html);
    assert_eq!(
        d,
        "Change in median time from each line&#39;s first version, in percent, by version, \
         lower is better. render: 1.21.0: 0% (400 ms), 1.22.0: +2.5% (410 ms), 1.23.0: -5.0% (380 ms); \
         parse (1,000 lines, 5 times): 1.21.0: 0% (2.5 ms), 1.22.0: -16.0% (2.1 ms), 1.23.0: -20.0% (2.0 ms); \
         parse-large: 1.21.0: 0% (20 ms), 1.23.0: +25.0% (25 ms)."
    );
    assert!(
        html.contains("<title>parse (1,000 lines, 5 times), 1.22.0: -16.0% (2.1 ms)</title>"),
        "tooltips give the change and the median"
    );
    assert!(html.contains(">change in time from the first version (%), by version</text>"));
    assert!(html.contains("<line class=\"zero\""), "a zero line");
    for tick in [">0%</text>", ">+20%</text>", ">-20%</text>"] {
        assert!(html.contains(tick), "{tick}");
    }
    assert!(html.contains("changed from its first version, in percent"));
    assert!(!html.contains("log scale"), "change is on a linear axis");
}

#[test]
fn relative_needs_a_trend_and_a_first_median_other_than_zero() {
    site("{{ bench_chart(data=\"r.csv\", relative=true) }}")
        .build()
        .fails(1)
        .stderr_has("`relative` is for trend charts")
        .stderr_has("add trend=true");
    site("{{ bench_table(data=\"r.csv\", relative=true) }}")
        .build()
        .fails(1)
        .stderr_has("unknown argument `relative` for shortcode `bench_table`");
    Site::new()
        .file("content/z.csv", "benchmark,subject,value,version\nx,A,0,1\nx,A,5,2\n")
        .file(
            "content/a.md",
            "+++\ntitle = \"A\"\n+++\n{{ bench_chart(data=\"z.csv\", trend=true, relative=true) }}\n",
        )
        .build()
        .fails(1)
        .stderr_has("`x` of A is 0 in its first version")
        .stderr_has("help: leave out relative=true");
}

#[test]
fn help_names_the_sites_own_subjects() {
    // A trend of two runtimes that share no version.
    site("{{ bench_chart(data=\"r.csv\", metric=\"time\", trend=true) }}")
        .build()
        .fails(1)
        .stderr_has("`Go` and `Zig` share no version")
        .stderr_has(
            "help: pick one subject in several versions: subjects=\"Go\" or subjects=\"Zig\"",
        )
        .stderr_lacks("Python");
    // One version shown: the help names the subject shown first.
    site("{{ bench_chart(data=\"r.csv\", subjects=\"Zig@0.13\", trend=true) }}")
        .build()
        .fails(1)
        .stderr_has("subjects=\"Zig\" or subjects=\"Go\"")
        .stderr_lacks("Python");
    // No subject in several versions.
    Site::new()
        .file("content/o.csv", "benchmark,subject,value,version\nx,Go,1,1.23\nx,Zig,2,0.13\n")
        .file(
            "content/a.md",
            "+++\ntitle = \"A\"\n+++\n{{ bench_chart(data=\"o.csv\", subjects=\"Go\", trend=true) }}\n",
        )
        .build()
        .fails(1)
        .stderr_has("each subject in these results has one")
        .stderr_lacks("Python");
    // `figure` without a subject, in a page and in a matrix cell.
    let in_page = site("It took {{ figure(data=\"r.csv\", benchmark=\"render\") }}.");
    let in_cell = Site::new()
        .file("content/r.csv", RESULTS)
        .file(
            "content/m.toml",
            "subjects = [\"Go\", \"Zig\"]\n[[rows]]\ncriterion = \"Render\"\n\
             Go = \"{{ figure(data=\\\"r.csv\\\", benchmark=\\\"render\\\") }}\"\nZig = \"fast\"\n",
        )
        .file(
            "content/a.md",
            "+++\ntitle = \"A\"\n+++\n{{ compare(data=\"m.toml\") }}\n",
        );
    for s in [in_page, in_cell] {
        s.build()
            .fails(1)
            .stderr_has("`figure` needs `subject`")
            .stderr_has("subject=\"Go@1.23.0\"")
            .stderr_lacks("Node.js");
    }
    // A matrix without `subjects`: its rows name them.
    Site::new()
        .file(
            "content/m.toml",
            "[[rows]]\ncriterion = \"Speed\"\nGo = \"fast\"\nZig = \"faster\"\nedge = \"Zig\"\n",
        )
        .file(
            "content/a.md",
            "+++\ntitle = \"A\"\n+++\n{{ compare(data=\"m.toml\") }}\n",
        )
        .build()
        .fails(1)
        .stderr_has("add subjects = [\"Go\", \"Zig\"]")
        .stderr_lacks("Python");
}

#[test]
fn the_measured_line_names_the_runs_of_the_benchmarks_picked() {
    let run = |date: &str, group: &str| {
        format!(
            "[[runs]]\ndate = \"{date}\"\nmachine = \"box\"\nbenchmarks = [\"{group}\"]\n\
             [runs.runtimes.go]\nname = \"Go\"\nversion = \"1.23.0\"\n"
        )
    };
    let meta = format!(
        "{}{}",
        run("2026-11-20", "render"),
        run("2026-12-05", "parse")
    );
    let s = site(
        "{{ bench_table(data=\"r.csv\", metric=\"time\", subjects=\"Go@1.23\", benchmark=\"render\") }}\n\n\
         {{ bench_table(data=\"r.csv\", metric=\"time\", subjects=\"Go@1.23\") }}",
    )
    .file("content/r.meta.toml", &meta);
    s.build().ok();
    let html = s.out("a.html");
    assert!(
        html.contains("Measured 2026-11-20 on box with Go 1.23.0."),
        "{html}"
    );
    assert!(html.contains("Measured on box: 2026-11-20 (Go 1.23.0) and 2026-12-05 (Go 1.23.0)."));
}
