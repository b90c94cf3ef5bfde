//! The full-text search index, written as a plain script,
//! `search-index.js`, that sets `window.VERSUS_SEARCH`. A `<script>` tag
//! loads it, so search works from `file://`, where `fetch` cannot read
//! local files.
//!
//! Words go through elasticlunr-rs's English pipeline (the text pipeline of
//! mdBook's and Zola's search): our tokenizer and stop words, then its
//! Porter stemmer on ASCII words. The index itself is a compact inverted
//! index of our own: elasticlunr's serialized format (a trie with every
//! posting keyed by the full document ref) came to 574 KB for the bundled
//! 13-page site and 70 MB for a 1,000-page one, seven times the text.
//!
//! One document per heading, so a result links to the heading that
//! matched: the text before the first heading is a document too, and
//! carries the page title.
//!
//! search.js repeats the text pipeline to process queries the same way:
//! the test `js_pipeline_matches_rust` below compares the two on real words.
//!
//! ```text
//! window.VERSUS_SEARCH = {
//!   "format": 2,
//!   "stopWords": ["a", ...],
//!   "pages": [[path, title], ...],                  // reading order
//!   "docs": [[page, id, heading, body], ...],       // id "" = page top
//!   "lengths": [title, heading, body, ...],         // terms per field, 3 per doc
//!   "terms": ["async", ...],                        // sorted (UTF-16 order)
//!   "postings": [[doc_delta, field + 3 * count, ...], ...]  // one per term
//! }
//! ```

use std::collections::HashMap;

use elasticlunr::Pipeline;
use elasticlunr::lang::Language;
use elasticlunr::pipeline::PipelineFn;
use rayon::prelude::*;
use serde::Serialize;

use super::PageRecord;

/// The script's file name at the output root.
pub const INDEX_FILE: &str = "search-index.js";

/// Format version of `window.VERSUS_SEARCH`, checked by search.js.
const FORMAT: u32 = 2;

/// Words too common to search for. search.js gets this list from the index.
pub const STOP_WORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be",
    "because", "been", "but", "by", "can", "could", "did", "do", "does", "for", "from", "had",
    "has", "have", "he", "her", "his", "how", "i", "if", "in", "into", "is", "it", "its", "just",
    "me", "my", "no", "nor", "not", "of", "on", "or", "our", "she", "so", "than", "that", "the",
    "their", "them", "then", "there", "these", "they", "this", "to", "too", "us", "was", "we",
    "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with",
    "would", "you", "your",
];

/// Splits text into lowercase words: runs of letters, digits and `_`.
/// search.js: `tokenize`.
pub fn tokenize(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
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

/// Text as index terms (tests compare this with search.js).
pub fn terms(text: &str) -> Vec<String> {
    Text.make_pipeline().run(tokenize(text))
}

#[derive(Serialize)]
struct Index<'a> {
    format: u32,
    #[serde(rename = "stopWords")]
    stop_words: &'static [&'static str],
    pages: Vec<(String, &'a str)>,
    docs: Vec<(usize, &'a str, &'a str, String)>,
    lengths: Vec<usize>,
    terms: Vec<String>,
    postings: Vec<Vec<u32>>,
}

/// One document before merging: (page, id, heading, body, per field:
/// (length, [(term, count)])).
type Doc<'a> = (
    usize,
    &'a str,
    &'a str,
    String,
    Vec<(usize, Vec<(String, u32)>)>,
);

/// The documents of one page: its top, then one per heading with text.
fn page_docs<'a>(pipeline: &Pipeline, page: usize, r: &'a PageRecord) -> Vec<Doc<'a>> {
    let mut docs = Vec::new();
    for (i, s) in r.sections.iter().enumerate() {
        let body = collapse_spaces(&s.text);
        // The top of the page (i == 0) is always a document, so its title
        // always finds the page.
        if i > 0 && s.heading.is_empty() && body.is_empty() {
            continue;
        }
        let title = if i == 0 { r.title.as_str() } else { "" };
        let fields = [title, s.heading.as_str(), body.as_str()]
            .into_iter()
            .map(|text| {
                let words = pipeline.run(tokenize(text));
                let len = words.len();
                let mut counts: HashMap<String, u32> = HashMap::new();
                for w in words {
                    *counts.entry(w).or_default() += 1;
                }
                (len, counts.into_iter().collect())
            })
            .collect();
        docs.push((
            page,
            s.id.as_deref().unwrap_or(""),
            s.heading.as_str(),
            body,
            fields,
        ));
    }
    docs
}

