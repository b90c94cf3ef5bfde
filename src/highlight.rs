//! Build-time syntax highlighting with syntect, into CSS classes (`tok-*`),
//! plus the one stylesheet holding a light and a dark colour theme.
//!
//! The syntax set (syntect's defaults plus the extra grammars two-face
//! packages from bat: TypeScript, TSX, TOML, Dockerfile, ...) is loaded once,
//! on first use, and shared by every thread.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, OnceLock};

use syntect::highlighting::{Color, FontStyle, Theme};
use syntect::html::{ClassStyle, line_tokens_to_classed_spans};
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet};

use crate::config::HighlightConfig;
use crate::diagnostic::Diagnostic;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "tok-" };

/// Highlighted code: one HTML fragment per line, without the newline.
pub type Lines = Arc<Vec<String>>;

/// Languages written in info strings that syntect does not know by that name.
const ALIASES: &[(&str, &str)] = &[
    ("shell", "bash"),
    ("console", "bash"),
    ("zsh", "bash"),
    ("node", "js"),
    ("javascript", "js"),
    ("mjs", "js"),
    ("cjs", "js"),
    ("typescript", "ts"),
    ("py3", "py"),
    ("python3", "py"),
    ("docker", "dockerfile"),
    ("patch", "diff"),
    ("jsonc", "json"),
];

/// Info-string languages that mean "no highlighting", with no warning.
const PLAIN: &[&str] = &["text", "txt", "plain", "plaintext", "output", "none"];

/// Shared highlighter: the syntax set, and a cache of identical blocks (the
/// same snippet is often shown on many pages).
#[derive(Default)]
pub struct Highlighter {
    syntaxes: OnceLock<SyntaxSet>,
    cache: Mutex<HashMap<(String, String), Lines>>,
}

/// What became of a block's language.
pub enum Outcome {
    Highlighted(Lines),
    /// No language given, or a plain one: escaped text.
    Plain(Lines),
    /// A language syntect does not know: escaped text, and a warning.
    Unknown(Lines),
}

impl Highlighter {
    pub fn new() -> Self {
        Self::default()
    }

    fn syntaxes(&self) -> &SyntaxSet {
        self.syntaxes.get_or_init(two_face::syntax::extra_newlines)
    }

    /// The grammar for an info-string language, if there is one.
    pub fn find(&self, lang: &str) -> Option<&SyntaxReference> {
        let lower = lang.to_ascii_lowercase();
        let token = ALIASES
            .iter()
            .find(|(alias, _)| *alias == lower)
            .map_or(lower.as_str(), |(_, to)| to);
        let set = self.syntaxes();
        set.find_syntax_by_token(token).or_else(|| match token {
            "jsx" => set.find_syntax_by_name("JavaScript (Babel)"),
            "tsx" => set.find_syntax_by_name("TypeScriptReact"),
            _ => None,
        })
    }

    /// Highlights `code` written in `lang`.
    pub fn highlight(&self, code: &str, lang: Option<&str>) -> Outcome {
        let lang = lang.map(str::trim).filter(|l| !l.is_empty());
        let Some(lang) = lang else {
            return Outcome::Plain(plain(code));
        };
        if PLAIN.contains(&lang.to_ascii_lowercase().as_str()) {
            return Outcome::Plain(plain(code));
        }
        let Some(syntax) = self.find(lang) else {
            return Outcome::Unknown(plain(code));
        };
        let key = (syntax.name.clone(), code.to_string());
        if let Some(hit) = self.cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return Outcome::Highlighted(hit);
        }
        let lines = match self.classed_lines(code, syntax) {
            Some(lines) => Arc::new(lines),
            None => return Outcome::Plain(plain(code)),
        };
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(key, Arc::clone(&lines));
        }
        Outcome::Highlighted(lines)
    }

    /// Highlights line by line, closing every open span at the end of a line
    /// and reopening it on the next, so each line stands alone in a
    /// `<span class="line">` (for line numbers and marked lines).
    fn classed_lines(&self, code: &str, syntax: &SyntaxReference) -> Option<Vec<String>> {
        let set = self.syntaxes();
        let mut state = ParseState::new(syntax);
        let mut stack = ScopeStack::new();
        let mut out = Vec::new();
        for line in code.split_inclusive('\n') {
            let ops = state.parse_line(line, set).ok()?;
            let text = line.strip_suffix('\n').unwrap_or(line);
            let text = text.strip_suffix('\r').unwrap_or(text);
            let ops: Vec<_> = ops
                .into_iter()
                .map(|(i, op)| (i.min(text.len()), op))
                .collect();
            let mut html = String::with_capacity(text.len() * 2);
            let open_before = stack.as_slice().to_vec();
            for scope in &open_before {
                html.push_str("<span class=\"");
                push_classes(&mut html, *scope);
                html.push_str("\">");
            }
            let (spans, delta) =
                line_tokens_to_classed_spans(text, &ops, CLASS_STYLE, &mut stack).ok()?;
            html.push_str(&spans);
            let open_after = open_before.len() as isize + delta;
            for _ in 0..open_after.max(0) {
                html.push_str("</span>");
            }
            out.push(html);
        }
        Some(out)
    }
}

