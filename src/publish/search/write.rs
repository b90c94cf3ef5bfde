//! The index on disk: many small scripts under `search/`, so that a query
//! loads only what it needs. Each file is one call,
//! `versusSearchData(NAME, DATA)`, that search.js catches: a `<script>`
//! element can load it from `file://`, where `fetch` cannot read files.
//!
//! ```text
//! search/index.js    "index": { format, stopWords, docs, docShard, shards }
//!                    shards[i] is the first term of term shard i
//! search/t/N.js      "t/N": a run of terms, sorted (UTF-16 order):
//!                    { terms: [...], df: [...], postings: [[...], ...],
//!                      more: { "i": [[chunk, bound], ...] } }
//! search/p/T.K.js    "p/T.K": chunk K of term T's postings beyond its shard
//! search/d/N.js      "d/N": documents N*docShard .. (N+1)*docShard - 1:
//!                    { pages: [[page, path, title], ...],
//!                      docs: [[page, id, heading, body], ...] }
//! ```
//!
//! A posting list is flat numbers, three per field a term occurs in:
//! document (counted from the previous entry's), `field + 3 * count`, and
//! the field's length in terms. A term found in more than [`TOP_DOCS`]
//! documents keeps in its shard only the documents where it weighs most
//! (by `BOOST * sqrt(count) / sqrt(length)`, summed over fields, ties to
//! the earlier document); the rest follow in chunks of growing size, each
//! listed as `[name, bound, doc]`: its first document and that document's
//! weight, which no later document exceeds. search.js loads chunks only
//! while they could still change the results shown: a one-word query on a
//! common word reads one shard, however large the site.

use std::sync::Arc;

use rayon::prelude::*;

use super::index::{DIR, Entry, Index, STOP_WORDS};
use crate::output::Folder;
use crate::record::{PageRecord, is_doc};
use crate::report::error::{IoContext, Result};

/// The manifest search.js loads first.
pub const MANIFEST: &str = "search/index.js";

/// Format version, checked by search.js.
const FORMAT: u32 = 3;

/// Documents per document shard. A page of results shows up to 20
/// documents, so it reads at most 20 of these.
pub const DOCS_PER_SHARD: usize = 16;

/// A term shard is closed once it holds this many bytes.
const TERM_SHARD_BYTES: usize = 48 * 1024;

/// Documents of a term listed in its shard; more go to chunks.
pub const TOP_DOCS: usize = 400;

/// Documents in a term's first chunk; each next chunk holds four times
/// as many.
const FIRST_CHUNK: usize = 2_000;

/// Weight of a match in each field (search.js: `BOOST`).
const BOOST: [f64; 3] = [4.0, 2.0, 1.0];

/// Terms turned into JSON at once (in parallel).
const TERM_BATCH: usize = 4_096;

/// Pages whose documents are turned into JSON at once (in parallel).
const PAGE_BATCH: usize = 256;

/// Writes the index under `search/` of the folder `out` (a language's)
/// and returns the number of documents.
/// `same_docs`: every page gives as many documents as in the build `out`
/// updates, so a document shard made only of reused pages is the same.
pub fn write(
    index: Index,
    records: &[Arc<PageRecord>],
    same_docs: bool,
    out: &Folder<'_>,
) -> Result<usize> {
    let Index {
        postings,
        lengths,
        count,
    } = index;
    let mut terms: Vec<&str> = postings.keys().map(String::as_str).collect();
    let mut stems: Vec<String> = terms.par_iter().map(|t| chunk_stem(t)).collect();
    stems.par_sort_unstable();
    if let Some(pair) = stems.windows(2).find(|w| w[0] == w[1]) {
        return Err(crate::report::error::Error::Io {
            path: DIR.into(),
            source: std::io::Error::other(format!(
                "two index terms hash to {}: report this as a versus bug",
                pair[0]
            )),
        });
    }
    drop(stems);
    // search.js binary-searches with JavaScript's string order (UTF-16).
    terms.par_sort_unstable_by(|a, b| utf16_order(a, b));

    let mut shards = TermShards::default();
    for batch in terms.chunks(TERM_BATCH) {
        let parts: Vec<TermPart> = batch
            .par_iter()
            .map(|term| {
                let list = &postings[*term];
                let part = term_part(&chunk_stem(term), term, list.entries(), &lengths);
                for (name, bytes) in &part.chunks {
                    out.write(&format!("{DIR}/{name}.js"), bytes)?;
                }
                Ok(part)
            })
            .collect::<Result<_>>()?;
        for part in parts {
            shards.push(part, out)?;
        }
    }
    shards.flush(out)?;
    drop(postings);

    write_docs(records, same_docs, out)?;

    let manifest = serde_json::json!({
        "format": FORMAT,
        "stopWords": STOP_WORDS,
        "docs": count,
        "docShard": DOCS_PER_SHARD,
        "shards": shards.firsts,
    });
    out.write(MANIFEST, &script("index", manifest.to_string().as_bytes()))?;
    Ok(count as usize)
}

