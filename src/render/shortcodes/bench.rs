//! `bench_table` and `bench_chart`: benchmark results as tables, as a bar
//! chart, or as a trend across versions.

use tera::Context;

use std::sync::Arc;

use super::runner::{Builtin, Handler, Links, LoadResult, TeraShortcodes, wrong_kind};
use crate::data::results::BenchSet;
use crate::data::{self, Loaded};
use crate::markdown::CallSite;
use crate::present::tables::MetricTable;
use crate::present::{self, chart};
use crate::report::diagnostic::{Diagnostic, closest};
use crate::shortcode_syntax::{ArgSpec, ArgType, Placement, Spec};

/// The arguments of `bench_chart`; `bench_table` takes them all but
/// `trend` and `relative`.
const CHART_ARGS: [ArgSpec; 11] = [
    ArgSpec::required("data", ArgType::Str),
    ArgSpec::opt("metric", ArgType::Str),
    ArgSpec::opt("title", ArgType::Str),
    ArgSpec::opt("subjects", ArgType::Str),
    ArgSpec::defaults_to("versions", ArgType::Str, "\"all\""),
    ArgSpec::opt("digits", ArgType::Digits),
    ArgSpec::defaults_to("trend", ArgType::Bool, "false"),
    ArgSpec::opt("benchmark", ArgType::Str),
    ArgSpec::opt("benchmarks", ArgType::Str),
    ArgSpec::opt("group", ArgType::Str),
    ArgSpec::defaults_to("relative", ArgType::Bool, "false"),
];

/// `bench_table` takes the chart's arguments but `trend` and `relative`,
/// and `ci`: each ratio's 95% confidence interval.
const TABLE_ARGS: [ArgSpec; 10] = {
    let mut out = [CHART_ARGS[0]; 10];
    let (mut i, mut j) = (0, 0);
    while i < CHART_ARGS.len() {
        if !matches!(CHART_ARGS[i].name.as_bytes(), b"trend" | b"relative") {
            out[j] = CHART_ARGS[i];
            j += 1;
        }
        i += 1;
    }
    out[j] = ArgSpec::defaults_to("ci", ArgType::Bool, "false");
    out
};

pub const TABLE_SPEC: Spec = Spec {
    name: "bench_table",
    placement: Placement::Block,
    args: &TABLE_ARGS,
};

pub const CHART_SPEC: Spec = Spec {
    name: "bench_chart",
    placement: Placement::Block,
    args: &CHART_ARGS,
};

pub const TABLE: Builtin = Builtin {
    spec: &TABLE_SPEC,
    handler: Handler::Block(table),
};

pub const CHART: Builtin = Builtin {
    spec: &CHART_SPEC,
    handler: Handler::Block(chart),
};

/// The arguments both read, checked, in the order they are checked.
struct Asked<'a> {
    title: Option<&'a str>,
    metric: Option<&'a str>,
    subjects: Option<&'a str>,
    versions: Option<&'a str>,
    digits: Option<usize>,
}

impl<'a> Asked<'a> {
    fn of(site: &CallSite<'a>) -> Result<Self, Diagnostic> {
        Ok(Asked {
            title: site.str("title")?,
            metric: site.str("metric")?,
            subjects: site.str("subjects")?,
            versions: site.str("versions")?,
            digits: site.digits("digits")?,
        })
    }
}

/// What the tables show: the results narrowed to the benchmarks picked (if
/// any), the series shown, and a table per metric.
struct Shown {
    picked: Option<BenchSet>,
    series: Vec<usize>,
    tables: Vec<MetricTable>,
}

/// What `bench_table` and `bench_chart` start from: the results file
/// named (`rel`, in `full`), the arguments asked and the tables shown.
struct Results<'s, 'a> {
    rel: &'s str,
    full: &'s BenchSet,
    asked: Asked<'a>,
    shown: Shown,
}

impl<'s, 'a> Results<'s, 'a> {
    /// The results in `file` (as [`TeraShortcodes::data_file`] loaded it)
    /// and their tables, as the call at `site` asks.
    fn of(
        sc: &TeraShortcodes<'_>,
        site: &CallSite<'a>,
        ctx: &mut Context,
        (rel, loaded): &'s (String, Arc<LoadResult>),
    ) -> Result<Self, Diagnostic> {
        let Ok(Loaded::Bench(full)) = loaded.as_ref() else {
            return Err(wrong_kind(site, rel, "benchmark results"));
        };
        let asked = Asked::of(site)?;
        let shown = sc.tables((full, loaded), rel, site, &asked, ctx)?;
        Ok(Results {
            rel,
            full,
            asked,
            shown,
        })
    }
}

