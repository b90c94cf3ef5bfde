//! Math, written `$...$` (inline) and `$$...$$` (display) when
//! `[markdown] math = true`: LaTeX rendered to MathML as the site is built
//! (pulldown-latex), so pages need no script and read the same from
//! `file://` and on paper. The search index gets a formula's symbols as
//! words, not its LaTeX.

use pulldown_latex::config::DisplayMode;
use pulldown_latex::{Parser, RenderConfig, Storage, push_mathml};

use crate::report::diagnostic::Diagnostic;

/// The MathML of `latex`, or the error saying what is wrong with it (the
/// caller places it).
pub fn to_mathml(latex: &str, display: bool) -> Result<String, Diagnostic> {
    let storage = Storage::new();
    let mut events = Vec::new();
    for event in Parser::new(latex, &storage) {
        match event {
            Ok(e) => events.push(Ok::<_, pulldown_latex::ParserError>(e)),
            Err(e) => return Err(invalid(&first_line(&e.to_string()))),
        }
    }
    let config = RenderConfig {
        display_mode: if display {
            DisplayMode::Block
        } else {
            DisplayMode::Inline
        },
        ..RenderConfig::default()
    };
    let mut out = String::new();
    push_mathml(&mut out, events.into_iter(), config).map_err(|e| invalid(&e.to_string()))?;
    Ok(escape_stray_lt(&out))
}

/// pulldown-latex 0.8 writes the operator `<` as it is (`<mo><</mo>`),
/// which HTML reads as a broken tag: every `<` that opens no tag becomes
/// `&lt;`.
fn escape_stray_lt(mathml: &str) -> String {
    let mut out = String::with_capacity(mathml.len());
    let mut chars = mathml.chars().peekable();
    while let Some(c) = chars.next() {
        let opens_tag = chars
            .peek()
            .is_some_and(|n| n.is_ascii_alphabetic() || *n == '/');
        if c == '<' && !opens_tag {
            out.push_str("&lt;");
        } else {
            out.push(c);
        }
    }
    out
}

fn invalid(why: &str) -> Diagnostic {
    Diagnostic::error(format!("invalid formula: {why}")).with_help(
        "write it in LaTeX math; `\\$` is a dollar sign, and `[markdown] math = false` turns math off",
    )
}

/// `parsing error: unbalanced group` from the parser's message, whose
/// further lines draw the formula again.
fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or(message);
    line.strip_prefix("parsing error: ")
        .unwrap_or(line)
        .to_string()
}

/// The text of a formula for the search index: the symbols of its MathML,
/// one word each (`L = λ W`).
pub fn search_text(mathml: &str) -> String {
    let mut words = String::new();
    let mut in_tag = false;
    for c in mathml.chars() {
        match c {
            '<' => {
                in_tag = true;
                words.push(' ');
            }
            '>' => in_tag = false,
            // Invisible operators (function application, times, separator, plus).
            '\u{2061}'..='\u{2064}' => {}
            _ if !in_tag => words.push(c),
            _ => {}
        }
    }
    let words = words
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    words.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_mathml_and_their_symbols_search_text() {
        let m = to_mathml(r"L = \lambda W", false).expect("valid");
        assert!(m.starts_with("<math"), "{m}");
        assert!(!m.contains("lambda"), "{m}");
        assert_eq!(search_text(&m), "L = λ W");
        let d = to_mathml(r"\frac{a}{b} < c", true).expect("valid");
        assert!(d.contains("display=\"block\""), "{d}");
        assert!(d.contains("<mo>&lt;</mo>"), "{d}");
        let f = to_mathml(r"O(n \log n)", false).expect("valid");
        assert_eq!(search_text(&f), "O ( n log n )", "{f}");
        assert_eq!(search_text(&d), "a b < c");
    }

    #[test]
    fn a_bad_formula_says_what_is_wrong_on_one_line() {
        for bad in [r"\frac{a}{b", r"\nosuchcommand x", r"a^"] {
            let e = to_mathml(bad, false).expect_err(bad).message;
            assert!(
                e.starts_with("invalid formula: ") && !e.contains('\n'),
                "{bad}: {e}"
            );
        }
    }
}
