//! Reading the files authors write (pages, data files): one reader, so
//! every file gets the same checks and the same errors, and the guards
//! that keep a hostile file from stalling a parser.

use std::path::Path;
use std::sync::Arc;

use crate::report::diagnostic::Diagnostic;

/// An author's file as text: UTF-8 without NUL bytes, a leading BOM
/// dropped. Errors name the file as `shown` and point at the bad byte;
/// `kind` completes the help for a NUL byte ("Markdown pages").
pub fn read_text(shown: &Path, abs: &Path, kind: &str) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(abs)
        .map_err(|e| Diagnostic::error(format!("cannot read {}: {e}", shown.display())))?;
    text_of(shown, bytes, kind)
}

/// The checks of [`read_text`] on bytes already read.
pub fn text_of(shown: &Path, bytes: Vec<u8>, kind: &str) -> Result<String, Diagnostic> {
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let lossy: Arc<str> = Arc::from(String::from_utf8_lossy(e.as_bytes()).as_ref());
            return Err(Diagnostic::error("the file is not valid UTF-8")
                .at(shown, &lossy, valid..valid + 1)
                .with_help("save the file as UTF-8"));
        }
    };
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    if let Some(nul) = text.find('\0') {
        let text: Arc<str> = Arc::from(text.as_str());
        return Err(Diagnostic::error("the file contains a NUL byte")
            .at(shown, &text, nul..nul + 1)
            .with_help(format!("is this a binary file? {kind} must be text")));
    }
    Ok(text)
}

/// How deep YAML flow collections (`[...]`, `{...}`) may nest: the YAML
/// reader refuses more than this anyway, but only after scanning the whole
/// file in time that grows with the square of the depth (100,000 levels
/// took minutes), so deeper text is refused before it is parsed.
pub const YAML_MAX_DEPTH: usize = 128;

pub const YAML_TOO_DEEP: &str = "YAML nested more than 128 levels deep";
pub const YAML_ALIASES_HELP: &str =
    "aliases (*name) here expand to too many values: write the values out instead";

/// Where YAML `text` first nests flow collections deeper than
/// [`YAML_MAX_DEPTH`], if it does. A quick scan, not a parser: it skips
/// quoted strings and comments, and counts `[` and `{` only where a value
/// can start or inside a flow collection.
pub fn yaml_too_deep(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    if b.iter().filter(|&&c| c == b'[' || c == b'{').count() <= YAML_MAX_DEPTH {
        return None;
    }
    let blank = |i: usize| b.get(i).is_none_or(|c| c.is_ascii_whitespace());
    let mut depth = 0usize;
    let mut token_start = true;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\n' => token_start = true,
            b' ' | b'\t' | b'\r' => {}
            b'#' if i == 0 || blank(i - 1) => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'[' | b'{' if token_start || depth > 0 => {
                depth += 1;
                if depth > YAML_MAX_DEPTH {
                    return Some(i);
                }
                token_start = true;
            }
            b']' | b'}' if depth > 0 => {
                depth -= 1;
                token_start = false;
            }
            b',' if depth > 0 => token_start = true,
            b':' | b'-' | b'?' if blank(i + 1) || (c == b':' && depth > 0) => token_start = true,
            b'"' | b'\'' if token_start => {
                // A quoted string: `\"` escapes in double quotes, `''` in single ones.
                i += 1;
                while i < b.len() {
                    if c == b'"' && b[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    if b[i] == c {
                        if c == b'\'' && b.get(i + 1) == Some(&b'\'') {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                token_start = false;
            }
            _ => token_start = false,
        }
        i += 1;
    }
    None
}
