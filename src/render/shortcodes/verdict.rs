//! `verdict`: the words the data decides on two results, inside running
//! text ("1.84x faster (95% CI 1.79–1.90)", "level (within 3%)"). What it
//! takes is [`data::figure::VERDICT`]; it renders as a `figure` does.

use super::runner::{Builtin, Handler, TeraShortcodes};
use crate::data;
use crate::markdown::CallSite;
use crate::report::diagnostic::Diagnostic;

pub const BUILTIN: Builtin = Builtin {
    spec: &data::figure::VERDICT,
    handler: Handler::Inline(render),
};

fn render(sc: &TeraShortcodes<'_>, site: &CallSite<'_>) -> Result<(String, String), Diagnostic> {
    super::figure::render_as(&data::figure::VERDICT, sc, site)
}
