//! Confidence intervals for a bench table (`ci=true`): each result's
//! ratio to the best with its 95% bootstrap interval and what the data
//! decides of it ([`crate::data::stats`]).

use super::tables::MetricTable;
use crate::data::results::{BenchSet, Better};
use crate::data::stats::{Comparison, Verdict};
use crate::text::units::format_value;

/// Fills `interval_text` of every result but the best in `tables` (made
/// from `set`): "95% CI 1.79–1.90", with ", level" or ", no clear
/// difference" when the data does not tell it from the best.
pub fn add(set: &BenchSet, tables: &mut [MetricTable]) {
    for t in tables {
        let Some(m) = set.data.iter().find(|m| m.metric == t.metric) else {
            continue;
        };
        for row in &mut t.benchmarks {
            let Some(b) = m.benchmarks.iter().find(|b| b.benchmark == row.benchmark) else {
                continue;
            };
            let runs = |series: usize| {
                b.cells
                    .iter()
                    .find(|c| c.series == series)
                    .map(|c| c.values.as_slice())
            };
            let Some(best) = row
                .results
                .iter()
                .find(|r| r.best)
                .and_then(|r| runs(r.series))
            else {
                continue;
            };
            for r in row.results.iter_mut().filter(|r| !r.best && !r.missing) {
                let Some(mine) = runs(r.series) else {
                    continue;
                };
                // The ratio shown is times worse than the best: above 1.
                let c = match m.better {
                    Better::Lower => Comparison::of(mine, best),
                    Better::Higher => Comparison::of(best, mine),
                    // No best is marked where neither way is better.
                    Better::Neither => None,
                };
                let Some(c) = c else {
                    continue;
                };
                let said = match c.verdict() {
                    Verdict::Level => ", level",
                    Verdict::Unclear => ", no clear difference",
                    Verdict::Larger | Verdict::Smaller => "",
                };
                r.interval_text = format!(
                    "95% CI {}–{}{said}",
                    format_value(c.low),
                    format_value(c.high)
                );
            }
        }
    }
}
