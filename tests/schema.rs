//! `versus schema`: the JSON Schemas accept every real file of their kind
//! in the bundled site, in a site `versus init` makes and in the examples
//! of docs/data.md, and reject a misspelt key. Checked with Python's
//! `jsonschema` (installed by .ci/run).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use std::path::{Path, PathBuf};
use std::process::Command;

fn python_with_jsonschema() -> Option<PathBuf> {
    let python = common::require_program("python3")?;
    let ok = Command::new(&python)
        .args(["-c", "import jsonschema"])
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            !common::in_ci(),
            "Python's jsonschema is required under CI=true: run .ci/run"
        );
        eprintln!("SKIPPED: python3 has no jsonschema module (run .ci/run)");
        return None;
    }
    Some(python)
}

/// Writes schema `name` into `dir` with the real binary.
fn schema(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(format!("{name}.json"));
    common::versus_ok(dir, ["schema", name, "--out", &format!("{name}.json")]);
    path
}

/// Runs the validator; (passed, its output).
fn validate(python: &Path, schema: &Path, files: &[PathBuf]) -> (bool, String) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schema/validate.py");
    let out = Command::new(python)
        .arg(script)
        .arg(schema)
        .args(files)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn files(dir: &str, keep: impl Fn(&str) -> bool) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| keep(&p.file_name().unwrap().to_string_lossy()))
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no files in {dir}");
    out
}

#[test]
fn schemas_accept_the_real_files_and_reject_a_misspelt_key() {
    let Some(python) = python_with_jsonschema() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let init = tmp.path().join("site");
    common::versus_ok(tmp.path(), ["init", "site"]);

    let config = schema(tmp.path(), "config");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (ok, text) = validate(
        &python,
        &config,
        &[root.join("versus.toml"), init.join("versus.toml")],
    );
    assert!(ok, "{text}");

    // The TOML front matter of the bundled pages, each as a file.
    let front = schema(tmp.path(), "front-matter");
    let mut fronts = Vec::new();
    for page in files("content", |n| n.ends_with(".md")) {
        let text = std::fs::read_to_string(&page).unwrap();
        let Some(toml) = text
            .strip_prefix("+++\n")
            .and_then(|t| t.split("\n+++").next())
        else {
            continue;
        };
        let file = tmp.path().join(format!("front-{}.toml", fronts.len()));
        std::fs::write(&file, toml).unwrap();
        fronts.push(file);
    }
    assert!(
        fronts.len() >= 10,
        "{} pages with front matter",
        fronts.len()
    );
    let (ok, text) = validate(&python, &front, &fronts);
    assert!(ok, "{text}");

    let matrix = schema(tmp.path(), "matrix");
    let matrices = files("content/data", |n| n.ends_with(".toml"));
    let (ok, text) = validate(&python, &matrix, &matrices);
    assert!(ok, "{text}");

    let meta = schema(tmp.path(), "bench-meta");
    let metas = files("content/benchmarks/results", |n| n.ends_with(".meta.toml"));
    let (ok, text) = validate(&python, &meta, &metas);
    assert!(ok, "{text}");

    let results = schema(tmp.path(), "results");
    let examples = results_examples(tmp.path());
    let (ok, text) = validate(&python, &results, &examples);
    assert!(ok, "{text}");

    let benchmarks = schema(tmp.path(), "benchmarks");
    let mut definitions = vec![root.join("content/benchmarks/benchmarks.toml")];
    definitions.extend(definition_examples(tmp.path()));
    let (ok, text) = validate(&python, &benchmarks, &definitions);
    assert!(ok, "{text}");

    let front = schema(tmp.path(), "front-matter");
    let root_pages = front_matters(&root.join("content"), tmp.path());
    assert!(root_pages.len() > 10, "{root_pages:?}");
    let mut pages = root_pages;
    pages.extend(front_matters(&init.join("content"), tmp.path()));
    let written = tmp.path().join("front-written.toml");
    std::fs::write(
        &written,
        "title = \"A\"\ndate = 2024-01-02\nupdated = 2025-03-01T10:00:00Z\naliases = [\"old.html\"]\n[extra]\nx = 1\n",
    )
    .unwrap();
    pages.push(written);
    let (ok, text) = validate(&python, &front, &pages);
    assert!(ok, "{text}");

    // A misspelt key in each kind of file is flagged.
    for (schema, name, text) in [
        (
            &config,
            "versus.toml",
            "title = \"T\"\n[highlight]\nlight_theem = \"x\"\n",
        ),
        (
            &matrix,
            "m.toml",
            "subjects = [\"A\", \"B\"]\ntitel = \"x\"\n[[rows]]\ncriterion = \"c\"\nA = \"1\"\nB = \"2\"\n",
        ),
        (&meta, "x.meta.toml", "machnie = \"laptop\"\n"),
        (&front, "f.toml", "title = \"T\"\nimgae = \"cover.png\"\n"),
        (
            &front,
            "front.toml",
            "title = \"A\"\nalias = [\"old.html\"]\n",
        ),
        (&front, "front-date.toml", "updated = \"soon\"\n"),
        (
            &results,
            "r.toml",
            "[[results]]\nbenchmark = \"b\"\nsubjet = \"A\"\nvalue = 1\n",
        ),
        (
            &results,
            "rm.toml",
            "[meta]\ntitel = \"x\"\n[[results]]\nbenchmark = \"b\"\nsubject = \"A\"\nvalue = 1\n",
        ),
        (&benchmarks, "b1.toml", "max_age_day = 30\n"),
        (
            &benchmarks,
            "b2.toml",
            "[[benchmark]]\nname = \"b\"\nresults = \"r\"\ncomand = \"true\"\n",
        ),
        (
            &benchmarks,
            "b3.toml",
            "[[runtime]]\nname = \"Node.js\"\nprogramm = \"node\"\n",
        ),
        (
            &benchmarks,
            "b4.toml",
            "[[benchmark]]\nname = \"b\"\nresults = \"r\"\n[[benchmark.measure]]\nfrom = \"cpu\"\n",
        ),
    ] {
        let file = tmp.path().join(name);
        std::fs::write(&file, text).unwrap();
        let (ok, text) = validate(&python, schema, std::slice::from_ref(&file));
        assert!(
            !ok && text.contains("bad"),
            "{} accepted {}: {text}",
            schema.display(),
            file.display()
        );
    }
}

