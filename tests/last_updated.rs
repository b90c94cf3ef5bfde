//! Last updated from git: each page is dated by its file's last commit,
//! shown on the page and used for the sitemap and the feed; front matter
//! `updated` overrides it; outside git or in a shallow clone versus says so
//! once and falls back to front matter.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Command;

use common::Site;

/// Runs git in `dir` with a fixed author, committer and `date`.
#[track_caller]
fn git(dir: &Path, args: &[&str], date: &str) {
    let out = Command::new("git")
        .args(["-c", "user.name=T", "-c", "user.email=t@example.org"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A site in a git repository: a.md committed on 2023-01-02, b.md on
/// 2024-03-04 (with a front matter `date`); None without git.
fn committed_site() -> Option<Site> {
    common::require_program("git")?;
    let site = Site::new()
        .file(
            "versus.toml",
            "title = \"T\"\nbase_url = \"https://example.org\"\n",
        )
        .file("content/_index.md", "# Home\n")
        .file("content/a.md", "# A\n\nText.\n")
        .file(
            "content/b.md",
            "+++\ndate = 2022-05-06\n+++\n# B\n\nText.\n",
        );
    git(site.root(), &["init", "-q"], "2023-01-02T10:00:00Z");
    git(
        site.root(),
        &["add", "content", "versus.toml"],
        "2023-01-02T10:00:00Z",
    );
    git(
        site.root(),
        &["commit", "-qm", "one"],
        "2023-01-02T10:00:00Z",
    );
    site.write(
        "content/b.md",
        "+++\ndate = 2022-05-06\n+++\n# B\n\nMore text.\n",
    );
    git(
        site.root(),
        &["commit", "-qam", "two"],
        "2024-03-04T05:06:07+02:00",
    );
    Some(site)
}

#[test]
fn pages_are_dated_by_their_last_commit_in_the_page_the_sitemap_and_the_feed() {
    let Some(site) = committed_site() else { return };
    site.build().ok().stderr_lacks("last updated:");
    let a = site.out("a.html");
    assert!(
        a.contains("Last updated <time datetime=\"2023-01-02\">2023-01-02</time>"),
        "{a}"
    );
    assert!(site.out("b.html").contains("datetime=\"2024-03-04\""));
    let sitemap = site.out("sitemap.xml");
    assert!(
        sitemap
            .contains("<loc>https://example.org/a.html</loc>\n    <lastmod>2023-01-02</lastmod>"),
        "{sitemap}"
    );
    assert!(
        sitemap.contains("<lastmod>2024-03-04</lastmod>"),
        "{sitemap}"
    );
    let atom = site.out("atom.xml");
    assert!(
        atom.contains("<updated>2024-03-04T05:06:07+02:00</updated>\n    <published>2022-05-06T00:00:00Z</published>"),
        "{atom}"
    );
    // Only pages with a front matter date are in the feed.
    assert!(!atom.contains("a.html"), "{atom}");
}

#[test]
fn front_matter_updated_wins_and_uncommitted_edits_keep_the_commit_date() {
    let Some(site) = committed_site() else { return };
    site.write(
        "content/a.md",
        "+++\nupdated = 2025-07-08\n+++\n# A\n\nText.\n",
    );
    site.write(
        "content/b.md",
        "+++\ndate = 2022-05-06\n+++\n# B\n\nEdited.\n",
    );
    site.write("content/c.md", "# C, never committed\n");
    site.build().ok();
    assert!(site.out("a.html").contains("datetime=\"2025-07-08\""));
    assert!(site.out("b.html").contains("datetime=\"2024-03-04\""));
    assert!(!site.out("c.html").contains("Last updated"));
    let sitemap = site.out("sitemap.xml");
    assert!(
        sitemap.contains("<lastmod>2025-07-08</lastmod>"),
        "{sitemap}"
    );
    assert!(
        sitemap.contains("c.html</loc>\n  </url>"),
        "an uncommitted page has no date: {sitemap}"
    );
}

#[test]
fn a_commit_dates_a_page_again_in_a_cached_build() {
    let Some(site) = committed_site() else { return };
    site.run(&["build"]).ok();
    site.write("content/a.md", "# A\n\nNew text.\n");
    site.run(&["build"]).ok();
    assert!(site.out("a.html").contains("datetime=\"2023-01-02\""));
    // The text is as the last build read it: only the date is new.
    git(
        site.root(),
        &["commit", "-qam", "three"],
        "2025-01-01T00:00:00Z",
    );
    site.run(&["build"])
        .ok()
        .stderr_has("(1 rendered, the others kept from .versus/)");
    assert!(site.out("a.html").contains("datetime=\"2025-01-01\""));
    assert!(
        site.out("sitemap.xml")
            .contains("<lastmod>2025-01-01</lastmod>")
    );
}

#[test]
fn outside_git_or_in_a_shallow_clone_versus_says_so_once_and_uses_front_matter() {
    let site = Site::new()
        .file("content/a.md", "+++\nupdated = 2025-07-08\n+++\n# A\n")
        .file("content/b.md", "# B\n");
    let run = site.run(&["build"]).ok();
    assert_eq!(
        run.stderr.matches("last updated:").count(),
        1,
        "{}",
        run.stderr
    );
    run.stderr_has("last updated: the site is not in a git work tree, pages are dated by `updated` and `date` in front matter\nbuilt ");
    assert!(site.out("a.html").contains("datetime=\"2025-07-08\""));
    assert!(!site.out("b.html").contains("Last updated"));
    site.write("versus.toml", "title = \"T\"\ngit_dates = false\n");
    site.run(&["build"]).ok().stderr_lacks("last updated:");

    let Some(origin) = committed_site() else {
        return;
    };
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", origin.root().display());
    git(
        clone.path(),
        &["clone", "-q", "--depth", "1", &url, "site"],
        "2025-01-01T00:00:00Z",
    );
    let out = Command::new(common::BIN)
        .args(["build", "--quiet"])
        .current_dir(clone.path().join("site"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(stderr.matches("last updated:").count(), 1, "{stderr}");
    assert!(stderr.contains("the git clone is shallow"), "{stderr}");
    let b = std::fs::read_to_string(clone.path().join("site/public/b.html")).unwrap();
    assert!(!b.contains("Last updated"), "{b}");
}
