//! A data file as read: its path, its text (kept for error reports) and
//! its format, and the parse of JSON, TOML and YAML into typed values with
//! every error located at its line and column.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::report::diagnostic::Diagnostic;
use crate::source::{YAML_ALIASES_HELP, YAML_TOO_DEEP, yaml_too_deep};

/// The formats a data file can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
    Toml,
    Yaml,
}

impl Format {
    pub fn of(path: &str) -> Option<Self> {
        let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
        match ext.as_str() {
            "csv" => Some(Self::Csv),
            "json" => Some(Self::Json),
            "toml" => Some(Self::Toml),
            "yaml" | "yml" => Some(Self::Yaml),
            _ => None,
        }
    }
}

/// A data file's text, kept for error reports.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path under `content/`.
    pub rel: String,
    /// As shown to the author (`content/data/x.toml`).
    pub shown: PathBuf,
    pub text: Arc<str>,
    pub format: Format,
}

#[cfg(test)]
impl Source {
    /// A file for tests: `text` as if read from `content/<rel>`.
    pub(crate) fn for_test(rel: &str, text: &str, format: Format) -> Source {
        Source {
            rel: rel.into(),
            shown: PathBuf::from("content").join(rel),
            text: Arc::from(text),
            format,
        }
    }
}

impl Source {
    pub fn error(&self, message: impl Into<String>, span: Range<usize>) -> Diagnostic {
        Diagnostic::error(message).at(&self.shown, &self.text, span)
    }

    /// An error about `value` written in this file, located at its first
    /// occurrence at or after `from` (the start of the record it belongs to).
    pub fn error_at_value(
        &self,
        message: impl Into<String>,
        value: &str,
        from: usize,
    ) -> Diagnostic {
        let from = from.min(self.text.len());
        let span = self.text[from..]
            .find(value)
            .map(|i| from + i..from + i + value.len())
            .or_else(|| self.text.find(value).map(|i| i..i + value.len()))
            .unwrap_or(0..0);
        self.error(message, span)
    }

    /// Deserializes a JSON, TOML or YAML file, locating syntax and type errors.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, Diagnostic> {
        self.parse_inner().map_err(|d| {
            if d.help.is_some() {
                return d;
            }
            if let Some(guess) = crate::report::diagnostic::unknown_field_guess(&d.message) {
                return d.with_help(guess);
            }
            let help = if d.message.contains("expected f64") {
                "a measurement is a plain number; leave it out for a failed run"
            } else {
                "check the file against the data formats in docs/data.md"
            };
            d.with_help(help)
        })
    }

    fn parse_inner<T: DeserializeOwned>(&self) -> Result<T, Diagnostic> {
        let text: &str = &self.text;
        match self.format {
            Format::Json => serde_json::from_str(text).map_err(|e| {
                let at = crate::report::diagnostic::offset_of(text, e.line(), e.column().max(1));
                let msg = e.to_string();
                let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
                self.error(msg, at..at + 1)
            }),
            Format::Toml => toml::from_str(text).map_err(|e| {
                let span = e.span().unwrap_or(0..0);
                self.error(e.message().trim().to_string(), span)
            }),
            Format::Yaml => {
                if let Some(at) = yaml_too_deep(text) {
                    return Err(self.error(YAML_TOO_DEEP, at..at + 1));
                }
                serde_norway::from_str(text).map_err(|e| {
                    let at = e.location().map_or(0, |l| l.index());
                    let msg = e.to_string();
                    let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
                    let d = self.error(msg, at..at + 1);
                    if d.message.contains("repetition limit") {
                        d.with_help(YAML_ALIASES_HELP)
                    } else {
                        d
                    }
                })
            }
            Format::Csv => Err(self.error("expected JSON, TOML or YAML here", 0..0)),
        }
    }

    /// Byte offset where (0-based) `line` starts, for CSV records.
    pub fn line_start(&self, line: u64) -> usize {
        crate::report::diagnostic::offset_of(
            &self.text,
            usize::try_from(line).unwrap_or(usize::MAX),
            1,
        )
    }
}