/// The front matter of every page of `content` (TOML only: the
/// validator's Python need not read YAML), each written to a file.
fn front_matters(content: &Path, dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![content.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let Some(rest) = text.strip_prefix("+++\n") else {
                continue;
            };
            if path.extension().is_some_and(|e| e == "md") {
                let front = rest.split("\n+++").next().unwrap();
                let file = dir.join(format!("front-{}.toml", out.len()));
                std::fs::write(&file, front).unwrap();
                out.push(file);
            }
        }
    }
    out
}

/// The examples of benchmark definitions in docs/bench.md (its ```toml
/// blocks with a definition table), each written to a file for the
/// validator; `versus bench --list` is not run on them, since their
/// folders and programs do not exist here, but each parses as TOML.
fn definition_examples(dir: &Path) -> Vec<PathBuf> {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/bench.md"))
        .unwrap();
    let tables = [
        "[[benchmark]]",
        "[[runtime]]",
        "[environment]",
        "[quiet]",
        "[defaults]",
    ];
    let mut out = Vec::new();
    for (i, block) in doc.split("```toml\n").skip(1).enumerate() {
        let block = block.split("```").next().unwrap();
        if !tables.iter().any(|t| block.lines().any(|l| l.trim() == *t)) {
            continue;
        }
        let file = dir.join(format!("bench-example-{i}.toml"));
        std::fs::write(&file, block).unwrap();
        out.push(file);
    }
    assert!(
        out.len() >= 5,
        "read the definition examples of docs/bench.md: {}",
        out.len()
    );
    out
}

/// The results files of docs/data.md ("JSON, TOML and YAML"), written into
/// a site that builds a table from each (so versus accepts them), as files
/// the validator reads: YAML turned into JSON here, since the validator's
/// Python need not have a YAML module.
fn results_examples(dir: &Path) -> Vec<PathBuf> {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/data.md"))
        .unwrap();
    let section = doc
        .split("### JSON, TOML and YAML\n")
        .nth(1)
        .and_then(|s| s.split("\n### ").next())
        .expect("docs/data.md has a section \"JSON, TOML and YAML\"");
    let site = common::Site::new();
    let mut page = String::from("+++\ntitle = \"Results\"\n+++\n");
    let mut out = Vec::new();
    for ext in ["json", "toml", "yaml"] {
        let block = section
            .split(&format!("```{ext}\n"))
            .nth(1)
            .and_then(|b| b.split("```").next())
            .unwrap_or_else(|| panic!("no {ext} example in the section"));
        site.write(&format!("content/bench/example.{ext}"), block);
        page.push_str(&format!(
            "\n{{{{ bench_table(data=\"bench/example.{ext}\") }}}}\n"
        ));
        let file = dir.join(format!(
            "example-{ext}.{}",
            if ext == "yaml" { "json" } else { ext }
        ));
        if ext == "yaml" {
            let value: serde_json::Value = serde_norway::from_str(block).unwrap();
            std::fs::write(&file, serde_json::to_string(&value).unwrap()).unwrap();
        } else {
            std::fs::write(&file, block).unwrap();
        }
        out.push(file);
    }
    site.write("content/_index.md", &page);
    site.build().ok();
    assert_eq!(
        site.out("index.html").matches("<table").count(),
        3,
        "a table from each example"
    );
    out
}

