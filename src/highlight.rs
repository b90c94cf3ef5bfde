//! Build-time syntax highlighting with syntect, into CSS classes, plus the
//! one stylesheet holding a light and a dark colour theme.
//!
//! Each token's style is resolved at build time against both themes and
//! written as a few short classes: `l3` (light colour 3 of the light theme's
//! palette), `d5` (dark colour 5), `lb`/`li`/`lu` and `db`/`di`/`du` (bold,
//! italic, underline). The stylesheet maps them to colours for the whole
//! palette, so it does not depend on the content, and pages stay small:
//! a token is one flat span, never a nest of scope spans.
//!
//! The syntax set (syntect's defaults plus the extra grammars two-face
//! packages from bat: TypeScript, TSX, TOML, Dockerfile, ...) is loaded once,
//! on first use, and shared by every thread. Lines are memoised: a line met
//! again in the same parser state (imports, braces, boilerplate) is not
//! parsed again.

use std::cell::{OnceCell, RefCell};
use std::fmt::Write as _;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use ahash::AHashMap;
use syntect::highlighting::{Color, FontStyle, Highlighter as StyleResolver, Style, Theme};
use syntect::parsing::{ParseState, Scope, ScopeStack, ScopeStackOp, SyntaxReference, SyntaxSet};

use crate::config::HighlightConfig;
use crate::report::diagnostic::Diagnostic;

/// Memoised lines kept at most per thread (then the memo starts again).
/// An entry holds the line's HTML and shares its parser states with its
/// neighbours. Measured on the benchmark corpus, 2 threads: at 1,000 pages,
/// no memo took 3.5 s; 4,000 lines 84 MB peak, 20,000 lines 93 MB and about
/// a tenth less CPU time. At 10,000 pages (2026-12-07, tmpfs, 3 runs each),
/// 20,000 lines took 5.54-5.60 s and 151 MB; 100,000 lines, where the memo
/// no longer starts again mid-build, 4.77-4.88 s and 209 MB.
const MEMO_LIMIT: usize = 100_000;

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

/// Shared highlighter: the syntax set, the two colour themes, and the memo
/// of lines already highlighted.
#[derive(Default)]
pub struct Highlighter {
    syntaxes: OnceLock<SyntaxSet>,
    themes: Mutex<Option<Arc<Themes>>>,
    /// Identifies this highlighter and its themes in the per-thread memos.
    generation: AtomicU64,
}

/// Distinct numbers for highlighter configurations (memo keys).
static GENERATIONS: AtomicU64 = AtomicU64::new(1);

/// Light and dark styles by scope stack.
type StyleMemo = AHashMap<Vec<Scope>, (Style, Style)>;

thread_local! {
    /// Per thread, because parser states hold regex state that may not cross
    /// threads. Tagged with the generation of the highlighter that filled it.
    static MEMO: RefCell<(u64, Memo)> = RefCell::new((0, Memo::default()));
    /// Styles by scope stack, per thread, tagged like `MEMO`.
    static STYLES: RefCell<(u64, StyleMemo)> = RefCell::new((0, StyleMemo::default()));
}

/// The light and the dark theme, with their palettes.
pub struct Themes {
    names: (String, String),
    light: Palette,
    dark: Palette,
}

/// A theme and the foreground colours it can give a token, in a fixed order.
struct Palette {
    theme: Theme,
    colors: Vec<Color>,
    default_fg: Color,
}

impl Palette {
    fn new(theme: Theme) -> Self {
        let default_fg = theme.settings.foreground.unwrap_or(Color::BLACK);
        let mut colors: Vec<Color> = theme
            .scopes
            .iter()
            .filter_map(|i| i.style.foreground)
            .collect();
        colors.push(default_fg);
        colors.sort_by_key(|c| (c.r, c.g, c.b, c.a));
        colors.dedup();
        Self {
            theme,
            colors,
            default_fg,
        }
    }

    fn index(&self, c: Color) -> Option<usize> {
        self.colors.iter().position(|p| *p == c)
    }
}

/// Memo of highlighted lines: per grammar and line text, the parser state
/// and scope stack before it, and the HTML and states after it.
#[derive(Default)]
struct Memo {
    lines: AHashMap<String, AHashMap<String, Vec<MemoEntry>>>,
    count: usize,
}

/// The parser's state between two lines. Consecutive lines share one: the
/// state after a line is the state before the next, and a line that
/// changes nothing keeps the one before it.
type Snapshot = Rc<(ParseState, ScopeStack)>;

struct MemoEntry {
    before: Snapshot,
    html: String,
    after: Snapshot,
}