/// The text of `search-index.js`, and the number of documents in it.
pub fn index_script(records: &[PageRecord]) -> (String, usize) {
    let per_page: Vec<Vec<Doc<'_>>> = records
        .par_iter()
        .enumerate()
        .map_init(
            || Text.make_pipeline(),
            |p, (page, r)| page_docs(p, page, r),
        )
        .collect();
    let mut docs = Vec::new();
    let mut lengths = Vec::new();
    // term -> (doc, field, count).
    let mut postings: HashMap<String, Vec<(u32, u32, u32)>> = HashMap::new();
    for (page, id, heading, body, fields) in per_page.into_iter().flatten() {
        let doc = docs.len() as u32;
        for (field, (len, counts)) in fields.into_iter().enumerate() {
            lengths.push(len);
            for (w, count) in counts {
                postings
                    .entry(w)
                    .or_default()
                    .push((doc, field as u32, count));
            }
        }
        docs.push((page, id, heading, body));
    }
    let mut terms: Vec<String> = postings.keys().cloned().collect();
    // search.js binary-searches with JavaScript's string order (UTF-16).
    terms.par_sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
    let postings = terms
        .iter()
        .map(|t| {
            let mut list = postings.remove(t).unwrap_or_default();
            list.sort_unstable();
            let mut prev = 0;
            let mut flat = Vec::with_capacity(list.len() * 2);
            for (doc, field, count) in list {
                flat.push(doc - prev);
                flat.push(field + 3 * count);
                prev = doc;
            }
            flat
        })
        .collect();
    let count = docs.len();
    let index = Index {
        format: FORMAT,
        stop_words: STOP_WORDS,
        pages: records
            .iter()
            .map(|r| {
                // search.js links to ROOT + path, ROOT being "" at the top.
                let path = crate::paths::dot_slash_if_scheme_like(r.output.clone());
                (path, r.title.as_str())
            })
            .collect(),
        docs,
        lengths,
        terms,
        postings,
    };
    let json = serde_json::to_string(&index).unwrap_or_else(|_| "null".into());
    // U+2028 and U+2029 end a line in older JavaScript engines; `<` only
    // ever sits inside strings, and escaped it cannot close a script
    // element should the index ever be inlined.
    let json = json
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
        .replace('<', "\\u003c");
    (
        format!(
            "/* Search index for search.js, written by versus. */\nwindow.VERSUS_SEARCH = {json};\n"
        ),
        count,
    )
}

