//! Code from files: `{{ code(file="benchmarks/fib/fib.py", region="fib") }}`
//! shows lines of a real file, so the code on the page is the code that
//! runs. Regions are marked in the file with `region: NAME` / `endregion`
//! comments, which are not shown.

use std::path::{Path, PathBuf};

use super::code::{CodeInfo, did_you_mean, parse_line_ranges};
use crate::shortcode_syntax::{Arg, ArgSpec, ArgType, Call, Placement, Spec};

/// `code(...)`: lines of a file as a code block, which the Markdown pass
/// writes (highlighted, and tabbed with the code blocks beside it).
pub const SPEC: Spec = Spec {
    name: "code",
    placement: Placement::Block,
    args: &[
        ArgSpec::required("file", ArgType::Str),
        ArgSpec::opt("lines", ArgType::Lines),
        ArgSpec::opt("region", ArgType::Str),
        ArgSpec::opt("lang", ArgType::Str),
        ArgSpec::opt("tab", ArgType::Str),
        ArgSpec::opt("group", ArgType::Str),
        ArgSpec::defaults_to("layout", ArgType::Str, "\"tabs\""),
        ArgSpec::opt("title", ArgType::Str),
        ArgSpec::opt("hl_lines", ArgType::Lines),
        ArgSpec::defaults_to("linenos", ArgType::Bool, "false"),
    ],
};

/// A resolved include: the info for the block, the text to show, and the
/// file it came from (a dependency of the page).
pub struct Included {
    pub info: CodeInfo,
    pub text: String,
    pub path: PathBuf,
}

/// Why a `code(...)` call failed: a one-line message, and the argument at
/// fault (`None`: the call as a whole).
#[derive(Debug)]
pub struct Fault {
    pub message: String,
    pub key: Option<String>,
    /// Only the argument's name is at fault (it is unknown), not its value.
    pub key_only: bool,
}

impl Fault {
    fn of<E: std::fmt::Display>(key: &str) -> impl FnOnce(E) -> Fault {
        let key = key.to_string();
        move |e| Fault {
            message: e.to_string(),
            key: Some(key),
            key_only: false,
        }
    }

    /// Where the fault is written in the page, if the call knows.
    pub fn span(&self, call: &Call) -> Option<std::ops::Range<usize>> {
        let key = self.key.as_deref()?;
        if self.key_only {
            call.key_span(key)
        } else {
            call.span_of(key)
        }
    }
}

