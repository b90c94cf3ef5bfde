//! HTML escaping for text that reaches the output from the author's files.

/// Escapes `&`, `<`, `>`, `"` and `'` so that text is never read as markup,
/// in element content and in quoted attribute values alike.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    html_into(&mut out, text);
    out
}

pub fn html_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
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
    }
}
