//! The syntax of shortcode calls in Markdown:
//! `{{ compare(data="data/concurrency.toml") }}`, alone where a block may
//! stand or (`figure`) inside running text. Calls inside code blocks and
//! inline code are never seen here (they are not text), and
//! `{{/* name(...) */}}` writes a call literally.
//!
//! Each argument keeps where it was written, so an error about one can
//! point at it rather than at the whole call.
//!
//! What a shortcode accepts is its [`Spec`]: the registry of built-ins
//! (`render/shortcodes/`) lists one per shortcode, and every stage that
//! reads calls (the Markdown pass, data cells, render, the docs test)
//! reads the names, arguments and placement from there.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;

/// A value in a shortcode call.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum Arg {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
}

/// `name(key=value, ...)`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Call {
    pub name: String,
    pub args: BTreeMap<String, Arg>,
    /// Where each argument (`key=value`) was written: a byte range in the
    /// text given to [`parse`] (with its quotes straightened), until the
    /// Markdown stage moves them to the page's file.
    pub spans: BTreeMap<String, Range<usize>>,
}

impl Call {
    /// Where argument `key` was written, if it was.
    pub fn span_of(&self, key: &str) -> Option<Range<usize>> {
        self.spans.get(key).cloned()
    }

    /// Where the name of argument `key` was written (without its value).
    pub fn key_span(&self, key: &str) -> Option<Range<usize>> {
        self.span_of(key)
            .map(|s| s.start..(s.start + key.len()).min(s.end))
    }
}

/// What a paragraph's text turned out to be.
#[derive(Debug, PartialEq)]
pub enum Parsed {
    /// Not a shortcode at all.
    None,
    /// A call.
    Call(Call),
    /// `{{/* ... */}}`: the text to show literally, `{{ ... }}`.
    Literal(String),
    /// It looks like a call but is malformed.
    Invalid(InvalidCall),
}

/// A call that is malformed: whose, why, and where (a byte range in the
/// text parsed, with its quotes straightened).
#[derive(Debug, PartialEq, thiserror::Error)]
#[error("shortcode `{name}`: {mistake}")]
pub struct InvalidCall {
    pub name: String,
    pub mistake: Mistake,
    pub at: Range<usize>,
}

/// Where a shortcode's call stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Alone where a paragraph could stand: it shows a block.
    Block,
    /// Inside running text: it prints a few words (`figure`).
    Inline,
}

/// The kind of value an argument takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgType {
    /// A quoted string.
    Str,
    /// A whole number from 0 to 12 (decimals).
    Digits,
    /// `true` or `false`.
    Bool,
    /// Line numbers: a quoted list of ranges (`"3-5 8"`) or one number.
    Lines,
}

/// One argument a shortcode takes.
#[derive(Debug, Clone, Copy)]
pub struct ArgSpec {
    pub name: &'static str,
    pub ty: ArgType,
    pub required: bool,
    /// The value when it is left out, as written in a call (`"all"`,
    /// `true`); `None` when leaving it out means "none" or "all".
    pub default: Option<&'static str>,
}

impl ArgSpec {
    /// An optional argument with no default.
    pub const fn opt(name: &'static str, ty: ArgType) -> Self {
        ArgSpec {
            name,
            ty,
            required: false,
            default: None,
        }
    }

    /// A required argument.
    pub const fn required(name: &'static str, ty: ArgType) -> Self {
        ArgSpec {
            name,
            ty,
            required: true,
            default: None,
        }
    }

    /// An optional argument with its default.
    pub const fn defaults_to(name: &'static str, ty: ArgType, default: &'static str) -> Self {
        ArgSpec {
            name,
            ty,
            required: false,
            default: Some(default),
        }
    }
}

/// What a built-in shortcode accepts: its name, where it stands, its
/// arguments. The first argument, when required, is the one the call is
/// about (`data`, `file`): it is checked before the shortcode runs, which
/// checks the others it needs where it can say more.
#[derive(Debug)]
pub struct Spec {
    pub name: &'static str,
    pub placement: Placement,
    pub args: &'static [ArgSpec],
}

impl Spec {
    /// The names of its arguments, in order.
    pub fn arg_names(&self) -> Vec<&'static str> {
        self.args.iter().map(|a| a.name).collect()
    }

    /// Does it take an argument `name`?
    pub fn takes(&self, name: &str) -> bool {
        self.args.iter().any(|a| a.name == name)
    }
}

