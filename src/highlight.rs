//! Build-time syntax highlighting into CSS classes, plus the one
//! stylesheet holding a light and a dark colour theme.
//!
//! Code is tokenized by syntaxmate with the TextMate grammars it bundles
//! (the ones VS Code and Shiki use), and each token's scope names are
//! styled against the two configured colour themes (syntect's theme
//! engine and two-face's theme set). A token is written as a few short
//! classes: `l3` (light colour 3 of the light theme's palette), `d5` (dark
//! colour 5), `lb`/`li`/`lu` and `db`/`di`/`du` (bold, italic, underline).
//! The stylesheet maps them to colours for the whole palette, so it does
//! not depend on the content, and pages stay small: a token is one flat
//! span, never a nest of scope spans.
//!
//! The grammars are compiled once per language and shared by every
//! thread; each thread tokenizes with its own tokenizer. Lines are
//! memoised per thread: a line met again in the same tokenizer state
//! (imports, braces, boilerplate) is not tokenized or styled again.

use std::cell::{OnceCell, RefCell};
use std::fmt::Write as _;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use ahash::AHashMap;
use syntaxmate::{
    Catalog, HighlightStatus, PreparedLanguage, ScopeStackId, Token, Tokenizer, TokenizerOptions,
    TokenizerState,
};
use syntect::highlighting::{Color, FontStyle, Highlighter as StyleResolver, Style, Theme};
use syntect::parsing::Scope;

use crate::config::HighlightConfig;
use crate::report::diagnostic::Diagnostic;

/// Memoised lines kept at most per thread (then the memo starts again).
/// An entry holds the line's HTML and shares its tokenizer states with its
/// neighbours.
const MEMO_LIMIT: usize = 100_000;

/// Lines longer than this are not highlighted (a warning says so): long
/// enough for any line written to be read, short enough that one minified
/// file cannot hold a build up.
const MAX_LINE_BYTES: usize = 64 * 1024;

/// Highlighted code: one HTML fragment per line, without the newline.
pub type Lines = Arc<Vec<String>>;

/// Languages written in info strings that the grammars do not know by
/// that name.
const ALIASES: &[(&str, &str)] = &[
    // The grammars' own `console` (a shell session) colours only the
    // prompt: the commands after it stay plain. As bash, they are coloured.
    ("console", "bash"),
    ("py3", "python"),
    ("patch", "diff"),
];

/// Info-string languages that mean "no highlighting", with no warning.
const PLAIN: &[&str] = &["text", "txt", "plain", "plaintext", "output", "none"];

/// Shared highlighter: the grammars compiled so far and the two colour
/// themes.
#[derive(Default)]
pub struct Highlighter {
    catalog: OnceLock<Catalog>,
    /// Compiled grammars by language id, made on first use.
    prepared: Mutex<AHashMap<String, Arc<PreparedLanguage>>>,
    themes: Mutex<Option<Arc<Themes>>>,
    /// Identifies this highlighter and its themes in the per-thread memos.
    generation: AtomicU64,
}

/// Distinct numbers for highlighter configurations (memo keys).
static GENERATIONS: AtomicU64 = AtomicU64::new(1);

thread_local! {
    /// Per thread, because a tokenizer and its states belong together.
    /// Tagged with the generation of the highlighter that filled it.
    static LOCAL: RefCell<Local> = RefCell::new(Local::default());
}

/// One thread's tokenizers, memo and styles.
#[derive(Default)]
struct Local {
    generation: u64,
    languages: AHashMap<String, Language>,
    /// Lines memoised, all languages together.
    count: usize,
    /// Scopes by name (the name of a scope with more than eight parts keeps
    /// the first eight, as syntect's scopes do).
    scopes: AHashMap<Box<str>, Scope>,
}

/// A language's tokenizer on one thread, with what it has learned.
struct Language {
    tokenizer: Tokenizer,
    /// Lines by text: the tokenizer state before each, its HTML, the state after.
    memo: AHashMap<String, Vec<MemoEntry>>,
    /// Light and dark styles by scope stack (ids are this tokenizer's).
    styles: AHashMap<ScopeStackId, (Style, Style)>,
    /// Reused token buffer.
    tokens: Vec<Token>,
}

/// The tokenizer's state between two lines. Consecutive lines share one:
/// the state after a line is the state before the next, and a line that
/// changes nothing keeps the one before it.
type Snapshot = Rc<TokenizerState>;

