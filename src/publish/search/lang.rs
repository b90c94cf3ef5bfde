//! How the words of one language become index terms, and what search.js
//! must know to turn a reader's words into the same terms.
//!
//! Every language splits text the same way: runs of letters, digits, marks
//! and `_` (Unicode classes, which JavaScript's `\p{...}` has too, so the
//! browser cuts words exactly where the index did). UAX #29 word
//! boundaries were not used: they keep `l'équipe` and `3.14` whole, and the
//! browser's own segmenter (`Intl.Segmenter`, ICU dictionaries) does not
//! cut as any Rust crate does. Scripts written without spaces (Chinese,
//! Japanese, Thai) are therefore not segmented: a run of them is one word.
//!
//! Then, by the language's primary subtag (`fr` for `fr-CA`):
//!
//! - **English** (`en`) is indexed as before languages came in: its own
//!   cut (letters, digits and `_`), its own stop words, elasticlunr-rs's
//!   Porter stemmer on ASCII words, no accent folding. search.js has that
//!   stemmer, so an English index has no word table, and its files are
//!   byte for byte what earlier versions wrote.
//! - **Other languages**: lowercase; accents folded ([`FOLDED`]); stop words
//!   from the stop-words crate's NLTK lists (Snowball's); then the
//!   Snowball stemmer of rust-stemmers where it has one ([`stemmer`]), on
//!   the word with its accents (the French rules know `-ées`), its stem
//!   folded after. For a stemmed language the index carries a word table
//!   (each word of the site, folded, and its terms: two spellings of a
//!   word that fold alike may stem apart), and the browser looks the
//!   reader's words up in it instead of running a stemmer. A language without a stemmer
//!   indexes its words whole, folded or not, and needs no table.

use ahash::AHashSet;
use elasticlunr::Pipeline;
use elasticlunr::lang::Language;
use elasticlunr::pipeline::PipelineFn;
use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// English stop words (of the English pipeline). search.js gets the stop
/// words of a language from the index.
pub const STOP_WORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be",
    "because", "been", "but", "by", "can", "could", "did", "do", "does", "for", "from", "had",
    "has", "have", "he", "her", "his", "how", "i", "if", "in", "into", "is", "it", "its", "just",
    "me", "my", "no", "nor", "not", "of", "on", "or", "our", "she", "so", "than", "that", "the",
    "their", "them", "then", "there", "these", "they", "this", "to", "too", "us", "was", "we",
    "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with",
    "would", "you", "your",
];

/// Languages whose accents are folded away (on both sides: `resume` finds
/// `résumé`, `cafe` finds `café`, and the other way round): languages
/// where readers often type words without their accents, and an accented
/// letter is not a letter of its own in the alphabet. Not folded: the
/// Nordic languages, Estonian, Hungarian and Turkish (å, ä, ö, ü, ş are
/// letters there, and readers type them), and every other language, where
/// marks may be vowels (Indic scripts, Thai) or change a letter (Japanese
/// kana, Vietnamese tones). Arabic and Hebrew drop their optional vowel
/// marks (harakat, niqqud); Greek its accents.
pub const FOLDED: &[&str] = &[
    "ar", "bs", "ca", "cs", "de", "el", "es", "fa", "fr", "ga", "gl", "he", "hr", "it", "lt", "lv",
    "nl", "oc", "pl", "pt", "ro", "sk", "sl",
];

/// The Snowball stemmer of a language (by primary subtag), if rust-stemmers
/// has one. English is not listed: it keeps its Porter stemmer.
pub fn stemmer(code: &str) -> Option<Algorithm> {
    Some(match code {
        "ar" => Algorithm::Arabic,
        "da" => Algorithm::Danish,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "es" => Algorithm::Spanish,
        "fi" => Algorithm::Finnish,
        "fr" => Algorithm::French,
        "hu" => Algorithm::Hungarian,
        "it" => Algorithm::Italian,
        "nb" | "nn" | "no" => Algorithm::Norwegian,
        "nl" => Algorithm::Dutch,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "sv" => Algorithm::Swedish,
        "ta" => Algorithm::Tamil,
        "tr" => Algorithm::Turkish,
        _ => return None,
    })
}

/// What the index of one language is made with: the parts a thread needs
/// to build its [`Analyzer`], and what the manifest tells search.js.
#[derive(Debug, Clone)]
pub struct Profile {
    /// Primary subtag, lowercase (`fr` for `fr-CA`).
    pub code: String,
    /// English as versus always indexed it (see the module's doc).
    pub english: bool,
    /// Accents folded ([`FOLDED`]).
    pub fold: bool,
    pub stemmer: Option<Algorithm>,
    /// Stop words, folded like the words they stop (sorted, English's as
    /// listed).
    pub stop: Vec<String>,
}

