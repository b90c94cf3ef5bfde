//! Where shortcodes may stand (issue 23): every shortcode in every position
//! of a page either renders or is an error at its line and column, and no
//! call ever reaches a page as text; `{{/* */}}` shows a call everywhere;
//! errors point at the argument at fault.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{Run, Site};

const MATRIX: &str =
    "subjects = [\"A\", \"B\"]\n[[rows]]\ncriterion = \"c\"\nA = \"x\"\nB = \"y\"\n";
const RESULTS: &str = "benchmark,subject,value,unit\nfib,A,12,ms\nfib,B,15,ms\n";
const FIB_PY: &str = "def fib(n):\n    return n\n";

/// A shortcode under test: its name, a call, and what its output holds.
struct Shortcode {
    name: &'static str,
    call: &'static str,
    marker: &'static str,
    /// `figure` is written inside running text; the others show a block.
    inline: bool,
}

const SHORTCODES: &[Shortcode] = &[
    Shortcode {
        name: "compare",
        call: "{{ compare(data=\"m.toml\") }}",
        marker: "<div class=\"compare ",
        inline: false,
    },
    Shortcode {
        name: "bench_table",
        call: "{{ bench_table(data=\"b.csv\") }}",
        marker: "<div class=\"bench\"",
        inline: false,
    },
    Shortcode {
        name: "bench_chart",
        call: "{{ bench_chart(data=\"b.csv\") }}",
        marker: "<figure class=\"bench-chart",
        inline: false,
    },
    Shortcode {
        name: "figure",
        call: "{{ figure(data=\"b.csv\", benchmark=\"fib\", subject=\"A\") }}",
        marker: "<data class=\"figure\" value=\"12\"",
        inline: true,
    },
    Shortcode {
        name: "code",
        call: "{{ code(file=\"fib.py\") }}",
        marker: "<figure class=\"code\" data-lang=\"python\">",
        inline: false,
    },
    Shortcode {
        name: "note",
        call: "{{ note(text=\"hello\") }}",
        marker: "<aside class=\"note\">hello</aside>",
        inline: false,
    },
];

/// A place on a page: its Markdown around `CALL`, the element the
/// output must hold the call's output in, and for a block shortcode the
/// error (or `None` where it renders) with the help that says where it may
/// stand instead.
struct Position {
    name: &'static str,
    markdown: &'static str,
    container: &'static str,
    block_error: Option<(&'static str, &'static str)>,
}

const ON_ITS_OWN: &str = "on a line of its own";

const POSITIONS: &[Position] = &[
    Position {
        name: "own paragraph",
        markdown: "Intro.\n\nCALL\n\nAfter.\n",
        container: "<div class=\"prose\">",
        block_error: None,
    },
    Position {
        name: "mid-paragraph",
        markdown: "Intro.\n\nHere it is: CALL, in text.\n",
        container: "<p>Here it is: ",
        block_error: Some((
            "cannot stand inside a paragraph with other text",
            ON_ITS_OWN,
        )),
    },
    Position {
        name: "tight list item",
        markdown: "Intro.\n\n- first\n- CALL\n- last\n",
        container: "<li>",
        block_error: None,
    },
    Position {
        name: "loose list item",
        markdown: "Intro.\n\n- first\n\n- CALL\n\n- last\n",
        container: "<li>",
        block_error: None,
    },
    Position {
        name: "nested list",
        markdown: "Intro.\n\n1. outer\n   - CALL\n   - inner\n2. next\n",
        container: "<ul>\n<li>",
        block_error: None,
    },
    Position {
        name: "blockquote",
        markdown: "Intro.\n\n> CALL\n",
        container: "<blockquote>",
        block_error: None,
    },
    Position {
        name: "table cell",
        markdown: "Intro.\n\n| a | b |\n|---|---|\n| CALL | x |\n",
        container: "<td>",
        block_error: Some(("cannot stand in a table cell", "below the table")),
    },
    Position {
        name: "heading",
        markdown: "Intro.\n\n## About CALL\n\nText.\n",
        container: "<h2",
        block_error: Some(("cannot stand in a heading", "under the heading")),
    },
    Position {
        name: "footnote",
        markdown: "Intro[^n].\n\n[^n]: CALL\n",
        container: "<div class=\"footnote-definition\"",
        block_error: None,
    },
];

