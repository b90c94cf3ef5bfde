//! The render stage: Tera 2 templates of the theme turn views into pages,
//! shortcode calls into HTML, and pages' social cards into PNGs ([`card`]).

pub mod card;
pub mod context;
mod names;
pub mod shortcodes;
pub mod switcher;
pub mod theme;
pub mod views;
pub mod words;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tera::{Context, ErrorKind, Kwargs, State, Tera, Value};

use crate::deps::{Input, Reader, Recorder};
use crate::report::diagnostic::Diagnostic;
use theme::Theme;

/// Templates every theme must have.
pub const REQUIRED: &[&str] = &[
    "base.html",
    "index.html",
    "section.html",
    "page.html",
    "404.html",
];

/// The loaded templates, with their sources kept for error reports.
pub struct Renderer {
    tera: Tera,
    sources: HashMap<String, (PathBuf, Arc<str>)>,
    /// The theme's words, every language ([`words`]).
    words: words::Words,
}

impl Renderer {
    /// Parses the theme's templates; reports every one that fails.
    /// `recorder` hears which data files templates read with `load_data`.
    pub fn new(
        theme: &Theme,
        content_dir: &Path,
        recorder: Arc<Recorder>,
    ) -> Result<Self, Vec<Diagnostic>> {
        let mut tera = Tera::default();
        // A social card's template (`card.svg`) is escaped as HTML is.
        tera.autoescape_on(vec![".html", ".htm", ".xml", ".svg"]);
        register(&mut tera, content_dir, recorder);
        let sources: HashMap<String, (PathBuf, Arc<str>)> = theme
            .templates
            .iter()
            .map(|(name, t)| (name.clone(), (t.shown.clone(), Arc::clone(&t.text))))
            .collect();
        let mut renderer = Self {
            tera,
            sources,
            words: words::Words::default(),
        };
        let batch: Vec<(&str, &str)> = theme
            .templates
            .iter()
            .map(|(n, t)| (n.as_str(), t.text.as_ref()))
            .collect();
        if let Err(e) = renderer.tera.add_raw_templates(batch) {
            let reports = renderer.validation_reports(&e);
            return Err(if reports.is_empty() {
                vec![renderer.diagnostic(&e, None)]
            } else {
                reports
            });
        }
        let missing: Vec<Diagnostic> = REQUIRED
            .iter()
            .filter(|t| !renderer.tera.contains_template(t))
            .map(|t| Diagnostic::error(format!("the theme has no template `{t}`")))
            .collect();
        if !missing.is_empty() {
            return Err(missing);
        }
        Ok(renderer)
    }

    /// Values every template sees (the `site` view).
    pub fn set_global(&mut self, key: &'static str, value: &impl serde::Serialize) {
        self.tera.global_context().insert(key, value);
    }

    /// Gives templates and shortcodes the theme's words.
    pub fn set_words(&mut self, words: words::Words) {
        self.words = words;
    }

    /// The theme's words, every language.
    pub fn words(&self) -> &words::Words {
        &self.words
    }