/// How JavaScript orders two strings (by UTF-16 code units), without
/// encoding them: UTF-8 bytes order strings by code point, which is the
/// UTF-16 order except between a character above U+FFFF (surrogates,
/// 0xD800-0xDFFF) and one in U+E000-U+FFFF. At the first byte that
/// differs, those are lead bytes 0xF0-0xF4 against 0xEE or 0xEF.
fn utf16_order(a: &str, b: &str) -> std::cmp::Ordering {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    match x.iter().zip(y).position(|(p, q)| p != q) {
        None => x.len().cmp(&y.len()),
        Some(i) => {
            let (p, q) = (x[i], y[i]);
            let astral = |c: u8| c >= 0xF0;
            let high = |c: u8| c == 0xEE || c == 0xEF;
            if astral(p) && high(q) {
                std::cmp::Ordering::Less
            } else if high(p) && astral(q) {
                std::cmp::Ordering::Greater
            } else {
                p.cmp(&q)
            }
        }
    }
}

/// A term's part of its shard, and its chunk files.
struct TermPart {
    /// The term as a JSON string.
    term: String,
    df: usize,
    /// The posting list in the shard, as a JSON array.
    postings: String,
    /// `[[chunk, bound], ...]` as JSON, when some postings are in chunks.
    more: Option<String>,
    /// (name, file) of each chunk.
    chunks: Vec<(String, Vec<u8>)>,
}

/// The name chunks of `term` start with: from a hash of the term, so that
/// a term's chunks keep their names when other terms come and go (`watch`
/// then rewrites only the chunks that changed). Two terms of one site
/// sharing a hash would share files: the build checks they do not.
fn chunk_stem(term: &str) -> String {
    let hash = ahash::RandomState::with_seeds(0x7365, 0x6172, 0x6368, 0x2121).hash_one(term);
    format!("{hash:016x}")
}

/// A document and its run of entries in a term's list.
type DocRun = (u32, std::ops::Range<usize>);

/// One term's entries, in document order, with the field lengths of
/// every document (three per document).
struct Postings<'a> {
    entries: &'a [Entry],
    lengths: &'a [u32],
}

impl Postings<'_> {
    /// The length of the field entry `e` is in.
    fn length(&self, e: &Entry) -> u32 {
        self.lengths
            .get(e.doc as usize * 3 + (e.value % 3) as usize)
            .copied()
            .unwrap_or(0)
    }

    /// The documents in order, each with its run of entries.
    fn docs(&self) -> Vec<DocRun> {
        let mut docs: Vec<DocRun> = Vec::new();
        for (i, e) in self.entries.iter().enumerate() {
            match docs.last_mut() {
                Some((doc, run)) if *doc == e.doc => run.end = i + 1,
                _ => docs.push((e.doc, i..i + 1)),
            }
        }
        docs
    }

    /// `docs` (in document order) as the JSON list the engine reads: doc
    /// delta, field + 3 * count, field length, for every entry.
    fn json(&self, docs: &[DocRun]) -> String {
        let mut out = String::from("[");
        let mut buf = itoa::Buffer::new();
        let mut last = 0;
        for (doc, run) in docs {
            for e in &self.entries[run.clone()] {
                if out.len() > 1 {
                    out.push(',');
                }
                out.push_str(buf.format(doc - last));
                out.push(',');
                out.push_str(buf.format(e.value));
                out.push(',');
                out.push_str(buf.format(self.length(e)));
                last = *doc;
            }
        }
        out.push(']');
        out
    }

    /// The most a document's run can add to a score (the engine's
    /// formula without the term's idf).
    fn weight(&self, run: &std::ops::Range<usize>) -> f64 {
        self.entries[run.clone()]
            .iter()
            .map(|e| {
                let field = (e.value % 3) as usize;
                let count = f64::from(e.value / 3);
                BOOST[field] * count.sqrt() / f64::from(self.length(e).max(1)).sqrt()
            })
            .sum()
    }
}

