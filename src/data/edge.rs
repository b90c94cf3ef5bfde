//! Measured edges: which subject of a comparison-matrix row the data
//! favours, from the `figure` calls in the row's cells. Figures of the
//! same benchmark and metric (in the same results file) in two subjects'
//! cells are compared by [`stats::Comparison`]: each subject's best series
//! there, the best of them against each other's (see [`decide`]).

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
    /// The edge in words as a matrix row has it: a subject, several
    /// (`Node.js, Bun`), "tie", or `None` when the data decides no edge.
    pub edge: Option<String>,
    /// The subjects that share the edge, in the matrix's order (empty for
    /// a tie or none).
    pub edges: Vec<String>,
    /// Each comparison in words, "; "-joined: "fib(35), time: Node.js
    /// 1.84x faster than Python 3.13.0 (p = 0.00018)".
    pub because: String,
}

/// How one benchmark came out.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    /// These subjects (by index, ascending) are ahead of the others: the
    /// best, and those level with it.
    Ahead(Vec<usize>),
    /// Every subject shown is level with the best.
    Level,
    /// Some subject is neither clearly behind the best nor level with it.
    Unclear,
}

/// The edge the figures `shown` in a row's cells decide; `None` when no
/// benchmark is shown for two subjects (nothing to compare). Each
/// benchmark's best subject is compared with every other: those level
/// with it share its place, those clearly behind lose, and any other
/// leaves that benchmark undecided. The row's edge goes to the subjects
/// ahead in every benchmark that is not level; every benchmark level is a
/// tie; anything else decides no edge.
pub fn decide(subjects: &[String], shown: &[Shown]) -> Option<Decided> {
    let key = |s: &Shown| {
        (
            s.file.clone(),
            s.runs.metric.clone(),
            s.runs.benchmark.clone(),
        )
    };
    // (file, metric, benchmark) in the order first shown.
    let mut keys = Vec::new();
    for s in shown {
        if !keys.contains(&key(s)) {
            keys.push(key(s));
        }
    }
    let mut outcomes = Vec::new();
    let mut because = Vec::new();
    for k in keys {
        let here: Vec<&Shown> = shown.iter().filter(|s| key(s) == k).collect();
        if let Some((outcome, words)) = compare(&here) {
            outcomes.push(outcome);
            because.push(words);
        }
    }
    if outcomes.is_empty() {
        return None;
    }
    let mut ahead: Option<&Vec<usize>> = None;
    let mut decided = true;
    for o in &outcomes {
        match o {
            Outcome::Level => {}
            Outcome::Unclear => decided = false,
            Outcome::Ahead(set) => match ahead {
                Some(before) if before != set => decided = false,
                _ => ahead = Some(set),
            },
        }
    }
    let edges: Vec<String> = match (decided, ahead) {
        (true, Some(set)) => set.iter().map(|&i| subjects[i].clone()).collect(),
        _ => Vec::new(),
    };
    let edge = if !edges.is_empty() {
        Some(edges.join(", "))
    } else if outcomes.iter().all(|o| *o == Outcome::Level) {
        Some("tie".to_string())
    } else {
        None
    };
    Some(Decided {
        edge,
        edges,
        because: because.join("; "),
    })
}