    pub fn has_template(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// Renders `template`; errors name the template, its line and the page.
    pub fn render(&self, template: &str, ctx: &Context, page: &Path) -> Result<String, Diagnostic> {
        self.tera
            .render(template, ctx)
            .map_err(|e| self.diagnostic(&e, Some(page)))
    }

    /// Tera checks every filter, test, function and component a template
    /// names when it loads them, and reports the unknown ones as rendered
    /// reports (`error: MESSAGE` then ` --> NAME:LINE:COL`): one diagnostic each.
    fn validation_reports(&self, err: &tera::Error) -> Vec<Diagnostic> {
        let ErrorKind::Msg(text) = err.kind() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut message: Option<&str> = None;
        for line in text.lines() {
            if let Some(m) = line.strip_prefix("error: ") {
                message = Some(m);
            } else if let (Some(loc), Some(m)) =
                (line.trim_start().strip_prefix("--> "), message.take())
            {
                let mut parts = loc.rsplitn(3, ':');
                let col = parts
                    .next()
                    .and_then(|c| c.parse::<usize>().ok())
                    .unwrap_or(1);
                let line_no = parts
                    .next()
                    .and_then(|l| l.parse::<usize>().ok())
                    .unwrap_or(1);
                let name = parts.next().unwrap_or("");
                let mut d = Diagnostic::error(format!("template `{name}`: {m}"));
                if let Some((shown, src)) = self.sources.get(name) {
                    let at = crate::report::diagnostic::offset_of(src, line_no, col);
                    let end = src[at..]
                        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                        .map_or(src.len(), |i| at + i.max(1));
                    d = d.at(shown, src, at..end);
                }
                out.push(d);
            }
        }
        out
    }

    /// Maps a Tera error to a diagnostic pointing into the template file.
    pub fn diagnostic(&self, err: &tera::Error, page: Option<&Path>) -> Diagnostic {
        let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(err);
        let mut messages = Vec::new();
        let mut located = None;
        while let Some(e) = cur {
            if let Some(te) = e.downcast_ref::<tera::Error>() {
                match te.kind() {
                    ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
                        if located.is_none() {
                            located = Some((
                                r.filename().to_string(),
                                r.span().range.clone(),
                                r.message().to_string(),
                            ));
                        }
                    }
                    ErrorKind::CircularInclude { tpl, include_chain } => {
                        if located.is_none() {
                            located = Some(self.cycle(tpl, include_chain, "include", "includes"));
                        }
                    }
                    ErrorKind::CircularExtend {
                        tpl,
                        inheritance_chain,
                    } => {
                        if located.is_none() {
                            located =
                                Some(self.cycle(tpl, inheritance_chain, "extends", "extends"));
                        }
                    }
                    other => messages.push(other.to_string()),
                }
            } else {
                messages.push(e.to_string());
            }
            cur = e.source();
        }
        let mut diag = match located {
            Some((name, range, message)) => {
                let mut d = Diagnostic::error(format!("template `{name}`: {message}"));
                if let Some((shown, text)) = self.sources.get(&name) {
                    d = d.at(shown, text, range);
                }
                d
            }
            None => Diagnostic::error(format!(
                "template error: {}",
                messages.first().cloned().unwrap_or_default()
            )),
        };
        for m in messages
            .iter()
            .skip(usize::from(diag.message.starts_with("template error")))
        {
            diag = diag.with_note(m.clone());
        }
        if let Some(page) = page {
            diag = diag.with_note(format!("while rendering {}", page.display()));
        }
        diag
    }
}

impl Renderer {
    /// A loop of `include`s or `extends`: the template whose tag closes it,
    /// that tag's span, and a message naming the whole loop.
    fn cycle(
        &self,
        tpl: &str,
        chain: &[String],
        tag: &str,
        verb: &str,
    ) -> (String, std::ops::Range<usize>, String) {
        // The chain ends with the template met twice; the one before it
        // holds the tag that leads back (a template extending itself
        // is its own chain).
        let (holder, target) = match chain {
            [.., a, b] => (a.as_str(), b.as_str()),
            [a] => (a.as_str(), a.as_str()),
            [] => (tpl, tpl),
        };
        let span = self
            .sources
            .get(holder)
            .and_then(|(_, text)| tag_span(text, tag, target))
            .unwrap_or(0..0);
        let mut names: Vec<&str> = chain.iter().map(String::as_str).collect();
        if tag == "extends" {
            names.insert(0, tpl);
            names.dedup();
        }
        let message = format!(
            "{verb} itself in a loop: {} (`{tag}` here leads back)",
            names.join(" -> ")
        );
        (holder.to_string(), span, message)
    }
}

