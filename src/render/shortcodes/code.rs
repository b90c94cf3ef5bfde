//! `code`: lines of a file as a code block. The Markdown pass writes it,
//! highlighted and tabbed with the code blocks beside it
//! (markdown/include.rs reads the lines, with [`include::SPEC`]).

use super::runner::{Builtin, Handler};
use crate::markdown::include;

pub const BUILTIN: Builtin = Builtin {
    spec: &include::SPEC,
    handler: Handler::Markdown,
};
