//! The modules of src/ depend on each other one way: no loop between two
//! top-level modules, and the loading and parsing stages (config, content,
//! markdown, data and the leaves they share) never reach into rendering,
//! publishing, serving or the commands. Read from the source: every
//! `crate::NAME` outside comments and test modules is an edge.
//! Beside the graph: commands stay thin, and errors are typed, not strings.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// `(path under src/, text)` of every Rust file in src/, by path.
fn source_files() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&src).sort_by_file_name() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        files.push((rel, std::fs::read_to_string(path).unwrap()));
    }
    files
}

/// Top-level module -> the top-level modules it names.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (rel, text) in source_files() {
        let top = rel
            .split('/')
            .next()
            .unwrap()
            .trim_end_matches(".rs")
            .to_string();
        if top == "main" || top == "lib" {
            continue;
        }
        // Test modules may use anything.
        let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or("");
        let edges = graph.entry(top.clone()).or_default();
        for line in text.lines() {
            let code = line.split("//").next().unwrap_or("");
            let mut rest = code;
            while let Some(at) = rest.find("crate::") {
                rest = &rest[at + 7..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() && name != top {
                    edges.insert(name);
                }
            }
        }
    }
    graph
}

/// Every module `from` reaches.
fn reach(graph: &BTreeMap<String, BTreeSet<String>>, from: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![from.to_string()];
    while let Some(m) = todo.pop() {
        for next in graph.get(&m).into_iter().flatten() {
            if seen.insert(next.clone()) {
                todo.push(next.clone());
            }
        }
    }
    seen
}

#[test]
fn no_two_modules_depend_on_each_other() {
    let graph = graph();
    assert!(graph.len() > 10, "read the modules: {graph:?}");
    let loops: Vec<String> = graph
        .keys()
        .filter(|m| reach(&graph, m).contains(*m))
        .cloned()
        .collect();
    assert!(loops.is_empty(), "modules in a loop: {loops:?}\n{graph:#?}");
}

#[test]
fn loading_and_parsing_never_reach_rendering_publishing_serving_or_commands() {
    let graph = graph();
    for lower in ["config", "content", "markdown", "data"] {
        let reached = reach(&graph, lower);
        for upper in ["render", "publish", "serve", "cmd", "pipeline", "watch"] {
            assert!(
                !reached.contains(upper),
                "{lower} reaches {upper}: {:?}",
                graph.get(lower)
            );
        }
    }
}

#[test]
fn the_pipeline_renders_pages_without_knowing_tera_or_the_site_wide_files() {
    let graph = graph();
    let pipeline = graph.get("pipeline").unwrap();
    assert!(
        !pipeline.contains("publish"),
        "pipeline imports publish: {pipeline:?}"
    );
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/pipeline.rs"))
            .unwrap();
    assert!(
        !text
            .lines()
            .any(|l| !l.trim_start().starts_with("//") && l.contains("tera::")),
        "pipeline.rs names tera"
    );
}

/// Whether `line` names a `Result` whose error type is `String`.
fn string_error(line: &str) -> bool {
    line.match_indices("Result<").any(|(at, m)| {
        let args = &line[at + m.len()..];
        let (mut depth, mut comma, mut prev) = (0, None, ' ');
        for (i, c) in args.char_indices() {
            match c {
                '<' | '(' | '[' => depth += 1,
                '>' if prev == '-' => {}
                '>' | ')' | ']' if depth == 0 => {
                    return comma.is_some_and(|c: usize| args[c + 1..i].trim() == "String");
                }
                '>' | ')' | ']' => depth -= 1,
                ',' if depth == 0 => comma = Some(i),
                _ => {}
            }
            prev = c;
        }
        false
    })
}

