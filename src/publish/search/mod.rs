//! The full-text search index of one language: built from the text of
//! that language's pages ([`index`]), words cut, folded and stemmed as the
//! language wants ([`lang`]), and written as many small scripts in the
//! language's `search/` folder ([`write`] describes the files), so that
//! search works from `file://` and a query loads only the part of the
//! index it needs, on a site of any size.

mod index;
mod lang;
mod write;

pub use index::{DIR, Index, build};
pub use write::{MANIFEST, write};