/// The span of the first `{% TAG "target" %}` tag in a template's text.
fn tag_span(text: &str, tag: &str, target: &str) -> Option<std::ops::Range<usize>> {
    let mut from = 0;
    while let Some(i) = text[from..].find("{%") {
        let start = from + i;
        let inner_end = text[start..].find("%}").map_or(text.len(), |j| start + j);
        let end = (inner_end + 2).min(text.len());
        let inside = text
            .get(start + 2..inner_end)
            .unwrap_or("")
            .trim_matches(|c: char| c == '-' || c.is_whitespace());
        if let Some(rest) = inside.strip_prefix(tag) {
            let name = rest.trim().trim_matches(|c| c == '"' || c == '\'');
            if name == target {
                return Some(start..end);
            }
        }
        from = end;
    }
    None
}

/// The context key naming the page a render is for (its index), so that
/// `load_data` can tell the recorder which page read a file.
const READER: &str = "__versus_page";

/// Marks `ctx` as rendering page `page`, for the dependency recorder.
pub fn for_page(ctx: &mut Context, page: usize) {
    ctx.insert(READER, &page);
}

/// Who a render is for: the page [`for_page`] named, or, where that
/// cannot be seen (a component sees only its own arguments), every page.
fn reader(state: &State) -> Reader {
    match state.get::<u64>(READER) {
        Ok(Some(i)) => usize::try_from(i).map_or(Reader::Every, Reader::Page),
        _ => Reader::Every,
    }
}

/// `load_data` reads data files (paths under content/) on behalf of the
/// page being rendered, and tells `recorder`: a page depends on them as on
/// the data its shortcodes show (`watch` rebuilds it when one changes,
/// `check` counts them as used).
fn register(tera: &mut Tera, content_dir: &Path, recorder: Arc<Recorder>) {
    debug_assert!(names::FUNCTIONS.contains(&"load_data") && names::FILTERS.contains(&"markdown"));
    debug_assert!(names::FILTERS.contains(&"date_text"));
    let dir = content_dir.to_path_buf();
    tera.register_function(
        "load_data",
        move |kwargs: Kwargs, state: &State| -> tera::TeraResult<Value> {
            let path: String = kwargs.must_get::<&str>("path")?.to_string();
            if let Some(rel) = crate::data::content_rel(&path) {
                recorder.record(reader(state), Input::Data(rel));
            }
            crate::data::load_value(&dir, &path)
                .map(|v| Value::from_serializable(&v))
                .map_err(tera::Error::message)
        },
    );
    tera.register_filter("markdown", |text: &str, _: Kwargs, _: &State| {
        Value::safe_string(&inline_markdown(text))
    });
    // A date as the page's language writes it (`date_style` of its words).
    tera.register_filter("date_text", |day: &str, _: Kwargs, state: &State| {
        let lang = state.get::<String>(words::LANG).ok().flatten();
        let style = state.get::<String>(words::DATE_STYLE).ok().flatten();
        match (lang, style.as_deref()) {
            (Some(lang), Some("long")) => Value::from(crate::text::locale::date(day, &lang)),
            _ => Value::from(day),
        }
    });
}

/// Would a browser run `url` as a script? It reads the scheme after
/// dropping leading blanks and control characters and every tab and
/// newline, in any case: ` JavaScript:`, `java\tscript:`, `vbscript:`, and
/// `data:` (a page of the link's own making).
pub fn is_script_url(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let scheme = cleaned
        .trim_start_matches(|c: char| c <= ' ')
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|s| scheme.starts_with(s))
}

/// Inline Markdown for data text (notes, criteria): emphasis, code, links.
/// Raw HTML in it is escaped, so data never becomes markup.
pub fn inline_markdown(text: &str) -> String {
    inline_markdown_with(text, &mut |_| None)
}

/// Like [`inline_markdown`], with `rewrite` given each link destination:
/// `Some(url)` replaces it.
pub fn inline_markdown_with(text: &str, rewrite: &mut dyn FnMut(&str) -> Option<String>) -> String {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let text = inline_only(text);
    // Text is escaped as templates escape it (quotes too), and so is HTML.
    let escaped = |t: &str| Event::Html(crate::text::escape::html(t).into());
    let events = Parser::new(&text).filter_map(|e| match e {
        Event::Html(h) | Event::InlineHtml(h) | Event::Text(h) => Some(escaped(&h)),
        Event::Code(c) => Some(Event::Html(
            format!("<code>{}</code>", crate::text::escape::html(&c)).into(),
        )),
        Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => None,
        e @ Event::Start(Tag::Link { .. }) => Some(crate::markdown::links::with_dest(e, |url| {
            if is_script_url(&url) {
                "#".into()
            } else {
                rewrite(&url).map_or(url, Into::into)
            }
        })),
        e => Some(e),
    });
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, events);
    out.trim_end().to_string()
}

