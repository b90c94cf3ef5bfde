//! Figures bound to data: `figure` in prose and in matrix cells, results
//! holding several versions of a subject (picked with `subjects` and
//! `versions`, and drawn as a trend), the precision and units figures keep,
//! results files published as downloads, and `versus check` asking for
//! typed figures to come from data.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::Site;

/// fib in two versions of each subject, json in the newest only.
const RESULTS: &str = "benchmark,subject,metric,unit,value,version\n\
fib(30),Node.js,time,ms,100.5,v20.1.0\n\
fib(30),Node.js,time,ms,101.5,v20.1.0\n\
fib(30),Node.js,time,ms,80.25,v24.2.0\n\
fib(30),Node.js,time,ms,80.75,v24.2.0\n\
fib(30),Python,time,ms,1300,3.11.7\n\
fib(30),Python,time,ms,1340,3.11.7\n\
fib(30),Python,time,ms,900,3.13.0\n\
fib(30),Python,time,ms,904,3.13.0\n\
json,Node.js,time,ms,50,v24.2.0\n\
json,Python,time,ms,159.97,3.13.0\n";

const META: &str = "title = \"CPU\"\ndate = \"2026-12-01\"\nmachine = \"test VM\"\n";

fn page(body: &str) -> String {
    format!("+++\ntitle = \"Speed\"\n+++\n{body}\n")
}

fn site(body: &str) -> Site {
    Site::new()
        .file("content/bench/cpu.csv", RESULTS)
        .file("content/bench/cpu.meta.toml", META)
        .file("content/speed.md", &page(body))
}

#[test]
fn figure_prints_a_median_or_a_ratio_inside_a_sentence() {
    let s = site(
        "fib(30) took {{ figure(data=\"bench/cpu.csv\", benchmark=\"fib(30)\", subject=\"Node.js@24\") }} \
         in Node.js 24, {{ figure(data=\"bench/cpu.csv\", benchmark=\"fib(30)\", subject=\"Python@3.13\", vs=\"Node.js@24\") }} \
         than in Python, and Python 3.13 was {{ figure(data=\"bench/cpu.csv\", benchmark=\"fib(30)\", subject=\"Python@3.13\", vs=\"Python@3.11\", digits=2) }} \
         than 3.11 ({{ figure(data=\"bench/cpu.csv\", benchmark=\"fib(30)\", subject=\"Python@3.11\", stat=\"range\") }}).\n\n\
         {{ figure(data=\"bench/cpu.csv\", benchmark=\"json\", subject=\"Python\", digits=0) }}\n\n\
         `{{ figure(data=\"x\") }}` stays code.",
    );
    s.build().ok();
    let html = s.out("speed.html");
    assert!(
        html.contains("fib(30) took <data class=\"figure\" value=\"80.5\" title=\"Median of 2 runs: fib(30), Node.js v24.2.0, time; from bench/cpu.csv\">80.50 ms</data> in Node.js 24"),
        "{html}"
    );
    assert!(
        html.contains(">11.2x slower</data> than in Python"),
        "{html}"
    );
    assert!(html.contains(">1.46x faster</data> than 3.11"), "{html}");
    assert!(html.contains(">1300–1340 ms</span>)"), "{html}");
    assert!(
        html.contains("<p><data class=\"figure\" value=\"159.97\""),
        "alone in its paragraph it is still text: {html}"
    );
    assert!(html.contains(">160 ms</data></p>"), "{html}");
    assert!(html.contains("<code>{{ figure(data=\"x\") }}</code>"));
    let index = common::search_text(&s.public());
    assert!(index.contains("80.50 ms"), "figures are searchable text");
    assert!(s.exists("bench/cpu.csv") && s.exists("bench/cpu.meta.toml"));
}

