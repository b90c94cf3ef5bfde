//! `versus.toml`: the site configuration, parsed strictly so that a typo in a
//! key is an error naming the key (with the closest known one) instead of a
//! setting silently ignored.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::report::diagnostic::{Diagnostic, closest};
use crate::report::error::{Error, IoContext, Result};

/// The file name of the site configuration at the site root.
pub const FILE_NAME: &str = "versus.toml";

/// What to do about a link to a page or heading that does not exist.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, clap::ValueEnum, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum LinkPolicy {
    /// Fail the build.
    #[default]
    Error,
    /// Print a warning and keep the link as written.
    Warn,
}

/// Which pages get a social card (`cards` in versus.toml).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Cards {
    /// The home page, section pages, and pages that show a matrix or
    /// benchmark results.
    #[default]
    Auto,
    /// Every page.
    All,
    /// No page: no `og:image` but a page's own `image`.
    None,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// The site's name, shown in every page's header and title.
    pub title: String,
    /// One sentence about the site, used for meta descriptions.
    pub description: String,
    /// The public URL of the site (for canonical links, sitemap and feed).
    pub base_url: Option<String>,
    /// A custom domain for GitHub Pages (`docs.example.com`): written to
    /// `CNAME` in the output, and `https://DOMAIN` is the default `base_url`.
    pub cname: Option<String>,
    /// `sitemap.xml` and `robots.txt`: written when `base_url` is set, unless
    /// this is `false`. `true` without `base_url` is a warning.
    pub sitemap: Option<bool>,
    /// `atom.xml`, a feed of the pages with a date: written when `base_url`
    /// is set, unless this is `false`. `true` without `base_url` is a warning.
    pub feed: Option<bool>,
    /// Which pages get a social card (a PNG drawn from `card.svg`, their
    /// `og:image`; only with `base_url`): `auto` (default) the home page,
    /// section pages and pages that show data; `all`; `none`.
    pub cards: Cards,
    /// Language of the content, as a BCP 47 tag (`lang` attribute); with
    /// `[languages]`, the default language unless it names one.
    pub language: String,
    /// The languages of a multilingual site (docs/configuration.md,
    /// Languages): `default`, `missing`, and `[languages.CODE]` tables.
    pub languages: Option<crate::lang::Languages>,
    /// Theme folder under `themes/`; `default` is built into the binary.
    pub theme: String,
    /// What a broken internal link does: `error` (default) or `warn`.
    pub links: LinkPolicy,
    /// The address that edits a source file, `{path}` standing for its
    /// path from the repository's top
    /// (`https://github.com/OWNER/REPO/edit/main/{path}`): every page gets
    /// an "Edit this page" link, and every table or chart a link to its
    /// data file.
    pub edit_url: Option<String>,
    /// Date each page by its last git commit ("Last updated", the
    /// sitemap's `lastmod`, the feed's `updated`) when the site is in a git
    /// work tree; `false` never runs git.
    pub git_dates: bool,
    pub highlight: HighlightConfig,
    pub markdown: MarkdownConfig,
    pub print: PrintConfig,
    pub nav: NavConfig,
    /// Free table passed to templates as `site.extra`.
    #[schemars(with = "serde_json::Map<String, serde_json::Value>")]
    pub extra: toml::Table,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct HighlightConfig {
    /// Syntax theme for the light colour scheme.
    pub light_theme: String,
    /// Syntax theme for the dark colour scheme.
    pub dark_theme: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct PrintConfig {
    /// Above this many megabytes of page bodies, print.html becomes an
    /// index of one file per top-level section (`print/SECTION.html`).
    pub split_above_mb: f64,
}

impl Default for PrintConfig {
    fn default() -> Self {
        Self {
            split_above_mb: 50.0,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NavConfig {
    /// A folder with more entries than this lists, in the sidebar, only
    /// the entry leading to the current page and a link to the folder's
    /// own page (which lists them all); 0 never shortens a folder.
    pub collapse_above: usize,
}

impl Default for NavConfig {
    fn default() -> Self {
        Self {
            collapse_above: 100,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Turn straight quotes and `--` into typographic ones.
    pub smart_punctuation: bool,
    /// Render `$...$` and `$$...$$` as math (LaTeX to MathML, at build
    /// time). Off by default: prices written with `$` stay text.
    pub math: bool,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            title: "Untitled site".into(),
            description: String::new(),
            base_url: None,
            cname: None,
            sitemap: None,
            feed: None,
            cards: Cards::Auto,
            language: "en".into(),
            languages: None,
            theme: "default".into(),
            links: LinkPolicy::Error,
            edit_url: None,
            git_dates: true,
            highlight: HighlightConfig::default(),
            markdown: MarkdownConfig::default(),
            print: PrintConfig::default(),
            nav: NavConfig::default(),
            extra: toml::Table::new(),
        }
    }
}

impl Default for HighlightConfig {
    fn default() -> Self {
        Self {
            light_theme: "InspiredGitHub".into(),
            dark_theme: "OneHalfDark".into(),
        }
    }
}

/// Every key a table of versus.toml may hold (`title`, `light_theme`, ...),
/// read from the JSON Schema of [`Config`] so that it follows the structs:
/// the names a misspelt key is matched against.
fn known_keys() -> Vec<String> {
    fn collect(schema: &serde_json::Value, keys: &mut Vec<String>) {
        if let Some(props) = schema.get("properties").and_then(|p| p.as_object()) {
            keys.extend(props.keys().cloned());
        }
        if let Some(defs) = schema.get("$defs").and_then(|d| d.as_object()) {
            defs.values().for_each(|d| collect(d, keys));
        }
    }
    let mut keys = Vec::new();
    if let Ok(schema) = serde_json::to_value(schemars::schema_for!(Config)) {
        collect(&schema, &mut keys);
    }
    keys.sort();
    keys.dedup();
    keys
}

impl Config {
    /// Reads `versus.toml` from the site root. A missing file is an error:
    /// it is what marks a folder as a versus site.
    pub fn load(root: &Path) -> Result<Self> {
        let path = root.join(FILE_NAME);
        if !path.is_file() {
            return Err(Error::Usage(format!(
                "no {FILE_NAME} in {}: run `versus init DIR` to start a site, or pass --root",
                root.display()
            )));
        }
        let text = std::fs::read_to_string(&path).at(&path)?;
        let config = Self::parse(Path::new(FILE_NAME), &text)?;
        if config.theme != "default" && !root.join("themes").join(&config.theme).is_dir() {
            let theme = &config.theme;
            let source: Arc<str> = Arc::from(text.as_str());
            let span = Spans::of(&text).theme.map_or(0..0, |t| t.span());
            return Err(Diagnostic::error(format!(
                "invalid {FILE_NAME}: theme `{theme}` not found: no folder themes/{theme}"
            ))
            .at(Path::new(FILE_NAME), &source, span)
            .with_help("set `theme` to a folder under themes/, or remove it for the default theme")
            .into());
        }
        Ok(config)
    }

    /// Parses the configuration text; errors point into `shown_path`.
    pub fn parse(shown_path: &Path, text: &str) -> Result<Self, Diagnostic> {
        let source: Arc<str> = Arc::from(text);
        let mut config: Config = toml::from_str(text).map_err(|e| {
            let message = e.message().trim().to_string();
            let mut diag = Diagnostic::error(format!("invalid {FILE_NAME}: {message}"));
            if let Some(span) = e.span() {
                diag = diag.at(shown_path, &source, span);
            }
            if let Some(unknown) = unknown_field(&message) {
                let known = known_keys();
                if let Some(known) = closest(unknown, known.iter().map(String::as_str)) {
                    diag = diag.with_help(format!("did you mean `{known}`?"));
                }
            }
            diag
        })?;
        if let Some(url) = &mut config.base_url {
            while url.ends_with('/') {
                url.pop();
            }
        }
        let spans = Spans::of(text);
        if let Some(cname) = &mut config.cname {
            *cname = cname.trim().to_string();
            if !is_domain(cname) {
                let span = spans.cname.as_ref().map_or(0..0, |c| c.span());
                return Err(Diagnostic::error(format!(
                    "invalid {FILE_NAME}: `cname = \"{cname}\"` is not a domain name"
                ))
                .at(shown_path, &source, span)
                .with_help(
                    "write the bare domain, as in `cname = \"docs.example.com\"` (no https://, no path)",
                ));
            }
            if config.base_url.is_none() {
                config.base_url = Some(format!("https://{cname}"));
            }
        }
        if let Some(url) = &config.edit_url {
            if !url.contains("{path}") {
                let span = spans.edit_url.as_ref().map_or(0..0, |c| c.span());
                return Err(Diagnostic::error(format!(
                    "invalid {FILE_NAME}: `edit_url` has no `{{path}}`, where each file's path goes"
                ))
                .at(shown_path, &source, span)
                .with_help(
                    "write it as in `edit_url = \"https://github.com/OWNER/REPO/edit/main/{path}\"`",
                ));
            }
        }
        let highlight = spans.highlight.unwrap_or_default();
        for (key, name, span) in [
            (
                "light_theme",
                &config.highlight.light_theme,
                highlight.light_theme,
            ),
            (
                "dark_theme",
                &config.highlight.dark_theme,
                highlight.dark_theme,
            ),
        ] {
            highlight_theme(key, name)
                .map_err(|d| d.at(shown_path, &source, span.map_or(0..0, |s| s.span())))?;
        }
        config.check_languages(shown_path, &source)?;
        Ok(config)
    }

    /// `[languages]`: each code a language tag; `default` becomes
    /// `language`, which every language-blind reader sees.
    fn check_languages(&mut self, shown_path: &Path, source: &Arc<str>) -> Result<(), Diagnostic> {
        let Some(languages) = &self.languages else {
            return Ok(());
        };
        if let Some(default) = &languages.default {
            self.language = default.clone();
        }
        let codes = std::iter::once(&self.language).chain(languages.list.keys());
        for code in codes {
            if crate::lang::is_code(code) {
                continue;
            }
            let table = format!("[languages.{code}]");
            let span = match source.find(&table) {
                Some(at) => at + table.len() - code.len() - 1..at + table.len() - 1,
                None => source
                    .find(&format!("\"{code}\""))
                    .map_or(0..0, |at| at + 1..at + 1 + code.len()),
            };
            return Err(Diagnostic::error(format!(
                "invalid {FILE_NAME}: `{code}` is not a language code"
            ))
            .at(shown_path, source, span)
            .with_help(
                "write a BCP 47 tag: two or three lowercase letters, then a region if needed (`fr`, `pt-BR`)",
            ));
        }
        Ok(())
    }

    /// The site's languages, the default first, then the others by code.
    /// A site without `[languages]` has one: `language`.
    pub fn langs(&self) -> Vec<crate::lang::Lang> {
        let empty = BTreeMap::new();
        let list = self.languages.as_ref().map_or(&empty, |l| &l.list);
        let default = std::iter::once(self.language.as_str());
        let others = list
            .keys()
            .map(String::as_str)
            .filter(|c| *c != self.language);
        default
            .chain(others)
            .enumerate()
            .map(|(i, code)| {
                let entry = list.get(code).cloned().unwrap_or_default();
                crate::lang::Lang {
                    code: code.to_string(),
                    name: entry.name.unwrap_or_else(|| code.to_string()),
                    title: entry.title.unwrap_or_else(|| self.title.clone()),
                    description: entry
                        .description
                        .unwrap_or_else(|| self.description.clone()),
                    dir: entry
                        .dir
                        .unwrap_or_else(|| crate::lang::Direction::of(code)),
                    prefix: if i == 0 {
                        String::new()
                    } else {
                        format!("{code}/")
                    },
                }
            })
            .collect()
    }

    /// What loading the content needs to know of the languages.
    pub fn lang_setup(&self) -> crate::lang::Setup {
        crate::lang::Setup {
            langs: self.langs(),
            missing: self
                .languages
                .as_ref()
                .map(|l| l.missing)
                .unwrap_or_default(),
            suffixes: self.languages.is_some(),
        }
    }
}

/// Where some values are written in versus.toml, for errors about them
/// that serde cannot see (a theme that does not exist).
#[derive(Deserialize, Default)]
struct Spans {
    cname: Option<toml::Spanned<String>>,
    edit_url: Option<toml::Spanned<String>>,
    theme: Option<toml::Spanned<String>>,
    highlight: Option<HighlightSpans>,
}

#[derive(Deserialize, Default)]
struct HighlightSpans {
    light_theme: Option<toml::Spanned<String>>,
    dark_theme: Option<toml::Spanned<String>>,
}

impl Spans {
    /// The spans in `text`, which has parsed as a [`Config`] already.
    fn of(text: &str) -> Self {
        toml::from_str(text).unwrap_or_default()
    }
}

/// Whether `name`, the value of `key` in [highlight], is a syntax theme
/// versus has (any case, as the highlighter looks it up); the error, with
/// a guess or the list, when it is not (the caller adds where it is written).
fn highlight_theme(key: &str, name: &str) -> Result<(), Diagnostic> {
    let names: Vec<&str> = two_face::theme::EmbeddedLazyThemeSet::theme_names()
        .iter()
        .map(|t| t.as_name())
        .collect();
    if names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
        return Ok(());
    }
    let help = match closest(name, names.iter().copied()) {
        Some(c) => format!("did you mean `{c}`?"),
        None => format!("themes: {}", names.join(", ")),
    };
    Err(Diagnostic::error(format!(
        "invalid {FILE_NAME}: unknown highlight theme `{name}` (`{key}` in [highlight])"
    ))
    .with_help(help))
}

/// A host name such as `docs.example.com`: dot-separated labels of letters,
/// digits and hyphens.
fn is_domain(s: &str) -> bool {
    s.len() <= 253
        && s.contains('.')
        && s.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// Pulls `name` out of serde's "unknown field `name`, expected ..." message.
fn unknown_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("unknown field `")?;
    rest.split('`').next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_names_it_and_suggests() {
        let err = Config::parse(Path::new("versus.toml"), "titel = \"x\"\n")
            .err()
            .map(|d| d.render(false))
            .unwrap_or_default();
        assert!(err.contains("unknown field `titel`"), "{err}");
        assert!(err.contains("did you mean `title`?"), "{err}");
        assert!(err.contains("versus.toml:1:1"), "{err}");
    }

    #[test]
    fn an_unknown_highlight_theme_is_located_and_guessed() {
        let text = "title = \"x\"\n\n[highlight]\nlight_theme = \"InspiredGithub\"\ndark_theme = \"OneHalfDrak\"\n";
        let err = Config::parse(Path::new("versus.toml"), text)
            .err()
            .map(|d| d.render(false))
            .unwrap_or_default();
        assert!(
            err.contains("unknown highlight theme `OneHalfDrak`"),
            "{err}"
        );
        assert!(err.contains("versus.toml:5:14"), "{err}");
        assert!(err.contains("help: did you mean `OneHalfDark`?"), "{err}");
    }

    #[test]
    fn misspelt_keys_of_every_table_are_guessed() {
        for (text, meant) in [
            ("langauge = \"en\"\n", "language"),
            ("[highlight]\nligth_theme = \"x\"\n", "light_theme"),
            ("[markdown]\nsmart_punctuaton = true\n", "smart_punctuation"),
            ("[print]\nsplit_above_mib = 1.0\n", "split_above_mb"),
            ("[nav]\ncolapse_above = 3\n", "collapse_above"),
        ] {
            let err = Config::parse(Path::new("versus.toml"), text)
                .err()
                .map(|d| d.render(false))
                .unwrap_or_default();
            assert!(err.contains(&format!("did you mean `{meant}`?")), "{err}");
        }
        let keys = known_keys();
        assert!(keys.iter().all(|k| !k.ends_with("Config")), "{keys:?}");
    }

    #[test]
    fn nested_unknown_key_is_an_error() {
        let err = Config::parse(Path::new("versus.toml"), "[highlight]\nlight = \"x\"\n");
        assert!(err.is_err());
    }

    #[test]
    fn cname_is_checked_and_gives_the_default_base_url() {
        let c = Config::parse(Path::new("versus.toml"), "cname = \" docs.example.com \"\n").ok();
        assert_eq!(
            c.as_ref().and_then(|c| c.cname.as_deref()),
            Some("docs.example.com")
        );
        assert_eq!(
            c.and_then(|c| c.base_url).as_deref(),
            Some("https://docs.example.com")
        );
        let c = Config::parse(
            Path::new("versus.toml"),
            "cname = \"a.org\"\nbase_url = \"https://b.org/x\"\n",
        );
        assert_eq!(
            c.ok().and_then(|c| c.base_url).as_deref(),
            Some("https://b.org/x")
        );
        for bad in ["https://a.org", "a.org/docs", "localhost", "a..org", ""] {
            let err = Config::parse(Path::new("versus.toml"), &format!("cname = \"{bad}\"\n"))
                .err()
                .map(|d| d.render(false))
                .unwrap_or_default();
            assert!(err.contains("is not a domain name"), "{bad}: {err}");
        }
    }

    #[test]
    fn trailing_slash_is_dropped_from_base_url() {
        let c = Config::parse(Path::new("versus.toml"), "base_url = \"https://a.b/c/\"\n");
        assert_eq!(
            c.ok().and_then(|c| c.base_url).as_deref(),
            Some("https://a.b/c")
        );
    }
}