struct MemoEntry {
    before: Snapshot,
    html: String,
    after: Snapshot,
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

    /// The style of text no grammar scope covers.
    fn plain(&self) -> Style {
        Style {
            foreground: self.default_fg,
            background: self.theme.settings.background.unwrap_or(Color::WHITE),
            font_style: FontStyle::empty(),
        }
    }
}

/// What became of a block's language.
pub enum Highlighting {
    Highlighted(Lines),
    /// Highlighted, except lines the tokenizer gave up on (longer than its
    /// limit, or a grammar's pattern over its matching budget): those lines,
    /// or their rest, are plain text.
    Partial(Lines),
    /// No language given, or a plain one: escaped text.
    Plain(Lines),
    /// A language no grammar is known for: escaped text, and a warning.
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

    fn catalog(&self) -> &Catalog {
        self.catalog.get_or_init(Catalog::bundled)
    }

    /// The grammar's language id for an info-string language (a name, an
    /// alias or a file extension, in any case), if there is one.
    pub fn find(&self, lang: &str) -> Option<String> {
        let lower = lang.to_ascii_lowercase();
        let token = ALIASES
            .iter()
            .find(|(alias, _)| *alias == lower)
            .map_or(lower.as_str(), |(_, to)| to);
        let catalog = self.catalog();
        // By name or alias, then as a file extension (`rs`, `yml`, `mjs`).
        catalog
            .canonical_language(token)
            .or_else(|| catalog.detect_path(format!("code.{token}")))
            .map(str::to_string)
    }

    /// The compiled grammar of language `id`, compiled on first use.
    fn prepared(&self, id: &str) -> Option<Arc<PreparedLanguage>> {
        let mut prepared = self.prepared.lock().ok()?;
        if let Some(p) = prepared.get(id) {
            return Some(Arc::clone(p));
        }
        let p = Arc::new(PreparedLanguage::from_catalog(self.catalog(), id).ok()?);
        prepared.insert(id.to_string(), Arc::clone(&p));
        Some(p)
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
        let Some(id) = self.find(lang) else {
            return Highlighting::Unknown(plain(code));
        };
        let themes = self.themes.lock().ok().and_then(|t| t.clone());
        let Some(themes) = themes else {
            return Highlighting::Plain(plain(code));
        };
        match self.styled_lines(code, &id, &themes) {
            Some((lines, true)) => Highlighting::Highlighted(Arc::new(lines)),
            Some((lines, false)) => Highlighting::Partial(Arc::new(lines)),
            // The grammar would not compile or the tokenizer refused a line:
            // plain text, with the warning of a partial block.
            None => Highlighting::Partial(plain(code)),
        }
    }

    /// Highlights line by line; each line's HTML stands alone (flat spans),
    /// so it can sit in its own `<span class="line">`. Also says whether
    /// every line was tokenized in full.
    fn styled_lines(&self, code: &str, id: &str, themes: &Themes) -> Option<(Vec<String>, bool)> {
        let generation = self.generation.load(Ordering::Relaxed);
        LOCAL.with(|local| {
            let mut local = local.borrow_mut();
            if local.generation != generation || local.count >= MEMO_LIMIT {
                *local = Local {
                    generation,
                    ..Local::default()
                };
            }
            let Local {
                languages,
                count,
                scopes,
                ..
            } = &mut *local;
            if !languages.contains_key(id) {
                let prepared = self.prepared(id)?;
                let tokenizer = prepared.tokenizer(TokenizerOptions {
                    // The memo here keeps lines with their HTML.
                    line_cache_entries: 0,
                    max_line_bytes: MAX_LINE_BYTES,
                });
                languages.insert(
                    id.to_string(),
                    Language {
                        tokenizer,
                        memo: AHashMap::new(),
                        styles: AHashMap::new(),
                        tokens: Vec::new(),
                    },
                );
            }
            let language = languages.get_mut(id)?;
            language.lines(code, themes, scopes, count)
        })
    }
}