fn table(
    sc: &TeraShortcodes<'_>,
    site: &CallSite<'_>,
    ctx: &mut Context,
    _links: &Links<'_>,
) -> Result<String, Diagnostic> {
    let file = sc.data_file(site, ctx)?;
    let r = Results::of(sc, site, ctx, &file)?;
    if site.bool("ci")? == Some(true) {
        let mut tables = r.shown.tables.clone();
        present::intervals::add(r.shown.picked.as_ref().unwrap_or(r.full), &mut tables);
        super::localize::tables(&mut tables, sc.renderer.words(), sc.lang(site));
        ctx.insert("tables", &tables);
    }
    let repeats: Vec<usize> = r
        .shown
        .tables
        .iter()
        .map(|t| {
            let (rel, title) = (r.rel, r.asked.title);
            let (subjects, versions) = (r.asked.subjects, r.asked.versions);
            let key = format!("{rel}\0{title:?}\0{}\0{subjects:?}\0{versions:?}", t.metric);
            sc.repeat(site.page, key)
        })
        .collect();
    ctx.insert("repeats", &repeats);
    Ok(String::new())
}

fn chart(
    sc: &TeraShortcodes<'_>,
    site: &CallSite<'_>,
    ctx: &mut Context,
    _links: &Links<'_>,
) -> Result<String, Diagnostic> {
    let file = sc.data_file(site, ctx)?;
    let r = Results::of(sc, site, ctx, &file)?;
    let set = r.shown.picked.as_ref().unwrap_or(r.full);
    let trend = site.bool("trend")? == Some(true);
    let relative = site.bool("relative")? == Some(true);
    let Some(kind) = chart::Kind::of(trend, relative) else {
        let d = Diagnostic::error("`relative` is for trend charts")
            .with_help("it draws each line's change from its first version: add trend=true");
        return Err(site.at_call(d));
    };
    let drawn = kind
        .draw(
            set,
            &r.shown.tables[0],
            r.asked.title,
            &super::localize::ChartWords {
                words: sc.renderer.words(),
                lang: sc.lang(site),
            },
        )
        .map_err(|msg| {
            let help = if matches!(msg, chart::ChartError::StartsAtZero { .. }) {
                "leave out relative=true to draw the medians, or leave that benchmark \
                 out with `benchmarks`"
                    .to_string()
            } else {
                trend_help(r.full, &r.shown.series)
            };
            site.at_call(Diagnostic::error(msg.to_string()).with_help(help))
        })?;
    ctx.insert("kind", kind.name());
    ctx.insert("fit_class", &drawn.fit_class);
    for (name, mut layout) in drawn.layouts {
        super::localize::chart(&mut layout, sc.renderer.words(), sc.lang(site));
        ctx.insert(name, &layout);
    }
    Ok(String::new())
}

impl TeraShortcodes<'_> {
    /// What `bench_table` and `bench_chart` share: the tables of the metric
    /// asked for, the series shown, the title and the downloads.
    fn tables(
        &self,
        (full, file): (&BenchSet, &Arc<LoadResult>),
        rel: &str,
        site: &CallSite<'_>,
        a: &Asked<'_>,
        ctx: &mut Context,
    ) -> Result<Shown, Diagnostic> {
        let picked = picked(full, rel, site, a.metric)?;
        let set = picked.as_ref().unwrap_or(full);
        let series = data::select::select(set, a.subjects, a.versions).map_err(|e| {
            let faulty = match e {
                data::select::SelectError::Versions(_) => "versions",
                _ => "subjects",
            };
            site.at_arg(faulty, Diagnostic::error(e.to_string()))
        })?;
        let tables = present::tables::tables(set, &series, a.metric, a.digits);
        if tables.is_empty() {
            let names: Vec<&str> = set.data.iter().map(|t| t.metric.as_str()).collect();
            let written = a.metric.unwrap_or_default();
            let hint = match closest(written, names.iter().copied()) {
                Some(c) => format!("did you mean `{c}`?"),
                None => format!("metrics there: {}", names.join(", ")),
            };
            let d = Diagnostic::error(format!("no metric `{written}` in content/{rel}"))
                .with_help(hint);
            return Err(site.at_arg("metric", d));
        }
        if picked.is_some() && tables.iter().all(|t| t.benchmarks.is_empty()) {
            let d = Diagnostic::error("the series shown have no results in the benchmarks picked")
                .with_help(format!(
                    "these results measured them with {}",
                    measured_by(set)
                ));
            return Err(site.at_arg(pick_key(site), d));
        }
        let every = self.every_series(rel, file, full);
        ctx.insert("bench", &present::tables::BenchView::new(full, &every));
        let mut shown = tables.clone();
        super::localize::tables(&mut shown, self.renderer.words(), self.lang(site));
        ctx.insert("tables", &shown);
        ctx.insert("selection", &selection_text(a.subjects, a.versions));
        ctx.insert("title", &a.title.or(set.meta.title.as_deref()));
        ctx.insert(
            "measured_text",
            &data::results::measured_text(&set.meta, &set.series, &series),
        );
        ctx.insert("downloads", &self.downloads(site.page, rel));
        Ok(Shown {
            picked,
            series,
            tables,
        })
    }
}