/// Loads what a `code(...)` call asks for. `page_dir` is the page's folder
/// relative to the site root (`content/guide`).
pub fn load(root: &Path, page_dir: &str, call: &Call) -> Result<Included, Fault> {
    for key in call.args.keys() {
        if !SPEC.takes(key) {
            let known = SPEC.arg_names();
            let hint = match crate::report::diagnostic::closest(key, known.iter().copied()) {
                Some(k) => format!(": did you mean `{k}`?"),
                None => format!(": it takes {}", known.join(", ")),
            };
            return Err(Fault {
                message: format!("unknown argument `{key}` for shortcode `code`{hint}"),
                key: Some(key.clone()),
                key_only: true,
            });
        }
    }
    let text_arg = |key: &str| -> Result<Option<String>, Fault> {
        match call.args.get(key) {
            None => Ok(None),
            Some(Arg::Str(s)) => Ok(Some(s.clone())),
            Some(Arg::Int(i)) if key == "lines" || key == "hl_lines" => Ok(Some(i.to_string())),
            Some(_) => Err(Fault::of(key)(format!("`{key}` must be a quoted string"))),
        }
    };
    let Some(file) = text_arg("file")? else {
        return Err(Fault {
            message: "shortcode `code` needs `file`".into(),
            key: None,
            key_only: false,
        });
    };
    let (rel, path) = resolve(root, page_dir, &file).map_err(Fault::of("file"))?;
    let whole = std::fs::read_to_string(&path).map_err(|source| {
        Fault::of("file")(FileError::Unreadable {
            rel: rel.clone(),
            source,
        })
    })?;
    let mut lines: Vec<&str> = whole.lines().collect();
    if let Some(region) = text_arg("region")? {
        lines = region_lines(&lines, &region)
            .ok_or_else(|| FileError::NoRegion {
                region: region.clone(),
                rel: rel.clone(),
                names: region_names(&whole),
            })
            .map_err(Fault::of("region"))?;
    }
    if let Some(spec) = text_arg("lines")? {
        let ranges = parse_line_ranges(&spec).map_err(Fault::of("lines"))?;
        let mut picked = Vec::new();
        for r in ranges {
            if *r.end() > lines.len() {
                return Err(Fault::of("lines")(format!(
                    "lines {}-{} are outside `{rel}`{}, which has {} lines",
                    r.start(),
                    r.end(),
                    if call.args.contains_key("region") {
                        " (in the region)"
                    } else {
                        ""
                    },
                    lines.len()
                )));
            }
            picked.extend_from_slice(&lines[r.start() - 1..*r.end()]);
        }
        lines = picked;
    }
    lines.retain(|l| marker(l).is_none());
    let info = CodeInfo {
        lang: text_arg("lang")?.or_else(|| lang_of(&rel)),
        title: Some(text_arg("title")?.unwrap_or_else(|| file.clone())),
        hl_lines: match text_arg("hl_lines")? {
            Some(spec) => parse_line_ranges(&spec).map_err(Fault::of("hl_lines"))?,
            None => Vec::new(),
        },
        linenos: matches!(call.args.get("linenos"), Some(Arg::Bool(true))),
        tab: text_arg("tab")?,
        group: text_arg("group")?,
        layout: text_arg("layout")?,
    };
    let mut text = lines.join("\n");
    text.push('\n');
    Ok(Included { info, text, path })
}

/// Why the `file` of a `code(...)` call, or its `region`, cannot be shown.
#[derive(Debug, thiserror::Error)]
enum FileError {
    #[error("`{0}`: write a path relative to the page, not an absolute one")]
    Absolute(String),
    /// `guess` is the file of that name most like it, beside the page or
    /// in content/.
    #[error(
        "code file `{file}` not found (looked beside the page and in content/){}",
        did_you_mean(.guess.as_deref())
    )]
    NotFound { file: String, guess: Option<String> },
    #[error("`{0}` leaves the site's folder")]
    LeavesSite(String),
    /// A symlink that leads out of the site.
    #[error("`{0}` leads outside the site")]
    LeadsOutside(String),
    #[error("`{file}`: {source}")]
    Unresolved {
        file: String,
        source: std::io::Error,
    },
    #[error("cannot read `{rel}`: {source}")]
    Unreadable { rel: String, source: std::io::Error },
    /// `names`: the regions the file marks.
    #[error("no region `{region}` in `{rel}`{}", regions_there(.names))]
    NoRegion {
        region: String,
        rel: String,
        names: Vec<String>,
    },
}

fn regions_there(names: &[String]) -> String {
    if names.is_empty() {
        " (it marks none)".into()
    } else {
        format!("; regions there: {}", names.join(", "))
    }
}

/// Resolves `file` against the page's folder, then `content/`; it may not
/// leave the site root.
fn resolve(root: &Path, page_dir: &str, file: &str) -> Result<(String, PathBuf), FileError> {
    if file.starts_with('/') || file.contains('\\') || Path::new(file).is_absolute() {
        return Err(FileError::Absolute(file.into()));
    }
    let mut inside = false;
    for base in [page_dir, "content"] {
        if let Some(rel) = crate::text::paths::join(base, file) {
            inside = true;
            let path = root.join(&rel);
            if path.is_file() {
                // A symlink may still lead outside the site.
                let real =
                    std::fs::canonicalize(&path).map_err(|source| FileError::Unresolved {
                        file: file.into(),
                        source,
                    })?;
                let root_real = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
                if !real.starts_with(&root_real) {
                    return Err(FileError::LeadsOutside(file.into()));
                }
                return Ok((rel, path));
            }
        }
    }
    if inside {
        let guess = [page_dir, "content"]
            .into_iter()
            .find_map(|base| crate::report::diagnostic::closest_path(&root.join(base), file));
        Err(FileError::NotFound {
            file: file.into(),
            guess,
        })
    } else {
        Err(FileError::LeavesSite(file.into()))
    }
}

