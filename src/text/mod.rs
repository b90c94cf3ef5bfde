//! Leaf helpers on text that every stage uses and that know nothing of a
//! site: escaping for HTML and XML, a scanner for the HTML versus writes,
//! numbers with units and in a language's way, dates, and relative URL
//! paths.

pub mod date;
pub mod escape;
pub mod html;
pub mod locale;
pub mod paths;
pub mod units;
