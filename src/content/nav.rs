//! Navigation over the section tree: reading order, previous/next, and the
//! chain of sections above a page. Pure functions of the [`Content`] model.

use super::{Child, Content};

/// Pages in reading order: each section's own page, then its children
/// depth-first.
pub fn reading_order(content: &Content) -> Vec<usize> {
    let mut order = Vec::with_capacity(content.pages.len());
    if content.roots.is_empty() && !content.sections.is_empty() {
        visit(content, 0, &mut order);
    }
    for &root in &content.roots {
        visit(content, root, &mut order);
    }
    order
}

fn visit(content: &Content, section: usize, order: &mut Vec<usize>) {
    order.push(content.sections[section].index);
    for child in &content.sections[section].children {
        match *child {
            Child::Page(p) => order.push(p),
            Child::Section(s) => visit(content, s, order),
        }
    }
}

/// For each page, its position in `order` (usize::MAX when it has none).
pub fn positions(order: &[usize], pages: usize) -> Vec<usize> {
    let mut pos = vec![usize::MAX; pages];
    for (i, &p) in order.iter().enumerate() {
        pos[p] = i;
    }
    pos
}

/// The sections from the root down to the one holding `page` (for a
/// section's own page: down to its parent section).
pub fn ancestors(content: &Content, page: usize) -> Vec<usize> {
    let p = &content.pages[page];
    let mut chain = Vec::new();
    let mut cur = if p.is_section {
        content.sections[p.section].parent
    } else {
        Some(p.section)
    };
    while let Some(s) = cur {
        chain.push(s);
        cur = content.sections[s].parent;
    }
    chain.reverse();
    chain
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Page, Section};
    use std::path::PathBuf;
    use std::sync::Arc;

    fn page(rel: &str, section: usize, is_section: bool) -> Page {
        Page {
            rel: rel.into(),
            shown: PathBuf::from(rel),
            text: Arc::from(""),
            on_disk: None,
            body: 0..0,
            meta: Default::default(),
            output: crate::content::output_path(rel),
            section,
            is_section,
            generated: false,
            updated: None,
            lang: 0,
            key: rel.into(),
            fallback: false,
            id: None,
        }
    }

    /// root: [a.md, g/ [g/b.md]]
    fn sample() -> Content {
        Content {
            pages: vec![
                page("_index.md", 0, true),
                page("a.md", 0, false),
                page("g/_index.md", 1, true),
                page("g/b.md", 1, false),
            ],
            sections: vec![
                Section {
                    dir: "".into(),
                    index: 0,
                    parent: None,
                    children: vec![Child::Page(1), Child::Section(1)],
                },
                Section {
                    dir: "g".into(),
                    index: 2,
                    parent: Some(0),
                    children: vec![Child::Page(3)],
                },
            ],
            ..Content::default()
        }
    }

    #[test]
    fn reading_order_is_depth_first() {
        assert_eq!(reading_order(&sample()), vec![0, 1, 2, 3]);
    }

    #[test]
    fn ancestors_stop_above_a_section_page() {
        let c = sample();
        assert_eq!(ancestors(&c, 3), vec![0, 1]);
        assert_eq!(ancestors(&c, 2), vec![0]);
        assert_eq!(ancestors(&c, 0), Vec::<usize>::new());
    }
}
