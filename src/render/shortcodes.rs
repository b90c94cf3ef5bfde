//! Shortcodes: `{{ name(key=value) }}` in Markdown renders the theme's
//! `shortcodes/name.html` template with the arguments as `args`. A site adds
//! or overrides one by dropping a template into `templates/shortcodes/`.

use std::ops::Range;

use tera::Context;

use super::Renderer;
use crate::content::Page;
use crate::diagnostic::Diagnostic;
use crate::markdown::{self, shortcode::Call};

pub struct TeraShortcodes<'a> {
    pub renderer: &'a Renderer,
}

impl markdown::Shortcodes for TeraShortcodes<'_> {
    fn render(&self, call: &Call, page: &Page, span: Range<usize>) -> Result<String, Diagnostic> {
        let template = format!("shortcodes/{}.html", call.name);
        if !self.renderer.has_template(&template) {
            let d = Diagnostic::error(format!("unknown shortcode `{}`", call.name)).with_help(format!(
                "add a template templates/{template}, or write {{{{/* {}(...) */}}}} to show the call as text",
                call.name
            ));
            return Err(markdown::located(page, d, span));
        }
        let mut ctx = Context::new();
        ctx.insert("args", &call.args);
        ctx.insert("page_source", &page.rel);
        self.renderer.render(&template, &ctx, &page.shown).map_err(|d| {
            let note = d.render(false);
            markdown::located(page, Diagnostic::error(format!("shortcode `{}` failed", call.name)), span)
                .with_note(note)
        })
    }
}