fn site() -> Site {
    Site::new()
        .file("content/m.toml", MATRIX)
        .file("content/b.csv", RESULTS)
        .file("content/fib.py", FIB_PY)
        .file(
            "templates/shortcodes/note.html",
            "<aside class=\"note\">{{ args.text }}</aside>",
        )
}

/// Line and column (1-based) of the first `{{` in `text`.
fn position_of_call(text: &str) -> (usize, usize) {
    let at = text.find("{{").unwrap();
    let line = text[..at].matches('\n').count() + 1;
    let col = at - text[..at].rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, col)
}

/// Every HTML file the build wrote, with its path.
fn html_files(site: &Site) -> Vec<(String, String)> {
    common::snapshot(&site.public())
        .into_iter()
        .filter(|(rel, _)| rel.ends_with(".html"))
        .map(|(rel, bytes)| (rel, String::from_utf8(bytes).unwrap()))
        .collect()
}

#[track_caller]
fn assert_no_call_published(site: &Site, name: &str, what: &str) {
    let needle = format!("{{{{ {name}(");
    for (rel, html) in html_files(site) {
        assert!(
            !html.contains(&needle),
            "{what}: {rel} publishes `{needle}`:\n{html}"
        );
    }
}

#[test]
fn every_shortcode_in_every_position_renders_or_is_an_error_at_its_place() {
    for sc in SHORTCODES {
        for pos in POSITIONS {
            let what = format!("{} in a {}", sc.name, pos.name);
            let markdown = pos.markdown.replace("CALL", sc.call);
            let site = site().file("content/a.md", &markdown);
            let error = match (sc.inline, pos.block_error) {
                (true, _) if pos.name == "heading" => {
                    Some(("`figure` cannot be used in a heading", "under the heading"))
                }
                (true, _) => None,
                (false, e) => e,
            };
            let build = site.build();
            match error {
                None => {
                    assert_eq!(build.code, 0, "{what}:\n{}", build.stderr);
                    let html = site.out("a.html");
                    let inside = html
                        .find(pos.container)
                        .unwrap_or_else(|| panic!("{what}: no {}:\n{html}", pos.container));
                    assert!(
                        html[inside..].contains(sc.marker),
                        "{what}: no {} after {}:\n{html}",
                        sc.marker,
                        pos.container
                    );
                    if !sc.inline {
                        // A block never sits inside a paragraph.
                        let before = &html[..html.find(sc.marker).unwrap()];
                        assert!(
                            before.rfind("<p>") <= before.rfind("</p>"),
                            "{what}: a block inside <p>:\n{html}"
                        );
                    }
                    assert_no_call_published(&site, sc.name, &what);
                }
                Some((message, help)) => {
                    let (line, col) = position_of_call(&markdown);
                    let at = format!("content/a.md:{line}:{col}");
                    for run in [site.build(), site.run(&["check"])] {
                        let run = run.fails(1);
                        assert!(
                            run.stderr.contains(&at),
                            "{what}: not at {at}:\n{}",
                            run.stderr
                        );
                        assert!(run.stderr.contains(message), "{what}:\n{}", run.stderr);
                        assert!(run.stderr.contains(help), "{what}:\n{}", run.stderr);
                    }
                    assert!(
                        !site.public().exists(),
                        "{what}: a failed build writes nothing"
                    );
                }
            }
        }
    }
}

#[test]
fn the_issue_examples_fail_the_build_and_keep_the_last_good_site() {
    let site = site().file("content/a.md", "Fine.\n");
    site.build().ok();
    let before = common::snapshot(&site.public());
    let cases = [
        (
            "Here is the matrix: {{ compare(data=\"data/nothing.toml\") }}\n",
            "content/a.md:1:21",
            "`compare` shows a block, so it cannot stand inside a paragraph with other text",
        ),
        (
            // Alone in a list item the call runs, and its missing file is
            // the error, pointed at.
            "- {{ bench_chart(data=\"x.csv\") }}\n",
            "content/a.md:1:18",
            "data file `x.csv` not found",
        ),
    ];
    for (markdown, at, message) in cases {
        site.write("content/a.md", markdown);
        for run in [site.build(), site.run(&["check"])] {
            run.fails(1).stderr_has(at).stderr_has(message);
        }
        assert_eq!(common::snapshot(&site.public()), before, "{markdown}");
    }
}

