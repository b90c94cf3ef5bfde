//! Which benchmarks a `bench_table` or `bench_chart` call shows: one by
//! name (`benchmark`), several (`benchmarks`, comma-separated), or those of
//! one or more groups (`group`, the `group` column, which `versus bench`
//! fills with the benchmark's `name`). A name that matches nothing is an
//! error that offers the closest name in the file.
//!
//! The pick narrows the results before any table is made, so ratios,
//! summaries, the "Measured" line and a chart's axis are those of the
//! benchmarks shown.

use std::collections::HashSet;

use crate::data::results::{BenchData, BenchSet, MetricData};
use crate::report::diagnostic::closest;

/// The arguments a call picks benchmarks with.
#[derive(Debug, Clone, Copy, Default)]
pub struct Wanted<'a> {
    /// `benchmark`: one name, commas and all.
    pub one: Option<&'a str>,
    /// `benchmarks`: names separated by commas.
    pub list: Option<&'a str>,
    /// `group`: group names separated by commas.
    pub group: Option<&'a str>,
}

/// A pick that matched nothing: what is wrong, and what would work.
#[derive(Debug, Clone, PartialEq)]
pub struct Miss {
    pub message: String,
    pub help: String,
}

impl Miss {
    fn new(message: String, help: String) -> Self {
        Self { message, help }
    }
}

/// The results of `set` narrowed to the benchmarks `wanted` picks, in the
/// order they are named (a group's in the file's order), within `metric`
/// when one is named; `None` when the call picks no benchmark (all are
/// shown) or names a metric the file lacks (the caller reports that).
/// `file` names the file in messages (`content/b.csv`).
pub fn benchmarks(
    set: &BenchSet,
    metric: Option<&str>,
    wanted: Wanted<'_>,
    file: &str,
) -> Result<Option<BenchSet>, Miss> {
    let given: Vec<&str> = [
        ("benchmark", wanted.one),
        ("benchmarks", wanted.list),
        ("group", wanted.group),
    ]
    .iter()
    .filter(|(_, v)| v.is_some())
    .map(|(k, _)| *k)
    .collect();
    if let [a, b, ..] = given.as_slice() {
        return Err(Miss::new(
            format!("`{a}` and `{b}` cannot be used together"),
            "`benchmark` names one benchmark, `benchmarks` several (separated by commas), \
             `group` the benchmarks of one or more groups"
                .into(),
        ));
    }
    let scope: Vec<&MetricData> = set
        .data
        .iter()
        .filter(|m| metric.is_none_or(|n| m.metric == n))
        .collect();
    if given.is_empty() || scope.is_empty() {
        return Ok(None);
    }
    let names = names_in(&scope);
    let groups = groups_in(&scope);
    let within = metric.map_or_else(|| file.to_string(), |m| format!("metric `{m}` of {file}"));
    let picked: Vec<&str> = if let Some(one) = wanted.one {
        vec![one_name(set, &names, &groups, one.trim(), &within)?]
    } else if let Some(list) = wanted.list {
        listed(set, &names, &groups, list, &within)?
    } else {
        by_group(
            &scope,
            &names,
            &groups,
            wanted.group.unwrap_or_default(),
            &within,
        )?
    };
    Ok(Some(narrowed(set, &scope, &picked)))
}

/// The benchmark names of the metrics in scope, in order of appearance.
fn names_in<'a>(scope: &[&'a MetricData]) -> Vec<&'a str> {
    let mut seen = HashSet::new();
    scope
        .iter()
        .flat_map(|m| &m.benchmarks)
        .map(|b| b.benchmark.as_str())
        .filter(|n| seen.insert(*n))
        .collect()
}

/// The group names of the metrics in scope, in order of appearance.
fn groups_in<'a>(scope: &[&'a MetricData]) -> Vec<&'a str> {
    let mut seen = HashSet::new();
    scope
        .iter()
        .flat_map(|m| &m.benchmarks)
        .filter_map(|b| b.group.as_deref())
        .filter(|g| seen.insert(*g))
        .collect()
}

