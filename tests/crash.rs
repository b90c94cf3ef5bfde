//! Crash safety: `versus build` killed with SIGKILL at random points leaves
//! the output folder as the old site or the new one, never a mix, and the
//! next build succeeds and leaves no temporary folder behind.
//!
//! Two sites, A and B (every page's text differs, B has a page A lacks and
//! lacks one A has), are built once each into reference folders. Then builds
//! alternate between them into one shared output folder, and each is killed
//! after a random delay between 0 and 1.2 times an uninterrupted build's
//! duration (the median of the uninterrupted builds so far, one more after
//! every ten kills, so the delays follow the machine's load); after each kill the whole output tree (names and contents) must
//! equal one of the references exactly. The delays come from a seeded
//! generator: the seed is printed, `CRASH_SEED=N` repeats the delays and
//! `CRASH_KILLS=N` changes the number of kills (default 25).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{BIN, Rng, snapshot};

type Tree = Vec<(String, Vec<u8>)>;

/// Writes a site of `groups` × `per_group` pages; `variant` changes every
/// page's text, and site B adds `g0/extra.md` and drops `g1/p5.md`.
fn write_site(root: &Path, variant: &str, groups: usize, per_group: usize) {
    let w = |rel: &str, text: String| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    w("versus.toml", "title = \"Crash test\"\n".into());
    w(
        "content/_index.md",
        format!("+++\ntitle = \"Home {variant}\"\n+++\nSite {variant}.\n"),
    );
    for g in 0..groups {
        w(
            &format!("content/g{g}/_index.md"),
            format!("+++\ntitle = \"Group {g}\"\n+++\nGroup {g} of site {variant}.\n"),
        );
        for p in 0..per_group {
            if variant == "B" && g == 1 && p == 5 {
                continue;
            }
            let mut body = String::new();
            for part in 0..3 {
                body.push_str(&format!(
                    "## Part {part}\n\nSite {variant}, page {g}-{p}, part {part}: some *text* with `code`.\n\n- one\n- two\n\n```python\ndef f{part}(x):\n    return x + {part}  # {variant}\n```\n\n"
                ));
            }
            w(
                &format!("content/g{g}/p{p}.md"),
                format!("+++\ntitle = \"Page {g}-{p}\"\nweight = {p}\n+++\n{body}"),
            );
        }
    }
    if variant == "B" {
        w(
            "content/g0/extra.md",
            "+++\ntitle = \"Extra\"\n+++\nOnly in site B.\n".into(),
        );
    }
}

/// Builds `root` into `out` uninterrupted; how long it took.
fn build(root: &Path, out: &Path) -> Duration {
    let start = Instant::now();
    common::build_into(root, out);
    start.elapsed()
}

/// Staging folders (`.public.versus-new-PID`) beside the output.
fn leftovers(parent: &Path) -> Vec<String> {
    std::fs::read_dir(parent)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public.versus-new-"))
        .collect()
}

/// After a build that was not killed, `out_dir/public` holds `want`
/// exactly and no staging folder is left beside it.
#[track_caller]
fn assert_good_build(out_dir: &Path, want: &Tree, when: &str) {
    assert_eq!(
        snapshot(&out_dir.join("public")),
        *want,
        "a build {when} writes its site exactly"
    );
    let left = leftovers(out_dir);
    assert!(
        left.is_empty(),
        "temporary folders remain after a good build: {left:?}"
    );
}

/// What differs between a tree and a reference, shortly.
fn describe(got: &Tree, want: &Tree) -> String {
    let names = |t: &Tree| {
        t.iter()
            .map(|(n, _)| n.clone())
            .collect::<std::collections::BTreeSet<_>>()
    };
    let (g, w) = (names(got), names(want));
    let missing: Vec<_> = w.difference(&g).take(5).collect();
    let extra: Vec<_> = g.difference(&w).take(5).collect();
    let differ: Vec<_> = got
        .iter()
        .filter(|(n, b)| want.iter().any(|(m, c)| m == n && c != b))
        .map(|(n, _)| n)
        .take(5)
        .collect();
    format!(
        "{} files (reference {}); missing {missing:?}; extra {extra:?}; different {differ:?}",
        got.len(),
        want.len()
    )
}