#[test]
fn schema_out_without_a_name_writes_every_schema_into_a_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join(".vscode/schemas");
    common::versus_ok(tmp.path(), ["schema", "--out", ".vscode/schemas"]);
    let mut written: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(
        written,
        [
            "bench-meta.json",
            "benchmarks.json",
            "config.json",
            "front-matter.json",
            "matrix.json",
            "results.json"
        ]
    );
    for name in ["config", "matrix", "bench-meta", "results", "benchmarks"] {
        let printed = Command::new(common::BIN)
            .args(["schema", name])
            .output()
            .unwrap();
        assert!(printed.status.success());
        assert_eq!(
            printed.stdout,
            std::fs::read(dir.join(format!("{name}.json"))).unwrap(),
            "{name}"
        );
    }
    // One schema to a file makes its folder too.
    let file = tmp.path().join("one/matrix.json");
    common::versus_ok(tmp.path(), ["schema", "matrix", "-o", "one/matrix.json"]);
    assert_eq!(
        std::fs::read(file).unwrap(),
        std::fs::read(dir.join("matrix.json")).unwrap()
    );
    // Neither a name nor --out is a usage error.
    let none = Command::new(common::BIN).arg("schema").output().unwrap();
    assert_eq!(none.status.code(), Some(2));
}

#[test]
fn an_unknown_schema_name_is_a_usage_error_listing_the_known_ones() {
    let out = Command::new(common::BIN)
        .args(["schema", "nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        ["config", "matrix", "bench-meta", "results", "benchmarks"]
            .iter()
            .all(|n| err.contains(n)),
        "{err}"
    );
}

/// The VS Code setup in docs/editors.md: its command writes the schemas,
/// its settings are valid JSON naming only files that command writes, and
/// Even Better TOML's patterns give each TOML file of the bundled site the
/// schema of its kind, and no more than one.
#[test]
fn the_vs_code_settings_in_the_docs_give_each_file_its_schema() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/editors.md")).unwrap();
    let vscode = doc.split("## VS Code\n").nth(1).unwrap();
    let block = |lang: &str| -> &str {
        vscode
            .split(&format!("```{lang}\n"))
            .nth(1)
            .and_then(|b| b.split("```").next())
            .unwrap_or_else(|| panic!("no {lang} block under VS Code"))
    };
    let command: Vec<&str> = block("sh").split_whitespace().collect();
    assert_eq!(command[..3], ["versus", "schema", "--out"]);
    let site = tempfile::tempdir().unwrap();
    common::versus_ok(site.path(), &command[1..]);

    let settings = block("json");
    let parsed: serde_json::Value = serde_json::from_str(settings).unwrap();
    let named: Vec<&str> = regex::Regex::new(r"\./\.vscode/schemas/[a-z-]+\.json")
        .unwrap()
        .find_iter(settings)
        .map(|m| m.as_str())
        .collect();
    for file in &named {
        assert!(site.path().join(file).is_file(), "the settings name {file}");
    }
    for name in ["config", "matrix", "bench-meta", "results", "benchmarks"] {
        let file = format!("./.vscode/schemas/{name}.json");
        assert!(
            named.contains(&file.as_str()),
            "the settings never use {file}"
        );
    }

    let toml = parsed["evenBetterToml.schema.associations"]
        .as_object()
        .unwrap();
    let schemas_for = |path: &Path| -> Vec<String> {
        let url = format!("file://{}", path.display());
        toml.iter()
            .filter(|(pattern, _)| regex::Regex::new(pattern).unwrap().is_match(&url))
            .map(|(_, schema)| schema.as_str().unwrap().to_string())
            .collect()
    };
    let schema = |name: &str| vec![format!("./.vscode/schemas/{name}.json")];
    assert_eq!(schemas_for(&root.join("versus.toml")), schema("config"));
    for file in files("content/data", |n| n.ends_with(".toml")) {
        assert_eq!(schemas_for(&file), schema("matrix"), "{}", file.display());
    }
    for file in files("content/benchmarks/results", |n| n.ends_with(".toml")) {
        assert_eq!(
            schemas_for(&file),
            schema("bench-meta"),
            "{}",
            file.display()
        );
    }
    let results = root.join("content/benchmarks/results/startup.toml");
    assert_eq!(schemas_for(&results), schema("results"));
    assert_eq!(
        schemas_for(&root.join("content/benchmarks/benchmarks.toml")),
        schema("benchmarks")
    );
}
