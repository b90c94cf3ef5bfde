//! The site that ships in this repository: it builds cleanly, its links
//! resolve from disk, and its HTML passes the Nu HTML Checker.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::build_bundled;
use std::process::Command;

#[test]
fn bundled_site_builds_without_warnings_and_links_resolve() {
    let (out, stderr) = build_bundled(&[]);
    assert!(!stderr.contains("warning"), "{stderr}");
    common::assert_links_resolve(&out.path().join("public"));
}

/// Parallel rendering must not change a byte: the output of one thread and
/// of several (more than this machine has cores, to shuffle the order work
/// finishes in) is the same.
#[test]
fn output_does_not_depend_on_the_number_of_threads() {
    let (one, _) = build_bundled(&[("RAYON_NUM_THREADS", "1")]);
    let (many, _) = build_bundled(&[("RAYON_NUM_THREADS", "7")]);
    let one = common::snapshot(&one.path().join("public"));
    let many = common::snapshot(&many.path().join("public"));
    assert!(one.len() > 20, "{} files", one.len());
    let names = |s: &[(String, Vec<u8>)]| s.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&one), names(&many));
    for ((name, a), (_, b)) in one.iter().zip(&many) {
        assert!(a == b, "{name} differs between 1 and 7 threads");
    }
}

#[test]
fn bundled_site_passes_the_nu_html_checker() {
    let (out, _) = build_bundled(&[]);
    common::assert_valid_html(&out.path().join("public"));
}

#[test]
fn bundled_site_passes_versus_check() {
    let run = Command::new(common::BIN)
        .args(["check", "--root", env!("CARGO_MANIFEST_DIR")])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        run.status.success(),
        "versus check fails on the bundled site:\n{stderr}"
    );
    // Runtime versions other than the measured ones are a fact about the
    // machine running the tests, not about the content: they are printed
    // and allowed. Everything else, old results included, fails.
    let machine = stderr
        .matches("warning: stale benchmark results: measured with")
        .count();
    if machine > 0 {
        eprintln!("allowed: {machine} warnings about runtimes installed here:\n{stderr}");
    }
    assert!(
        stderr.contains(&format!(" 0 errors, {machine} warning")),
        "{stderr}"
    );
}

/// Issue 28: the French pages show the same figures as the English ones,
/// from the same results files (only the words around them are
/// translated), and the same matrix.
#[test]
fn french_pages_show_the_same_data_as_the_english_ones() {
    let (out, _) = build_bundled(&[]);
    let public = out.path().join("public");
    let values = |html: &str, open: &str| -> Vec<String> {
        html.split(open)
            .skip(1)
            .filter_map(|rest| rest.split('"').next().map(str::to_string))
            .collect()
    };
    for page in ["index.html", "decision-guide.html"] {
        let en = std::fs::read_to_string(public.join(page)).unwrap();
        let fr = std::fs::read_to_string(public.join("fr").join(page)).unwrap();
        assert!(fr.contains("<html lang=\"fr\""), "fr/{page}");
        for open in [
            "<data class=\"figure\" value=\"",
            "<data class=\"figure verdict\" value=\"",
        ] {
            let (e, f) = (values(&en, open), values(&fr, open));
            assert!(
                !e.is_empty() || open.contains("verdict"),
                "{page}: no figures"
            );
            assert_eq!(e, f, "{page}: the French page shows other figures");
        }
        let rows = |html: &str| html.matches("<tr").count();
        assert_eq!(rows(&en), rows(&fr), "{page}: tables of other sizes");
    }
    // A page not translated yet is shown in English, saying so.
    let speed = std::fs::read_to_string(public.join("fr/speed.html")).unwrap();
    assert!(speed.contains("class=\"fallback-note\""));
}
