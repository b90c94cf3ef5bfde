//! Walks `content/` in a deterministic order and sorts each file into pages,
//! data files and assets. Paths only: nothing is read here.

use std::path::{Path, PathBuf};

use crate::report::diagnostic::Diagnostic;

/// What a file under `content/` is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A Markdown page (`_index.md` is a section's own page).
    Page,
    /// A data file: CSV, JSON, TOML or YAML.
    Data,
    /// Anything else (images, downloads): copied to the output as it is.
    Asset,
}

#[derive(Debug, Clone)]
pub struct ContentFile {
    /// Path relative to `content/`, with `/` separators on every platform.
    pub rel: String,
    /// Path on disk.
    pub abs: PathBuf,
    pub kind: FileKind,
}

/// Lists the files under `dir`, sorted by path. Hidden files and editor
/// leftovers are skipped; symlinks are followed, and a loop is an error, as
/// is a link leading out of the site (the folder holding `dir`) and `dir`:
/// the output would publish whatever it points at (`/proc/self/environ`,
/// a key in the home folder).
pub fn walk(dir: &Path) -> (Vec<ContentFile>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diags = Vec::new();
    if !dir.is_dir() {
        return (files, diags);
    }
    let site = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let inside: Vec<PathBuf> = [site, dir]
        .iter()
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    let mut walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let path = err.path().map(Path::to_path_buf).unwrap_or_default();
                let what = if err.loop_ancestor().is_some() {
                    "symlink loop".to_string()
                } else {
                    err.io_error()
                        .map_or_else(|| err.to_string(), ToString::to_string)
                };
                diags.push(
                    Diagnostic::error(format!("cannot read {}: {what}", path.display()))
                        .with_help("remove the file or fix its permissions or link"),
                );
                continue;
            }
        };
        if entry.depth() > 0 && entry.path_is_symlink() {
            let real = std::fs::canonicalize(entry.path()).unwrap_or_default();
            if !inside.iter().any(|p| real.starts_with(p)) {
                diags.push(
                    Diagnostic::error(format!(
                        "{} leads outside the site (to {})",
                        entry.path().display(),
                        real.display()
                    ))
                    .with_help("copy the file into the site: only files inside the site's folder are published"),
                );
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                continue;
            }
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        files.push(ContentFile {
            kind: classify(&rel),
            rel,
            abs: entry.path().to_path_buf(),
        });
    }
    (files, diags)
}

/// Hidden files and the droppings of editors mid-save: `.#x` (Emacs locks),
/// `x~` (backups), `*.swp`/`*.swx` (vim), `4913` (vim's write test), `*.tmp`,
/// `#x#` (Emacs auto-saves), `x___jb_tmp___` (JetBrains safe write).
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || (name.starts_with('#') && name.ends_with('#'))
        || name.contains("___jb_tmp___")
        || name.contains("___jb_old___")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        // Caches that programs beside the content write (Python's bytecode
        // after `versus bench`, npm's packages): never part of the site.
        || name == "__pycache__"
        || name == "node_modules"
}

pub fn classify(rel: &str) -> FileKind {
    let ext = rel.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("md") => FileKind::Page,
        Some("csv" | "json" | "toml" | "yaml" | "yml") => FileKind::Data,
        _ => FileKind::Asset,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_leftovers_are_ignored() {
        for name in [
            ".#a.md",
            "a.md~",
            ".a.md.swp",
            "4913",
            ".hidden",
            "x.tmp",
            "__pycache__",
            "node_modules",
        ] {
            assert!(is_ignored(name), "{name}");
        }
        for name in ["a.md", "4914", "data.csv"] {
            assert!(!is_ignored(name), "{name}");
        }
    }

    #[test]
    fn classifies_by_extension() {
        assert_eq!(classify("a/b.md"), FileKind::Page);
        assert_eq!(classify("a/b.YML"), FileKind::Data);
        assert_eq!(classify("img.png"), FileKind::Asset);
        assert_eq!(classify("Makefile"), FileKind::Asset);
    }
}
