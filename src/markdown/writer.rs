//! What the pass writes for one page: the events going out, the
//! [`RenderedBody`] record, and diagnostics located in the page's file (a
//! call's text as the events carry it is found again in the source).

use std::ops::Range;

use pulldown_cmark::Event;

use super::env::{Env, RenderedBody};
use super::outline::Outline;
use super::placement::Place;
use crate::content::Page;
use crate::report::diagnostic::Diagnostic;
use crate::shortcode_syntax::{self as shortcode, Placement};

/// One page being written.
pub(super) struct Writer<'e, 'a> {
    pub env: &'e Env<'e>,
    pub page: &'e Page,
    /// The page's index in `env.content`.
    pub index: usize,
    pub outline: &'e Outline,
    pub out: Vec<Event<'a>>,
    pub rendered: RenderedBody,
    /// Indexes in `out` of text that shows calls written literally
    /// (`{{/* name() */}}`): the only text that may look like a call.
    pub literals: Vec<usize>,
}

impl Writer<'_, '_> {
    pub fn diag(&self, d: Diagnostic, span: Range<usize>) -> Diagnostic {
        d.at(&self.page.shown, &self.page.text, span)
    }

    /// Where a call of `name` stands, from the shortcodes' registry.
    pub fn placement(&self, name: &str) -> Option<Placement> {
        self.env.shortcodes.and_then(|s| s.placement(name))
    }

    /// The error for a call that cannot stand where it is written: a
    /// block shortcode inside running text, or a name no shortcode has.
    pub fn misplaced(&self, call: &shortcode::Call, place: Place, at: Range<usize>) -> Diagnostic {
        if self.placement(&call.name) != Some(Placement::Block) {
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
    pub fn unknown(&self, name: &str, at: Range<usize>) -> Diagnostic {
        let mut known: Vec<String> = self.env.shortcodes.map(|s| s.names()).unwrap_or_default();
        known.sort();
        known.dedup();
        let d = Diagnostic::error(format!("unknown shortcode `{name}`"));
        let d = match crate::report::diagnostic::closest(name, known.iter().map(String::as_str)) {
            Some(k) => d.with_help(format!("did you mean `{k}`?")),
            None => d.with_help(format!(
                "the shortcodes are {}; a site adds one as templates/shortcodes/{name}.html; to show the call as text write {{{{/* {name}(...) */}}}}",
                known.join(", ")
            )),
        };
        self.diag(d, at)
    }

    /// The error for a malformed call, parsed from `written`, at `at` in
    /// the page.
    pub fn invalid(
        &self,
        call: &shortcode::InvalidCall,
        written: &str,
        at: &Range<usize>,
    ) -> Diagnostic {
        let at = self.place(written, at, call.at.clone());
        self.diag(Diagnostic::error(call.to_string()), at).with_help(
            "write calls as {{ name(key=\"value\") }}; to show one literally write {{/* name(...) */}}",
        )
    }

    /// Moves the spans of `call`'s arguments from `written` (the text it
    /// was parsed from) to the page's file, where the call is at `at`.
    /// Where the text differs from the file (Markdown escapes, a call over
    /// several lines of a list item) each argument is looked for in the
    /// call's source; one not found points at the whole call.
    pub fn place_args(&self, call: &mut shortcode::Call, written: &str, at: &Range<usize>) {
        for span in call.spans.values_mut() {
            *span = self.place(written, at, span.clone());
        }
    }

    /// Where `part` (a byte range in `written`, with its quotes
    /// straightened) of the call at `at` is in the page's file.
    pub fn place(&self, written: &str, at: &Range<usize>, part: Range<usize>) -> Range<usize> {
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

    /// Notes the ids of HTML that goes into the body as it is.
    pub fn html_ids(&mut self, html: &str) {
        if html.contains("id") {
            self.rendered.ids.extend(crate::text::html::body_ids(html));
        }
    }

    /// Where `written` (text of the events spanning `span`) is in the page's
    /// file: found in the source, else the whole span (the text differs from
    /// the source where Markdown escapes or entities were decoded).
    pub fn locate(&self, written: &str, span: &Range<usize>) -> Range<usize> {
        let source = self.page.text.get(span.clone()).unwrap_or("");
        match source.find(written) {
            Some(i) => span.start + i..span.start + i + written.len(),
            None => span.clone(),
        }
    }
}
