//! Redirect pages for the pages' `aliases`: a page at each old address that
//! sends the reader on (meta refresh), tells search engines where the page
//! is now (canonical link) and not to index the old one, and shows a link
//! for readers whose browser does not follow the refresh. A script goes
//! first where scripts run, keeping the old address's `#fragment` (a link
//! to a heading of the old page lands on that heading). Every link is
//! relative, so a redirect works under a sub-path and from `file://`.

use crate::config::Config;
use crate::text::escape::html;
use crate::text::paths::relative_url;

/// The redirect page written at `from` for the page at `to` titled `title`
/// (output paths).
pub fn page(config: &Config, from: &str, to: &str, title: &str) -> String {
    let url = html(&relative_url(from, to));
    let canonical = match &config.base_url {
        Some(base) => html(&super::feeds::absolute_url(base, to)),
        None => url.clone(),
    };
    let title = html(title);
    // A JSON string is a JavaScript one; `<` escaped, it cannot end the script.
    let script_url = serde_json::to_string(&relative_url(from, to))
        .unwrap_or_default()
        .replace('<', "\\u003c");
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>Moved: {title}</title>\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"robots\" content=\"noindex\">\n\
         <link rel=\"canonical\" href=\"{canonical}\">\n\
         <script>location.replace({script_url}+location.search+location.hash)</script>\n\
         <meta http-equiv=\"refresh\" content=\"0; url={url}\">\n</head>\n<body>\n\
         <main>\n<h1>This page has moved</h1>\n\
         <p>It is now at <a href=\"{url}\">{title}</a>.</p>\n</main>\n</body>\n</html>\n",
        lang = html(&config.language),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_redirect_links_relatively_and_canonically() {
        let mut config = Config::default();
        let text = page(&config, "old/a.html", "guide/b.html", "B & C");
        assert!(
            text.contains("content=\"0; url=../guide/b.html\""),
            "{text}"
        );
        assert!(text.contains("<link rel=\"canonical\" href=\"../guide/b.html\">"));
        assert!(text.contains("<a href=\"../guide/b.html\">B &amp; C</a>"));
        assert!(text.contains("<meta name=\"robots\" content=\"noindex\">"));
        assert!(text.contains(
            "<script>location.replace(\"../guide/b.html\"+location.search+location.hash)</script>"
        ));
        let text = page(&config, "a.html", "</script>.html", "X");
        assert!(
            text.contains("location.replace(\"\\u003c/script>.html\""),
            "{text}"
        );
        config.base_url = Some("https://a.org/site".into());
        let text = page(&config, "old/a.html", "guide/index.html", "B");
        assert!(
            text.contains("href=\"https://a.org/site/guide/\""),
            "{text}"
        );
        assert!(text.contains("url=../guide/index.html"), "{text}");
    }
}
