//! Social cards: each page that gets one has a 1200x630 PNG drawn at build
//! time (docs/publishing.md, "Social cards"), named by `og:image` with an
//! absolute URL; a page's own `image` instead; none without `base_url`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;

use common::{Site, copy_dir};

const BASE: &str = "https://example.org/site";

const MATRIX: &str = "title = \"At a glance\"\nsubjects = [\"X\", \"Y\"]\n\n[[rows]]\ncriterion = \"Speed\"\nX = \"fast\"\nY = \"slow\"\nedge = \"X\"\n\n[[rows]]\ncriterion = \"Size\"\nX = \"big\"\nY = \"small\"\nedge = \"Y\"\n\n[[rows]]\ncriterion = \"Docs\"\nX = \"good\"\nY = \"good\"\nedge = \"tie\"\n";

/// A site with a home page, a section, a plain page and a page showing a
/// matrix; `config` is added to its versus.toml.
fn site(config: &str) -> Site {
    Site::new()
        .file("versus.toml", &format!("title = \"Cards & co\"\n{config}"))
        // Characters SVG must have escaped, on the card drawn from the
        // default template.
        .file(
            "content/_index.md",
            "+++\ntitle = \"Home <&> \\\"here\\\"\"\n+++\nHello.\n",
        )
        .file(
            "content/guide/_index.md",
            "+++\ntitle = \"The guide\"\n+++\nPages.\n",
        )
        .file(
            "content/guide/plain.md",
            "+++\ntitle = \"Plain words\"\n+++\nNo data here.\n",
        )
        .file(
            "content/guide/matrix.md",
            "+++\ntitle = \"X against Y\"\n+++\n{{ compare(data=\"m.toml\") }}\n",
        )
        .file("content/guide/m.toml", MATRIX)
}

/// The width and height a PNG's header gives, failing unless it is a PNG.
#[track_caller]
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(bytes.len() > 24, "too short for a PNG");
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    assert_eq!(&bytes[12..16], b"IHDR");
    let be = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (be(16), be(20))
}

fn card(site: &Site, rel: &str) -> Vec<u8> {
    std::fs::read(site.public().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The `content` of `<meta property=NAME>` or `<meta name=NAME>` in `html`.
fn meta<'a>(html: &'a str, name: &str) -> Option<&'a str> {
    let at = html
        .find(&format!("property=\"{name}\" content=\""))
        .or_else(|| html.find(&format!("name=\"{name}\" content=\"")))?;
    let rest = &html[at..];
    let rest = &rest[rest.find("content=\"")? + 9..];
    rest.split('"').next()
}

#[test]
fn the_home_page_sections_and_data_pages_get_cards_named_by_absolute_urls() {
    let site = site(&format!("base_url = \"{BASE}/\"\n"));
    site.build().ok().stderr_lacks("warning");
    for (page, png) in [
        ("index.html", "cards/index.png"),
        ("guide/index.html", "cards/guide/index.png"),
        ("guide/matrix.html", "cards/guide/matrix.png"),
    ] {
        assert_eq!(png_size(&card(&site, png)), (1200, 630), "{png}");
        let html = site.out(page);
        assert_eq!(
            meta(&html, "og:image"),
            Some(format!("{BASE}/{png}").as_str()),
            "{page}"
        );
        assert_eq!(meta(&html, "og:image:width"), Some("1200"));
        assert_eq!(meta(&html, "og:image:height"), Some("630"));
        assert_eq!(meta(&html, "twitter:card"), Some("summary_large_image"));
    }
    assert_eq!(
        meta(&site.out("guide/matrix.html"), "og:image:alt"),
        Some("X against Y")
    );
    // A page of prose shows no data: no card, a small summary.
    assert!(!site.exists("cards/guide/plain.png"));
    let plain = site.out("guide/plain.html");
    assert_eq!(meta(&plain, "og:image"), None);
    assert_eq!(meta(&plain, "twitter:card"), Some("summary"));
    // The card of the data page shows the matrix's tally; the home page's
    // does not: they differ from a card of the same title without it.
    let with_tally = card(&site, "cards/guide/matrix.png");
    site.write(
        "content/guide/matrix.md",
        "+++\ntitle = \"X against Y\"\n+++\nNo matrix now.\n",
    );
    site.write(
        "versus.toml",
        &format!("title = \"Cards & co\"\nbase_url = \"{BASE}\"\ncards = \"all\"\n"),
    );
    site.build().ok();
    assert_ne!(card(&site, "cards/guide/matrix.png"), with_tally);
}

