//! The presentation stage, between parsing ([`crate::data`]) and rendering
//! ([`crate::render`]): what a page shows of parsed data, laid out for
//! display but not yet HTML. [`pick`] narrows results to the benchmarks a
//! shortcode names, [`tables`] tabulates the series it shows ([`intervals`]
//! adds the confidence intervals a table asks for), and [`chart`] lays
//! them out as a chart of one of its kinds. It knows no
//! template engine: it returns serde values, which render hands to Tera.

pub mod chart;
pub mod intervals;
pub mod pick;
pub mod tables;
