//! Measured edges: which subject of a comparison-matrix row the data
//! favours, from the `figure` calls in the row's cells. Figures of the
//! same benchmark and metric (in the same results file) in two subjects'
//! cells are compared by [`stats::Comparison`]: each subject's best series
//! there against the runner-up's. A subject has the edge when it is
//! clearly better in at least one comparison and no other subject is in
//! any; the row is a tie when every comparison is level; otherwise the
//! data decides no edge.

use super::figure::Runs;
use super::results::Better;
use super::stats::{self, Comparison, Verdict};
use crate::text::units::format_value;

/// A figure in a subject's cell, with the runs it shows the median of.
#[derive(Debug, Clone)]
pub struct Shown {
    /// The subject's index in the matrix.
    pub subject: usize,
    /// The results file (under content/).
    pub file: String,
    pub runs: Runs,
}

/// What the data decides of a row.
#[derive(Debug, Clone, PartialEq)]
pub struct Decided {
    /// A subject, "tie", or `None` when the data decides no edge.
    pub edge: Option<String>,
    /// Each comparison in words, "; "-joined: "fib(35), time: Node.js
    /// 1.84x faster than Python 3.13.0 (p < 0.0001)".
    pub because: String,
}

/// How one comparison came out.
enum Outcome {
    Win(usize),
    Level,
    Unclear,
}

/// The edge the figures `shown` in a row's cells decide; `None` when no
/// benchmark is shown for two subjects (nothing to compare).
pub fn decide(subjects: &[String], shown: &[Shown]) -> Option<Decided> {
    // (file, metric, benchmark) in the order first shown.
    let mut keys: Vec<(&str, &str, &str)> = Vec::new();
    for s in shown {
        let key = (
            s.file.as_str(),
            s.runs.metric.as_str(),
            s.runs.benchmark.as_str(),
        );
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    let mut outcomes = Vec::new();
    let mut because = Vec::new();
    for key in keys {
        let here: Vec<&Shown> = shown
            .iter()
            .filter(|s| {
                (
                    s.file.as_str(),
                    s.runs.metric.as_str(),
                    s.runs.benchmark.as_str(),
                ) == key
            })
            .collect();
        if let Some((outcome, words)) = compare(&here) {
            outcomes.push(outcome);
            because.push(words);
        }
    }
    if outcomes.is_empty() {
        return None;
    }
    let mut winners: Vec<usize> = outcomes
        .iter()
        .filter_map(|o| match o {
            Outcome::Win(s) => Some(*s),
            _ => None,
        })
        .collect();
    winners.dedup();
    let edge = match winners.as_slice() {
        [one]
            if outcomes
                .iter()
                .all(|o| !matches!(o, Outcome::Win(s) if s != one)) =>
        {
            Some(subjects[*one].clone())
        }
        [] if outcomes.iter().all(|o| matches!(o, Outcome::Level)) => Some("tie".to_string()),
        _ => None,
    };
    Some(Decided {
        edge,
        because: because.join("; "),
    })
}

/// One benchmark's figures: each subject's best series, the best of them
/// against the runner-up. `None` when fewer than two subjects show it.
fn compare(here: &[&Shown]) -> Option<(Outcome, String)> {
    let first = here.first()?;
    let (better, is_time) = (first.runs.better, first.runs.is_time);
    let median = |s: &Shown| stats::median_sorted(&s.runs.values).unwrap_or(f64::NAN);
    // Best first, as the metric reads.
    let ahead = |a: &&Shown, b: &&Shown| match better {
        Better::Lower => median(a).total_cmp(&median(b)),
        Better::Higher => median(b).total_cmp(&median(a)),
    };
    let mut best: Vec<&Shown> = Vec::new();
    for s in here.iter().copied().filter(|s| !s.runs.values.is_empty()) {
        match best.iter_mut().find(|b| b.subject == s.subject) {
            Some(b) if ahead(&s, b).is_lt() => *b = s,
            Some(_) => {}
            None => best.push(s),
        }
    }
    best.sort_by(ahead);
    let [w, r, ..] = best.as_slice() else {
        return None;
    };
    let c = Comparison::of(&w.runs.values, &r.runs.values)?;
    let what = format!("{}, {}", first.runs.benchmark, first.runs.metric);
    let p = format!("p = {}", super::figure::format_p(c.p)).replace("= <", "<");
    let verdict = if c.ratio == 1.0 {
        Verdict::Level
    } else {
        c.verdict()
    };
    Some(match verdict {
        Verdict::Larger | Verdict::Smaller => {
            let n = if c.ratio >= 1.0 {
                c.ratio
            } else {
                1.0 / c.ratio
            };
            let word = match (better, is_time) {
                (Better::Lower, true) => "faster".to_string(),
                (Better::Lower, false) => format!("less {}", first.runs.metric),
                (Better::Higher, _) => format!("more {}", first.runs.metric),
            };
            (
                Outcome::Win(w.subject),
                format!(
                    "{what}: {} {}x {word} than {} ({p})",
                    w.runs.label,
                    format_value(n),
                    r.runs.label
                ),
            )
        }
        Verdict::Level => (
            Outcome::Level,
            format!(
                "{what}: {} and {} level (within {}, {p})",
                w.runs.label,
                r.runs.label,
                super::figure::level_band()
            ),
        ),
        Verdict::Unclear => (
            Outcome::Unclear,
            format!(
                "{what}: no clear difference between {} and {} ({p})",
                w.runs.label, r.runs.label
            ),
        ),
    })
}
