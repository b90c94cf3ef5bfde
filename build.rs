//! Compile-time work: embed the default theme (templates and static files)
//! into the binary, and refuse to compile when one of its templates does not
//! parse, so a broken theme never ships.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let theme = Path::new("themes/default");
    println!("cargo:rerun-if-changed=themes/default");
    println!("cargo:rerun-if-changed=src/render/names.rs");

    let mut files: Vec<(String, std::path::PathBuf)> = Vec::new();
    for entry in walkdir::WalkDir::new(theme).sort_by_file_name() {
        let entry = entry.unwrap_or_else(|e| panic!("cannot walk {}: {e}", theme.display()));
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(theme)
            .unwrap_or(entry.path())
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        let abs = std::fs::canonicalize(entry.path())
            .unwrap_or_else(|e| panic!("{}: {e}", entry.path().display()));
        files.push((rel, abs));
    }

    check_templates(&files);

    let mut code =
        String::from("/// The default theme's files: (path under the theme folder, contents).\n");
    code.push_str("pub static FILES: &[(&str, &[u8])] = &[\n");
    for (rel, abs) in &files {
        let _ = writeln!(
            code,
            "    ({rel:?}, include_bytes!({:?})),",
            abs.display().to_string()
        );
    }
    code.push_str("];\n");
    let out =
        Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join("theme_files.rs");
    std::fs::write(&out, code).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
}

mod names {
    include!("src/render/names.rs");
}

/// Parses every template with the same functions and filters the renderer
/// registers, so an unknown name or a syntax error fails the build.
fn check_templates(files: &[(String, std::path::PathBuf)]) {
    let mut tera = tera::Tera::default();
    for name in names::FUNCTIONS {
        tera.register_function(*name, |_: tera::Kwargs, _: &tera::State| {
            tera::Value::none()
        });
    }
    for name in names::FILTERS {
        tera.register_filter(*name, |v: tera::Value, _: tera::Kwargs, _: &tera::State| v);
    }
    let mut templates = Vec::new();
    for (rel, abs) in files {
        if let Some(name) = rel.strip_prefix("templates/") {
            let text =
                std::fs::read_to_string(abs).unwrap_or_else(|e| panic!("{}: {e}", abs.display()));
            templates.push((name.to_string(), text));
        }
    }
    if let Err(e) = tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
    {
        panic!("a default theme template does not parse:\n{e}");
    }
}
