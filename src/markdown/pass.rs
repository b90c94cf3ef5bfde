//! The Markdown pass: pulldown-cmark events of one page in, HTML out,
//! with every outline known, so a link to `other.md#anchor` is checked
//! against the other page's real ids and rewritten to its output file. It
//! walks the events and hands each job to its part: headings and raw HTML
//! here, code blocks, shortcode calls, search text and the figure scan in
//! their files.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Parser, Tag, TagEnd};

use super::calls;
use super::code_blocks::{self, Groups};
use super::env::{Env, Ref, RenderedBody};
use super::links;
use super::outline::level_num;
use super::placement::text_run;
use super::search_text::{self, TextSection};
use super::writer::Writer;
use crate::config::LinkPolicy;
use crate::content::Page;
use crate::deps::Input;
use crate::report::diagnostic::Diagnostic;
use crate::text::escape;

/// Second pass: the page's body as HTML.
pub fn render(env: &Env<'_>, index: usize) -> RenderedBody {
    let page = match env.content.pages[index].with_text() {
        Ok(page) => page,
        Err(d) => {
            return RenderedBody {
                diags: vec![d],
                ..RenderedBody::default()
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
        w: Writer {
            env,
            page,
            index,
            outline,
            out: Vec::with_capacity(events.len()),
            rendered: RenderedBody::default(),
            literals: Vec::new(),
        },
        groups: Groups::default(),
        heading_events: 0,
        heading_ids: 0,
        in_heading: false,
        raw_block: None,
        in_image: false,
    };
    pass.w.rendered.sections.push(TextSection::default());
    pass.run(&events);
    pass.groups.finish(&mut pass.w);
    calls::unhandled_calls(&mut pass.w);
    let mut html = String::with_capacity(body.len() * 2);
    pulldown_cmark::html::push_html(&mut html, pass.w.out.into_iter());
    // The ids are gathered as the body is made; a scan of the whole body
    // must find the same.
    debug_assert_eq!(
        pass.w.rendered.ids,
        crate::text::html::body_ids(&html),
        "ids of {}",
        page.shown.display()
    );
    pass.w.rendered.html = html;
    pass.w.rendered
}

/// The walk over one page's events.
struct Pass<'e, 'a> {
    w: Writer<'e, 'a>,
    groups: Groups,
    /// Heading start events seen (the title heading included).
    heading_events: usize,
    /// Headings written (index into `outline.headings`).
    heading_ids: usize,
    in_heading: bool,
    /// The raw HTML block being read, whose ids are taken at its end (a
    /// start tag may run over several of its lines).
    raw_block: Option<String>,
    /// Inside an image: its alternative text is written as plain text,
    /// raw HTML in it included.
    in_image: bool,
}

impl<'a> Pass<'_, 'a> {
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
                Event::Start(Tag::CodeBlock(_)) => self.groups.write(&mut self.w, events, i),
                Event::Start(Tag::Paragraph) | Event::Text(_) | Event::InlineHtml(_)
                    if code_blocks::peek(events, i).is_some() =>
                {
                    self.groups.write(&mut self.w, events, i)
                }
                Event::Start(Tag::Paragraph) | Event::Text(_) | Event::InlineHtml(_)
                    if !self.in_heading =>
                {
                    match calls::shortcode(&mut self.w, events, i) {
                        Some(next) => next,
                        None if matches!(events[i].0, Event::Text(_)) => {
                            calls::text(&mut self.w, events, i)
                        }
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
            Event::Start(Tag::Link { .. }) => {
                let link = links::with_dest(event.clone(), |dest| self.link(&dest, span));
                self.w.out.push(link);
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                let alt = image_alt(&events[i + 1..]);
                let dest = links::from_language_folder(self.w.env.content, self.w.page, dest_url);
                self.w.rendered.refs.push(Ref {
                    dest: dest.unwrap_or_else(|| dest_url.to_string()),
                    span: span.clone(),
                    image: true,
                    alt,
                });
                self.in_image = true;
                let (content, page) = (self.w.env.content, self.w.page);
                let image = links::with_dest(event.clone(), |dest| {
                    links::from_language_folder(content, page, &dest).map_or(dest, CowStr::from)
                });
                self.w.out.push(image);
            }
            Event::End(TagEnd::Image) => {
                self.in_image = false;
                self.w.out.push(event.clone());
            }
            Event::Text(t) | Event::Code(t) => {
                if !self.in_heading {
                    search_text::add_code(&mut self.w.rendered.sections, t);
                }
                self.w.out.push(event.clone());
            }
            Event::InlineMath(latex) | Event::DisplayMath(latex) => self.math(event, latex, span),
            Event::TaskListMarker(done) => {
                // A labelled, read-only checkbox (an unlabelled input fails accessibility checks).
                self.w.out.push(Event::Html(CowStr::from(if *done {
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
                self.w.out.push(event.clone());
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                // pulldown-cmark writes the definition with its name as id.
                self.w.rendered.ids.push(name.to_string());
                self.w.out.push(event.clone());
            }
            e => self.w.out.push(e.clone()),
        }
    }

    /// A formula, as MathML; one that does not parse is an error at it.
    fn math(&mut self, event: &Event<'a>, latex: &str, span: &Range<usize>) {
        let display = matches!(event, Event::DisplayMath(_));
        match super::math::to_mathml(latex, display) {
            Ok(mathml) => {
                if !self.in_heading {
                    let words = super::math::search_text(&mathml);
                    search_text::add_code(&mut self.w.rendered.sections, &words);
                }
                self.w.out.push(Event::InlineHtml(CowStr::from(mathml)));
            }
            Err(d) => self.w.rendered.diags.push(self.w.diag(d, span.clone())),
        }
    }

    /// Closes a heading with its anchor link.
    fn heading_end(&mut self, level: HeadingLevel) {
        self.in_heading = false;
        let id = self
            .w
            .outline
            .headings
            .get(self.heading_ids.wrapping_sub(1))
            .map(|h| h.id.as_str())
            .unwrap_or("");
        self.w.out.push(Event::Html(CowStr::from(format!(
            " <a class=\"anchor\" href=\"#{}\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h{}>\n",
            escape::html(id),
            level_num(level)
        ))));
    }

    /// A link's destination as written out: links to pages go to their
    /// output files; links to anything else are noted for `versus check`.
    fn link(&mut self, dest_url: &CowStr<'a>, span: &Range<usize>) -> CowStr<'a> {
        if !dest_url.ends_with(".md") && !dest_url.contains(".md#") {
            // As written out: `versus check` looks for it from the output file.
            let dest = links::from_language_folder(self.w.env.content, self.w.page, dest_url);
            self.w.rendered.refs.push(Ref {
                dest: dest.unwrap_or_else(|| dest_url.to_string()),
                span: span.clone(),
                image: false,
                alt: String::new(),
            });
        }
        let w = &mut self.w;
        if let Some(target) = links::target_rel(&w.page.rel, dest_url) {
            // The link goes to the target's translation: its ids count too.
            let content = w.env.content;
            let translated = content
                .page_by_link(&target)
                .and_then(|i| content.in_lang(i, w.page.lang))
                .map(|i| content.pages[i].rel.clone())
                .filter(|rel| *rel != target);
            w.env.recorder.page(w.index, Input::Anchors(target));
            if let Some(rel) = translated {
                w.env.recorder.page(w.index, Input::Anchors(rel));
            }
        }
        let resolved =
            links::resolve_for(w.env.content, w.env.outlines, w.page, w.outline, dest_url);
        match resolved {
            links::Resolved::Unchanged => {
                links::from_language_folder(w.env.content, w.page, dest_url)
                    .map_or_else(|| dest_url.clone(), CowStr::from)
            }
            links::Resolved::Url(url) => CowStr::from(url),
            links::Resolved::Broken(message, help) => {
                let d = match w.env.links {
                    LinkPolicy::Error => Diagnostic::error(message),
                    LinkPolicy::Warn => Diagnostic::warning(message),
                };
                let d = w
                    .diag(d, span.clone())
                    .with_help(help)
                    .with_code(links::BROKEN_LINK);
                w.rendered.diags.push(d);
                dest_url.clone()
            }
        }
    }

    /// A run of text in a heading. Its id and the table of contents are
    /// made from its text before anything renders, so no call can work
    /// there; a literal call is shown as one. Returns the next event's index.
    fn heading_text(&mut self, events: &[(Event<'a>, Range<usize>)], start: usize) -> usize {
        let (text, span, end) = text_run(events, start);
        let shown = calls::no_calls(&mut self.w, &text, &span, events, start);
        if shown != text {
            self.w.literals.push(self.w.out.len());
        }
        self.w.out.push(Event::Text(CowStr::from(shown)));
        end
    }

    /// Notes the ids of the author's raw HTML: a block's at its end (a
    /// start tag may run over several of its lines), inline HTML's at
    /// once, but not in an image's alternative text (written as text).
    fn raw_html(&mut self, event: &Event<'_>) {
        match event {
            Event::Start(_) => self.raw_block = Some(String::new()),
            Event::End(_) => {
                if let Some(html) = self.raw_block.take() {
                    self.w.html_ids(&html);
                }
            }
            Event::Html(t) | Event::InlineHtml(t) => match &mut self.raw_block {
                Some(block) => block.push_str(t),
                None if self.in_image => {}
                None => self.w.html_ids(t),
            },
            _ => {}
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
        if Some(n) == self.w.outline.title_heading {
            // Not written here, but it is the page's title: no calls in it either.
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::Heading(_))) {
                if matches!(events[j].0, Event::Text(_)) {
                    let (text, span, end) = text_run(events, j);
                    calls::no_calls(&mut self.w, &text, &span, events, j);
                    j = end;
                } else {
                    j += 1;
                }
            }
            return j + 1;
        }
        let (id, text) = self
            .w
            .outline
            .headings
            .get(self.heading_ids)
            .map(|h| (h.id.clone(), h.text.clone()))
            .unwrap_or_default();
        self.in_heading = true;
        search_text::start(&mut self.w.rendered.sections, &id, text);
        self.heading_ids += 1;
        self.w.rendered.ids.push(id.clone());
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
        self.w.out.push(Event::Html(CowStr::from(tag)));
        i + 1
    }
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
