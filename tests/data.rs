//! Data files rendered by the data shortcodes: every format, the figures,
//! escaping, overrides, and each bad-data error with its file and line.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::Site;

const MATRIX_TOML: &str = r#"title = "Concurrency at a glance"
subjects = ["Node.js", "Python"]

[[rows]]
criterion = "Concurrency model"
"Node.js" = "One event loop"
"Python" = "GIL, asyncio"
edge = "Node.js"
note = "Holds for *I/O-bound* services."
source = "https://example.org/evidence"

[[rows]]
criterion = "Data libraries"
"Node.js" = "Few"
"Python" = "Many"
edge = "Python"

[[rows]]
criterion = "Typing"
"Node.js" = "TypeScript"
"Python" = "Type hints"
edge = "tie"
"#;

const BENCH_CSV: &str = "benchmark,subject,metric,unit,value,better,version\n\
fib(30),Node.js,time,ms,11.8,lower,20.20.2\n\
fib(30),Node.js,time,ms,12.1,lower,20.20.2\n\
fib(30),Node.js,time,ms,12.0,lower,20.20.2\n\
fib(30),Python,time,ms,182.0,lower,3.11.7\n\
fib(30),Python,time,ms,190.0,lower,3.11.7\n\
startup,Node.js,time,s,0.04,lower,20.20.2\n\
startup,Python,time,s,0.02,lower,3.11.7\n";

fn page(body: &str) -> String {
    format!("+++\ntitle = \"Data\"\n+++\nIntro.\n\n{body}\n")
}

#[test]
fn matrix_renders_with_edges_in_text_notes_sources_and_tally() {
    for (name, text) in [
        ("m.toml", MATRIX_TOML.to_string()),
        ("m.json", r#"{"title": "T", "subjects": ["A", "B"], "rows": [{"criterion": "c", "A": "x", "B": "y", "edge": "B"}]}"#.to_string()),
        ("m.yaml", "title: T\nsubjects: [A, B]\nrows:\n  - criterion: c\n    A: x\n    B: y\n    edge: B\n".to_string()),
    ] {
        let site = Site::new().file(&format!("content/data/{name}"), &text).file(
            "content/a.md",
            &page(&format!("{{{{ compare(data=\"data/{name}\") }}}}")),
        );
        site.build().ok();
        let html = site.out("a.html");
        assert!(html.contains("<table class=\"compare-table\">"), "{name}");
        assert!(html.contains("<th scope=\"col\">"), "{name}");
        assert!(html.contains("class=\"edge\""), "{name}");
        assert!(html.contains("edge</span>"), "edge marked in text, not colour alone: {name}");
    }
    let site = Site::new()
        .file("content/data/m.toml", MATRIX_TOML)
        .file("content/a.md", &page("{{ compare(data=\"data/m.toml\") }}"));
    site.build().ok();
    let html = site.out("a.html");
    assert!(html.contains("<caption id=\"compare-"));
    assert!(html.contains("Concurrency at a glance"));
    assert!(
        html.contains("<em>I/O-bound</em>"),
        "notes are inline Markdown"
    );
    assert!(html.contains("href=\"https://example.org/evidence\""));
    assert!(html.contains("Node.js 1, Python 1, tie 1"), "{html}");
}

#[test]
fn bench_table_shows_median_spread_samples_ratio_and_summary() {
    let site = Site::new()
        .file("content/b/cpu.csv", BENCH_CSV)
        .file("content/b/cpu.meta.toml", "title = \"CPU\"\ndate = \"2026-11-26\"\nmachine = \"2-core test VM\"\nos = \"Debian 12\"\n")
        .file("content/b/page.md", &page("{{ bench_table(data=\"cpu.csv\") }}"));
    site.build().ok();
    let html = site.out("b/page.html");
    assert!(html.contains("time in ms, lower is better"), "{html}");
    assert!(html.contains(">12.0 ms<"), "median of three samples");
    assert!(html.contains("11.8–12.1"), "spread");
    assert!(html.contains("Python 15.5x slower than Node.js"), "{html}");
    assert!(
        html.contains(">40 ms<"),
        "seconds converted to the metric's unit"
    );
    assert!(html.contains("best</strong>"));
    assert!(html.contains("Geometric mean of ratios to the best"));
    assert!(html.contains("Measured 2026-11-26 on 2-core test VM (Debian 12)"));
}

#[test]
fn a_reading_better_neither_way_is_ranked_nowhere() {
    // The load generator's CPU: a reading beside the results, not a result.
    let csv = "benchmark,subject,metric,unit,value,better\n\
        run,A,client CPU,%,94.0,neither\n\
        run,A,client CPU,%,95.0,neither\n\
        run,B,client CPU,%,60.0,neither\n\
        run,B,client CPU,%,62.0,neither\n";
    let site = Site::new().file("content/b/load.csv", csv).file(
        "content/b/page.md",
        &page(
            "{{ bench_table(data=\"load.csv\") }}\n\n{{ bench_chart(data=\"load.csv\") }}\n\n\
             A took {{ figure(data=\"load.csv\", subject=\"A\", vs=\"B\") }}.",
        ),
    );
    site.build().ok();
    let html = site.out("b/page.html");
    assert!(
        html.contains("client CPU in %, neither higher nor lower is better"),
        "{html}"
    );
    assert!(!html.contains("best</strong>"), "no best marked: {html}");
    assert!(!html.contains("Compared with the best"), "{html}");
    assert!(!html.contains("Geometric mean"), "{html}");
    assert!(!html.contains("more than B"), "no ratio to a best: {html}");
    // A chart says so, and a figure still gives a plain ratio.
    assert!(
        html.contains("neither higher nor lower is better."),
        "{html}"
    );
    assert!(!html.contains("(best)"), "no bar marked best: {html}");
    assert!(html.contains("1.55x more"), "{html}");
}

#[test]
fn a_bare_toml_date_in_results_metadata_is_read_as_the_day() {
    let site = Site::new()
        .file("content/b/cpu.csv", BENCH_CSV)
        .file(
            "content/b/cpu.meta.toml",
            "date = 2026-11-26\nmachine = \"vm\"\n",
        )
        .file(
            "content/b/page.md",
            &page("{{ bench_table(data=\"cpu.csv\") }}"),
        );
    site.build().ok();
    assert!(
        site.out("b/page.html")
            .contains("Measured 2026-11-26 on vm")
    );
}

#[test]
fn bench_results_load_from_every_format() {
    let json = r#"{"meta": {"title": "J"}, "results": [
        {"benchmark": "x", "subject": "A", "value": 1.0},
        {"benchmark": "x", "subject": "B", "value": 3.0}]}"#;
    let toml = "[meta]\ntitle = \"T\"\n[[results]]\nbenchmark = \"x\"\nsubject = \"A\"\nvalue = 1.0\n[[results]]\nbenchmark = \"x\"\nsubject = \"B\"\nvalue = 3.0\n";
    let yaml = "meta:\n  title: Y\nresults:\n  - {benchmark: x, subject: A, value: 1.0}\n  - {benchmark: x, subject: B, value: 3.0}\n";
    let csv = "benchmark,subject,value\nx,A,1.0\nx,B,3.0\n";
    for (name, text) in [
        ("r.json", json),
        ("r.toml", toml),
        ("r.yaml", yaml),
        ("r.csv", csv),
    ] {
        let site = Site::new().file(&format!("content/{name}"), text).file(
            "content/a.md",
            &page(&format!("{{{{ bench_table(data=\"{name}\") }}}}")),
        );
        site.build().ok();
        assert!(
            site.out("a.html").contains("B 3.00x slower than A"),
            "{name}"
        );
    }
}