/// `benchmark="..."`: the whole text is one name.
fn one_name<'a>(
    set: &BenchSet,
    names: &[&'a str],
    groups: &[&str],
    one: &str,
    within: &str,
) -> Result<&'a str, Miss> {
    if let Some(n) = names.iter().find(|n| **n == one) {
        return Ok(n);
    }
    // Several names in one: say which argument takes a list.
    let items = split_names(one, names);
    if items.len() > 1 && items.iter().all(|(_, found)| *found) {
        return Err(Miss::new(
            format!("no benchmark `{one}` in {within}"),
            format!("`benchmark` names one benchmark; for several write benchmarks=\"{one}\""),
        ));
    }
    Err(unknown_name(set, names, groups, one, within))
}

/// `benchmarks="a, b"`: names separated by commas. A name that holds commas
/// itself (`JSON round trips (20,000 records, 5 times)`) is taken whole.
fn listed<'a>(
    set: &BenchSet,
    names: &[&'a str],
    groups: &[&str],
    list: &str,
    within: &str,
) -> Result<Vec<&'a str>, Miss> {
    let mut picked: Vec<&'a str> = Vec::new();
    for (item, found) in split_names(list, names) {
        if !found {
            return Err(unknown_name(set, names, groups, &item, within));
        }
        if let Some(n) = names.iter().find(|n| **n == item) {
            if !picked.contains(n) {
                picked.push(n);
            }
        }
    }
    if picked.is_empty() {
        return Err(Miss::new(
            "`benchmarks` names no benchmark".into(),
            format!(
                "name them, separated by commas: benchmarks=\"{}\"",
                example(names)
            ),
        ));
    }
    Ok(picked)
}

/// `group="a, b"`: the benchmarks of each group, groups in the order
/// written, each one's benchmarks in the file's order.
fn by_group<'a>(
    scope: &[&'a MetricData],
    names: &[&'a str],
    groups: &[&str],
    list: &str,
    within: &str,
) -> Result<Vec<&'a str>, Miss> {
    if groups.is_empty() {
        return Err(Miss::new(
            format!("{within} gives its benchmarks no group"),
            format!(
                "`versus bench` writes each benchmark's name in the `group` column; \
                 here pick benchmarks by name: benchmarks=\"{}\"",
                example(names)
            ),
        ));
    }
    let mut picked: Vec<&'a str> = Vec::new();
    let mut any = false;
    for g in list.split(',').map(str::trim).filter(|g| !g.is_empty()) {
        any = true;
        if !groups.contains(&g) {
            return Err(unknown_group(names, groups, g, within));
        }
        for b in scope.iter().flat_map(|m| &m.benchmarks) {
            if b.group.as_deref() == Some(g) && !picked.contains(&b.benchmark.as_str()) {
                picked.push(&b.benchmark);
            }
        }
    }
    if !any {
        return Err(Miss::new(
            "`group` names no group".into(),
            format!("the groups there: {}", quoted(groups)),
        ));
    }
    Ok(picked)
}

/// The error for a benchmark name not in the file: the closest name, a
/// group of that name, the name in another metric, or the names there.
fn unknown_name(set: &BenchSet, names: &[&str], groups: &[&str], name: &str, within: &str) -> Miss {
    let message = format!("no benchmark `{name}` in {within}");
    if groups.contains(&name) {
        return Miss::new(
            message,
            format!("`{name}` is a group: write group=\"{name}\""),
        );
    }
    if let Some(c) = closest(name, names.iter().copied()) {
        return Miss::new(message, format!("did you mean `{c}`?"));
    }
    if let Some(m) = set
        .data
        .iter()
        .find(|m| m.benchmarks.iter().any(|b| b.benchmark == name))
    {
        return Miss::new(
            message,
            format!(
                "it was measured in metric `{}`: metric=\"{}\"",
                m.metric, m.metric
            ),
        );
    }
    Miss::new(message, format!("the benchmarks there: {}", quoted(names)))
}

/// The error for a group not in the file.
fn unknown_group(names: &[&str], groups: &[&str], group: &str, within: &str) -> Miss {
    let message = format!("no group `{group}` in {within}");
    if names.contains(&group) {
        return Miss::new(
            message,
            format!("`{group}` is a benchmark: write benchmark=\"{group}\""),
        );
    }
    if let Some(c) = closest(group, groups.iter().copied()) {
        return Miss::new(message, format!("did you mean `{c}`?"));
    }
    Miss::new(message, format!("the groups there: {}", quoted(groups)))
}

