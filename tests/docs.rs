//! Docs that cannot drift: every ```console block of docs/*.md and the
//! README that shows a `$ versus ...` command is run here with the real
//! binary, and what it prints must be what the block shows. And every flag
//! of every command's `--help` is in docs/cli.md, and every flag there is
//! in a `--help`.
//!
//! The blocks of one file run in order, in one temporary folder, the way a
//! reader would type them: `$ cd DIR` moves, `$ echo $?` prints the last
//! exit status, `# ...` after a command is a comment. Times (`0.10 s`,
//! `12.1 ms`) match any time; a line `…` matches any lines, and a line
//! ending in `…` any end of line.
//!
//! An HTML comment just before a block (unseen on a rendered page) sets it
//! up or says why it is not run:
//!
//! ```text
//! <!-- doctest
//! fresh                      (start again in an empty folder)
//! site: bundled              (a copy of versus's own site, then cd into it)
//! edit FILE: OLD => NEW      (replace text in a file)
//! from-block FILE: LINE      (write the doc's fenced block that starts
//!                             with LINE into FILE)
//! write FILE:                (write the lines that follow, up to the next
//! ...                         directive, into FILE)
//! -->
//! <!-- doctest: skip: WHY -->
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One ```console block with a command, and where it is.
struct Block {
    file: String,
    line: usize,
    setup: Vec<String>,
    skip: Option<String>,
    body: Vec<String>,
}

/// The console blocks of `text` that hold a `$ ` line, each with the
/// doctest comment before it (if any).
fn blocks(file: &str, text: &str) -> Vec<Block> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut comment: Option<Vec<String>> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.starts_with("<!-- doctest") {
            let mut body = vec![line.to_string()];
            while !body.last().unwrap().trim_end().ends_with("-->") {
                i += 1;
                body.push(lines[i].to_string());
            }
            comment = Some(body);
        } else if let Some(info) = line.strip_prefix("```") {
            let start = i;
            let mut body = Vec::new();
            i += 1;
            while !lines[i].starts_with("```") {
                body.push(lines[i].to_string());
                i += 1;
            }
            let has_command = body.iter().any(|l| l.starts_with("$ "));
            if info == "console" && has_command {
                let (setup, skip) = parse_comment(comment.take().unwrap_or_default());
                out.push(Block {
                    file: file.to_string(),
                    line: start + 1,
                    setup,
                    skip,
                    body,
                });
            }
            comment = None;
        } else if !line.trim().is_empty() {
            comment = None;
        }
        i += 1;
    }
    out
}

/// The setup lines of a doctest comment, or why its block is skipped.
fn parse_comment(lines: Vec<String>) -> (Vec<String>, Option<String>) {
    let Some(first) = lines.first() else {
        return (Vec::new(), None);
    };
    if let Some(why) = first.strip_prefix("<!-- doctest: skip:") {
        let why = why.trim_end().trim_end_matches("-->").trim();
        assert!(!why.is_empty(), "a skipped block says why: {first}");
        return (Vec::new(), Some(why.to_string()));
    }
    let setup = lines[1..lines.len() - 1].to_vec();
    (setup, None)
}

/// The state of a reader going through one file.
struct Reader {
    /// The text of the file being read.
    doc: String,
    temp: tempfile::TempDir,
    cwd: PathBuf,
    status: i32,
}

impl Reader {
    fn new(doc: &str) -> Self {
        let temp = tempfile::tempdir().unwrap();
        let cwd = temp.path().to_path_buf();
        Reader {
            doc: doc.to_string(),
            temp,
            cwd,
            status: 0,
        }
    }

