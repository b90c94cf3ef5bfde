//! Errors that finish the job (issue 23): a misspelt path, subject,
//! version, benchmark definition key, highlight theme or front matter
//! format gets the error at its file:line:col and a help line saying what
//! was meant. Each is checked through the real binary, help text exactly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::Site;

const MATRIX: &str = r#"subjects = ["Go", "Zig"]

[[rows]]
criterion = "Start-up"
Go = "fast"
Zig = "faster"
edge = "Zig"
"#;

const CSV: &str = "benchmark,subject,metric,unit,value,better,version\n\
hello,Go,time,ms,1.1,lower,1.22\n\
hello,Go,time,ms,1.0,lower,1.23\n\
hello,Zig,time,ms,0.5,lower,0.13\n\
hello,Rust,time,ms,0.6,lower,1.80\n\
hello,C,time,ms,0.4,lower,14\n";

/// A site with a matrix, a results file and one page whose body is `body`
/// (the body starts on line 5 of content/cli.md).
fn site(body: &str) -> Site {
    Site::new()
        .file("content/data/features.toml", MATRIX)
        .file("content/results/cli.csv", CSV)
        .file(
            "content/_index.md",
            "+++\ntitle = \"Home\"\n+++\n\n[CLI](cli.md)\n",
        )
        .file(
            "content/cli.md",
            &format!("+++\ntitle = \"CLI tools\"\n+++\n\n{body}\n"),
        )
}

/// The located error and its help, as printed.
#[track_caller]
fn error_at(run: common::Run, message: &str, at: &str, help: &str) {
    let run = run.fails(1);
    let err = &run.stderr;
    let start = err
        .find(message)
        .unwrap_or_else(|| panic!("no {message:?} in:\n{err}"));
    let this = &err[start..];
    let this = &this[..this.find("\n\n").unwrap_or(this.len())];
    assert!(
        this.contains(&format!("--> {at}\n")),
        "not at {at}:\n{this}"
    );
    assert!(
        this.contains(&format!("= help: {help}\n")) || this.ends_with(&format!("= help: {help}")),
        "help is not {help:?}:\n{this}"
    );
}

/// A shortcode error's place: the call (col 1) or, where a call's
/// argument is located, that argument (`data=`) on the same line.
fn at_call_or_arg(line: usize, text: &str, arg: &str) -> Vec<String> {
    let col = text.find(arg).unwrap() + 1;
    vec![
        format!("content/cli.md:{line}:1"),
        format!("content/cli.md:{line}:{col}"),
    ]
}

/// Checks the error a shortcode call with a `data=` argument makes: at
/// the call or at that argument.
#[track_caller]
fn shortcode_error(body: &str, message: &str, help: &str) {
    let run = site(body).build();
    let places = at_call_or_arg(5, body, "data=");
    let err = run.stderr.clone();
    let found = places
        .iter()
        .find(|p| err.contains(&format!("--> {p}\n")))
        .unwrap_or_else(|| panic!("not at any of {places:?}:\n{err}"));
    error_at(run, message, found, help);
}

#[test]
fn a_misspelt_data_path_gets_the_file_that_exists() {
    shortcode_error(
        r#"{{ compare(data="data/feature.toml") }}"#,
        "data file `data/feature.toml` not found",
        "did you mean `data/features.toml`?",
    );
    shortcode_error(
        r#"{{ bench_table(data="results/cli.cvs") }}"#,
        "data file `results/cli.cvs` not found",
        "did you mean `results/cli.csv`?",
    );
    // A wrong folder too, one part at a time.
    shortcode_error(
        r#"{{ bench_chart(data="result/cli.csv") }}"#,
        "data file `result/cli.csv` not found",
        "did you mean `results/cli.csv`?",
    );
    // Nothing close: the rule instead of a guess.
    shortcode_error(
        r#"{{ compare(data="data/zzzzzz.toml") }}"#,
        "data file `data/zzzzzz.toml` not found",
        "paths are relative to the page's folder, then to content/",
    );
    // A results file `versus bench` has not written yet: run it.
    shortcode_error(
        r#"{{ bench_table(data="benchmarks/results/sieve.csv") }}"#,
        "data file `benchmarks/results/sieve.csv` not found",
        "`versus bench` writes the results of content/benchmarks/benchmarks.toml under content/benchmarks/results/: run it first (docs/bench.md)",
    );
}

