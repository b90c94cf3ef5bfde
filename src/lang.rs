//! The site's languages: `[languages]` in versus.toml resolved into a list
//! whose first entry is the default, and the translation file convention
//! (`speed.fr.md` beside `speed.md`). Loading only: nothing here renders.
//!
//! The default language's pages are written at the output's root, each
//! other language's under a folder named by its code (`fr/speed.html`).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What a language without a page's translation shows in its place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Missing {
    /// The default language's page, in the language's navigation, with a
    /// note that it is not translated yet.
    #[default]
    Fallback,
    /// Nothing: the language has only the pages translated into it.
    Omit,
}

/// Which way a language's text runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Ltr,
    Rtl,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }

    /// The direction of `code` when versus.toml does not say: right to
    /// left for Arabic, Hebrew, Persian and Urdu (and their regional
    /// variants), else left to right.
    pub fn of(code: &str) -> Self {
        let primary = code.split('-').next().unwrap_or(code);
        match primary.to_ascii_lowercase().as_str() {
            "ar" | "he" | "fa" | "ur" => Direction::Rtl,
            _ => Direction::Ltr,
        }
    }
}

/// One language's entry in `[languages]` (`[languages.fr]`).
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct LanguageConfig {
    /// The language's own name, shown in the language switcher
    /// (`Français`); the code when not given.
    pub name: Option<String>,
    /// The site's title in this language; the top-level `title` when not given.
    pub title: Option<String>,
    /// The site's description in this language; the top-level
    /// `description` when not given.
    pub description: Option<String>,
    /// `ltr` or `rtl`; right to left by default for ar, he, fa and ur.
    pub dir: Option<Direction>,
}

/// `[languages]`: `default` (else the top-level `language`), `missing`,
/// and a table per language.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct Languages {
    /// The default language's code: its pages are written at the root.
    pub default: Option<String>,
    /// A page a language lacks: `fallback` (default) shows the default
    /// language's page with a note, `omit` leaves it out.
    pub missing: Missing,
    /// Each language, by code (BCP 47: `fr`, `pt-BR`), the default's too.
    #[serde(flatten)]
    pub list: BTreeMap<String, LanguageConfig>,
}

impl<'de> Deserialize<'de> for Languages {
    /// `default` and `missing` are values; every other key is a language's
    /// table (serde cannot deny unknown fields beside a flattened map, so
    /// a misspelt `missing` reads as a language, and is refused as one).
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let mut table = toml::Table::deserialize(d)?;
        let default = match table.remove("default") {
            Some(toml::Value::String(s)) => Some(s),
            Some(_) => {
                return Err(D::Error::custom(
                    "`default` in [languages] must be a string",
                ));
            }
            None => None,
        };
        let missing = match table.remove("missing") {
            Some(v) => Missing::deserialize(v).map_err(|_| {
                D::Error::custom("`missing` in [languages] must be \"fallback\" or \"omit\"")
            })?,
            None => Missing::default(),
        };
        let mut list = BTreeMap::new();
        for (code, value) in table {
            let toml::Value::Table(t) = value else {
                return Err(D::Error::custom(format!(
                    "`{code}` in [languages] is neither `default`, `missing` nor a language's table ([languages.{code}])"
                )));
            };
            let entry = LanguageConfig::deserialize(toml::Value::Table(t))
                .map_err(|e| D::Error::custom(format!("[languages.{code}]: {}", e.message())))?;
            list.insert(code, entry);
        }
        Ok(Self {
            default,
            missing,
            list,
        })
    }
}

/// A language as the build uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lang {
    /// BCP 47 tag (`fr`).
    pub code: String,
    /// Its own name, for the switcher.
    pub name: String,
    pub title: String,
    pub description: String,
    pub dir: Direction,
    /// Where its pages go under the output folder: `""` for the default
    /// language, else `CODE/`.
    pub prefix: String,
}

/// What loading the content needs to know of the languages.
#[derive(Debug, Clone)]
pub struct Setup {
    /// The default language first.
    pub langs: Vec<Lang>,
    pub missing: Missing,
    /// Whether page names carry language suffixes (`[languages]` is in
    /// versus.toml): a site without it keeps `a.b.md` as a page of its own.
    pub suffixes: bool,
}

impl Setup {
    /// One language, `code`, no suffixes: a site without `[languages]`.
    pub fn single(code: &str) -> Self {
        Self {
            langs: vec![Lang {
                code: code.to_string(),
                name: code.to_string(),
                title: String::new(),
                description: String::new(),
                dir: Direction::of(code),
                prefix: String::new(),
            }],
            missing: Missing::Omit,
            suffixes: false,
        }
    }

    /// The index of the language `code`, if the site has it.
    pub fn index_of(&self, code: &str) -> Option<usize> {
        self.langs.iter().position(|l| l.code == code)
    }
}

/// Whether `code` is a language tag versus accepts: a primary subtag of
/// two or three lowercase letters, then `-` and subtags of letters and
/// digits (`fr`, `pt-BR`, `zh-Hant`).
pub fn is_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// A page file's name split into its language-neutral name and its
/// language suffix: `guide/speed.fr.md` -> (`guide/speed.md`, `fr`),
/// `_index.pt-BR.md` -> (`_index.md`, `pt-BR`). `None` when the name has
/// no suffix that looks like a language tag (`node.js.md` has one: `js`;
/// `v1.2.md` has none).
pub fn split_suffix(rel: &str) -> Option<(String, &str)> {
    let stem = rel.strip_suffix(".md")?;
    let (dir, name) = match stem.rfind('/') {
        Some(at) => (&stem[..=at], &stem[at + 1..]),
        None => ("", stem),
    };
    let (base, suffix) = name.rsplit_once('.')?;
    if base.is_empty() || !is_code(suffix) {
        return None;
    }
    Some((format!("{dir}{base}.md"), suffix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_are_split_off_page_names() {
        assert_eq!(
            split_suffix("g/speed.fr.md"),
            Some(("g/speed.md".to_string(), "fr"))
        );
        assert_eq!(
            split_suffix("_index.pt-BR.md"),
            Some(("_index.md".to_string(), "pt-BR"))
        );
        assert_eq!(
            split_suffix("node.js.md"),
            Some(("node.md".to_string(), "js"))
        );
        for none in ["speed.md", "v1.2.md", ".fr.md", "a.FR.md", "a.fr.txt"] {
            assert_eq!(split_suffix(none), None, "{none}");
        }
    }

    #[test]
    fn direction_defaults_by_code() {
        for (code, dir) in [
            ("ar", Direction::Rtl),
            ("he", Direction::Rtl),
            ("fa-IR", Direction::Rtl),
            ("ur", Direction::Rtl),
            ("fr", Direction::Ltr),
            ("en-GB", Direction::Ltr),
        ] {
            assert_eq!(Direction::of(code), dir, "{code}");
        }
    }

    #[test]
    fn codes() {
        for ok in ["fr", "en", "ast", "pt-BR", "zh-Hant"] {
            assert!(is_code(ok), "{ok}");
        }
        for bad in ["", "f", "french", "FR", "fr_FR", "fr-", "en-x"] {
            assert!(!is_code(bad), "{bad}");
        }
    }
}