/// What became of a block's language.
pub enum Highlighting {
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

    /// Loads the configured themes (a no-op when they are already loaded).
    pub fn configure(&self, config: &HighlightConfig) -> Result<Arc<Themes>, Diagnostic> {
        let names = (config.light_theme.clone(), config.dark_theme.clone());
        let mut current = self
            .themes
            .lock()
            .map_err(|_| Diagnostic::error("highlighter lock poisoned"))?;
        if let Some(t) = current.as_ref().filter(|t| t.names == names) {
            return Ok(Arc::clone(t));
        }
        let themes = Arc::new(Themes {
            light: Palette::new(find_theme(&names.0)?),
            dark: Palette::new(find_theme(&names.1)?),
            names,
        });
        *current = Some(Arc::clone(&themes));
        self.generation.store(
            GENERATIONS.fetch_add(1, Ordering::Relaxed),
            Ordering::Relaxed,
        );
        Ok(themes)
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
    pub fn highlight(&self, code: &str, lang: Option<&str>) -> Highlighting {
        let lang = lang.map(str::trim).filter(|l| !l.is_empty());
        let Some(lang) = lang else {
            return Highlighting::Plain(plain(code));
        };
        if PLAIN.contains(&lang.to_ascii_lowercase().as_str()) {
            return Highlighting::Plain(plain(code));
        }
        let Some(syntax) = self.find(lang) else {
            return Highlighting::Unknown(plain(code));
        };
        let themes = self.themes.lock().ok().and_then(|t| t.clone());
        let Some(themes) = themes else {
            return Highlighting::Plain(plain(code));
        };
        match self.styled_lines(code, syntax, &themes) {
            Some(lines) => Highlighting::Highlighted(Arc::new(lines)),
            None => Highlighting::Plain(plain(code)),
        }
    }

    /// Highlights line by line; each line's HTML stands alone (flat spans),
    /// so it can sit in its own `<span class="line">`.
    fn styled_lines(
        &self,
        code: &str,
        syntax: &SyntaxReference,
        themes: &Themes,
    ) -> Option<Vec<String>> {
        let set = self.syntaxes();
        // Made on first need: most blocks find every style in the memo.
        let resolvers = OnceCell::new();
        // `state` and `stack` are the working copies; `snap` holds the same
        // state, shared with the memo.
        let mut snap: Snapshot = Rc::new((ParseState::new(syntax), ScopeStack::new()));
        let (mut state, mut stack) = (*snap).clone();
        let mut out = Vec::new();
        for line in code.split_inclusive('\n') {
            if let Some((html, after)) = self.recall(&syntax.name, line, &snap) {
                out.push(html);
                if !Rc::ptr_eq(&after, &snap) {
                    (state, stack) = (*after).clone();
                    snap = after;
                }
                continue;
            }
            let ops = state.parse_line(line, set).ok()?;
            let text = line.strip_suffix('\n').unwrap_or(line);
            let text = text.strip_suffix('\r').unwrap_or(text);
            let ops: Vec<(usize, ScopeStackOp)> = ops
                .into_iter()
                .map(|(i, op)| (i.min(text.len()), op))
                .collect();
            let mut tokens: Vec<(Style, Style, &str)> = Vec::with_capacity(ops.len() + 1);
            let mut pos = 0;
            for (i, op) in &ops {
                if *i > pos {
                    let (l, d) = self.styles(&stack, themes, &resolvers);
                    tokens.push((l, d, &text[pos..*i]));
                    pos = *i;
                }
                stack.apply(op).ok()?;
            }
            if pos < text.len() {
                let (l, d) = self.styles(&stack, themes, &resolvers);
                tokens.push((l, d, &text[pos..]));
            }
            let html = tokens_html(&tokens, themes);
            let after = if state == snap.0 && stack == snap.1 {
                Rc::clone(&snap)
            } else {
                Rc::new((state.clone(), stack.clone()))
            };
            self.remember(
                &syntax.name,
                line,
                Rc::clone(&snap),
                &html,
                Rc::clone(&after),
            );
            snap = after;
            out.push(html);
        }
        Some(out)
    }

    /// The light and dark style of text under `stack`, memoised per thread
    /// (a file has few distinct scope stacks, each met many times).
    fn styles<'t>(
        &self,
        stack: &ScopeStack,
        themes: &'t Themes,
        resolvers: &OnceCell<(StyleResolver<'t>, StyleResolver<'t>)>,
    ) -> (Style, Style) {
        let generation = self.generation.load(Ordering::Relaxed);
        STYLES.with(|m| {
            let mut m = m.borrow_mut();
            if m.0 != generation || m.1.len() > MEMO_LIMIT {
                *m = (generation, StyleMemo::default());
            }
            if let Some(s) = m.1.get(stack.as_slice()) {
                return *s;
            }
            let (light, dark) = resolvers.get_or_init(|| {
                (
                    StyleResolver::new(&themes.light.theme),
                    StyleResolver::new(&themes.dark.theme),
                )
            });
            let s = (
                light.style_for_stack(stack.as_slice()),
                dark.style_for_stack(stack.as_slice()),
            );
            m.1.insert(stack.as_slice().to_vec(), s);
            s
        })
    }