#[test]
fn wrong_names_are_errors_at_the_call_with_a_suggestion() {
    let cases = [
        (
            "benchmark=\"fib(3)\", subject=\"Node.js@24\"",
            "no benchmark `fib(3)`",
            "did you mean `fib(30)`?",
            "benchmark=",
        ),
        (
            "benchmark=\"fib(30)\", subject=\"Nodejs@24\"",
            "no subject `Nodejs`",
            "did you mean `Node.js`?",
            "",
        ),
        (
            "benchmark=\"fib(30)\", subject=\"Node.js\"",
            "several versions (v20.1.0, v24.2.0)",
            "\"Node.js@24.2.0\"",
            "subject=",
        ),
        (
            "benchmark=\"fib(30)\", subject=\"Node.js@22\"",
            "no version `22` of `Node.js`",
            "v20.1.0, v24.2.0",
            "",
        ),
        (
            "benchmark=\"fib(30)\", subject=\"Node.js@24\", metric=\"tmie\"",
            "no metric `tmie`",
            "did you mean `time`?",
            "metric=",
        ),
        (
            "benchmark=\"fib(30)\", subject=\"Node.js@24\", vs_benchmrk=\"json\"",
            "unknown argument `vs_benchmrk`",
            "did you mean `vs_benchmark`?",
            "vs_benchmrk=",
        ),
        (
            "subject=\"Node.js@24\"",
            "several benchmarks",
            "fib(30), json",
            "",
        ),
    ];
    // The last of each case: the argument the error points at ("": the call).
    for (args, what, hint, at) in cases {
        let s = site(&format!(
            "Intro.\n\nIt took {{{{ figure(data=\"bench/cpu.csv\", {args}) }}}} here."
        ));
        let run = s.build().fails(1);
        assert!(run.stderr.contains(what), "{what}: {}", run.stderr);
        assert!(run.stderr.contains(hint), "{hint}: {}", run.stderr);
        let line = format!("It took {{{{ figure(data=\"bench/cpu.csv\", {args}) }}}} here.");
        let col = match at {
            "" => 9,
            at => line.find(at).unwrap() + 1,
        };
        assert!(
            run.stderr
                .contains(&format!("--> content/speed.md:6:{col}")),
            "the call's own line and column ({col}): {}",
            run.stderr
        );
        assert!(!s.public().exists(), "a failed build writes nothing");
    }
}

