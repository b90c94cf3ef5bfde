//! Splits a page into front matter and body, and parses the front matter
//! (TOML between `+++` lines, YAML between `---` lines, or none at all).
//! Error positions are mapped back to lines of the whole file.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::report::diagnostic::{Diagnostic, closest};

/// A page's front matter, TOML between `+++` lines or YAML between `---`
/// lines (docs/writing.md).
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct FrontMatter {
    /// The page's title (else its first `#` heading, else its file name).
    pub title: Option<String>,
    /// One sentence about the page.
    pub description: Option<String>,
    /// The page's place in navigation: lower first, none last.
    pub weight: Option<i64>,
    /// When the page was published.
    pub date: Option<Date>,
    /// When the page last changed; overrides the date of its last commit.
    pub updated: Option<Date>,
    /// Old output paths of the page (`old/name.html`, `old/folder/`):
    /// each gets a page redirecting here.
    pub aliases: Vec<String>,
    /// Left out of the build unless `--drafts` is given.
    pub draft: bool,
    pub tags: Vec<String>,
    /// The template to render the page with (`wide.html`).
    pub template: Option<String>,
    /// The page's own social image (`og:image`) instead of a drawn card:
    /// a file beside the page (`cover.png`), from content/ (`/img/x.png`),
    /// or an absolute `https://` URL.
    pub image: Option<String>,
    /// Figures with units on the page that are not measurements (an
    /// input's size, the machine's memory): `versus check` does not ask for
    /// them to come from benchmark results.
    pub unmeasured: Vec<String>,
    /// Free-form fields for templates (`page.extra`).
    pub extra: serde_json::Map<String, serde_json::Value>,
}

pub use crate::text::date::Date;

/// Where the parts of a page's text are.
#[derive(Debug, Clone)]
pub struct Split {
    pub front_matter: FrontMatter,
    /// Byte range of the Markdown body in the file text.
    pub body: Range<usize>,
}

#[derive(Clone, Copy)]
enum Format {
    Toml,
    Yaml,
}

/// Separates and parses the front matter of `text` (the whole file).
pub fn split(path: &Path, text: &Arc<str>) -> Result<Split, Diagnostic> {
    let (format, fence) = if is_fence(text, "+++") {
        (Format::Toml, "+++")
    } else if is_fence(text, "---") {
        (Format::Yaml, "---")
    } else {
        return Ok(Split {
            front_matter: FrontMatter::default(),
            body: 0..text.len(),
        });
    };
    let start = line_end(text, 0);
    let Some((fm_end, body_start)) = find_closing(text, start, fence) else {
        return Err(Diagnostic::error(format!(
            "front matter is not closed: no line `{fence}` ends it"
        ))
        .at(path, text, 0..3)
        .with_help(format!(
            "add a line holding only `{fence}` after the front matter"
        )));
    };
    let fm_text = &text[start..fm_end];
    let parsed = match format {
        Format::Toml => toml::from_str::<FrontMatter>(fm_text).map_err(|e| {
            let span = e.span().map(|s| s.start + start..s.end + start);
            (e.message().trim().to_string(), span)
        }),
        Format::Yaml => {
            parse_yaml(fm_text).map_err(|(msg, at)| (msg, at.map(|i| i + start..i + start + 1)))
        }
    };
    match parsed {
        Ok(front_matter) => Ok(Split {
            front_matter,
            body: body_start..text.len(),
        }),
        Err((message, span)) => {
            let mut diag = Diagnostic::error(format!("invalid front matter: {message}"));
            let mut span = span.unwrap_or(0..3);
            let hint = other_format_hint(format, fm_text);
            if let Some((_, line, sep)) = &hint {
                // The error is on that line: point at the `:` or `=`.
                if (line.start + start..=line.end + start).contains(&span.start) {
                    span = sep.start + start..sep.end + start;
                }
            }
            diag = diag.at(path, text, span);
            if message.contains("repetition limit") {
                diag = diag.with_help(crate::source::YAML_ALIASES_HELP);
            }
            if let Some((hint, _, _)) = hint {
                diag = diag.with_help(hint);
            }
            // The fields serde lists as expected are those of `FrontMatter`.
            if let Some((field, fields)) = crate::report::diagnostic::unknown_field(&message) {
                let hint = match closest(field, fields) {
                    Some(known) => {
                        format!("did you mean `{known}`? Free-form fields go under `extra`")
                    }
                    None => "free-form fields go under `extra`".to_string(),
                };
                diag = diag.with_help(hint);
            }
            Err(diag)
        }
    }
}

