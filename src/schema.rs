//! JSON Schemas for the files authors write, so that an editor can
//! complete keys and flag mistakes while they type (docs/editors.md):
//! `versus.toml`, comparison matrices, benchmark metadata
//! (`NAME.meta.toml`), benchmark results in JSON, TOML or YAML, and
//! benchmark definitions (`benchmarks.toml`), and pages' front matter. All but
//! the matrix come from the types the build reads them into, so they cannot
//! drift from what versus accepts; a matrix has one key per subject, which
//! serde does not see, so its schema is written here after docs/data.md.

use serde_json::{Value, json};

/// The schemas `versus schema` knows, by name, with what each describes.
pub const NAMES: &[(&str, &str)] = &[
    ("config", "versus.toml"),
    ("front-matter", "a page's front matter (TOML or YAML)"),
    (
        "matrix",
        "a comparison matrix (content/**/*.toml, *.yaml, *.json)",
    ),
    ("bench-meta", "benchmark metadata (content/**/*.meta.toml)"),
    (
        "results",
        "benchmark results in JSON, TOML or YAML (`meta` and `results`)",
    ),
    (
        "benchmarks",
        "benchmark definitions (content/benchmarks/benchmarks.toml)",
    ),
];

/// The schema called `name` (one of [`NAMES`]).
pub fn get(name: &str) -> Option<Value> {
    let (schema, title) = match name {
        "config" => (
            serde_json::to_value(schemars::schema_for!(crate::config::Config)).ok()?,
            "versus.toml",
        ),
        "front-matter" => (
            serde_json::to_value(schemars::schema_for!(
                crate::content::front_matter::FrontMatter
            ))
            .ok()?,
            "versus page front matter",
        ),
        "matrix" => (matrix(), "versus comparison matrix"),
        "bench-meta" => (
            serde_json::to_value(schemars::schema_for!(crate::data::results::Meta)).ok()?,
            "versus benchmark metadata",
        ),
        "results" => (
            serde_json::to_value(crate::data::results::structured_schema()).ok()?,
            "versus benchmark results",
        ),
        "benchmarks" => (
            serde_json::to_value(crate::bench::define::schema()).ok()?,
            "versus benchmark definitions",
        ),
        _ => return None,
    };
    let mut schema = schema;
    if let Some(map) = schema.as_object_mut() {
        map.insert("title".into(), json!(title));
        map.insert(
            "$id".into(),
            json!(format!(
                "versus-{}-{}.schema.json",
                name,
                env!("CARGO_PKG_VERSION")
            )),
        );
    }
    Some(schema)
}

/// A comparison matrix (docs/data.md, "Comparison matrices").
fn matrix() -> Value {
    let text = json!({ "type": "string" });
    let link = json!({
        "type": "string",
        "description": "An http(s):// address or a path under content/.",
        "pattern": "^(https?://|[^:]*$)",
    });
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "description": "A table of criteria, one column per subject, each row saying who has the edge.",
        "required": ["subjects", "rows"],
        "additionalProperties": {
            "type": "object",
            "description": "The title and description in the language the key names (`fr`).",
            "properties": { "title": text, "description": text },
            "additionalProperties": false,
        },
        "properties": {
            "title": { "type": "string", "description": "The table's caption." },
            "description": text,
            "source": link,
            "subjects": {
                "type": "array",
                "description": "The things compared, one column each, in this order.",
                "items": { "type": "string", "minLength": 1, "not": { "enum": ["criterion", "edge", "note", "source"] } },
                "minItems": 2,
                "uniqueItems": true,
            },
            "unmeasured": {
                "type": "array",
                "description": "Figures in the matrix that are not measurements (versus check does not ask for their source).",
                "items": text,
            },
            "rows": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "description": "One criterion; one key per subject, spelled as in `subjects`.",
                    "required": ["criterion"],
                    "properties": {
                        "criterion": { "type": "string", "description": "What the row compares (inline Markdown)." },
                        "edge": {
                            "description": "Who comes out ahead: a subject, a list of subjects, \"tie\", or \"measured\" (decided from the results the row's cells quote).",
                            "oneOf": [
                                { "type": "string" },
                                { "type": "array", "items": { "type": "string" }, "minItems": 1 },
                            ],
                        },
                        "note": { "type": "string", "description": "A remark under the criterion (inline Markdown)." },
                        "source": link,
                    },
                    "additionalProperties": {
                        "oneOf": [
                            { "type": ["string", "number", "boolean"], "description": "A subject's entry." },
                            {
                                "type": "object",
                                "description": "The row's criterion, note and entries in the language the key names (`fr`).",
                                "additionalProperties": { "type": "string" },
                            },
                        ],
                    },
                },
            },
        },
    })
}
