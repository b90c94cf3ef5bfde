//! Lighthouse, mobile preset, on every page of the bundled site and of a
//! site `versus init` makes: 100 in performance, accessibility, best
//! practices and SEO, served over HTTP under a sub-path as GitHub Pages
//! serves it (tests/browser/lighthouse.mjs).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use std::path::Path;
use std::process::Command;

/// Node, when Chromium, playwright-core and Lighthouse are all there.
fn lighthouse_tools() -> Option<std::path::PathBuf> {
    let node = common::browser_tools()?;
    let lh = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/node_modules/lighthouse");
    if !lh.is_dir() {
        assert!(
            !common::in_ci(),
            "Lighthouse is required under CI=true: run .ci/run"
        );
        eprintln!("SKIPPED: no {} (run .ci/run to install it)", lh.display());
        return None;
    }
    Some(node)
}

fn build(root: &Path, out: &Path) {
    let run = Command::new(common::BIN)
        .args(["build", "--quiet", "--root"])
        .arg(root)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

#[test]
fn every_page_scores_100_on_a_phone() {
    let Some(node) = lighthouse_tools() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let bundled = tmp.path().join("bundled");
    build(Path::new(env!("CARGO_MANIFEST_DIR")), &bundled);
    let init = tmp.path().join("init");
    let run = Command::new(common::BIN)
        .args(["init", "--title", "My comparison"])
        .arg(&init)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let init_out = init.join("public");
    build(&init, &init_out);
    for site in [&bundled, &init_out] {
        common::run_browser_script(&node, "lighthouse.mjs", &[site.to_str().unwrap()]);
    }
}
