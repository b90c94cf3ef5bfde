//! The theme's own words per language: `i18n/LANG.toml` of the default
//! theme, of the site's theme, then of the site (`i18n/LANG.toml` at its
//! root), each later file overriding keys of the earlier ones. A key a
//! language lacks comes from the default language, then from the default
//! theme's English. Templates get a language's words as `t`
//! ([`Words::insert_into`]); Rust code asks [`Words::get`].

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use tera::Context;

use super::theme::Theme;
use crate::report::diagnostic::Diagnostic;

/// The language of the words every other language falls back to last.
const BASE: &str = "en";

/// The context keys naming a render's language and its `date_style`, for
/// the `date_text` filter.
pub const LANG: &str = "__versus_lang";
pub const DATE_STYLE: &str = "__versus_date_style";

/// Every language's words, overrides applied.
#[derive(Debug, Default)]
pub struct Words {
    /// The site's language (`language` in versus.toml).
    default: String,
    /// By language code: key -> text, every layer merged.
    langs: BTreeMap<String, BTreeMap<String, String>>,
    /// By language: the files of the site and its theme (not the default
    /// theme's), for `versus check`.
    files: BTreeMap<String, Vec<PathBuf>>,
    /// The words scripts read, by language: a JSON object of those that
    /// differ from the default theme's English (empty: none do).
    scripts: BTreeMap<String, String>,
    /// The default theme's English, as it ships: every key a language
    /// should have, and the words the scripts know without being told.
    theme_english: BTreeMap<String, String>,
    /// `t` of each language some file gives words in, and of the site's,
    /// made once (a template context shares it).
    tables: BTreeMap<String, tera::Value>,
}

/// The keys versus.js and search.js read (from `data-words` on `<html>`).
pub const SCRIPT_KEYS: &[&str] = &[
    "copy",
    "copied",
    "copied_status",
    "copy_failed",
    "copy_failed_status",
    "copy_code",
    "copy_code_named",
    "theme_dark",
    "theme_to_light",
    "theme_to_dark",
    "code_variants",
    "code_tab",
    "search_none",
    "search_one",
    "search_many",
    "search_more",
    "search_loading",
    "search_unloaded",
    "search_unread",
    "search_no_match",
];