/// Runs of white space as one space, trimmed, and no space inside
/// brackets or before punctuation (the extracted text has spaces around
/// inline code and links: "the `fs` module ." reads "the fs module.").
fn collapse_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        let glued =
            word.starts_with(['.', ',', ';', ':', '!', '?', ')', ']']) || out.ends_with(['(', '[']);
        if !out.is_empty() && !glued {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_tidied() {
        assert_eq!(
            collapse_spaces("  the\n `fs` module ( see fs ) , then .\t"),
            "the `fs` module (see fs), then."
        );
    }

    #[test]
    fn tokens_stop_words_and_stems() {
        assert_eq!(
            terms("The Node.js event-loop, running async/await_code!"),
            ["node", "js", "event", "loop", "run", "async", "await_cod"]
        );
        assert_eq!(terms("Crème brûlée"), ["crème", "brûlée"]);
        assert_eq!(terms("connections connected"), ["connect", "connect"]);
    }

    #[test]
    fn index_has_one_document_per_heading() {
        let record = PageRecord {
            position: 0,
            kind: "page",
            output: "guide/io.html".into(),
            title: "Input".into(),
            description: None,
            date: None,
            sections: vec![
                crate::markdown::TextSection {
                    id: None,
                    heading: String::new(),
                    text: "Intro text".into(),
                },
                crate::markdown::TextSection {
                    id: Some("files".into()),
                    heading: "Files".into(),
                    text: "Reading  files\nquickly, files".into(),
                },
            ],
            body_html: String::new(),
        };
        let (script, count) = index_script(&[record]);
        assert_eq!(count, 2);
        let json = script
            .strip_prefix(
                "/* Search index for search.js, written by versus. */\nwindow.VERSUS_SEARCH = ",
            )
            .and_then(|s| s.strip_suffix(";\n"))
            .unwrap_or_default();
        let v: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
        assert_eq!(v["pages"][0], serde_json::json!(["guide/io.html", "Input"]));
        assert_eq!(v["docs"][0], serde_json::json!([0, "", "", "Intro text"]));
        assert_eq!(
            v["docs"][1],
            serde_json::json!([0, "files", "Files", "Reading files quickly, files"])
        );
        // title, heading, body lengths of each document.
        assert_eq!(v["lengths"], serde_json::json!([1, 0, 2, 0, 1, 4]));
        let terms: Vec<&str> = v["terms"]
            .as_array()
            .map(|a| a.iter().filter_map(|t| t.as_str()).collect())
            .unwrap_or_default();
        assert_eq!(terms, ["file", "input", "intro", "quickli", "read", "text"]);
        // "file": doc 1 heading once, doc 1 body twice.
        assert_eq!(
            v["postings"][0],
            serde_json::json!([1, 1 + 3, 0, 2 + 3 * 2])
        );
        // "input": doc 0 title once.
        assert_eq!(v["postings"][1], serde_json::json!([0, 3]));
    }

    /// search.js must turn text into the same terms as the index. Runs its
    /// pipeline under Node on every word of the bundled site and of the
    /// docs, plus tricky cases. Skipped when Node is missing (not under CI).
    #[test]
    fn js_pipeline_matches_rust() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let node = std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|d| d.join("node"))
                .find(|p| p.is_file())
        });
        let Some(node) = node else {
            let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
            assert!(!ci, "node is required under CI=true");
            eprintln!("SKIPPED: node not found on PATH");
            return;
        };
        let mut text = String::from(
            "caresses ponies ties caress cats feed agreed disabled matting mating meeting \
             milling messing meetings happy sky relational conditional rational valenci \
             hesitanci digitizer conformabli radicalli differentli vileli analogousli \
             vietnamization predication operator feudalism decisiveness hopefulness \
             callousness formaliti sensitiviti sensibiliti triplicate formative formalize \
             electriciti electrical hopeful goodness revival allowance inference airliner \
             gyroscopic adjustable defensible irritant replacement adjustment dependent \
             adoption homologou communism activate angulariti homologous effective \
             bowdlerize probate rate cease controll roll yyy ay by syzygy leeshyy tra ok \
             Ünïcödé naïve straße ПРИВЕТ 東京 x_y __init__ 3.14 v8 don't",
        );
        for dir in ["content", "docs"] {
            for entry in walkdir::WalkDir::new(root.join(dir))
                .into_iter()
                .flatten()
                .filter(|e| e.file_type().is_file())
            {
                text.push(' ');
                text.push_str(&std::fs::read_to_string(entry.path()).unwrap_or_default());
            }
        }
        let mut words: Vec<String> = tokenize(&text);
        words.sort();
        words.dedup();
        let input: String = words.join("\n");
        let expected: Vec<String> = words.iter().map(|w| terms(w).join(" ")).collect();
        let script = "const s = require(process.argv[1]);\
            const stop = new Set(process.argv[2].split(','));\
            let data = '';\
            process.stdin.on('data', (c) => (data += c));\
            process.stdin.on('end', () => {\
              const out = data.split('\\n').map((w) => s.terms(w, stop).join(' '));\
              process.stdout.write(out.join('\\n'));\
            });";
        let mut child = std::process::Command::new(node)
            .arg("-e")
            .arg(script)
            .arg(root.join("themes/default/static/search.js"))
            .arg(STOP_WORDS.join(","))
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("node runs");
        {
            use std::io::Write;
            let mut stdin = child.stdin.take().expect("stdin");
            stdin.write_all(input.as_bytes()).expect("write to node");
        }
        let out = child.wait_with_output().expect("node output");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let got = String::from_utf8_lossy(&out.stdout);
        let got: Vec<&str> = got.split('\n').collect();
        assert_eq!(got.len(), words.len());
        let mismatches: Vec<String> = words
            .iter()
            .zip(expected.iter().zip(&got))
            .filter(|(_, (e, g))| e != *g)
            .map(|(w, (e, g))| format!("{w}: rust {e:?}, js {g:?}"))
            .collect();
        assert!(
            mismatches.is_empty(),
            "{} of {} words differ:\n{}",
            mismatches.len(),
            words.len(),
            mismatches.join("\n")
        );
    }
}
