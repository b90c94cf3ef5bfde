//! The index on disk: many small scripts in the index's folder (`search/`,
//! or `LANG/search/` for a language under its own prefix), so that a query
//! loads only what it needs. Each file is one call,
//! `versusSearchData(NAME, DATA)`, that search.js catches: a `<script>`
//! element can load it from `file://`, where `fetch` cannot read files.
//!
//! ```text
//! index.js    "index": { format, stopWords, docs, docShard, shards,
//!                        lang, fold, words }
//!             shards[i] is the first term of term shard i; lang, fold
//!             and words are absent from an English index (lang: the
//!             primary subtag; fold: accents folded; words[i]: the first
//!             key of word shard i, for a stemmed language)
//! t/N.js      "t/N": a run of terms, sorted (UTF-16 order):
//!             { terms: [...], df: [...], postings: [[...], ...],
//!               more: { "i": [[chunk, bound], ...] } }
//! p/T.K.js    "p/T.K": chunk K of term T's postings beyond its shard
//! d/N.js      "d/N": documents N*docShard .. (N+1)*docShard - 1:
//!             { pages: [[page, path, title], ...],
//!               docs: [[page, id, heading, body], ...] }
//! w/N.js      "w/N": a run of the word table, sorted (UTF-16 order):
//!             { words: [...], stems: [...] }, stems[i] the term of
//!             words[i]: a number n for the word less its last n UTF-16
//!             code units, else the term itself, or a list of terms
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

use ahash::AHashMap;
use rayon::prelude::*;

use super::index::{Entry, Index, Words};
use crate::output::Staging;
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

/// A word shard (of the word table) is closed once it holds this many
/// bytes.
const WORD_SHARD_BYTES: usize = 16 * 1024;

/// Documents of a term listed in its shard; more go to chunks.
pub const TOP_DOCS: usize = 400;

/// Documents in a term's first chunk; each next chunk holds four times
/// as many.
const FIRST_CHUNK: usize = 2_000;

/// Weight of a match in each field (search.js: `BOOST`).
const BOOST: [f64; 3] = [4.0, 2.0, 1.0];

/// Terms turned into JSON at once (in parallel).
const TERM_BATCH: usize = 4_096;

/// A term whose posting list takes more bytes than this (some 16,000
/// postings) is made ahead of the batches.
const HEAVY_BYTES: usize = 32 * 1024;

/// Pages whose documents are turned into JSON at once (in parallel).
const PAGE_BATCH: usize = 256;