/// Errors are typed (crate::report::error, crate::report::diagnostic or a module's own
/// thiserror type), so that they keep the file and span they are about
/// and callers can tell them apart: no function in src/ returns
/// `Result<_, String>`.
#[test]
fn errors_are_typed_not_strings() {
    assert!(string_error(
        "fn f(s: &str) -> Result<Vec<String>, String> {"
    ));
    assert!(string_error(
        "let ask = |c: &str| -> std::result::Result<u8, String> {"
    ));
    assert!(!string_error(
        "fn f() -> io::Result<BTreeMap<String, String>> {"
    ));
    assert!(!string_error("fn f() -> Result<String, Diagnostic> {"));
    assert!(!string_error("fn f() -> Result<String> {"));
    let mut found = Vec::new();
    for (rel, text) in source_files() {
        for (i, line) in text.lines().enumerate() {
            if string_error(line.split("//").next().unwrap_or("")) {
                found.push(format!("src/{rel}:{}: {}", i + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "errors as strings (give them a type that keeps the span):\n{}",
        found.join("\n")
    );
}

/// `(name, lines)` of every function in `text` at the top level or one
/// indent in, from its `fn` line to the brace that closes it.
fn functions(text: &str) -> Vec<(String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let body = line.trim_start();
        let indent = &line[..line.len() - body.len()];
        let Some(at) = body.find("fn ") else { continue };
        let before = &body[..at];
        if !before.is_empty() && before != "pub " && !before.starts_with("pub(") {
            continue;
        }
        let name: String = body[at + 3..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let close = format!("{indent}}}");
        if let Some(end) = lines[i + 1..].iter().position(|l| *l == close) {
            found.push((name, end + 2));
        }
    }
    found
}

#[test]
fn commands_are_glue_between_the_command_line_and_the_stages() {
    let cmd = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/cmd");
    let mut seen = 0;
    for entry in std::fs::read_dir(&cmd).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (name, lines) in functions(&text) {
            seen += 1;
            assert!(
                lines <= 40,
                "{}: fn {name} is {lines} lines: the work belongs in a stage's module",
                path.display()
            );
        }
    }
    assert!(seen >= 6, "read the commands' functions ({seen})");
    let graph = graph();
    for (module, edges) in &graph {
        assert!(
            module == "cmd" || !edges.contains("cmd"),
            "{module} imports cmd"
        );
    }
}

/// Module path (`data::results`, `present::chart`) of every file under
/// src/ but main.rs and lib.rs, with its text up to its test module.
fn module_files() -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    for (rel, text) in source_files() {
        let rel = rel.trim_end_matches(".rs");
        let module = rel.trim_end_matches("/mod").replace('/', "::");
        if module == "main" || module == "lib" {
            continue;
        }
        let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or("");
        let code: Vec<&str> = text
            .lines()
            .map(|l| l.split("//").next().unwrap_or(""))
            .collect();
        files.insert(module, code.join("\n"));
    }
    files
}

/// The paths written from `at` on: `a::b::C`, or each of a group's
/// members (`a::{b, c::d}`, nested groups too), as segments.
fn paths_at(text: &str, at: usize) -> Vec<Vec<String>> {
    let ident = |s: &str| -> usize {
        s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(s.len())
    };
    let mut segments = Vec::new();
    let mut rest = &text[at..];
    loop {
        let n = ident(rest);
        if n == 0 {
            break;
        }
        segments.push(rest[..n].to_string());
        rest = &rest[n..];
        if let Some(after) = rest.strip_prefix("::") {
            rest = after.trim_start();
        } else {
            return vec![segments];
        }
    }
    let Some(group) = rest.strip_prefix('{') else {
        return vec![segments];
    };
    // Split the group's members at the commas outside inner groups.
    let mut out = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                members(group, start, &segments, &mut out);
                break;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                members(group, start, &segments, &mut out);
                start = i + 1;
            }
            _ => {}
        }
    }
    out
}

/// The paths of the group member starting at `start`, after `prefix`.
fn members(group: &str, start: usize, prefix: &[String], out: &mut Vec<Vec<String>>) {
    let skip = group[start..].len() - group[start..].trim_start().len();
    for tail in paths_at(group, start + skip) {
        let mut path = prefix.to_vec();
        path.extend(tail.into_iter().filter(|s| s != "self"));
        out.push(path);
    }
}

