//! `versus check`: a fixture site that plants each defect once, and the
//! finding each one gets, with its file and line.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::Site;

#[test]
fn each_planted_defect_is_found_once_and_nothing_is_written() {
    let site = Site::new()
        .file("content/_index.md", "+++\ntitle = \"Home\"\n+++\nSee [a](a.md), [b](b.md), [c](c.md).\n")
        .file("content/a.md", "+++\ntitle = \"A\"\n+++\nIntro.\n\n[gone](gone.md)\n\n[bad anchor](b.md#nope)\n")
        .file("content/b.md", "+++\ntitle = \"B\"\n+++\n## Real\n\n![](pic.png)\n\n[pdf](files/report.pdf)\n\n![Logo](logo-missing.svg)\n")
        .file("content/pic.png", "not really a png")
        .file("content/c.md", "+++\ntitle = \"C\"\n+++\n## Setup\n\n## Setup\n")
        .file("content/orphan.md", "+++\ntitle = \"Orphan\"\n+++\nNobody links here.\n")
        .file("content/data/unused.toml", "subjects = [\"A\", \"B\"]\n[[rows]]\ncriterion = \"c\"\nA = \"x\"\nB = \"y\"\n");
    let run = site.run(&["check"]).fails(1);
    let expect = [
        ("content/a.md:6:1", "link to missing page `gone.md`"),
        ("content/a.md:8:1", "link to missing heading `#nope`"),
        ("content/b.md:6:1", "image without alternative text"),
        (
            "content/b.md:8:1",
            "link to missing file `files/report.pdf`",
        ),
        (
            "content/b.md:10:1",
            "link to missing image `logo-missing.svg`",
        ),
        (
            "content/c.md:6:1",
            "heading id `setup` is taken on this page",
        ),
        ("content/orphan.md:1:1", "orphan page"),
        (
            "",
            "data file content/data/unused.toml is not used by any page",
        ),
    ];
    for (at, what) in expect {
        assert_eq!(
            run.stderr.matches(what).count(),
            1,
            "{what} should be reported once:\n{}",
            run.stderr
        );
        if !at.is_empty() {
            let i = run.stderr.find(what).unwrap();
            assert!(
                run.stderr[i..].contains(at),
                "{what} at {at}:\n{}",
                run.stderr
            );
        }
    }
    assert!(
        run.stderr.contains("check: 5 errors, 3 warnings"),
        "{}",
        run.stderr
    );
    assert!(!site.public().exists(), "check writes nothing");
}

#[test]
fn unknown_shortcode_arguments_are_findings() {
    let site = Site::new()
        .file(
            "content/m.toml",
            "subjects = [\"A\", \"B\"]\n[[rows]]\ncriterion = \"c\"\nA = \"x\"\nB = \"y\"\n",
        )
        .file(
            "content/a.md",
            "{{ compare(data=\"m.toml\", colour=\"red\") }}\n",
        );
    site.run(&["check"])
        .fails(1)
        .stderr_has("content/a.md:1:27")
        .stderr_has("unknown argument `colour`");
}

#[test]
fn a_clean_site_passes() {
    let site = Site::new()
        .file(
            "content/_index.md",
            "+++\ntitle = \"Home\"\n+++\n[a](a.md)\n",
        )
        .file(
            "content/a.md",
            "+++\ntitle = \"A\"\n+++\n![A chart](chart.svg)\n",
        )
        .file(
            "content/chart.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        );
    site.run(&["check"])
        .ok()
        .stderr_has("check: 0 errors, 0 warnings");
}

/// A site whose results were measured on `date` with `sh` at `version`.
fn site_with_results(date: &str, version: &str) -> Site {
    Site::new()
        .file(
            "content/benchmarks/benchmarks.toml",
            "max_age_days = 30\n\n[[runtime]]\nname = \"Shell\"\nprogram = \"sh\"\n\
             version = \"sh -c 'echo 1.0'\"\n\n[[benchmark]]\nname = \"b\"\nlabel = \"tiny\"\n\
             results = \"r\"\nsubjects = [{ name = \"Shell\", command = \"true\" }]\n\n\
             [[benchmark.measure]]\nfrom = \"wall\"\n",
        )
        .file(
            "content/benchmarks/results/r.csv",
            "benchmark,subject,metric,unit,value\ntiny,Shell,time,ms,1.5\n",
        )
        .file(
            "content/benchmarks/results/r.meta.toml",
            &format!("date = \"{date}\"\n\n[versions]\nShell = \"{version}\"\n"),
        )
        .file(
            "content/_index.md",
            "+++\ntitle = \"Home\"\n+++\n{{ bench_table(data=\"benchmarks/results/r.csv\") }}\n",
        )
}

fn today() -> String {
    let out = std::process::Command::new("date")
        .args(["-u", "+%Y-%m-%d"])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn fresh_results_from_the_installed_runtime_pass() {
    site_with_results(&today(), "1.0")
        .run(&["check"])
        .ok()
        .stderr_has("check: 0 errors, 0 warnings");
}

#[test]
fn old_results_and_other_runtime_versions_are_warned_about() {
    let site = site_with_results("2020-01-01T00:00:00Z", "0.9");
    let run = site.run(&["check"]).ok();
    run.stderr_has("stale benchmark results: measured on 2020-01-01")
        .stderr_has("(older than 30 days)")
        .stderr_has("content/benchmarks/results/r.meta.toml:1:1")
        .stderr_has("measured with Shell 0.9, but Shell 1.0 is installed now")
        .stderr_has("content/benchmarks/results/r.meta.toml:4:1")
        .stderr_has("check: 0 errors, 2 warnings");
    // The command line's age wins over the definitions'.
    site.run(&["check", "--max-age", "100000"])
        .ok()
        .stderr_has("check: 0 errors, 1 warning");
}

/// A results file with two runs whose calibration loops took `first` and
/// `second` ms, on the machine and with the runtime installed now.
fn site_with_calibrations(first: f64, second: f64) -> Site {
    let run = |day: &str, ms: f64| {
        format!(
            "[[runs]]\ndate = \"{day}\"\nmachine = \"M\"\nbenchmarks = [\"b\"]\n\n\
             [runs.runtimes.sh]\nname = \"Shell\"\nversion = \"1.0\"\n\n\
             [runs.calibration]\nworkload = \"loop\"\nbuild = \"release\"\n\
             median_ms = {ms}\nruns_ms = [{ms}]\n\n"
        )
    };
    let today = today();
    site_with_results(&today, "1.0").file(
        "content/benchmarks/results/r.meta.toml",
        &format!(
            "date = \"{today}\"\nmachine = \"M\"\n\n{}{}",
            run(&today, first),
            run(&today, second)
        ),
    )
}

#[test]
fn runs_whose_calibrations_differ_by_more_than_a_tenth_are_warned_about() {
    site_with_calibrations(40.0, 43.5)
        .run(&["check"])
        .ok()
        .stderr_has("check: 0 errors, 0 warnings");
    // The second run's `median_ms` is on line 31.
    site_with_calibrations(40.0, 50.0)
        .run(&["check"])
        .ok()
        .stderr_has(
            "stale benchmark results: the runs timed the calibration loop 25% apart, 40.0 ms",
        )
        .stderr_has("content/benchmarks/results/r.meta.toml:31:1")
        .stderr_has("check: 0 errors, 1 warning");
}