    fn set_up(&mut self, setup: &[String], at: &str) {
        let mut i = 0;
        while i < setup.len() {
            let line = setup[i].as_str();
            if line == "fresh" {
                *self = Reader::new(&self.doc);
            } else if line == "site: bundled" {
                let site = self.temp.path().join("bundled");
                let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
                std::fs::create_dir_all(&site).unwrap();
                std::fs::copy(repo.join("versus.toml"), site.join("versus.toml")).unwrap();
                for dir in ["content", "static", "templates", "themes"] {
                    if repo.join(dir).is_dir() {
                        common::copy_dir(&repo.join(dir), &site.join(dir));
                    }
                }
                self.cwd = site;
            } else if let Some(rest) = line.strip_prefix("edit ") {
                let (file, change) = rest.split_once(": ").unwrap();
                let (old, new) = change.split_once(" => ").unwrap();
                let path = self.cwd.join(file);
                let text = std::fs::read_to_string(&path).unwrap();
                assert!(text.contains(old), "{at}: {file} has no {old:?}");
                std::fs::write(&path, text.replacen(old, new, 1)).unwrap();
            } else if let Some(rest) = line.strip_prefix("from-block ") {
                // `from-block FILE: FIRST LINE`: the doc's fenced block
                // that starts with FIRST LINE, written to FILE.
                let (file, first) = rest.split_once(": ").unwrap();
                let block = self
                    .doc
                    .split("```")
                    .skip(1)
                    .step_by(2)
                    .find_map(|b| {
                        let body = b.split_once('\n')?.1;
                        body.starts_with(first).then_some(body)
                    })
                    .unwrap_or_else(|| panic!("{at}: no block starts with {first:?}"));
                let path = self.cwd.join(file);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, block).unwrap();
            } else if let Some(file) = line.strip_prefix("write ") {
                let file = file.strip_suffix(':').unwrap();
                let mut text = String::new();
                while i + 1 < setup.len() && !is_directive(&setup[i + 1]) {
                    i += 1;
                    text.push_str(&setup[i]);
                    text.push('\n');
                }
                let path = self.cwd.join(file);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, text).unwrap();
            } else {
                panic!("{at}: unknown doctest directive {line:?}");
            }
            i += 1;
        }
    }

    /// Runs one `$` line; what it printed.
    fn run(&mut self, command: &str, at: &str) -> String {
        let words = shell_words(command);
        match words.iter().map(String::as_str).collect::<Vec<_>>()[..] {
            ["cd", dir] => {
                self.cwd = self.cwd.join(dir);
                String::new()
            }
            ["echo", "$?"] => format!("{}\n", self.status),
            ["versus", ..] => {
                let out = Command::new(common::BIN)
                    .args(&words[1..])
                    .current_dir(&self.cwd)
                    .env("NO_COLOR", "1")
                    .env_remove("CI")
                    .env_remove("GITHUB_ACTIONS")
                    .output()
                    .unwrap();
                self.status = out.status.code().unwrap_or(-1);
                format!(
                    "{}{}",
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                )
            }
            _ => panic!("{at}: a doc test runs versus, cd and echo $?, not {command:?}"),
        }
    }
}

fn is_directive(line: &str) -> bool {
    line == "fresh"
        || line.starts_with("site: ")
        || line.starts_with("edit ")
        || line.starts_with("from-block ")
        || line.starts_with("write ")
}

/// Splits a command line as a shell would (quotes; `# comment` dropped).
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.get_or_insert_with(String::new).push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                word.get_or_insert_with(String::new);
            }
            (None, '#') if word.is_none() => break,
            (None, c) if c.is_whitespace() => words.extend(word.take()),
            (None, c) => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    words
}

/// Times read the same whatever they were: `{time}`.
fn normalize(text: &str) -> Vec<String> {
    let time = regex::Regex::new(r"\s*\b\d+(\.\d+)? (s|ms)\b").unwrap();
    let mut lines: Vec<String> = text
        .lines()
        .map(|l| time.replace_all(l.trim_end(), " {time}").into_owned())
        .collect();
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
}

/// Whether `actual` is what `expected` shows, `…` lines and line ends
/// matching anything.
fn matches(expected: &[String], actual: &[String]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((e, rest)) if e == "…" => {
            (0..=actual.len()).any(|skip| matches(rest, &actual[skip..]))
        }
        Some((e, rest)) => actual.split_first().is_some_and(|(a, more)| {
            let line = match e.strip_suffix('…') {
                Some(prefix) => a.starts_with(prefix),
                None => a == e,
            };
            line && matches(rest, more)
        }),
    }
}