/// Names in backquotes, separated by commas; past ten, how many more.
fn quoted(names: &[&str]) -> String {
    let mut out: Vec<String> = names.iter().take(10).map(|n| format!("`{n}`")).collect();
    if names.len() > 10 {
        out.push(format!("and {} more", names.len() - 10));
    }
    out.join(", ")
}

/// The first two names, as an example list.
fn example(names: &[&str]) -> String {
    names.iter().take(2).copied().collect::<Vec<_>>().join(", ")
}

/// The items of a comma-separated list of names, each with whether it is
/// one of `names`. At each comma the longest run of pieces that makes a
/// name is taken whole, so names holding commas need no quoting; text that
/// makes no name runs to the next comma outside brackets.
fn split_names(list: &str, names: &[&str]) -> Vec<(String, bool)> {
    let known: HashSet<&str> = names.iter().copied().collect();
    // No name has more commas than this: runs longer need no trying.
    let most = names
        .iter()
        .map(|n| n.matches(',').count())
        .max()
        .unwrap_or(0);
    let pieces: Vec<&str> = list.split(',').collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < pieces.len() {
        let last = (i + most).min(pieces.len() - 1);
        let found = (i..=last)
            .rev()
            .find(|&j| known.contains(pieces[i..=j].join(",").trim()));
        let j = match found {
            Some(j) => j,
            None => {
                let mut j = i;
                while j + 1 < pieces.len() && depth(&pieces[i..=j].join(",")) > 0 {
                    j += 1;
                }
                j
            }
        };
        let item = pieces[i..=j].join(",").trim().to_string();
        if !item.is_empty() {
            out.push((item, found.is_some()));
        }
        i = j + 1;
    }
    out
}

/// Brackets opened and not closed in `text`.
fn depth(text: &str) -> i64 {
    text.chars()
        .map(|c| match c {
            '(' | '[' | '{' => 1,
            ')' | ']' | '}' => -1,
            _ => 0,
        })
        .sum()
}

/// A copy of `set` holding only the `picked` benchmarks (in that order) of
/// the metrics in scope that measured any, and only the runs that measured
/// them. Series keep their places, so colours do not change.
fn narrowed(set: &BenchSet, scope: &[&MetricData], picked: &[&str]) -> BenchSet {
    let data: Vec<MetricData> = scope
        .iter()
        .filter_map(|m| {
            let benchmarks: Vec<BenchData> = picked
                .iter()
                .filter_map(|p| m.benchmarks.iter().find(|b| b.benchmark == *p))
                .cloned()
                .collect();
            (!benchmarks.is_empty()).then(|| MetricData {
                benchmarks,
                ..without_benchmarks(m)
            })
        })
        .collect();
    let picked_groups: Vec<&str> = data
        .iter()
        .flat_map(|m| &m.benchmarks)
        .filter_map(|b| b.group.as_deref())
        .collect();
    let mut meta = set.meta.clone();
    if !picked_groups.is_empty() {
        meta.runs.retain(|r| {
            r.benchmarks.is_empty()
                || r.benchmarks
                    .iter()
                    .any(|b| picked_groups.contains(&b.as_str()))
        });
    }
    BenchSet {
        meta,
        subjects: set.subjects.clone(),
        series: set.series.clone(),
        measured_text: None,
        data,
    }
}

