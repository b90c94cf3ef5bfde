//! The Markdown stage: pulldown-cmark events in, HTML out. It never sees
//! Tera: shortcodes are handed to a [`Shortcodes`] renderer.
//!
//! Two passes per page. [`outline`] finds the title and the headings (with
//! their final ids) of every page; [`render`] then transforms the events with
//! all outlines known, so a link to `other.md#anchor` is checked against the
//! other page's real ids and rewritten to its output file.
//!
//! No shortcode call reaches a page as text: a block shortcode runs where a
//! block may stand (a paragraph of its own, the only text of a list item)
//! and is an error anywhere else; only literal calls (`{{/* */}}`) and code
//! show a call.
//!
//! | file | job |
//! | --- | --- |
//! | env.rs | what the pass reads ([`Env`], [`Shortcodes`]) and returns ([`RenderedBody`]) |
//! | call_site.rs | a shortcode call where it was written ([`CallSite`]): its arguments read and its errors located |
//! | outline.rs | the first pass: title, heading ids, word count |
//! | pass.rs | the second pass: walks the events, headings, raw HTML, links |
//! | writer.rs | the page being written and its located diagnostics |
//! | calls.rs | shortcode calls: run as blocks, inline, or reported |
//! | placement.rs | where a call stands: alone as a block, or in running text |
//! | code_blocks.rs | code blocks and `code(...)` calls, alone or tabbed |
//! | code.rs, include.rs | code block attributes and HTML; lines read from files |
//! | links.rs | links between pages: resolved, checked, rewritten |
//! | search_text.rs | the prose under each heading, for the search index |
//! | figures.rs | figures typed into the prose, for `versus check` |
//!
//! The files depend one way: pass.rs on the parts, the parts on writer.rs
//! and placement.rs, all of them on env.rs (which names call_site.rs) and
//! outline.rs.

mod call_site;
mod calls;
pub mod code;
mod code_blocks;
mod env;
mod figures;
pub mod include;
pub mod links;
mod math;
mod outline;
mod pass;
mod placement;
mod search_text;
mod writer;

pub use call_site::{CallSite, located};
pub use env::{Env, Ref, RenderedBody, Shortcodes, options};
pub use outline::{Heading, Outline, outline, slugify};
pub use pass::render;
pub use search_text::TextSection;
