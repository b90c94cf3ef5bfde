//! The Markdown stage: pulldown-cmark events in, HTML out. It never sees
//! Tera: shortcodes are handed to a [`Shortcodes`] renderer.
//!
//! Two passes per page. [`outline`] finds the title and the headings (with
//! their final ids) of every page; [`render`] then transforms the events with
//! all outlines known, so a link to `other.md#anchor` is checked against the
//! other page's real ids and rewritten to its output file.
//!
//! No shortcode call reaches a page as text: a block shortcode runs where a
//! block may stand (a paragraph of its own, the only text of a list item)
//! and is an error anywhere else; only literal calls (`{{/* */}}`) and code
//! show a call.

pub mod code;
pub mod include;
pub mod links;

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::config::{Config, LinkPolicy};
use crate::content::{Content, Page};
use crate::diagnostic::Diagnostic;
use crate::escape;
use crate::highlight::{Highlighter, Outcome};
use crate::shortcode_syntax as shortcode;
use code::{Block, CodeInfo};

/// The Markdown extensions versus turns on.
pub fn options(config: &Config) -> Options {
    let mut o = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM;
    if config.markdown.smart_punctuation {
        o |= Options::ENABLE_SMART_PUNCTUATION;
    }
    o
}

/// A heading of a page, with the id it gets in the output.
#[derive(Debug, Clone)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// What the first pass learns about a page.
#[derive(Debug, Default, Clone)]
pub struct Outline {
    /// The page title: front matter, else the first `#` heading, else the file name.
    pub title: String,
    /// Headings in order. When the first `#` heading became the title it is
    /// left out of the body and of this list.
    pub headings: Vec<Heading>,
    /// Index (among all heading events) of the `#` heading used as the title.
    pub title_heading: Option<usize>,
    pub ids: HashSet<String>,
    pub words: usize,
    /// Headings whose wanted id was taken: (byte offset in the file, wanted, given).
    pub renamed: Vec<(usize, String, String)>,
}

/// First pass: title, heading ids, word count.
pub fn outline(page: &Page, opts: Options) -> Outline {
    let body = &page.text[page.body.clone()];
    let mut out = Outline::default();
    let mut in_heading: Option<(u8, Option<String>, String, usize)> = None;
    let mut raw: Vec<(u8, Option<String>, String, usize)> = Vec::new();
    let mut pending = String::new();
    for (event, range) in Parser::new_ext(body, opts).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                let at = page.body.start + range.start;
                in_heading = Some((
                    level_num(level),
                    id.map(|s| s.to_string()),
                    String::new(),
                    at,
                ));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(mut h) = in_heading.take() {
                    h.2.push_str(&shortcode::show_literals(&std::mem::take(&mut pending)));
                    raw.push(h);
                }
            }
            // A heading's text runs are joined before literal calls in
            // them are shown as calls (a call may span several runs).
            Event::Text(t) => {
                out.words += t.split_whitespace().count();
                if in_heading.is_some() {
                    pending.push_str(&t);
                }
            }
            Event::Code(t) => {
                out.words += t.split_whitespace().count();
                if let Some((_, _, text, _)) = &mut in_heading {
                    text.push_str(&shortcode::show_literals(&std::mem::take(&mut pending)));
                    text.push_str(&t);
                }
            }
            _ => {}
        }
    }
    let first_h1 = raw.iter().position(|(level, ..)| *level == 1);
    let fm_title = page.meta.title.clone().filter(|t| !t.trim().is_empty());
    out.title_heading = match (&fm_title, first_h1) {
        (None, Some(i)) => Some(i),
        (Some(t), Some(i)) if raw[i].2.trim() == t.trim() => Some(i),
        _ => None,
    };
    out.title = fm_title
        .or_else(|| first_h1.map(|i| raw[i].2.trim().to_string()))
        .unwrap_or_else(|| {
            // A section page is named after its folder, other pages after their file.
            let rel = if page.is_section {
                crate::paths::parent_dir(&page.rel)
            } else {
                &page.rel
            };
            crate::content::title_from_name(rel.rsplit('/').next().unwrap_or(""))
        });
    if out.title.is_empty() {
        out.title = crate::content::title_from_name(&page.rel);
    }
    // Ids written by the author are kept where they can be: automatic ids
    // step aside for them.
    let custom: HashSet<String> = raw.iter().filter_map(|(_, id, ..)| id.clone()).collect();
    let mut next = HashMap::new();
    for (i, (level, id, text, at)) in raw.into_iter().enumerate() {
        if Some(i) == out.title_heading {
            continue;
        }
        let is_custom = id.is_some();
        let base = id.unwrap_or_else(|| slugify(&text));
        let mut id = unique_id(&mut out.ids, &mut next, &base);
        while !is_custom && custom.contains(&id) {
            release_id(&mut out.ids, &mut next, &id);
            id = unique_id(&mut out.ids, &mut next, &format!("{id}-1"));
        }
        if id != base {
            out.renamed.push((at, base, id.clone()));
        }
        out.headings.push(Heading {
            level,
            id,
            text: text.trim().to_string(),
        });
    }
    out
}

fn level_num(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// `The GIL, explained` -> `the-gil-explained`.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.trim().chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() || c == '-' || c == '_' {
            dash = true;
        }
    }
    if out.is_empty() {
        "section".to_string()
    } else {
        out
    }
}

/// `base`, or `base-1`, `base-2`, ...: the first one not taken. `next`
/// remembers per base the number to try first (all below it are taken), so
/// 10,000 equal headings are not quadratic.
fn unique_id(taken: &mut HashSet<String>, next: &mut HashMap<String, usize>, base: &str) -> String {
    let mut id = base.to_string();
    if taken.contains(&id) {
        let n = next.entry(base.to_string()).or_insert(1);
        loop {
            id = format!("{base}-{n}");
            *n += 1;
            if !taken.contains(&id) {
                break;
            }
        }
    }
    taken.insert(id.clone());
    id
}