fn push_classes(out: &mut String, scope: Scope) {
    let name = scope.build_string();
    for (i, atom) in name.split('.').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str("tok-");
        out.push_str(atom);
    }
}

/// Escaped lines of code with no highlighting.
fn plain(code: &str) -> Lines {
    Arc::new(
        code.lines()
            .map(|l| crate::escape::html(l.strip_suffix('\r').unwrap_or(l)))
            .collect(),
    )
}

/// Builds `highlight.css`: the light theme by default, the dark one when the
/// system prefers it (unless the reader chose light) or the reader chose it.
/// Token colours too faint against their background are darkened or
/// lightened until they reach WCAG AA contrast (4.5:1).
pub fn stylesheet(config: &HighlightConfig) -> Result<String, Diagnostic> {
    let themes = two_face::theme::extra();
    let find = |name: &str| {
        two_face::theme::EmbeddedLazyThemeSet::theme_names()
            .iter()
            .find(|t| t.as_name().eq_ignore_ascii_case(name))
            .map(|t| themes.get(*t).clone())
            .ok_or_else(|| {
                let names: Vec<&str> = two_face::theme::EmbeddedLazyThemeSet::theme_names()
                    .iter()
                    .map(|t| t.as_name())
                    .collect();
                let mut d =
                    Diagnostic::error(format!("unknown highlight theme `{name}` in versus.toml"));
                d = match crate::diagnostic::closest(name, names.iter().copied()) {
                    Some(c) => d.with_help(format!("did you mean `{c}`?")),
                    None => d.with_help(format!("known themes: {}", names.join(", "))),
                };
                d
            })
    };
    let light = find(&config.light_theme)?;
    let dark = find(&config.dark_theme)?;
    // Each scheme's rules apply only while that scheme is active, so a
    // specific light-theme selector never wins over the dark theme.
    let mut css =
        String::from("/* Generated by versus from the highlight themes in versus.toml. */\n");
    css.push_str("@media not all and (prefers-color-scheme: dark) {\n");
    theme_rules(&mut css, &light, "html:not([data-theme=\"dark\"]) ", "  ");
    css.push_str("}\n");
    theme_rules(&mut css, &light, "html[data-theme=\"light\"] ", "");
    css.push_str("@media (prefers-color-scheme: dark) {\n");
    theme_rules(&mut css, &dark, "html:not([data-theme=\"light\"]) ", "  ");
    css.push_str("}\n");
    theme_rules(&mut css, &dark, "html[data-theme=\"dark\"] ", "");
    Ok(css)
}

fn theme_rules(css: &mut String, theme: &Theme, scope: &str, indent: &str) {
    let bg = theme.settings.background.unwrap_or(Color::WHITE);
    let fg = theme.settings.foreground.unwrap_or(Color::BLACK);
    let _ = writeln!(
        css,
        "{indent}{scope}pre.hl {{ color: {}; background-color: {}; }}",
        hex(readable(fg, bg)),
        hex(bg)
    );
    for item in &theme.scopes {
        let mut selectors = Vec::new();
        for sel in &item.scope.selectors {
            let mut s = String::from(scope);
            s.push_str("pre.hl");
            for sc in sel.extract_scopes() {
                s.push(' ');
                for atom in sc.build_string().split('.') {
                    s.push_str(".tok-");
                    s.push_str(&css_ident(atom));
                }
            }
            selectors.push(s);
        }
        let mut decl = String::new();
        if let Some(c) = item.style.foreground {
            let _ = write!(decl, " color: {};", hex(readable(c, bg)));
        }
        if let Some(fs) = item.style.font_style {
            if fs.contains(FontStyle::BOLD) {
                decl.push_str(" font-weight: bold;");
            }
            if fs.contains(FontStyle::ITALIC) {
                decl.push_str(" font-style: italic;");
            }
            if fs.contains(FontStyle::UNDERLINE) {
                decl.push_str(" text-decoration: underline;");
            }
        }
        if selectors.is_empty() || decl.is_empty() {
            continue;
        }
        let _ = writeln!(css, "{indent}{} {{{decl} }}", selectors.join(", "));
    }
}