#[test]
fn a_misspelt_path_in_a_figure_of_a_matrix_gets_the_file_that_exists() {
    let matrix = MATRIX.replace(
        "Go = \"fast\"",
        "Go = '{{ figure(data=\"../results/cli.cvs\", benchmark=\"hello\", subject=\"Go\") }}'",
    );
    let run = site(r#"{{ compare(data="data/features.toml") }}"#)
        .file("content/data/features.toml", &matrix)
        .build()
        .fails(1);
    assert!(
        run.stderr.contains(
            "error: data file `../results/cli.cvs` not found (paths are relative to this file's folder, then to content/): did you mean `../results/cli.csv`?"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("--> content/data/features.toml:5:7"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_misspelt_subject_or_version_gets_the_one_measured() {
    for (typed, meant) in [("zig", "Zig"), ("Zgi", "Zig"), ("rsut", "Rust"), ("c", "C")] {
        let body =
            format!(r#"{{{{ bench_table(data="results/cli.csv", subjects="Go, {typed}") }}}}"#);
        let run = site(&body).build().fails(1);
        assert!(
            run.stderr.contains(&format!(
                "error: no subject `{typed}` in these results: did you mean `{meant}`?"
            )),
            "{typed}:\n{}",
            run.stderr
        );
        assert!(
            run.stderr.contains("--> content/cli.md:5:"),
            "{}",
            run.stderr
        );
    }
    let body = r#"{{ bench_table(data="results/cli.csv", subjects="Go@1.32") }}"#;
    let run = site(body).build().fails(1);
    assert!(
        run.stderr.contains(
            "error: no version `1.32` of `Go` in these results: it was measured in 1.22, 1.23: did you mean `Go@1.23`?"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_link_to_a_misspelt_page_or_file_gets_the_one_that_exists() {
    let body = "See [the home page](_indx.md).";
    error_at(
        site(body).build(),
        "link to missing page `_indx.md`",
        "content/cli.md:5:5",
        "did you mean `_index.md`?",
    );
    // `versus check` looks at links to files in the output too.
    let body = "Home is [here](indx.html).";
    error_at(
        site(body).run(&["check"]),
        "link to missing file `indx.html`",
        "content/cli.md:5:9",
        "did you mean `index.html`?",
    );
}

#[test]
fn a_misspelt_code_file_gets_the_one_that_exists() {
    let run = site(r#"{{ code(file="src/mian.rs") }}"#)
        .file("content/src/main.rs", "fn main() {}\n")
        .build()
        .fails(1);
    assert!(
        run.stderr.contains(
            "code file `src/mian.rs` not found (looked beside the page and in content/): did you mean `src/main.rs`?"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_misspelt_key_in_the_benchmark_definitions_gets_the_known_one() {
    for (text, line_col, help) in [
        (
            "max_age_day = 30\n",
            "1:1",
            "did you mean `max_age_days`? (see docs/bench.md for the definition format)",
        ),
        (
            "[defaults]\nwarmups = 1\n",
            "2:1",
            "did you mean `warmup`? (see docs/bench.md for the definition format)",
        ),
        (
            "[[benchmark]]\nname = \"hello\"\nresults = \"cli\"\ncomand = \"true\"\n",
            "4:1",
            "did you mean `command`? (see docs/bench.md for the definition format)",
        ),
    ] {
        let site = site("Hello.").file("content/benchmarks/benchmarks.toml", text);
        let at = format!("content/benchmarks/benchmarks.toml:{line_col}");
        error_at(site.run(&["bench", "--list"]), "unknown field", &at, help);
        // `versus check` reads the definitions too, for staleness.
        error_at(site.run(&["check"]), "unknown field", &at, help);
    }
}

#[test]
fn a_misspelt_key_in_results_metadata_or_a_measure_gets_the_known_one() {
    let site = site(r#"{{ bench_table(data="results/cli.csv") }}"#).file(
        "content/results/cli.meta.toml",
        "date = \"2026-01-01T00:00:00Z\"\nmachnie = \"laptop\"\n",
    );
    error_at(
        site.build(),
        "unknown field `machnie`",
        "content/results/cli.meta.toml:2:1",
        "did you mean `machine`?",
    );
    let site = site.file(
        "content/benchmarks/benchmarks.toml",
        "[[benchmark]]\nname = \"b\"\nresults = \"r\"\ncommand = \"true\"\nsubjects = [{ name = \"Go\" }]\n\n[[benchmark.measure]]\nfrom = \"wal\"\n",
    );
    error_at(
        site.run(&["bench", "--list"]),
        "unknown variant `wal`",
        "content/benchmarks/benchmarks.toml:8:8",
        "did you mean `wall`? (see docs/bench.md for the definition format)",
    );
}

#[test]
fn an_unknown_highlight_theme_or_theme_folder_is_located_in_versus_toml() {
    let site = site("Hello.").file(
        "versus.toml",
        "title = \"T\"\n\n[highlight]\nlight_theme = \"InspiredGithub\"\ndark_theme = \"OneHalfDrak\"\n",
    );
    error_at(
        site.build(),
        "invalid versus.toml: unknown highlight theme `OneHalfDrak` (`dark_theme` in [highlight])",
        "versus.toml:5:14",
        "did you mean `OneHalfDark`?",
    );
    let site = site.file("versus.toml", "title = \"T\"\ntheme = \"dark\"\n");
    error_at(
        site.build(),
        "invalid versus.toml: theme `dark` not found: no folder themes/dark",
        "versus.toml:2:9",
        "set `theme` to a folder under themes/, or remove it for the default theme",
    );
}

#[test]
fn front_matter_in_the_other_format_gets_the_line_rewritten() {
    let site = site("Hello.").file(
        "content/cli.md",
        "+++\ntitle: \"CLI tools\"\ntags: [cli, go]\n+++\n\nHello.\n",
    );
    error_at(
        site.build(),
        "invalid front matter: key with no value, expected `=`",
        "content/cli.md:2:6",
        "`+++` lines open TOML front matter, where this is `title = \"CLI tools\"`; or put the front matter between `---` lines instead",
    );
    let site = site.file(
        "content/cli.md",
        "---\ntitle = \"CLI tools\"\n---\n\nHello.\n",
    );
    error_at(
        site.build(),
        "invalid front matter:",
        "content/cli.md:2:7",
        "`---` lines open YAML front matter, where this is `title: \"CLI tools\"`; or put the front matter between `+++` lines instead",
    );
}

#[test]
fn the_build_summary_counts_the_data_files_pages_can_show() {
    let site = site(
        "{{ compare(data=\"data/features.toml\") }}\n\n{{ bench_table(data=\"results/cli.csv\") }}",
    )
    .file(
        "content/results/cli.meta.toml",
        "date = \"2026-01-01T00:00:00Z\"\n",
    )
    .file(
        "content/benchmarks/benchmarks.toml",
        "results_dir = \"../results\"\n",
    );
    let run = site.run(&["build"]).ok();
    assert!(
        run.stderr.contains("built 2 pages, 2 data files, 0 assets"),
        "{}",
        run.stderr
    );
}
