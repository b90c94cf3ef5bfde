//! `compare`: a comparison matrix as a table, its links resolved for the
//! page that shows it.

use tera::Context;

use super::runner::{Builtin, Download, Handler, Links, TeraShortcodes, wrong_kind};
use crate::data::Loaded;
use crate::data::matrix::Matrix;
use crate::deps::Input;
use crate::markdown::CallSite;
use crate::markdown::links::Resolved;
use crate::report::diagnostic::Diagnostic;
use crate::shortcode_syntax::{ArgSpec, ArgType, Placement, Spec};

pub const SPEC: Spec = Spec {
    name: "compare",
    placement: Placement::Block,
    args: &[
        ArgSpec::required("data", ArgType::Str),
        ArgSpec::opt("title", ArgType::Str),
    ],
};

pub const BUILTIN: Builtin = Builtin {
    spec: &SPEC,
    handler: Handler::Block(render),
};

/// The context of `compare`: the matrix, its title, and how many times the
/// page showed it before.
fn render(
    sc: &TeraShortcodes<'_>,
    site: &CallSite<'_>,
    ctx: &mut Context,
    links: &Links<'_>,
) -> Result<String, Diagnostic> {
    let (rel, loaded) = sc.data_file(site, ctx)?;
    let Ok(Loaded::Matrix(m)) = loaded.as_ref() else {
        return Err(wrong_kind(site, &rel, "a comparison matrix"));
    };
    let title = site.str("title")?;
    let lang = sc.lang(site);
    let mut m = m.in_language(lang);
    m.tally_text = m.tally_in(sc.word(site, "tally_tie"), &|n| {
        crate::text::locale::number(n as f64, 0, lang)
    });
    let m = &m;
    sc.matrix(m, &rel, site, ctx, links)?;
    if m.ties > 0 || m.tally.iter().any(|t| t.count > 0) {
        let headline = crate::render::card::Headline {
            text: m.tally_text.clone(),
            detail: title.or(m.title.as_deref()).unwrap_or_default().to_string(),
            from_matrix: true,
        };
        sc.shows(site.index, Some(headline));
    }
    ctx.insert("title", &title.or(m.title.as_deref()));
    let key = format!("{rel}\0{}", title.unwrap_or_default());
    ctx.insert("repeat", &sc.repeat(site.page, key));
    Ok(words(title.or(m.title.as_deref()), m))
}

/// What a reader may search a matrix for, in the page's language: its
/// title, each criterion, note and cell.
fn words(title: Option<&str>, m: &Matrix) -> String {
    let mut words: Vec<&str> = title.into_iter().collect();
    for row in &m.rows {
        words.push(&row.criterion);
        words.extend(row.note.as_deref());
        words.extend(row.cells.iter().map(|c| c.text.as_str()));
    }
    words.join(" ")
}

impl TeraShortcodes<'_> {
    /// The matrix with its links resolved, and the results files its
    /// figures come from.
    fn matrix(
        &self,
        m: &Matrix,
        rel: &str,
        site: &CallSite<'_>,
        ctx: &mut Context,
        links: &Links<'_>,
    ) -> Result<(), Diagnostic> {
        let m = with_html(m, links).map_err(|broken| {
            let src_err = self
                .store
                .source(rel)
                .map(|src| src.error_at_value(broken.to_string(), &broken.dest, 0));
            let d = src_err.unwrap_or_else(|d| d);
            site.data_error(&d.with_help("links in data are relative to the page that shows it"))
        })?;
        // Figures in the matrix come from results files: the page
        // depends on them, and publishes them.
        for rel in &m.figure_sources {
            self.recorder.page(site.index, Input::Data(rel.clone()));
        }
        let downloads: Vec<Download> = m
            .figure_sources
            .iter()
            .flat_map(|r| self.downloads(site.page, r))
            .collect();
        ctx.insert("downloads", &downloads);
        ctx.insert("matrix", &m);
        Ok(())
    }
}

/// A link in a matrix that leads nowhere: why, and the link as written
/// (what the diagnostic points at in the data file).
#[derive(Debug, thiserror::Error)]
#[error("{message} (in `{dest}`)")]
struct BrokenLink {
    message: String,
    dest: String,
}

/// The matrix with its criteria, notes and cells rendered for this page; a
/// broken link in them is an error (the first one found).
fn with_html(m: &Matrix, links: &Links<'_>) -> Result<Matrix, BrokenLink> {
    let mut m = m.clone();
    let mut broken: Option<BrokenLink> = None;
    let mut rewrite = |dest: &str| match links(dest) {
        Resolved::Unchanged => None,
        Resolved::Url(u) => Some(u),
        Resolved::Broken(message, _) => {
            broken.get_or_insert_with(|| BrokenLink {
                message,
                dest: dest.into(),
            });
            None
        }
    };
    for row in &mut m.rows {
        row.criterion_html = crate::render::inline_markdown_with(&row.criterion, &mut rewrite);
        row.note_html = row
            .note
            .as_deref()
            .map(|n| crate::render::inline_markdown_with(n, &mut rewrite))
            .unwrap_or_default();
        for cell in &mut row.cells {
            cell.html = crate::render::inline_markdown_with(&cell.text, &mut rewrite);
        }
    }
    match broken {
        Some(b) => Err(b),
        None => Ok(m),
    }
}
