//! HTML and XML escaping for text that reaches the output from the
//! author's files.

/// Escapes `&`, `<`, `>`, `"` and `'` so that text is never read as markup,
/// in element content and in quoted attribute values alike.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    html_into(&mut out, text);
    out
}

pub fn html_into(out: &mut String, text: &str) {
    markup_into(out, text, "&#39;", |_| true);
}

/// Escapes text for XML element content and attribute values (feeds and
/// the sitemap), dropping the control characters XML 1.0 does not allow.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    markup_into(&mut out, text, "&apos;", |c| {
        (c as u32) >= 0x20 || matches!(c, '\t' | '\n' | '\r')
    });
    out
}

/// Writes `text` to `out` with the five markup characters replaced by
/// entities (`apos` for `'`) and the characters `keep` refuses left out.
fn markup_into(out: &mut String, text: &str, apos: &str, keep: impl Fn(char) -> bool) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str(apos),
            c if keep(c) => out.push(c),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup() {
        assert_eq!(
            super::html("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(super::html("a\u{1}b"), "a\u{1}b");
    }

    #[test]
    fn xml_uses_apos_and_drops_disallowed_controls() {
        assert_eq!(
            super::xml("a<b & \"c\"'\u{1}\t"),
            "a&lt;b &amp; &quot;c&quot;&apos;\t"
        );
    }
}
