//! `versus bench` end to end: the real binary on small definitions in a
//! temporary site. Nothing here runs the bundled suite (it takes minutes).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Site, require_program};

const DEFS: &str = "content/benchmarks/benchmarks.toml";
const CSV: &str = "content/benchmarks/results/r.csv";
const META: &str = "content/benchmarks/results/r.meta.toml";

/// A definition file with one benchmark `b` writing `results/r.csv`, whose
/// subjects are (name, command) pairs measured by wall time.
fn defs(subjects: &[(&str, &str)], extra: &str) -> String {
    let list: Vec<String> = subjects
        .iter()
        .map(|(n, c)| format!("  {{ name = \"{n}\", command = '''{c}''' }},"))
        .collect();
    format!(
        "[[runtime]]\nname = \"Python\"\nprogram = \"python3\"\nversion_pattern = 'Python (\\S+)'\n\n\
         [[benchmark]]\nname = \"b\"\nlabel = \"tiny\"\nresults = \"r\"\nwarmup = 1\nruns = 3\n{extra}\
         subjects = [\n{}\n]\n\n[[benchmark.measure]]\nfrom = \"wall\"\n",
        list.join("\n")
    )
}

fn read(site: &Site, rel: &str) -> String {
    std::fs::read_to_string(site.root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The CSV's lines after the header, split into fields (no quoting needed
/// for these tests).
fn rows(site: &Site) -> Vec<Vec<String>> {
    let text = read(site, CSV);
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("benchmark,subject,metric,unit,value,better,version,note,group")
    );
    lines
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

fn python_version(python: &Path) -> String {
    let out = Command::new(python).arg("--version").output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    text.trim().trim_start_matches("Python ").to_string()
}

#[test]
fn a_tiny_benchmark_end_to_end() {
    let Some(python) = require_program("python3") else {
        return;
    };
    let site = Site::new()
        .file(
            DEFS,
            &(defs(&[("Python", "python3 -c \"print('answer: 42.5')\"")], "")
                + "\n[[benchmark.measure]]\nmetric = \"answer\"\nfrom = \"output\"\npattern = 'answer: ([0-9.]+)'\nunit = \"points\"\nbetter = \"higher\"\n\n[results.r]\ntitle = \"Tiny results\"\n\n[environment]\nkeep = [\"PATH\"]\n"),
        )
        .file(
            "content/results.md",
            "+++\ntitle = \"Results\"\n+++\n\n{{ bench_table(data=\"benchmarks/results/r.csv\") }}\n",
        );
    let run = site.run(&["bench", "--quiet"]).ok();
    assert!(run.stderr.contains("tiny · Python: time"), "{}", run.stderr);
    let version = python_version(&python);

    let rows = rows(&site);
    assert_eq!(rows.len(), 6, "3 runs x 2 measures, warm-up left out");
    let (wall, answer): (Vec<_>, Vec<_>) = rows.iter().partition(|r| r[2] == "time");
    assert_eq!(wall.len(), 3);
    for r in &wall {
        assert_eq!(
            (&r[0][..], &r[1][..], &r[3][..], &r[5][..], &r[8][..]),
            ("tiny", "Python", "ms", "lower", "b")
        );
        let ms: f64 = r[4].parse().unwrap();
        assert!(ms > 0.0 && ms < 60_000.0, "{ms}");
        assert_eq!(r[6], version);
        assert!(r[7].is_empty(), "no note on a measured run");
    }
    for r in &answer {
        assert_eq!(
            (&r[2][..], &r[3][..], &r[4][..], &r[5][..]),
            ("answer", "points", "42.5", "higher")
        );
    }

    let meta: toml::Table = toml::from_str(&read(&site, META)).unwrap();
    assert_eq!(meta["title"].as_str(), Some("Tiny results"));
    let date = meta["date"].as_str().unwrap();
    assert!(
        date.len() == 20 && date.ends_with('Z') && date.as_bytes()[10] == b'T',
        "{date}"
    );
    assert!(meta["machine"].as_str().unwrap().contains("logical CPU"));
    assert!(!meta["os"].as_str().unwrap().is_empty());
    let run = &meta["runs"][0];
    assert_eq!(
        run["runtimes"]["python3"]["version"].as_str(),
        Some(version.as_str())
    );
    assert_eq!(run["runtimes"]["python3"]["name"].as_str(), Some("Python"));

    // The site shows what was written, with when and where.
    site.build().ok();
    let html = site.out("results.html");
    assert!(html.contains("42.5"), "{html}");
    assert!(
        html.contains(&format!("Measured {}", &date[..10])),
        "{html}"
    );
    // Measured times, written with up to four decimals, are shown with
    // about three significant digits (whole milliseconds from 100 up).
    let shown = html
        .split(" ms</td>")
        .next()
        .and_then(|before| before.rsplit('>').next())
        .unwrap_or_else(|| panic!("no time in {html}"));
    let digits: String = shown.chars().filter(char::is_ascii_digit).collect();
    let significant = digits.trim_start_matches('0').len();
    assert!(
        significant <= 3 || !shown.contains('.'),
        "{shown} has {significant} significant digits"
    );
}

#[test]
fn a_missing_runtime_is_recorded_as_missing_not_zero() {
    let site = Site::new().file(
        DEFS,
        &defs(
            &[
                ("Shell", "sh -c 'exit 0'"),
                ("Ghost", "versus-no-such-runtime --fast"),
            ],
            "",
        ),
    );
    let run = site.run(&["bench", "--quiet"]).ok();
    assert!(
        run.stderr
            .contains("tiny · Ghost: missing (versus-no-such-runtime not found)"),
        "{}",
        run.stderr
    );
    let rows = rows(&site);
    let ghost: Vec<_> = rows.iter().filter(|r| r[1] == "Ghost").collect();
    assert_eq!(ghost.len(), 1, "one line per measure");
    assert_eq!(ghost[0][4], "", "no value, and certainly not 0");
    assert_eq!(ghost[0][7], "versus-no-such-runtime not found");
    assert_eq!(rows.iter().filter(|r| r[1] == "Shell").count(), 3);
}

#[test]
fn a_missing_defined_runtime_is_named() {
    let site = Site::new().file(
        DEFS,
        "[[runtime]]\nname = \"Ghost\"\nprogram = \"versus-ghost-runtime\"\n\n\
         [[runtime]]\nname = \"Phantom\"\nprogram = \"versus-phantom-runtime\"\noptional = true\n\n\
         [[benchmark]]\nname = \"b\"\nresults = \"r\"\nruns = 1\n\
         subjects = [\n  { name = \"Shell\", command = \"sh -c true\" },\n  { name = \"Ghost\", command = \"versus-ghost-runtime x.js\" },\n  { name = \"Phantom\", command = \"versus-phantom-runtime x.py\" },\n]\n\
         [[benchmark.measure]]\nfrom = \"wall\"\n",
    );
    let run = site.run(&["bench", "--quiet"]).ok();
    assert!(
        run.stderr
            .contains("Phantom: versus-phantom-runtime not found (optional")
    );
    let rows = rows(&site);
    let ghost: Vec<_> = rows.iter().filter(|r| r[1] == "Ghost").collect();
    assert_eq!(
        (&ghost[0][4][..], &ghost[0][7][..]),
        ("", "versus-ghost-runtime not found")
    );
    assert!(
        rows.iter().all(|r| r[1] != "Phantom"),
        "an optional runtime that is missing is left out"
    );
}

#[test]
fn a_timeout_is_recorded_as_missing_and_kills_the_process_group() {
    let site = Site::new().file(
        DEFS,
        &defs(
            &[
                ("Quick", "sh -c 'exit 0'"),
                // `sleep` is a grandchild: only killing the group stops it.
                ("Slow", "sh -c 'sleep 30; echo done'"),
            ],
            "timeout = 0.5\n",
        ),
    );
    let start = Instant::now();
    let run = site.run(&["bench", "--quiet"]).ok();
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "took {:?}",
        start.elapsed()
    );
    assert!(
        run.stderr.contains("timed out after 0.5 s"),
        "{}",
        run.stderr
    );
    let rows = rows(&site);
    let slow: Vec<_> = rows.iter().filter(|r| r[1] == "Slow").collect();
    assert_eq!(slow.len(), 1);
    assert_eq!(
        (&slow[0][4][..], &slow[0][7][..]),
        ("", "timed out after 0.5 s")
    );
}

#[test]
fn a_failed_run_keeps_the_previous_results_untouched() {
    let old_csv = "benchmark,subject,metric,unit,value,better,version,note,group\ntiny,Shell,time,ms,1.5,lower,,,b\n";
    let old_meta = "title = \"Old\"\ndate = \"2026-01-01\"\n";
    let site = Site::new()
        .file(
            DEFS,
            &defs(&[("Shell", "sh -c 'echo broken >&2; exit 3'")], ""),
        )
        .file(CSV, old_csv)
        .file(META, old_meta);
    let run = site.run(&["bench", "--quiet"]).fails(1);
    assert!(
        run.stderr.contains("exited with status 3: broken"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("left as it was"), "{}", run.stderr);
    assert_eq!(read(&site, CSV), old_csv);
    assert_eq!(read(&site, META), old_meta);
    let leftovers: Vec<_> = std::fs::read_dir(site.root().join("content/benchmarks/results"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // A broken definition fails before anything runs, pointing at the line.
    site.write(DEFS, &defs(&[("Shell", "sh -c 'exit 0' {nope}")], ""));
    site.run(&["bench"])
        .fails(1)
        .stderr_has("unknown placeholder `{nope}`")
        .stderr_has("benchmarks.toml:");
    assert_eq!(read(&site, CSV), old_csv);
}

#[test]
fn an_interrupted_run_writes_nothing_and_stops_its_processes() {
    let Some(kill) = require_program("kill") else {
        return;
    };
    let marker = format!("{}.{}", 31, std::process::id());
    let site = Site::new().file(
        DEFS,
        &defs(&[("Slow", &format!("sh -c 'sleep {marker}'"))], ""),
    );
    let child = Command::new(common::BIN)
        .args(["bench", "--quiet"])
        .current_dir(site.root())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the measured command runs, then press "Ctrl-C".
    let start = Instant::now();
    while !sleeping(&marker) {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "sleep never started"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Command::new(kill)
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert!(!site.root().join(CSV).exists());
    let start = Instant::now();
    while sleeping(&marker) {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "the benchmark's process was left running"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Whether a `sleep MARKER` process is running (Linux: read /proc).
fn sleeping(marker: &str) -> bool {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return false;
    };
    dir.flatten().any(|e| {
        std::fs::read(e.path().join("cmdline")).is_ok_and(|c| {
            let c = String::from_utf8_lossy(&c);
            c.starts_with("sleep\0") && c.contains(marker)
        })
    })
}

#[test]
fn rerunning_one_benchmark_keeps_the_others() {
    let two = "[[benchmark]]\nname = \"a\"\nresults = \"r\"\nruns = 2\nwarmup = 0\nsubjects = [{ name = \"S\", command = \"sh -c true\" }]\n[[benchmark.measure]]\nfrom = \"wall\"\n\n\
               [[benchmark]]\nname = \"b\"\nresults = \"r\"\nruns = 2\nwarmup = 0\nsubjects = [{ name = \"S\", command = \"sh -c true\" }]\n[[benchmark.measure]]\nfrom = \"wall\"\n";
    let site = Site::new().file(DEFS, two);
    site.run(&["bench", "--quiet"]).ok();
    let first = rows(&site);
    assert_eq!(first.len(), 4);
    site.run(&["bench", "--quiet", "b", "--runs", "3"]).ok();
    let second = rows(&site);
    assert_eq!(second.len(), 5);
    assert_eq!(second[..2], first[..2], "benchmark a kept as it was");
    assert!(second[2..].iter().all(|r| r[8] == "b"));
    let meta = read(&site, META);
    assert_eq!(meta.matches("[[runs]]").count(), 2, "{meta}");
    assert!(meta.contains("benchmarks = [\"a\", \"b\"]"), "{meta}");
    assert!(meta.contains("benchmarks = [\"b\"]"), "{meta}");
}

/// A fake runtime: a script that prints `fake VERSION` for `--version`
/// and otherwise does nothing.
fn fake_runtime(site: &Site, id: &str, version: &str) {
    let path = site.root().join(format!("rt/{id}/fake"));
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(
        &path,
        format!("#!/bin/sh\nif [ \"$1\" = --version ]; then echo \"fake {version}\"; fi\n"),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn versions_of_a_runtime_are_measured_apart_and_kept() {
    let runtime = |id: &str| {
        format!(
            "[[runtime]]\nid = \"{id}\"\nname = \"Fake\"\nprogram = \"fake\"\nexecutable = \"rt/{id}/fake\"\nversion_pattern = 'fake (\\S+)'\n\n"
        )
    };
    let text = format!(
        "{}{}[[benchmark]]\nname = \"b\"\nlabel = \"tiny\"\nresults = \"r\"\nwarmup = 0\nruns = 2\n\
         subjects = [{{ name = \"Fake\", command = \"fake run\" }}]\n[[benchmark.measure]]\nfrom = \"wall\"\n",
        runtime("v1"),
        runtime("v2")
    );
    let site = Site::new().file(DEFS, &text).file(
        "content/a.md",
        "+++\ntitle = \"A\"\n+++\n{{ bench_table(data=\"benchmarks/results/r.csv\") }}\n",
    );
    fake_runtime(&site, "v1", "1.0");
    fake_runtime(&site, "v2", "2.0");
    let versions =
        |site: &Site| -> Vec<String> { rows(site).into_iter().map(|r| r[6].clone()).collect() };

    site.run(&["bench", "--quiet", "--runtime", "v1"]).ok();
    assert_eq!(versions(&site), ["1.0", "1.0"]);
    site.run(&["bench", "--quiet", "--runtime", "v2"])
        .ok()
        .stderr_has("Fake (v2): 2.0");
    assert_eq!(
        versions(&site),
        ["1.0", "1.0", "2.0", "2.0"],
        "v1's lines kept"
    );
    let meta = read(&site, META);
    assert_eq!(meta.matches("[[runs]]").count(), 2, "{meta}");
    assert!(
        meta.contains("[runs.runtimes.v1]") && meta.contains("[runs.runtimes.v2]"),
        "{meta}"
    );

    // Measuring v1 again replaces its lines, and the run they came from.
    let first: Vec<Vec<String>> = rows(&site);
    site.run(&["bench", "--quiet", "--runtime", "v1"])
        .ok()
        .stderr_has("replaced 2 old lines");
    let again = rows(&site);
    assert_eq!(again.len(), 4);
    assert_ne!(again[..2], first[..2], "new measurements of v1");
    assert_eq!(again[2..], first[2..], "v2 untouched");
    let meta = read(&site, META);
    assert_eq!(
        meta.matches("[[runs]]").count(),
        2,
        "the replaced run is gone: {meta}"
    );

    // A page shows the versions side by side.
    site.build().ok();
    let html = site.out("a.html");
    assert!(
        html.contains("Fake 1.0") && html.contains("Fake 2.0"),
        "{html}"
    );

    // Everything again, from scratch.
    site.run(&["bench", "--quiet", "--fresh"])
        .ok()
        .stderr_has("replaced 4 old lines");
    assert_eq!(read(&site, META).matches("[[runs]]").count(), 1);

    // A version whose runtime is missing is recorded as missing (with no
    // version), and that line gives way once the runtime is measured.
    std::fs::rename(site.root().join("rt/v2"), site.root().join("rt/v2-away")).unwrap();
    site.run(&["bench", "--quiet", "--fresh"]).ok();
    assert_eq!(
        versions(&site),
        ["", "1.0", "1.0"],
        "missing first, by version"
    );
    std::fs::rename(site.root().join("rt/v2-away"), site.root().join("rt/v2")).unwrap();
    site.run(&["bench", "--quiet", "--runtime", "v2"]).ok();
    assert_eq!(versions(&site), ["1.0", "1.0", "2.0", "2.0"]);

    site.run(&["bench", "--fresh", "--runtime", "v1"])
        .fails(2)
        .stderr_has("cannot be used with");
    site.run(&["bench", "--runtime", "v3"])
        .fails(2)
        .stderr_has("no runtime `v3`: the runtimes are: v1, v2");
}

#[test]
fn server_memory_counts_every_process_of_the_server() {
    let Some(_) = require_program("python3") else {
        return;
    };
    // The server is a shell that starts Python in the background: the
    // shell alone holds well under a MiB, so more means its child counted.
    let text = "[[benchmark]]\nname = \"m\"\nresults = \"r\"\nwarmup = 0\nruns = 2\n\
        command = \"python3 -c 'import socket,sys; socket.create_connection((\\\"127.0.0.1\\\", int(sys.argv[1]))).close()' {port}\"\n\
        subjects = [{ name = \"S\", server = \"sh -c 'python3 -m http.server --bind 127.0.0.1 {port} & wait'\" }]\n\
        [[benchmark.measure]]\nfrom = \"server_memory\"\n";
    let site = Site::new().file(DEFS, text);
    site.run(&["bench", "--quiet"]).ok();
    let r = rows(&site);
    assert_eq!(r.len(), 2);
    for row in &r {
        assert_eq!((row[2].as_str(), row[3].as_str()), ("server memory", "MiB"));
        let mib: f64 = row[4].parse().unwrap();
        assert!(mib > 4.0 && mib < 500.0, "{row:?}");
    }
    let bad = "[[benchmark]]\nname = \"m\"\nresults = \"r\"\nsubjects = [{ name = \"S\", command = \"true\" }]\n[[benchmark.measure]]\nfrom = \"server_memory\"\n";
    Site::new()
        .file(DEFS, bad)
        .run(&["bench"])
        .fails(1)
        .stderr_has("subject `S` has no `server`");
}

#[test]
fn list_and_unknown_names() {
    let site = Site::new().file(DEFS, &defs(&[("S", "sh -c true")], ""));
    let run = site.run(&["bench", "--list"]).ok();
    assert!(
        run.stdout
            .contains("\nb  -> r.csv: tiny; S; 3 runs after 1 warm-up; time"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.starts_with("runtime python3: Python (python3)"));
    site.run(&["bench", "c"])
        .fails(2)
        .stderr_has("no benchmark `c`");
    assert!(!site.root().join(CSV).exists());
    Site::new()
        .run(&["bench"])
        .fails(2)
        .stderr_has("no benchmark definitions");
}

#[test]
fn runs_go_round_the_subjects() {
    let order = |s: &str| format!("sh -c 'echo {s} >> order.txt'");
    let site = Site::new().file(
        DEFS,
        &defs(&[("A", &order("A")), ("B", &order("B"))], "dir = \".\"\n"),
    );
    site.run(&["bench", "--quiet"]).ok();
    let written = read(&site, "content/benchmarks/order.txt");
    assert_eq!(
        written.split_whitespace().collect::<Vec<_>>(),
        ["A", "B", "A", "B", "A", "B", "A", "B"],
        "warm-up then three runs, alternating"
    );
}

#[test]
fn the_machine_its_calibration_and_the_client_cpu_are_recorded_and_shown() {
    let (Some(_), Some(_)) = (require_program("python3"), require_program("taskset")) else {
        return;
    };
    // A busy command pinned to one CPU: about all of that CPU.
    let busy = "taskset -c 0 python3 -c \"import time; t = time.time()\nwhile time.time() - t < 0.3: pass\"";
    let site = Site::new()
        .file(
            DEFS,
            &(defs(&[("Busy", busy)], "") + "\n[[benchmark.measure]]\nfrom = \"client_cpu\"\n"),
        )
        .file(
            "content/results.md",
            "+++\ntitle = \"Results\"\n+++\n\n{{ bench_table(data=\"benchmarks/results/r.csv\", metric=\"client CPU\") }}\n",
        );
    let run = site.run(&["bench", "--quiet"]).ok();
    assert!(run.stderr.contains("\ncalibration: "), "{}", run.stderr);
    assert!(run.stderr.contains("\ncpu: "), "{}", run.stderr);

    let cpu: Vec<f64> = rows(&site)
        .iter()
        .filter(|r| r[2] == "client CPU")
        .map(|r| {
            assert_eq!(r[3], "%");
            r[4].parse().unwrap()
        })
        .collect();
    assert_eq!(cpu.len(), 3, "one figure a measured run");
    assert!(cpu.iter().all(|c| *c > 0.0 && *c <= 101.0), "{cpu:?}");

    let meta: toml::Table = toml::from_str(&read(&site, META)).unwrap();
    let run = &meta["runs"][0];
    let hw = &run["hardware"];
    assert!(hw["logical_cpus"].as_integer().unwrap() >= 1, "{hw}");
    assert!(hw.get("kernel").is_some(), "{hw}");
    let cal = &run["calibration"];
    assert_eq!(cal["runs_ms"].as_array().unwrap().len(), 5);
    assert!(cal["median_ms"].as_float().unwrap() > 0.0);
    assert_eq!(
        cal["build"].as_str(),
        Some(if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        })
    );
    // The runs at 90% or more of the CPU allowed are the client-bound ones.
    let saturated = cpu.iter().filter(|c| **c >= 90.0).count();
    match run.get("client_bound") {
        None => assert_eq!(saturated, 0, "{cpu:?}"),
        Some(list) => {
            let b = &list[0];
            assert_eq!(b["subject"].as_str(), Some("Busy"));
            assert_eq!(b["runs"].as_integer(), Some(3));
            assert_eq!(b["saturated"].as_integer(), Some(saturated as i64));
        }
    }

    site.build().ok();
    let html = site.out("results.html");
    assert!(html.contains("; calibration loop "), "{html}");
    assert_eq!(
        html.contains("Client-bound: the load generator"),
        saturated > 0,
        "{html}"
    );
}