#[test]
fn an_unknown_name_is_an_error_with_did_you_mean_wherever_it_stands() {
    let cases = [
        (
            "Text {{ compre(data=\"m.toml\") }} here.\n",
            "1:6",
            "compare",
        ),
        ("{{ compre(data=\"m.toml\") }}\n", "1:1", "compare"),
        (
            "- {{ bench_tabel(data=\"b.csv\") }}\n",
            "1:3",
            "bench_table",
        ),
        (
            "| a |\n|---|\n| {{ figur(data=\"b.csv\") }} |\n",
            "3:3",
            "figure",
        ),
        // The site's own shortcodes are suggested too.
        ("A {{ nte(text=\"x\") }}.\n", "1:3", "note"),
        ("## {{ cod(file=\"fib.py\") }}\n", "1:4", "code"),
    ];
    for (markdown, at, suggestion) in cases {
        let site = site().file("content/a.md", markdown);
        site.build()
            .fails(1)
            .stderr_has(&format!("content/a.md:{at}"))
            .stderr_has("unknown shortcode")
            .stderr_has(&format!("did you mean `{suggestion}`?"));
    }
    let site = site().file("content/a.md", "A {{ zzzz(x=1) }} call.\n");
    site.build()
        .fails(1)
        .stderr_has("unknown shortcode `zzzz`")
        .stderr_has("note")
        .stderr_has("{{/* zzzz(...) */}}");
}

#[test]
fn literal_calls_show_as_calls_everywhere() {
    for pos in POSITIONS {
        let markdown = pos
            .markdown
            .replace("CALL", "{{/* compare(data=\"m.toml\") */}}");
        let site = site().file("content/a.md", &markdown);
        site.build().ok();
        let html = site.out("a.html");
        let inside = html.find(pos.container).unwrap();
        assert!(
            html[inside..].contains("{{ compare(data=\"m.toml\") }}"),
            "{}:\n{html}",
            pos.name
        );
        assert!(!html.contains("{{/*"), "{}:\n{html}", pos.name);
        assert!(!html.contains("<div class=\"compare "), "{}", pos.name);
    }
}

#[test]
fn calls_in_code_stay_text() {
    let markdown = "Say `{{ compare(data=\"m.toml\") }}` in text.\n\n\
                    - `{{ bench_chart(data=\"nope.csv\") }}`\n\n\
                    ```\n{{ note(text=\"x\") }}\n```\n\n    {{ code(file=\"none.py\") }}\n";
    let site = site().file("content/a.md", markdown);
    site.build().ok();
    let html = site.out("a.html");
    assert!(
        html.contains("<code>{{ compare(data=\"m.toml\") }}</code>"),
        "{html}"
    );
    assert!(
        html.contains("<code>{{ bench_chart(data=\"nope.csv\") }}</code>"),
        "{html}"
    );
    assert!(
        html.contains("{{ note(text=&quot;x&quot;) }}") || html.contains("{{ note(text=\"x\") }}"),
        "{html}"
    );
    assert!(
        html.contains("{{ code(file=&quot;none.py&quot;) }}")
            || html.contains("{{ code(file=\"none.py\") }}"),
        "{html}"
    );
}

#[test]
fn calls_over_several_lines_and_unclosed_ones_are_not_text() {
    // Alone in a list item, over two lines: it runs.
    let two_lines = site().file(
        "content/a.md",
        "- {{ compare(data=\"m.toml\",\n  title=\"Two lines\") }}\n- next\n",
    );
    two_lines.build().ok();
    assert!(two_lines.out("a.html").contains("Two lines"));
    // Inside running text, over two lines, or without its end: errors.
    let cases = [
        (
            "Look: {{ compare(data=\"m.toml\",\ntitle=\"x\") }} here.\n",
            "content/a.md:1:7",
            "cannot stand inside a paragraph",
        ),
        (
            "Look: {{ compare(data=\"m.toml\") } here.\n",
            "content/a.md:1:7",
            "missing `}}`",
        ),
        (
            "- see {{ bench_table(data=\"b.csv\") }} too\n",
            "content/a.md:1:7",
            "cannot stand in a list item with other text",
        ),
    ];
    for (markdown, at, message) in cases {
        let site = site().file("content/a.md", markdown);
        site.build().fails(1).stderr_has(at).stderr_has(message);
    }
}

/// The caret line under the source line in an error: how many `^`.
fn underline_width(stderr: &str) -> usize {
    stderr
        .lines()
        .find(|l| l.contains('^'))
        .map_or(0, |l| l.matches('^').count())
}

