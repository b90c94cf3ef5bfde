//! Which series (subjects at their versions) a selector names:
//! `subjects="Node.js@24, Python"` and `versions="latest"` on a table or
//! chart, `subject=` and `vs=` on a figure. Errors offer the closest name.

use super::results::{BenchSet, Series};
use crate::diagnostic::closest;

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
) -> Result<Vec<usize>, String> {
    let latest_only = match versions.map(str::trim) {
        None | Some("all") => false,
        Some("latest") => true,
        Some(other) => {
            return Err(format!("versions is `all` or `latest`, not `{other}`"));
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
        return Err("`subjects` names no subject".into());
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
) -> Result<Vec<usize>, String> {
    let of_subject: Vec<usize> = by_subject.get(name).cloned().unwrap_or_default();
    if of_subject.is_empty() {
        let hint = match closest(name, set.subjects.iter().map(String::as_str)) {
            Some(c) => format!("did you mean `{c}`?"),
            None => format!("the subjects are {}", set.subjects.join(", ")),
        };
        return Err(format!("no subject `{name}` in these results: {hint}"));
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
        let guess = closest(&w, versions.iter().map(|v| v.trim_start_matches('v')))
            .map(|v| format!(": did you mean `{name}@{v}`?"))
            .unwrap_or_default();
        return Err(format!(
            "no version `{wanted}` of `{name}` in these results: it was measured in {}{guess}",
            if versions.is_empty() {
                "no recorded version".to_string()
            } else {
                versions.join(", ")
            }
        ));
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
