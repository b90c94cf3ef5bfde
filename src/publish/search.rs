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
//!   "lengths": [title, heading, body, ...],         // terms per field, 3 per doc
//!   "terms": ["async", ...],                        // sorted (UTF-16 order)
//!   "postings": [[doc_delta, field + 3 * count, ...], ...], // one per term
//!   "docs": [[page, id, heading, body], ...]        // id "" = page top
//! }
//! ```
//!
//! The file is streamed (the documents' text last, a batch of pages at a
//! time), so the index of a large site is never held whole in memory.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use ahash::AHashMap;

use elasticlunr::Pipeline;
use elasticlunr::lang::Language;
use elasticlunr::pipeline::PipelineFn;
use rayon::prelude::*;

use std::io::Write;

use super::{PageRecord, Section};

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

/// term -> its postings, for the documents seen so far.
type Postings = AHashMap<String, List>;

/// The postings of one term, in document order, as they are written:
/// pairs (document - previous document, field + 3 * count), each number a
/// LEB128 varint. Most numbers are below 128, so a posting takes two bytes
/// (a 10,000-page site has millions).
#[derive(Debug, Default)]
struct List {
    /// First and last document in the list.
    first: u32,
    last: u32,
    bytes: Vec<u8>,
}

impl List {
    fn push(&mut self, doc: u32, value: u32) {
        if self.bytes.is_empty() {
            self.first = doc;
            self.last = 0;
        }
        put_varint(&mut self.bytes, doc - self.last);
        put_varint(&mut self.bytes, value);
        self.last = doc;
    }

    /// `self` followed by `next`, whose documents all come later.
    fn append(&mut self, next: List) {
        if self.bytes.is_empty() {
            *self = next;
            return;
        }
        // `next` starts with its first document counted from 0: count it
        // from this list's last document instead.
        let (_, skip) = get_varint(&next.bytes);
        put_varint(&mut self.bytes, next.first - self.last);
        self.bytes.extend_from_slice(&next.bytes[skip..]);
        self.last = next.last;
    }

    /// The numbers of the list, comma-separated, as JSON array items.
    fn write_json_numbers(&self, out: &mut Vec<u8>) {
        let mut buf = itoa::Buffer::new();
        for (i, number) in self.numbers().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(buf.format(number).as_bytes());
        }
    }

    /// The numbers of the list, as written.
    fn numbers(&self) -> impl Iterator<Item = u32> + '_ {
        let mut at = 0;
        std::iter::from_fn(move || {
            (at < self.bytes.len()).then(|| {
                let (n, used) = get_varint(&self.bytes[at..]);
                at += used;
                n
            })
        })
    }
}