    fn recall(&self, syntax: &str, line: &str, before: &Snapshot) -> Option<(String, Snapshot)> {
        let generation = self.generation.load(Ordering::Relaxed);
        MEMO.with(|m| {
            let m = m.borrow();
            if m.0 != generation {
                return None;
            }
            let entries = m.1.lines.get(syntax)?.get(line)?;
            entries
                .iter()
                .find(|e| Rc::ptr_eq(&e.before, before) || e.before == *before)
                .map(|e| (e.html.clone(), Rc::clone(&e.after)))
        })
    }

    fn remember(&self, syntax: &str, line: &str, before: Snapshot, html: &str, after: Snapshot) {
        let generation = self.generation.load(Ordering::Relaxed);
        MEMO.with(|m| {
            let mut m = m.borrow_mut();
            if m.0 != generation || m.1.count >= MEMO_LIMIT {
                *m = (generation, Memo::default());
            }
            m.1.count += 1;
            if !m.1.lines.contains_key(syntax) {
                m.1.lines.insert(syntax.to_string(), AHashMap::new());
            }
            let Some(by_line) = m.1.lines.get_mut(syntax) else {
                return;
            };
            let entries = by_line.entry(line.to_string()).or_default();
            // Lines such as `}` meet many states; a few are enough.
            if entries.len() < 8 {
                entries.push(MemoEntry {
                    before,
                    html: html.to_string(),
                    after,
                });
            }
        });
    }
}

/// The HTML of one line from its tokens, each styled by both themes.
/// Neighbouring tokens with the same classes share one span; unstyled text
/// gets none.
fn tokens_html(tokens: &[(Style, Style, &str)], themes: &Themes) -> String {
    let mut html = String::new();
    let mut open: Option<String> = None;
    for (ls, ds, text) in tokens {
        let class = classes(*ls, *ds, themes);
        if open.as_deref() != Some(class.as_str()) {
            if open.take().is_some_and(|c| !c.is_empty()) {
                html.push_str("</span>");
            }
            if !class.is_empty() {
                html.push_str("<span class=\"");
                html.push_str(&class);
                html.push_str("\">");
            }
            open = Some(class);
        }
        crate::text::escape::html_into(&mut html, text);
    }
    if open.is_some_and(|c| !c.is_empty()) {
        html.push_str("</span>");
    }
    html
}

fn classes(light: Style, dark: Style, themes: &Themes) -> String {
    let mut out = String::new();
    for (prefix, style, palette) in [('l', light, &themes.light), ('d', dark, &themes.dark)] {
        if style.foreground != palette.default_fg {
            if let Some(i) = palette.index(style.foreground) {
                if !out.is_empty() {
                    out.push(' ');
                }
                let _ = write!(out, "{prefix}{i}");
            }
        }
        for (flag, c) in [
            (FontStyle::BOLD, 'b'),
            (FontStyle::ITALIC, 'i'),
            (FontStyle::UNDERLINE, 'u'),
        ] {
            if style.font_style.contains(flag) {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push(prefix);
                out.push(c);
            }
        }
    }
    out
}

/// Escaped lines of code with no highlighting.
fn plain(code: &str) -> Lines {
    Arc::new(
        code.lines()
            .map(|l| crate::text::escape::html(l.strip_suffix('\r').unwrap_or(l)))
            .collect(),
    )
}

fn find_theme(name: &str) -> Result<Theme, Diagnostic> {
    let themes = two_face::theme::extra();
    let names = two_face::theme::EmbeddedLazyThemeSet::theme_names();
    names
        .iter()
        .find(|t| t.as_name().eq_ignore_ascii_case(name))
        .map(|t| themes.get(*t).clone())
        .ok_or_else(|| {
            let names: Vec<&str> = names.iter().map(|t| t.as_name()).collect();
            let d = Diagnostic::error(format!("unknown highlight theme `{name}` in versus.toml"));
            match crate::report::diagnostic::closest(name, names.iter().copied()) {
                Some(c) => d.with_help(format!("did you mean `{c}`?")),
                None => d.with_help(format!("known themes: {}", names.join(", "))),
            }
        })
}