/// Writes the index in the folder `dir` of the output (`search`, or
/// `fr/search` for a language under its own prefix) and returns the number
/// of documents. `same_docs`: every page gives as many documents as in the
/// build `out` updates, so a document shard made only of reused pages is
/// the same.
pub fn write(
    index: Index,
    records: &[Arc<PageRecord>],
    same_docs: bool,
    dir: &str,
    out: &Staging,
) -> Result<usize> {
    let Index {
        postings,
        lengths,
        count,
        profile,
        words,
    } = index;
    let folder = Folder { dir, out };
    let mut terms: Vec<&str> = postings.keys().map(String::as_str).collect();
    let mut stems: Vec<String> = terms.par_iter().map(|t| chunk_stem(t)).collect();
    stems.par_sort_unstable();
    if let Some(pair) = stems.windows(2).find(|w| w[0] == w[1]) {
        return Err(crate::report::error::Error::Io {
            path: dir.into(),
            source: std::io::Error::other(format!(
                "two index terms hash to {}: report this as a versus bug",
                pair[0]
            )),
        });
    }
    drop(stems);
    // search.js binary-searches with JavaScript's string order (UTF-16).
    terms.par_sort_unstable_by(|a, b| utf16_order(a, b));

    // A term in many documents takes far longer than the others (its
    // postings ranked, its chunks written): these are made first, in
    // parallel, so that no batch below waits on one of them on one thread.
    let part_of = |term: &str| -> Result<TermPart> {
        let list = &postings[term];
        let mut part = term_part(&chunk_stem(term), term, list.entries(), &lengths);
        for (name, bytes) in part.chunks.drain(..) {
            folder.write(&name, &bytes)?;
        }
        Ok(part)
    };
    let heavy: Vec<(&str, TermPart)> = terms
        .par_iter()
        .filter(|term| postings[**term].size() > HEAVY_BYTES)
        .map(|term| Ok((*term, part_of(term)?)))
        .collect::<Result<_>>()?;
    let mut heavy: AHashMap<&str, TermPart> = heavy.into_iter().collect();
    let mut shards = TermShards::default();
    for batch in terms.chunks(TERM_BATCH) {
        let parts: Vec<Option<TermPart>> = batch
            .par_iter()
            .map(|term| match heavy.contains_key(term) {
                true => Ok(None),
                false => part_of(term).map(Some),
            })
            .collect::<Result<_>>()?;
        for (term, part) in batch.iter().zip(parts) {
            if let Some(part) = part.or_else(|| heavy.remove(term)) {
                shards.push(part, folder)?;
            }
        }
    }
    shards.flush(folder)?;
    drop(postings);

    write_docs(records, same_docs, folder)?;

    let mut manifest = serde_json::json!({
        "format": FORMAT,
        "stopWords": profile.stop,
        "docs": count,
        "docShard": DOCS_PER_SHARD,
        "shards": shards.firsts,
    });
    // English's manifest is as it was before languages came in.
    if !profile.english {
        manifest["lang"] = profile.code.clone().into();
        manifest["fold"] = profile.fold.into();
        if profile.word_table() {
            manifest["words"] = write_words(&words, folder)?.into();
        }
    }
    folder.write("index", &script("index", manifest.to_string().as_bytes()))?;
    Ok(count as usize)
}

/// The index's folder in the output.
#[derive(Clone, Copy)]
struct Folder<'a> {
    /// `search`, `fr/search`.
    dir: &'a str,
    out: &'a Staging,
}

impl Folder<'_> {
    /// The output path of file `name` (`t/3`).
    fn path(&self, name: &str) -> String {
        format!("{}/{name}.js", self.dir)
    }

    fn write(&self, name: &str, bytes: &[u8]) -> Result<()> {
        self.out.write(&self.path(name), bytes)
    }
}