fn put_varint(out: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// A varint at the start of `bytes`, and how many bytes it took.
fn get_varint(bytes: &[u8]) -> (u32, usize) {
    let mut n = 0u32;
    for (i, &b) in bytes.iter().enumerate().take(5) {
        n |= u32::from(b & 0x7f) << (7 * i);
        if b < 0x80 {
            return (n, i + 1);
        }
    }
    (n, bytes.len().min(5))
}

/// Joins the postings of two runs of pages, `left` before `right`.
fn join(left: Postings, right: Postings) -> Postings {
    let (mut into, from, from_is_left) = if left.len() >= right.len() {
        (left, right, false)
    } else {
        (right, left, true)
    };
    for (term, list) in from {
        match into.get_mut(&term) {
            Some(kept) if from_is_left => {
                let right = std::mem::take(kept);
                let mut joined = list;
                joined.append(right);
                *kept = joined;
            }
            Some(kept) => kept.append(list),
            None => {
                into.insert(term, list);
            }
        }
    }
    into
}

/// Whether section `i` of a page is a document: the top of the page
/// (i == 0) always is, so its title always finds the page; a later section
/// needs a heading or some text.
fn is_doc(i: usize, s: &Section) -> bool {
    i == 0 || !s.heading.is_empty() || !s.blank
}

/// Terms of one page's documents, added to `postings` with document numbers
/// from `first`; returns the terms per field of each document (title,
/// heading, body).
fn index_page(
    terms: &mut Terms,
    first: u32,
    r: &PageRecord,
    postings: &mut Postings,
) -> std::io::Result<Vec<u32>> {
    let mut lengths = Vec::new();
    let texts = r.section_texts()?;
    let docs = r
        .sections
        .iter()
        .zip(&texts)
        .enumerate()
        .filter(|(i, (s, _))| is_doc(*i, s));
    for (doc, (i, (s, body))) in (first..).zip(docs) {
        let title = if i == 0 { r.title.as_str() } else { "" };
        for (field, text) in [title, s.heading.as_str(), body.as_str()]
            .into_iter()
            .enumerate()
        {
            let mut len = 0;
            let mut counts: AHashMap<Rc<str>, u32> = AHashMap::new();
            for word in words(text) {
                if let Some(term) = terms.term(word) {
                    len += 1;
                    *counts.entry(term).or_default() += 1;
                }
            }
            lengths.push(len);
            // Within a document, a term's fields come in order.
            for (term, count) in counts {
                let value = field as u32 + 3 * count;
                match postings.get_mut(&*term) {
                    Some(list) => list.push(doc, value),
                    None => {
                        let mut list = List::default();
                        list.push(doc, value);
                        postings.insert(term.to_string(), list);
                    }
                }
            }
        }
    }
    Ok(lengths)
}

/// The documents of one page as JSON array items (`[page,id,heading,body]`),
/// comma-separated.
fn page_docs_json(page: usize, r: &PageRecord) -> std::io::Result<String> {
    let mut out = String::new();
    let texts = r.section_texts()?;
    let docs = r.sections.iter().zip(&texts).enumerate();
    for (_, (s, text)) in docs.filter(|(i, (s, _))| is_doc(*i, s)) {
        if !out.is_empty() {
            out.push(',');
        }
        let doc = (
            page,
            s.id.as_deref().unwrap_or(""),
            &s.heading,
            collapse_spaces(text),
        );
        out.push_str(&serde_json::to_string(&doc)?);
    }
    Ok(out)
}

/// Words of a text as [`tokenize`] finds them, not yet lowercase.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
}

/// The pipeline of one thread (it is not `Send`), and what it made of
/// each word so far: a site uses the same words over and over, and the
/// stemmer is the costly part of indexing.
struct Terms {
    pipeline: Pipeline,
    /// Lowercase word -> its term, `None` for a stop word.
    seen: AHashMap<String, Option<Rc<str>>>,
}

/// Words remembered per thread at most (then it starts again).
const TERMS_LIMIT: usize = 500_000;

impl Terms {
    /// The index term of one word, as `terms` would give it.
    fn term(&mut self, word: &str) -> Option<Rc<str>> {
        let lower: std::borrow::Cow<'_, str> = if word.chars().any(char::is_uppercase) {
            word.to_lowercase().into()
        } else {
            word.into()
        };
        if let Some(known) = self.seen.get(lower.as_ref()) {
            return known.clone();
        }
        if self.seen.len() >= TERMS_LIMIT {
            self.seen.clear();
        }
        let term = self
            .pipeline
            .run(vec![lower.to_string()])
            .into_iter()
            .next()
            .map(Rc::from);
        self.seen.insert(lower.into_owned(), term.clone());
        term
    }
}

thread_local! {
    static TERMS: RefCell<Terms> = RefCell::new(Terms {
        pipeline: Text.make_pipeline(),
        seen: AHashMap::new(),
    });
}

/// Pages whose documents are turned into JSON at once (in parallel).
const BATCH: usize = 256;

/// Terms whose posting lists are turned into JSON at once (in parallel).
const TERM_BATCH: usize = 16_384;

