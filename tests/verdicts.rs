//! Verdicts decided by the data: `verdict(...)` and `figure(..., ci=true)`
//! in prose and in matrix cells, `bench_table(..., ci=true)`, matrix rows
//! whose edge is `"measured"`, and `versus check` warning when a hand-set
//! edge disagrees with the results. The statistics themselves are pinned
//! against scipy in src/data/stats.rs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::Site;

/// Ten runs of each subject in three benchmarks: `fast` (A's 100–109 ms
/// against B's 184–202 ms: clearly apart), `same` (interleaved, 0.05%
/// apart: level) and `noisy` (60–150 against 66–165, medians 10% apart
/// but the runs overlap: no clear difference).
fn results() -> String {
    let mut csv = String::from("benchmark,subject,metric,unit,value\n");
    for i in 0..10 {
        let i = f64::from(i);
        for (bench, a, b) in [
            ("fast", 100.0 + i, 184.0 + 2.0 * i),
            ("same", 200.0 + 0.2 * i, 200.1 + 0.2 * i),
            ("noisy", 60.0 + 10.0 * i, 66.0 + 11.0 * i),
        ] {
            csv.push_str(&format!(
                "{bench},A,time,ms,{a:.1}\n{bench},B,time,ms,{b:.1}\n"
            ));
        }
    }
    csv
}

fn site(body: &str) -> Site {
    Site::new().file("content/bench/r.csv", &results()).file(
        "content/speed.md",
        &format!("+++\ntitle = \"Speed\"\n+++\n{body}\n"),
    )
}

#[test]
fn verdicts_in_french_say_the_same_in_french_words_and_numbers() {
    let call = |name: &str, bench: &str, extra: &str| {
        format!(
            "{{{{ {name}(data=\"bench/r.csv\", benchmark=\"{bench}\", subject=\"B\", vs=\"A\"{extra}) }}}}"
        )
    };
    let s = site(&format!(
        "B : {} ; {} ; {} ; {}.",
        call("verdict", "fast", ""),
        call("verdict", "same", ""),
        call("verdict", "noisy", ""),
        call("figure", "fast", ""),
    ))
    .file("versus.toml", "title = \"Vitesse\"\nlanguage = \"fr\"\n");
    s.build().ok();
    let f = figures(&s.out("speed.html"));
    assert!(
        f[0].starts_with("1,85x plus lent (IC à 95 %\u{a0}: 1,"),
        "{}",
        f[0]
    );
    assert_eq!(f[1], "à égalité (à 3% près)");
    assert!(
        f[2].starts_with("pas de différence nette (médianes à 1,10x l’une de l’autre, IC"),
        "{}",
        f[2]
    );
    assert_eq!(f[3], "1,85x plus lent");
}

/// The text of every `<data class="figure">` element, in order.
fn figures(html: &str) -> Vec<String> {
    html.split("<data class=\"figure")
        .skip(1)
        .map(|s| {
            let from = s.find('>').unwrap() + 1;
            s[from..s.find("</data>").unwrap()].to_string()
        })
        .collect()
}

/// The bounds of "95% CI low–high" in `text`.
fn interval(text: &str) -> (f64, f64) {
    let at = text.find("95% CI ").unwrap_or_else(|| panic!("{text}")) + 7;
    let rest = &text[at..];
    let end = rest.find([')', ',', ';']).unwrap_or(rest.len());
    let (lo, hi) = rest[..end].split_once('–').unwrap();
    (lo.parse().unwrap(), hi.parse().unwrap())
}

#[test]
fn verdicts_print_the_words_the_data_decides() {
    let call = |name: &str, bench: &str, extra: &str| {
        format!(
            "{{{{ {name}(data=\"bench/r.csv\", benchmark=\"{bench}\", subject=\"B\", vs=\"A\"{extra}) }}}}"
        )
    };
    let s = site(&format!(
        "B was {}; on `same` {}; on `noisy` {}; {} with the interval; {} without.",
        call("verdict", "fast", ""),
        call("verdict", "same", ""),
        call("verdict", "noisy", ""),
        call("figure", "fast", ", ci=true"),
        call("figure", "fast", ""),
    ));
    s.build().ok();
    let html = s.out("speed.html");
    let f = figures(&html);
    assert_eq!(f.len(), 5, "{html}");
    // B's median 193 ms over A's 104.5 ms.
    assert!(f[0].starts_with("1.85x slower (95% CI "), "{}", f[0]);
    let (lo, hi) = interval(&f[0]);
    assert!(
        lo <= 193.0 / 104.5 && 193.0 / 104.5 <= hi && lo > 1.0,
        "{}",
        f[0]
    );
    assert_eq!(f[1], "level (within 3%)");
    assert!(
        f[2].starts_with("no clear difference (medians 1.10x apart, 95% CI "),
        "{}",
        f[2]
    );
    let (lo, hi) = interval(&f[2]);
    assert!(lo < 1.0 && hi > 1.1, "the interval holds 1: {}", f[2]);
    assert_eq!(f[3], f[0], "figure with ci=true prints the same interval");
    assert_eq!(f[4], "1.85x slower", "without ci the figure is as before");
    // Words wrap; a bare figure does not.
    assert_eq!(
        html.matches("<data class=\"figure verdict\"").count(),
        4,
        "{html}"
    );
    // The hover text gives the test behind the words.
    assert!(
        html.contains("(bootstrap of 10 and 10 runs); Mann-Whitney U p = 0.00018"),
        "{html}"
    );
    // The same build gives the same intervals, byte for byte.
    let first = html.clone();
    s.build().ok();
    assert_eq!(s.out("speed.html"), first);
}