/// Checks that `run` (of a site whose content/a.md is `markdown`) failed
/// with `message` at `content/a.md:{at}`, a caret under each character of
/// `underlined`.
#[track_caller]
fn fails_underlining(run: Run, markdown: &str, at: &str, underlined: &str, message: &str) {
    let run = run
        .fails(1)
        .stderr_has(&format!("content/a.md:{at}"))
        .stderr_has(message);
    assert_eq!(
        underline_width(&run.stderr),
        underlined.chars().count(),
        "{markdown}: underline {underlined}:\n{}",
        run.stderr
    );
}

#[test]
fn errors_underline_the_argument_at_fault() {
    let cases = [
        // (markdown, where, what is underlined, message)
        (
            "{{ compare(title=\"T\", data=\"nope.toml\") }}\n\nNext line.\n",
            "1:23",
            "data=\"nope.toml\"",
            "data file `nope.toml` not found",
        ),
        (
            "- {{ bench_table(data=\"b.csv\", colour=\"red\") }}\n",
            "1:32",
            "colour",
            "unknown argument `colour`",
        ),
        (
            "> {{ bench_chart(data=\"b.csv\", metric=\"tmie\") }}\n",
            "1:32",
            "metric=\"tmie\"",
            "no metric `tmie`",
        ),
        (
            "{{ bench_table(data=\"b.csv\", digits=\"2\") }}\n",
            "1:30",
            "digits=\"2\"",
            "`digits` of shortcode `bench_table`",
        ),
        (
            "{{ code(file=\"fib.py\", lines=\"1-9\") }}\n",
            "1:24",
            "lines=\"1-9\"",
            "lines 1-9 are outside",
        ),
        (
            "It took {{ figure(data=\"b.csv\", benchmark=\"fob\", subject=\"A\") }}.\n",
            "1:33",
            "benchmark=\"fob\"",
            "no benchmark `fob`",
        ),
        (
            // Over two lines of a list item: found all the same.
            "- {{ compare(title=\"T\",\n  data=\"nope.toml\") }}\n",
            "2:3",
            "data=\"nope.toml\"",
            "data file `nope.toml` not found",
        ),
    ];
    for (markdown, at, underlined, message) in cases {
        let site = site().file("content/a.md", markdown);
        for run in [site.build(), site.run(&["check"])] {
            fails_underlining(run, markdown, at, underlined, message);
        }
    }
}

#[test]
fn a_malformed_call_is_an_error_at_the_part_at_fault_wherever_it_stands() {
    let cases = [
        (
            "- {{ compare(data=m.toml) }}\n",
            "1:19",
            "m.toml",
            "`m.toml` is not a value",
        ),
        (
            "See {{ note(text=Numbers) }} here.\n",
            "1:18",
            "Numbers",
            "`Numbers` is not a value",
        ),
        (
            "{{ note(text=\"a\", text=\"b\") }}\n",
            "1:19",
            "text=\"b\"",
            "argument `text` given twice",
        ),
        (
            "> {{ note(text=\"a\" kind=\"b\") }}\n",
            "1:20",
            "kind=\"b\"",
            "expected `,` before",
        ),
    ];
    for (markdown, at, underlined, message) in cases {
        let site = site().file("content/a.md", markdown);
        fails_underlining(site.build(), markdown, at, underlined, message);
    }
}

#[test]
fn a_block_in_a_link_emphasis_or_image_text_is_an_error() {
    let cases = [
        (
            "[{{ compare(data=\"m.toml\") }}](b.md)\n",
            "1:2",
            "in a link's text",
        ),
        (
            "*{{ compare(data=\"m.toml\") }}*\n",
            "1:2",
            "inside formatted text",
        ),
        (
            "![{{ note(text=\"x\") }}](p.png)\n",
            "1:3",
            "in an image's description",
        ),
        // No blank line between the text and the call: one paragraph.
        (
            "Intro.\n{{ compare(data=\"m.toml\") }}\n",
            "2:1",
            "inside a paragraph with other text",
        ),
    ];
    for (markdown, at, place) in cases {
        let site = site()
            .file("content/b.md", "B.\n")
            .file("content/p.png", "")
            .file("content/a.md", markdown);
        site.build()
            .fails(1)
            .stderr_has(&format!("content/a.md:{at}"))
            .stderr_has(&format!("cannot stand {place}"))
            .stderr_has(ON_ITS_OWN);
    }
}
