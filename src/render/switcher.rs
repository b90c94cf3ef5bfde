//! What templates see of a page's language: the language itself (`lang`:
//! code, direction, name, its folder) and the same page in every language
//! (`translations`: the language switcher, and the `hreflang` alternates).

use serde::Serialize;

use super::views::{Model, SiteView};
use crate::text::paths::relative_url;

/// The language of the page being rendered.
#[derive(Serialize, Clone)]
pub struct LangView<'a> {
    /// BCP 47 tag: the `lang` attribute.
    pub code: &'a str,
    /// Its own name (`Français`).
    pub name: &'a str,
    /// `ltr` or `rtl`: the `dir` attribute.
    pub dir: &'static str,
    /// Its folder under the output root (`""` for the default language,
    /// else `fr/`): `{{ root }}{{ lang.prefix }}index.html` is its home.
    pub prefix: &'a str,
    pub is_default: bool,
    /// On a stand-in for an untranslated page: the language the text is
    /// in (the default's), else `None`.
    pub fallback: Option<FallbackView<'a>>,
}

/// A page shown in a language it is not translated into.
#[derive(Serialize, Clone)]
pub struct FallbackView<'a> {
    /// The language of its text.
    pub code: &'a str,
    pub name: &'a str,
    pub dir: &'static str,
    /// The original page, from the output root (for its canonical URL).
    pub path: &'a str,
    /// The original page, relative to this one.
    pub url: String,
    /// Absolute with `base_url`, else relative (its canonical URL).
    pub href: String,
}

/// The same page in one of the site's languages.
#[derive(Serialize, Clone)]
pub struct TranslationView<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub dir: &'static str,
    /// Relative to the page showing it.
    pub url: String,
    /// Absolute with `base_url` (an `index.html` by its folder), else
    /// relative: for `<link rel="alternate" hreflang>`.
    pub href: String,
    /// From the output root.
    pub path: &'a str,
    /// The page being rendered.
    pub current: bool,
    /// A stand-in: the page is not translated into this language.
    pub fallback: bool,
    /// The default language (the `x-default` alternate).
    pub is_default: bool,
}

impl<'a> Model<'a> {
    /// The URL of the file at `to` (from the output root) for a link from
    /// the file at `from`: absolute with `base_url`, addressing an
    /// `index.html` by its folder, else relative.
    fn href(&self, from: &str, to: &str) -> String {
        let Some(base) = self.config.base_url.as_deref() else {
            return relative_url(from, to);
        };
        let folder = if to == "index.html" {
            Some("")
        } else {
            to.strip_suffix("/index.html")
        };
        match folder {
            Some("") => format!("{base}/"),
            Some(dir) => format!("{base}/{dir}/"),
            None => format!("{base}/{to}"),
        }
    }

    /// The translations search engines are told of: those that are no
    /// stand-ins, when the page has more than one, and only with
    /// `base_url` (`hreflang` links must be absolute, as canonical ones).
    pub fn alternates(&self, translations: &[TranslationView<'a>]) -> Vec<TranslationView<'a>> {
        if self.config.base_url.is_none() {
            return Vec::new();
        }
        let real: Vec<TranslationView<'a>> = translations
            .iter()
            .filter(|t| !t.fallback)
            .cloned()
            .collect();
        if real.len() > 1 { real } else { Vec::new() }
    }

    /// The home page of language `lang`.
    pub fn home(&self, lang: usize) -> usize {
        let content = self.content;
        let root = content.roots.get(lang).copied().unwrap_or_default();
        content.sections.get(root).map_or(0, |s| s.index)
    }

    /// Whether the site has more than one language.
    pub fn multilingual(&self) -> bool {
        self.content.langs.len() > 1
    }

    /// The code of language `lang` (`language` in versus.toml on a site of
    /// one language): the words, numbers and dates its pages are written
    /// with.
    pub fn code(&self, lang: usize) -> &'a str {
        self.content
            .langs
            .get(lang)
            .map_or(self.config.language.as_str(), |l| l.code.as_str())
    }

    /// The view of language `lang` for the page `page` (if one).
    pub fn lang_view(&self, lang: usize, page: Option<usize>) -> Option<LangView<'a>> {
        let content = self.content;
        let l = content.langs.get(lang)?;
        let fallback = page.filter(|&p| content.pages[p].fallback).and_then(|p| {
            let original = content.in_lang(p, 0)?;
            let d = content.langs.first()?;
            Some(FallbackView {
                code: &d.code,
                name: &d.name,
                dir: d.dir.as_str(),
                path: &content.pages[original].output,
                url: relative_url(&content.pages[p].output, &content.pages[original].output),
                href: self.href(&content.pages[p].output, &content.pages[original].output),
            })
        });
        Some(LangView {
            code: &l.code,
            name: &l.name,
            dir: l.dir.as_str(),
            prefix: &l.prefix,
            is_default: lang == 0,
            fallback,
        })
    }

    /// Page `page` in each of the site's languages it exists in, in the
    /// order of `[languages]` (the default first); empty on a site of one
    /// language.
    pub fn translations(&self, page: usize) -> Vec<TranslationView<'a>> {
        if !self.multilingual() {
            return Vec::new();
        }
        let content = self.content;
        let from = &content.pages[page].output;
        content
            .langs
            .iter()
            .enumerate()
            .filter_map(|(lang, l)| {
                let t = content.in_lang(page, lang)?;
                let p = &content.pages[t];
                Some(TranslationView {
                    code: &l.code,
                    name: &l.name,
                    dir: l.dir.as_str(),
                    url: relative_url(from, &p.output),
                    href: self.href(from, &p.output),
                    path: &p.output,
                    current: t == page,
                    fallback: p.fallback,
                    is_default: lang == 0,
                })
            })
            .collect()
    }

    /// The home page of every language, from a file that is no page of
    /// the content (a tag page, 404.html) written at `from`.
    pub fn homes(&self, from: &str, lang: usize) -> Vec<TranslationView<'a>> {
        if !self.multilingual() {
            return Vec::new();
        }
        let content = self.content;
        content
            .langs
            .iter()
            .enumerate()
            .filter_map(|(i, l)| {
                let root = content.roots.get(i)?;
                let p = &content.pages[content.sections[*root].index];
                Some(TranslationView {
                    code: &l.code,
                    name: &l.name,
                    dir: l.dir.as_str(),
                    url: relative_url(from, &p.output),
                    href: self.href(from, &p.output),
                    path: &p.output,
                    current: i == lang,
                    fallback: false,
                    is_default: i == 0,
                })
            })
            .collect()
    }

    /// The `site` view in language `lang`: its title and description.
    pub fn site_in(&self, lang: usize) -> Option<SiteView<'a>> {
        if !self.multilingual() {
            return None;
        }
        let l = self.content.langs.get(lang)?;
        Some(SiteView {
            title: &l.title,
            description: &l.description,
            language: &l.code,
            ..SiteView::new(self.config)
        })
    }
}
