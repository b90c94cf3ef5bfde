//! The dependency graph: what each page's output was made from.
//!
//! While pages render, every stage that reads something on a page's behalf
//! (the Markdown pass, the built-in shortcodes, the templates' `load_data`)
//! tells one [`Recorder`]; the pipeline then files what it heard in the
//! [`Graph`], which keeps each page's inputs and, built as they come in,
//! the reverse index (input -> pages), with the config keys every page
//! reads. `watch` asks it which pages a change affects, `check` which data
//! files no page used and which pages no other page links to.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Mutex;

/// Something a page's output was made from, besides its own source.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Input {
    /// A data file under content/ (its path there).
    Data(String),
    /// A file the page includes (`code(file=...)`), as found on disk.
    File(PathBuf),
    /// A template of the theme, by name.
    Template(String),
    /// Another page's heading ids (by its path under content/): the page
    /// links to it, and its anchors are checked against them.
    Anchors(String),
    /// A top-level key of versus.toml (`markdown`, `title`...).
    Config(String),
    /// The theme's words in a language (by its code), as the theme's and
    /// the site's `i18n/` files give them.
    Words(String),
    /// What the site's navigation shows of its pages (each one's link as
    /// the sidebar, listings, breadcrumbs and previous/next links build
    /// it: title, description, date): every page shows some of it.
    Nav,
}

impl Input {
    /// The data inputs a change to the data file `rel` touches: a CSV's
    /// metadata (`x.meta.toml`) is read with it (`x.csv`).
    pub fn data(rel: &str) -> Vec<Input> {
        let mut out = vec![Input::Data(rel.to_string())];
        if let Some(stem) = rel.strip_suffix(".meta.toml") {
            out.push(Input::Data(format!("{stem}.csv")));
        }
        out
    }

    /// A file under the file system, as recorded: resolved through links,
    /// so that two spellings of one file are one input.
    pub fn file(path: &std::path::Path) -> Input {
        Input::File(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
    }
}

/// Who read something: a page (its index), or every page (what the
/// stages read for all of them, and a render that could not say which
/// page it was for).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    Page(usize),
    Every,
}

/// Where the stages report what they read while pages render (from any
/// thread). A build session keeps one; after each render pass
/// [`Graph::file`] takes what it heard ([`Recorder::take`]).
#[derive(Debug, Default)]
pub struct Recorder {
    heard: Mutex<Vec<(Reader, Input)>>,
}

impl Recorder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Notes that `reader` read `input`.
    pub fn record(&self, reader: Reader, input: Input) {
        if let Ok(mut heard) = self.heard.lock() {
            heard.push((reader, input));
        }
    }

    /// Notes that page `page` read `input`.
    pub fn page(&self, page: usize, input: Input) {
        self.record(Reader::Page(page), input);
    }

    /// What was recorded so far, leaving the recorder empty.
    pub fn take(&self) -> Vec<(Reader, Input)> {
        self.heard
            .lock()
            .map(|mut h| std::mem::take(&mut *h))
            .unwrap_or_default()
    }
}

/// Each page's inputs and, for each input, the pages that read it.
#[derive(Debug, Default, Clone)]
pub struct Graph {
    inputs: Vec<BTreeSet<Input>>,
    readers: BTreeMap<Input, BTreeSet<usize>>,
    /// Inputs every page reads.
    everyone: BTreeSet<Input>,
}

impl Graph {
    /// A graph of `pages` pages that read nothing yet.
    pub fn new(pages: usize) -> Self {
        Self {
            inputs: vec![BTreeSet::new(); pages],
            ..Self::default()
        }
    }

    /// Files what `heard` says about `pages` (just rendered), replacing
    /// what they read before.
    pub fn file(&mut self, pages: &[usize], heard: Vec<(Reader, Input)>) {
        for &p in pages {
            for input in std::mem::take(&mut self.inputs[p]) {
                if let Some(set) = self.readers.get_mut(&input) {
                    set.remove(&p);
                    if set.is_empty() {
                        self.readers.remove(&input);
                    }
                }
            }
        }
        for (reader, input) in heard {
            match reader {
                Reader::Page(p) if p < self.inputs.len() => {
                    self.readers.entry(input.clone()).or_default().insert(p);
                    self.inputs[p].insert(input);
                }
                _ => {
                    self.everyone.insert(input);
                }
            }
        }
    }

    /// The graph as the build cache keeps it: each page's inputs, and the
    /// inputs every page reads.
    pub fn parts(&self) -> (&[BTreeSet<Input>], &BTreeSet<Input>) {
        (&self.inputs, &self.everyone)
    }