impl Language {
    fn lines(
        &mut self,
        code: &str,
        themes: &Themes,
        scopes: &mut AHashMap<Box<str>, Scope>,
        count: &mut usize,
    ) -> Option<(Vec<String>, bool)> {
        // Made on first need: most blocks find every style in the memo.
        let resolvers = OnceCell::new();
        // `state` is the working copy; `snap` holds the same state, shared
        // with the memo.
        let mut snap: Snapshot = Rc::new(self.tokenizer.initial_state());
        let mut state = (*snap).clone();
        let mut complete = true;
        let mut out = Vec::new();
        for line in code.split_inclusive('\n') {
            let line = line.strip_suffix('\n').unwrap_or(line);
            if let Some(e) = self.memo.get(line).and_then(|v| {
                v.iter()
                    .find(|e| Rc::ptr_eq(&e.before, &snap) || e.before == snap)
            }) {
                out.push(e.html.clone());
                if !Rc::ptr_eq(&e.after, &snap) {
                    snap = Rc::clone(&e.after);
                    state = (*snap).clone();
                }
                continue;
            }
            let status = self
                .tokenizer
                .tokenize_line_into(line, &mut state, &mut self.tokens)
                .ok()?;
            let full = status == HighlightStatus::Complete;
            complete &= full;
            let text = line.strip_suffix('\r').unwrap_or(line);
            let mut pieces: Vec<(Style, Style, &str)> = Vec::with_capacity(self.tokens.len() + 1);
            let mut pos = 0;
            for token in &self.tokens {
                let range = token.range();
                let (start, end) = (boundary(text, range.start), boundary(text, range.end));
                if start > pos {
                    let plain = (themes.light.plain(), themes.dark.plain());
                    pieces.push((plain.0, plain.1, &text[pos..start]));
                }
                if end > start.max(pos) {
                    let (l, d) = styles(&mut self.styles, token, themes, &resolvers, scopes);
                    pieces.push((l, d, &text[start.max(pos)..end]));
                    pos = end;
                }
            }
            if pos < text.len() {
                pieces.push((themes.light.plain(), themes.dark.plain(), &text[pos..]));
            }
            let html = tokens_html(&pieces, themes);
            let after = if state == *snap {
                Rc::clone(&snap)
            } else {
                Rc::new(state.clone())
            };
            // A line the tokenizer gave up on is not kept: its state may differ.
            if full {
                *count += 1;
                let entries = self.memo.entry(line.to_string()).or_default();
                // Lines such as `}` meet many states; a few are enough.
                if entries.len() < 8 {
                    entries.push(MemoEntry {
                        before: Rc::clone(&snap),
                        html: html.clone(),
                        after: Rc::clone(&after),
                    });
                }
            }
            snap = after;
            out.push(html);
        }
        Some((out, complete))
    }
}

/// `at` in `text`, moved back to a character boundary (and to its end at
/// most), so a token's range always slices.
fn boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The light and dark style of `token`, memoised by its scope stack (a
/// file has few distinct stacks, each met many times).
fn styles<'t>(
    memo: &mut AHashMap<ScopeStackId, (Style, Style)>,
    token: &Token,
    themes: &'t Themes,
    resolvers: &OnceCell<(StyleResolver<'t>, StyleResolver<'t>)>,
    scopes: &mut AHashMap<Box<str>, Scope>,
) -> (Style, Style) {
    let key = token.scope_stack();
    if let Some(s) = key.and_then(|k| memo.get(&k)) {
        return *s;
    }
    let stack: Vec<Scope> = token
        .scopes()
        .filter_map(|name| scope(scopes, name))
        .collect();
    let (light, dark) = resolvers.get_or_init(|| {
        (
            StyleResolver::new(&themes.light.theme),
            StyleResolver::new(&themes.dark.theme),
        )
    });
    let s = (light.style_for_stack(&stack), dark.style_for_stack(&stack));
    if let Some(k) = key {
        memo.insert(k, s);
    }
    s
}

/// syntect's scope for a TextMate scope name (its first eight parts: a
/// syntect scope holds no more). None for a name it cannot hold at all.
fn scope(known: &mut AHashMap<Box<str>, Scope>, name: &str) -> Option<Scope> {
    if let Some(s) = known.get(name) {
        return Some(*s);
    }
    let kept: String = name.split('.').take(8).collect::<Vec<_>>().join(".");
    let s = Scope::new(&kept).ok()?;
    known.insert(name.into(), s);
    Some(s)
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
            "rs",
            "zsh",
            "console",
            "shell",
            "node",
            "mjs",
            "cjs",
            "py3",
            "python3",
            "docker",
            "patch",
            "jsonc",
            "Python",
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