impl Themes {
    /// `highlight.css`: the light theme by default, the dark one when the
    /// system prefers it (unless the reader chose light) or the reader
    /// chose it. Each scheme's rules apply only while it is active. Token
    /// colours too faint against their background are darkened or
    /// lightened until they reach WCAG AA contrast (4.5:1).
    pub fn stylesheet(&self) -> String {
        let mut css =
            String::from("/* Generated by versus from the highlight themes in versus.toml. */\n");
        css.push_str("@media not all and (prefers-color-scheme: dark) {\n");
        palette_rules(
            &mut css,
            &self.light,
            'l',
            "html:not([data-theme=\"dark\"]) ",
            "  ",
        );
        css.push_str("}\n");
        palette_rules(
            &mut css,
            &self.light,
            'l',
            "html[data-theme=\"light\"] ",
            "",
        );
        css.push_str("@media (prefers-color-scheme: dark) {\n");
        palette_rules(
            &mut css,
            &self.dark,
            'd',
            "html:not([data-theme=\"light\"]) ",
            "  ",
        );
        css.push_str("}\n");
        palette_rules(&mut css, &self.dark, 'd', "html[data-theme=\"dark\"] ", "");
        css
    }
}

/// The rules of one theme: the block colours, a rule per palette colour,
/// and the font styles.
fn palette_rules(css: &mut String, p: &Palette, prefix: char, scope: &str, indent: &str) {
    let bg = p.theme.settings.background.unwrap_or(Color::WHITE);
    let _ = writeln!(
        css,
        "{indent}{scope}pre.hl {{ color: {}; background-color: {}; }}",
        hex(readable(p.default_fg, bg)),
        hex(bg)
    );
    for (i, c) in p.colors.iter().enumerate() {
        let _ = writeln!(
            css,
            "{indent}{scope}pre.hl .{prefix}{i} {{ color: {}; }}",
            hex(readable(*c, bg))
        );
    }
    for (flag, decl) in [
        ('b', "font-weight: bold"),
        ('i', "font-style: italic"),
        ('u', "text-decoration: underline"),
    ] {
        let _ = writeln!(css, "{indent}{scope}pre.hl .{prefix}{flag} {{ {decl}; }}");
    }
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

    fn configured() -> Highlighter {
        let h = Highlighter::new();
        h.configure(&HighlightConfig::default()).unwrap();
        h
    }

    #[test]
    fn lines_stand_alone() {
        let h = configured();
        let Highlighting::Highlighted(lines) = h.highlight("/* a\n b */\nlet x = 1;\n", Some("js"))
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
        assert!(lines[1].contains("<span class=\"l"), "{}", lines[1]);
        assert!(!lines[1].contains("<span class=\"\""), "no empty classes");
    }

    #[test]
    fn memo_gives_the_same_html() {
        let h = configured();
        let code = "import os\nx = 1\nimport os\n";
        let Highlighting::Highlighted(a) = h.highlight(code, Some("python")) else {
            panic!()
        };
        let Highlighting::Highlighted(b) = h.highlight(code, Some("python")) else {
            panic!()
        };
        assert_eq!(a, b);
        assert_eq!(a[0], a[2]);
        let fresh = configured();
        let Highlighting::Highlighted(c) = fresh.highlight(code, Some("python")) else {
            panic!()
        };
        assert_eq!(a, c);
    }

    #[test]
    fn unknown_and_plain_languages_are_escaped() {
        let h = configured();
        match h.highlight("<b>", Some("nosuchlang")) {
            Highlighting::Unknown(l) => assert_eq!(l[0], "&lt;b&gt;"),
            _ => panic!("expected unknown"),
        }
        assert!(matches!(
            h.highlight("x", Some("text")),
            Highlighting::Plain(_)
        ));
    }

    #[test]
    fn stylesheet_reaches_aa_contrast() {
        let h = Highlighter::new();
        let css = h
            .configure(&HighlightConfig::default())
            .unwrap()
            .stylesheet();
        assert!(css.contains("html[data-theme=\"dark\"] pre.hl .d0"));
        assert!(css.contains("html[data-theme=\"light\"] pre.hl .li"));
        assert!(
            h.configure(&HighlightConfig {
                light_theme: "Nope".into(),
                ..HighlightConfig::default()
            })
            .is_err()
        );
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
