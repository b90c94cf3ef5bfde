//! The full-text search index: built from every page's text ([`index`]),
//! and written as many small scripts under `search/` ([`write`] describes
//! the files), so that search works from `file://` and a query loads only
//! the part of the index it needs, on a site of any size. A site in several
//! languages has one index per language, from that language's pages, under
//! its folder (`fr/search/`).

mod index;
mod write;

pub use index::{DIR, Index, build};
pub use write::{MANIFEST, write};
