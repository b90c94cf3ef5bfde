//! Shortcode placement: where in the events a call stands. A block call
//! stands alone where a block may (a paragraph of its own, the only text
//! of a list item); a call anywhere else stands in a [`Place`] of running
//! text, which its error names.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

/// Text standing where a block may stand (a shortcode candidate): a
/// paragraph made only of text, or all the text of a list item that has
/// no paragraphs (a tight list's item, which may hold a nested list).
pub(super) struct Standalone {
    pub text: String,
    /// The events' span in the page's file.
    pub span: Range<usize>,
    /// The index of the event after it.
    pub next: usize,
}

pub(super) fn standalone(events: &[(Event<'_>, Range<usize>)], start: usize) -> Option<Standalone> {
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
pub(super) fn text_run(
    events: &[(Event<'_>, Range<usize>)],
    start: usize,
) -> (String, Range<usize>, usize) {
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
pub(super) fn call_span(text: &str, span: &Range<usize>) -> Range<usize> {
    let source = text.get(span.clone()).unwrap_or("");
    match (source.find("{{"), source.rfind("}}")) {
        (Some(a), Some(b)) if a < b => span.start + a..span.start + b + 2,
        _ => span.clone(),
    }
}

/// Running text a call stands in, where no block can go.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Place {
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
    pub(super) fn of(events: &[(Event<'_>, Range<usize>)], i: usize) -> Place {
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
    pub(super) fn words(self) -> &'static str {
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
    pub(super) fn help(self, name: &str) -> String {
        match self {
            Place::TableCell => "a table cell holds running text only: put the call on a line of its own below the table (in a cell, `figure` shows one number)".to_string(),
            Place::Heading => "put the call on a line of its own under the heading".to_string(),
            _ => format!(
                "put {{{{ {name}(...) }}}} on a line of its own, with a blank line before and after it; it may also stand alone in a list item or a blockquote"
            ),
        }
    }
}