/// With smart punctuation on, the Markdown parser has already curled the
/// quotes of a call: this straightens them back, as written.
pub fn straighten(text: &str) -> Cow<'_, str> {
    if text.contains(['“', '”', '‘', '’']) {
        Cow::Owned(text.replace(['“', '”'], "\"").replace(['‘', '’'], "'"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Parses a whole paragraph's text as one shortcode call.
pub fn parse(text: &str) -> Parsed {
    let text = straighten(text);
    let text = text.as_ref();
    let t = text.trim();
    let Some(inner) = t.strip_prefix("{{").and_then(|r| r.strip_suffix("}}")) else {
        return Parsed::None;
    };
    let inner = inner.trim();
    if let Some(lit) = inner.strip_prefix("/*").and_then(|r| r.strip_suffix("*/")) {
        return Parsed::Literal(format!("{{{{ {} }}}}", lit.trim()));
    }
    let Some(open) = inner.find('(') else {
        return Parsed::None;
    };
    let name = inner[..open].trim();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Parsed::None;
    }
    let whole = text.len() - text.trim_start().len()..text.trim_end().len();
    let Some(args) = inner[open + 1..].strip_suffix(')') else {
        return Parsed::Invalid(InvalidCall {
            name: name.into(),
            mistake: Mistake::NoParen,
            at: whole,
        });
    };
    // Where the arguments start in `text`, for their spans.
    let base = args.as_ptr() as usize - text.as_ptr() as usize;
    match parse_args(args, base) {
        Ok((args, spans)) => Parsed::Call(Call {
            name: name.to_string(),
            args,
            spans,
        }),
        Err(ArgsError { mistake, at }) => Parsed::Invalid(InvalidCall {
            name: name.into(),
            mistake,
            at,
        }),
    }
}

/// Calls written inside running text (`fib(35) took {{ figure(...) }}.`):
/// each `{{ ... }}` with its byte range in `text`, parsed. Text that only
/// looks like braces (`{{ not a call }}`) is left out, but `{{ name(` never
/// is: without its `}}` it is an invalid call, so no call reaches a page as
/// text unnoticed.
pub fn inline_calls(text: &str) -> Vec<(Range<usize>, Parsed)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find("{{").map(|i| from + i) {
        // A call ends at the first `}}` after its closing parenthesis (or,
        // for a literal, after `*/`), so `)` and `}` in quoted arguments
        // do not end it early.
        let close = match next_close(&text[open..]) {
            Some(c) => open + c,
            None => {
                // Nothing closes from here on: each call that starts here
                // or later lacks its end.
                let mut at = open;
                while let Some(r) = call_start(&text[at..]) {
                    let name = text[at + r.start + 2..at + r.end - 1].trim();
                    out.push((
                        at + r.start..at + r.end,
                        Parsed::Invalid(InvalidCall {
                            name: name.into(),
                            mistake: Mistake::NoBraces,
                            at: 0..r.len(),
                        }),
                    ));
                    at += r.end;
                }
                break;
            }
        };
        let parsed = parse(&text[open..close]);
        if parsed != Parsed::None {
            out.push((open..close, parsed));
            from = close;
        } else {
            // `{{{ name(...) }}`: the call may start at the next brace.
            from = open + 1;
        }
    }
    out
}

/// `text` with each literal call in it (`{{/* name() */}}`) shown as the
/// call it writes (`{{ name() }}`).
pub fn show_literals(text: &str) -> Cow<'_, str> {
    if !text.contains("{{") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (range, parsed) in inline_calls(text) {
        if let Parsed::Literal(lit) = parsed {
            out.push_str(&text[last..range.start]);
            out.push_str(&lit);
            last = range.end;
        }
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

/// The first `{{ name(` in `text` (spaces allowed around the name): what
/// every call starts with, whether it parses or not.
pub fn call_start(text: &str) -> Option<Range<usize>> {
    let mut from = 0;
    while let Some(open) = text[from..].find("{{").map(|i| from + i) {
        let rest = &text[open + 2..];
        let name_at = rest.len() - rest.trim_start().len();
        let name_len = rest[name_at..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len() - name_at);
        let after = &rest[name_at + name_len..];
        let paren = after.len() - after.trim_start().len();
        if name_len > 0 && after[paren..].starts_with('(') {
            return Some(open..open + 2 + name_at + name_len + paren + 1);
        }
        from = open + 2;
    }
    None
}

/// The end (past `}}`) of the call starting at `s[0..2] == "{{"`.
fn next_close(s: &str) -> Option<usize> {
    let mut in_quote = false;
    let mut escaped = false;
    let bytes = s.as_bytes();
    let mut i = 2;
    while i + 1 < bytes.len() {
        let c = bytes[i];
        if in_quote {
            match c {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_quote = false,
                _ => {}
            }
        } else if c == b'"' {
            in_quote = true;
        } else if c == b'}' && bytes[i + 1] == b'}' {
            return Some(i + 2);
        }
        i += 1;
    }
    None
}

type Args = (BTreeMap<String, Arg>, BTreeMap<String, Range<usize>>);

/// What is wrong with a call's arguments, and where (a byte range in the
/// text parsed).
#[derive(Debug)]
struct ArgsError {
    mistake: Mistake,
    at: Range<usize>,
}

/// What is wrong with a call.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum Mistake {
    #[error("missing `)` at the end")]
    NoParen,
    #[error("missing `}}}}` at the end")]
    NoBraces,
    #[error("expected key=value, found `{0}`")]
    NoEquals(String),
    #[error("`{0}` is not an argument name")]
    NotAName(String),
    #[error("unclosed quote")]
    UnclosedQuote,
    #[error("`{0}` is not a value: quote strings, \"like this\"")]
    NotAValue(String),
    #[error("argument `{0}` given twice")]
    Twice(String),
    #[error("expected `,` before `{0}`")]
    NoComma(String),
}

impl Mistake {
    fn at(self, at: Range<usize>) -> ArgsError {
        ArgsError { mistake: self, at }
    }
}

/// The arguments in `s`, which starts at byte `base` of the text parsed.
fn parse_args(s: &str, base: usize) -> Result<Args, ArgsError> {
    let mut args = BTreeMap::new();
    let mut spans = BTreeMap::new();
    let at = |part: &str| base + (part.as_ptr() as usize - s.as_ptr() as usize);
    let over = |part: &str| at(part)..at(part) + part.len();
    let mut rest = s.trim();
    while !rest.is_empty() {
        let start = at(rest);
        let eq = rest
            .find('=')
            .ok_or_else(|| Mistake::NoEquals(rest.into()).at(over(rest)))?;
        let key = rest[..eq].trim();
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(Mistake::NotAName(key.into()).at(over(&rest[..eq])));
        }
        rest = rest[eq + 1..].trim_start();
        let (value, after, value_end) = if let Some(q) = rest.strip_prefix('"') {
            let mut v = String::new();
            let mut end = None;
            let mut chars = q.char_indices();
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => {
                        if let Some((_, n)) = chars.next() {
                            v.push(n);
                        }
                    }
                    '"' => {
                        end = Some(i + 1);
                        break;
                    }
                    c => v.push(c),
                }
            }
            let end = end.ok_or_else(|| Mistake::UnclosedQuote.at(over(rest)))?;
            (Arg::Str(v), &q[end..], at(&q[end..]))
        } else {
            let end = rest.find(',').unwrap_or(rest.len());
            let raw = rest[..end].trim();
            let v = match raw {
                "true" => Arg::Bool(true),
                "false" => Arg::Bool(false),
                _ => {
                    if let Ok(i) = raw.parse::<i64>() {
                        Arg::Int(i)
                    } else if let Ok(f) = raw.parse::<f64>() {
                        Arg::Float(f)
                    } else {
                        return Err(Mistake::NotAValue(raw.into()).at(over(raw)));
                    }
                }
            };
            (v, &rest[end..], at(raw) + raw.len())
        };
        if args.insert(key.to_string(), value).is_some() {
            return Err(Mistake::Twice(key.into()).at(start..value_end));
        }
        spans.insert(key.to_string(), start..value_end);
        rest = after.trim_start();
        if let Some(r) = rest.strip_prefix(',') {
            rest = r.trim_start();
        } else if !rest.is_empty() {
            return Err(Mistake::NoComma(rest.into()).at(over(rest)));
        }
    }
    Ok((args, spans))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_calls() {
        let Parsed::Call(c) =
            parse(r#"{{ bench_chart(data="b/cpu.csv", metric="time", log=true, n=3) }}"#)
        else {
            panic!("not a call");
        };
        assert_eq!(c.name, "bench_chart");
        assert_eq!(c.args["data"], Arg::Str("b/cpu.csv".into()));
        assert_eq!(c.args["log"], Arg::Bool(true));
        assert_eq!(c.args["n"], Arg::Int(3));
    }

    #[test]
    fn finds_calls_inside_text() {
        let text = r#"fib took {{ figure(data="r.csv", subject="A}}") }} and {{ x }} or {{/* figure() */}}."#;
        let calls = inline_calls(text);
        assert_eq!(calls.len(), 2, "{calls:?}");
        assert_eq!(
            &text[calls[0].0.clone()],
            r#"{{ figure(data="r.csv", subject="A}}") }}"#
        );
        let Parsed::Call(c) = &calls[0].1 else {
            panic!()
        };
        assert_eq!(c.args["subject"], Arg::Str("A}}".into()));
        assert_eq!(calls[1].1, Parsed::Literal("{{ figure() }}".into()));
        assert!(inline_calls("no calls {{ here").is_empty());
    }

    #[test]
    fn literal_and_non_calls() {
        assert_eq!(
            parse("{{/* compare(data=\"x\") */}}"),
            Parsed::Literal("{{ compare(data=\"x\") }}".into())
        );
        assert_eq!(parse("{{ just braces }}"), Parsed::None);
        assert_eq!(parse("text"), Parsed::None);
        let text = "{{ f(a=1, x=unquoted) }}";
        let Parsed::Invalid(InvalidCall { at, .. }) = parse(text) else {
            panic!("not invalid");
        };
        assert_eq!(&text[at], "unquoted");
        let text = "{{ f(a=1, a=2) }}";
        let Parsed::Invalid(InvalidCall { at, .. }) = parse(text) else {
            panic!("not invalid");
        };
        assert_eq!(&text[at], "a=2", "the second one");
        assert!(matches!(
            parse("{{ f(x=\"a\" y=\"b\") }}"),
            Parsed::Invalid(..)
        ));
    }

    #[test]
    fn mistakes_in_arguments_say_what_and_where() {
        for (text, says, at) in [
            ("{{ f(a) }}", "expected key=value, found `a`", "a"),
            ("{{ f(a-b=2) }}", "`a-b` is not an argument name", "a-b"),
            ("{{ f(a=\"x) }}", "unclosed quote", "\"x"),
            (
                "{{ f(a=x) }}",
                "`x` is not a value: quote strings, \"like this\"",
                "x",
            ),
            ("{{ f(a=1, a=2) }}", "argument `a` given twice", "a=2"),
            ("{{ f(a=\"x\" b=2) }}", "expected `,` before `b=2`", "b=2"),
            ("{{ f(a=1 }}", "missing `)` at the end", "{{ f(a=1 }}"),
        ] {
            let Parsed::Invalid(e) = parse(text) else {
                panic!("{text}: not invalid");
            };
            assert_eq!(e.to_string(), format!("shortcode `f`: {says}"), "{text}");
            assert_eq!(&text[e.at], at, "{text}");
        }
    }

    #[test]
    fn arguments_keep_where_they_were_written() {
        let text = r#"{{ bench_chart( data="b/cpu.csv" , log=true,n=3 ) }}"#;
        let Parsed::Call(c) = parse(text) else {
            panic!("not a call");
        };
        let at = |k: &str| &text[c.span_of(k).unwrap()];
        assert_eq!(at("data"), r#"data="b/cpu.csv""#);
        assert_eq!(at("log"), "log=true");
        assert_eq!(at("n"), "n=3");
        assert_eq!(&text[c.key_span("data").unwrap()], "data");
        // Curled quotes are straightened: spans are in the straight text.
        let curled = "{{ f(a=“x”, b=1) }}";
        let Parsed::Call(c) = parse(curled) else {
            panic!("not a call");
        };
        assert_eq!(&straighten(curled)[c.span_of("b").unwrap()], "b=1");
    }

    #[test]
    fn a_call_without_its_end_is_invalid_not_text() {
        let calls = inline_calls("see {{ compare(data=\"x\") } and more");
        assert_eq!(calls.len(), 1, "{calls:?}");
        assert!(matches!(&calls[0].1, Parsed::Invalid(e) if e.mistake == Mistake::NoBraces));
        assert_eq!(calls[0].0, 4..15);
        assert!(inline_calls("a {{ b and {{c").is_empty());
        let later = inline_calls("a {{ b and {{ f(x=1) and {{g (");
        assert_eq!(later.len(), 2, "{later:?}");
        assert!(matches!(&later[1].1, Parsed::Invalid(e) if e.name == "g"));
        let braces = inline_calls("{{{ f(x=1) }}");
        assert_eq!(braces.len(), 1, "{braces:?}");
        assert_eq!(braces[0].0, 1..13);
    }

    #[test]
    fn call_starts() {
        assert_eq!(call_start("x {{ f(a) }}"), Some(2..7));
        assert_eq!(call_start("{{f (\n"), Some(0..5));
        assert_eq!(call_start("{{ not a call }} {{x}}"), None);
        assert_eq!(call_start("{{ }} {{ g("), Some(6..11));
        assert_eq!(call_start("{{/* f() */}}"), None);
        assert_eq!(show_literals("a {{/* f(x=1) */}} b"), "a {{ f(x=1) }} b");
    }
}