fn css_ident(atom: &str) -> String {
    let mut out = String::with_capacity(atom.len());
    for c in atom.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            out.push(c);
        } else {
            let _ = write!(out, "\\{c}");
        }
    }
    out
}

fn hex(c: Color) -> String {
    format!("#{:02x}{:02x}{:02x}", c.r, c.g, c.b)
}

fn luminance(c: Color) -> f64 {
    let ch = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * ch(c.r) + 0.7152 * ch(c.g) + 0.0722 * ch(c.b)
}

/// WCAG contrast ratio of two colours.
pub fn contrast(a: Color, b: Color) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// `fg`, moved towards black or white (whichever is away from `bg`) just
/// far enough to reach 4.5:1 against `bg`.
fn readable(fg: Color, bg: Color) -> Color {
    const TARGET: f64 = 4.6;
    if contrast(fg, bg) >= TARGET {
        return fg;
    }
    let toward = if luminance(bg) > 0.18 {
        Color::BLACK
    } else {
        Color::WHITE
    };
    let mix = |t: f64| Color {
        r: (f64::from(fg.r) + (f64::from(toward.r) - f64::from(fg.r)) * t).round() as u8,
        g: (f64::from(fg.g) + (f64::from(toward.g) - f64::from(fg.g)) * t).round() as u8,
        b: (f64::from(fg.b) + (f64::from(toward.b) - f64::from(fg.b)) * t).round() as u8,
        a: 255,
    };
    let mut t: f64 = 0.0;
    while t < 1.0 {
        t += 0.02;
        let c = mix(t.min(1.0));
        if contrast(c, bg) >= TARGET {
            return c;
        }
    }
    toward
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_required_language_highlights() {
        let h = Highlighter::new();
        for lang in [
            "js",
            "javascript",
            "typescript",
            "ts",
            "jsx",
            "tsx",
            "python",
            "py",
            "bash",
            "sh",
            "shell",
            "json",
            "toml",
            "yaml",
            "yml",
            "html",
            "css",
            "sql",
            "rust",
            "dockerfile",
            "diff",
        ] {
            assert!(h.find(lang).is_some(), "no grammar for {lang}");
        }
    }

    #[test]
    fn lines_stand_alone() {
        let h = Highlighter::new();
        let Outcome::Highlighted(lines) = h.highlight("/* a\n b */\nlet x = 1;\n", Some("js"))
        else {
            panic!("not highlighted");
        };
        assert_eq!(lines.len(), 3);
        for l in lines.iter() {
            assert_eq!(
                l.matches("<span").count(),
                l.matches("</span>").count(),
                "{l}"
            );
        }
        assert!(lines[1].contains("tok-comment"), "{}", lines[1]);
    }

    #[test]
    fn unknown_and_plain_languages_are_escaped() {
        let h = Highlighter::new();
        match h.highlight("<b>", Some("nosuchlang")) {
            Outcome::Unknown(l) => assert_eq!(l[0], "&lt;b&gt;"),
            _ => panic!("expected unknown"),
        }
        assert!(matches!(h.highlight("x", Some("text")), Outcome::Plain(_)));
    }

    #[test]
    fn stylesheet_reaches_aa_contrast() {
        let css = stylesheet(&HighlightConfig::default()).unwrap_or_default();
        assert!(css.contains("html[data-theme=\"dark\"] pre.hl"));
        let white = Color::WHITE;
        let faint = Color {
            r: 200,
            g: 200,
            b: 200,
            a: 255,
        };
        assert!(contrast(readable(faint, white), white) >= 4.5);
    }
}
