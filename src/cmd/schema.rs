//! `versus schema [NAME] [--out FILE|DIR]`: prints a JSON Schema, writes it
//! to a file, or writes every one into a folder (see [`crate::schema`]).

use std::io::Write;
use std::path::Path;

use crate::cli::SchemaArgs;
use crate::report::error::{Error, IoContext, Result};

pub fn run(args: &SchemaArgs) -> Result<()> {
    match (&args.name, &args.out) {
        (Some(name), None) => std::io::stdout()
            .write_all(text(name)?.as_bytes())
            .at(Path::new("<stdout>")),
        (Some(name), Some(file)) => {
            let text = text(name)?;
            if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).at(parent)?;
            }
            std::fs::write(file, text).at(file)
        }
        (None, Some(dir)) => write_all(dir),
        // clap asks for one or the other.
        (None, None) => Err(Error::Usage(
            "name a schema, or give --out DIR to write them all".into(),
        )),
    }
}

/// Every schema into `dir` as `NAME.json`, so that editor settings can
/// name them once and a new versus rewrites them in place.
fn write_all(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).at(dir)?;
    for (name, _) in crate::schema::NAMES {
        let path = dir.join(format!("{name}.json"));
        std::fs::write(&path, text(name)?).at(&path)?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

/// The schema called `name`, pretty-printed, or a usage error listing the
/// known names.
fn text(name: &str) -> Result<String> {
    let Some(schema) = crate::schema::get(name) else {
        let known: Vec<String> = crate::schema::NAMES
            .iter()
            .map(|(n, what)| format!("{n} ({what})"))
            .collect();
        return Err(Error::Usage(format!(
            "no schema `{name}`: versus knows {}",
            known.join(", ")
        )));
    };
    Ok(serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n")
}