/// Writes `search-index.js` to `w` and returns the number of documents.
/// Streamed: the postings are built from every page, then written, and the
/// documents' text follows a batch of pages at a time, so the index is never
/// held whole.
pub fn write_index(records: &[Arc<PageRecord>], w: &mut dyn Write) -> std::io::Result<usize> {
    // Document numbers: each page's documents follow the previous page's.
    let mut firsts = Vec::with_capacity(records.len());
    let mut count = 0u32;
    for r in records {
        firsts.push(count);
        count += r
            .sections
            .iter()
            .enumerate()
            .filter(|(i, s)| is_doc(*i, s))
            .count() as u32;
    }
    let (postings, mut lengths) = records
        .par_iter()
        .zip(&firsts)
        .enumerate()
        .try_fold(
            || (Postings::new(), Vec::new()),
            |(mut postings, mut lengths), (page, (r, &first))| {
                let l = TERMS.with(|t| index_page(&mut t.borrow_mut(), first, r, &mut postings))?;
                lengths.push((page, l));
                Ok::<_, std::io::Error>((postings, lengths))
            },
        )
        // Each fold takes a run of consecutive pages, and reduce joins
        // neighbouring runs left to right: every list stays in document
        // order without sorting.
        .try_reduce(
            || (Postings::new(), Vec::new()),
            |(a, mut la), (b, lb)| {
                la.extend(lb);
                Ok((join(a, b), la))
            },
        )?;
    lengths.sort_unstable_by_key(|(page, _)| *page);
    let mut terms: Vec<String> = postings.keys().cloned().collect();
    // search.js binary-searches with JavaScript's string order (UTF-16).
    terms.par_sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));

    let mut w = ScriptSafe::new(w);
    w.write_all(b"/* Search index for search.js, written by versus. */\nwindow.VERSUS_SEARCH = {")?;
    write!(w, "\"format\":{FORMAT},\"stopWords\":")?;
    serde_json::to_writer(&mut w, STOP_WORDS)?;
    w.write_all(b",\"pages\":")?;
    let pages: Vec<(String, &str)> = records
        .iter()
        .map(|r| {
            // search.js links to ROOT + path, ROOT being "" at the top.
            let path = crate::paths::dot_slash_if_scheme_like(r.output.clone());
            (path, r.title.as_str())
        })
        .collect();
    serde_json::to_writer(&mut w, &pages)?;
    w.write_all(b",\"lengths\":")?;
    let flat: Vec<u32> = lengths.into_iter().flat_map(|(_, l)| l).collect();
    serde_json::to_writer(&mut w, &flat)?;
    w.write_all(b",\"terms\":")?;
    serde_json::to_writer(&mut w, &terms)?;
    w.write_all(b",\"postings\":[")?;
    // Each term's list as JSON, a batch of terms at a time, in parallel.
    let mut first = true;
    for batch in terms.chunks(TERM_BATCH) {
        let parts: Vec<Vec<u8>> = batch
            .par_chunks(TERM_BATCH / 16)
            .map(|chunk| {
                let mut out = Vec::new();
                for (i, term) in chunk.iter().enumerate() {
                    out.extend_from_slice(if i > 0 { b",[" } else { b"[" });
                    if let Some(list) = postings.get(term) {
                        list.write_json_numbers(&mut out);
                    }
                    out.push(b']');
                }
                out
            })
            .collect();
        write_items(&mut w, &parts, &mut first)?;
    }
    drop(postings);
    w.write_all(b"],\"docs\":[")?;
    let mut first = true;
    for (b, batch) in records.chunks(BATCH).enumerate() {
        let parts: Vec<String> = batch
            .par_iter()
            .enumerate()
            .map(|(i, r)| page_docs_json(b * BATCH + i, r))
            .collect::<std::io::Result<_>>()?;
        write_items(&mut w, &parts, &mut first)?;
    }
    w.write_all(b"]};\n")?;
    w.finish()?;
    Ok(count as usize)
}

/// Writes `parts`, each some comma-separated JSON array items, as items of
/// one array: a comma between parts, none before the array's first item
/// (`first` says whether it is still to come). Empty parts add nothing.
fn write_items(
    w: &mut impl Write,
    parts: &[impl AsRef<[u8]>],
    first: &mut bool,
) -> std::io::Result<()> {
    for part in parts.iter().map(AsRef::as_ref).filter(|p| !p.is_empty()) {
        if !*first {
            w.write_all(b",")?;
        }
        *first = false;
        w.write_all(part)?;
    }
    Ok(())
}

/// The text of `search-index.js` and its number of documents (for tests).
#[cfg(test)]
pub fn index_script(records: &[Arc<PageRecord>]) -> (String, usize) {
    let mut out = Vec::new();
    let count = write_index(records, &mut out).unwrap_or_default();
    (String::from_utf8(out).unwrap_or_default(), count)
}