/// The shard part of `term`, and its chunks, named `p/STEM.K`.
fn term_part(stem: &str, term: &str, entries: Vec<Entry>, lengths: &[u32]) -> TermPart {
    let postings = Postings {
        entries: &entries,
        lengths,
    };
    let docs = postings.docs();
    let df = docs.len();
    let mut part = TermPart {
        term: serde_json::to_string(term).unwrap_or_default(),
        df,
        postings: String::new(),
        more: None,
        chunks: Vec::new(),
    };
    if df <= TOP_DOCS {
        part.postings = postings.json(&docs);
        return part;
    }
    // The documents where the term weighs most go in the shard; the rest
    // in chunks of growing size, each with its best weight as a bound.
    let mut ranked: Vec<(f64, DocRun)> = docs
        .into_iter()
        .map(|d| (postings.weight(&d.1), d))
        .collect();
    ranked.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.0.cmp(&b.1.0)));
    let mut rest = ranked.split_off(TOP_DOCS);
    let by_doc = |mut part: Vec<(f64, DocRun)>| {
        part.sort_unstable_by_key(|(_, (doc, _))| *doc);
        part.into_iter().map(|(_, d)| d).collect::<Vec<_>>()
    };
    part.postings = postings.json(&by_doc(ranked));
    let mut more = Vec::new();
    let mut size = FIRST_CHUNK;
    while !rest.is_empty() {
        let tail = rest.split_off(size.min(rest.len()));
        let (bound, first_doc) = (rest[0].0, rest[0].1.0);
        let name = format!("p/{stem}.{}", more.len());
        let json = postings.json(&by_doc(rest));
        part.chunks
            .push((name.clone(), script(&name, json.as_bytes())));
        more.push(format!(
            "[{},{},{first_doc}]",
            serde_json::json!(name),
            serde_json::json!(bound)
        ));
        rest = tail;
        size *= 4;
    }
    part.more = Some(format!("[{}]", more.join(",")));
    part
}

/// Term shards being filled, in term order.
#[derive(Default)]
struct TermShards {
    /// First term of each shard written so far.
    firsts: Vec<String>,
    /// The shard being filled.
    parts: Vec<TermPart>,
    bytes: usize,
}

impl TermShards {
    fn push(&mut self, part: TermPart, out: &Folder<'_>) -> Result<()> {
        self.bytes +=
            part.term.len() + part.postings.len() + part.more.as_ref().map_or(0, String::len) + 8;
        self.parts.push(part);
        if self.bytes >= TERM_SHARD_BYTES {
            self.flush(out)?;
        }
        Ok(())
    }

    fn flush(&mut self, out: &Folder<'_>) -> Result<()> {
        let parts = std::mem::take(&mut self.parts);
        self.bytes = 0;
        let Some(first) = parts.first() else {
            return Ok(());
        };
        let name = format!("t/{}", self.firsts.len());
        self.firsts
            .push(serde_json::from_str(&first.term).unwrap_or_default());
        let mut json = String::from("{\"terms\":[");
        join_into(&mut json, parts.iter().map(|p| p.term.as_str()));
        json.push_str("],\"df\":[");
        let dfs: Vec<String> = parts.iter().map(|p| p.df.to_string()).collect();
        join_into(&mut json, dfs.iter().map(String::as_str));
        json.push_str("],\"postings\":[");
        join_into(&mut json, parts.iter().map(|p| p.postings.as_str()));
        json.push_str("],\"more\":{");
        let more: Vec<String> = parts
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.more.as_ref().map(|m| format!("\"{i}\":{m}")))
            .collect();
        join_into(&mut json, more.iter().map(String::as_str));
        json.push_str("}}");
        out.write(&format!("{DIR}/{name}.js"), &script(&name, json.as_bytes()))
    }
}

fn join_into<'a>(out: &mut String, items: impl Iterator<Item = &'a str>) {
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(item);
    }
}