#[test]
fn higher_is_better_is_handled() {
    let csv = "benchmark,subject,metric,unit,value,better\nhttp,Node.js,throughput,req/s,9000,higher\nhttp,Python,throughput,req/s,3000,higher\n";
    let site = Site::new()
        .file("content/h.csv", csv)
        .file("content/a.md", &page("{{ bench_table(data=\"h.csv\") }}"));
    site.build().ok();
    let html = site.out("a.html");
    assert!(html.contains("higher is better"));
    assert!(html.contains("Python 3.00x less than Node.js"), "{html}");
}

#[test]
fn chart_is_inline_svg_with_description_and_log_scale_when_needed() {
    let site = Site::new().file("content/cpu.csv", BENCH_CSV).file(
        "content/a.md",
        &page("{{ bench_chart(data=\"cpu.csv\", metric=\"time\") }}"),
    );
    site.build().ok();
    let html = site.out("a.html");
    assert!(html.contains("<svg class=\"chart chart-wide\""));
    assert!(html.contains("role=\"img\""));
    assert!(html.contains("<desc id="));
    assert!(
        html.contains("fib(30): Node.js 12.0 ms, Python 186.0 ms"),
        "figures stated in the description: {html}"
    );
    assert!(!html.contains("log scale"), "a 20x spread stays linear");
    let chart = &html[html.find("<figure class=\"bench-chart").unwrap()..];
    let chart = &chart[..chart.find("</figure>").unwrap()];
    assert!(!chart.contains("<script"), "no script in the chart");
    let wide = "benchmark,subject,value,unit\nx,A,0.5,ms\nx,B,900,ms\n";
    let site = Site::new()
        .file("content/w.csv", wide)
        .file("content/a.md", &page("{{ bench_chart(data=\"w.csv\") }}"));
    site.build().ok();
    assert!(
        site.out("a.html").contains("log scale"),
        "three orders of magnitude switch to log"
    );
}

