//! Fenced code: the info string (`js title="server.js" hl_lines="3-5"
//! linenos tab="Node.js"`), line ranges, and the HTML of a block or a group
//! of tabbed blocks.

use std::ops::{Range, RangeInclusive};

use crate::text::escape;

/// What an info string asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodeInfo {
    pub lang: Option<String>,
    pub title: Option<String>,
    pub hl_lines: Vec<RangeInclusive<usize>>,
    pub linenos: bool,
    /// The tab label: consecutive blocks with one form a group.
    pub tab: Option<String>,
    /// Names the group a tabbed block belongs to.
    pub group: Option<String>,
    /// `columns` shows a group's blocks side by side on wide screens.
    pub layout: Option<String>,
}

/// Attribute names an info string may carry.
pub const ATTRIBUTES: &[&str] = &["title", "hl_lines", "linenos", "tab", "group", "layout"];

/// Why an info string cannot be read, and the attribute at fault: `at`
/// is its byte range in the info string.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{mistake}")]
pub struct InfoError {
    pub mistake: InfoMistake,
    pub at: Range<usize>,
}

/// What is wrong with an attribute; each message is one line for a
/// diagnostic on the fence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InfoMistake {
    #[error("{0} (attribute `{1}`)")]
    Value(ValueError, String),
    #[error("layout is `tabs` or `columns`, not `{0}`")]
    Layout(String),
    #[error(transparent)]
    Lines(#[from] LinesError),
    /// `hint` is the known attribute it is closest to.
    #[error("unknown code block attribute `{key}`{}", did_you_mean(*.hint))]
    Unknown {
        key: String,
        hint: Option<&'static str>,
    },
    #[error("`{0}` needs a value: {0}=\"...\"")]
    NeedsValue(String),
    #[error("`{0}` takes no value")]
    TakesNoValue(String),
}

/// `: did you mean `x`?` after a message, or nothing.
pub(super) fn did_you_mean(hint: Option<&str>) -> String {
    hint.map(|k| format!(": did you mean `{k}`?"))
        .unwrap_or_default()
}

/// Why the value after `key=` cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error("unclosed quote")]
    UnclosedQuote,
    #[error("missing value after `=`")]
    Missing,
}

/// Why a list of line ranges (`hl_lines`, `lines`) cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinesError {
    #[error("`{0}` is not a line number or range like 3-5")]
    NotALine(String),
    #[error("`{0}` ends before it starts")]
    Backwards(String),
    #[error("expected line numbers such as \"3-5 8\"")]
    Empty,
}

/// Parses an info string.
pub fn parse_info(info: &str) -> Result<CodeInfo, InfoError> {
    let mut out = CodeInfo::default();
    let mut rest = info.trim();
    let mut first = true;
    let offset = |part: &str| part.as_ptr() as usize - info.as_ptr() as usize;
    while !rest.is_empty() {
        let start = offset(rest);
        let key_end = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        let key = &rest[..key_end];
        rest = &rest[key_end..];
        let value = if let Some(after) = rest.strip_prefix('=') {
            let (v, after) = read_value(after).map_err(|e| {
                // An unclosed quote runs to the end; a missing value is `key=`.
                let value = match e {
                    ValueError::UnclosedQuote => after.trim_end(),
                    ValueError::Missing => "",
                };
                InfoError {
                    at: start..offset(after) + value.len(),
                    mistake: InfoMistake::Value(e, key.into()),
                }
            })?;
            rest = after;
            Some(v)
        } else {
            None
        };
        let at = start..offset(rest);
        rest = rest.trim_start();
        let fail = |mistake| InfoError {
            mistake,
            at: at.clone(),
        };
        match (key, value) {
            // mdBook writes `rust,ignore`: the language is the part before the comma.
            (lang, None) if first && lang != "linenos" => {
                let lang = lang
                    .split(',')
                    .next()
                    .unwrap_or(lang)
                    .trim_start_matches('.');
                if !lang.is_empty() {
                    out.lang = Some(lang.to_string());
                }
            }
            ("linenos", None) => out.linenos = true,
            ("title", Some(v)) => out.title = Some(v),
            ("tab", Some(v)) => out.tab = Some(v),
            ("group", Some(v)) => out.group = Some(v),
            ("layout", Some(v)) => {
                if v != "tabs" && v != "columns" {
                    return Err(fail(InfoMistake::Layout(v)));
                }
                out.layout = Some(v);
            }
            ("hl_lines", Some(v)) => {
                out.hl_lines = parse_line_ranges(&v).map_err(|e| fail(e.into()))?;
            }
            (key, Some(_)) if !ATTRIBUTES.contains(&key) => {
                return Err(fail(InfoMistake::Unknown {
                    key: key.into(),
                    hint: crate::report::diagnostic::closest(key, ATTRIBUTES.iter().copied()),
                }));
            }
            (key, None) => return Err(fail(InfoMistake::NeedsValue(key.into()))),
            (key, Some(_)) => return Err(fail(InfoMistake::TakesNoValue(key.into()))),
        }
        first = false;
    }
    Ok(out)
}