/// Writes the word table in shards of about [`WORD_SHARD_BYTES`], keys
/// sorted as JavaScript sorts them; returns the first key of each shard.
/// A term that begins its key is written as the number of UTF-16 code
/// units to drop from the key's end (`vitesses` -> `vitess` is written
/// `2`), any other as the term itself; a key with two terms (spellings
/// that fold alike and stem apart) as the list of both.
fn write_words(words: &Words, folder: Folder<'_>) -> Result<Vec<String>> {
    let mut sorted: Vec<&(String, String)> = words.iter().collect();
    sorted.par_sort_unstable_by(|a, b| utf16_order(&a.0, &b.0).then_with(|| a.1.cmp(&b.1)));
    let mut firsts = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    let mut terms: Vec<String> = Vec::new();
    let mut bytes = 0;
    let mut flush = |keys: &mut Vec<String>, terms: &mut Vec<String>| -> Result<()> {
        let name = format!("w/{}", firsts.len());
        let mut json = String::from("{\"words\":[");
        join_into(&mut json, keys.iter().map(String::as_str));
        json.push_str("],\"stems\":[");
        join_into(&mut json, terms.iter().map(String::as_str));
        json.push_str("]}");
        firsts.push(serde_json::from_str(&keys[0]).unwrap_or_default());
        keys.clear();
        terms.clear();
        folder.write(&name, &script(&name, json.as_bytes()))
    };
    let stem = |key: &str, term: &str| match key.strip_prefix(term) {
        Some(cut) => cut.encode_utf16().count().to_string(),
        None => serde_json::to_string(term).unwrap_or_default(),
    };
    for run in sorted.chunk_by(|a, b| a.0 == b.0) {
        let key = &run[0].0;
        let k = serde_json::to_string(key).unwrap_or_default();
        let t = match run {
            [(_, term)] => stem(key, term),
            _ => {
                let all: Vec<&str> = run.iter().map(|(_, t)| t.as_str()).collect();
                serde_json::to_string(&all).unwrap_or_default()
            }
        };
        bytes += k.len() + t.len() + 2;
        keys.push(k);
        terms.push(t);
        if bytes >= WORD_SHARD_BYTES {
            flush(&mut keys, &mut terms)?;
            bytes = 0;
        }
    }
    if !keys.is_empty() {
        flush(&mut keys, &mut terms)?;
    }
    Ok(firsts)
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
    // Ranked by weight, then by document: each group is found by a
    // selection instead of sorting every document (a common term is in
    // most of a large site's), and read back in document order.
    let weights: Vec<f64> = docs.iter().map(|d| postings.weight(&d.1)).collect();
    let ranks = |a: &usize, b: &usize| weights[*b].total_cmp(&weights[*a]).then(a.cmp(b));
    let mut ends = vec![TOP_DOCS];
    let mut size = FIRST_CHUNK;
    while ends.last().is_some_and(|&e| e < df) {
        let end = ends.last().map_or(df, |&e| (e + size).min(df));
        ends.push(end);
        size *= 4;
    }
    let mut ranked: Vec<usize> = (0..df).collect();
    let mut group = vec![0usize; df];
    let mut start = 0;
    for (g, &end) in ends.iter().enumerate() {
        if end < df {
            ranked[start..].select_nth_unstable_by(end - start, ranks);
        }
        for &i in &ranked[start..end] {
            group[i] = g;
        }
        start = end;
    }
    let mut groups: Vec<Vec<DocRun>> = vec![Vec::new(); ends.len()];
    // Each group's first in rank: (index, document).
    let mut best: Vec<Option<(usize, u32)>> = vec![None; ends.len()];
    for (i, d) in docs.into_iter().enumerate() {
        let g = group[i];
        if best[g].is_none_or(|(b, _)| ranks(&i, &b).is_lt()) {
            best[g] = Some((i, d.0));
        }
        groups[g].push(d);
    }
    let mut groups = groups.into_iter().zip(best);
    if let Some((top, _)) = groups.next() {
        part.postings = postings.json(&top);
    }
    let mut more = Vec::new();
    for (chunk, best) in groups {
        let Some((b, first_doc)) = best else { continue };
        let bound = weights[b];
        let name = format!("p/{stem}.{}", more.len());
        let json = postings.json(&chunk);
        part.chunks
            .push((name.clone(), script(&name, json.as_bytes())));
        more.push(format!(
            "[{},{},{first_doc}]",
            serde_json::json!(name),
            serde_json::json!(bound)
        ));
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
    fn push(&mut self, part: TermPart, out: Folder<'_>) -> Result<()> {
        self.bytes +=
            part.term.len() + part.postings.len() + part.more.as_ref().map_or(0, String::len) + 8;
        self.parts.push(part);
        if self.bytes >= TERM_SHARD_BYTES {
            self.flush(out)?;
        }
        Ok(())
    }

    fn flush(&mut self, out: Folder<'_>) -> Result<()> {
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
        out.write(&name, &script(&name, json.as_bytes()))
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
fn write_docs(records: &[Arc<PageRecord>], same_docs: bool, out: Folder<'_>) -> Result<()> {
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
            .at(std::path::Path::new(out.dir))?;
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
fn write_doc_shard(shard: &DocShard, n: usize, kept: &[bool], out: Folder<'_>) -> Result<()> {
    if kept.get(n).copied().unwrap_or(false) && out.out.keep_unchanged(&out.path(&doc_shard(n))) {
        return Ok(());
    }
    shard.write(n, out)
}

/// The name of document shard `n`.
fn doc_shard(n: usize) -> String {
    format!("d/{n}")
}

/// Per document shard: whether the file `out` updates already holds it
/// (every page with documents in it was reused from the build cache, and
/// documents kept their numbers).
fn kept_doc_shards(records: &[Arc<PageRecord>], same_docs: bool, out: Folder<'_>) -> Vec<bool> {
    let total: usize = records.iter().map(|r| r.docs as usize).sum();
    let count = total.div_ceil(DOCS_PER_SHARD);
    if !same_docs {
        return vec![false; count];
    }
    let mut kept: Vec<bool> = (0..count)
        .map(|n| out.out.knows(&out.path(&doc_shard(n))))
        .collect();
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
    fn write(&self, number: usize, out: Folder<'_>) -> Result<()> {
        let name = doc_shard(number);
        debug_assert!(
            self.docs.iter().all(|d| !d.is_empty()),
            "a kept shard made again"
        );
        let mut json = String::from("{\"pages\":[");
        join_into(&mut json, self.pages.iter().map(|(_, p)| p.as_str()));
        json.push_str("],\"docs\":[");
        join_into(&mut json, self.docs.iter().map(String::as_str));
        json.push_str("]}");
        out.write(&name, &script(&name, json.as_bytes()))
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

    #[test]
    fn shard_and_chunks_follow_a_full_ranking_with_ties() {
        // Weights repeat (count 1-3, lengths 1-50), so ties are broken by
        // document, as a full sort by (weight, document) breaks them.
        let n = TOP_DOCS + FIRST_CHUNK + 9_000;
        let entries: Vec<Entry> = (0..n as u32)
            .map(|doc| Entry {
                doc,
                value: 2 + 3 * (1 + doc % 3),
            })
            .collect();
        let lengths: Vec<u32> = (0..n as u32)
            .flat_map(|d| [0, 0, 1 + (d * 7919) % 50])
            .collect();
        let part = term_part("7", "x", entries.clone(), &lengths);
        let postings = Postings {
            entries: &entries,
            lengths: &lengths,
        };
        let mut ranked: Vec<(f64, u32)> = postings
            .docs()
            .iter()
            .map(|d| (postings.weight(&d.1), d.0))
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let docs_of = |json: &str| -> Vec<u32> {
            let at = json.find('[').unwrap_or(0);
            let end = json.rfind(']').unwrap_or(json.len());
            let nums: Vec<u32> = serde_json::from_str(&json[at..=end]).unwrap_or_default();
            let mut doc = 0;
            nums.chunks(3)
                .map(|t| {
                    doc += t[0];
                    doc
                })
                .collect()
        };
        let sorted = |r: &[(f64, u32)]| {
            let mut d: Vec<u32> = r.iter().map(|x| x.1).collect();
            d.sort_unstable();
            d
        };
        assert_eq!(docs_of(&part.postings), sorted(&ranked[..TOP_DOCS]));
        let more: serde_json::Value =
            serde_json::from_str(part.more.as_deref().unwrap_or("")).unwrap_or_default();
        let (mut start, mut size) = (TOP_DOCS, FIRST_CHUNK);
        // 2,000, then 8,000, then the last 1,000.
        assert_eq!(part.chunks.len(), 3);
        for (k, (_, bytes)) in part.chunks.iter().enumerate() {
            let end = (start + size).min(n);
            let chunk = String::from_utf8_lossy(bytes);
            assert_eq!(docs_of(&chunk), sorted(&ranked[start..end]), "chunk {k}");
            assert_eq!(more[k][1].as_f64(), Some(ranked[start].0), "chunk {k}");
            assert_eq!(more[k][2], ranked[start].1, "chunk {k}");
            start = end;
            size *= 4;
        }
    }
}