#[test]
fn data_text_is_escaped() {
    let evil = "<script>alert(1)</script>";
    let matrix = format!(
        "title = \"{evil}\"\nsubjects = [\"A\", \"B\"]\n[[rows]]\ncriterion = \"{evil}\"\nA = \"{evil}\"\nB = \"\\\"onload=x\"\nnote = \"{evil}\"\n"
    );
    let csv = format!("benchmark,subject,value,note\n\"{evil}\",\"{evil}\",1,\n");
    let site = Site::new()
        .file("content/m.toml", &matrix)
        .file("content/b.csv", &csv)
        .file("content/a.md", &page("{{ compare(data=\"m.toml\") }}\n\n{{ bench_table(data=\"b.csv\") }}\n\n{{ bench_chart(data=\"b.csv\") }}"));
    site.build().ok();
    let html = site.out("a.html");
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
            || html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;")
    );
    assert!(!html.contains("\"onload=x"));
    let bad_source = "subjects = [\"A\", \"B\"]\n[[rows]]\ncriterion = \"c\"\nA = \"x\"\nB = \"y\"\nsource = \"javascript:alert(1)\"\n";
    let site = Site::new()
        .file("content/m.toml", bad_source)
        .file("content/a.md", &page("{{ compare(data=\"m.toml\") }}"));
    site.build()
        .fails(1)
        .stderr_has("content/m.toml:6:")
        .stderr_has("not an http(s) address");
}

#[test]
fn matrix_cells_render_inline_markdown_as_criteria_and_notes_do() {
    let matrix = r#"subjects = ["Node.js", "Python"]

[[rows]]
criterion = "Start-up `flags`"
"Node.js" = "`--jitless`, see [Speed](/speed.md#startup)"
"Python" = "*none*; [docs](https://docs.python.org/3/) <b>x</b>"
edge = "Node.js"

[[rows]]
criterion = "Throughput"
"Node.js" = "> 100k req/s"
"Python" = "1. of 2"
"#;
    let site = Site::new()
        .file("content/data/m.toml", matrix)
        .file(
            "content/speed.md",
            "+++\ntitle = \"Speed\"\n+++\n## Startup\n",
        )
        .file(
            "content/guide/a.md",
            &page("{{ compare(data=\"/data/m.toml\") }}"),
        );
    site.build().ok();
    let html = site.out("guide/a.html");
    assert!(
        html.contains("<span class=\"criterion\">Start-up <code>flags</code>"),
        "{html}"
    );
    assert!(
        html.contains("<td data-label=\"Node.js\" class=\"edge\"><span class=\"cell\"><code>--jitless</code>, see <a href=\"../speed.html#startup\">Speed</a> <span class=\"edge-mark\">"),
        "code and a link rewritten for the page: {html}"
    );
    assert!(
        html.contains("<td data-label=\"Python\"><span class=\"cell\"><em>none</em>; <a href=\"https://docs.python.org/3/\">docs</a> &lt;b&gt;x&lt;/b&gt;</span></td>"),
        "raw HTML in a cell stays text: {html}"
    );
    assert!(
        html.contains("<span class=\"cell\">&gt; 100k req/s</span>")
            && html.contains("<span class=\"cell\">1. of 2</span>"),
        "a cell stays one line of text, never a quote or a list: {html}"
    );
    // A broken link in a cell is an error, as in a criterion.
    site.write(
        "content/data/m.toml",
        &matrix.replace("/speed.md", "/sped.md"),
    );
    site.build()
        .fails(1)
        .stderr_has("content/data/m.toml")
        .stderr_has("sped.md");
}

#[test]
fn a_site_overrides_a_shortcode_and_adds_its_own() {
    let site = Site::new()
        .file("content/m.toml", MATRIX_TOML)
        .file(
            "templates/shortcodes/compare.html",
            "<p class=\"mine\">{{ matrix.tally_text }}</p>",
        )
        .file(
            "templates/shortcodes/note.html",
            "<aside class=\"note\">{{ args.text }}</aside>",
        )
        .file(
            "content/a.md",
            &page("{{ compare(data=\"m.toml\") }}\n\n{{ note(text=\"<b>hi</b>\") }}"),
        );
    site.build().ok();
    let html = site.out("a.html");
    assert!(
        html.contains("<p class=\"mine\">Node.js 1, Python 1, tie 1</p>"),
        "{html}"
    );
    assert!(
        html.contains("<aside class=\"note\">&lt;b&gt;hi&lt;"),
        "{html}"
    );
}

