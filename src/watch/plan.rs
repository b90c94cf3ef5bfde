//! What a changed path is to the site ([`classify`]) and what a batch of
//! changes requires ([`plan`]): pure decisions, tested without files.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::content::walk::{FileKind, classify as classify_file, is_ignored};

/// What a changed path is to the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// `versus.toml`.
    Config,
    /// A template or theme file, or the site's `templates/` or `i18n/`.
    Theme,
    /// A file under the site's `static/`.
    Static,
    /// A page under `content/` (path relative to it).
    Page(String),
    /// A data file under `content/`.
    Data(String),
    /// Any other file under `content/`.
    Asset(String),
    /// A file elsewhere in the site (code files included by pages).
    Other(PathBuf),
}

/// Sorts a path the watcher reported; `None` for paths to ignore (editor
/// leftovers, hidden files, the output folder, build folders).
pub fn classify(root: &Path, out: &Path, path: &Path) -> Option<Change> {
    let rel = path.strip_prefix(root).ok()?;
    if path.starts_with(out) || rel.as_os_str().is_empty() {
        return None;
    }
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.iter().any(|p| is_ignored(p)) || parts[0] == "target" || parts[0] == "node_modules" {
        return None;
    }
    let under = |n: usize| parts[n..].join("/");
    match parts[0].as_str() {
        "versus.toml" if parts.len() == 1 => Some(Change::Config),
        // The site's words (i18n/LANG.toml) are the theme's too.
        "themes" | "templates" | "i18n" => Some(Change::Theme),
        "static" => Some(Change::Static),
        "content" if parts.len() > 1 => {
            let rel = under(1);
            Some(match classify_file(&rel) {
                FileKind::Page => Change::Page(rel),
                FileKind::Data => Change::Data(rel),
                FileKind::Asset => Change::Asset(rel),
            })
        }
        "content" => Some(Change::Theme),
        _ => Some(Change::Other(path.to_path_buf())),
    }
}

/// What a batch of changes requires.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// Rebuild everything (configuration, theme, or the set of pages changed).
    pub full: bool,
    /// Pages edited in place (paths under content/).
    pub pages: BTreeSet<String>,
    /// Data files edited in place.
    pub data: BTreeSet<String>,
    /// Other files edited in place (included code).
    pub files: BTreeSet<PathBuf>,
    /// Content assets to copy again (or drop when gone).
    pub assets: BTreeSet<String>,
    /// The site's static files changed.
    pub statics: bool,
}

/// Decides what to rebuild. `known(rel)` says whether a page or data file
/// was part of the last build; `exists(change)` whether the path exists now.
pub fn plan(changes: &[(Change, bool)], known: impl Fn(&str) -> bool) -> Plan {
    let mut p = Plan::default();
    for (change, exists) in changes {
        match change {
            Change::Config | Change::Theme => p.full = true,
            // A page or data file appearing or vanishing changes navigation and links.
            // A file that came and went within one burst (an editor's temp file) is nothing.
            Change::Page(rel) | Change::Data(rel) | Change::Asset(rel)
                if !*exists && !known(rel) => {}
            Change::Page(rel) | Change::Data(rel) if !*exists || !known(rel) => p.full = true,
            Change::Page(rel) => {
                p.pages.insert(rel.clone());
            }
            Change::Data(rel) => {
                p.data.insert(rel.clone());
            }
            // A new or removed asset changes the list of files to copy.
            Change::Asset(rel) if !*exists || !known(rel) => p.full = true,
            Change::Asset(rel) => {
                p.assets.insert(rel.clone());
            }
            // A static file removed must disappear from the output: simplest by a full build.
            Change::Static if !*exists => p.full = true,
            Change::Static => p.statics = true,
            Change::Other(path) => {
                p.files.insert(path.clone());
            }
        }
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(root: &str, p: &str) -> Option<Change> {
        classify(Path::new(root), Path::new("/s/public"), Path::new(p))
    }

    #[test]
    fn classifies_paths() {
        assert_eq!(c("/s", "/s/versus.toml"), Some(Change::Config));
        assert_eq!(c("/s", "/s/templates/page.html"), Some(Change::Theme));
        assert_eq!(c("/s", "/s/i18n/fr.toml"), Some(Change::Theme));
        assert_eq!(
            c("/s", "/s/themes/default/static/style.css"),
            Some(Change::Theme)
        );
        assert_eq!(c("/s", "/s/static/x.png"), Some(Change::Static));
        assert_eq!(
            c("/s", "/s/content/a/b.md"),
            Some(Change::Page("a/b.md".into()))
        );
        assert_eq!(
            c("/s", "/s/content/d.csv"),
            Some(Change::Data("d.csv".into()))
        );
        assert_eq!(
            c("/s", "/s/content/i.png"),
            Some(Change::Asset("i.png".into()))
        );
        assert_eq!(
            c("/s", "/s/content/bench/fib.py"),
            Some(Change::Asset("bench/fib.py".into()))
        );
        assert_eq!(c("/s", "/s/public/index.html"), None);
        assert_eq!(c("/s", "/s/content/.a.md.swp"), None);
        assert_eq!(c("/s", "/s/content/a.md~"), None);
        assert_eq!(c("/s", "/s/content/4913"), None);
        assert_eq!(c("/s", "/s/target/debug/x"), None);
        assert_eq!(c("/s", "/elsewhere/x"), None);
    }

    #[test]
    fn plans() {
        let known = |r: &str| r == "a.md" || r == "d.csv";
        let p = plan(&[(Change::Page("a.md".into()), true)], known);
        assert!(!p.full && p.pages.contains("a.md"));
        assert!(
            plan(&[(Change::Page("new.md".into()), true)], known).full,
            "a new page"
        );
        assert_eq!(
            plan(&[(Change::Asset("sedX1".into()), false)], known),
            Plan::default(),
            "a temp file"
        );
        assert!(
            plan(&[(Change::Page("a.md".into()), false)], known).full,
            "a deleted page"
        );
        assert!(plan(&[(Change::Config, true)], known).full);
        assert!(plan(&[(Change::Theme, true)], known).full);
        let known = |r: &str| r == "a.md" || r == "d.csv" || r == "i.png";
        let p = plan(
            &[
                (Change::Data("d.csv".into()), true),
                (Change::Asset("i.png".into()), true),
            ],
            known,
        );
        assert!(!p.full && p.data.contains("d.csv") && p.assets.contains("i.png"));
        assert!(
            plan(&[(Change::Asset("i.png".into()), false)], known).full,
            "a removed asset"
        );
        assert!(plan(&[(Change::Static, false)], known).full);
    }
}
