//! versus: a static documentation site generator for technical comparisons.
//!
//! The build is a pipeline whose stages are the modules below, in order:
//! [`config`] and [`content`] load, [`markdown`] and [`data`] parse,
//! [`render`] and [`highlight`] render, [`output`] writes. [`pipeline`]
//! runs them as named, timed steps.

pub mod bench;
pub mod cache;
pub mod check;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod content;
pub mod data;
pub mod deps;
pub mod highlight;
pub mod lang;
pub mod markdown;
pub mod output;
pub mod packed;
pub mod pipeline;
pub mod present;
pub mod publish;
pub mod record;
pub mod render;
pub mod report;
pub mod schema;
pub mod serve;
pub mod shortcode_syntax;
pub mod site_build;
pub mod source;
pub mod text;
pub mod watch;