/// One benchmark's figures: each subject's best series, the best of them
/// against each other subject's. `None` when fewer than two subjects show
/// it.
fn compare(here: &[&Shown]) -> Option<(Outcome, String)> {
    let first = here.first()?;
    let (better, is_time) = (first.runs.better, first.runs.is_time);
    // A reading that is better neither way decides no edge.
    if better == Better::Neither {
        return None;
    }
    let median = |s: &Shown| stats::median_sorted(&s.runs.values).unwrap_or(f64::NAN);
    // Best first, as the metric reads.
    let ahead = |a: &&Shown, b: &&Shown| match better {
        Better::Lower => median(a).total_cmp(&median(b)),
        Better::Higher | Better::Neither => median(b).total_cmp(&median(a)),
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
    let [w, others @ ..] = best.as_slice() else {
        return None;
    };
    if others.is_empty() {
        return None;
    }
    let mut leaders = vec![w.subject];
    let mut unclear = false;
    let mut words = Vec::new();
    for r in others {
        let c = Comparison::tested(&w.runs.values, &r.runs.values)?;
        let p = format!("p = {}", super::figure::format_p(c.p)).replace("= <", "<");
        let verdict = if c.ratio == 1.0 {
            Verdict::Level
        } else {
            c.verdict()
        };
        words.push(match verdict {
            Verdict::Larger | Verdict::Smaller => {
                let n = if c.ratio >= 1.0 {
                    c.ratio
                } else {
                    1.0 / c.ratio
                };
                let word = match (better, is_time) {
                    (Better::Lower, true) => "faster".to_string(),
                    (Better::Lower, false) => format!("less {}", first.runs.metric),
                    (Better::Higher | Better::Neither, _) => {
                        format!("more {}", first.runs.metric)
                    }
                };
                format!(
                    "{} {}x {word} than {} ({p})",
                    w.runs.label,
                    format_value(n),
                    r.runs.label
                )
            }
            Verdict::Level => {
                leaders.push(r.subject);
                format!(
                    "{} and {} level (within {}, {p})",
                    w.runs.label,
                    r.runs.label,
                    super::figure::level_band()
                )
            }
            Verdict::Unclear => {
                unclear = true;
                format!(
                    "no clear difference between {} and {} ({p})",
                    w.runs.label, r.runs.label
                )
            }
        });
    }
    leaders.sort_unstable();
    let outcome = if unclear {
        Outcome::Unclear
    } else if leaders.len() == best.len() {
        Outcome::Level
    } else {
        Outcome::Ahead(leaders)
    };
    let what = format!("{}, {}", first.runs.benchmark, first.runs.metric);
    Some((outcome, format!("{what}: {}", words.join(", "))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(subject: usize, label: &str, benchmark: &str, from: f64) -> Shown {
        Shown {
            subject,
            file: "r.csv".into(),
            runs: Runs {
                metric: "time".into(),
                benchmark: benchmark.into(),
                label: label.into(),
                values: (0..10).map(|i| from + f64::from(i)).collect(),
                better: Better::Lower,
                is_time: true,
            },
        }
    }

    fn subjects() -> Vec<String> {
        vec!["A".into(), "B".into()]
    }

    #[test]
    fn one_side_ahead_everywhere_has_the_edge() {
        // A clearly ahead in one benchmark, level in the other.
        let d = decide(
            &subjects(),
            &[
                shown(0, "A", "x", 100.0),
                shown(1, "B", "x", 200.0),
                shown(0, "A", "y", 100.0),
                shown(1, "B", "y", 100.2),
            ],
        )
        .unwrap();
        assert_eq!(d.edge.as_deref(), Some("A"));
        assert_eq!(d.edges, ["A"]);
        assert!(
            d.because.starts_with("x, time: A 1.96x faster than B"),
            "{}",
            d.because
        );
        assert!(
            d.because.contains("; y, time: A and B level (within 3%"),
            "{}",
            d.because
        );
    }

    #[test]
    fn level_everywhere_is_a_tie_and_a_split_decides_nothing() {
        let tie = decide(
            &subjects(),
            &[shown(0, "A", "x", 100.0), shown(1, "B", "x", 100.1)],
        )
        .unwrap();
        assert_eq!((tie.edge.as_deref(), tie.edges.len()), (Some("tie"), 0));
        // A ahead in x, B ahead in y.
        let split = decide(
            &subjects(),
            &[
                shown(0, "A", "x", 100.0),
                shown(1, "B", "x", 200.0),
                shown(0, "A", "y", 200.0),
                shown(1, "B", "y", 100.0),
            ],
        )
        .unwrap();
        assert_eq!(split.edge, None);
        // A subject's best series stands for it: B's second series wins.
        let best = decide(
            &subjects(),
            &[
                shown(0, "A", "x", 150.0),
                shown(1, "B old", "x", 300.0),
                shown(1, "B new", "x", 50.0),
            ],
        )
        .unwrap();
        assert_eq!(best.edge.as_deref(), Some("B"));
        assert!(
            best.because.contains("B new 2.83x faster than A"),
            "{}",
            best.because
        );
        // Nothing shown for two subjects: nothing decided.
        assert_eq!(decide(&subjects(), &[shown(0, "A", "x", 1.0)]), None);
    }
}
