//! Which series (subjects at their versions) a selector names:
//! `subjects="Node.js@24, Python"` and `versions="latest"` on a table or
//! chart, `subject=` and `vs=` on a figure. Errors offer the closest name.

use super::results::{BenchSet, Series};
use crate::report::diagnostic::closest;

/// Why a selector picks no series. Each message names what was written
/// and what is there instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectError {
    /// `versions` other than `all` or `latest`.
    #[error("versions is `all` or `latest`, not `{0}`")]
    Versions(String),
    /// `subjects` holds only commas and blanks.
    #[error("`subjects` names no subject")]
    NoneNamed,
    #[error("no subject `{name}` in these results: {}", .of.hint("the subjects are"))]
    NoSubject { name: String, of: Names },
    #[error(
        "no version `{wanted}` of `{name}` in these results: it was measured in {}",
        version_hint(.name, .versions, .closest)
    )]
    NoVersion {
        name: String,
        wanted: String,
        /// The versions `name` was measured in.
        versions: Vec<String>,
        /// The one most like `wanted`, without a leading `v`.
        closest: Option<String>,
    },
}

/// A name that was not found, the one most like it (if one is close) and
/// all that are there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    pub closest: Option<String>,
    pub all: Vec<String>,
}

impl Names {
    pub(super) fn of(name: &str, all: &[&str]) -> Self {
        Names {
            closest: closest(name, all.iter().copied()).map(str::to_string),
            all: all.iter().map(|n| n.to_string()).collect(),
        }
    }

    /// "did you mean `closest`?", else `listed` and the names.
    pub(super) fn hint(&self, listed: &str) -> String {
        match &self.closest {
            Some(c) => format!("did you mean `{c}`?"),
            None => format!("{listed} {}", self.all.join(", ")),
        }
    }
}

fn version_hint(name: &str, versions: &[String], closest: &Option<String>) -> String {
    let measured = if versions.is_empty() {
        "no recorded version".to_string()
    } else {
        versions.join(", ")
    };
    match closest {
        Some(v) => format!("{measured}: did you mean `{name}@{v}`?"),
        None => measured,
    }
}

/// The series `subjects` and `versions` pick, in the order to show them.
///
/// `subjects` is a comma-separated list of `NAME` (the subject at every
/// version), `NAME@VERSION` (versions starting with `VERSION` at a dot:
/// `Python@3.12` is 3.12.1 but not 3.120; a leading `v` is optional) or
/// `NAME@latest`. `versions` is `all` (the default) or `latest`: each
/// subject at its newest version only.
pub fn select(
    set: &BenchSet,
    subjects: Option<&str>,
    versions: Option<&str>,
) -> Result<Vec<usize>, SelectError> {
    let latest_only = match versions.map(str::trim) {
        None | Some("all") => false,
        Some("latest") => true,
        Some(other) => {
            return Err(SelectError::Versions(other.to_string()));
        }
    };
    // Each subject's series, found once (files may hold many subjects).
    let mut by_subject: std::collections::HashMap<&str, Vec<usize>> =
        std::collections::HashMap::new();
    for (i, s) in set.series.iter().enumerate() {
        by_subject.entry(s.subject.as_str()).or_default().push(i);
    }
    let mut out: Vec<usize> = Vec::new();
    let mut taken = vec![false; set.series.len()];
    let mut push = |found: Vec<usize>| {
        for i in found {
            if !std::mem::replace(&mut taken[i], true) {
                out.push(i);
            }
        }
    };
    match subjects {
        None => {
            for name in &set.subjects {
                push(pick(
                    set,
                    &by_subject,
                    name,
                    latest_only.then_some("latest"),
                )?);
            }
        }
        Some(list) => {
            for sel in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                let (name, version) = split_selector(set, sel);
                let version = version.or(latest_only.then_some("latest"));
                push(pick(set, &by_subject, name, version)?);
            }
        }
    }
    if out.is_empty() {
        return Err(SelectError::NoneNamed);
    }
    Ok(out)
}

/// `Node.js@24` → (`Node.js`, `24`); a subject whose own name holds an `@`
/// is taken as it is.
fn split_selector<'a>(set: &BenchSet, sel: &'a str) -> (&'a str, Option<&'a str>) {
    if sel.contains('@') && set.subjects.iter().any(|s| s == sel) {
        return (sel, None);
    }
    match sel.rsplit_once('@') {
        Some((name, v)) => (name.trim(), Some(v.trim())),
        None => (sel, None),
    }
}

/// The series of subject `name` at `version` (all when `None`).
fn pick(
    set: &BenchSet,
    by_subject: &std::collections::HashMap<&str, Vec<usize>>,
    name: &str,
    version: Option<&str>,
) -> Result<Vec<usize>, SelectError> {
    let of_subject: Vec<usize> = by_subject.get(name).cloned().unwrap_or_default();
    if of_subject.is_empty() {
        let subjects: Vec<&str> = set.subjects.iter().map(String::as_str).collect();
        return Err(SelectError::NoSubject {
            name: name.to_string(),
            of: Names::of(name, &subjects),
        });
    }
    let Some(wanted) = version else {
        return Ok(of_subject);
    };
    if wanted == "latest" {
        // Series are ordered oldest first.
        return Ok(of_subject.last().copied().into_iter().collect());
    }
    let bare = |v: &str| v.trim_start_matches('v').to_string();
    let w = bare(wanted);
    let found: Vec<usize> = of_subject
        .iter()
        .copied()
        .filter(|&i| {
            set.series[i].version.as_deref().is_some_and(|v| {
                let v = bare(v);
                v == w || v.starts_with(&format!("{w}."))
            })
        })
        .collect();
    if found.is_empty() {
        let versions: Vec<&str> = of_subject
            .iter()
            .filter_map(|&i| set.series[i].version.as_deref())
            .collect();
        return Err(SelectError::NoVersion {
            name: name.to_string(),
            wanted: wanted.to_string(),
            closest: closest(&w, versions.iter().map(|v| v.trim_start_matches('v')))
                .map(str::to_string),
            versions: versions.into_iter().map(str::to_string).collect(),
        });
    }
    Ok(found)
}

/// A selector naming one series of `set`: its first subject, at its newest
/// version when it has several (`Node.js@v24.2.0`).
pub fn example_series(set: &BenchSet) -> String {
    let Some(first) = set.subjects.first() else {
        return "...".into();
    };
    let of_first: Vec<&Series> = set.series.iter().filter(|s| s.subject == *first).collect();
    match of_first.as_slice() {
        [_, .., last] => match &last.version {
            Some(v) => format!("{first}@{v}"),
            None => first.clone(),
        },
        _ => first.clone(),
    }
}
