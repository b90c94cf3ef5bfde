//! A small scanner for the HTML versus renders itself (regular, from its
//! own Markdown renderer and templates): not a general HTML parser. The
//! book (publish::print) rewrites ids and links with it, and the Markdown
//! pass reads the ids of raw HTML and shortcode output with it.

use std::borrow::Cow;

/// The ids of the elements of an HTML fragment, in document order.
pub fn body_ids(html: &str) -> Vec<String> {
    let mut ids = Vec::new();
    scan(html, |_, attr, value| {
        if attr == "id" {
            ids.push(value.to_string());
        }
        None
    });
    ids
}

/// Calls `f(tag, attribute, value)` for every attribute of every start tag
/// (names lowercase, value with entities decoded); where it returns a new
/// value, that value (escaped) replaces the old one. Comments and the
/// contents of `script`, `style`, `textarea` and `title` are left alone.
pub fn scan(html: &str, mut f: impl FnMut(&str, &str, &str) -> Option<String>) -> String {
    let bytes = html.as_bytes();
    let len = bytes.len();
    let mut out = String::with_capacity(len + len / 8);
    let mut copied = 0;
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'<', &bytes[i..]) {
        let start = i + off;
        if html[start..].starts_with("<!--") {
            i = html[start..].find("-->").map_or(len, |e| start + e + 3);
            continue;
        }
        let name_len = bytes[start + 1..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-' || **b == b':')
            .count();
        if name_len == 0 || !bytes[start + 1].is_ascii_alphabetic() {
            // An end tag, a doctype, or a stray `<`.
            i = start + 1;
            continue;
        }
        let tag = lowercase(&html[start + 1..start + 1 + name_len]);
        let mut j = start + 1 + name_len;
        while j < len {
            while j < len && (bytes[j].is_ascii_whitespace() || bytes[j] == b'/') {
                j += 1;
            }
            if j >= len {
                break;
            }
            if bytes[j] == b'>' {
                j += 1;
                break;
            }
            let name_start = j;
            while j < len && !bytes[j].is_ascii_whitespace() && !b"=>/".contains(&bytes[j]) {
                j += 1;
            }
            let attr = lowercase(&html[name_start..j]);
            let mut k = j;
            while k < len && bytes[k].is_ascii_whitespace() {
                k += 1;
            }
            if k < len && bytes[k] == b'=' {
                k += 1;
                while k < len && bytes[k].is_ascii_whitespace() {
                    k += 1;
                }
                let (value_start, value_end, next) = value_at(bytes, k);
                let value = decode(&html[value_start..value_end]);
                if let Some(new) = f(&tag, &attr, &value) {
                    if new != *value {
                        out.push_str(&html[copied..value_start]);
                        let quoted = bytes.get(value_start.wrapping_sub(1)) == Some(&b'"')
                            || bytes.get(value_start.wrapping_sub(1)) == Some(&b'\'');
                        if quoted {
                            out.push_str(&crate::text::escape::html(&new));
                        } else {
                            out.push('"');
                            out.push_str(&crate::text::escape::html(&new));
                            out.push('"');
                        }
                        copied = value_end;
                    }
                }
                j = next;
            } else if j == name_start {
                j += 1;
            }
        }
        i = j;
        if matches!(&*tag, "script" | "style" | "textarea" | "title") {
            i = find_end_tag(&html[i..], &tag).map_or(len, |e| i + e);
        }
    }
    out.push_str(&html[copied..]);
    out
}

/// Where the attribute value starting at `k` begins and ends (inside its
/// quotes, if any), and where scanning goes on after it.
fn value_at(bytes: &[u8], k: usize) -> (usize, usize, usize) {
    let len = bytes.len();
    match bytes.get(k) {
        Some(&q) if q == b'"' || q == b'\'' => {
            let end = memchr::memchr(q, &bytes[k + 1..]).map_or(len, |e| k + 1 + e);
            (k + 1, end, (end + 1).min(len))
        }
        _ => {
            let end = bytes[k..]
                .iter()
                .position(|b| b.is_ascii_whitespace() || *b == b'>')
                .map_or(len, |e| k + e);
            (k, end, end)
        }
    }
}

/// `name` in ASCII lowercase, copied only when it has capitals (the
/// renderer writes tags and attributes in lowercase: most never are).
fn lowercase(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

/// Where `</tag` starts in `html`, in any case.
fn find_end_tag(html: &str, tag: &str) -> Option<usize> {
    let bytes = html.as_bytes();
    let mut from = 0;
    while let Some(off) = html[from..].find("</") {
        let at = from + off;
        let name = bytes.get(at + 2..at + 2 + tag.len())?;
        if name.eq_ignore_ascii_case(tag.as_bytes()) {
            return Some(at);
        }
        from = at + 2;
    }
    None
}

/// Decodes the character references the renderer writes in attributes.
fn decode(value: &str) -> Cow<'_, str> {
    if !value.contains('&') {
        return Cow::Borrowed(value);
    }
    Cow::Owned(
        value
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&#x27;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
    )
}
