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

/// A French comparison site: one small page per subject, in French.
fn french_site() -> Site {
    Site::new()
        .file("versus.toml", "title = \"Comparaison\"\nlanguage = \"fr\"\n")
        .file(
            "content/_index.md",
            "+++\ntitle = \"Accueil\"\n+++\nUne comparaison de Node.js et de Python.\n",
        )
        .file(
            "content/vitesse.md",
            "+++\ntitle = \"Mesures\"\n+++\n## Débit\n\nLes vitesses d'exécution des serveurs HTTP.\n",
        )
        .file(
            "content/perf.md",
            "+++\ntitle = \"Coût\"\n+++\n## Mémoire\n\nLa performance dépend du ramasse-miettes.\n",
        )
        .file(
            "content/resume.md",
            "+++\ntitle = \"Résumé\"\n+++\nCe qu'il faut retenir : les données mesurées.\n",
        )
}

/// Runs tests/search/query.cjs: per query, (results, marked words, files read).
fn query(node: &Path, public: &Path, queries: &[&str]) -> Vec<(Vec<String>, Vec<String>, usize)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = stdout_ok(
        Command::new(node)
            .arg(root.join("tests/search/query.cjs"))
            .arg(root.join("themes/default/static/search.js"))
            .arg(public.join("search"))
            .args(queries),
    );
    let strings = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect()
    };
    out.lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let files = v["files"].as_array().unwrap().len();
            (strings(&v["results"]), strings(&v["marked"]), files)
        })
        .collect()
}

/// French: accents folded and words stemmed on both sides, the reader's
/// words looked up in the index's word table (no stemmer in the browser);
/// a form the site does not have finds the forms it has.
#[test]
fn french_site_finds_accented_and_plural_forms() {
    let Some(node) = common::require_program("node") else {
        return;
    };
    let site = french_site();
    site.build().ok();
    let manifest = site.out("search/index.js");
    assert!(manifest.contains("\"lang\":\"fr\""), "{manifest}");
    assert!(manifest.contains("\"fold\":true"), "{manifest}");
    assert!(site.public().join("search/w/0.js").is_file());
    let queries = [
        // (query, the page of the first result)
        ("vitesse", "vitesse.html"),
        ("vitesse ", "vitesse.html"),
        ("VITESSES ", "vitesse.html"),
        ("vites", "vitesse.html"),
        ("performances ", "perf.html"),
        ("performance ", "perf.html"),
        ("resume ", "resume.html"),
        ("Résumé ", "resume.html"),
        ("execution ", "vitesse.html"),
        ("Exécutions ", "vitesse.html"),
        ("donnee ", "resume.html"),
        ("memoire ", "perf.html"),
        ("cout", "perf.html"),
    ];
    let asked: Vec<&str> = queries.iter().map(|(q, _)| *q).collect();
    let got = query(&node, &site.public(), &asked);
    for ((q, page), (results, _, _)) in queries.iter().zip(&got) {
        let first = results.first().map(String::as_str).unwrap_or("");
        assert!(first.starts_with(page), "{q:?} found {results:?}");
    }
    // The word as written is marked in the result.
    assert!(got[1].1.contains(&"vitesses".to_string()), "{:?}", got[1]);
    assert!(got[6].1.contains(&"Résumé".to_string()), "{:?}", got[6]);
    // "mesure" finds "Mesures" (a title) and "mesurées" (a participle).
    let mesure = query(&node, &site.public(), &["mesure ", "les ", "kumquat "]);
    let pages: Vec<&str> = mesure[0]
        .0
        .iter()
        .map(|r| r.split('#').next().unwrap_or(""))
        .collect();
    assert!(
        pages.contains(&"vitesse.html") && pages.contains(&"resume.html"),
        "{mesure:?}"
    );
    // A stop word alone, and a word of no page, find nothing.
    assert!(
        mesure[1].0.is_empty() && mesure[2].0.is_empty(),
        "{mesure:?}"
    );
}

/// A comparison matrix is searchable: its title, criteria, notes and
/// cells, in the page's language, under the heading it stands under; a
/// results table adds no words (its figures are not what readers type).
#[test]
fn a_matrix_is_found_by_its_criteria_notes_and_cells() {
    let Some(node) = common::require_program("node") else {
        return;
    };
    let site = Site::new()
        .file("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHello.\n")
        .file(
            "content/db.md",
            "+++\ntitle = \"Databases\"\n+++\n## Matrix\n\n{{ compare(data=\"m.toml\") }}\n\n\
             ## Results\n\n{{ bench_table(data=\"r.csv\") }}\n",
        )
        .file(
            "content/m.toml",
            "title = \"Engines\"\nsubjects = [\"PostgreSQL\", \"DuckDB\"]\n\n[[rows]]\n\
             criterion = \"Columnar analytics\"\nPostgreSQL = \"Row store\"\nDuckDB = \"Vectorised\"\n\
             edge = \"DuckDB\"\nnote = \"Matters for kumquat scans.\"\n",
        )
        .file(
            "content/r.csv",
            "benchmark,subject,value\nzebrafish,PostgreSQL,1.5\nzebrafish,DuckDB,2.5\n",
        );
    site.build().ok();
    let got = query(
        &node,
        &site.public(),
        &[
            "columnar ",
            "vectorised ",
            "kumquat ",
            "engines ",
            "zebrafish ",
        ],
    );
    for (q, (results, _, _)) in ["columnar", "vectorised", "kumquat", "engines"]
        .iter()
        .zip(&got)
    {
        assert_eq!(
            results.first().map(String::as_str),
            Some("db.html#matrix"),
            "{q}: {results:?}"
        );
    }
    assert!(got[4].0.is_empty(), "a results table's words: {:?}", got[4]);
}
