//! A shortcode call where it was written: the call (with where each of its
//! arguments is), the page, and where the call is in the page's file.
//! Everything that runs a call reads it through this, and its errors point
//! at the argument at fault, or else at the whole call.

use std::ops::Range;
use std::path::Path;

use crate::content::Page;
use crate::report::diagnostic::{Diagnostic, closest};
use crate::shortcode_syntax::{Arg, Call, Spec};

/// One call on one page.
pub struct CallSite<'a> {
    pub call: &'a Call,
    pub page: &'a Page,
    /// The page's index in the site's content (for the dependency recorder).
    pub index: usize,
    /// Where the call is in the page's file.
    pub span: Range<usize>,
}

impl<'a> CallSite<'a> {
    /// `d` pointing at the whole call.
    pub fn at_call(&self, d: Diagnostic) -> Diagnostic {
        located(self.page, d, self.span.clone())
    }

    /// `d` pointing at argument `key` as written (`data="x.csv"`), or at
    /// the whole call where it was not written.
    pub fn at_arg(&self, key: &str, d: Diagnostic) -> Diagnostic {
        let at = self.call.span_of(key).unwrap_or_else(|| self.span.clone());
        located(self.page, d, at)
    }

    /// `d` pointing at the argument whose value its message quotes
    /// (``no subject `Nodejs` ``), or at the whole call.
    pub fn at_quoted_arg(&self, d: Diagnostic) -> Diagnostic {
        let key = self.call.args.iter().find_map(|(k, v)| match v {
            Arg::Str(s) if d.message.contains(&format!("`{s}`")) => Some(k.as_str()),
            _ => None,
        });
        match key {
            Some(key) => self.at_arg(key, d),
            None => self.at_call(d),
        }
    }

    /// An error in a data file the call uses, noting the call's line.
    pub fn data_error(&self, d: &Diagnostic) -> Diagnostic {
        let (line, _) = crate::report::diagnostic::line_col(&self.page.text, self.span.start);
        d.clone()
            .with_note(format!("used by {}:{line}", self.page.shown.display()))
    }

    /// Checks the call's argument names against `spec`, and that its first
    /// argument is given when required.
    pub fn check(&self, spec: &Spec) -> Result<(), Diagnostic> {
        let call = self.call;
        let known = spec.arg_names();
        for key in call.args.keys() {
            if !spec.takes(key) {
                let hint = match closest(key, known.iter().copied()) {
                    Some(k) => format!("did you mean `{k}`?"),
                    None => format!("`{}` takes {}", call.name, known.join(", ")),
                };
                let d = Diagnostic::error(format!(
                    "unknown argument `{key}` for shortcode `{}`",
                    call.name
                ));
                let at = call.key_span(key).unwrap_or_else(|| self.span.clone());
                return Err(located(self.page, d.with_help(hint), at));
            }
        }
        if let Some(first) = spec.args.first().filter(|a| a.required) {
            if !call.args.contains_key(first.name) {
                let d =
                    Diagnostic::error(format!("shortcode `{}` needs `{}`", call.name, first.name))
                        .with_help(format!("{{{{ {}({}=\"...\") }}}}", call.name, first.name));
                return Err(self.at_call(d));
            }
        }
        Ok(())
    }

    /// A string argument, if given.
    pub fn str(&self, key: &str) -> Result<Option<&'a str>, Diagnostic> {
        match self.call.args.get(key) {
            None => Ok(None),
            Some(Arg::Str(s)) => Ok(Some(s)),
            Some(_) => Err(self.wrong_type(key, "must be a quoted string")),
        }
    }

    /// A number of decimals (0 to 12), if given.
    pub fn digits(&self, key: &str) -> Result<Option<usize>, Diagnostic> {
        match self.call.args.get(key) {
            None => Ok(None),
            Some(Arg::Int(i)) if (0..=12).contains(i) => Ok(usize::try_from(*i).ok()),
            Some(_) => Err(self.wrong_type(key, "is a whole number from 0 to 12")),
        }
    }

    /// A flag, if given.
    pub fn bool(&self, key: &str) -> Result<Option<bool>, Diagnostic> {
        match self.call.args.get(key) {
            None => Ok(None),
            Some(Arg::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(self.wrong_type(key, "is true or false")),
        }
    }

    fn wrong_type(&self, key: &str, what: &str) -> Diagnostic {
        let d = Diagnostic::error(format!("`{key}` of shortcode `{}` {what}", self.call.name));
        self.at_arg(key, d)
    }
}

/// `d` located in the whole text of `page` as shown to the author, for
/// diagnostics built outside this module.
pub fn located(page: &Page, d: Diagnostic, span: Range<usize>) -> Diagnostic {
    d.at(Path::new(&page.shown), &page.text, span)
}