/// Escapes, on the way to the file, what JSON allows but a script should
/// not hold: U+2028 and U+2029 end a line in older JavaScript engines, and
/// `<` (which only ever sits inside strings) could close a script element
/// should the index ever be inlined. Sequences split between two writes
/// are held back until the next.
struct ScriptSafe<'a> {
    inner: &'a mut dyn Write,
    held: Vec<u8>,
}

impl<'a> ScriptSafe<'a> {
    fn new(inner: &'a mut dyn Write) -> Self {
        Self {
            inner,
            held: Vec::new(),
        }
    }

    fn finish(mut self) -> std::io::Result<()> {
        let held = std::mem::take(&mut self.held);
        self.inner.write_all(&held)?;
        self.inner.flush()
    }
}

impl ScriptSafe<'_> {
    /// Writes `data`, escaped; keeps back a possible start of U+2028/9
    /// that the next write completes.
    fn pass(&mut self, data: &[u8]) -> std::io::Result<()> {
        let mut start = 0;
        while let Some(at) = data[start..].iter().position(|&b| b == b'<' || b == 0xE2) {
            let i = start + at;
            self.inner.write_all(&data[start..i])?;
            if data[i] == b'<' {
                self.inner.write_all(b"\\u003c")?;
                start = i + 1;
                continue;
            }
            let Some(next) = data.get(i + 1..i + 3) else {
                self.held = data[i..].to_vec();
                return Ok(());
            };
            match next {
                [0x80, 0xA8] => self.inner.write_all(b"\\u2028")?,
                [0x80, 0xA9] => self.inner.write_all(b"\\u2029")?,
                _ => self.inner.write_all(&data[i..i + 3])?,
            }
            start = i + 3;
        }
        self.inner.write_all(&data[start..])
    }
}

impl Write for ScriptSafe<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.held.is_empty() {
            self.pass(buf)?;
        } else {
            let mut data = std::mem::take(&mut self.held);
            data.extend_from_slice(buf);
            self.pass(&data)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
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
    fn posting_lists_join_in_document_order() {
        let mut whole = List::default();
        let mut left = List::default();
        let mut right = List::default();
        for (doc, value) in [(0, 4), (0, 5), (3, 300), (200, 7), (201, 1), (90_000, 2)] {
            whole.push(doc, value);
            if doc < 200 {
                left.push(doc, value)
            } else {
                right.push(doc, value)
            }
        }
        let expected = [0, 4, 0, 5, 3, 300, 197, 7, 1, 1, 89_799, 2];
        assert_eq!(whole.numbers().collect::<Vec<_>>(), expected);
        let map = |l: List| Postings::from([("t".to_string(), l)]);
        // Whichever side is bigger, the left run comes first.
        let mut extra = Postings::from([("u".to_string(), List::default())]);
        extra.extend(map(left));
        let joined = join(extra, map(right));
        assert_eq!(joined["t"].numbers().collect::<Vec<_>>(), expected);
        let mut l2 = List::default();
        l2.push(5, 1);
        let mut r2 = List::default();
        r2.push(9, 2);
        let mut big_right = map(r2);
        big_right.insert("v".into(), List::default());
        big_right.insert("w".into(), List::default());
        let joined = join(map(l2), big_right);
        assert_eq!(joined["t"].numbers().collect::<Vec<_>>(), [5, 1, 4, 2]);
    }

    #[test]
    fn script_safe_escapes_across_write_boundaries() {
        let text = "a<b\u{2028}c\u{2029}d\u{e9}\u{2026}";
        let bytes = text.as_bytes();
        for split in 0..=bytes.len() {
            let mut out = Vec::new();
            let mut w = ScriptSafe::new(&mut out);
            w.write_all(&bytes[..split]).unwrap_or_default();
            w.write_all(&bytes[split..]).unwrap_or_default();
            w.finish().unwrap_or_default();
            assert_eq!(
                String::from_utf8_lossy(&out),
                "a\\u003cb\\u2028c\\u2029d\u{e9}\u{2026}",
                "split at {split}"
            );
        }
    }

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
        let record = PageRecord::for_test(
            "guide/io.html",
            "Input",
            &[
                (None, "", "Intro text"),
                (Some("files"), "Files", "Reading  files\nquickly, files"),
                // Neither heading nor text: not a document.
                (Some("empty"), "", " \n"),
            ],
            "",
        );
        let (script, count) = index_script(&[Arc::new(record)]);
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