#[test]
fn a_verdict_needs_two_results_and_known_arguments() {
    let cases = [
        (
            "verdict(data=\"bench/r.csv\", benchmark=\"fast\", subject=\"B\")",
            "`verdict` compares two results: add vs=\"...\"",
            "{{",
        ),
        (
            "verdict(data=\"bench/r.csv\", benchmark=\"fast\", subject=\"B\", vss=\"A\")",
            "unknown argument `vss` for shortcode `verdict`",
            "vss=",
        ),
        (
            "figure(data=\"bench/r.csv\", benchmark=\"fast\", subject=\"B\", ci=true)",
            "`figure(ci=true)` compares two results",
            "{{",
        ),
        (
            "verdict(data=\"bench/r.csv\", benchmark=\"fast\", subject=\"B\", vs=\"C\")",
            "no subject `C`",
            "vs=",
        ),
    ];
    for (call, message, at) in cases {
        let line = format!("It was {{{{ {call} }}}} here.");
        let col = line.find(at).unwrap() + 1;
        let s = site(&format!("Intro.\n\n{line}"));
        let run = s.build().fails(1);
        assert!(run.stderr.contains(message), "{message}: {}", run.stderr);
        assert!(
            run.stderr
                .contains(&format!("--> content/speed.md:6:{col}")),
            "{call}: {}",
            run.stderr
        );
    }
}

#[test]
fn bench_tables_show_intervals_when_asked() {
    let s = site(
        "{{ bench_table(data=\"bench/r.csv\", ci=true) }}\n\n{{ bench_table(data=\"bench/r.csv\", title=\"Plain\") }}",
    );
    s.build().ok();
    let html = s.out("speed.html");
    let (with, plain) = html.split_once("Plain").unwrap();
    assert_eq!(
        with.matches("<span class=\"interval\">").count(),
        3,
        "{with}"
    );
    let fast = with.find("B 1.85x slower than A").unwrap();
    let (lo, hi) = interval(&with[fast..]);
    assert!(
        lo > 1.0 && lo <= 193.0 / 104.5 && 193.0 / 104.5 <= hi,
        "{with}"
    );
    assert!(with.contains(", level)</span>"), "{with}");
    assert!(with.contains(", no clear difference)</span>"), "{with}");
    assert!(!plain.contains("95% CI"), "off by default: {plain}");

    s.write(
        "content/speed.md",
        "+++\ntitle = \"Speed\"\n+++\n{{ bench_table(data=\"bench/r.csv\", ci=\"yes\") }}\n",
    );
    s.build()
        .fails(1)
        .stderr_has("`ci` of shortcode `bench_table` is true or false")
        .stderr_has("--> content/speed.md:4:");
}

/// A matrix of A and B, one row per benchmark of [`results`], each cell a
/// figure; `edges` gives each row's edge line.
fn matrix(edges: [&str; 3]) -> String {
    let mut m = String::from("subjects = [\"A\", \"B\"]\n");
    for (bench, edge) in ["fast", "same", "noisy"].iter().zip(edges) {
        m.push_str(&format!(
            "\n[[rows]]\ncriterion = \"{bench}\"\n\
             A = '{{{{ figure(data=\"bench/r.csv\", benchmark=\"{bench}\", subject=\"A\") }}}}'\n\
             B = '{{{{ figure(data=\"bench/r.csv\", benchmark=\"{bench}\", subject=\"B\") }}}} \
             ({{{{ verdict(data=\"bench/r.csv\", benchmark=\"{bench}\", subject=\"B\", vs=\"A\") }}}})'\n\
             {edge}\n"
        ));
    }
    m
}

/// The text of each row's edge column.
fn edge_cells(html: &str) -> Vec<String> {
    html.split("<td class=\"edge-col\" data-label=\"Edge\"><span class=\"cell\">")
        .skip(1)
        .map(|s| s[..s.find("</td>").unwrap()].to_string())
        .collect()
}

