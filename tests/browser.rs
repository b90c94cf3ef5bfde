//! Tests in real headless Chromium (Debian's `chromium`), driven by
//! playwright-core from Node. Skipped with a reason where those are missing,
//! failed under CI=true.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use std::path::Path;

use common::Site;

use common::{browser_tools, run_browser_script as run_script};

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
