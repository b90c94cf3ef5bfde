//! Math: with `[markdown] math = true`, `$...$` and `$$...$$` become
//! MathML as the site is built (no script); a formula that does not parse
//! is an error at its line; without the switch, `$` is text.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Site, search_text};

const PAGE: &str = "+++\ntitle = \"Queues\"\n+++\n## Little's law\n\nIn a stable system $L = \\lambda W$ holds.\n\n$$\n\\frac{n}{t} \\le c\n$$\n\nIt costs $5 or $10.\n";

#[test]
fn formulas_become_mathml_and_search_gets_their_symbols() {
    let site = Site::new()
        .file("versus.toml", "title = \"M\"\n[markdown]\nmath = true\n")
        .file("content/q.md", PAGE);
    site.build().ok();
    let html = site.out("q.html");
    assert!(
        html.contains("<math display=\"inline\"><mi>L</mi>"),
        "{html}"
    );
    assert!(html.contains("<math display=\"block\">"), "{html}");
    assert!(
        !html.contains("\\lambda") && !html.contains("\\frac"),
        "{html}"
    );
    assert!(!html.contains("katex") && !html.contains("mathjax"));
    let search = search_text(&site.public());
    assert!(search.contains("L = λ W"), "{search}");
    assert!(
        !search.contains("lambda") && !search.contains("frac"),
        "{search}"
    );
    // In print too.
    assert!(site.out("print.html").contains("<mi>λ</mi>"));
}

#[test]
fn a_formula_in_a_heading_reads_as_its_symbols_in_the_contents_and_id() {
    let site = Site::new()
        .file("versus.toml", "title = \"M\"\n[markdown]\nmath = true\n")
        .file(
            "content/s.md",
            "+++\ntitle = \"Sorting\"\n+++\n## Cost $O(n \\log n)$ here\n\nText.\n",
        );
    site.build().ok();
    let html = site.out("s.html");
    assert!(
        html.contains("<a href=\"#cost-o-n-log-n-here\">Cost O ( n log n ) here</a>"),
        "{html}"
    );
    assert!(
        html.contains("<h2 id=\"cost-o-n-log-n-here\">Cost <math"),
        "{html}"
    );
}

#[test]
fn math_is_off_unless_asked_for_and_dollars_stay_text() {
    let site = Site::new().file("content/q.md", PAGE);
    site.build().ok();
    let html = site.out("q.html");
    assert!(!html.contains("<math"), "{html}");
    assert!(html.contains("$L = \\lambda W$"), "{html}");
    assert!(html.contains("It costs $5 or $10."), "{html}");
}

#[test]
fn a_formula_that_does_not_parse_is_an_error_at_its_line() {
    let site = Site::new()
        .file("versus.toml", "title = \"M\"\n[markdown]\nmath = true\n")
        .file(
            "content/q.md",
            "+++\ntitle = \"Q\"\n+++\nFine $a^2$.\n\nBroken $\\nosuch x$ here.\n",
        );
    site.build()
        .fails(1)
        .stderr_has("error: invalid formula:")
        .stderr_has("content/q.md:6:8")
        .stderr_has("Broken $\\nosuch x$ here.");
    assert!(!site.exists("q.html"));
}
