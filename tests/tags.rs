//! Tag pages: `tags/NAME.html` per tag, `tags/index.html` listing them,
//! each page's tags linked to them, the sitemap naming them; tag names
//! that would write one file, or no file, are errors at the tag.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Site, assert_links_resolve, attr_values, search_text};

fn tagged() -> Site {
    Site::new()
        .file(
            "versus.toml",
            "title = \"Tagged\"\nbase_url = \"https://example.org/sub\"\n",
        )
        .file("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHello.\n")
        .file(
            "content/a.md",
            "+++\ntitle = \"Alpha\"\ndescription = \"First.\"\ndate = 2026-01-02\nweight = 1\ntags = [\"Event loop\", \"fast\"]\n+++\nA.\n",
        )
        .file(
            "content/g/b.md",
            "+++\ntitle = \"Beta\"\nweight = 2\ntags = [\"fast\"]\n+++\nB.\n",
        )
        .file("content/g/c.md", "+++\ntitle = \"Gamma\"\n+++\nNo tags.\n")
}

#[test]
fn each_tag_gets_a_page_listing_its_pages_and_the_index_lists_every_tag() {
    let site = tagged();
    site.build().ok();
    let fast = site.out("tags/fast.html");
    let links = attr_values(&fast, "href");
    let alpha = links.iter().position(|h| h == "../a.html").expect("Alpha");
    let beta = links.iter().position(|h| h == "../g/b.html").expect("Beta");
    assert!(alpha < beta, "in reading order: {links:?}");
    assert!(!links.iter().any(|h| h.ends_with("c.html")), "{links:?}");
    for shown in [
        "Tag: fast",
        "First.",
        "2026-01-02",
        "The 2 pages tagged “fast”.",
    ] {
        assert!(fast.contains(shown), "tags/fast.html lacks {shown}");
    }
    let loop_page = site.out("tags/event-loop.html");
    assert!(loop_page.contains("Tag: Event loop"));
    assert!(!attr_values(&loop_page, "href").contains(&"../g/b.html".to_string()));

    let index = site.out("tags/index.html");
    let hrefs = attr_values(&index, "href");
    assert!(hrefs.contains(&"event-loop.html".to_string()), "{hrefs:?}");
    assert!(hrefs.contains(&"fast.html".to_string()), "{hrefs:?}");
    assert!(
        index.contains("2 pages") && index.contains("1 page<"),
        "counts"
    );

    // Each page's tags link to their pages.
    let a = attr_values(&site.out("a.html"), "href");
    assert!(a.contains(&"tags/event-loop.html".to_string()), "{a:?}");
    let b = attr_values(&site.out("g/b.html"), "href");
    assert!(b.contains(&"../tags/fast.html".to_string()), "{b:?}");

    // In the sitemap; not in the search index or the print volume.
    let sitemap = site.out("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/sub/tags/fast.html</loc>"));
    assert!(sitemap.contains("<loc>https://example.org/sub/tags/</loc>"));
    assert!(!search_text(&site.public()).contains("Tag: fast"));
    assert!(!site.out("print.html").contains("Tag: fast"));
    assert_links_resolve(&site.public());
}

#[test]
fn a_site_without_tags_has_no_tag_pages() {
    let site = Site::new().file("content/a.md", "+++\ntitle = \"A\"\n+++\nA.\n");
    site.build().ok();
    assert!(!site.exists("tags"));
}

#[test]
fn a_site_template_overrides_the_tag_pages() {
    let site = tagged()
        .file(
            "templates/tag.html",
            "<p>{{ tag.name }}: {{ tag.count }}{% for l in section.pages %} {{ l.title }}{% endfor %}</p>\n",
        )
        .file(
            "templates/tags.html",
            "<p>{% for t in tags %}{{ t.name }}={{ t.url }} {% endfor %}</p>\n",
        );
    site.build().ok();
    assert_eq!(site.out("tags/fast.html"), "<p>fast: 2 Alpha Beta</p>\n");
    assert_eq!(
        site.out("tags/index.html"),
        "<p>Event loop=event-loop.html fast=fast.html </p>\n"
    );
}

#[test]
fn tags_spelt_to_one_page_are_an_error_naming_both_pages() {
    let site = tagged().file(
        "content/g/c.md",
        "+++\ntitle = \"Gamma\"\ntags = [\"Fast\"]\n+++\nC.\n",
    );
    site.build()
        .fails(1)
        .stderr_has("tags `fast` (content/a.md) and `Fast` would both be written to tags/fast.html")
        .stderr_has("content/g/c.md:3:")
        .stderr_has("tags = [\"Fast\"]");
    assert!(!site.exists("index.html"), "nothing is written");
}

#[test]
fn a_tag_that_cannot_name_a_page_is_an_error() {
    for tag in ["!!", "index", ""] {
        let site = tagged().file(
            "content/g/c.md",
            &format!("+++\ntitle = \"Gamma\"\ntags = [\"x\", \"{tag}\"]\n+++\nC.\n"),
        );
        site.build()
            .fails(1)
            .stderr_has(&format!("tag `{tag}` cannot name a page"))
            .stderr_has("content/g/c.md:3:");
    }
}

#[test]
fn a_page_written_where_a_tag_page_goes_is_an_error() {
    let site = tagged().file("content/tags/fast.md", "+++\ntitle = \"Mine\"\n+++\nX.\n");
    site.build().fails(1).stderr_has(
        "content/tags/fast.md and the page of tag `fast` would both be written to tags/fast.html",
    );
    let site = tagged().file("content/tags/_index.md", "+++\ntitle = \"Mine\"\n+++\nX.\n");
    site.build()
        .fails(1)
        .stderr_has("content/tags/_index.md and the tags index would both be written");
}