/// `region: NAME` or `endregion` in a comment line (`//`, `#`, `--`, `/*`, `<!--`).
fn marker(line: &str) -> Option<Marker<'_>> {
    let t = line.trim();
    let body = ["//", "#", "--", "/*", "<!--", ";"]
        .iter()
        .find_map(|c| t.strip_prefix(c))?
        .trim()
        .trim_end_matches("*/")
        .trim_end_matches("-->")
        .trim();
    if let Some(name) = body.strip_prefix("region:") {
        Some(Marker::Start(name.trim()))
    } else if body == "endregion"
        || body.starts_with("endregion ")
        || body.starts_with("endregion:")
    {
        Some(Marker::End)
    } else {
        None
    }
}

enum Marker<'a> {
    Start(&'a str),
    End,
}

/// The lines of region `name`, markers of any region left out.
fn region_lines<'a>(lines: &[&'a str], name: &str) -> Option<Vec<&'a str>> {
    let start = lines
        .iter()
        .position(|l| matches!(marker(l), Some(Marker::Start(n)) if n == name))?;
    let mut depth = 0;
    let mut out = Vec::new();
    for l in &lines[start + 1..] {
        match marker(l) {
            Some(Marker::Start(_)) => depth += 1,
            Some(Marker::End) if depth == 0 => return Some(out),
            Some(Marker::End) => depth -= 1,
            None => out.push(*l),
        }
    }
    Some(out)
}

fn region_names(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| match marker(l) {
            Some(Marker::Start(n)) => Some(n.to_string()),
            _ => None,
        })
        .collect()
}

/// The language of a file, from its extension.
pub fn lang_of(path: &str) -> Option<String> {
    let name = path.rsplit('/').next().unwrap_or(path);
    if name.eq_ignore_ascii_case("dockerfile") {
        return Some("dockerfile".into());
    }
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    let lang = match ext.as_str() {
        "js" | "mjs" | "cjs" => "javascript",
        "ts" | "mts" | "cts" => "typescript",
        "py" => "python",
        "sh" | "bash" => "bash",
        "yml" => "yaml",
        "rs" => "rust",
        "md" => "markdown",
        other => other,
    };
    Some(lang.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &[&str] = &[
        "import x",
        "# region: fib",
        "def fib(n):",
        "    # region: inner",
        "    return n",
        "    # endregion",
        "# endregion",
        "print(1)",
    ];

    #[test]
    fn regions_drop_all_markers() {
        assert_eq!(
            region_lines(FILE, "fib").unwrap(),
            vec!["def fib(n):", "    return n"]
        );
        assert_eq!(region_lines(FILE, "inner").unwrap(), vec!["    return n"]);
        assert!(region_lines(FILE, "nope").is_none());
        assert_eq!(region_names(&FILE.join("\n")), vec!["fib", "inner"]);
    }

    #[test]
    fn markers_in_several_comment_styles() {
        assert!(matches!(
            marker("  // region: handler"),
            Some(Marker::Start("handler"))
        ));
        assert!(matches!(
            marker("/* region: a */"),
            Some(Marker::Start("a"))
        ));
        assert!(matches!(marker("<!-- endregion -->"), Some(Marker::End)));
        assert!(marker("let region = 1;").is_none());
    }

    #[test]
    fn languages_from_extensions() {
        assert_eq!(lang_of("a/b.mjs").as_deref(), Some("javascript"));
        assert_eq!(lang_of("fib.py").as_deref(), Some("python"));
        assert_eq!(lang_of("Dockerfile").as_deref(), Some("dockerfile"));
        assert_eq!(lang_of("noext"), None);
    }
}
