//! The typed-figure scan: figures with units typed into the prose (not
//! from a `figure` call), noted for `versus check`, which asks for them to
//! come from data on pages that show benchmark results.

use std::ops::Range;

use super::writer::Writer;

/// Notes the figures typed into `text` (of the events spanning `span`).
pub(super) fn scan(w: &mut Writer<'_, '_>, text: &str, span: &Range<usize>) {
    if !w.env.typed_figures {
        return;
    }
    for r in crate::text::units::measured_looking(text) {
        let at = w.locate(&text[r], span);
        w.rendered.typed_figures.push(at);
    }
}
