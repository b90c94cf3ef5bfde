//! Hand-set edges the data disagrees with: a comparison-matrix row whose
//! cells show figures of the same benchmark for two subjects, and whose
//! `edge` names another winner (or a tie) than the statistics decide
//! ([`crate::data::edge`]). Rows with `edge = "measured"` take the data's.

use std::collections::BTreeSet;

use crate::data::Loaded;
use crate::pipeline::Session;
use crate::report::diagnostic::Diagnostic;

/// One warning per row of every matrix a page shows whose hand-set edge
/// is not the one its figures decide.
pub fn disagreeing(s: &Session) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut done = BTreeSet::new();
    for i in 0..s.bodies().len() {
        let page = &s.content().pages[i];
        for rel in s.graph().data_of(i) {
            if !done.insert(rel.to_string()) {
                continue;
            }
            let loaded = s.store().load(rel);
            let Ok(Loaded::Matrix(m)) = loaded.as_ref() else {
                continue;
            };
            let Ok(src) = s.store().source(rel) else {
                continue;
            };
            for row in &m.rows {
                let Some(decided) = &row.decided else {
                    continue;
                };
                let mut hand = row.edges.clone();
                hand.sort();
                let mut data = decided.edges.clone();
                data.sort();
                let same = if hand.is_empty() {
                    row.edge == decided.edge
                } else {
                    hand == data
                };
                if row.edge_measured || row.edge.is_none() || same {
                    continue;
                }
                let hand = row.edge.as_deref().unwrap_or_default();
                let data = match decided.edge.as_deref() {
                    Some("tie") => "a tie".to_string(),
                    Some(e) => format!("`{e}`"),
                    None => "no edge".to_string(),
                };
                let span = row.edge_span.clone().unwrap_or(row.at..row.at);
                out.push(
                    Diagnostic::warning(format!(
                        "the edge is set to `{hand}` by hand, but the results decide {data}"
                    ))
                    .at(&src.shown, &src.text, span)
                    .with_note(format!(
                        "{}; shown by {}",
                        decided.because,
                        page.shown.display()
                    ))
                    .with_help(
                        "write edge = \"measured\" to take the edge from the data (docs/data.md), or fix the edge",
                    )
                    .with_code("edge-vs-data"),
                );
            }
        }
    }
    out
}