#[test]
fn load_data_is_available_to_templates() {
    let site = Site::new()
        .file("content/m.toml", MATRIX_TOML)
        .file(
            "templates/page.html",
            "{% set m = load_data(path=\"m.toml\") %}{{ m.title }}|{{ m.rows | length }}",
        )
        .file("content/a.md", "x");
    site.build().ok();
    assert_eq!(site.out("a.html"), "Concurrency at a glance|3");
}

#[test]
fn shortcodes_in_code_are_left_alone_and_can_be_written_literally() {
    let body = "```js\nconst s = `{{ compare(data=\"x\") }}`;\n```\n\nInline `{{ compare(data=\"x\") }}` too.\n\n{{/* compare(data=\"x\") */}}\n\n```python\nprint(f\"{{x}}\")\n```";
    let site = Site::new().file("content/a.md", &page(body));
    site.build().ok();
    let html = site.out("a.html");
    assert!(html.contains("<p>{{ compare(data=\"x\") }}</p>"), "{html}");
    assert!(html.contains("Inline <code>{{ compare(data=\"x\") }}</code>"));
}

#[test]
fn bad_data_is_an_error_with_file_and_line_and_nothing_is_written() {
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "b.csv",
            "benchmark,subject,value\nfib,A,12\nfib,B,fast\n",
            "content/b.csv:3:7",
            "`fast` is not a number",
        ),
        (
            "b.csv",
            "benchmark,subject\nfib,A\n",
            "content/b.csv:1:1",
            "missing required column `value`",
        ),
        (
            "b.csv",
            "benchmark,subject,value\nfib,A,1\nfib,B\n",
            "content/b.csv:3:1",
            "this row has 2 fields, the header has 3",
        ),
        (
            "b.csv",
            "benchmark,subject,value,unit\nfib,A,1,ms\nfib,B,2,MB\n",
            "content/b.csv:3:",
            "conflicts",
        ),
        ("b.csv", "", "content/b.csv:1:1", "the data file is empty"),
        (
            "b.json",
            "{\"results\": [{\"benchmark\": \"x\", \"subject\": \"A\", \"value\": \"no\"}]}",
            "content/b.json:1:",
            "invalid type",
        ),
        (
            "b.yaml",
            "results:\n  - benchmark: x\n    subject: A\n    value: [1]\n",
            "content/b.yaml:4:",
            "invalid type",
        ),
        (
            "m.toml",
            "subjects = [\"A\", \"B\"]\n[[rows]]\ncriterion = \"c\"\nA = \"x\"\nB = \"y\"\nedge = \"C\"\n",
            "content/m.toml:6:",
            "edge `C` is not one of the subjects",
        ),
    ];
    for (file, text, at, msg) in cases {
        let shortcode = if file.starts_with('m') {
            "compare"
        } else {
            "bench_table"
        };
        let site = Site::new()
            .file("content/ok.md", "fine")
            .file(&format!("content/{file}"), text)
            .file(
                "content/a.md",
                &page(&format!("{{{{ {shortcode}(data=\"{file}\") }}}}")),
            );
        site.run(&["build", "--quiet", "--out", "elsewhere"])
            .fails(1);
        // First a good build, then the bad one: public/ must not change.
        site.write("content/a.md", "fixed");
        site.build().ok();
        let before = common::snapshot(&site.public());
        site.write(
            "content/a.md",
            &page(&format!("{{{{ {shortcode}(data=\"{file}\") }}}}")),
        );
        let run = site
            .build()
            .fails(1)
            .stderr_has(at)
            .stderr_has(msg)
            .stderr_has("help:");
        assert!(
            run.stderr.contains("used by content/a.md:6"),
            "{}",
            run.stderr
        );
        assert_eq!(common::snapshot(&site.public()), before, "{file}");
    }
}

#[test]
fn bad_shortcode_calls_name_the_page_line() {
    let site = Site::new()
        .file("content/m.toml", MATRIX_TOML)
        .file("content/a.md", &page("{{ compare(data=\"nope.toml\") }}\n\n{{ compare(data=\"m.toml\", colour=\"red\") }}\n\n{{ comapre(data=\"m.toml\") }}"));
    site.build()
        .fails(1)
        // The argument at fault, where there is one; else the call.
        .stderr_has("content/a.md:6:12")
        .stderr_has("data file `nope.toml` not found")
        .stderr_has("content/a.md:8:27")
        .stderr_has("unknown argument `colour`")
        .stderr_has("content/a.md:10:1")
        .stderr_has("did you mean `compare`?");
}