/// Reads a bare or double-quoted value; returns it and the rest.
fn read_value(s: &str) -> Result<(String, &str), ValueError> {
    if let Some(quoted) = s.strip_prefix('"') {
        let mut value = String::new();
        let mut chars = quoted.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => {
                    if let Some((_, n)) = chars.next() {
                        value.push(n);
                    }
                }
                '"' => return Ok((value, &quoted[i + 1..])),
                c => value.push(c),
            }
        }
        Err(ValueError::UnclosedQuote)
    } else {
        let end = s.find(char::is_whitespace).unwrap_or(s.len());
        if end == 0 {
            return Err(ValueError::Missing);
        }
        Ok((s[..end].to_string(), &s[end..]))
    }
}

/// Parses `3-5 8,10-12` into inclusive 1-based ranges.
pub fn parse_line_ranges(s: &str) -> Result<Vec<RangeInclusive<usize>>, LinesError> {
    let mut out = Vec::new();
    for part in s
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|p| !p.is_empty())
    {
        let num = |t: &str| -> Result<usize, LinesError> {
            t.trim()
                .parse::<usize>()
                .ok()
                .filter(|&n| n > 0)
                .ok_or_else(|| LinesError::NotALine(part.into()))
        };
        let range = match part.split_once('-') {
            Some((a, b)) => num(a)?..=num(b)?,
            None => {
                let n = num(part)?;
                n..=n
            }
        };
        if range.start() > range.end() {
            return Err(LinesError::Backwards(part.into()));
        }
        out.push(range);
    }
    if out.is_empty() {
        return Err(LinesError::Empty);
    }
    Ok(out)
}

/// One block ready to be written: its attributes and highlighted lines.
pub struct Block<'a> {
    pub info: &'a CodeInfo,
    pub lines: &'a [String],
}

/// The HTML of one code block.
pub fn block_html(out: &mut String, block: &Block<'_>) {
    let info = block.info;
    out.push_str("<figure class=\"code\"");
    if let Some(lang) = &info.lang {
        out.push_str(" data-lang=\"");
        escape::html_into(out, lang);
        out.push('"');
    }
    out.push('>');
    if let Some(title) = &info.title {
        out.push_str("<figcaption class=\"code-title\">");
        escape::html_into(out, title);
        out.push_str("</figcaption>");
    }
    out.push_str(if info.linenos {
        "<pre class=\"hl linenos\" tabindex=\"0\">"
    } else {
        "<pre class=\"hl\" tabindex=\"0\">"
    });
    match &info.lang {
        Some(lang) => {
            out.push_str("<code class=\"language-");
            escape::html_into(out, lang);
            out.push_str("\">");
        }
        None => out.push_str("<code>"),
    }
    // Which lines are highlighted, in one pass over the ranges (testing
    // each line against each range was lines x ranges).
    let mut marks = vec![0i64; block.lines.len() + 1];
    for r in &info.hl_lines {
        let (start, end) = (
            r.start().saturating_sub(1),
            (*r.end()).min(block.lines.len()),
        );
        if start < end {
            marks[start] += 1;
            marks[end] -= 1;
        }
    }
    let mut depth = 0;
    for (i, line) in block.lines.iter().enumerate() {
        depth += marks[i];
        if i > 0 {
            out.push('\n');
        }
        if depth > 0 {
            out.push_str("<span class=\"line hl-line\">");
        } else {
            out.push_str("<span class=\"line\">");
        }
        out.push_str(line);
        out.push_str("</span>");
    }
    out.push_str("</code></pre></figure>\n");
}

