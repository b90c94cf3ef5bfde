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

/// What a redirect page says, in the language of the page it leads to
/// (the theme's `moved_title`, `moved_heading` and `moved_text`).
pub struct Moved<'a> {
    pub lang: &'a str,
    /// Its `<title>`, `{title}` standing for the page's.
    pub title: &'a str,
    pub heading: &'a str,
    /// `{link}` standing for the link to the page.
    pub text: &'a str,
}

/// The redirect page written at `from` for the page at `to` titled `title`
/// (output paths), saying `moved`.
pub fn page(config: &Config, moved: &Moved<'_>, from: &str, to: &str, title: &str) -> String {
    let url = html(&relative_url(from, to));
    let canonical = match &config.base_url {
        Some(base) => html(&super::feeds::absolute_url(base, to)),
        None => url.clone(),
    };
    let head_title = html(&moved.title.replace("{title}", title));
    let title = html(title);
    let heading = html(moved.heading);
    let text = html(moved.text).replace("{link}", &format!("<a href=\"{url}\">{title}</a>"));
    // A JSON string is a JavaScript one; `<` escaped, it cannot end the script.
    let script_url = serde_json::to_string(&relative_url(from, to))
        .unwrap_or_default()
        .replace('<', "\\u003c");
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{head_title}</title>\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"robots\" content=\"noindex\">\n\
         <link rel=\"canonical\" href=\"{canonical}\">\n\
         <script>location.replace({script_url}+location.search+location.hash)</script>\n\
         <meta http-equiv=\"refresh\" content=\"0; url={url}\">\n</head>\n<body>\n\
         <main>\n<h1>{heading}</h1>\n\
         <p>{text}</p>\n</main>\n</body>\n</html>\n",
        lang = html(moved.lang),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the theme's English says.
    const ENGLISH: Moved<'static> = Moved {
        lang: "en",
        title: "Moved: {title}",
        heading: "This page has moved",
        text: "It is now at {link}.",
    };

    #[test]
    fn a_redirect_links_relatively_and_canonically() {
        let mut config = Config::default();
        let text = page(&config, &ENGLISH, "old/a.html", "guide/b.html", "B & C");
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
        let text = page(&config, &ENGLISH, "a.html", "</script>.html", "X");
        assert!(
            text.contains("location.replace(\"\\u003c/script>.html\""),
            "{text}"
        );
        config.base_url = Some("https://a.org/site".into());
        let text = page(&config, &ENGLISH, "old/a.html", "guide/index.html", "B");
        assert!(
            text.contains("href=\"https://a.org/site/guide/\""),
            "{text}"
        );
        assert!(text.contains("url=../guide/index.html"), "{text}");
    }
}
