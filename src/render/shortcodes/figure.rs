//! `figure`: one number of benchmark results inside running text, as HTML
//! and as plain text. What it takes is [`data::figure::FIGURE`], where the
//! data stage reads it too (a figure in a data file's cell); `verdict`
//! renders through it.

use super::runner::{Builtin, Handler, TeraShortcodes};
use crate::data::{self, Loaded};
use crate::markdown::CallSite;
use crate::report::diagnostic::Diagnostic;

pub const BUILTIN: Builtin = Builtin {
    spec: &data::figure::FIGURE,
    handler: Handler::Inline(render),
};

fn render(sc: &TeraShortcodes<'_>, site: &CallSite<'_>) -> Result<(String, String), Diagnostic> {
    render_as(&data::figure::FIGURE, sc, site)
}

/// A call of `figure` or `verdict` (`spec`) as HTML and as plain text.
pub(super) fn render_as(
    spec: &'static crate::shortcode_syntax::Spec,
    sc: &TeraShortcodes<'_>,
    site: &CallSite<'_>,
) -> Result<(String, String), Diagnostic> {
    let name = spec.name;
    let (rel, loaded) = sc.load(site)?;
    let set = match loaded.as_ref() {
        Ok(Loaded::Bench(set)) => set,
        Ok(Loaded::Matrix(_)) => {
            let d = Diagnostic::error(format!(
                "`{name}` needs benchmark results, but content/{rel} is a comparison matrix"
            ));
            return Err(site.at_arg("data", d));
        }
        Err(d) => return Err(site.data_error(d)),
    };
    if !site.call.args.contains_key("subject") {
        let d = Diagnostic::error(format!(
            "`{name}` needs `subject`, the series to print a figure of"
        ))
        .with_help(format!(
            "for example subject=\"{}\"",
            data::select::example_series(set)
        ));
        return Err(site.at_call(d));
    }
    let query = data::figure::Query::of_call(spec, &site.call.args)
        .map_err(|msg| site.at_quoted_arg(Diagnostic::error(msg.to_string())))?;
    let mut f = data::figure::figure(set, &query).map_err(|msg| {
        site.at_quoted_arg(
            Diagnostic::error(msg.to_string()).with_help(format!("in content/{rel}")),
        )
    })?;
    // In the page's language: a ratio's or a verdict's words, or a number.
    let lang = sc.lang(site);
    if let Some(said) = &f.said {
        f.text = super::localize::said(said, sc.renderer.words(), lang);
    } else if !f.wraps {
        f.text = crate::text::locale::numbers_in(&f.text, lang);
    }
    let headline = crate::render::card::Headline {
        text: f.text.clone(),
        detail: card_detail(&f.source),
        from_matrix: false,
    };
    sc.shows(site.index, Some(headline));
    Ok((html(&f, &rel), f.text))
}

/// What a figure is of, for a social card's line under it: its source
/// without the statistic's name before `: ` and the interval after `; `
/// ("Python 3.13.0 on fib(35) against Node.js v24.19.0 on fib(35)").
fn card_detail(source: &str) -> String {
    let what = source.split_once(": ").map_or(source, |(_, w)| w);
    what.split("; ").next().unwrap_or(what).to_string()
}

/// A figure as HTML: the number in a `data` element (its exact value for
/// machines), saying where it comes from on hover.
fn html(f: &data::figure::Figure, rel: &str) -> String {
    let title = crate::text::escape::html(&format!("{}; from {rel}", f.source));
    let text = crate::text::escape::html(&f.text);
    // A verdict or an interval is words, which wrap on a narrow screen.
    let class = if f.wraps { "figure verdict" } else { "figure" };
    match f.value {
        Some(v) => format!("<data class=\"{class}\" value=\"{v}\" title=\"{title}\">{text}</data>"),
        None => format!("<span class=\"{class}\" title=\"{title}\">{text}</span>"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_card_says_what_a_figure_is_of() {
        assert_eq!(
            super::card_detail(
                "Ratio of medians (time, lower is better): A 1 on b against B on b; 95% CI 1–2 (bootstrap of 10 and 10 runs)"
            ),
            "A 1 on b against B on b"
        );
        assert_eq!(
            super::card_detail("Median of 10 runs: fib, A 1, time"),
            "fib, A 1, time"
        );
        assert_eq!(super::card_detail("plain"), "plain");
    }
}
