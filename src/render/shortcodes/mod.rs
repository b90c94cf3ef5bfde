//! Shortcodes: `{{ name(key=value) }}` in Markdown. Every built-in is one
//! entry of [`BUILTINS`], in a file of its own here: its [`Spec`](crate::shortcode_syntax::Spec) (name,
//! arguments with their types and defaults, block or inline) and its
//! handler. The Markdown pass, render, `versus check` and the docs test
//! all read this registry. A name not in it renders the theme's or the
//! site's `shortcodes/NAME.html` template (a site adds or overrides one
//! by dropping a template into `templates/shortcodes/`).
//!
//! The built-in data shortcodes (`compare`, `bench_table`, `bench_chart`)
//! check their arguments, load and validate the data file, compute the
//! figures and hand them to their template; `figure` prints one number in
//! running text, `verdict` the words the data decides on two; `code` is
//! written by the Markdown pass.

mod bench;
mod code;
mod compare;
mod figure;
mod localize;
mod runner;
mod verdict;

use tera::Context;

use crate::markdown::{self, CallSite};
use crate::report::diagnostic::{Diagnostic, closest};
use crate::shortcode_syntax::Placement;

pub use runner::{BlockFn, Builtin, Download, Handler, InlineFn, Links, TeraShortcodes};

/// The built-in shortcodes. Adding one is a file beside this one with its
/// `Builtin`, and a line here.
pub const BUILTINS: &[Builtin] = &[
    compare::BUILTIN,
    bench::TABLE,
    bench::CHART,
    figure::BUILTIN,
    verdict::BUILTIN,
    code::BUILTIN,
];

/// The built-in shortcode called `name`.
pub fn builtin(name: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.spec.name == name)
}

impl markdown::Shortcodes for TeraShortcodes<'_> {
    fn inline(&self, site: &CallSite<'_>) -> Option<Result<(String, String), Diagnostic>> {
        let b = builtin(&site.call.name)?;
        let Handler::Inline(run) = b.handler else {
            return None;
        };
        Some(site.check(b.spec).and_then(|()| run(self, site)))
    }

    fn placement(&self, name: &str) -> Option<Placement> {
        match builtin(name) {
            Some(b) => Some(b.spec.placement),
            None => self
                .renderer
                .has_template(&format!("shortcodes/{name}.html"))
                .then_some(Placement::Block),
        }
    }

    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = BUILTINS.iter().map(|b| b.spec.name.to_string()).collect();
        names.extend(self.renderer.tera.get_template_names().filter_map(|t| {
            let name = t.strip_prefix("shortcodes/")?.strip_suffix(".html")?;
            Some(name.to_string())
        }));
        names
    }

    fn render(
        &self,
        site: &CallSite<'_>,
        links: &Links<'_>,
    ) -> Result<(String, String), Diagnostic> {
        let call = site.call;
        let template = format!("shortcodes/{}.html", call.name);
        let builtin = builtin(&call.name);
        if builtin.is_none() && !self.renderer.has_template(&template) {
            let known = BUILTINS.iter().map(|b| b.spec.name);
            let mut d = Diagnostic::error(format!("unknown shortcode `{}`", call.name));
            d = match closest(&call.name, known) {
                Some(k) => d.with_help(format!("did you mean `{k}`?")),
                None => d.with_help(format!(
                    "add a template templates/{template}, or write {{{{/* {}(...) */}}}} to show the call as text",
                    call.name
                )),
            };
            return Err(site.at_call(d));
        }
        let mut ctx = Context::new();
        ctx.insert("args", &call.args);
        ctx.insert("page_source", &site.page.rel);
        let mut words = String::new();
        if let Some(b) = builtin {
            site.check(b.spec)?;
            match b.handler {
                Handler::Block(run) => words = run(self, site, &mut ctx, links)?,
                Handler::Inline(_) => {
                    let d = Diagnostic::error(format!(
                        "`{}` is written inside a sentence or a table cell",
                        call.name
                    ))
                    .with_help("it prints one number: write it in running text");
                    return Err(site.at_call(d));
                }
                Handler::Markdown => {}
            }
        }
        Ok((self.template(site, &template, ctx)?, words))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_builtin_is_one_entry_and_each_block_has_its_template() {
        let mut names: Vec<&str> = BUILTINS.iter().map(|b| b.spec.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), BUILTINS.len(), "a name twice: {names:?}");
        let theme = crate::render::theme::embedded_files();
        for b in BUILTINS {
            let mut args: Vec<&str> = b.spec.arg_names();
            args.sort_unstable();
            args.dedup();
            assert_eq!(args.len(), b.spec.args.len(), "`{}`", b.spec.name);
            let template = format!("templates/shortcodes/{}.html", b.spec.name);
            let has = theme.iter().any(|(path, _)| path.ends_with(&template));
            // A block handler fills its template; the others write HTML.
            assert_eq!(
                has,
                matches!(b.handler, Handler::Block(_)),
                "`{}` and {template}",
                b.spec.name
            );
        }
    }
}
