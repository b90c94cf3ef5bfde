//! The sharded search index against the whole index: search.js loads a
//! few files per query, and must rank exactly as an exhaustive search over
//! every posting does (tests/search/compare.cjs runs both under Node).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use std::path::Path;
use std::process::Command;

use common::{Site, stdout_ok};

/// Runs compare.cjs over the site's index; returns (query, bytes read) and
/// fails on any query ranked differently.
fn compare(node: &Path, public: &Path, queries: &Path) -> Vec<(String, u64)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = stdout_ok(
        Command::new(node)
            .arg(root.join("tests/search/compare.cjs"))
            .arg(root.join("themes/default/static/search.js"))
            .arg(public.join("search"))
            .arg(queries),
    );
    let mut seen = Vec::new();
    for line in out.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let query = v["query"].as_str().unwrap().to_string();
        assert_eq!(
            v["sharded"], v["whole"],
            "query {query:?} ranks differently from the whole index"
        );
        seen.push((query, v["bytes"].as_u64().unwrap()));
    }
    seen
}

#[test]
fn bundled_site_ranks_as_with_the_whole_index() {
    let Some(node) = common::require_program("node") else {
        return;
    };
    let (out, _) = common::build_bundled(&[]);
    let queries = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/search/queries.txt");
    let seen = compare(&node, &out.path().join("public"), &queries);
    assert!(seen.len() >= 30, "{seen:?}");
}

/// Words of the generated pages, the first far more common than the last.
const WORDS: &[&str] = &[
    "server", "request", "python", "node", "thread", "loop", "event", "memory", "cache", "worker",
    "socket", "stream", "buffer", "queue", "timer", "module", "package", "kumquat",
];

#[test]
fn terms_with_chunked_postings_rank_as_with_the_whole_index() {
    let Some(node) = common::require_program("node") else {
        return;
    };
    // 320 pages of 12 sections: common words are in thousands of
    // documents, so their postings go past the shard into chunks.
    let mut site = Site::new();
    let mut seed = 12_345u64;
    let mut next = move |n: usize| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((seed >> 33) as usize) % n
    };
    for p in 0..320 {
        let mut text = format!("+++\ntitle = \"Page {p} {}\"\n+++\n", WORDS[next(6)]);
        for h in 0..12 {
            text.push_str(&format!("\n## {} {h}\n\n", WORDS[next(WORDS.len())]));
            for _ in 0..(5 + next(40)) {
                // Skewed: low word numbers much more often.
                let w = next(WORDS.len()).min(next(WORDS.len()));
                text.push_str(WORDS[w]);
                text.push(' ');
            }
            text.push('\n');
        }
        site = site.file(&format!("content/p{p:03}.md"), &text);
    }
    site.build().ok();
    let chunks = std::fs::read_dir(site.public().join("search/p")).map_or(0, |d| d.count());
    assert!(chunks > 5, "no term went past its shard ({chunks} chunks)");
    let queries = site.root().join("queries.txt");
    std::fs::write(
        &queries,
        "server\nserver \nserv\nnode\nno\npython thread\nthread python \nkumquat\nkumquat server\n\
         memory cache worker\nsocket\nreq\nevent loop \npage\nnode kumquat timer\n",
    )
    .unwrap();
    let seen = compare(&node, &site.public(), &queries);
    // One common word reads its shard, not every chunk of its postings.
    let total: u64 = std::fs::read_dir(site.public().join("search/p"))
        .unwrap()
        .flatten()
        .map(|e| e.metadata().unwrap().len())
        .sum();
    let server = seen.iter().find(|(q, _)| q == "server ").unwrap().1;
    assert!(
        server < total / 2,
        "`server ` read {server} bytes, chunks hold {total}"
    );
}
