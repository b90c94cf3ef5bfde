//! `versus init DIR`: a small site that builds as it is, showing the main
//! features (front matter, a code group, a comparison table).

use std::fs;

use crate::cli::InitArgs;
use crate::report::error::{Error, IoContext, Result};

pub fn run(args: &InitArgs) -> Result<()> {
    let dir = &args.dir;
    if dir.join(crate::config::FILE_NAME).exists() {
        return Err(Error::Usage(format!(
            "{} already holds a versus site",
            dir.display()
        )));
    }
    let files = scaffold(&args.title);
    for (rel, _) in &files {
        let path = dir.join(rel);
        if path.exists() {
            return Err(Error::Usage(format!(
                "{} exists: init will not overwrite it",
                path.display()
            )));
        }
    }
    for (rel, text) in &files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).at(parent)?;
        }
        fs::write(&path, text).at(&path)?;
    }
    eprintln!(
        "created a site in {}: cd there and run `versus build`",
        dir.display()
    );
    Ok(())
}

/// The GitHub Pages workflow (docs/publishing.md), as versus's own
/// repository keeps it.
pub const PAGES_WORKFLOW: &str = include_str!("../../.github/workflows/pages.yml");

/// The Pages workflow for a new site: the release binary it downloads is
/// this versus's version, from the repository Cargo.toml names.
pub fn pages_workflow() -> String {
    PAGES_WORKFLOW
        .lines()
        .map(|line| {
            if line.starts_with("  VERSUS_REPO:") {
                format!("  VERSUS_REPO: {}", env!("CARGO_PKG_REPOSITORY"))
            } else if line.starts_with("  VERSUS_VERSION:") {
                format!("  VERSUS_VERSION: \"{}\"", env!("CARGO_PKG_VERSION"))
            } else if line.starts_with("# https://") && line.ends_with("/docs/publishing.md") {
                format!("# {}", docs_url("publishing.md"))
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// The address of `page` of versus's docs (docs/ in its repository), as
/// of the tag of this version: what the scaffold's comments point to.
pub fn docs_url(page: &str) -> String {
    format!(
        "{}/blob/v{}/docs/{page}",
        env!("CARGO_PKG_REPOSITORY"),
        env!("CARGO_PKG_VERSION")
    )
}

/// The files of a new site, as (path, text). The texts live under
/// src/cmd/init/; `{title}` in the `.in` ones becomes the title as a TOML
/// string, and `{docs}` the address of versus's docs folder.
fn scaffold(title: &str) -> Vec<(&'static str, String)> {
    let title_toml = toml::Value::String(title.to_string()).to_string();
    let docs = docs_url("");
    let docs = docs.trim_end_matches('/');
    let titled = |text: &str| text.replace("{docs}", docs).replace("{title}", &title_toml);
    vec![
        ("versus.toml", titled(include_str!("init/versus.toml.in"))),
        (".gitignore", "/public\n/.versus\n".to_string()),
        // Publishing on GitHub Pages: the same workflow as versus's own.
        (".github/workflows/pages.yml", pages_workflow()),
        (
            "content/_index.md",
            titled(include_str!("init/content/_index.md.in")),
        ),
        (
            "content/first-comparison.md",
            include_str!("init/content/first-comparison.md").to_string(),
        ),
    ]
}
