//! Edit links: with `edit_url` in versus.toml every page links to the
//! address that edits its source, and every table and chart to the one
//! that edits its data file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Site;

const EDIT: &str = "edit_url = \"https://github.com/o/r/edit/main/{path}\"\n";
const MATRIX: &str = "title = \"M\"\nsubjects = [\"X\", \"Y\"]\n\n[[rows]]\ncriterion = \"Speed\"\nX = \"fast\"\nY = \"slow\"\nedge = \"X\"\n";
const CSV: &str = "benchmark,subject,value\nfib,A,1.5\nfib,B,2.5\n";

fn site() -> Site {
    Site::new()
        .file("versus.toml", &format!("title = \"T\"\n{EDIT}"))
        .file("content/_index.md", "# Home\n")
        .file("content/data/m x.toml", MATRIX)
        .file("content/data/cpu.csv", CSV)
        .file(
            "content/guide/speed.md",
            "# Speed\n\n{{ compare(data=\"../data/m x.toml\") }}\n\n{{ bench_table(data=\"../data/cpu.csv\") }}\n\n{{ bench_chart(data=\"../data/cpu.csv\") }}\n",
        )
}

#[test]
fn every_page_and_every_data_file_shown_gets_its_edit_link() {
    let site = site();
    site.build().ok();
    let page = site.out("guide/speed.html");
    let edit = "https://github.com/o/r/edit/main/content";
    assert!(
        page.contains(&format!(
            "<a href=\"{edit}/guide/speed.md\">Edit this page</a>"
        )),
        "{page}"
    );
    assert_eq!(
        page.matches(&format!(
            "Edit the data: <a href=\"{edit}/data/m%20x.toml\">data/m x.toml</a>"
        ))
        .count(),
        1,
        "{page}"
    );
    assert_eq!(
        page.matches(&format!("<a href=\"{edit}/data/cpu.csv\">data/cpu.csv</a>"))
            .count(),
        2,
        "the table and the chart: {page}"
    );
    assert!(
        site.out("index.html")
            .contains(&format!("{edit}/_index.md"))
    );
    // A generated section page has no source to edit.
    assert!(!site.out("guide/index.html").contains("Edit this page"));
    common::assert_valid_html(&site.public());
}

#[test]
fn without_edit_url_there_is_no_edit_link() {
    let site = site().file("versus.toml", "title = \"T\"\n");
    site.build().ok();
    let page = site.out("guide/speed.html");
    assert!(!page.contains("Edit this page") && !page.contains("Edit the data"));
}

#[test]
fn a_site_in_a_folder_of_its_repository_links_to_its_path_there() {
    if common::require_program("git").is_none() {
        return;
    }
    let repo = tempfile::tempdir().unwrap();
    let init = std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(repo.path())
        .status()
        .unwrap();
    assert!(init.success());
    let root = repo.path().join("docs/site");
    common::copy_dir(site().root(), &root);
    common::versus_ok(&root, ["build", "--quiet"]);
    let page = std::fs::read_to_string(root.join("public/guide/speed.html")).unwrap();
    assert!(
        page.contains("href=\"https://github.com/o/r/edit/main/docs/site/content/guide/speed.md\""),
        "{page}"
    );
}

#[test]
fn an_edit_url_without_its_path_is_an_error_at_the_key() {
    Site::new()
        .file(
            "versus.toml",
            "title = \"T\"\nedit_url = \"https://github.com/o/r/edit/main/\"\n",
        )
        .file("content/a.md", "# A\n")
        .build()
        .fails(1)
        .stderr_has("error: invalid versus.toml: `edit_url` has no `{path}`, where each file's path goes\n  --> versus.toml:2:12")
        .stderr_has("help: write it as in `edit_url = \"https://github.com/OWNER/REPO/edit/main/{path}\"`");
}

#[test]
fn the_bundled_site_edits_its_pages_in_the_repository_cargo_toml_names() {
    let (out, _) = common::build_bundled(&[]);
    let page = std::fs::read_to_string(out.path().join("public/speed.html")).unwrap();
    let edit = format!(
        "<a href=\"{}/edit/main/content/speed.md\">Edit this page</a>",
        env!("CARGO_PKG_REPOSITORY")
    );
    assert!(page.contains(&edit), "{edit} in\n{page}");
    assert!(page.contains("Edit the data: <a href=\""), "{page}");
}
