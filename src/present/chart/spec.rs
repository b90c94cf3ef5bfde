//! What a kind of chart provides to the registry ([`KindSpec`]) and what it
//! lays out for its template ([`Drawn`]).

use serde::Serialize;

use crate::data::results::BenchSet;
use crate::present::tables::MetricTable;

/// Lays out the chart of one table of a set (its title, if the call gives
/// one), its words said by the [`super::phrases::Phrases`].
pub type DrawFn = fn(
    &BenchSet,
    &MetricTable,
    Option<&str>,
    &dyn super::phrases::Phrases,
) -> Result<Drawn, ChartError>;

/// A kind of chart, as its module describes it.
pub struct KindSpec {
    /// The `kind` the template is given (`bars`, `trend`, `relative-trend`).
    pub name: &'static str,
    /// The values of the call's `trend` and `relative` that ask for it.
    pub trend: bool,
    pub relative: bool,
    /// Lays out the chart of one table of the set.
    pub draw: DrawFn,
}

/// Why a kind of chart cannot draw the results shown. Messages name the
/// subjects, versions or benchmark that stand in the way.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// Two subjects of a trend that share no version.
    #[error("`{0}` and `{1}` share no version: a trend shows the versions of one runtime")]
    NoSharedVersion(String, String),
    /// A trend over fewer than two versions: those there are.
    #[error(
        "a trend needs results in at least two versions; these have {}",
        versions_or_none(.0)
    )]
    TooFewVersions(Vec<String>),
    /// A relative trend whose line (benchmark and subject) starts at 0.
    #[error(
        "`{benchmark}` of {subject} is 0 in its first version: no change from it can be shown in percent"
    )]
    StartsAtZero { benchmark: String, subject: String },
    /// A layout that does not become a template value.
    #[error(transparent)]
    Layout(#[from] serde_json::Error),
}

fn versions_or_none(versions: &[String]) -> String {
    if versions.is_empty() {
        "none recorded".to_string()
    } else {
        versions.join(", ")
    }
}

/// A chart laid out for its template: the width class of the wide layout
/// ([`super::phone::width_class`]), and the wide and phone layouts under the names the
/// template reads them by.
#[derive(Debug)]
pub struct Drawn {
    pub fit_class: String,
    pub layouts: [(&'static str, serde_json::Value); 2],
}

impl Drawn {
    pub(super) fn new(
        fit_class: String,
        wide: (&'static str, &impl Serialize),
        phone: (&'static str, &impl Serialize),
    ) -> Result<Self, ChartError> {
        Ok(Self {
            fit_class,
            layouts: [
                (wide.0, serde_json::to_value(wide.1)?),
                (phone.0, serde_json::to_value(phone.1)?),
            ],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::ChartError;

    #[test]
    fn each_reason_reads_as_before() {
        let cases = [
            (
                ChartError::NoSharedVersion("Node.js".into(), "Python".into()),
                "`Node.js` and `Python` share no version: a trend shows the versions of one \
                 runtime",
            ),
            (
                ChartError::TooFewVersions(vec!["20".into()]),
                "a trend needs results in at least two versions; these have 20",
            ),
            (
                ChartError::TooFewVersions(Vec::new()),
                "a trend needs results in at least two versions; these have none recorded",
            ),
            (
                ChartError::StartsAtZero {
                    benchmark: "fib".into(),
                    subject: "Bun".into(),
                },
                "`fib` of Bun is 0 in its first version: no change from it can be shown in \
                 percent",
            ),
        ];
        for (error, message) in cases {
            assert_eq!(error.to_string(), message);
        }
    }
}