/// Writes the document shards: [`DOCS_PER_SHARD`] documents each, in
/// document order, with the path and title of their pages.
fn write_docs(records: &[Arc<PageRecord>], same_docs: bool, out: &Folder<'_>) -> Result<()> {
    let kept = kept_doc_shards(records, same_docs, out);
    let mut shard = DocShard::default();
    let mut number = 0;
    let mut first = 0usize;
    for (b, batch) in records.chunks(PAGE_BATCH).enumerate() {
        // Each page's first document, and whether any shard it is in must
        // be made again (else its texts are not even read).
        let starts: Vec<(usize, bool)> = batch
            .iter()
            .map(|r| {
                let start = first;
                first += r.docs as usize;
                let shards =
                    start / DOCS_PER_SHARD..(first.max(start + 1) - 1) / DOCS_PER_SHARD + 1;
                (
                    start,
                    shards
                        .clone()
                        .any(|n| !kept.get(n).copied().unwrap_or(false)),
                )
            })
            .collect();
        let pages: Vec<(usize, String, Vec<String>)> = batch
            .par_iter()
            .zip(&starts)
            .enumerate()
            .map(|(i, (r, &(_, needed)))| {
                let page = b * PAGE_BATCH + i;
                if !needed {
                    return Ok((page, String::new(), vec![String::new(); r.docs as usize]));
                }
                let head = serde_json::to_string(&(
                    page,
                    crate::text::paths::dot_slash_if_scheme_like(r.output.clone()),
                    &r.title,
                ))?;
                Ok((page, head, page_docs_json(page, r)?))
            })
            .collect::<std::io::Result<_>>()
            .at(std::path::Path::new(DIR))?;
        let mut full = Vec::new();
        for (page, head, docs) in pages {
            for doc in docs {
                if shard.pages.last().is_none_or(|(p, _)| *p != page) {
                    shard.pages.push((page, head.clone()));
                }
                shard.docs.push(doc);
                if shard.docs.len() == DOCS_PER_SHARD {
                    full.push((number, std::mem::take(&mut shard)));
                    number += 1;
                }
            }
        }
        full.par_iter()
            .try_for_each(|(n, s)| write_doc_shard(s, *n, &kept, out))?;
    }
    if !shard.docs.is_empty() {
        write_doc_shard(&shard, number, &kept, out)?;
    }
    Ok(())
}

/// Writes document shard `n`, unless `kept` says the output holds it.
fn write_doc_shard(shard: &DocShard, n: usize, kept: &[bool], out: &Folder<'_>) -> Result<()> {
    if kept.get(n).copied().unwrap_or(false) && out.keep_unchanged(&doc_shard_path(n)) {
        return Ok(());
    }
    shard.write(n, out)
}

/// The file of document shard `n`.
fn doc_shard_path(n: usize) -> String {
    format!("{DIR}/d/{n}.js")
}

/// Per document shard: whether the file `out` updates already holds it
/// (every page with documents in it was reused from the build cache, and
/// documents kept their numbers).
fn kept_doc_shards(records: &[Arc<PageRecord>], same_docs: bool, out: &Folder<'_>) -> Vec<bool> {
    let total: usize = records.iter().map(|r| r.docs as usize).sum();
    let count = total.div_ceil(DOCS_PER_SHARD);
    if !same_docs {
        return vec![false; count];
    }
    let mut kept: Vec<bool> = (0..count).map(|n| out.knows(&doc_shard_path(n))).collect();
    let mut first = 0usize;
    for r in records {
        let docs = r.docs as usize;
        if !r.reused && docs > 0 {
            for flag in &mut kept[first / DOCS_PER_SHARD..=(first + docs - 1) / DOCS_PER_SHARD] {
                *flag = false;
            }
        }
        first += docs;
    }
    kept
}

#[derive(Default)]
struct DocShard {
    /// (page, `[page,path,title]`) of the pages the documents are on.
    pages: Vec<(usize, String)>,
    /// `[page,id,heading,body]` of each document.
    docs: Vec<String>,
}

impl DocShard {
    fn write(&self, number: usize, out: &Folder<'_>) -> Result<()> {
        let name = format!("d/{number}");
        debug_assert!(
            self.docs.iter().all(|d| !d.is_empty()),
            "a kept shard made again"
        );
        let mut json = String::from("{\"pages\":[");
        join_into(&mut json, self.pages.iter().map(|(_, p)| p.as_str()));
        json.push_str("],\"docs\":[");
        join_into(&mut json, self.docs.iter().map(String::as_str));
        json.push_str("]}");
        out.write(&format!("{DIR}/{name}.js"), &script(&name, json.as_bytes()))
    }
}

/// The documents of one page, each as a JSON array
/// (`[page,id,heading,body]`).
fn page_docs_json(page: usize, r: &PageRecord) -> std::io::Result<Vec<String>> {
    let sections = r.sections()?;
    let docs = sections.iter().enumerate();
    docs.filter(|(i, s)| is_doc(*i, s))
        .map(|(_, s)| {
            let doc = (
                page,
                s.id.as_deref().unwrap_or(""),
                &s.heading,
                collapse_spaces(&s.text),
            );
            Ok(serde_json::to_string(&doc)?)
        })
        .collect()
}