/// Module -> the modules its code names: `crate::` paths, `super::` paths
/// and paths through the child modules it declares, each resolved to the
/// longest module it starts with.
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let files = module_files();
    let modules: BTreeSet<String> = files.keys().cloned().collect();
    let longest = |segments: &[String]| -> Option<String> {
        (1..=segments.len())
            .rev()
            .map(|n| segments[..n].join("::"))
            .find(|m| modules.contains(m))
    };
    let mut graph = BTreeMap::new();
    for (module, text) in &files {
        let own: Vec<String> = module.split("::").map(str::to_string).collect();
        // A file's own folder: `a::b` for a/b/mod.rs and a/b.rs alike.
        let children: Vec<&String> = modules
            .iter()
            .filter(|m| m.rsplit_once("::").is_some_and(|(p, _)| p == module))
            .collect();
        let mut edges = BTreeSet::new();
        let bytes = text.as_bytes();
        for (at, _) in text.char_indices() {
            let word_start = at == 0
                || !(bytes[at - 1].is_ascii_alphanumeric()
                    || bytes[at - 1] == b'_'
                    || bytes[at - 1] == b':');
            if !word_start {
                continue;
            }
            for path in paths_at(text, at) {
                if path.len() < 2 {
                    continue;
                }
                let absolute: Vec<String> = match path[0].as_str() {
                    "crate" => path[1..].to_vec(),
                    "super" => {
                        let ups = path.iter().take_while(|s| *s == "super").count();
                        if ups > own.len() {
                            continue;
                        }
                        let mut p = own[..own.len() - ups].to_vec();
                        p.extend(path[ups..].iter().cloned());
                        p
                    }
                    "self" => own.iter().chain(&path[1..]).cloned().collect(),
                    first
                        if children
                            .iter()
                            .any(|c| c.rsplit("::").next() == Some(first)) =>
                    {
                        own.iter().chain(&path).cloned().collect()
                    }
                    _ => continue,
                };
                if let Some(target) = longest(&absolute) {
                    if &target != module {
                        edges.insert(target);
                    }
                }
            }
        }
        graph.insert(module.clone(), edges);
    }
    graph
}

#[test]
fn no_import_loop_between_any_two_files() {
    let graph = module_graph();
    assert!(
        graph
            .get("present::chart::bars")
            .is_some_and(|e| e.contains("present::tables")),
        "read the imports: {graph:#?}"
    );
    assert!(
        graph
            .get("render::shortcodes::bench")
            .is_some_and(|e| e.contains("present::chart")),
        "read grouped imports: {:?}",
        graph.get("render::shortcodes::bench")
    );
    assert!(
        graph
            .get("publish::search::write")
            .is_some_and(|e| e.contains("publish::search::index")),
        "read `super::` imports: {:?}",
        graph.get("publish::search::write")
    );
    let looped: Vec<&String> = graph
        .keys()
        .filter(|m| reach(&graph, m).contains(*m))
        .collect();
    let loops: Vec<String> = looped
        .into_iter()
        .map(|m| {
            let back: Vec<&String> = graph[m]
                .iter()
                .filter(|n| reach(&graph, n).contains(m))
                .collect();
            format!("{m} -> {back:?}")
        })
        .collect();
    assert!(
        loops.is_empty(),
        "files in a loop (and the imports that close it):\n{}",
        loops.join("\n")
    );
}

fn in_folder(module: &str, folder: &str) -> bool {
    module == folder || module.starts_with(&format!("{folder}::"))
}

#[test]
fn presentation_sits_between_data_and_render_and_neither_knows_tera() {
    let graph = graph();
    assert!(
        !reach(&graph, "data").contains("present"),
        "data reaches present: {:?}",
        graph.get("data")
    );
    let reached = reach(&graph, "present");
    assert!(
        reached.contains("data"),
        "read present's imports: {reached:?}"
    );
    for upper in ["render", "publish", "serve", "cmd", "pipeline", "watch"] {
        assert!(
            !reached.contains(upper),
            "present reaches {upper}: {reached:?}"
        );
    }
    let files = module_files();
    for (module, code) in &files {
        if in_folder(module, "data") || in_folder(module, "present") {
            assert!(
                !code.contains("tera::") && !code.contains("use tera"),
                "{module} names tera"
            );
        }
    }
}

#[test]
fn the_leaf_folders_import_nothing_of_a_site() {
    let graph = graph();
    for (leaf, may) in [("text", &[][..]), ("report", &["text"][..])] {
        let edges = graph.get(leaf).unwrap_or_else(|| panic!("no src/{leaf}/"));
        let other: Vec<&String> = edges
            .iter()
            .filter(|e| !may.contains(&e.as_str()))
            .collect();
        assert!(other.is_empty(), "{leaf}/ imports {other:?}");
    }
}