#[test]
fn cards_are_the_same_bytes_on_every_build_and_thread_count() {
    let site = site(&format!("base_url = \"{BASE}\"\ncards = \"all\"\n"));
    site.build().ok();
    let first = common::snapshot(&site.public().join("cards"));
    assert_eq!(
        first.len(),
        4,
        "{:?}",
        first.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    let out = tempfile::tempdir().unwrap();
    let run = Command::new(common::BIN)
        .args(["build", "--quiet", "--out"])
        .arg(out.path())
        .current_dir(site.root())
        .env("RAYON_NUM_THREADS", "1")
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(common::snapshot(&out.path().join("cards")), first);
}

#[test]
fn the_cards_key_chooses_the_pages_and_base_url_is_needed() {
    let all = site(&format!("base_url = \"{BASE}\"\ncards = \"all\"\n"));
    all.build().ok();
    assert!(all.exists("cards/guide/plain.png"));
    let none = site(&format!("base_url = \"{BASE}\"\ncards = \"none\"\n"));
    none.build().ok();
    assert!(!none.public().join("cards").exists());
    assert_eq!(
        meta(&none.out("index.html"), "twitter:card"),
        Some("summary")
    );
    // Without base_url no page has Open Graph tags, so no card is drawn.
    let local = site("cards = \"all\"\n");
    local
        .build()
        .ok()
        .stderr_has("not written: social cards (`cards = \"all\"`); they need absolute URLs");
    assert!(!local.public().join("cards").exists());
    assert!(!local.out("index.html").contains("og:image"));
    site("cards = \"some\"\n")
        .build()
        .fails(1)
        .stderr_has("versus.toml")
        .stderr_has("`auto`, `all`");
}

#[test]
fn a_page_names_its_own_image_and_a_missing_one_is_an_error_at_its_line() {
    let site = site(&format!("base_url = \"{BASE}\"\n"))
        .file("content/guide/cover.png", "not really a png")
        .file("content/img/wide.jpg", "jpeg")
        .file(
            "content/guide/plain.md",
            "+++\ntitle = \"Plain words\"\nimage = \"cover.png\"\n+++\nText.\n",
        )
        .file(
            "content/guide/_index.md",
            "---\ntitle: The guide\nimage: /img/wide.jpg\n---\nPages.\n",
        );
    site.build().ok();
    let plain = site.out("guide/plain.html");
    assert_eq!(
        meta(&plain, "og:image"),
        Some(format!("{BASE}/guide/cover.png").as_str())
    );
    assert_eq!(
        meta(&plain, "og:image:width"),
        None,
        "its size is not known"
    );
    assert_eq!(meta(&plain, "twitter:card"), Some("summary_large_image"));
    let guide = site.out("guide/index.html");
    assert_eq!(
        meta(&guide, "og:image"),
        Some(format!("{BASE}/img/wide.jpg").as_str())
    );
    assert!(
        !site.exists("cards/guide/index.png"),
        "its own image, no card"
    );

    site.write(
        "content/guide/plain.md",
        "+++\ntitle = \"Plain words\"\nimage = \"https://cdn.example.com/x.png\"\n+++\nText.\n",
    );
    site.build().ok();
    assert_eq!(
        meta(&site.out("guide/plain.html"), "og:image"),
        Some("https://cdn.example.com/x.png")
    );

    site.write(
        "content/guide/plain.md",
        "+++\ntitle = \"Plain words\"\nimage = \"covr.png\"\n+++\nText.\n",
    );
    site.build()
        .fails(1)
        .stderr_has("content/guide/plain.md:3:9")
        .stderr_has("no file content/guide/covr.png")
        .stderr_has("image = \"covr.png\"");
    site.write(
        "content/guide/plain.md",
        "+++\ntitle = \"Plain words\"\nimage = \"notes.txt\"\n+++\nText.\n",
    );
    site.build()
        .fails(1)
        .stderr_has("plain.md:3:9")
        .stderr_has("not a PNG, JPEG, GIF or WebP");
}

#[test]
fn a_site_draws_its_own_card_template_and_a_bad_one_is_an_error() {
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{{ card.width }}\" height=\"{{ card.height }}\"><rect width=\"1200\" height=\"630\" fill=\"#c00\"/><text x=\"60\" y=\"300\" font-size=\"80\">{{ card.title }} / {{ site.title }}</text></svg>\n";
    let site = site(&format!("base_url = \"{BASE}\"\n")).file("templates/card.svg", svg);
    site.build().ok();
    let own = card(&site, "cards/index.png");
    assert_eq!(png_size(&own), (1200, 630));
    // Titles are escaped: `&` in the site's title does not break the SVG.
    site.write("templates/card.svg", &svg.replace("#c00", "#00c"));
    site.build().ok();
    assert_ne!(card(&site, "cards/index.png"), own, "the template was used");

    site.write(
        "templates/card.svg",
        &svg.replace("{{ card.width }}", "600"),
    );
    site.build()
        .fails(1)
        .stderr_has("template `card.svg`: its SVG is 600x630, not 1200x630")
        .stderr_has("content/_index.md");
    site.write("templates/card.svg", "<svg><rect></svg>");
    site.build()
        .fails(1)
        .stderr_has("template `card.svg`: the SVG it made is not valid");
}

/// The bundled site, published with a base_url (as its Pages workflow
/// does), has cards for its home page and every page that shows data, and
/// its pages' meta tags pass the Nu HTML Checker.
#[test]
fn the_bundled_site_with_base_url_has_cards_and_valid_meta_tags() {
    let site = Site::new();
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_dir(&repo.join("content"), &site.root().join("content"));
    let config = std::fs::read_to_string(repo.join("versus.toml")).unwrap();
    site.write("versus.toml", &format!("base_url = \"{BASE}\"\n{config}"));
    site.build().ok().stderr_lacks("warning");
    let cards = common::snapshot(&site.public().join("cards"));
    assert!(cards.len() >= 10, "{} cards", cards.len());
    for (rel, bytes) in &cards {
        assert_eq!(png_size(bytes), (1200, 630), "{rel}");
        let page = rel.replace(".png", ".html");
        let html = site.out(&page);
        assert_eq!(
            meta(&html, "og:image"),
            Some(format!("{BASE}/cards/{rel}").as_str())
        );
    }
    assert!(site.exists("cards/index.png"));
    assert!(site.exists("cards/speed.png"), "a page of results");
    assert!(
        site.exists("cards/architecture.png"),
        "a page with a matrix"
    );

    let Some(java) = common::require_program("java") else {
        return;
    };
    let Some(jar) = common::vnu_jar() else { return };
    let run = Command::new(java)
        .arg("-jar")
        .arg(jar)
        .args(["--errors-only", "--skip-non-html", "--format", "text"])
        .arg(site.public())
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "Nu HTML Checker errors:\n{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
}

/// A card is output of its page's render: a cached build that renders
/// another page keeps it as it was, and one that renders its page (the
/// data it shows changed) draws it again.
#[test]
fn a_cached_build_keeps_the_cards_of_the_pages_it_does_not_render() {
    let site = site(&format!("base_url = \"{BASE}\"\n"));
    site.build().ok();
    let before = common::snapshot(&site.public().join("cards"));
    site.write(
        "content/guide/plain.md",
        "+++\ntitle = \"Plain words\"\n+++\nOther words.\n",
    );
    site.run(&["build"]).ok().stderr_has("(1 rendered");
    assert_eq!(common::snapshot(&site.public().join("cards")), before);
    // The matrix's title is the line under its tally on the card.
    site.write(
        "content/guide/m.toml",
        &MATRIX.replace("At a glance", "In short"),
    );
    site.run(&["build"]).ok().stderr_has("(1 rendered");
    let after = common::snapshot(&site.public().join("cards"));
    assert_eq!(after.len(), before.len());
    let changed: Vec<&String> = after
        .iter()
        .zip(&before)
        .filter(|(a, b)| a != b)
        .map(|(a, _)| &a.0)
        .collect();
    assert_eq!(changed, ["guide/matrix.png"]);
}