#[test]
fn a_figure_in_a_heading_is_an_error() {
    let s = site(
        "## fib took {{ figure(data=\"bench/cpu.csv\", benchmark=\"fib(30)\", subject=\"PyPy\") }}\n\nText.",
    );
    let run = s.build().fails(1);
    assert!(
        run.stderr.contains("`figure` cannot be used in a heading"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("--> content/speed.md:4:13"),
        "{}",
        run.stderr
    );
}

#[test]
fn matrix_cells_take_figures_and_point_at_the_data_file_when_wrong() {
    let matrix = |subject: &str| {
        format!(
            "subjects = [\"Node.js\", \"Python\", \"Bun\"]\n\n[[rows]]\ncriterion = \"fib(30)\"\n\
             \"Node.js\" = '{{{{ figure(data=\"../bench/cpu.csv\", benchmark=\"fib(30)\", subject=\"{subject}\") }}}}'\n\
             \"Python\" = '{{{{ figure(data=\"/bench/cpu.csv\", benchmark=\"fib(30)\", subject=\"Python@3.13\", vs=\"Node.js@24\") }}}}'\n\
             \"Bun\" = \"not measured\"\nedge = [\"Node.js\", \"Bun\"]\n"
        )
    };
    let s = site("{{ compare(data=\"data/m.toml\") }}")
        .file("content/data/m.toml", &matrix("Node.js@24"));
    s.build().ok();
    let html = s.out("speed.html");
    assert!(
        html.contains("<td data-label=\"Node.js\" class=\"edge\"><span class=\"cell\">80.50 ms <span class=\"edge-mark\">"),
        "{html}"
    );
    assert!(
        html.contains("<td data-label=\"Python\"><span class=\"cell\">11.2x slower</span></td>"),
        "{html}"
    );
    assert!(
        html.contains("<td data-label=\"Bun\" class=\"edge\"><span class=\"cell\">not measured"),
        "a shared edge marks both: {html}"
    );
    assert!(html.contains("Node.js, Bun</span></td>"), "{html}");
    assert!(html.contains("Node.js 1, Python 0, Bun 1"), "{html}");
    assert!(html.contains("href=\"bench/cpu.csv\" download"), "{html}");
    assert!(
        s.exists("bench/cpu.csv"),
        "results behind a matrix are published"
    );

    s.write("content/data/m.toml", &matrix("Node.js@23"));
    let run = s.build().fails(1);
    assert!(
        run.stderr.contains("no version `23` of `Node.js`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("--> content/data/m.toml:5:"),
        "{}",
        run.stderr
    );
    assert!(s.exists("speed.html"), "the previous site is untouched");
}

#[test]
fn tables_pick_versions_and_keep_the_written_precision() {
    let s = site(
        "{{ bench_table(data=\"bench/cpu.csv\", versions=\"latest\") }}\n\n\
         {{ bench_table(data=\"bench/cpu.csv\", subjects=\"Python\", digits=0) }}\n\n\
         {{ bench_chart(data=\"bench/cpu.csv\", subjects=\"Python\", trend=true) }}\n\n\
         {{ bench_chart(data=\"bench/cpu.csv\", subjects=\"Node.js@24, Python@3.13\") }}",
    );
    s.build().ok();
    let html = s.out("speed.html");
    let first = &html[..html.find("Geometric mean").unwrap()];
    assert!(
        first.contains("Python 3.13.0 11.2x slower than Node.js v24.2.0"),
        "{first}"
    );
    assert!(!first.contains("3.11.7"), "latest versions only: {first}");
    assert!(
        first.contains(">159.97 ms<"),
        "precision as written: {first}"
    );
    assert!(first.contains(">80.50 ms<"), "{first}");
    let second = &html[html.find("Geometric mean").unwrap()..];
    assert!(
        second.contains("Python 3.11.7 1.46x slower than Python 3.13.0"),
        "{second}"
    );
    assert!(second.contains(">160 ms<"), "digits=0: {second}");
    assert!(
        second.contains("Measured 2026-12-01 on test VM; Python 3.11.7, 3.13.0"),
        "{second}"
    );
    assert!(
        html.contains("<path class=\"line series-0 line-0\" d=\"M"),
        "a trend line: {html}"
    );
    assert!(html.contains(">3.11.7</text>") && html.contains(">3.13.0</text>"));
    assert!(
        html.contains("fib(30): 3.11.7: 1320 ms, 3.13.0: 902 ms"),
        "described in words"
    );
    assert!(
        html.contains("class=\"bar series-1\""),
        "a series keeps its colour"
    );

    let one =
        site("{{ bench_chart(data=\"bench/cpu.csv\", subjects=\"Python@3.13\", trend=true) }}");
    let run = one.build().fails(1);
    assert!(
        run.stderr.contains("at least two versions"),
        "{}",
        run.stderr
    );
}

#[test]
fn seconds_stay_seconds_and_precision_follows_units() {
    let csv = "benchmark,subject,unit,value\nbuild,A,s,2.1\nbuild,B,s,0.52\n";
    let s = Site::new()
        .file("content/r.csv", csv)
        .file("content/a.md", &page("{{ bench_table(data=\"r.csv\") }}"));
    s.build().ok();
    let html = s.out("a.html");
    assert!(html.contains("time in s,"), "{html}");
    assert!(
        html.contains(">2.1 s<") && html.contains(">0.52 s<"),
        "{html}"
    );
    assert!(!html.contains("2100"), "{html}");
}

#[test]
fn check_asks_for_typed_figures_to_come_from_data() {
    let s = site(
        "{{ bench_table(data=\"bench/cpu.csv\") }}\n\n\
         Node.js took 80 ms, 11x less than Python, on a 5.7 MB input; \
         {{ figure(data=\"bench/cpu.csv\", benchmark=\"json\", subject=\"Python\") }} for JSON.\n\n\
         {{ compare(data=\"data/m.toml\") }}",
    )
    .file(
        "content/data/m.toml",
        "subjects = [\"A\", \"B\"]\n[[rows]]\ncriterion = \"speed\"\nA = \"about 90 ms\"\nB = \"slow\"\n",
    )
    .file("content/other.md", "+++\ntitle = \"Other\"\n+++\nNo results here: 80 ms is fine.\n")
    .file("content/_index.md", "+++\ntitle = \"Home\"\n+++\n[s](speed.md) [o](other.md)\n");
    let run = s.run(&["check"]).ok();
    for (what, at) in [
        ("`80 ms` is typed by hand", "content/speed.md:6:14"),
        ("`11x` is typed by hand", "content/speed.md:6:21"),
        ("`5.7 MB` is typed by hand", "content/speed.md:6:"),
        ("`about 90 ms`", ""),
    ] {
        let what = what.replace("`about 90 ms`", "`90 ms` is typed by hand in a matrix");
        let i = run
            .stderr
            .find(&what)
            .unwrap_or_else(|| panic!("{what}: {}", run.stderr));
        assert!(
            run.stderr[i..].contains(at),
            "{what} at {at}: {}",
            run.stderr
        );
    }
    assert!(
        run.stderr.contains("--> content/data/m.toml:4:"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("159.97"), "figures from data are fine");
    assert!(
        !run.stderr.contains("other.md"),
        "pages without results are not asked"
    );

    s.write(
        "content/speed.md",
        "+++\ntitle = \"Speed\"\nunmeasured = [\"5.7 MB\"]\n+++\n{{ bench_table(data=\"bench/cpu.csv\") }}\n\nA 5.7 MB input.\n\n{{ compare(data=\"data/m.toml\") }}\n",
    );
    let run = s.run(&["check"]).ok();
    assert!(!run.stderr.contains("5.7 MB"), "unmeasured: {}", run.stderr);
}

/// Results as `versus bench` writes them: four decimals, a `group`, and
/// metadata recording the run that measured them. `start` spreads over
/// tens of milliseconds in Node.js; `near` holds two medians 1.08x apart
/// whose samples spread over 0.3–0.9 ms.
const MEASURED: &str = "benchmark,subject,metric,unit,value,better,version,note,group\n\
start,Node.js,time,ms,227.2862,lower,v22.20.0,,start\n\
start,Node.js,time,ms,241.0734,lower,v22.20.0,,start\n\
start,Node.js,time,ms,276.4051,lower,v22.20.0,,start\n\
start,Node.js,time,ms,227.2862,lower,v24.19.0,,start\n\
start,Node.js,time,ms,234.5537,lower,v24.19.0,,start\n\
start,Node.js,time,ms,274.7618,lower,v24.19.0,,start\n\
start,Python,time,ms,1.2401,lower,3.13.0,,start\n\
start,Python,time,ms,1.2690,lower,3.13.0,,start\n\
start,Python,time,ms,1.2803,lower,3.13.0,,start\n\
near,Node.js,time,ms,0.3012,lower,v24.19.0,,near\n\
near,Node.js,time,ms,0.5801,lower,v24.19.0,,near\n\
near,Node.js,time,ms,0.9034,lower,v24.19.0,,near\n\
near,Python,time,ms,0.2987,lower,3.13.0,,near\n\
near,Python,time,ms,0.6264,lower,3.13.0,,near\n\
near,Python,time,ms,0.8991,lower,3.13.0,,near\n";

const MEASURED_META: &str = "# Written by `versus bench`; see docs/bench.md.\n\
title = \"Start-up\"\n\
source = \"versus bench, from benchmarks/benchmarks.toml\"\n\
date = \"2026-12-05T09:05:06Z\"\n\
machine = \"test VM\"\n\
os = \"Debian GNU/Linux 12 (bookworm)\"\n\n\
[[runs]]\n\
date = \"2026-12-05T09:05:06Z\"\n\
machine = \"test VM\"\n\
os = \"Debian GNU/Linux 12 (bookworm)\"\n\
benchmarks = [\"start\", \"near\"]\n\
notes = \"Measured runs per subject: start 3 after 1 warm-up.\"\n\n\
[runs.runtimes.node22]\nname = \"Node.js\"\nversion = \"v22.20.0\"\n\n\
[runs.runtimes.node24]\nname = \"Node.js\"\nversion = \"v24.19.0\"\n\n\
[runs.runtimes.python3]\nname = \"Python\"\nversion = \"3.13.0\"\n";

fn measured_site(meta: &str, body: &str) -> Site {
    Site::new()
        .file("content/bench/startup.csv", MEASURED)
        .file("content/bench/startup.meta.toml", meta)
        .file("content/speed.md", &page(body))
}

/// The text of the first element after `from` in `html` that starts with
/// `open`, up to `close`.
fn between<'a>(html: &'a str, from: &str, open: &str, close: &str) -> &'a str {
    let at = html
        .find(from)
        .unwrap_or_else(|| panic!("no {from:?} in {html}"));
    let rest = &html[at..];
    let start = rest
        .find(open)
        .unwrap_or_else(|| panic!("no {open:?} after {from:?}"))
        + open.len();
    let end = rest[start..].find(close).unwrap() + start;
    &rest[start..end]
}

#[test]
fn measured_results_are_shown_to_the_precision_their_spread_supports() {
    let body = "Python started in {{ figure(data=\"bench/startup.csv\", benchmark=\"start\", subject=\"Python\") }}, \
        Node.js 24 in {{ figure(data=\"bench/startup.csv\", benchmark=\"start\", subject=\"Node.js@24\", stat=\"range\") }}.\n\n\
        {{ bench_table(data=\"bench/startup.csv\", versions=\"latest\") }}\n\n\
        {{ bench_chart(data=\"bench/startup.csv\", versions=\"latest\") }}\n\n\
        {{ bench_chart(data=\"bench/startup.csv\", subjects=\"Node.js\", trend=true) }}";
    let s = measured_site(MEASURED_META, body);
    s.build().ok();
    let html = s.out("speed.html");
    assert!(
        html.contains(">1.27 ms</data>, Node.js 24 in <span class=\"figure\""),
        "{html}"
    );
    assert!(html.contains(">227–275 ms</span>."), "{html}");
    let table = &html[html.find("<table").unwrap()..html.find("</table>").unwrap()];
    assert!(
        table.contains(">235 ms<") && table.contains(">227–275<"),
        "{table}"
    );
    assert!(
        table.contains(">1.27 ms<") && table.contains(">1.24–1.28<"),
        "{table}"
    );
    assert!(table.contains("185x slower"), "{table}");
    let chart = &html[html.find("<svg").unwrap()..];
    assert!(
        chart.contains(">235 ms</text>"),
        "bar value labels: {chart}"
    );
    assert!(chart.contains(">1.27 ms (best)</text>"), "{chart}");
    let desc = between(&html, "<svg", "<desc", "</desc>");
    assert!(
        desc.contains("start: Node.js v24.19.0 235 ms, Python 1.27 ms;"),
        "{desc}"
    );
    let trend = between(&html, "across versions", "<desc", "</desc>");
    assert!(
        trend.contains("v22.20.0: 241 ms, v24.19.0: 235 ms"),
        "{trend}"
    );
    // No figure anywhere shows the four decimals written.
    for written in ["234.5537", "1.2690", "227.2862", "0.6264"] {
        assert!(!html.contains(written), "{written} shown: {html}");
    }
}

#[test]
fn digits_still_decide_for_measured_results() {
    let body = "{{ figure(data=\"bench/startup.csv\", benchmark=\"start\", subject=\"Python\", digits=4) }}\n\n\
        {{ bench_table(data=\"bench/startup.csv\", versions=\"latest\", digits=2) }}\n\n\
        {{ bench_chart(data=\"bench/startup.csv\", versions=\"latest\", digits=1) }}";
    let s = measured_site(MEASURED_META, body);
    s.build().ok();
    let html = s.out("speed.html");
    assert!(html.contains(">1.2690 ms</data>"), "{html}");
    let table = &html[html.find("<table").unwrap()..html.find("</table>").unwrap()];
    assert!(
        table.contains(">234.55 ms<") && table.contains(">227.29–274.76<"),
        "{table}"
    );
    let chart = &html[html.find("<svg").unwrap()..];
    assert!(chart.contains(">234.6 ms</text>"), "{chart}");
}

#[test]
fn the_same_lines_written_by_hand_keep_their_precision() {
    // Metadata without runs: nothing says `versus bench` measured these.
    let body = "{{ figure(data=\"bench/startup.csv\", benchmark=\"start\", subject=\"Python\") }}\n\n\
        {{ bench_table(data=\"bench/startup.csv\", versions=\"latest\") }}";
    let s = measured_site("title = \"Start-up\"\nmachine = \"test VM\"\n", body);
    s.build().ok();
    let html = s.out("speed.html");
    assert!(html.contains(">1.2690 ms</data>"), "{html}");
    assert!(
        html.contains(">234.5537 ms<") && html.contains(">227.2862–274.7618<"),
        "{html}"
    );
}

#[test]
fn a_ratio_and_the_medians_it_comes_from_agree_as_shown() {
    // At the precision the spread supports both medians read "0.6 ms";
    // the ratio is 1.08x, so they are shown with the digits that show it.
    let body = "Node.js took {{ figure(data=\"bench/startup.csv\", benchmark=\"near\", subject=\"Node.js@24\") }} \
        and Python {{ figure(data=\"bench/startup.csv\", benchmark=\"near\", subject=\"Python\") }}: \
        {{ figure(data=\"bench/startup.csv\", benchmark=\"near\", subject=\"Python\", vs=\"Node.js@24\") }}.\n\n\
        {{ bench_table(data=\"bench/startup.csv\", versions=\"latest\") }}\n\n\
        {{ bench_chart(data=\"bench/startup.csv\", versions=\"latest\") }}";
    let s = measured_site(MEASURED_META, body);
    s.build().ok();
    let html = s.out("speed.html");
    let figure = |text: &str| -> f64 {
        let at = html
            .find(text)
            .unwrap_or_else(|| panic!("no {text:?} in {html}"));
        let shown = between(&html[at..], "<data", ">", " ms</data>");
        shown.parse().unwrap()
    };
    let node = figure("Node.js took");
    let python = figure("and Python");
    assert!(html.contains(">1.08x slower</data>."), "{html}");
    assert!(
        (python / node - 1.08).abs() <= 0.01,
        "{node} and {python} show the ratio to within one in its last digit"
    );
    assert!(
        html.contains(">0.58 ms</data>") && html.contains(">0.63 ms</data>"),
        "{html}"
    );
    let table = &html[html.find("<table").unwrap()..html.find("</table>").unwrap()];
    assert!(
        table.contains(">0.58 ms<") && table.contains(">0.63 ms<"),
        "{table}"
    );
    assert!(table.contains("1.08x slower than Node.js"), "{table}");
    assert!(!table.contains(">0.6 ms<"), "{table}");
    let chart = &html[html.find("<svg").unwrap()..];
    assert!(chart.contains(">0.63 ms</text>"), "{chart}");
}

/// `benchmark` takes the label a results table shows, or the name a
/// definition in benchmarks.toml gives (the lines' `group`) when that
/// definition measured one benchmark; a name that stands for several is
/// still an error that lists what there is.
#[test]
fn a_figure_names_a_benchmark_by_its_label_or_its_definitions_name() {
    let csv = "benchmark,subject,metric,unit,value,better,version,note,group\n\
        \"primes below 2,000,000\",A,time,ms,84.1,lower,1,,sieve\n\
        \"primes below 2,000,000\",B,time,ms,46.8,lower,1,,sieve\n\
        small,A,time,ms,1.5,lower,1,,sizes\n\
        large,A,time,ms,9.5,lower,1,,sizes\n";
    let body = |benchmark: &str| {
        format!(
            "A took {{{{ figure(data=\"r.csv\", benchmark=\"{benchmark}\", subject=\"A\") }}}}.\n"
        )
    };
    for name in ["primes below 2,000,000", "sieve"] {
        let s = Site::new()
            .file("content/r.csv", csv)
            .file("content/speed.md", &page(&body(name)));
        s.build().ok();
        assert!(
            s.out("speed.html")
                .contains("A took <data class=\"figure\""),
            "{name}"
        );
        assert!(s.out("speed.html").contains("84.1 ms"), "{name}");
    }
    Site::new()
        .file("content/r.csv", csv)
        .file("content/speed.md", &page(&body("sizes")))
        .build()
        .fails(1)
        .stderr_has("no benchmark `sizes` in metric `time`");
}
