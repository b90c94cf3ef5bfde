//! Redirect pages for the pages' `aliases`: a page at each old address that
//! sends the reader on (meta refresh), tells search engines where the page
//! is now (canonical link) and not to index the old one, and shows a link
//! for readers whose browser does not follow the refresh. Every link is
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
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>Moved: {title}</title>\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"robots\" content=\"noindex\">\n\
         <link rel=\"canonical\" href=\"{canonical}\">\n\
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
        config.base_url = Some("https://a.org/site".into());
        let text = page(&config, "old/a.html", "guide/index.html", "B");
        assert!(
            text.contains("href=\"https://a.org/site/guide/\""),
            "{text}"
        );
        assert!(text.contains("url=../guide/index.html"), "{text}");
    }
}