/// The file for `name`: `versusSearchData("NAME",JSON);`, with what JSON
/// allows but a script should not hold escaped: U+2028 and U+2029 end a
/// line in older JavaScript engines, and `<` (which only ever sits inside
/// strings) could close a script element should the data ever be inlined.
fn script(name: &str, json: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(json.len() + name.len() + 32);
    out.extend_from_slice(b"versusSearchData(\"");
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"\",");
    let mut rest = json;
    while let Some(at) = rest.iter().position(|&b| b == b'<' || b == 0xE2) {
        out.extend_from_slice(&rest[..at]);
        match &rest[at..] {
            [b'<', ..] => {
                out.extend_from_slice(b"\\u003c");
                rest = &rest[at + 1..];
            }
            [0xE2, 0x80, 0xA8, ..] => {
                out.extend_from_slice(b"\\u2028");
                rest = &rest[at + 3..];
            }
            [0xE2, 0x80, 0xA9, ..] => {
                out.extend_from_slice(b"\\u2029");
                rest = &rest[at + 3..];
            }
            _ => {
                out.push(0xE2);
                rest = &rest[at + 1..];
            }
        }
    }
    out.extend_from_slice(rest);
    out.extend_from_slice(b");\n");
    out
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
    fn terms_sort_as_javascript_sorts_them() {
        let words = [
            "",
            "a",
            "ab",
            "b",
            "é",
            "z",
            "\u{e000}",
            "\u{ffee}",
            "\u{10000}",
            "\u{1f600}",
            "a\u{ffff}",
            "a\u{10000}",
            "ü",
            "日本",
            "日",
            "\u{d7ff}",
        ];
        for a in words {
            for b in words {
                assert_eq!(
                    utf16_order(a, b),
                    a.encode_utf16().cmp(b.encode_utf16()),
                    "{a:?} against {b:?}"
                );
            }
        }
    }

    #[test]
    fn scripts_escape_what_json_allows() {
        let out = script(
            "d/0",
            "[\"a<b\u{2028}c\u{2029}d\u{e9}\u{2026}\"]".as_bytes(),
        );
        assert_eq!(
            String::from_utf8_lossy(&out),
            "versusSearchData(\"d/0\",[\"a\\u003cb\\u2028c\\u2029d\u{e9}\u{2026}\"]);\n"
        );
    }

    #[test]
    fn text_is_tidied() {
        assert_eq!(
            collapse_spaces("  the\n `fs` module ( see fs ) , then .\t"),
            "the `fs` module (see fs), then."
        );
    }

    #[test]
    fn common_terms_keep_their_weightiest_documents_in_the_shard() {
        // Term in 3,000 documents: body, count 1, length growing with the
        // document, so earlier documents weigh more.
        let n = TOP_DOCS + FIRST_CHUNK + 600;
        let entries: Vec<Entry> = (0..n as u32)
            .map(|doc| Entry { doc, value: 2 + 3 })
            .collect();
        let lengths: Vec<u32> = (0..n as u32).flat_map(|d| [0, 0, d + 1]).collect();
        let part = term_part("7", "x", entries, &lengths);
        assert_eq!(part.df, n);
        let top: Vec<u64> = serde_json::from_str(&part.postings).unwrap_or_default();
        assert_eq!(top.len(), TOP_DOCS * 3);
        assert_eq!(&top[..6], &[0, 5, 1, 1, 5, 2]);
        let names: Vec<&str> = part.chunks.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["p/7.0", "p/7.1"]);
        let more: serde_json::Value =
            serde_json::from_str(part.more.as_deref().unwrap_or("")).unwrap_or_default();
        // The bound of the first chunk is the weight of document TOP_DOCS.
        let expected = 1.0 / ((TOP_DOCS + 1) as f64).sqrt();
        assert_eq!(more[0][1].as_f64(), Some(expected));
        assert_eq!(more[0][2], TOP_DOCS);
        let first = String::from_utf8_lossy(&part.chunks[0].1).to_string();
        assert!(
            first.starts_with(&format!(
                "versusSearchData(\"p/7.0\",[{TOP_DOCS},5,{}",
                TOP_DOCS + 1
            )),
            "{first:.60}"
        );
    }
}