/// A hint when front matter is written in the other format than its
/// fence says: `title: "x"` between `+++` lines (TOML), or `title = "x"`
/// between `---` lines (YAML). It shows the first such line rewritten;
/// with the hint, that line's range and its separator's in `fm_text`.
fn other_format_hint(
    format: Format,
    fm_text: &str,
) -> Option<(String, std::ops::Range<usize>, std::ops::Range<usize>)> {
    let (sep, fence, other_fence, name) = match format {
        Format::Toml => (':', "+++", "---", "TOML"),
        Format::Yaml => ('=', "---", "+++", "YAML"),
    };
    let mut line_start = 0;
    fm_text.split_inclusive('\n').find_map(|raw| {
        let at = line_start;
        line_start += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let (key, value) = line.split_once(sep)?;
        let key = key.trim();
        let is_key = !key.is_empty()
            && !line.starts_with([' ', '\t'])
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !is_key {
            return None;
        }
        let value = value.trim();
        let written = match format {
            Format::Toml => format!("{key} = {}", toml_value(value)),
            Format::Yaml => format!("{key}: {value}"),
        };
        let hint = format!(
            "`{fence}` lines open {name} front matter, where this is `{written}`; \
             or put the front matter between `{other_fence}` lines instead"
        );
        let sep_at = at + line.find(sep)?;
        Some((hint, at..at + line.len(), sep_at..sep_at + 1))
    })
}

/// A YAML scalar or flow list as TOML would write it: strings quoted,
/// numbers, booleans and dates bare.
fn toml_value(value: &str) -> String {
    let bare = value.starts_with(['"', '\'', '{'])
        || value.parse::<f64>().is_ok()
        || value == "true"
        || value == "false"
        || crate::text::date::Date::parse(value).is_ok();
    if bare {
        return value.to_string();
    }
    if let Some(items) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
        let items: Vec<String> = items
            .split(',')
            .map(str::trim)
            .filter(|i| !i.is_empty())
            .map(toml_value)
            .collect();
        return format!("[{}]", items.join(", "));
    }
    toml::Value::String(value.to_string()).to_string()
}

fn parse_yaml(text: &str) -> Result<FrontMatter, (String, Option<usize>)> {
    if text.trim().is_empty() {
        return Ok(FrontMatter::default());
    }
    if let Some(at) = crate::source::yaml_too_deep(text) {
        return Err((crate::source::YAML_TOO_DEEP.to_string(), Some(at)));
    }
    serde_norway::from_str::<FrontMatter>(text).map_err(|e| {
        let at = e.location().map(|l| l.index());
        let msg = e.to_string();
        // serde_norway appends " at line L column C" (relative to the front matter): drop it,
        // the diagnostic shows the position in the whole file.
        let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
        (msg, at)
    })
}

/// Does `text` open with a line holding only `fence`?
fn is_fence(text: &str, fence: &str) -> bool {
    text.strip_prefix(fence)
        .is_some_and(|rest| rest.starts_with('\n') || rest.starts_with("\r\n"))
}

/// Byte offset just past the newline ending the line that starts at `from`.
fn line_end(text: &str, from: usize) -> usize {
    text[from..].find('\n').map_or(text.len(), |i| from + i + 1)
}