    /// A graph from what [`Graph::parts`] gave, its reverse index built again.
    pub fn from_parts(inputs: Vec<BTreeSet<Input>>, everyone: BTreeSet<Input>) -> Self {
        let mut readers: BTreeMap<Input, BTreeSet<usize>> = BTreeMap::new();
        for (page, read) in inputs.iter().enumerate() {
            for input in read {
                readers.entry(input.clone()).or_default().insert(page);
            }
        }
        Self {
            inputs,
            readers,
            everyone,
        }
    }

    /// What page `page` read in its last render, in order.
    pub fn inputs(&self, page: usize) -> impl Iterator<Item = &Input> {
        self.inputs.get(page).into_iter().flatten()
    }

    /// The data files (paths under content/) page `page` read.
    pub fn data_of(&self, page: usize) -> impl Iterator<Item = &str> {
        self.inputs(page).filter_map(|i| match i {
            Input::Data(rel) => Some(rel.as_str()),
            _ => None,
        })
    }

    /// Whether any page read `input`.
    pub fn is_read(&self, input: &Input) -> bool {
        self.readers.contains_key(input) || self.everyone.contains(input)
    }

    /// The pages whose output may change when `changed` change.
    pub fn affected<'a>(&self, changed: impl IntoIterator<Item = &'a Input>) -> BTreeSet<usize> {
        let mut out = BTreeSet::new();
        for input in changed {
            if self.everyone.contains(input) {
                return (0..self.inputs.len()).collect();
            }
            out.extend(self.readers.get(input).into_iter().flatten());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(rel: &str) -> Input {
        Input::Data(rel.into())
    }

    /// Three pages: 0 shows a.csv and links to page c.md, 1 includes
    /// fib.py and uses template page.html, 2 shows a.csv and b.json.
    fn site() -> Graph {
        let mut g = Graph::new(3);
        let heard = vec![
            (Reader::Page(0), data("a.csv")),
            (Reader::Page(0), Input::Anchors("c.md".into())),
            (Reader::Page(1), Input::File("/s/fib.py".into())),
            (Reader::Page(1), Input::Template("page.html".into())),
            (Reader::Page(2), data("a.csv")),
            (Reader::Page(2), data("b.json")),
        ];
        g.file(&[0, 1, 2], heard);
        let every = [Input::Config("markdown".into()), Input::Nav];
        g.file(&[], every.map(|i| (Reader::Every, i)).to_vec());
        g
    }

    #[test]
    fn edits_reach_the_pages_that_read_them() {
        let g = site();
        let table: &[(&[Input], &[usize])] = &[
            (&[data("a.csv")], &[0, 2]),
            (&[data("b.json")], &[2]),
            (&[data("unused.csv")], &[]),
            (&[Input::File("/s/fib.py".into())], &[1]),
            (&[Input::Anchors("c.md".into())], &[0]),
            (&[Input::Template("page.html".into())], &[1]),
            (&[data("b.json"), Input::File("/s/fib.py".into())], &[1, 2]),
            (&[Input::Config("markdown".into())], &[0, 1, 2]),
            (&[Input::Config("print".into())], &[]),
            (&[Input::Nav], &[0, 1, 2]),
        ];
        for (edits, pages) in table {
            let got: Vec<usize> = g.affected(edits.iter()).into_iter().collect();
            assert_eq!(got, *pages, "after {edits:?}");
        }
    }

    #[test]
    fn metadata_reaches_the_readers_of_its_csv() {
        let g = site();
        let got: Vec<usize> = g
            .affected(Input::data("a.meta.toml").iter())
            .into_iter()
            .collect();
        assert_eq!(got, [0, 2]);
    }

    #[test]
    fn a_page_rendered_again_replaces_what_it_read() {
        let mut g = site();
        g.file(&[2], vec![(Reader::Page(2), data("c.toml"))]);
        assert_eq!(g.affected([&data("a.csv")]), BTreeSet::from([0]));
        assert!(!g.is_read(&data("b.json")));
        assert_eq!(g.affected([&data("c.toml")]), BTreeSet::from([2]));
        assert_eq!(g.data_of(2).collect::<Vec<_>>(), ["c.toml"]);
    }

    #[test]
    fn a_read_for_every_page_reaches_every_page() {
        let mut g = site();
        g.file(&[], vec![(Reader::Every, data("d.csv"))]);
        assert!(g.is_read(&data("d.csv")));
        assert_eq!(g.affected([&data("d.csv")]).len(), 3);
    }
}