/// Frees `id` again (and lets [`unique_id`] find `base-N` once more).
fn release_id(taken: &mut HashSet<String>, next: &mut HashMap<String, usize>, id: &str) {
    taken.remove(id);
    if let Some((base, n)) = id.rsplit_once('-') {
        if let (Ok(n), Some(first)) = (n.parse::<usize>(), next.get_mut(base)) {
            if n < *first {
                *first = n;
            }
        }
    }
}

/// Renders shortcode calls (the render stage provides this, over Tera).
pub trait Shortcodes: Sync {
    /// Renders `call` written on `page`; `span` locates it in the page's file.
    /// `links` resolves a link written in data shown on the page, as if it
    /// were written on the page itself.
    fn render(
        &self,
        call: &shortcode::Call,
        page: &Page,
        span: Range<usize>,
        links: &dyn Fn(&str) -> links::Resolved,
    ) -> Result<String, Diagnostic>;

    /// Renders a call written inside running text (`figure`): its HTML and
    /// its plain text (for the search index). `None` for shortcodes that
    /// are not written inline: the call is an error where it stands.
    fn inline(
        &self,
        call: &shortcode::Call,
        page: &Page,
        span: Range<usize>,
    ) -> Option<Result<(String, String), Diagnostic>>;

    /// Does `name` render a block (a built-in block shortcode or one of
    /// the site's templates)? Such a call stands where a paragraph could.
    fn is_block(&self, name: &str) -> bool;

    /// The names of the shortcodes this renderer knows, for did-you-mean.
    fn names(&self) -> Vec<String>;
}

/// Everything the second pass reads, shared by all pages.
pub struct Env<'a> {
    /// The site's folder (code files resolve inside it).
    pub root: &'a Path,
    pub content: &'a Content,
    pub outlines: &'a [Outline],
    pub highlighter: &'a Highlighter,
    pub links: LinkPolicy,
    pub options: Options,
    pub shortcodes: Option<&'a dyn Shortcodes>,
    /// Note figures typed into the prose ([`Rendered::typed_figures`]):
    /// only `versus check` reads them.
    pub typed_figures: bool,
}

/// A page's body as HTML, and what was found on the way.
#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    pub diags: Vec<Diagnostic>,
    /// Languages with no grammar, each with where it was first seen.
    pub unknown_langs: Vec<(String, Diagnostic)>,
    /// Files the page includes (code files), for rebuilds on change.
    pub deps: Vec<std::path::PathBuf>,
    /// The page's prose split at its headings, for the search index.
    pub sections: Vec<TextSection>,
    /// Source paths of the pages this one links to (resolved or not), so a
    /// change to their headings re-checks this page.
    pub links_to: Vec<String>,
    /// Links to anything but pages, and images, for `versus check`.
    pub refs: Vec<Ref>,
    /// Figures with units typed into the prose (not from a `figure` call):
    /// where, in the page's file. `versus check` asks for them to come from
    /// data on pages that show benchmark results.
    pub typed_figures: Vec<Range<usize>>,
    /// The ids of the body's elements, in document order: headings' from
    /// the outline, footnotes' from their names, and those inside raw HTML
    /// and shortcode output read from just that HTML. The book
    /// (print.html) makes them unique across pages.
    pub ids: Vec<String>,
}

/// A link or image destination as written, with where.
#[derive(Debug, Clone)]
pub struct Ref {
    pub dest: String,
    pub span: Range<usize>,
    pub image: bool,
    /// An image's alternative text.
    pub alt: String,
}

/// Plain text under one heading (code blocks left out).
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct TextSection {
    /// The heading's id; `None` for the text before the first heading.
    pub id: Option<String>,
    pub heading: String,
    pub text: String,
}