/// Metric `m` without its benchmarks.
fn without_benchmarks(m: &MetricData) -> MetricData {
    MetricData {
        metric: m.metric.clone(),
        unit: m.unit.clone(),
        better: m.better,
        is_time: m.is_time,
        benchmarks: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "benchmark,subject,metric,value,version,group\n\
        fib(35),Node.js,time,90,v20,fib\n\
        fib(35),Node.js,time,80,v24,fib\n\
        \"JSON round trips (20,000 records, 5 times)\",Node.js,time,400,v20,json\n\
        \"JSON round trips (20,000 records, 5 times)\",Node.js,time,300,v24,json\n\
        \"a, b\",Node.js,time,2,v20,misc\n\
        fib(35),Node.js,memory,40,v20,fib\n";

    fn set(csv: &str) -> BenchSet {
        crate::data::results::for_test(csv, None)
    }

    fn pick(s: &BenchSet, metric: Option<&str>, w: Wanted<'_>) -> Result<Vec<String>, Miss> {
        let view = benchmarks(s, metric, w, "content/r.csv")?.unwrap();
        Ok(view
            .data
            .iter()
            .flat_map(|m| {
                m.benchmarks
                    .iter()
                    .map(|b| format!("{}/{}", m.metric, b.benchmark))
            })
            .collect())
    }

    #[test]
    fn names_with_commas_are_taken_whole_in_a_list() {
        let s = set(CSV);
        let json = "JSON round trips (20,000 records, 5 times)";
        let list = format!("{json}, fib(35), a, b");
        let got = pick(
            &s,
            Some("time"),
            Wanted {
                list: Some(&list),
                ..Wanted::default()
            },
        );
        assert_eq!(
            got.unwrap(),
            [
                format!("time/{json}"),
                "time/fib(35)".into(),
                "time/a, b".into()
            ]
        );
        let one = pick(
            &s,
            None,
            Wanted {
                one: Some(json),
                ..Wanted::default()
            },
        )
        .unwrap();
        assert_eq!(one, [format!("time/{json}")]);
    }

    #[test]
    fn groups_pick_their_benchmarks_and_metrics_without_them_go() {
        let s = set(CSV);
        let got = pick(
            &s,
            None,
            Wanted {
                group: Some("fib"),
                ..Wanted::default()
            },
        )
        .unwrap();
        assert_eq!(got, ["time/fib(35)", "memory/fib(35)"]);
        let got = pick(
            &s,
            None,
            Wanted {
                group: Some("json"),
                ..Wanted::default()
            },
        )
        .unwrap();
        assert_eq!(got.len(), 1, "memory has no json: {got:?}");
    }

    #[test]
    fn misses_say_what_would_work() {
        let s = set(CSV);
        let miss = |w: Wanted<'_>, metric: Option<&str>| pick(&s, metric, w).unwrap_err();
        let m = miss(
            Wanted {
                one: Some("fib(3)"),
                ..Wanted::default()
            },
            None,
        );
        assert_eq!(m.message, "no benchmark `fib(3)` in content/r.csv");
        assert_eq!(m.help, "did you mean `fib(35)`?");
        let m = miss(
            Wanted {
                list: Some("fib(35), JSON round trip (20,000 records, 5 times)"),
                ..Wanted::default()
            },
            None,
        );
        assert!(
            m.message
                .contains("`JSON round trip (20,000 records, 5 times)`"),
            "{m:?}"
        );
        assert!(m.help.contains("did you mean `JSON round trips"), "{m:?}");
        let m = miss(
            Wanted {
                group: Some("jsno"),
                ..Wanted::default()
            },
            None,
        );
        assert_eq!(
            (m.message.as_str(), m.help.as_str()),
            ("no group `jsno` in content/r.csv", "did you mean `json`?")
        );
        let m = miss(
            Wanted {
                one: Some("misc"),
                ..Wanted::default()
            },
            None,
        );
        assert!(m.help.contains("group=\"misc\""), "{m:?}");
        let m = miss(
            Wanted {
                one: Some("fib(35), a, b"),
                ..Wanted::default()
            },
            None,
        );
        assert!(m.help.contains("benchmarks=\"fib(35), a, b\""), "{m:?}");
        let m = miss(
            Wanted {
                one: Some("a"),
                group: Some("fib"),
                ..Wanted::default()
            },
            None,
        );
        assert!(m.message.contains("cannot be used together"), "{m:?}");
        let m = miss(
            Wanted {
                one: Some("JSON round trips (20,000 records, 5 times)"),
                ..Wanted::default()
            },
            Some("memory"),
        );
        assert!(
            m.message.contains("metric `memory`") && m.help.contains("metric=\"time\""),
            "{m:?}"
        );
        let plain = set("benchmark,subject,value\nx,A,1\ny,A,2\n");
        let m = benchmarks(
            &plain,
            None,
            Wanted {
                group: Some("x"),
                ..Wanted::default()
            },
            "content/p.csv",
        )
        .unwrap_err();
        assert!(
            m.message.contains("no group") && m.help.contains("benchmarks=\"x, y\""),
            "{m:?}"
        );
    }

    #[test]
    fn a_long_list_of_commas_stays_quick() {
        let s = set(CSV);
        let list = ",".repeat(100_000);
        let got = pick(
            &s,
            None,
            Wanted {
                list: Some(&list),
                ..Wanted::default()
            },
        );
        assert!(got.unwrap_err().message.contains("names no benchmark"));
    }
}