impl Profile {
    /// The profile of a BCP 47 language tag (`en`, `fr-CA`, `pt_BR`).
    pub fn of(lang: &str) -> Self {
        let code = lang
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let english = code == "en";
        let fold = FOLDED.contains(&code.as_str());
        let mut stop: Vec<String> = if english {
            STOP_WORDS.iter().map(|w| w.to_string()).collect()
        } else {
            stop_words::lookup(&code)
                .unwrap_or_default()
                .iter()
                .map(|w| {
                    let w = w.trim().to_lowercase();
                    if fold { fold_accents(&w) } else { w }
                })
                .filter(|w| !w.is_empty())
                .collect()
        };
        if !english {
            stop.sort();
            stop.dedup();
        }
        Self {
            stemmer: if english { None } else { stemmer(&code) },
            code,
            english,
            fold,
            stop,
        }
    }

    /// Whether the index carries a word table: a stemmed language other
    /// than English (whose stemmer search.js has).
    pub fn word_table(&self) -> bool {
        !self.english && self.stemmer.is_some()
    }

    /// Names the text pipeline in the terms the build cache keeps: terms
    /// kept under another name are found again.
    pub fn tag(&self) -> String {
        format!("{}:1", self.code)
    }
}

/// `word` (lowercase) without its accents: decomposed, marks dropped,
/// composed again; œ, æ, ß, ł, đ and ø spelt out as readers type them
/// without those keys; the Arabic tatweel (a stretch, not a letter) gone.
/// search.js: `foldAccents`.
pub fn fold_accents(word: &str) -> String {
    if word.is_ascii() {
        return word.to_string();
    }
    let mut bare = String::with_capacity(word.len());
    for c in word.nfd().filter(|c| !is_combining_mark(*c)) {
        match c {
            'œ' => bare.push_str("oe"),
            'æ' => bare.push_str("ae"),
            'ß' => bare.push_str("ss"),
            'ł' => bare.push('l'),
            'đ' => bare.push('d'),
            'ø' => bare.push('o'),
            '\u{640}' => {}
            c => bare.push(c),
        }
    }
    bare.nfc().collect()
}

/// Words of a text as the pipeline of `english` (or another language)
/// cuts them, not yet lowercase. search.js: `WORD_SOURCE`, `WORD_MARKS`.
pub fn words(text: &str, english: bool) -> impl Iterator<Item = &str> {
    text.split(move |c: char| {
        !(c.is_alphanumeric() || c == '_' || (!english && is_combining_mark(c)))
    })
    .filter(|w| !w.is_empty())
}

/// Splits text into lowercase words as English cuts them (search.js:
/// `tokenize`).
pub fn tokenize(text: &str) -> Vec<String> {
    words(text, true).map(str::to_lowercase).collect()
}

/// The text pipeline of one language, for one thread (English's is not
/// `Send`).
pub struct Analyzer {
    english: Option<Pipeline>,
    fold: bool,
    stop: AHashSet<String>,
    stemmer: Option<Stemmer>,
}

/// A word as the index takes it: its key (lowercase, folded: what the
/// word table lists and search.js looks up) and its term.
pub struct Word {
    pub key: String,
    pub term: String,
}

impl Analyzer {
    pub fn new(profile: &Profile) -> Self {
        Self {
            english: profile.english.then(|| Text.make_pipeline()),
            fold: profile.fold,
            stop: profile.stop.iter().cloned().collect(),
            stemmer: profile.stemmer.map(Stemmer::create),
        }
    }

    /// The key and term of one lowercase word; `None` for a stop word.
    pub fn word(&self, lower: &str) -> Option<Word> {
        if let Some(english) = &self.english {
            let term = english.run(vec![lower.to_string()]).into_iter().next()?;
            return Some(Word {
                key: lower.to_string(),
                term,
            });
        }
        let key = if self.fold {
            fold_accents(lower)
        } else {
            lower.to_string()
        };
        if key.is_empty() || self.stop.contains(&key) {
            return None;
        }
        // The stemmer reads the word with its accents (Snowball's French
        // rules know "-ées", "-é"), and its stem is folded after.
        let term = match &self.stemmer {
            Some(s) => {
                let stem = s.stem(lower);
                match (stem.is_empty(), self.fold) {
                    (true, _) => key.clone(),
                    (false, true) => fold_accents(&stem),
                    (false, false) => stem.into_owned(),
                }
            }
            None => key.clone(),
        };
        Some(Word { key, term })
    }

    /// Text as index terms.
    #[cfg(test)]
    pub fn terms(&self, text: &str) -> Vec<String> {
        let english = self.english.is_some();
        words(text, english)
            .filter_map(|w| self.word(&w.to_lowercase()))
            .map(|w| w.term)
            .collect()
    }
}

/// English as versus indexes it: our tokenizer and stop words, and the
/// crate's Porter stemmer applied to ASCII words only (other words are kept
/// whole, so text in other scripts stays searchable).
struct Text;

impl Language for Text {
    fn name(&self) -> String {
        "English".into()
    }

    fn code(&self) -> String {
        "en".into()
    }

    fn tokenize(&self, text: &str) -> Vec<String> {
        tokenize(text)
    }