#[test]
fn a_killed_build_leaves_the_old_site_or_the_new_one() {
    let seed = common::seed("CRASH_SEED");
    let kills = common::env_num("CRASH_KILLS", 25) as usize;
    eprintln!("crash: seed {seed} (repeat the delays with CRASH_SEED={seed}), {kills} kills");
    let mut rng = Rng::new(seed);

    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("site-a"), tmp.path().join("site-b"));
    write_site(&a, "A", 8, 25);
    write_site(&b, "B", 8, 25);
    let out_dir = tmp.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let public = out_dir.join("public");
    let sites = [(&a, "A"), (&b, "B")];

    // References, each built in a folder of its own.
    build(&a, &tmp.path().join("ref-a"));
    build(&b, &tmp.path().join("ref-b"));
    let refs = [
        snapshot(&tmp.path().join("ref-a")),
        snapshot(&tmp.path().join("ref-b")),
    ];
    assert_ne!(refs[0], refs[1], "sites A and B must differ");

    // An uninterrupted build's duration: the median of the builds into the
    // shared folder so far (three now, one more after every ten kills, so
    // the delays follow the machine's load).
    let mut durations = vec![build(&b, &public), build(&a, &public), build(&b, &public)];
    let median = |d: &mut Vec<Duration>| {
        d.sort();
        d[d.len() / 2]
    };
    let mut took = median(&mut durations);
    assert_eq!(
        snapshot(&public),
        refs[1],
        "an uninterrupted build writes B"
    );
    eprintln!(
        "crash: an uninterrupted build takes {:.0} ms ({} files)",
        took.as_secs_f64() * 1000.0,
        refs[1].len()
    );

    let mut current = 1; // public/ holds B
    let (mut old, mut new, mut finished) = (0, 0, 0);
    let (mut mid_write, mut mid_cleanup) = (0, 0);
    let mut max_left = 0;
    let mut outcomes = Vec::new();
    let mut good_builds = 0;
    for kill in 0..kills {
        if kill > 0 && kill % 10 == 0 {
            // A normal build after a kill succeeds, writes its site exactly
            // and leaves no temporary folder.
            let target = 1 - current;
            durations.push(build(sites[target].0, &public));
            took = median(&mut durations);
            assert_good_build(&out_dir, &refs[target], &format!("after kill {kill}"));
            current = target;
            good_builds += 1;
        }
        let target = 1 - current;
        let delay = took.mul_f64(1.2 * rng.unit());
        let mut child = Command::new(BIN)
            .args(["build", "--quiet", "--out"])
            .arg(&public)
            .current_dir(sites[target].0)
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let ended_first = child.try_wait().unwrap().is_some();
        if !ended_first {
            child.kill().unwrap(); // SIGKILL
        }
        let status = child.wait().unwrap();
        // The killed build's own staging folder, if it was left: how far it got.
        let staging = out_dir.join(format!(".public.versus-new-{}", child.id()));
        let staged = staging
            .is_dir()
            .then(|| walkdir::WalkDir::new(&staging).into_iter().count() - 1);
        let tree = snapshot(&public);
        let outcome = if tree == refs[current] {
            old += 1;
            if staged.is_some() {
                mid_write += 1;
                "old, mid-write"
            } else {
                "old, before writing"
            }
        } else if tree == refs[target] {
            current = target;
            new += 1;
            if staged.is_some() {
                mid_cleanup += 1;
                "new, old site half removed"
            } else {
                "new"
            }
        } else {
            panic!(
                "kill {kill} (seed {seed}) after {delay:?} of a build of {} over {}: public/ is neither site: against {}: {}; against {}: {}",
                sites[target].1,
                sites[current].1,
                sites[current].1,
                describe(&tree, &refs[current]),
                sites[target].1,
                describe(&tree, &refs[target]),
            );
        };
        if ended_first {
            assert!(
                status.success() && outcome == "new" && staged.is_none(),
                "kill {kill}: the build ended by itself but failed ({status:?}) or left {outcome}"
            );
            finished += 1;
        }
        let left = leftovers(&out_dir);
        max_left = max_left.max(left.len());
        assert!(
            left.len() <= 1,
            "kill {kill}: temporary folders pile up beside public/: {left:?}"
        );
        outcomes.push(format!(
            "{:.0}% {}{}",
            delay.as_secs_f64() / took.as_secs_f64() * 100.0,
            if ended_first {
                "ended by itself"
            } else {
                outcome
            },
            staged.map_or(String::new(), |n| format!(" ({n} entries staged)"))
        ));
    }

    // A normal build after all that succeeds and cleans up.
    let target = 1 - current;
    build(sites[target].0, &public);
    good_builds += 1;
    assert_good_build(&out_dir, &refs[target], "after the kills");
    eprintln!(
        "crash: {kills} kills: {old} left the old site ({mid_write} of them mid-write, a partial temporary folder left), {} the new one ({mid_cleanup} while removing the old site), {finished} builds had ended before their kill; at most {max_left} temporary folder beside public/ at once; {good_builds} normal builds after kills succeeded and cleaned up; a build took {:.0} ms (median of {})",
        new - finished,
        took.as_secs_f64() * 1000.0,
        durations.len()
    );
    eprintln!(
        "crash: delay as % of a build, outcome:\n  {}",
        outcomes.join("\n  ")
    );
}
