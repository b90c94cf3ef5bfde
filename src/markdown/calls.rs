//! Shortcode calls in the Markdown pass: a block call alone in its
//! paragraph is rendered as a block, an inline call (`figure`) inside
//! running text, and every other call is an error where it stands; only
//! literal calls (`{{/* */}}`) and code show a call as text.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::call_site::CallSite;
use super::figures;
use super::links;
use super::placement::{Place, Standalone, call_span, standalone, text_run};
use super::search_text;
use super::writer::Writer;
use crate::report::diagnostic::Diagnostic;
use crate::shortcode_syntax::{self as shortcode, Placement};

/// Reports every call in `text` (a heading's), which cannot work
/// there, and returns the text with its literal calls shown as calls.
pub(super) fn no_calls<'a>(
    w: &mut Writer<'_, 'a>,
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
        let call_at = w.locate(written, span);
        let d = match parsed {
            shortcode::Parsed::Literal(lit) => {
                shown.push_str(&lit);
                continue;
            }
            shortcode::Parsed::Call(c) if w.placement(&c.name) == Some(Placement::Inline) => w
                .diag(
                    Diagnostic::error(format!("`{}` cannot be used in a heading", c.name)),
                    call_at,
                )
                .with_help(format!("put the {} in the text under the heading", c.name)),
            shortcode::Parsed::Call(c) => w.misplaced(&c, Place::of(events, at), call_at),
            shortcode::Parsed::Invalid(e) => w.invalid(&e, written, &call_at),
            shortcode::Parsed::None => continue,
        };
        shown.push_str(written);
        w.rendered.diags.push(d);
    }
    shown.push_str(&text[last..]);
    shown
}

/// A run of text events from `start`: inline `figure` calls rendered,
/// any other call reported (a block shortcode cannot stand in running
/// text), figures typed by hand noted, the text added to the search
/// index. Returns the index of the next event.
pub(super) fn text<'a>(
    w: &mut Writer<'_, 'a>,
    events: &[(Event<'a>, Range<usize>)],
    start: usize,
) -> usize {
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
                figures::scan(w, t, span);
                search_text::add(&mut w.rendered.sections, t);
            }
            w.out.push(event.clone());
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
        figures::scan(w, before, &span);
        w.out.push(Event::Text(CowStr::from(before.to_string())));
        plain.push_str(before);
        let written = &text[range.clone()];
        let call_span = w.locate(written, &span);
        match parsed {
            shortcode::Parsed::Call(mut call) => {
                w.place_args(&mut call, written, &call_span);
                let site = CallSite {
                    call: &call,
                    page: w.page,
                    index: w.index,
                    span: call_span.clone(),
                };
                match w.env.shortcodes.and_then(|sc| sc.inline(&site)) {
                    Some(Ok((html, words))) => {
                        w.html_ids(&html);
                        w.out.push(Event::InlineHtml(CowStr::from(html)));
                        plain.push_str(&words);
                    }
                    Some(Err(d)) => w.rendered.diags.push(d),
                    None => {
                        let d = w.misplaced(&call, Place::of(events, start), call_span);
                        w.rendered.diags.push(d);
                    }
                }
            }
            shortcode::Parsed::Literal(lit) => {
                plain.push_str(&lit);
                w.literals.push(w.out.len());
                w.out.push(Event::Text(CowStr::from(lit)));
            }
            shortcode::Parsed::Invalid(e) => {
                let d = w.invalid(&e, written, &call_span);
                w.rendered.diags.push(d);
            }
            shortcode::Parsed::None => {}
        }
        at = range.end;
    }
    let rest = &text[at..];
    figures::scan(w, rest, &span);
    plain.push_str(rest);
    w.out.push(Event::Text(CowStr::from(rest.to_string())));
    search_text::add(&mut w.rendered.sections, &plain.replace('\n', " "));
    end
}

/// A paragraph, or a list item's text, holding only `{{ name(...) }}`
/// is a shortcode call, rendered as a block. Returns the index of the
/// next event, or `None` when the events at `start` are no such call.
pub(super) fn shortcode<'a>(
    w: &mut Writer<'_, 'a>,
    events: &[(Event<'a>, Range<usize>)],
    start: usize,
) -> Option<usize> {
    let Standalone { text, span, next } = standalone(events, start)?;
    if !text.trim_start().starts_with("{{") {
        return None;
    }
    let paragraph = matches!(events[start].0, Event::Start(Tag::Paragraph));
    let at = call_span(&w.page.text, &span);
    match shortcode::parse(&text) {
        shortcode::Parsed::None => None,
        // A figure alone in its paragraph is still running text.
        shortcode::Parsed::Call(call) if w.placement(&call.name) == Some(Placement::Inline) => None,
        shortcode::Parsed::Literal(lit) => {
            if paragraph {
                w.out.push(Event::Start(Tag::Paragraph));
            }
            w.literals.push(w.out.len());
            w.out.push(Event::Text(CowStr::from(lit)));
            if paragraph {
                w.out.push(Event::End(TagEnd::Paragraph));
            }
            Some(next)
        }
        shortcode::Parsed::Invalid(e) => {
            let d = w.invalid(&e, &text, &at);
            w.rendered.diags.push(d);
            Some(next)
        }
        shortcode::Parsed::Call(mut call) => {
            w.place_args(&mut call, &text, &at);
            match w.env.shortcodes {
                Some(sc) if sc.placement(&call.name) == Some(Placement::Block) => {
                    let site = CallSite {
                        call: &call,
                        page: w.page,
                        index: w.index,
                        span: at,
                    };
                    match sc.render(&site, &|dest| {
                        links::resolve_for(w.env.content, w.env.outlines, w.page, w.outline, dest)
                    }) {
                        Ok((html, words)) => {
                            w.html_ids(&html);
                            w.out.push(Event::Html(CowStr::from(html)));
                            search_text::add(&mut w.rendered.sections, &words);
                        }
                        Err(d) => w.rendered.diags.push(d),
                    }
                }
                _ => {
                    let d = w.unknown(&call.name, at);
                    w.rendered.diags.push(d);
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
pub(super) fn unhandled_calls(w: &mut Writer<'_, '_>) {
    if w.rendered.diags.iter().any(Diagnostic::is_error) {
        // The page fails already, and its calls in error are kept as
        // written where they were.
        return;
    }
    let Some(written) = unhandled_call(&w.out, &w.literals) else {
        return;
    };
    let body = w.page.body.clone();
    let at = w
        .page
        .text
        .get(body.clone())
        .and_then(|b| b.find(&written))
        .map_or(body.start..body.start, |i| {
            body.start + i..body.start + i + written.len()
        });
    let d = w
        .diag(
            Diagnostic::error(format!(
                "`{written}` would be published as text: the call was not run"
            )),
            at,
        )
        .with_help(
            "put the call on a line of its own; to show a call as text write {{/* name(...) */}}",
        );
    w.rendered.diags.push(d);
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
