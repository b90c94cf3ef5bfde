//! Lighthouse, mobile preset, on every page of the bundled site and of a
//! site `versus init` makes: 100 in performance, accessibility, best
//! practices and SEO, served over HTTP under a sub-path as GitHub Pages
//! serves it (tests/browser/lighthouse.mjs).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use std::path::Path;

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

#[test]
fn every_page_scores_100_on_a_phone() {
    let Some(node) = lighthouse_tools() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let bundled = tmp.path().join("bundled");
    common::build_into(Path::new(env!("CARGO_MANIFEST_DIR")), &bundled);
    let init = tmp.path().join("init");
    common::versus_ok(tmp.path(), ["init", "--title", "My comparison", "init"]);
    let init_out = init.join("public");
    common::build_into(&init, &init_out);
    for site in [&bundled, &init_out] {
        common::run_browser_script(&node, "lighthouse.mjs", &[site.to_str().unwrap()]);
    }
}
