//! The data stage: data files (CSV, JSON, TOML, YAML) beside the articles,
//! loaded into values that templates and shortcodes read.

use std::path::Path;

/// Loads any data file under `content_dir` as a template value: CSV as a
/// list of records (one map per row, keyed by the header), the others as
/// they are written. Errors are one line, naming the file.
pub fn load_value(content_dir: &Path, rel: &str) -> Result<tera::Value, String> {
    let rel = rel.trim_start_matches('/');
    let Some(clean) = crate::paths::join("", rel) else {
        return Err(format!("load_data: `{rel}` leaves content/"));
    };
    let path = content_dir.join(&clean);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("load_data: content/{clean}: {e}"))?;
    let ext = clean.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let value: serde_json::Value = match ext.as_str() {
        "json" => serde_json::from_str(&text).map_err(|e| format!("content/{clean}: {e}"))?,
        "toml" => toml::from_str(&text).map_err(|e| format!("content/{clean}: {}", e.message()))?,
        "yaml" | "yml" => serde_norway::from_str(&text).map_err(|e| format!("content/{clean}: {e}"))?,
        "csv" => {
            let mut reader = csv::Reader::from_reader(text.as_bytes());
            let mut rows = Vec::new();
            for record in reader.deserialize::<std::collections::BTreeMap<String, String>>() {
                rows.push(serde_json::to_value(record.map_err(|e| format!("content/{clean}: {e}"))?).unwrap_or_default());
            }
            serde_json::Value::Array(rows)
        }
        _ => return Err(format!("load_data: content/{clean} is not CSV, JSON, TOML or YAML")),
    };
    Ok(tera::Value::from_serializable(&value))
}