/// Runs a block; a description of each difference.
fn check(reader: &mut Reader, block: &Block) -> Vec<String> {
    let at = format!("{}:{}", block.file, block.line);
    reader.set_up(&block.setup, &at);
    let mut problems = Vec::new();
    let mut i = 0;
    while i < block.body.len() {
        let Some(command) = block.body[i].strip_prefix("$ ") else {
            problems.push(format!(
                "{at}: output before any command: {:?}",
                block.body[i]
            ));
            i += 1;
            continue;
        };
        let mut shown = Vec::new();
        i += 1;
        while i < block.body.len() && !block.body[i].starts_with("$ ") {
            shown.push(block.body[i].clone());
            i += 1;
        }
        let printed = reader.run(command, &at);
        let expected = normalize(&shown.join("\n"));
        let actual = normalize(&printed);
        if !matches(&expected, &actual) {
            problems.push(format!(
                "{at}: `{command}` printed:\n{}\n--- where the docs show:\n{}\n",
                actual.join("\n"),
                expected.join("\n")
            ));
        }
    }
    problems
}

fn doc_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    files.push(root.join("README.md"));
    files
}

#[test]
fn the_commands_in_the_docs_print_what_the_docs_show() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut problems = Vec::new();
    let (mut run, mut skipped) = (0, 0);
    for path in doc_files() {
        let rel = path.strip_prefix(root).unwrap().display().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let mut reader = Reader::new(&text);
        for block in blocks(&rel, &text) {
            if block.skip.is_some() {
                skipped += 1;
                continue;
            }
            run += 1;
            problems.extend(check(&mut reader, &block));
        }
    }
    println!("ran {run} console blocks of the docs, skipped {skipped}");
    assert!(run >= 12, "ran only {run} blocks: did the parsing break?");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_runner_compares_what_it_should() {
    let lines = |t: &str| normalize(t);
    assert!(matches(
        &lines("built 2 pages in 0.10 s"),
        &lines("built 2 pages in 12 ms")
    ));
    assert!(!matches(&lines("built 2 pages"), &lines("built 3 pages")));
    assert!(matches(&lines("a\n…\nd"), &lines("a\nb\nc\nd")));
    assert!(!matches(&lines("a\n…\nd"), &lines("a\nb\nc")));
    assert!(matches(
        &lines("themes: ansi, …"),
        &lines("themes: ansi, base16")
    ));
    assert!(
        !matches(&lines("a"), &lines("a\nb")),
        "extra output is a difference"
    );
    assert_eq!(
        shell_words(r#"versus init x --title "Node.js vs Python"   # in CI"#),
        ["versus", "init", "x", "--title", "Node.js vs Python"]
    );
    let text = "<!-- doctest: skip: needs node -->\n```console\n$ versus bench\n```\n\n```console\nerror: x\n```\n<!-- doctest\nfresh\n-->\n```console\n$ versus build\n```\n";
    let found = blocks("x.md", text);
    assert_eq!(found.len(), 2, "blocks without a command are illustrations");
    assert_eq!(found[0].skip.as_deref(), Some("needs node"));
    assert_eq!(found[1].setup, ["fresh"]);
    assert_eq!(found[1].line, 12);
}

// ---------------------------------------------------------------------
// docs/cli.md against `--help`
// ---------------------------------------------------------------------

/// The long flags (`--root`) a `--help` text lists.
fn help_flags(help: &str) -> Vec<String> {
    help_flags_with_short(help)
        .into_iter()
        .map(|(_, long)| long)
        .collect()
}

/// The flags a `--help` text lists, as (short, long): (`-o`, `--out`).
fn help_flags_with_short(help: &str) -> Vec<(Option<String>, String)> {
    let flag = regex::Regex::new(r"^\s+(?:(-\w), )?(--[a-z][a-z-]*)").unwrap();
    help.lines()
        .filter_map(|l| {
            flag.captures(l)
                .map(|c| (c.get(1).map(|s| s.as_str().to_string()), c[2].to_string()))
        })
        .filter(|(_, f)| f != "--help" && f != "--version")
        .collect()
}

/// The commands `versus --help` lists, but `help`.
fn commands() -> Vec<String> {
    let top = common::versus_ok(Path::new("."), ["--help"]);
    let commands: Vec<String> = top
        .split("Commands:")
        .nth(1)
        .unwrap()
        .split("\n\n")
        .next()
        .unwrap()
        .lines()
        .filter_map(|l| {
            let name = l.strip_prefix("  ")?.split("  ").next()?;
            (!name.is_empty() && !name.starts_with(' ')).then(|| name.to_string())
        })
        .filter(|c| c != "help")
        .collect();
    assert!(commands.len() >= 6, "{commands:?}");
    commands
}

#[test]
fn the_readme_lists_every_flag_of_every_command_and_no_other() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let written_flag = regex::Regex::new(r"(?:^|[\s\[])(--?[a-z][a-z-]*)").unwrap();
    let mut problems = Vec::new();
    for command in commands() {
        let row = format!("| `versus {command}");
        let Some(line) = readme.lines().find(|l| l.starts_with(&row)) else {
            problems.push(format!(
                "the README's table of commands has no `versus {command}`"
            ));
            continue;
        };
        let cell = line.split(" | ").next().unwrap();
        let written: Vec<String> = written_flag
            .captures_iter(cell)
            .map(|c| c[1].to_string())
            .collect();
        let help = common::versus_ok(Path::new("."), [command.as_str(), "--help"]);
        let flags = help_flags_with_short(&help);
        for (short, long) in &flags {
            if !written.contains(long) && !short.as_ref().is_some_and(|s| written.contains(s)) {
                problems.push(format!("the README's `versus {command}` lacks {long}"));
            }
        }
        for w in &written {
            if !flags.iter().any(|(s, l)| l == w || s.as_ref() == Some(w)) {
                problems.push(format!(
                    "the README shows `versus {command} {w}`, which does not exist"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The part of docs/cli.md about `versus COMMAND`, up to the next `## `.
fn cli_section<'a>(cli: &'a str, command: &str) -> &'a str {
    let head = format!("## `versus {command}`");
    let start = cli
        .find(&head)
        .unwrap_or_else(|| panic!("docs/cli.md has no section {head}"));
    let rest = &cli[start + head.len()..];
    &rest[..rest.find("\n## ").unwrap_or(rest.len())]
}

#[test]
fn every_flag_of_every_command_is_in_docs_cli_md_and_no_other() {
    let cli =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/cli.md")).unwrap();
    let commands = commands();
    let documented_flag = regex::Regex::new(r"`(?:-\w, )?(--[a-z][a-z-]*)").unwrap();
    let mut problems = Vec::new();
    let mut seen = 0;
    for command in &commands {
        let help = common::versus_ok(Path::new("."), [command.as_str(), "--help"]);
        let flags = help_flags(&help);
        seen += flags.len();
        let section = cli_section(&cli, command);
        // The flags the section's tables document (a row's first cell).
        let documented: Vec<String> = section
            .lines()
            .filter(|l| l.starts_with("| `"))
            .filter_map(|l| l.split('|').nth(1))
            .flat_map(|cell| {
                documented_flag
                    .captures_iter(cell)
                    .map(|c| c[1].to_string())
                    .collect::<Vec<_>>()
            })
            .collect();
        for f in &flags {
            if !documented.contains(f) {
                problems.push(format!(
                    "`versus {command} {f}` is not in docs/cli.md's table"
                ));
            }
        }
        for f in &documented {
            if !flags.contains(f) {
                problems.push(format!(
                    "docs/cli.md documents `versus {command} {f}`, which `versus {command} --help` lacks"
                ));
            }
        }
    }
    assert!(seen >= 20, "read only {seen} flags: did the parsing break?");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The backticked words of a table cell.
fn ticked(cell: &str) -> Vec<String> {
    cell.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// The rows (as trimmed cells) of the tables in the section of `doc` under
/// the heading starting with `heading` (up to the next heading of its level
/// or above) whose header's first cell is `first`.
fn tables_under(doc: &str, heading: &str, first: &str) -> Vec<Vec<String>> {
    let level = heading.len() - heading.trim_start_matches('#').len();
    let mut in_code = false;
    let section: Vec<&str> = doc
        .lines()
        .skip_while(|l| !l.starts_with(heading))
        .skip(1)
        .take_while(|l| {
            // A `# comment` in a code block is no heading.
            in_code ^= l.starts_with("```");
            let hashes = l.len() - l.trim_start_matches('#').len();
            in_code || !(hashes > 0 && hashes <= level && l[hashes..].starts_with(' '))
        })
        .collect();
    let cells = |l: &str| -> Vec<String> {
        let inner = l.trim().trim_start_matches('|').trim_end_matches('|');
        inner.split('|').map(|c| c.trim().to_string()).collect()
    };
    let mut rows = Vec::new();
    let mut in_table = false;
    for l in section {
        if !l.starts_with('|') {
            in_table = false;
        } else if !in_table && cells(l)[0] == first {
            in_table = true;
        } else if in_table && !l.starts_with("|---") && !l.starts_with("| ---") {
            rows.push(cells(l));
        }
    }
    rows
}

/// The arguments a shortcode table's cell lists, and those marked
/// "(required)": `data` and `subject` (required), `benchmark`, ...
fn listed_args(cell: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let (mut all, mut required) = (BTreeSet::new(), BTreeSet::new());
    for part in cell.split(", ") {
        for name in ticked(part) {
            if part.contains("(required)") {
                required.insert(name.clone());
            }
            all.insert(name);
        }
    }
    (all, required)
}

/// Every built-in of the shortcode registry, with each of its arguments
/// (the required ones marked), is in the shortcode tables of docs/writing.md
/// and docs/data.md, every argument is described with its kind of value,
/// and the docs name no shortcode or argument the registry lacks.
#[test]
fn the_shortcode_tables_match_the_registry() {
    use versus::render::shortcodes::{BUILTINS, builtin};
    use versus::shortcode_syntax::ArgType;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |f: &str| std::fs::read_to_string(root.join(f)).unwrap();
    let (writing, data) = (read("docs/writing.md"), read("docs/data.md"));
    let mut documented = BTreeSet::new();
    for (doc, heading) in [
        (&writing, "### Built-in shortcodes"),
        (&data, "## Shortcodes"),
    ] {
        let rows = tables_under(doc, heading, "shortcode");
        assert!(rows.len() >= 4, "{heading}: no shortcode table");
        for row in rows {
            let name = ticked(&row[0]).concat();
            let b = builtin(&name)
                .unwrap_or_else(|| panic!("{heading} lists `{name}`, not in the registry"));
            let (all, required) = listed_args(row.last().unwrap());
            let names = |req: bool| -> BTreeSet<String> {
                let args = b.spec.args.iter().filter(|a| a.required || !req);
                args.map(|a| a.name.to_string()).collect()
            };
            assert_eq!(all, names(false), "{heading}: arguments of `{name}`");
            assert_eq!(required, names(true), "{heading}: required of `{name}`");
            documented.insert(name);
        }
    }
    for b in BUILTINS {
        assert!(
            documented.contains(b.spec.name),
            "`{}` is in no shortcode table of docs/writing.md or docs/data.md",
            b.spec.name
        );
    }
    // Each argument described in the tables of its section, with its kind.
    for (doc, heading, names) in [
        (
            &data,
            "## Shortcodes",
            &["compare", "bench_table", "bench_chart"][..],
        ),
        (&data, "## Figures in text", &["figure"][..]),
        (&writing, "### Code from files", &["code"][..]),
    ] {
        let mut described = BTreeSet::new();
        for row in tables_under(doc, heading, "argument") {
            for arg in ticked(&row[0]) {
                let spec = names
                    .iter()
                    .filter_map(|n| builtin(n))
                    .find_map(|b| b.spec.args.iter().find(|a| a.name == arg))
                    .unwrap_or_else(|| {
                        panic!("{heading} describes `{arg}`, taken by none of {names:?}")
                    });
                if row.len() == 3 {
                    let value = &row[1];
                    let fits = match spec.ty {
                        ArgType::Str => value.contains("string") || value.contains("`\""),
                        ArgType::Digits => value.contains("integer, 0 to 12"),
                        ArgType::Bool => value.contains("`true` or `false`"),
                        ArgType::Lines => value.contains("line"),
                    };
                    assert!(
                        fits,
                        "{heading}: `{arg}` is {:?}, the docs say {value}",
                        spec.ty
                    );
                }
                described.insert(arg);
            }
        }
        for b in names.iter().filter_map(|n| builtin(n)) {
            for a in b.spec.args {
                assert!(
                    described.contains(a.name),
                    "{heading} does not describe `{}` of `{}`",
                    a.name,
                    b.spec.name
                );
            }
        }
    }
}
