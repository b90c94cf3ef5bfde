//! Path arithmetic for output URLs: every link in the output is relative, so
//! one `public/` works at a domain root, under a sub-path and from `file://`.

/// The relative URL from the output file `from` to the output file `to`
/// (both relative to the output root, `/`-separated).
pub fn relative_url(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = &from_dirs[..from_dirs.len() - 1];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dirs
        .iter()
        .zip(&to_parts[..to_parts.len() - 1])
        .take_while(|(a, b)| a == b)
        .count();
    let mut url = "../".repeat(from_dirs.len() - common);
    url.push_str(&to_parts[common..].join("/"));
    dot_slash_if_scheme_like(url)
}

/// `./URL` when the first segment of a relative `url` holds a `:`, which a
/// browser would read as a scheme (a page `javascript:alert(1).md` must
/// not give `href="javascript:alert(1).html"`); RFC 3986, section 4.2.
pub fn dot_slash_if_scheme_like(url: String) -> String {
    if url
        .split('/')
        .next()
        .is_some_and(|first| first.contains(':'))
    {
        format!("./{url}")
    } else {
        url
    }
}

/// The prefix leading from the output file `from` back to the output root
/// (`""` or `"../../"`).
pub fn root_prefix(from: &str) -> String {
    "../".repeat(from.matches('/').count())
}

/// Joins a relative `link` to the folder `base` (both under `content/`),
/// resolving `.` and `..`. `None` when the link climbs above the root.
/// A link starting with `/` is taken from the root.
pub fn join(base: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = if link.starts_with('/') {
        Vec::new()
    } else {
        base.split('/').filter(|p| !p.is_empty()).collect()
    };
    for part in link.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// Decodes `%XX` escapes (a link to `my%20page.md` names `my page.md`).
pub fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// True for URLs that leave the site: `https://`, `mailto:`, `//host`, ...
pub fn is_external(url: &str) -> bool {
    if url.starts_with("//") {
        return true;
    }
    match url.find(':') {
        Some(colon) => {
            let scheme = &url[..colon];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && !url[..colon].contains('/')
        }
        None => false,
    }
}

/// `a/b/c.md` -> `a/b`; `c.md` -> ``.
pub fn parent_dir(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

/// The file names of print.html's volumes (see `publish::print`), one per
/// key in reading order: a key is a top-level folder of the output, or `/`
/// for the pages at the top level, whose volume is `index.html`. A folder
/// named like a volume already given (`index`) gets a suffix.
pub fn print_volumes<'a>(keys: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut used = std::collections::HashSet::new();
    keys.into_iter()
        .map(|key| {
            let base = if key == "/" { "index" } else { key };
            let mut name = base.to_string();
            let mut n = 1;
            while !used.insert(name.clone()) {
                n += 1;
                name = format!("{base}-{n}");
            }
            format!("{name}.html")
        })
        .collect()
}

/// The print volume key of an output path: its top-level folder, or `/`.
pub fn print_key(output: &str) -> &str {
    output.split_once('/').map_or("/", |(dir, _)| dir)
}

/// `The GIL, explained` -> `the-gil-explained`.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.trim().chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() || c == '-' || c == '_' {
            dash = true;
        }
    }
    if out.is_empty() {
        "section".to_string()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_urls() {
        assert_eq!(relative_url("a/b.html", "a/c.html"), "c.html");
        assert_eq!(relative_url("a/b.html", "index.html"), "../index.html");
        assert_eq!(relative_url("index.html", "a/b/c.html"), "a/b/c.html");
        assert_eq!(relative_url("a/x/b.html", "a/y/c.html"), "../y/c.html");
        assert_eq!(relative_url("a.html", "a.html"), "a.html");
        assert_eq!(
            relative_url("a.html", "javascript:alert(1).html"),
            "./javascript:alert(1).html"
        );
        assert_eq!(relative_url("a/b.html", "a/c:d/e.html"), "./c:d/e.html");
        assert_eq!(relative_url("a/b.html", "c:d.html"), "../c:d.html");
    }

    #[test]
    fn root_prefixes() {
        assert_eq!(root_prefix("index.html"), "");
        assert_eq!(root_prefix("a/b/c.html"), "../../");
    }

    #[test]
    fn joins() {
        assert_eq!(join("a/b", "../c.md").as_deref(), Some("a/c.md"));
        assert_eq!(join("a", "./c.md").as_deref(), Some("a/c.md"));
        assert_eq!(join("a", "/c.md").as_deref(), Some("c.md"));
        assert_eq!(join("", "../c.md"), None);
    }

    #[test]
    fn decodes_and_detects() {
        assert_eq!(percent_decode("my%20page.md"), "my page.md");
        assert_eq!(percent_decode("100%"), "100%");
        assert!(is_external("https://x.org"));
        assert!(is_external("mailto:a@b"));
        assert!(!is_external("a/b.md"));
        assert!(!is_external("a/b:c.md"));
    }
}
