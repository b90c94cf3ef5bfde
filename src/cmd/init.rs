//! `versus init DIR`: a small site that builds as it is, showing the main
//! features (front matter, a code group, a comparison table).

use std::fs;

use crate::cli::InitArgs;
use crate::error::{Error, IoContext, Result};

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
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

fn scaffold(title: &str) -> Vec<(&'static str, String)> {
    let title_toml = toml::Value::String(title.to_string()).to_string();
    vec![
        (
            "versus.toml",
            format!(
                "# Site configuration: every key is described in the versus README.\n\
                 title = {title_toml}\n\
                 description = \"A comparison built with versus\"\n\
                 # base_url = \"https://example.github.io/my-site\"\n\
                 # cname = \"docs.example.com\"   # a custom domain for GitHub Pages\n\n\
                 [highlight]\n\
                 light_theme = \"InspiredGitHub\"\n\
                 dark_theme = \"OneHalfDark\"\n\n\
                 [extra]\n"
            ),
        ),
        (".gitignore", "/public\n".to_string()),
        // Publishing on GitHub Pages: the same workflow as versus's own.
        (".github/workflows/pages.yml", pages_workflow()),
        (
            "content/_index.md",
            format!(
                "+++\ntitle = {title_toml}\n+++\n\n\
                 Welcome. Start with [the first comparison](first-comparison.md).\n"
            ),
        ),
        (
            "content/first-comparison.md",
            "+++\n\
             title = \"Reading a file\"\n\
             description = \"The same task in two languages\"\n\
             weight = 1\n\
             +++\n\n\
             ## Side by side\n\n\
             Blocks with a `tab` attribute, one after the other, form a group of tabs.\n\n\
             ```js tab=\"Node.js\" title=\"read.mjs\"\n\
             import { readFile } from \"node:fs/promises\";\n\
             console.log(await readFile(\"notes.txt\", \"utf8\"));\n\
             ```\n\n\
             ```python tab=\"Python\" title=\"read.py\"\n\
             from pathlib import Path\n\
             print(Path(\"notes.txt\").read_text(encoding=\"utf-8\"))\n\
             ```\n\n\
             ## Notes\n\n\
             Back to [the top](#side-by-side).\n"
                .to_string(),
        ),
    ]
}
