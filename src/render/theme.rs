//! Where templates and static files come from: the default theme embedded
//! in the binary, overridden file by file by the site's `themes/NAME/`, and
//! templates by the site's own `templates/`. The theme's words
//! (`i18n/LANG.toml`) are kept layer by layer: a site's `i18n/LANG.toml`
//! overrides them key by key ([`super::words`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::report::diagnostic::Diagnostic;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/theme_files.rs"));
}

/// A template's text and the path shown in errors about it.
#[derive(Debug, Clone)]
pub struct TemplateSource {
    pub shown: PathBuf,
    pub text: Arc<str>,
}

/// A static file to copy to the output root.
#[derive(Debug, Clone)]
pub enum StaticFile {
    Embedded(&'static [u8]),
    Disk(PathBuf),
}

/// The theme as this site sees it, overrides applied.
#[derive(Debug, Default)]
pub struct Theme {
    /// By template name (`page.html`, `partials/nav.html`).
    pub templates: BTreeMap<String, TemplateSource>,
    /// By output path (`style.css`).
    pub statics: BTreeMap<String, StaticFile>,
    /// The words files (`i18n/LANG.toml`), by language code, each list
    /// from the default theme's file to the site's own: later ones win.
    pub words: BTreeMap<String, Vec<TemplateSource>>,
}

/// Assembles the theme for the site at `root`.
pub fn load(root: &Path, theme_name: &str) -> Result<Theme, Vec<Diagnostic>> {
    let mut theme = Theme::default();
    let mut diags = Vec::new();
    for (rel, bytes) in embedded::FILES {
        add(
            &mut theme,
            rel,
            Path::new("<default theme>").join(rel),
            Origin::Embedded(bytes),
            &mut diags,
        );
    }
    let theme_dir = root.join("themes").join(theme_name);
    if theme_dir.is_dir() {
        overlay(&mut theme, root, &theme_dir, "", &mut diags);
    } else if theme_name != "default" {
        diags.push(
            Diagnostic::error(format!("theme `{theme_name}` not found: no folder themes/{theme_name}"))
                .with_help("set `theme` in versus.toml to a folder under themes/, or remove it for the default theme"),
        );
    }
    let site_templates = root.join("templates");
    if site_templates.is_dir() {
        overlay(&mut theme, root, &site_templates, "templates/", &mut diags);
    }
    let site_words = root.join("i18n");
    if site_words.is_dir() {
        overlay(&mut theme, root, &site_words, "i18n/", &mut diags);
    }
    if diags.is_empty() {
        Ok(theme)
    } else {
        Err(diags)
    }
}

enum Origin {
    Embedded(&'static [u8]),
    Disk(PathBuf),
}

/// Adds files under `dir`; `prefix` is prepended to their path under the theme.
fn overlay(theme: &mut Theme, root: &Path, dir: &Path, prefix: &str, diags: &mut Vec<Diagnostic>) {
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
    {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diags.push(Diagnostic::error(format!(
                    "cannot read {}: {e}",
                    dir.display()
                )));
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy();
        if !entry.file_type().is_file() || crate::content::walk::is_ignored(&name) {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let rel = format!(
            "{prefix}{}",
            rel.components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/")
        );
        let shown = entry
            .path()
            .strip_prefix(root)
            .unwrap_or(entry.path())
            .to_path_buf();
        add(
            theme,
            &rel,
            shown,
            Origin::Disk(entry.path().to_path_buf()),
            diags,
        );
    }
}

fn add(theme: &mut Theme, rel: &str, shown: PathBuf, source: Origin, diags: &mut Vec<Diagnostic>) {
    if let Some(name) = rel.strip_prefix("templates/") {
        let Some(text) = read_text(source, &shown, "template ", diags) else {
            return;
        };
        theme.templates.insert(
            name.to_string(),
            TemplateSource {
                shown,
                text: Arc::from(text),
            },
        );
    } else if let Some(lang) = rel
        .strip_prefix("i18n/")
        .and_then(|r| r.strip_suffix(".toml"))
        .filter(|l| !l.contains('/'))
    {
        let Some(text) = read_text(source, &shown, "", diags) else {
            return;
        };
        theme
            .words
            .entry(lang.to_string())
            .or_default()
            .push(TemplateSource {
                shown,
                text: Arc::from(text),
            });
    } else if let Some(name) = rel.strip_prefix("static/") {
        let file = match source {
            Origin::Embedded(b) => StaticFile::Embedded(b),
            Origin::Disk(p) => StaticFile::Disk(p),
        };
        theme.statics.insert(name.to_string(), file);
    }
}

/// The text of a template or words file (`what`: how an error names it).
fn read_text(
    source: Origin,
    shown: &Path,
    what: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    match source {
        Origin::Embedded(b) => Some(String::from_utf8_lossy(b).into_owned()),
        Origin::Disk(p) => std::fs::read_to_string(&p)
            .map_err(|e| {
                diags.push(Diagnostic::error(format!(
                    "cannot read {what}{}: {e}",
                    shown.display()
                )));
            })
            .ok(),
    }
}

/// The embedded default theme's files, for `versus init --eject` style uses and tests.
pub fn embedded_files() -> &'static [(&'static str, &'static [u8])] {
    embedded::FILES
}

/// Where a theme stylesheet wants the syntax highlighting rules: the
/// comment is replaced by them, so that a page needs one stylesheet only
/// (`highlight.css` is written as well, for themes that link it).
pub const HIGHLIGHT_MARKER: &str = "/* versus:highlight */";

/// A theme's static file as it is written: stylesheets get the
/// highlighting rules at [`HIGHLIGHT_MARKER`], and stylesheets and scripts
/// are minified (the `minifier` crate, as rustdoc uses). A file the
/// minifier cannot read is written as it is, with a warning.
pub fn prepare_static(
    rel: &str,
    bytes: &[u8],
    highlight_css: &str,
) -> (Vec<u8>, Option<Diagnostic>) {
    let kind = if rel.ends_with(".css") {
        "css"
    } else if rel.ends_with(".js") {
        "js"
    } else {
        return (bytes.to_vec(), None);
    };
    let Ok(text) = std::str::from_utf8(bytes) else {
        return (bytes.to_vec(), None);
    };
    let text = if kind == "css" {
        text.replacen(HIGHLIGHT_MARKER, highlight_css, 1)
    } else {
        text.to_string()
    };
    let minified = match kind {
        "css" => minifier::css::minify(&text).map(|m| m.to_string()),
        _ => minifier::js::minify(&text).map(|m| m.to_string()),
    };
    match minified {
        Ok(small) => (small.into_bytes(), None),
        Err(why) => (
            text.into_bytes(),
            Some(Diagnostic::warning(format!(
                "theme file {rel} written unminified: the minifier could not read it ({why})"
            ))),
        ),
    }
}