/// `text` with what would start a block escaped, line by line, so that
/// it stays one line of inline text: `> 5 ms`, `- none`, `1. fast`,
/// `# 1`, `---`, a fence, a link definition (which would vanish) and
/// indentation (a code block).
fn inline_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let line = line.trim_start_matches([' ', '\t']);
        let first = line.chars().next().unwrap_or(' ');
        let after = |n: usize| line[n..].starts_with([' ', '\t', '\r']) || line.len() == n;
        let run = line
            .trim_end()
            .chars()
            .filter(|c| *c != ' ')
            .collect::<String>();
        let hashes = line.len() - line.trim_start_matches('#').len();
        let number = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let ordered = (1..=9).contains(&number)
            && line[number..].starts_with(['.', ')'])
            && after(number + 1);
        let reference = first == '['
            && line
                .find("]:")
                .is_some_and(|at| !line[1..at].contains([']', '[']));
        let rule = matches!(first, '-' | '*' | '_' | '=') && run.chars().all(|c| c == first);
        let block = match first {
            '>' => true,
            '-' | '+' | '*' => after(1) || rule,
            '_' | '=' => rule,
            '#' => (1..=6).contains(&hashes) && after(hashes),
            // A backtick fence's info string has no backtick: ```x``` is code.
            '`' => line.starts_with("```") && !line.trim_start_matches('`').contains('`'),
            '~' => line.starts_with("~~~"),
            '[' => reference,
            _ => false,
        };
        if ordered {
            out.push_str(&line[..number]);
            out.push('\\');
            out.push_str(&line[number..]);
        } else {
            if block {
                out.push('\\');
            }
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_markdown_stays_inline() {
        for (text, html) in [
            ("> 5 ms", "&gt; 5 ms"),
            ("- none", "- none"),
            ("+ one", "+ one"),
            ("* one", "* one"),
            ("1. fast", "1. fast"),
            ("2) slow", "2) slow"),
            ("# 1", "# 1"),
            ("---", "---"),
            ("a\n===", "a\n==="),
            ("a\n=", "a\n="),
            ("```x```", "<code>x</code>"),
            ("```", "```"),
            ("    indented", "indented"),
            ("[1]: https://x.org", "[1]: https://x.org"),
            ("*em* and `code`", "<em>em</em> and <code>code</code>"),
            ("#1 and 2024", "#1 and 2024"),
            (
                "\"q\" it's `a\"b`",
                "&quot;q&quot; it&#39;s <code>a&quot;b</code>",
            ),
            ("[x](https://x.org)", "<a href=\"https://x.org\">x</a>"),
        ] {
            assert_eq!(inline_markdown(text), html, "{text:?}");
        }
    }

    #[test]
    fn inline_markdown_escapes_html() {
        assert_eq!(
            inline_markdown("*a* <script>x</script>"),
            "<em>a</em> &lt;script&gt;x&lt;/script&gt;"
        );
        assert!(!inline_markdown("[x](javascript:alert(1))").contains("javascript:"));
        for link in [
            "[x]( JavaScript:alert(1))",
            "[x](vbscript:msgbox(1))",
            "[x](&#106;avascript:alert(1))",
            "[x](data:text/html,<script>alert(1)</script>)",
        ] {
            let html = inline_markdown(link);
            assert!(html.contains("href=\"#\""), "{link}: {html}");
        }
        assert!(is_script_url("java\tscript:alert(1)"));
        assert!(!is_script_url("https://example.org/javascript:"));
    }
}
