//! What a kind of chart provides to the registry ([`Spec`]) and what it
//! lays out for its template ([`Drawn`]).

use serde::Serialize;

use crate::data::results::BenchSet;
use crate::present::tables::MetricTable;

/// A kind of chart, as its module describes it.
pub struct Spec {
    /// The `kind` the template is given (`bars`, `trend`, `relative-trend`).
    pub name: &'static str,
    /// The values of the call's `trend` and `relative` that ask for it.
    pub trend: bool,
    pub relative: bool,
    /// Lays out the chart of one table of the set.
    pub draw: fn(&BenchSet, &MetricTable, Option<&str>) -> Result<Drawn, String>,
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
    ) -> Result<Self, String> {
        Ok(Self {
            fit_class,
            layouts: [
                (
                    wide.0,
                    serde_json::to_value(wide.1).map_err(|e| e.to_string())?,
                ),
                (
                    phone.0,
                    serde_json::to_value(phone.1).map_err(|e| e.to_string())?,
                ),
            ],
        })
    }
}