/// The HTML of a group of tabbed blocks: every block visible under its
/// label, for readers without JavaScript; the theme's script makes tabs.
pub fn group_html(out: &mut String, blocks: &[Block<'_>]) {
    let first = blocks.first().map(|b| b.info);
    let name = first.and_then(|i| i.group.clone()).unwrap_or_default();
    let layout = blocks
        .iter()
        .find_map(|b| b.info.layout.as_deref())
        .unwrap_or("tabs");
    out.push_str("<div class=\"code-group\"");
    if !name.is_empty() {
        out.push_str(" data-group=\"");
        escape::html_into(out, &name);
        out.push('"');
    }
    out.push_str(" data-layout=\"");
    out.push_str(layout);
    out.push_str("\">\n");
    for block in blocks {
        let label = block
            .info
            .tab
            .as_deref()
            .or(block.info.lang.as_deref())
            .unwrap_or("Code");
        out.push_str("<div class=\"code-panel\" data-tab=\"");
        escape::html_into(out, label);
        out.push_str("\"><p class=\"code-tab-label\">");
        escape::html_into(out, label);
        out.push_str("</p>");
        block_html(out, block);
        out.push_str("</div>\n");
    }
    out.push_str("</div>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_attributes() {
        let i = parse_info(r#"js title="server.js" hl_lines="3-5 8" linenos tab="Node.js""#)
            .unwrap_or_default();
        assert_eq!(i.lang.as_deref(), Some("js"));
        assert_eq!(i.title.as_deref(), Some("server.js"));
        assert_eq!(i.hl_lines, vec![3..=5, 8..=8]);
        assert!(i.linenos);
        assert_eq!(i.tab.as_deref(), Some("Node.js"));
    }

    #[test]
    fn mdbook_style_language() {
        let i = parse_info("rust,ignore").unwrap_or_default();
        assert_eq!(i.lang.as_deref(), Some("rust"));
    }

    #[test]
    fn rejects_bad_attributes() {
        // The info string, the message, and the attribute it points at.
        for (info, says, at) in [
            (
                " js titel=\"x\" ",
                "unknown code block attribute `titel`: did you mean `title`?",
                "titel=\"x\"",
            ),
            (
                "js zzzzzz=\"x\"",
                "unknown code block attribute `zzzzzz`",
                "zzzzzz=\"x\"",
            ),
            (
                "js title=\"x linenos ",
                "unclosed quote (attribute `title`)",
                "title=\"x linenos",
            ),
            (
                "js title= linenos",
                "missing value after `=` (attribute `title`)",
                "title=",
            ),
            (
                "js hl_lines=\"5-3\" linenos",
                "`5-3` ends before it starts",
                "hl_lines=\"5-3\"",
            ),
            (
                "js hl_lines=a",
                "`a` is not a line number or range like 3-5",
                "hl_lines=a",
            ),
            (
                "js hl_lines=\",\"",
                "expected line numbers such as \"3-5 8\"",
                "hl_lines=\",\"",
            ),
            (
                "js layout=\"grid\"",
                "layout is `tabs` or `columns`, not `grid`",
                "layout=\"grid\"",
            ),
            ("js title", "`title` needs a value: title=\"...\"", "title"),
            (
                "js linenos=\"x\"",
                "`linenos` takes no value",
                "linenos=\"x\"",
            ),
        ] {
            let e = parse_info(info).unwrap_err();
            assert_eq!(e.to_string(), says, "{info}");
            assert_eq!(&info[e.at], at, "{info}");
        }
    }

    fn html(info: &CodeInfo, lines: &[String]) -> String {
        let mut out = String::new();
        block_html(&mut out, &Block { info, lines });
        out
    }

    #[test]
    fn highlighted_lines_are_marked_and_many_ranges_stay_fast() {
        let lines: Vec<String> = (1..=6).map(|i| i.to_string()).collect();
        let info = parse_info("js hl_lines=\"2-3 5 5-9\"").unwrap_or_default();
        let out = html(&info, &lines);
        let marked: Vec<&str> = out
            .split("<span class=\"line hl-line\">")
            .skip(1)
            .map(|s| s.split('<').next().unwrap_or(""))
            .collect();
        assert_eq!(marked, ["2", "3", "5", "6"]);
        let lines = vec![String::from("x"); 100_000];
        let spec: Vec<String> = (1..=20_000).map(|i| format!("1-{}", 100_000 - i)).collect();
        let info = parse_info(&format!("js hl_lines=\"{}\"", spec.join(" "))).unwrap_or_default();
        let start = std::time::Instant::now();
        html(&info, &lines);
        assert!(start.elapsed().as_secs() < 5, "{:?}", start.elapsed());
    }

    #[test]
    fn escaped_quotes_in_values() {
        let i = parse_info(r#"py title="say \"hi\"""#).unwrap_or_default();
        assert_eq!(i.title.as_deref(), Some("say \"hi\""));
    }
}