/// Finds the closing fence line; returns (end of front matter, start of body).
fn find_closing(text: &str, mut pos: usize, fence: &str) -> Option<(usize, usize)> {
    while pos < text.len() {
        let end = line_end(text, pos);
        let line = text[pos..end].trim_end_matches(['\n', '\r']);
        if line.trim_end() == fence {
            return Some((pos, end));
        }
        pos = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split_str(s: &str) -> Result<Split, Diagnostic> {
        split(Path::new("content/a.md"), &Arc::from(s))
    }

    #[test]
    fn toml_front_matter() {
        let s = split_str("+++\ntitle = \"A\"\ndate = 2024-04-13\nweight = 2\n+++\nbody\n")
            .map_err(|e| e.to_string());
        if let Err(e) = &s {
            panic!("{e}");
        }
        let s = s.ok();
        let s = s.expect("parses");
        assert_eq!(s.front_matter.title.as_deref(), Some("A"));
        assert_eq!(
            s.front_matter.date.as_ref().map(Date::day),
            Some("2024-04-13")
        );
        assert_eq!(
            s.body.start,
            "+++\ntitle = \"A\"\ndate = 2024-04-13\nweight = 2\n+++\n".len()
        );
    }

    #[test]
    fn yaml_front_matter_with_crlf() {
        let s =
            split_str("---\r\ntitle: B\r\ntags: [x, y]\r\ndate: 2024-01-02\r\n---\r\nbody").ok();
        let s = s.expect("parses");
        assert_eq!(s.front_matter.title.as_deref(), Some("B"));
        assert_eq!(s.front_matter.tags, ["x", "y"]);
        assert_eq!(
            s.front_matter.date.map(|d| d.0),
            Some("2024-01-02".to_string())
        );
    }

    #[test]
    fn no_front_matter_is_all_body() {
        let s = split_str("# Title\n\ntext").expect("parses");
        assert_eq!(s.body, 0..13);
        assert!(s.front_matter.title.is_none());
    }

    #[test]
    fn error_lines_are_lines_of_the_whole_file() {
        let err = split_str("+++\ntitle = \"A\"\nweight = \"x\"\n+++\n").expect_err("fails");
        assert!(err.to_string().starts_with("content/a.md:3:"), "{err}");
        let err = split_str("---\ntitle: A\nweigth: 2\n---\n").expect_err("fails");
        assert!(err.to_string().starts_with("content/a.md:3:"), "{err}");
        assert!(err.help.unwrap_or_default().contains("`weight`"));
    }

    #[test]
    fn unknown_fields_are_guessed_from_the_struct() {
        let help = |text: &str| split_str(text).err().and_then(|e| e.help);
        assert_eq!(
            help("+++\nunmeasurd = [\"8 GB\"]\n+++\n").as_deref(),
            Some("did you mean `unmeasured`? Free-form fields go under `extra`")
        );
        assert_eq!(
            help("---\ntmplate: wide.html\n---\n").as_deref(),
            Some("did you mean `template`? Free-form fields go under `extra`")
        );
        assert_eq!(
            help("+++\nlicense = \"MIT\"\n+++\n").as_deref(),
            Some("free-form fields go under `extra`")
        );
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let err = split_str("+++\ntitle = \"A\"\n").expect_err("fails");
        assert!(err.message.contains("not closed"));
    }

    #[test]
    fn deep_yaml_is_refused_quickly_with_its_line() {
        let deep = format!(
            "---\ntitle: A\nextra:\n  x: {}{}\n---\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let start = std::time::Instant::now();
        let err = split_str(&deep).expect_err("fails");
        assert!(err.to_string().starts_with("content/a.md:4:"), "{err}");
        assert!(start.elapsed().as_secs() < 5, "{:?}", start.elapsed());
    }

    #[test]
    fn bad_date_is_an_error() {
        assert!(split_str("+++\ndate = \"soon\"\n+++\n").is_err());
        assert!(split_str("+++\ndate = \"2024-13-01\"\n+++\n").is_err());
        assert!(split_str("+++\ndate = \"2024-01-01<script>\"\n+++\n").is_err());
        for ok in [
            "2024-01-01",
            "2024-01-01T10:30:00Z",
            "2024-01-01 10:30:00.5+02:00",
        ] {
            assert!(
                split_str(&format!("+++\ndate = \"{ok}\"\n+++\n")).is_ok(),
                "{ok}"
            );
        }
        assert!(split_str("+++\ndate = 2024-01-01T10:30:00+02:00\n+++\n").is_ok());
    }
}
