//! Redirects: a page's `aliases` write pages at its old addresses that
//! send readers on, and are checked against every file the site writes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Site;

fn page_with_aliases(aliases: &str) -> String {
    format!("+++\ntitle = \"Node vs Deno\"\naliases = {aliases}\n+++\n# Node vs Deno\n\nText.\n")
}

#[test]
fn aliases_write_redirect_pages_left_out_of_the_sitemap_and_search() {
    let site = Site::new()
        .file(
            "versus.toml",
            "title = \"T\"\nbase_url = \"https://example.org/site\"\n",
        )
        .file("content/_index.md", "# Home\n")
        .file(
            "content/runtimes/node-deno.md",
            &page_with_aliases(r#"["node-vs-deno.html", "/old/compare/", "old/x%20y.htm"]"#),
        );
    site.build().ok();
    let redirect = site.out("node-vs-deno.html");
    for part in [
        "<meta http-equiv=\"refresh\" content=\"0; url=runtimes/node-deno.html\">",
        "<link rel=\"canonical\" href=\"https://example.org/site/runtimes/node-deno.html\">",
        "<meta name=\"robots\" content=\"noindex\">",
        "<a href=\"runtimes/node-deno.html\">Node vs Deno</a>",
        "<html lang=\"en\">",
    ] {
        assert!(redirect.contains(part), "{part} in\n{redirect}");
    }
    let folder = site.out("old/compare/index.html");
    assert!(
        folder.contains("url=../../runtimes/node-deno.html\""),
        "{folder}"
    );
    assert!(
        site.out("old/x y.htm")
            .contains("../runtimes/node-deno.html")
    );
    let sitemap = site.out("sitemap.xml");
    assert!(sitemap.contains("runtimes/node-deno.html"), "{sitemap}");
    assert!(
        !sitemap.contains("node-vs-deno") && !sitemap.contains("old/"),
        "{sitemap}"
    );
    assert!(!common::search_text(&site.public()).contains("moved"));
    common::assert_links_resolve(&site.public());
    common::assert_valid_html(&site.public());
}

#[test]
fn a_removed_alias_leaves_no_file_behind_in_a_cached_build() {
    let site = Site::new()
        .file("content/_index.md", "# Home\n")
        .file("content/a.md", &page_with_aliases(r#"["b.html", "c/"]"#));
    site.run(&["build"]).ok();
    assert!(site.exists("b.html") && site.exists("c/index.html"));
    site.write("content/a.md", &page_with_aliases(r#"["c/"]"#));
    site.run(&["build"]).ok();
    assert!(!site.exists("b.html"), "the removed alias's page stayed");
    assert!(site.exists("c/index.html"));
    site.write("content/a.md", &page_with_aliases(r#"["c/", "d.html"]"#));
    site.run(&["build"]).ok();
    assert!(site.out("d.html").contains("url=a.html"));
}

#[test]
fn an_alias_taken_by_a_page_an_alias_or_a_file_is_an_error_at_its_place() {
    let site = Site::new()
        .file("content/_index.md", "# Home\n")
        .file("content/guide/b.md", "# B\n")
        .file("static/logo.html", "x")
        .file(
            "content/a.md",
            "+++\ntitle = \"A\"\naliases = [\n  \"guide/b.html\",\n  \"old.html\", \"old.html\",\n  \"logo.html\", \"print.html\",\n]\n+++\n# A\n",
        )
        .file(
            "content/c.md",
            "---\ntitle: C\naliases:\n  - /old.html\n  - ../up.html\n  - notes.txt\n---\n# C\n",
        );
    for command in [&["check"][..], &["build", "--quiet"][..]] {
        site.run(command)
            .fails(1)
            .stderr_has("alias `guide/b.html` writes guide/b.html, which is the page content/guide/b.md\n  --> content/a.md:4:4")
            .stderr_has("alias `old.html` writes old.html, which is another alias of this page\n  --> content/a.md:5:16")
            .stderr_has("which is the file static/logo.html\n  --> content/a.md:6:4")
            .stderr_has("which is the whole site to print\n  --> content/a.md:6:17")
            .stderr_has("alias `/old.html` writes old.html, which is an alias of content/a.md\n  --> content/c.md:4:5")
            .stderr_has("alias `../up.html` is not a path on this site\n  --> content/c.md:5:5")
            .stderr_has("alias `notes.txt` is not a path on this site\n  --> content/c.md:6:5")
            .stderr_has("help: a redirect is an HTML page");
    }
    assert!(!site.exists("old.html"));
}

#[test]
fn an_alias_where_a_folder_or_file_of_the_site_is_is_an_error() {
    Site::new()
        .file("content/_index.md", "# Home\n")
        .file("content/guide/b.md", "# B\n")
        .file(
            "content/a.md",
            "+++\naliases = [\"a.html/old/\", \"guide.html\", \"guide/b.html/x.html\"]\n+++\n# A\n",
        )
        .build()
        .fails(1)
        .stderr_has("alias `a.html/old/` writes a.html/old/index.html, which is inside a.html, a file of the site\n  --> content/a.md:2:13")
        .stderr_has("alias `guide/b.html/x.html` writes guide/b.html/x.html, which is inside guide/b.html, a file of the site")
        .stderr_lacks("`guide.html`");
}