    fn make_pipeline(&self) -> Pipeline {
        let english = elasticlunr::lang::English::new().make_pipeline();
        let stemmer = english
            .queue
            .into_iter()
            .find(|f| f.name() == "stemmer")
            .map(|f| Box::new(AsciiOnly(f)) as Box<dyn PipelineFn>);
        let mut queue: Vec<Box<dyn PipelineFn>> = vec![Box::new(
            elasticlunr::lang::common::StopWordFilter::new("stopWordFilter", STOP_WORDS),
        )];
        queue.extend(stemmer);
        Pipeline { queue }
    }
}

/// Runs the wrapped step on ASCII tokens only.
struct AsciiOnly(Box<dyn PipelineFn>);

impl PipelineFn for AsciiOnly {
    fn name(&self) -> String {
        self.0.name()
    }

    fn filter(&self, token: String) -> Option<String> {
        if token.is_ascii() {
            self.0.filter(token)
        } else {
            Some(token)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(lang: &str, text: &str) -> Vec<String> {
        Analyzer::new(&Profile::of(lang)).terms(text)
    }

    #[test]
    fn english_is_indexed_as_before() {
        assert_eq!(
            terms("en", "The Node.js event-loop, running async/await_code!"),
            ["node", "js", "event", "loop", "run", "async", "await_cod"]
        );
        // No folding, no stemming of non-ASCII words.
        assert_eq!(terms("en-GB", "Crème brûlée"), ["crème", "brûlée"]);
        assert_eq!(terms("en", "connections connected"), ["connect", "connect"]);
        assert!(!Profile::of("en-US").word_table());
    }

    #[test]
    fn french_folds_accents_and_stems_plurals() {
        let p = Profile::of("fr-CA");
        assert_eq!(
            (p.code.as_str(), p.fold, p.word_table()),
            ("fr", true, true)
        );
        let a = Analyzer::new(&p);
        let term = |w: &str| a.word(&w.to_lowercase()).map(|w| w.term);
        assert_eq!(term("vitesse"), term("vitesses"));
        assert_eq!(term("performance"), term("performances"));
        assert_eq!(term("Résumé"), term("resume"));
        assert_eq!(term("café"), term("cafes"));
        assert_eq!(term("Cœur"), term("coeur"));
        assert_ne!(term("vitesse"), term("vite"));
        // The key is what a reader types, folded; stop words have none,
        // elided articles are cut off by the apostrophe and stopped.
        assert_eq!(a.word("été").map(|w| w.key), None);
        assert_eq!(
            terms("fr", "L'équipe d'exécution a mesuré les vitesses"),
            ["equip", "execu", "mesur", "vitess"]
        );
    }

    #[test]
    fn german_stems_without_splitting_compounds() {
        let a = Analyzer::new(&Profile::of("de"));
        let term = |w: &str| a.word(&w.to_lowercase()).map(|w| w.term);
        assert_eq!(term("Geschwindigkeit"), term("Geschwindigkeiten"));
        assert_eq!(term("Häuser"), term("hauser"));
        assert_eq!(term("Straße"), term("strasse"));
        // A compound is one word: "Datenbank" is not found by "Bank".
        assert_eq!(terms("de", "die Datenbanken"), [term("datenbank").unwrap()]);
        assert_ne!(term("Datenbank"), term("Bank"));
    }

    #[test]
    fn arabic_drops_vowel_marks_keeps_words_whole_and_stems() {
        let p = Profile::of("ar");
        assert!(p.fold);
        let a = Analyzer::new(&p);
        // Harakat and the tatweel go; the words stay one token each.
        let marked = a.word("كِتَابٌ").map(|w| w.key);
        assert_eq!(marked.as_deref(), Some("كتاب"));
        assert_eq!(a.word("كـتـاب").map(|w| w.key).as_deref(), Some("كتاب"));
        assert_eq!(words("السرعة والأداء", false).count(), 2);
        // Hamza on alef folds to bare alef.
        assert_eq!(fold_accents("أداء"), "اداء");
        // Snowball's Arabic stemmer takes the article and plural off.
        let term = |w: &str| a.word(w).map(|w| w.term);
        assert_eq!(term("الكتاب"), term("كتاب"));
        assert_eq!(term("السرعات"), term("السرعة"));
    }

    #[test]
    fn languages_without_a_stemmer_keep_words_whole() {
        let p = Profile::of("ja");
        assert_eq!((p.fold, p.stemmer, p.word_table()), (false, None, false));
        let a = Analyzer::new(&p);
        // Not segmented: a run of kana and kanji is one word; a voiced
        // kana keeps its mark.
        assert_eq!(a.terms("東京でがんばる"), ["東京でがんばる"]);
        // Marks join the word they belong to (a Devanagari virama).
        assert_eq!(terms("hi", "हिन्दी"), ["हिन्दी"]);
        // Unknown tags index lowercase words.
        assert_eq!(terms("x-klingon", "Qapla' BATLH"), ["qapla", "batlh"]);
    }
}