/// Second pass: the page's body as HTML.
pub fn render(env: &Env<'_>, index: usize) -> Rendered {
    let page = match env.content.pages[index].with_text() {
        Ok(page) => page,
        Err(d) => {
            return Rendered {
                diags: vec![d],
                ..Rendered::default()
            };
        }
    };
    let page: &Page = &page;
    let outline = &env.outlines[index];
    let base = page.body.start;
    let body = &page.text[page.body.clone()];
    let events: Vec<(Event<'_>, Range<usize>)> = Parser::new_ext(body, env.options)
        .into_offset_iter()
        .map(|(e, r)| (e, r.start + base..r.end + base))
        .collect();
    let mut pass = Pass {
        env,
        page,
        outline,
        out: Vec::with_capacity(events.len()),
        rendered: Rendered::default(),
        heading_events: 0,
        heading_ids: 0,
        groups: Vec::new(),
        in_heading: false,
        raw_block: None,
        in_image: false,
        literals: Vec::new(),
    };
    pass.rendered.sections.push(TextSection::default());
    pass.run(&events);
    pass.finish_groups();
    pass.unhandled_calls();
    let mut html = String::with_capacity(body.len() * 2);
    pulldown_cmark::html::push_html(&mut html, pass.out.into_iter());
    // The ids are gathered as the body is made; a scan of the whole body
    // must find the same.
    debug_assert_eq!(
        pass.rendered.ids,
        crate::html::body_ids(&html),
        "ids of {}",
        page.shown.display()
    );
    pass.rendered.html = html;
    pass.rendered
}

/// A code block ready to be written.
struct CodeItem {
    info: CodeInfo,
    lines: Arc<Vec<String>>,
}

/// A group of tabbed blocks being collected; written at `slot` in the output.
struct GroupAcc {
    name: Option<String>,
    slot: usize,
    items: Vec<CodeItem>,
}

/// Text standing where a block may stand (a shortcode candidate): a
/// paragraph made only of text, or all the text of a list item that has
/// no paragraphs (a tight list's item, which may hold a nested list).
struct Standalone {
    text: String,
    /// The events' span in the page's file.
    span: Range<usize>,
    /// The index of the event after it.
    next: usize,
}

fn standalone(events: &[(Event<'_>, Range<usize>)], start: usize) -> Option<Standalone> {
    let in_item = match &events.get(start)?.0 {
        Event::Start(Tag::Paragraph) => false,
        Event::Text(_) | Event::InlineHtml(_)
            if start > 0 && matches!(events[start - 1].0, Event::Start(Tag::Item)) =>
        {
            true
        }
        _ => return None,
    };
    let mut text = String::new();
    let mut j = if in_item { start } else { start + 1 };
    loop {
        match &events.get(j)?.0 {
            Event::Text(t) | Event::InlineHtml(t) => text.push_str(t),
            Event::SoftBreak => text.push('\n'),
            Event::End(TagEnd::Paragraph) if !in_item => {
                return Some(Standalone {
                    text,
                    span: events[start].1.clone(),
                    next: j + 1,
                });
            }
            Event::End(TagEnd::Item) => {
                return Some(Standalone {
                    text,
                    span: events[start].1.start..events[j - 1].1.end,
                    next: j,
                });
            }
            Event::Start(tag) if in_item && !is_inline(tag) => {
                return Some(Standalone {
                    text,
                    span: events[start].1.start..events[j - 1].1.end,
                    next: j,
                });
            }
            _ => return None,
        }
        j += 1;
    }
}

/// The text of the run of text events (and line breaks) from `start`, its
/// span in the page's file, and the index of the event after it.
fn text_run(events: &[(Event<'_>, Range<usize>)], start: usize) -> (String, Range<usize>, usize) {
    let mut text = String::new();
    let mut end = start;
    while let Some((event, _)) = events.get(end) {
        match event {
            Event::Text(t) => text.push_str(t),
            Event::SoftBreak => text.push('\n'),
            _ => break,
        }
        end += 1;
    }
    let span = match events.get(start..end) {
        Some([first, .., last]) => first.1.start..last.1.end,
        Some([only]) => only.1.clone(),
        _ => 0..0,
    };
    (text, span, end)
}

/// Tags that live inside running text.
fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

/// Where, in a block's span, the call it holds is: from its `{{` to its
/// last `}}` (not the blank line after it).
fn call_span(text: &str, span: &Range<usize>) -> Range<usize> {
    let source = text.get(span.clone()).unwrap_or("");
    match (source.find("{{"), source.rfind("}}")) {
        (Some(a), Some(b)) if a < b => span.start + a..span.start + b + 2,
        _ => span.clone(),
    }
}

/// Running text a call stands in, where no block can go.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Place {
    Paragraph,
    ListItem,
    TableCell,
    Heading,
    LinkText,
    ImageText,
    Formatted,
}

impl Place {
    /// The innermost unclosed tag before the event at `i` tells.
    fn of(events: &[(Event<'_>, Range<usize>)], i: usize) -> Place {
        let mut depth = 0usize;
        for (event, _) in events[..i.min(events.len())].iter().rev() {
            match event {
                Event::End(_) => depth += 1,
                Event::Start(tag) if depth == 0 => {
                    return match tag {
                        Tag::TableCell => Place::TableCell,
                        Tag::Heading { .. } => Place::Heading,
                        Tag::Link { .. } => Place::LinkText,
                        Tag::Image { .. } => Place::ImageText,
                        Tag::Item => Place::ListItem,
                        Tag::Paragraph => Place::Paragraph,
                        _ => Place::Formatted,
                    };
                }
                Event::Start(_) => depth -= 1,
                _ => {}
            }
        }
        Place::Paragraph
    }

    /// "cannot stand ..."
    fn words(self) -> &'static str {
        match self {
            Place::Paragraph => "inside a paragraph with other text",
            Place::ListItem => "in a list item with other text",
            Place::TableCell => "in a table cell",
            Place::Heading => "in a heading",
            Place::LinkText => "in a link's text",
            Place::ImageText => "in an image's description",
            Place::Formatted => "inside formatted text",
        }
    }

    /// Where a block shortcode `name` may stand instead.
    fn help(self, name: &str) -> String {
        match self {
            Place::TableCell => "a table cell holds running text only: put the call on a line of its own below the table (in a cell, `figure` shows one number)".to_string(),
            Place::Heading => "put the call on a line of its own under the heading".to_string(),
            _ => format!(
                "put {{{{ {name}(...) }}}} on a line of its own, with a blank line before and after it; it may also stand alone in a list item or a blockquote"
            ),
        }
    }
}

struct Pass<'e, 'a> {
    env: &'e Env<'e>,
    page: &'e Page,
    outline: &'e Outline,
    out: Vec<Event<'a>>,
    rendered: Rendered,
    /// Heading start events seen (the title heading included).
    heading_events: usize,
    /// Headings written (index into `outline.headings`).
    heading_ids: usize,
    groups: Vec<GroupAcc>,
    in_heading: bool,
    /// The raw HTML block being read, whose ids are taken at its end (a
    /// start tag may run over several of its lines).
    raw_block: Option<String>,
    /// Inside an image: its alternative text is written as plain text,
    /// raw HTML in it included.
    in_image: bool,
    /// Indexes in `out` of text that shows calls written literally
    /// (`{{/* name() */}}`): the only text that may look like a call.
    literals: Vec<usize>,
}

impl<'e, 'a> Pass<'e, 'a> {
    fn diag(&self, d: Diagnostic, span: Range<usize>) -> Diagnostic {
        d.at(&self.page.shown, &self.page.text, span)
    }

    fn run(&mut self, events: &[(Event<'a>, Range<usize>)]) {
        let mut i = 0;
        while i < events.len() {
            // Events that start a run of several, handled together; each
            // handler returns the index of the event after its run.
            i = match &events[i].0 {
                Event::Start(Tag::Heading {
                    level,
                    classes,
                    attrs,
                    ..
                }) => self.heading(events, i, *level, classes, attrs),
                Event::Start(Tag::CodeBlock(_)) => self.code_blocks(events, i),
                Event::Start(Tag::Paragraph) | Event::Text(_) | Event::InlineHtml(_)
                    if self.peek_code(events, i).is_some() =>
                {
                    self.code_blocks(events, i)
                }
                Event::Start(Tag::Paragraph) | Event::Text(_) | Event::InlineHtml(_)
                    if !self.in_heading =>
                {
                    match self.shortcode(events, i) {
                        Some(next) => next,
                        None if matches!(events[i].0, Event::Text(_)) => self.text(events, i),
                        None => {
                            self.event(events, i);
                            i + 1
                        }
                    }
                }
                Event::Text(_) => self.heading_text(events, i),
                _ => {
                    self.event(events, i);
                    i + 1
                }
            };
        }
    }

    /// An event handled on its own.
    fn event(&mut self, events: &[(Event<'a>, Range<usize>)], i: usize) {
        let (event, span) = &events[i];
        match event {
            Event::End(TagEnd::Heading(level)) => self.heading_end(*level),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = self.link(dest_url, span);
                self.out.push(Event::Start(Tag::Link {
                    link_type: *link_type,
                    dest_url: dest,
                    title: title.clone(),
                    id: id.clone(),
                }));
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                let alt = image_alt(&events[i + 1..]);
                self.rendered.refs.push(Ref {
                    dest: dest_url.to_string(),
                    span: span.clone(),
                    image: true,
                    alt,
                });
                self.in_image = true;
                self.out.push(event.clone());
            }
            Event::End(TagEnd::Image) => {
                self.in_image = false;
                self.out.push(event.clone());
            }
            Event::Text(t) | Event::Code(t) => {
                if !self.in_heading {
                    if let Some(section) = self.rendered.sections.last_mut() {
                        if !section.text.is_empty() && !section.text.ends_with(' ') {
                            section.text.push(' ');
                        }
                        section.text.push_str(t.trim());
                    }
                }
                self.out.push(event.clone());
            }
            Event::TaskListMarker(done) => {
                // A labelled, read-only checkbox (an unlabelled input fails accessibility checks).
                self.out.push(Event::Html(CowStr::from(if *done {
                    "<input type=\"checkbox\" disabled checked aria-label=\"done\"> "
                } else {
                    "<input type=\"checkbox\" disabled aria-label=\"not done\"> "
                })));
            }
            Event::Start(Tag::HtmlBlock)
            | Event::End(TagEnd::HtmlBlock)
            | Event::Html(_)
            | Event::InlineHtml(_) => {
                self.raw_html(event);
                self.out.push(event.clone());
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                // pulldown-cmark writes the definition with its name as id.
                self.rendered.ids.push(name.to_string());
                self.out.push(event.clone());
            }
            e => self.out.push(e.clone()),
        }
    }

    /// Closes a heading with its anchor link.
    fn heading_end(&mut self, level: HeadingLevel) {
        self.in_heading = false;
        let id = self
            .outline
            .headings
            .get(self.heading_ids.wrapping_sub(1))
            .map(|h| h.id.as_str())
            .unwrap_or("");
        self.out.push(Event::Html(CowStr::from(format!(
            " <a class=\"anchor\" href=\"#{}\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h{}>\n",
            escape::html(id),
            level_num(level)
        ))));
    }

    /// A link's destination as written out: links to pages go to their
    /// output files; links to anything else are noted for `versus check`.
    fn link(&mut self, dest_url: &CowStr<'a>, span: &Range<usize>) -> CowStr<'a> {
        if !dest_url.ends_with(".md") && !dest_url.contains(".md#") {
            self.rendered.refs.push(Ref {
                dest: dest_url.to_string(),
                span: span.clone(),
                image: false,
                alt: String::new(),
            });
        }
        links::rewrite(self, dest_url, span.clone())
    }

    /// A run of text in a heading. Its id and the table of contents are
    /// made from its text before anything renders, so no call can work
    /// there; a literal call is shown as one. Returns the next event's index.
    fn heading_text(&mut self, events: &[(Event<'a>, Range<usize>)], start: usize) -> usize {
        let (text, span, end) = text_run(events, start);
        let shown = self.no_calls(&text, &span, events, start);
        if shown != text {
            self.literals.push(self.out.len());
        }
        self.out.push(Event::Text(CowStr::from(shown)));
        end
    }

    /// Reports every call in `text` (a heading's), which cannot work
    /// there, and returns the text with its literal calls shown as calls.
    fn no_calls(
        &mut self,
        text: &str,
        span: &Range<usize>,
        events: &[(Event<'a>, Range<usize>)],
        at: usize,
    ) -> String {
        let mut shown = String::with_capacity(text.len());
        let mut last = 0;
        for (range, parsed) in shortcode::inline_calls(text) {
            shown.push_str(&text[last..range.start]);
            let written = &text[range.clone()];
            last = range.end;
            let call_at = self.locate(written, span);
            let d = match parsed {
                shortcode::Parsed::Literal(lit) => {
                    shown.push_str(&lit);
                    continue;
                }
                shortcode::Parsed::Call(c) if c.name == "figure" => self
                    .diag(
                        Diagnostic::error("`figure` cannot be used in a heading"),
                        call_at,
                    )
                    .with_help("put the figure in the text under the heading"),
                shortcode::Parsed::Call(c) => self.misplaced(&c, Place::of(events, at), call_at),
                shortcode::Parsed::Invalid(msg, part) => {
                    let at = self.place(written, &call_at, part);
                    self.invalid(msg, at)
                }
                shortcode::Parsed::None => continue,
            };
            shown.push_str(written);
            self.rendered.diags.push(d);
        }
        shown.push_str(&text[last..]);
        shown
    }

    /// The error for a call that cannot stand where it is written: a
    /// block shortcode inside running text, or a name no shortcode has.
    fn misplaced(&self, call: &shortcode::Call, place: Place, at: Range<usize>) -> Diagnostic {
        let block =
            call.name == "code" || self.env.shortcodes.is_some_and(|s| s.is_block(&call.name));
        if !block {
            return self.unknown(&call.name, at);
        }
        self.diag(
            Diagnostic::error(format!(
                "`{}` shows a block, so it cannot stand {}",
                call.name,
                place.words()
            )),
            at,
        )
        .with_help(place.help(&call.name))
    }

    /// The error for a call of a shortcode no one defines.
    fn unknown(&self, name: &str, at: Range<usize>) -> Diagnostic {
        let mut known: Vec<String> = ["code", "figure"].map(String::from).to_vec();
        if let Some(sc) = self.env.shortcodes {
            known.extend(sc.names());
        }
        known.sort();
        known.dedup();
        let d = Diagnostic::error(format!("unknown shortcode `{name}`"));
        let d = match crate::diagnostic::closest(name, known.iter().map(String::as_str)) {
            Some(k) => d.with_help(format!("did you mean `{k}`?")),
            None => d.with_help(format!(
                "the shortcodes are {}; a site adds one as templates/shortcodes/{name}.html; to show the call as text write {{{{/* {name}(...) */}}}}",
                known.join(", ")
            )),
        };
        self.diag(d, at)
    }

    fn invalid(&self, msg: String, at: Range<usize>) -> Diagnostic {
        self.diag(Diagnostic::error(msg), at).with_help(
            "write calls as {{ name(key=\"value\") }}; to show one literally write {{/* name(...) */}}",
        )
    }

    /// Moves the spans of `call`'s arguments from `written` (the text it
    /// was parsed from) to the page's file, where the call is at `at`.
    /// Where the text differs from the file (Markdown escapes, a call over
    /// several lines of a list item) each argument is looked for in the
    /// call's source; one not found points at the whole call.
    fn place_args(&self, call: &mut shortcode::Call, written: &str, at: &Range<usize>) {
        for span in call.spans.values_mut() {
            *span = self.place(written, at, span.clone());
        }
    }

    /// Where `part` (a byte range in `written`, with its quotes
    /// straightened) of the call at `at` is in the page's file.
    fn place(&self, written: &str, at: &Range<usize>, part: Range<usize>) -> Range<usize> {
        let written = shortcode::straighten(written);
        let lead = written.len() - written.trim_start().len();
        let source = self.page.text.get(at.clone()).unwrap_or("");
        let piece = written.get(part.clone()).unwrap_or("");
        if source == written.trim() && part.start >= lead {
            at.start + part.start - lead..at.start + part.end - lead
        } else if let Some(i) = source.find(piece).filter(|_| !piece.is_empty()) {
            at.start + i..at.start + i + piece.len()
        } else {
            at.clone()
        }
    }

    /// Notes the ids of the author's raw HTML: a block's at its end (a
    /// start tag may run over several of its lines), inline HTML's at
    /// once, but not in an image's alternative text (written as text).
    fn raw_html(&mut self, event: &Event<'_>) {
        match event {
            Event::Start(_) => self.raw_block = Some(String::new()),
            Event::End(_) => {
                if let Some(html) = self.raw_block.take() {
                    self.html_ids(&html);
                }
            }
            Event::Html(t) | Event::InlineHtml(t) => match &mut self.raw_block {
                Some(block) => block.push_str(t),
                None if self.in_image => {}
                None => self.html_ids(t),
            },
            _ => {}
        }
    }

    /// Notes the ids of HTML that goes into the body as it is.
    fn html_ids(&mut self, html: &str) {
        if html.contains("id") {
            self.rendered.ids.extend(crate::html::body_ids(html));
        }
    }

    /// A run of text events from `start`: inline `figure` calls rendered,
    /// any other call reported (a block shortcode cannot stand in running
    /// text), figures typed by hand noted, the text added to the search
    /// index. Returns the index of the next event.
    fn text(&mut self, events: &[(Event<'a>, Range<usize>)], start: usize) -> usize {
        let mut end = start;
        let mut braces = false;
        while let Some((event, _)) = events.get(end) {
            match event {
                Event::Text(t) => braces |= t.contains('{'),
                Event::SoftBreak => {}
                _ => break,
            }
            end += 1;
        }
        if !braces {
            // No call can be in these events: pass them through as they are.
            for (event, span) in &events[start..end] {
                if let Event::Text(t) = event {
                    self.typed_figures(t, span);
                    self.index_text(t);
                }
                self.out.push(event.clone());
            }
            return end;
        }
        // A call may run over several lines: the line breaks become part
        // of the text (both are written as a newline).
        let (text, span, end) = text_run(events, start);
        let calls = if text.contains("{{") {
            shortcode::inline_calls(&text)
        } else {
            Vec::new()
        };
        let mut plain = String::with_capacity(text.len());
        let mut at = 0;
        for (range, parsed) in calls {
            let before = &text[at..range.start];
            self.typed_figures(before, &span);
            self.out.push(Event::Text(CowStr::from(before.to_string())));
            plain.push_str(before);
            let written = &text[range.clone()];
            let call_span = self.locate(written, &span);
            match parsed {
                shortcode::Parsed::Call(mut call) => {
                    self.place_args(&mut call, written, &call_span);
                    match self
                        .env
                        .shortcodes
                        .and_then(|sc| sc.inline(&call, self.page, call_span.clone()))
                    {
                        Some(Ok((html, words))) => {
                            self.html_ids(&html);
                            self.out.push(Event::InlineHtml(CowStr::from(html)));
                            plain.push_str(&words);
                        }
                        Some(Err(d)) => self.rendered.diags.push(d),
                        None => {
                            let d = self.misplaced(&call, Place::of(events, start), call_span);
                            self.rendered.diags.push(d);
                        }
                    }
                }
                shortcode::Parsed::Literal(lit) => {
                    plain.push_str(&lit);
                    self.literals.push(self.out.len());
                    self.out.push(Event::Text(CowStr::from(lit)));
                }
                shortcode::Parsed::Invalid(msg, part) => {
                    let at = self.place(written, &call_span, part);
                    let d = self.invalid(msg, at);
                    self.rendered.diags.push(d);
                }
                shortcode::Parsed::None => {}
            }
            at = range.end;
        }
        let rest = &text[at..];
        self.typed_figures(rest, &span);
        plain.push_str(rest);
        self.out.push(Event::Text(CowStr::from(rest.to_string())));
        self.index_text(&plain.replace('\n', " "));
        end
    }

    /// Adds prose to the search index's text of the current section.
    fn index_text(&mut self, text: &str) {
        if let Some(section) = self.rendered.sections.last_mut() {
            let t = text.trim();
            if !t.is_empty() {
                if !section.text.is_empty() && !section.text.ends_with(' ') {
                    section.text.push(' ');
                }
                section.text.push_str(t);
            }
        }
    }

    /// Where `written` (text of the events spanning `span`) is in the page's
    /// file: found in the source, else the whole span (the text differs from
    /// the source where Markdown escapes or entities were decoded).
    fn locate(&self, written: &str, span: &Range<usize>) -> Range<usize> {
        let source = self.page.text.get(span.clone()).unwrap_or("");
        match source.find(written) {
            Some(i) => span.start + i..span.start + i + written.len(),
            None => span.clone(),
        }
    }

    fn typed_figures(&mut self, text: &str, span: &Range<usize>) {
        if !self.env.typed_figures {
            return;
        }
        for r in crate::units::measured_looking(text) {
            let at = self.locate(&text[r], span);
            self.rendered.typed_figures.push(at);
        }
    }

    /// Writes the opening tag with its id; skips the heading that became
    /// the title. Returns the index of the next event to look at.
    fn heading(
        &mut self,
        events: &[(Event<'a>, Range<usize>)],
        i: usize,
        level: HeadingLevel,
        classes: &[CowStr<'a>],
        attrs: &[(CowStr<'a>, Option<CowStr<'a>>)],
    ) -> usize {
        let n = self.heading_events;
        self.heading_events += 1;
        if Some(n) == self.outline.title_heading {
            // Not written here, but it is the page's title: no calls in it either.
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::Heading(_))) {
                if matches!(events[j].0, Event::Text(_)) {
                    let (text, span, end) = text_run(events, j);
                    self.no_calls(&text, &span, events, j);
                    j = end;
                } else {
                    j += 1;
                }
            }
            return j + 1;
        }
        let (id, text) = self
            .outline
            .headings
            .get(self.heading_ids)
            .map(|h| (h.id.clone(), h.text.clone()))
            .unwrap_or_default();
        self.in_heading = true;
        self.rendered.sections.push(TextSection {
            id: Some(id.clone()),
            heading: text,
            text: String::new(),
        });
        self.heading_ids += 1;
        self.rendered.ids.push(id.clone());
        let mut tag = format!("<h{} id=\"{}\"", level_num(level), escape::html(&id));
        if !classes.is_empty() {
            let joined: Vec<&str> = classes.iter().map(|c| c.as_ref()).collect();
            tag.push_str(" class=\"");
            escape::html_into(&mut tag, &joined.join(" "));
            tag.push('"');
        }
        for (k, v) in attrs {
            if !k
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                || k.to_ascii_lowercase().starts_with("on")
                // The heading has its id already (`{#id}` sets it).
                || k.eq_ignore_ascii_case("id")
            {
                continue;
            }
            tag.push(' ');
            tag.push_str(k);
            if let Some(v) = v {
                tag.push_str("=\"");
                escape::html_into(&mut tag, v);
                tag.push('"');
            }
        }
        tag.push('>');
        self.out.push(Event::Html(CowStr::from(tag)));
        i + 1
    }

    /// Is the event at `i` a code block, or a paragraph holding a `code(...)`
    /// call? If so, its attributes (without loading anything).
    fn peek_code(&self, events: &[(Event<'a>, Range<usize>)], i: usize) -> Option<CodeInfo> {
        match &events.get(i)?.0 {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                Some(code::parse_info(info).unwrap_or_default())
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => Some(CodeInfo::default()),
            Event::Start(Tag::Paragraph) | Event::Text(_) | Event::InlineHtml(_) => {
                let text = standalone(events, i)?.text;
                match shortcode::parse(&text) {
                    shortcode::Parsed::Call(c) if c.name == "code" => {
                        let get = |k: &str| match c.args.get(k) {
                            Some(shortcode::Arg::Str(s)) => Some(s.clone()),
                            _ => None,
                        };
                        Some(CodeInfo {
                            tab: get("tab"),
                            group: get("group"),
                            ..CodeInfo::default()
                        })
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// Reads and highlights the code item at `i` (see [`Self::peek_code`]).
    /// Returns it and the index of the event after it.
    fn code_item(&mut self, events: &[(Event<'a>, Range<usize>)], i: usize) -> (CodeItem, usize) {
        let span = events[i].1.clone();
        let (info, text, next) = match &events[i].0 {
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => code::parse_info(info).unwrap_or_else(|msg| {
                        let d =
                            self.diag(Diagnostic::error(msg), info_span(&self.page.text, &span));
                        self.rendered
                            .diags
                            .push(d.with_help("see the code block attributes in docs/writing.md"));
                        CodeInfo::default()
                    }),
                    CodeBlockKind::Indented => CodeInfo::default(),
                };
                let mut text = String::new();
                let mut j = i + 1;
                while let Some((ev, _)) = events.get(j) {
                    match ev {
                        Event::Text(t) => text.push_str(t),
                        Event::End(TagEnd::CodeBlock) => break,
                        _ => {}
                    }
                    j += 1;
                }
                (info, text, j + 1)
            }
            _ => {
                let Standalone { text, span, next } = standalone(events, i).unwrap_or(Standalone {
                    text: String::new(),
                    span: span.clone(),
                    next: i + 1,
                });
                let at = call_span(&self.page.text, &span);
                let call = match shortcode::parse(&text) {
                    shortcode::Parsed::Call(mut c) => {
                        self.place_args(&mut c, &text, &at);
                        c
                    }
                    _ => shortcode::Call {
                        name: "code".into(),
                        ..Default::default()
                    },
                };
                let page_dir = self
                    .page
                    .shown
                    .parent()
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
                    .unwrap_or_default();
                match include::load(self.env.root, &page_dir, &call) {
                    Ok(inc) => {
                        self.rendered.deps.push(inc.path);
                        (inc.info, inc.text, next)
                    }
                    Err(fault) => {
                        let span = fault.span(&call).unwrap_or(at);
                        let d = self.diag(Diagnostic::error(fault.message), span);
                        self.rendered
                            .diags
                            .push(d.with_help("see \"Code from files\" in docs/writing.md"));
                        (CodeInfo::default(), String::new(), next)
                    }
                }
            }
        };
        let lines = self.highlight(&text, &info, span.clone());
        self.check_hl_lines(&info, lines.len(), span);
        (CodeItem { info, lines }, next)
    }

    /// Writes one code block, or a run of adjacent tabbed blocks as a group.
    /// A run naming a `group` that appeared earlier on the page joins it.
    /// Returns the index after the last block.
    fn code_blocks(&mut self, events: &[(Event<'a>, Range<usize>)], start: usize) -> usize {
        let (first, mut i) = self.code_item(events, start);
        if first.info.tab.is_none() && first.info.group.is_none() {
            let mut html = String::new();
            code::block_html(
                &mut html,
                &Block {
                    info: &first.info,
                    lines: &first.lines,
                },
            );
            self.out.push(Event::Html(CowStr::from(html)));
            return i;
        }
        let mut group_name = first.info.group.clone();
        let mut run = vec![first];
        while let Some(info) = self.peek_code(events, i) {
            if info.tab.is_none() && info.group.is_none() {
                break;
            }
            // A block naming another group starts that group.
            match (&group_name, &info.group) {
                (Some(a), Some(b)) if a != b => break,
                (None, Some(b)) => group_name = Some(b.clone()),
                _ => {}
            }
            let (item, next) = self.code_item(events, i);
            run.push(item);
            i = next;
        }
        let name = run.iter().find_map(|b| b.info.group.clone());
        match name
            .as_ref()
            .and_then(|n| self.groups.iter_mut().find(|g| g.name.as_ref() == Some(n)))
        {
            Some(group) => group.items.extend(run),
            None => {
                self.groups.push(GroupAcc {
                    name,
                    slot: self.out.len(),
                    items: run,
                });
                self.out.push(Event::Html(CowStr::from(String::new())));
            }
        }
        i
    }

    /// Writes every group into the place its first block held.
    fn finish_groups(&mut self) {
        for g in std::mem::take(&mut self.groups) {
            let blocks: Vec<Block<'_>> = g
                .items
                .iter()
                .map(|b| Block {
                    info: &b.info,
                    lines: &b.lines,
                })
                .collect();
            let mut html = String::new();
            code::group_html(&mut html, &blocks);
            self.out[g.slot] = Event::Html(CowStr::from(html));
        }
    }

    fn highlight(&mut self, text: &str, info: &CodeInfo, span: Range<usize>) -> Arc<Vec<String>> {
        match self.env.highlighter.highlight(text, info.lang.as_deref()) {
            Outcome::Highlighted(l) | Outcome::Plain(l) => l,
            Outcome::Unknown(l) => {
                let lang = info.lang.clone().unwrap_or_default();
                let d = self
                    .diag(
                        Diagnostic::warning(format!(
                            "no syntax highlighting for `{lang}`: shown as plain text"
                        )),
                        info_span(&self.page.text, &span),
                    )
                    .with_help("check the language name (js, ts, python, bash, json, ...)");
                self.rendered.unknown_langs.push((lang, d));
                l
            }
        }
    }

    fn check_hl_lines(&mut self, info: &CodeInfo, lines: usize, span: Range<usize>) {
        if let Some(r) = info.hl_lines.iter().find(|r| *r.end() > lines) {
            let d = Diagnostic::error(format!(
                "hl_lines {}-{} is past the end of this {lines}-line block",
                r.start(),
                r.end()
            ));
            let d = self.diag(d, info_span(&self.page.text, &span));
            self.rendered.diags.push(d);
        }
    }

    /// A paragraph, or a list item's text, holding only `{{ name(...) }}`
    /// is a shortcode call, rendered as a block. Returns the index of the
    /// next event, or `None` when the events at `start` are no such call.
    fn shortcode(&mut self, events: &[(Event<'a>, Range<usize>)], start: usize) -> Option<usize> {
        let Standalone { text, span, next } = standalone(events, start)?;
        if !text.trim_start().starts_with("{{") {
            return None;
        }
        let paragraph = matches!(events[start].0, Event::Start(Tag::Paragraph));
        let at = call_span(&self.page.text, &span);
        match shortcode::parse(&text) {
            shortcode::Parsed::None => None,
            // A figure alone in its paragraph is still running text.
            shortcode::Parsed::Call(call) if call.name == "figure" => None,
            shortcode::Parsed::Literal(lit) => {
                if paragraph {
                    self.out.push(Event::Start(Tag::Paragraph));
                }
                self.literals.push(self.out.len());
                self.out.push(Event::Text(CowStr::from(lit)));
                if paragraph {
                    self.out.push(Event::End(TagEnd::Paragraph));
                }
                Some(next)
            }
            shortcode::Parsed::Invalid(msg, part) => {
                let at = self.place(&text, &at, part);
                let d = self.invalid(msg, at);
                self.rendered.diags.push(d);
                Some(next)
            }
            shortcode::Parsed::Call(mut call) => {
                self.place_args(&mut call, &text, &at);
                match self.env.shortcodes {
                    Some(sc) if sc.is_block(&call.name) => {
                        match sc.render(&call, self.page, at, &|dest| {
                            links::resolve_for(self.env, self.page, self.outline, dest)
                        }) {
                            Ok(html) => {
                                self.html_ids(&html);
                                self.out.push(Event::Html(CowStr::from(html)));
                            }
                            Err(d) => self.rendered.diags.push(d),
                        }
                    }
                    _ => {
                        let d = self.unknown(&call.name, at);
                        self.rendered.diags.push(d);
                    }
                }
                Some(next)
            }
        }
    }

    /// The last safety net: text about to be published that still looks
    /// like a call (`{{ name(`), outside code and literal calls, is an
    /// error. Every call is handled before this, so it only fires if a
    /// case was missed; it names the page and the first such text in it.
    fn unhandled_calls(&mut self) {
        if self.rendered.diags.iter().any(Diagnostic::is_error) {
            // The page fails already, and its calls in error are kept as
            // written where they were.
            return;
        }
        let Some(written) = unhandled_call(&self.out, &self.literals) else {
            return;
        };
        let body = self.page.body.clone();
        let at = self
            .page
            .text
            .get(body.clone())
            .and_then(|b| b.find(&written))
            .map_or(body.start..body.start, |i| {
                body.start + i..body.start + i + written.len()
            });
        let d = self
            .diag(
                Diagnostic::error(format!(
                    "`{written}` would be published as text: the call was not run"
                )),
                at,
            )
            .with_help(
                "put the call on a line of its own; to show a call as text write {{/* name(...) */}}",
            );
        self.rendered.diags.push(d);
    }
}

/// The first `{{ name(` in the text of `out` (code and raw HTML are not
/// text) but for the literal calls at the indexes `literals`.
fn unhandled_call(out: &[Event<'_>], literals: &[usize]) -> Option<String> {
    out.iter().enumerate().find_map(|(k, event)| match event {
        // `literals` grows in output order: sorted.
        Event::Text(t) if literals.binary_search(&k).is_err() => {
            shortcode::call_start(t).map(|r| t[r].to_string())
        }
        _ => None,
    })
}

/// The alternative text of an image: the text of `events` up to the
/// image's end.
fn image_alt(events: &[(Event<'_>, Range<usize>)]) -> String {
    let mut alt = String::new();
    for (ev, _) in events {
        match ev {
            Event::End(TagEnd::Image) => break,
            Event::Text(t) | Event::Code(t) => alt.push_str(t),
            _ => {}
        }
    }
    alt
}

/// The span of a fenced block's first line (its info string), for errors.
fn info_span(text: &str, block: &Range<usize>) -> Range<usize> {
    let start = block.start.min(text.len());
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    start..end.min(block.end.max(start))
}

/// The whole text of a page as shown to the author, for diagnostics built
/// outside this module.
pub fn located(page: &Page, d: Diagnostic, span: Range<usize>) -> Diagnostic {
    d.at(Path::new(&page.shown), &page.text, span)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slugify("The GIL, explained"), "the-gil-explained");
        assert_eq!(slugify("I/O-bound work"), "io-bound-work");
        assert_eq!(slugify("  Über   Straße "), "über-straße");
        assert_eq!(slugify("???"), "section");
    }

    #[test]
    fn ten_thousand_equal_headings_are_not_quadratic() {
        let text: std::sync::Arc<str> = std::sync::Arc::from("## Same\n\n".repeat(10_000));
        let page = Page {
            rel: "a.md".into(),
            shown: "content/a.md".into(),
            body: 0..text.len(),
            text,
            on_disk: None,
            meta: Default::default(),
            output: "a.html".into(),
            section: 0,
            is_section: false,
            generated: false,
        };
        let start = std::time::Instant::now();
        let o = outline(&page, Options::empty());
        assert_eq!(o.headings.len(), 10_000);
        assert_eq!(o.headings[9_999].id, "same-9999");
        assert!(start.elapsed().as_secs() < 5, "{:?}", start.elapsed());
    }

    #[test]
    fn call_text_left_in_the_output_is_found() {
        let out = vec![
            Event::Text(CowStr::from("{{ shown(x=1) }}")),
            Event::Code(CowStr::from("{{ code(x=1) }}")),
            Event::Html(CowStr::from("<p>{{ raw(x=1) }}</p>")),
            Event::Text(CowStr::from("{{ not a call }}")),
        ];
        assert_eq!(unhandled_call(&out, &[0]), None);
        let mut with_call = out.clone();
        with_call.push(Event::Text(CowStr::from("and {{ missed (a=1) }}")));
        assert_eq!(
            unhandled_call(&with_call, &[0]).as_deref(),
            Some("{{ missed (")
        );
        assert_eq!(
            unhandled_call(&with_call, &[]).as_deref(),
            Some("{{ shown(")
        );
    }

    #[test]
    fn ids_are_unique() {
        let mut taken = HashSet::new();
        let mut next = HashMap::new();
        assert_eq!(unique_id(&mut taken, &mut next, "a"), "a");
        assert_eq!(unique_id(&mut taken, &mut next, "a"), "a-1");
        assert_eq!(unique_id(&mut taken, &mut next, "a"), "a-2");
        release_id(&mut taken, &mut next, "a-1");
        assert_eq!(
            unique_id(&mut taken, &mut next, "a"),
            "a-1",
            "freed ids are reused"
        );
        assert_eq!(unique_id(&mut taken, &mut next, "a"), "a-3");
    }
}
