//! `versus schema NAME`: prints a JSON Schema (see [`crate::schema`]).

use std::io::Write;

use crate::cli::SchemaArgs;
use crate::error::{Error, IoContext, Result};

pub fn run(args: &SchemaArgs) -> Result<()> {
    let Some(schema) = crate::schema::get(&args.name) else {
        let known: Vec<String> = crate::schema::NAMES
            .iter()
            .map(|(n, what)| format!("{n} ({what})"))
            .collect();
        return Err(Error::Usage(format!(
            "no schema `{}`: versus knows {}",
            args.name,
            known.join(", ")
        )));
    };
    let text = serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n";
    match &args.out {
        Some(path) => std::fs::write(path, text).at(path),
        None => std::io::stdout()
            .write_all(text.as_bytes())
            .at(std::path::Path::new("<stdout>")),
    }
}
