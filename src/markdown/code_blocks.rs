//! Code blocks in the Markdown pass: fenced and indented blocks and
//! `code(...)` calls (a file's lines) are highlighted and written, alone
//! or as tabbed groups; a run naming a `group` seen earlier on the page
//! joins it.

use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};

use super::code::{self, Block, CodeInfo};
use super::include;
use super::placement::{Standalone, call_span, standalone};
use super::writer::Writer;
use crate::deps::Input;
use crate::highlight::Highlighting;
use crate::report::diagnostic::Diagnostic;
use crate::shortcode_syntax as shortcode;

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

/// The tabbed groups of a page, each written where its first block stood.
#[derive(Default)]
pub(super) struct Groups {
    open: Vec<GroupAcc>,
}

impl Groups {
    /// Writes one code block, or a run of adjacent tabbed blocks as a group.
    /// A run naming a `group` that appeared earlier on the page joins it.
    /// Returns the index after the last block.
    pub(super) fn write<'a>(
        &mut self,
        w: &mut Writer<'_, 'a>,
        events: &[(Event<'a>, Range<usize>)],
        start: usize,
    ) -> usize {
        let (first, mut i) = item(w, events, start);
        if first.info.tab.is_none() && first.info.group.is_none() {
            let mut html = String::new();
            code::block_html(
                &mut html,
                &Block {
                    info: &first.info,
                    lines: &first.lines,
                },
            );
            w.out.push(Event::Html(CowStr::from(html)));
            return i;
        }
        let mut group_name = first.info.group.clone();
        let mut run = vec![first];
        while let Some(info) = peek(events, i) {
            if info.tab.is_none() && info.group.is_none() {
                break;
            }
            // A block naming another group starts that group.
            match (&group_name, &info.group) {
                (Some(a), Some(b)) if a != b => break,
                (None, Some(b)) => group_name = Some(b.clone()),
                _ => {}
            }
            let (item, next) = item(w, events, i);
            run.push(item);
            i = next;
        }
        let name = run.iter().find_map(|b| b.info.group.clone());
        match name
            .as_ref()
            .and_then(|n| self.open.iter_mut().find(|g| g.name.as_ref() == Some(n)))
        {
            Some(group) => group.items.extend(run),
            None => {
                self.open.push(GroupAcc {
                    name,
                    slot: w.out.len(),
                    items: run,
                });
                w.out.push(Event::Html(CowStr::from(String::new())));
            }
        }
        i
    }

    /// Writes every group into the place its first block held.
    pub(super) fn finish(self, w: &mut Writer<'_, '_>) {
        for g in self.open {
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
            w.out[g.slot] = Event::Html(CowStr::from(html));
        }
    }
}

/// Is the event at `i` a code block, or a paragraph holding a `code(...)`
/// call? If so, its attributes (without loading anything).
pub(super) fn peek(events: &[(Event<'_>, Range<usize>)], i: usize) -> Option<CodeInfo> {
    match &events.get(i)?.0 {
        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
            Some(code::parse_info(info).unwrap_or_default())
        }
        Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => Some(CodeInfo::default()),
        Event::Start(Tag::Paragraph) | Event::Text(_) | Event::InlineHtml(_) => {
            let text = standalone(events, i)?.text;
            match shortcode::parse(&text) {
                shortcode::Parsed::Call(c) if c.name == include::SPEC.name => {
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

/// Reads and highlights the code item at `i` (see [`peek`]).
/// Returns it and the index of the event after it.
fn item<'a>(
    w: &mut Writer<'_, 'a>,
    events: &[(Event<'a>, Range<usize>)],
    i: usize,
) -> (CodeItem, usize) {
    let span = events[i].1.clone();
    let (info, text, next) = match &events[i].0 {
        Event::Start(Tag::CodeBlock(kind)) => {
            let info = match kind {
                CodeBlockKind::Fenced(info) => code::parse_info(info).unwrap_or_else(|e| {
                    let at = attribute_span(&w.page.text, &span, info, e.at.clone());
                    let d = w.diag(Diagnostic::error(e.to_string()), at);
                    w.rendered
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
            let at = call_span(&w.page.text, &span);
            let call = match shortcode::parse(&text) {
                shortcode::Parsed::Call(mut c) => {
                    w.place_args(&mut c, &text, &at);
                    c
                }
                _ => shortcode::Call {
                    name: include::SPEC.name.into(),
                    ..Default::default()
                },
            };
            let page_dir = w
                .page
                .shown
                .parent()
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            match include::load(w.env.root, &page_dir, &call) {
                Ok(inc) => {
                    w.env.recorder.page(w.index, Input::file(&inc.path));
                    (inc.info, inc.text, next)
                }
                Err(fault) => {
                    let span = fault.span(&call).unwrap_or(at);
                    let d = w.diag(Diagnostic::error(fault.message), span);
                    w.rendered
                        .diags
                        .push(d.with_help("see \"Code from files\" in docs/writing.md"));
                    (CodeInfo::default(), String::new(), next)
                }
            }
        }
    };
    let lines = highlight(w, &text, &info, span.clone());
    check_hl_lines(w, &info, lines.len(), span);
    (CodeItem { info, lines }, next)
}

fn highlight(
    w: &mut Writer<'_, '_>,
    text: &str,
    info: &CodeInfo,
    span: Range<usize>,
) -> Arc<Vec<String>> {
    match w.env.highlighter.highlight(text, info.lang.as_deref()) {
        Highlighting::Highlighted(l) | Highlighting::Plain(l) => l,
        Highlighting::Partial(l) => {
            let lang = info.lang.clone().unwrap_or_default();
            let d = w
                .diag(
                    Diagnostic::warning(format!(
                        "syntax highlighting of this `{lang}` block stopped early: \
                         part of it is shown as plain text"
                    )),
                    info_span(&w.page.text, &span),
                )
                .with_help(
                    "a line longer than 64 KiB, or one a grammar's pattern could not match \
                     within its budget, is not highlighted",
                );
            w.rendered.diags.push(d);
            l
        }
        Highlighting::Unknown(l) => {
            let lang = info.lang.clone().unwrap_or_default();
            let d = w
                .diag(
                    Diagnostic::warning(format!(
                        "no syntax highlighting for `{lang}`: shown as plain text"
                    )),
                    info_span(&w.page.text, &span),
                )
                .with_help("check the language name (js, ts, python, bash, json, ...)");
            w.rendered.unknown_langs.push((lang, d));
            l
        }
    }
}

fn check_hl_lines(w: &mut Writer<'_, '_>, info: &CodeInfo, lines: usize, span: Range<usize>) {
    if let Some(r) = info.hl_lines.iter().find(|r| *r.end() > lines) {
        let d = Diagnostic::error(format!(
            "hl_lines {}-{} is past the end of this {lines}-line block",
            r.start(),
            r.end()
        ));
        let d = w.diag(d, info_span(&w.page.text, &span));
        w.rendered.diags.push(d);
    }
}

/// The span of a fenced block's first line (its info string), for errors.
fn info_span(text: &str, block: &Range<usize>) -> Range<usize> {
    let start = block.start.min(text.len());
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    start..end.min(block.end.max(start))
}

/// Where `part` of a fenced block's `info` string is in the page; the
/// whole first line where the info string is not written as is (an
/// escape or an entity in it).
fn attribute_span(
    text: &str,
    block: &Range<usize>,
    info: &str,
    part: Range<usize>,
) -> Range<usize> {
    let line = info_span(text, block);
    match text[line.clone()].find(info) {
        Some(i) if part.end <= info.len() => line.start + i + part.start..line.start + i + part.end,
        _ => line,
    }
}
