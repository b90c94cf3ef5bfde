//! Tests in real headless Chromium (Debian's `chromium`), driven by
//! playwright-core from Node. Skipped with a reason where those are missing,
//! failed under CI=true.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::Site;

/// Node, Chromium and playwright-core, or None (skipping) outside CI.
fn browser_tools() -> Option<PathBuf> {
    let node = common::require_program("node")?;
    common::require_program("chromium")?;
    let pw = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/node_modules/playwright-core");
    if !pw.is_dir() {
        assert!(
            !common::in_ci(),
            "playwright-core is required under CI=true: run .ci/run"
        );
        eprintln!("SKIPPED: no {} (run .ci/run to install it)", pw.display());
        return None;
    }
    Some(node)
}

fn run_script(node: &Path, script: &str, args: &[&str]) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/browser")
        .join(script);
    let out = Command::new(node).arg(path).args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.contains("ok"),
        "{script} failed:\n{stdout}\n{stderr}"
    );
}

fn file_url(p: &Path) -> String {
    format!("file://{}", p.display())
}

#[test]
fn tabs_switch_every_group_and_are_remembered() {
    let Some(node) = browser_tools() else { return };
    let body = "+++\ntitle = \"Tabs\"\n+++\n## One\n\n```js tab=\"Node.js\"\nconsole.log(1)\n```\n```python tab=\"Python\"\nprint(1)\n```\n\n## Two\n\n```js tab=\"Node.js\"\nconsole.log(2)\n```\n```python tab=\"Python\"\nprint(2)\n```\n";
    let site = Site::new().file("content/tabs.md", body);
    site.build().ok();
    run_script(
        &node,
        "tabs.mjs",
        &[&file_url(&site.public().join("tabs.html"))],
    );
}

#[test]
fn search_from_disk_finds_a_word_and_lands_on_its_heading() {
    let Some(node) = browser_tools() else { return };
    let filler: String = (1..=40)
        .map(|i| format!("Paragraph {i} about event loops, threads and processes.\n\n"))
        .collect();
    let site = Site::new()
        .file("content/_index.md", "+++\ntitle = \"Home\"\n+++\nSee [the guide](guide/io.md).\n")
        .file("content/threads.md", &format!("+++\ntitle = \"Threads\"\n+++\n## Pools\n\n{filler}"))
        .file(
            "content/guide/io.md",
            &format!(
                "+++\ntitle = \"Input and output\"\n+++\n## Reading\n\n{filler}## The kumquat section\n\n\
                 Only this page mentions the kumquat.\n\n## Writing\n\n{filler}"
            ),
        );
    site.build().ok();
    run_script(
        &node,
        "search.mjs",
        &[
            &file_url(&site.public().join("index.html")),
            "kumquat",
            "guide/io.html",
            "the-kumquat-section",
        ],
    );
}