#[test]
fn a_measured_edge_comes_from_the_same_test() {
    let measured = "edge = \"measured\"";
    let s = site("{{ compare(data=\"data/m.toml\") }}")
        .file("content/data/m.toml", &matrix([measured; 3]));
    s.build().ok();
    let html = s.out("speed.html");
    let edges = edge_cells(&html);
    assert_eq!(edges.len(), 3, "{html}");
    assert!(
        edges[0].starts_with(
            "A <span class=\"edge-why\">measured: fast, time: A 1.85x faster than B (p = 0.00018)"
        ),
        "{}",
        edges[0]
    );
    assert!(
        edges[1].starts_with(
            "Tie <span class=\"edge-why\">measured: same, time: A and B level (within 3%, p = "
        ),
        "{}",
        edges[1]
    );
    assert!(
        edges[2].starts_with("<span class=\"muted\">No clear edge</span> <span class=\"edge-why\">measured: noisy, time: no clear difference between A and B (p = "),
        "{}",
        edges[2]
    );
    assert!(
        html.contains("<strong>Tally:</strong> A 1, B 0, tie 1; 1 without a clear edge."),
        "{html}"
    );
    // A verdict reads the same in a cell.
    assert!(html.contains("193.0 ms (1.85x slower (95% CI "), "{html}");
    assert!(html.contains("(level (within 3%))"), "{html}");

    // Nothing to compare: an error at the row's edge.
    s.write(
        "content/data/m.toml",
        "subjects = [\"A\", \"B\"]\n\n[[rows]]\ncriterion = \"fast\"\n\
         A = '{{ figure(data=\"bench/r.csv\", benchmark=\"fast\", subject=\"A\") }}'\n\
         B = \"not measured\"\nedge = \"measured\"\n",
    );
    s.build()
        .fails(1)
        .stderr_has(
            "row `fast` has edge = \"measured\", but its cells show no benchmark for two subjects",
        )
        .stderr_has("--> content/data/m.toml:7:1");
}

#[test]
fn check_warns_when_a_hand_set_edge_disagrees_with_the_data() {
    let s = site("{{ compare(data=\"data/m.toml\") }}")
        .file(
            "content/data/m.toml",
            &matrix(["edge = \"B\"", "edge = \"A\"", "edge = \"measured\""]),
        )
        .file(
            "content/_index.md",
            "+++\ntitle = \"Home\"\n+++\n[s](speed.md)\n",
        );
    let run = s.run(&["check"]).ok();
    let err = &run.stderr;
    let b = err
        .find("the edge is set to `B` by hand, but the results decide `A`")
        .unwrap_or_else(|| panic!("{err}"));
    assert!(err[b..].contains("--> content/data/m.toml:7:1"), "{err}");
    assert!(
        err[b..].contains("fast, time: A 1.85x faster than B"),
        "{err}"
    );
    let a = err
        .find("the edge is set to `A` by hand, but the results decide a tie")
        .unwrap_or_else(|| panic!("{err}"));
    assert!(err[a..].contains("--> content/data/m.toml:13:1"), "{err}");
    assert_eq!(
        err.matches("by hand, but the results decide").count(),
        2,
        "{err}"
    );

    // Edges that agree with the data, or that it cannot judge, are fine.
    s.write(
        "content/data/m.toml",
        &matrix(["edge = \"A\"", "edge = \"tie\"", ""]),
    );
    s.run(&["check"])
        .ok()
        .stderr_lacks("by hand, but the results");
}

#[test]
fn subjects_level_with_the_best_share_a_measured_edge() {
    // A and C interleaved around 100 ms, B at twice that.
    let mut csv = String::from("benchmark,subject,unit,value\n");
    for i in 0..10 {
        let i = f64::from(i);
        csv.push_str(&format!(
            "parse,A,ms,{:.1}\nparse,B,ms,{:.1}\nparse,C,ms,{:.1}\n",
            100.0 + i,
            200.0 + i,
            100.5 + i
        ));
    }
    let cell =
        |s: &str| format!("{s} = '{{{{ figure(data=\"bench/p.csv\", subject=\"{s}\") }}}}'\n");
    let matrix = |edge: &str| {
        format!(
            "subjects = [\"A\", \"B\", \"C\"]\n\n[[rows]]\ncriterion = \"parse\"\n{}{}{}{edge}\n",
            cell("A"),
            cell("B"),
            cell("C")
        )
    };
    let s = Site::new()
        .file("content/bench/p.csv", &csv)
        .file("content/data/m.toml", &matrix("edge = \"measured\""))
        .file(
            "content/speed.md",
            "+++\ntitle = \"Speed\"\n+++\n{{ compare(data=\"data/m.toml\") }}\n",
        )
        .file(
            "content/_index.md",
            "+++\ntitle = \"Home\"\n+++\n[s](speed.md)\n",
        );
    s.build().ok();
    let html = s.out("speed.html");
    let edges = edge_cells(&html);
    assert!(
        edges[0].starts_with(
            "A, C <span class=\"edge-why\">measured: parse, time: A and C level (within 3%, p = "
        ),
        "{}",
        edges[0]
    );
    assert!(
        edges[0].contains("A 1.96x faster than B (p = 0.00018)"),
        "{}",
        edges[0]
    );
    assert!(html.contains("A 1, B 0, C 1."), "{html}");
    // The same edge set by hand, in another order, agrees.
    s.write("content/data/m.toml", &matrix("edge = [\"C\", \"A\"]"));
    s.run(&["check"])
        .ok()
        .stderr_lacks("by hand, but the results");
    s.write("content/data/m.toml", &matrix("edge = \"tie\""));
    s.run(&["check"])
        .ok()
        .stderr_has("the edge is set to `tie` by hand, but the results decide `A, C`");
}