impl Words {
    /// The words of `theme` (its `i18n/` files, layered), the site's
    /// language being `default`. Every file that is not a TOML table of
    /// texts is an error, at its line and column.
    pub fn load(theme: &Theme, default: &str) -> Result<Self, Vec<Diagnostic>> {
        let mut words = Words {
            default: default.to_string(),
            ..Words::default()
        };
        let mut diags = Vec::new();
        for (lang, layers) in &theme.words {
            let merged = words.langs.entry(lang.clone()).or_default();
            for layer in layers {
                let shipped = layer.shown.starts_with("<default theme>");
                match parse(layer.shown.clone(), &layer.text) {
                    Ok(table) => {
                        if shipped && lang == BASE {
                            words.theme_english.clone_from(&table);
                        }
                        merged.extend(table);
                    }
                    Err(d) => diags.push(d),
                }
                if !shipped {
                    words
                        .files
                        .entry(lang.clone())
                        .or_default()
                        .push(layer.shown.clone());
                }
            }
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        let langs: Vec<String> = words.langs.keys().cloned().collect();
        for lang in langs.iter().map(String::as_str).chain([default]) {
            let script = words.script_words(lang);
            words.scripts.insert(lang.to_string(), script);
            let table = tera::Value::from_serializable(&words.table(lang));
            words.tables.insert(lang.to_string(), table);
        }
        Ok(words)
    }

    /// The text of `key` in `lang`: its own, else its base language's
    /// (`fr` for `fr-CA`), else the site's language's, else English; the
    /// key itself when no file has it.
    pub fn get<'a>(&'a self, lang: &str, key: &'a str) -> &'a str {
        self.lookup(lang, key).unwrap_or(key)
    }

    /// The text of `key` in `lang` as [`Words::get`] finds it, if any
    /// file has it.
    fn lookup(&self, lang: &str, key: &str) -> Option<&str> {
        self.chain(lang)
            .into_iter()
            .find_map(|l| self.langs.get(l).and_then(|t| t.get(key)))
            .map(String::as_str)
    }

    /// [`Words::get`] with each `{name}` replaced by its value.
    pub fn fill(&self, lang: &str, key: &str, values: &[(&str, &str)]) -> String {
        let mut text = self.get(lang, key).to_string();
        for (name, value) in values {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }

    /// The languages `lang` reads words from, in order.
    fn chain<'a>(&'a self, lang: &'a str) -> Vec<&'a str> {
        let mut chain = vec![lang];
        if let Some((base, _)) = lang.split_once('-') {
            chain.push(base);
        }
        chain.push(&self.default);
        if let Some((base, _)) = self.default.split_once('-') {
            chain.push(base);
        }
        chain.push(BASE);
        chain
    }

    /// Every key in `lang`, fallbacks applied: what templates see as `t`.
    pub fn table(&self, lang: &str) -> BTreeMap<&str, &str> {
        let mut table = BTreeMap::new();
        for l in self.chain(lang).into_iter().rev() {
            if let Some(words) = self.langs.get(l) {
                table.extend(words.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            }
        }
        table
    }

    /// Puts `lang`'s words into a template's context: `t` (every word) and
    /// `t_script` (the words scripts read, as JSON, when they differ from
    /// English; empty otherwise). The one place templates get words from.
    pub fn insert_into(&self, ctx: &mut Context, lang: &str) {
        match self.tables.get(lang) {
            Some(table) => ctx.insert_value("t", table.clone()),
            None => ctx.insert("t", &self.table(lang)),
        }
        let script = match self.scripts.get(lang) {
            Some(s) => s.clone(),
            None => self.script_words(lang),
        };
        ctx.insert("t_script", &script);
        ctx.insert(LANG, lang);
        ctx.insert(DATE_STYLE, self.get(lang, "date_style"));
    }

    fn script_words(&self, lang: &str) -> String {
        let differing: BTreeMap<&str, &str> = SCRIPT_KEYS
            .iter()
            .filter_map(|k| Some((*k, self.lookup(lang, k)?)))
            .filter(|(k, v)| self.theme_english.get(*k).map(String::as_str) != Some(*v))
            .collect();
        if differing.is_empty() {
            String::new()
        } else {
            serde_json::to_string(&differing).unwrap_or_default()
        }
    }

    /// Keys the default theme's English file has and the files of `lang`
    /// (and of its base language) lack: `versus check` reports them.
    pub fn missing(&self, lang: &str) -> Vec<&str> {
        let english = &self.theme_english;
        let base = lang.split_once('-').map(|(b, _)| b);
        let own: Vec<&BTreeMap<String, String>> = [Some(lang), base]
            .into_iter()
            .flatten()
            .filter_map(|l| self.langs.get(l))
            .collect();
        english
            .keys()
            .filter(|k| !own.iter().any(|o| o.contains_key(*k)))
            .map(String::as_str)
            .collect()
    }

    /// The site's own files for `lang` (`i18n/fr.toml`), the last one
    /// winning; empty when only the theme's are there.
    pub fn files_of(&self, lang: &str) -> &[PathBuf] {
        self.files.get(lang).map_or(&[], Vec::as_slice)
    }

    /// Whether any file gives words in `lang` (or its base language).
    pub fn has(&self, lang: &str) -> bool {
        self.langs.contains_key(lang)
            || lang
                .split_once('-')
                .is_some_and(|(base, _)| self.langs.contains_key(base))
    }

    /// A checksum of every word of `lang` (fallbacks applied), for the
    /// build cache.
    pub fn sum(&self, lang: &str) -> u64 {
        let mut text = String::new();
        for (k, v) in self.table(lang) {
            text.push_str(k);
            text.push('\0');
            text.push_str(v);
            text.push('\0');
        }
        crate::packed::sum(text.as_bytes())
    }
}

/// A words file: a table of texts, keys at the top level.
fn parse(shown: PathBuf, text: &Arc<str>) -> Result<BTreeMap<String, String>, Diagnostic> {
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let d = Diagnostic::error(format!(
            "invalid words file {}: {}",
            shown.display(),
            e.message().trim()
        ));
        match e.span() {
            Some(span) => d.at(&shown, text, span),
            None => d,
        }
    })?;
    let mut out = BTreeMap::new();
    for (key, value) in table {
        match value {
            toml::Value::String(s) => {
                out.insert(key, s);
            }
            _ => {
                let at = key_offset(text, &key);
                return Err(Diagnostic::error(format!(
                    "`{key}` in {} must be a text",
                    shown.display()
                ))
                .at(&shown, text, at..at + key.len())
                .with_help(format!("write {key} = \"...\"")));
            }
        }
    }
    Ok(out)
}

/// Where `key` starts a line of `text` (0 when it does not).
fn key_offset(text: &str, key: &str) -> usize {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with(key) {
            return at + (line.len() - line.trim_start().len());
        }
        at += line.len();
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::theme::TemplateSource;

    fn theme(files: &[(&str, &str, &str)]) -> Theme {
        let mut theme = Theme::default();
        for (lang, shown, text) in files {
            theme
                .words
                .entry((*lang).to_string())
                .or_default()
                .push(TemplateSource {
                    shown: PathBuf::from(shown),
                    text: Arc::from(*text),
                });
        }
        theme
    }

    /// The chart stage's English (what tests and callers without the
    /// theme's words get) is the default theme's English, word for word.
    #[test]
    fn the_charts_english_is_the_themes() {
        let en: BTreeMap<String, String> =
            toml::from_str(include_str!("../../themes/default/i18n/en.toml")).unwrap_or_default();
        for (key, text) in crate::present::chart::English::WORDS {
            assert_eq!(en.get(*key).map(String::as_str), Some(*text), "{key}");
        }
    }

    #[test]
    fn later_files_win_and_missing_keys_fall_back() {
        let t = theme(&[
            (
                "en",
                "<default theme>/i18n/en.toml",
                "a = \"A\"\nb = \"B\"\nc = \"C\"",
            ),
            (
                "fr",
                "<default theme>/i18n/fr.toml",
                "a = \"Af\"\nb = \"Bf\"",
            ),
            ("fr", "i18n/fr.toml", "b = \"Bsite\""),
        ]);
        let w = Words::load(&t, "fr").unwrap_or_default();
        assert_eq!(w.get("fr", "a"), "Af");
        assert_eq!(w.get("fr", "b"), "Bsite");
        assert_eq!(w.get("fr", "c"), "C");
        assert_eq!(w.get("fr-CA", "b"), "Bsite");
        assert_eq!(w.get("de", "a"), "Af", "the site's language next");
        assert_eq!(w.get("fr", "nothing"), "nothing");
        assert_eq!(w.missing("fr"), ["c"]);
        assert_eq!(w.files_of("fr"), [PathBuf::from("i18n/fr.toml")]);
        assert_eq!(w.fill("en", "a", &[("x", "y")]), "A");
    }

    #[test]
    fn script_words_only_where_they_differ_from_english() {
        let t = theme(&[
            ("en", "<default theme>/i18n/en.toml", "copy = \"Copy\""),
            ("fr", "<default theme>/i18n/fr.toml", "copy = \"Copier\""),
        ]);
        let w = Words::load(&t, "en").unwrap_or_default();
        assert_eq!(w.scripts.get("en").map(String::as_str), Some(""));
        assert_eq!(
            w.scripts.get("fr").map(String::as_str),
            Some(r#"{"copy":"Copier"}"#)
        );
    }

    #[test]
    fn a_bad_file_is_located() {
        let t = theme(&[("fr", "i18n/fr.toml", "a = \"A\"\nb = [1]\nc = ")]);
        let Err(d) = Words::load(&t, "en") else {
            panic!("a broken file loaded");
        };
        let (line, col) = d[0]
            .location
            .as_ref()
            .map(|l| l.line_col())
            .unwrap_or_default();
        assert_eq!((line, col), (3, 5), "{}", d[0].render(false));
        let t = theme(&[("fr", "i18n/fr.toml", "a = \"A\"\nb = [1]\n")]);
        let Err(d) = Words::load(&t, "en") else {
            panic!("a list loaded as a text");
        };
        assert!(d[0].message.contains("`b`"), "{}", d[0].message);
        assert_eq!(d[0].location.as_ref().map(|l| l.line_col()), Some((2, 1)));
    }
}
