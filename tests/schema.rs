//! `versus schema`: the JSON Schemas accept every real file of their kind
//! in the bundled site and in a site `versus init` makes, and reject a
//! misspelt key. Checked with Python's `jsonschema` (installed by .ci/run).
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
    let out = Command::new(common::BIN)
        .args(["schema", name, "--out"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
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
    let out = Command::new(common::BIN)
        .arg("init")
        .arg(&init)
        .output()
        .unwrap();
    assert!(out.status.success());

    let config = schema(tmp.path(), "config");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (ok, text) = validate(
        &python,
        &config,
        &[root.join("versus.toml"), init.join("versus.toml")],
    );
    assert!(ok, "{text}");

    let matrix = schema(tmp.path(), "matrix");
    let matrices = files("content/data", |n| n.ends_with(".toml"));
    let (ok, text) = validate(&python, &matrix, &matrices);
    assert!(ok, "{text}");

    let meta = schema(tmp.path(), "bench-meta");
    let metas = files("content/benchmarks/results", |n| n.ends_with(".meta.toml"));
    let (ok, text) = validate(&python, &meta, &metas);
    assert!(ok, "{text}");

    // A misspelt key in each kind of file is flagged.
    let typo_config = tmp.path().join("versus.toml");
    std::fs::write(
        &typo_config,
        "title = \"T\"\n[highlight]\nlight_theem = \"x\"\n",
    )
    .unwrap();
    let typo_matrix = tmp.path().join("m.toml");
    std::fs::write(
        &typo_matrix,
        "subjects = [\"A\", \"B\"]\ntitel = \"x\"\n[[rows]]\ncriterion = \"c\"\nA = \"1\"\nB = \"2\"\n",
    )
    .unwrap();
    let typo_meta = tmp.path().join("x.meta.toml");
    std::fs::write(&typo_meta, "machnie = \"laptop\"\n").unwrap();
    for (schema, file) in [
        (&config, &typo_config),
        (&matrix, &typo_matrix),
        (&meta, &typo_meta),
    ] {
        let (ok, text) = validate(&python, schema, std::slice::from_ref(file));
        assert!(
            !ok && text.contains("bad"),
            "{} accepted {}: {text}",
            schema.display(),
            file.display()
        );
    }
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
        err.contains("config") && err.contains("matrix") && err.contains("bench-meta"),
        "{err}"
    );
}