/// The results narrowed to the benchmarks the call picks (`benchmark`,
/// `benchmarks`, `group`), or none when it picks none.
fn picked(
    set: &BenchSet,
    rel: &str,
    site: &CallSite<'_>,
    metric: Option<&str>,
) -> Result<Option<BenchSet>, Diagnostic> {
    let wanted = present::pick::Wanted {
        one: site.str("benchmark")?,
        list: site.str("benchmarks")?,
        group: site.str("group")?,
    };
    present::pick::benchmarks(set, metric, wanted, &format!("content/{rel}")).map_err(|m| {
        site.at_arg(
            pick_key(site),
            Diagnostic::error(m.message).with_help(m.help),
        )
    })
}

/// The argument a call picks benchmarks with (only one may be given), which
/// errors about the pick point at.
fn pick_key(site: &CallSite<'_>) -> &'static str {
    ["benchmark", "benchmarks", "group"]
        .into_iter()
        .find(|k| site.call.args.contains_key(*k))
        .unwrap_or("benchmark")
}
/// How to pick series for a trend, from the file's own subjects: those
/// measured in several versions, the ones shown first.
fn trend_help(set: &BenchSet, shown: &[usize]) -> String {
    let versions = |subject: &str| {
        set.series
            .iter()
            .filter(|s| s.subject == subject && s.version.is_some())
            .count()
    };
    let mut several: Vec<&str> = shown
        .iter()
        .map(|&i| set.series[i].subject.as_str())
        .chain(set.subjects.iter().map(String::as_str))
        .filter(|s| versions(s) >= 2)
        .collect();
    let mut seen = std::collections::HashSet::new();
    several.retain(|s| seen.insert(*s));
    match several.as_slice() {
        [] => "a trend needs a subject measured in several versions (the `version` column); \
               each subject in these results has one"
            .to_string(),
        [one] => format!("pick one subject in several versions: subjects=\"{one}\""),
        [a, b, ..] => {
            format!("pick one subject in several versions: subjects=\"{a}\" or subjects=\"{b}\"")
        }
    }
}

/// The series with results in the benchmarks of `set`, by label: "Node.js
/// v20.1.0, Python 3.13.0".
fn measured_by(set: &BenchSet) -> String {
    let mut series: Vec<usize> = set
        .data
        .iter()
        .flat_map(|m| &m.benchmarks)
        .flat_map(|b| &b.cells)
        .filter(|c| !c.missing())
        .map(|c| c.series)
        .collect();
    series.sort_unstable();
    series.dedup();
    let labels: Vec<&str> = series
        .iter()
        .filter_map(|&i| set.series.get(i))
        .map(|s| s.label.as_str())
        .collect();
    if labels.is_empty() {
        "no series: every result there is missing".into()
    } else {
        labels.join(", ")
    }
}

/// What `subjects=` and `versions=` picked, in words, for a caption: two
/// tables of one results file read apart ("Node.js, Python; latest
/// versions"). Empty when both are absent.
fn selection_text(subjects: Option<&str>, versions: Option<&str>) -> String {
    let mut parts = Vec::new();
    if let Some(s) = subjects {
        parts.push(s.to_string());
    }
    match versions {
        Some("latest") => parts.push("latest versions".to_string()),
        Some(v) => parts.push(format!("versions: {v}")),
        None => {}
    }
    parts.join("; ")
}
