//! Issue 28: a site in several languages. English (the default) at the
//! root, French under fr/, Arabic (right to left) under ar/; translations
//! sit beside their page (`speed.fr.md`), and a page missing in a language
//! falls back to the default's with a note, or is left out.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::Site;

const CONFIG: &str = "title = \"Speed\"\ndescription = \"Compared\"\nlanguage = \"en\"\nbase_url = \"https://ex.org/s\"\n\n[languages]\nmissing = \"MISSING\"\n\n[languages.en]\nname = \"English\"\n\n[languages.fr]\nname = \"Français\"\ntitle = \"Vitesse\"\ndescription = \"Comparé\"\n\n[languages.ar]\nname = \"العربية\"\ntitle = \"السرعة\"\n";

/// Home, speed and guide/intro in English; home and speed in French;
/// speed in Arabic. `missing` is `fallback` or `omit`.
fn site(missing: &str) -> Site {
    Site::new()
        .file("versus.toml", &CONFIG.replace("MISSING", missing))
        .file(
            "content/_index.md",
            "+++\ntitle = \"Home\"\n+++\nSee [speed](speed.md#fast) and ![a chart](chart.svg).\n",
        )
        .file(
            "content/_index.fr.md",
            "+++\ntitle = \"Accueil\"\n+++\nVoir [la vitesse](speed.md#fast) et ![un graphique](chart.svg).\n",
        )
        .file(
            "content/speed.md",
            "+++\ntitle = \"Speed\"\ndate = 2026-01-01\ntags = [\"perf\"]\n+++\n## Fast\n\nEnglish zebra text. Back [home](_index.md).\n",
        )
        .file(
            "content/speed.fr.md",
            "+++\ntitle = \"Vitesse\"\ndate = 2026-01-02\ntags = [\"perf\"]\n+++\n## Rapide {#fast}\n\nTexte girafe. Retour à l'[accueil](_index.md), et [l'intro](guide/intro.md).\n",
        )
        .file(
            "content/speed.ar.md",
            "+++\ntitle = \"سرعة\"\n+++\n## سريع {#fast}\n\nنص.\n",
        )
        .file(
            "content/guide/intro.md",
            "+++\ntitle = \"Intro\"\n+++\nThe guide, about [speed](../speed.md).\n",
        )
        .file("content/chart.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
}

#[test]
fn each_language_is_written_under_its_folder_with_lang_and_dir() {
    let s = site("fallback");
    s.build().ok();
    for page in ["index.html", "speed.html", "guide/intro.html"] {
        assert!(s.exists(page), "{page}");
        assert!(s.exists(&format!("fr/{page}")), "fr/{page}");
        assert!(s.exists(&format!("ar/{page}")), "ar/{page}");
    }
    assert!(!s.exists("speed.fr.html"));
    // Assets are shared, not copied per language.
    assert!(s.exists("chart.svg"));
    assert!(!s.exists("fr/chart.svg"));
    let en = s.out("speed.html");
    let fr = s.out("fr/speed.html");
    let ar = s.out("ar/speed.html");
    assert!(en.contains("<html lang=\"en\">"), "{en}");
    assert!(fr.contains("<html lang=\"fr\""), "{fr}");
    assert!(ar.contains("<html lang=\"ar\" dir=\"rtl\""), "{ar}");
    // Each language's site title and stylesheet, relative.
    assert!(
        fr.contains("<title>Vitesse · Vitesse</title>") || fr.contains("<title>Vitesse</title>")
    );
    assert!(fr.contains("href=\"../style.css\""), "{fr}");
    assert!(
        fr.contains("class=\"brand\" href=\"../fr/index.html\">Vitesse<"),
        "{fr}"
    );
    // A link inside a translation goes to the translation, else to the
    // language's stand-in; the home page's image is the shared one.
    assert!(fr.contains("href=\"index.html\">accueil</a>"), "{fr}");
    assert!(
        fr.contains("href=\"guide/intro.html\">l’intro</a>")
            || fr.contains("href=\"guide/intro.html\">l'intro</a>"),
        "{fr}"
    );
    assert!(s.out("fr/index.html").contains("src=\"../chart.svg\""));
    assert!(s.out("fr/index.html").contains("href=\"speed.html#fast\""));
    // Every link resolves from disk (file://), in every language.
    common::assert_links_resolve(&s.public());
}

#[test]
fn the_switcher_links_each_page_to_itself_in_every_language() {
    let s = site("fallback");
    s.build().ok();
    let fr = s.out("fr/speed.html");
    let switcher = fr
        .split("<nav class=\"lang-switcher\" aria-label=\"Langue\">")
        .nth(1)
        .and_then(|r| r.split("</nav>").next())
        .unwrap_or_else(|| panic!("no switcher: {fr}"));
    assert!(
        switcher.contains("<a href=\"../speed.html\" hreflang=\"en\" lang=\"en\">English</a>"),
        "{switcher}"
    );
    assert!(
        switcher.contains(
            "<a href=\"../ar/speed.html\" hreflang=\"ar\" lang=\"ar\" dir=\"rtl\">العربية</a>"
        ),
        "{switcher}"
    );
    assert!(
        switcher.contains(
            "<a href=\"speed.html\" hreflang=\"fr\" lang=\"fr\" aria-current=\"true\">Français</a>"
        ),
        "{switcher}"
    );
    // From a page two folders down, the same page in the other languages.
    let intro = s.out("guide/intro.html");
    assert!(
        intro.contains("href=\"../fr/guide/intro.html\" hreflang=\"fr\""),
        "{intro}"
    );
    // hreflang alternates in the head: absolute, translations only, and
    // x-default (the default language's).
    for link in [
        "<link rel=\"alternate\" hreflang=\"en\" href=\"https://ex.org/s/speed.html\">",
        "<link rel=\"alternate\" hreflang=\"x-default\" href=\"https://ex.org/s/speed.html\">",
        "<link rel=\"alternate\" hreflang=\"fr\" href=\"https://ex.org/s/fr/speed.html\">",
        "<link rel=\"alternate\" hreflang=\"ar\" href=\"https://ex.org/s/ar/speed.html\">",
    ] {
        assert!(fr.contains(link), "{link} in {fr}");
    }
    // A page in one language only has no alternates.
    assert!(!intro.contains("hreflang=\"x-default\""), "{intro}");
}

#[test]
fn a_missing_translation_falls_back_with_a_note_or_is_omitted() {
    let s = site("fallback");
    s.build().ok();
    let intro = s.out("fr/guide/intro.html");
    assert!(intro.contains("<html lang=\"fr\""), "{intro}");
    // The note is in the page's language (the theme's words), the
    // original's language named and linked in its own.
    assert!(
        intro.contains(
            "class=\"fallback-note\" role=\"note\">Cette page n’est pas encore traduite. \
             Elle est affichée en <a href=\"../../guide/intro.html\" hreflang=\"en\" lang=\"en\">English</a>.</p>"
        ),
        "{intro}"
    );
    assert!(
        intro.contains("<div class=\"prose\" lang=\"en\" dir=\"ltr\">"),
        "{intro}"
    );
    // Its link goes to the French page; its canonical URL is the original's.
    assert!(
        intro.contains("href=\"../speed.html\">speed</a>"),
        "{intro}"
    );
    assert!(
        intro.contains("<link rel=\"canonical\" href=\"https://ex.org/s/guide/intro.html\">"),
        "{intro}"
    );
    // In Arabic, the English text inside a right-to-left page runs ltr.
    let ar = s.out("ar/guide/intro.html");
    assert!(ar.contains("<html lang=\"ar\" dir=\"rtl\""), "{ar}");
    assert!(ar.contains("lang=\"en\" dir=\"ltr\""), "{ar}");
    assert!(!s.out("fr/speed.html").contains("fallback-note"));

    let s = site("omit");
    s.build().ok();
    assert!(!s.exists("fr/guide/intro.html"));
    assert!(!s.exists("ar/guide/intro.html"));
    assert!(s.exists("fr/speed.html"));
    let intro = s.out("guide/intro.html");
    assert!(!intro.contains("hreflang=\"fr\""), "{intro}");
    // The translation's link to the untranslated page goes to the original.
    assert!(
        s.out("fr/speed.html")
            .contains("href=\"../guide/intro.html\"")
    );
    common::assert_links_resolve(&s.public());
}

#[test]
fn feeds_sitemaps_search_print_tags_and_404_are_per_language() {
    let s = site("fallback");
    s.build().ok();
    for file in [
        "atom.xml",
        "sitemap.xml",
        "search/index.js",
        "print.html",
        "404.html",
        "tags/perf.html",
    ] {
        assert!(s.exists(file), "{file}");
        assert!(s.exists(&format!("fr/{file}")), "fr/{file}");
    }
    let feed = s.out("fr/atom.xml");
    assert!(feed.contains("xml:lang=\"fr\""), "{feed}");
    assert!(feed.contains("<title>Vitesse</title>"), "{feed}");
    assert!(feed.contains("https://ex.org/s/fr/speed.html"), "{feed}");
    // Stand-ins are not the language's own pages.
    assert!(!feed.contains("guide/intro"), "{feed}");
    let sitemap = s.out("fr/sitemap.xml");
    assert!(sitemap.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
    assert!(
        sitemap.contains("<loc>https://ex.org/s/fr/speed.html</loc>"),
        "{sitemap}"
    );
    assert!(
        !sitemap.contains("<loc>https://ex.org/s/fr/guide/intro.html</loc>"),
        "{sitemap}"
    );
    for alternate in [
        "<xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"https://ex.org/s/speed.html\"/>",
        "<xhtml:link rel=\"alternate\" hreflang=\"ar\" href=\"https://ex.org/s/ar/speed.html\"/>",
        "<xhtml:link rel=\"alternate\" hreflang=\"fr\" href=\"https://ex.org/s/fr/speed.html\"/>",
    ] {
        assert!(sitemap.contains(alternate), "{alternate} in {sitemap}");
    }
    let robots = s.out("robots.txt");
    assert!(
        robots.contains("Sitemap: https://ex.org/s/fr/sitemap.xml"),
        "{robots}"
    );
    assert!(!s.exists("fr/robots.txt"));
    // Each language's search index holds its own pages.
    let text = |dir: &str| {
        let mut all = String::new();
        for e in walkdir::WalkDir::new(s.public().join(dir))
            .into_iter()
            .flatten()
        {
            if e.file_type().is_file() {
                all.push_str(&std::fs::read_to_string(e.path()).unwrap());
            }
        }
        all
    };
    let (en, fr) = (text("search"), text("fr/search"));
    assert!(fr.contains("girafe") && !fr.contains("zebra"), "{fr}");
    assert!(en.contains("zebra") && !en.contains("girafe"), "{en}");
    assert!(fr.contains("\"fr/speed.html\""), "{fr}");
    // The search box of a French page loads the French index.
    assert!(
        s.out("fr/speed.html")
            .contains("data-root=\"../\" data-index=\"../fr/search/\"")
    );
    // The print book, the 404 page and the tag pages in the language.
    let print = s.out("fr/print.html");
    assert!(print.contains("<html lang=\"fr\"") && print.contains("Texte girafe"));
    assert!(!print.contains("English zebra"), "{print}");
    assert!(
        s.out("ar/404.html")
            .contains("<html lang=\"ar\" dir=\"rtl\"")
    );
    assert!(
        s.out("fr/404.html")
            .contains("href=\"https://ex.org/s/fr/\"")
    );
    let tag = s.out("fr/tags/perf.html");
    assert!(
        tag.contains("href=\"../speed.html\"") && tag.contains("Vitesse"),
        "{tag}"
    );
    assert!(s.out("fr/speed.html").contains("href=\"tags/perf.html\""));
    common::assert_links_resolve(&s.public());
}

#[test]
fn a_suffix_naming_no_language_is_an_error_naming_the_file() {
    site("fallback")
        .file("content/node.js.md", "# Node\n")
        .build()
        .fails(1)
        .stderr_has("error: `.js.md` in the file's name names no language of the site (en, ar, fr)\n  --> content/node.js.md:1:1")
        .stderr_has("add `[languages.js]` to versus.toml, or rename the file");
    site("fallback")
        .file("content/fr/extra.md", "# Extra\n")
        .build()
        .fails(1)
        .stderr_has("error: content/fr/ would be written where the `fr` pages go\n  --> content/fr/extra.md:1:1");
    Site::new()
        .file(
            "versus.toml",
            "title = \"T\"\n[languages.French]\ntitle = \"x\"\n",
        )
        .file("content/_index.md", "# Home\n")
        .build()
        .fails(1)
        .stderr_has("`French` is not a language code")
        .stderr_has("--> versus.toml:2:12");
    // Without [languages], a dotted name is a page like any other.
    let s = Site::new()
        .file("content/_index.md", "# Home\n")
        .file("content/node.js.md", "# Node\n");
    s.build().ok();
    assert!(s.exists("node.js.html"));
    assert!(!s.out("index.html").contains("lang-switcher"));
}

#[test]
fn a_link_to_a_heading_the_translation_lacks_says_where_it_goes() {
    site("fallback")
        .file(
            "content/speed.fr.md",
            "+++\ntitle = \"Vitesse\"\n+++\n## Rapide\n\nTexte.\n",
        )
        .build()
        .fails(1)
        .stderr_has("link to missing heading `#fast` in `speed.md` (its translation content/speed.fr.md, where this link goes)")
        .stderr_has("{#id}");
}

#[test]
fn rtl_default_direction_and_explicit_dir() {
    let s = Site::new()
        .file(
            "versus.toml",
            "title = \"T\"\nlanguage = \"he\"\n[languages.en]\ndir = \"ltr\"\n[languages.fa]\ndir = \"ltr\"\n",
        )
        .file("content/_index.md", "# בית\n")
        .file("content/_index.en.md", "# Home\n");
    s.build().ok();
    assert!(
        s.out("index.html")
            .contains("<html lang=\"he\" dir=\"rtl\">")
    );
    assert!(s.out("en/index.html").contains("<html lang=\"en\">"));
    // hreflang links must be absolute: none without base_url; the
    // switcher is there.
    assert!(!s.out("index.html").contains("rel=\"alternate\" hreflang"));
    assert!(s.out("index.html").contains("hreflang=\"en\" lang=\"en\""));
    // Persian is right to left unless versus.toml says otherwise.
    assert!(s.out("fa/index.html").contains("<html lang=\"fa\">"));
}

#[test]
fn a_default_page_may_carry_its_suffix_and_is_linked_by_its_plain_name() {
    let s = Site::new()
        .file(
            "versus.toml",
            "title = \"T\"\n[languages.fr]\ntitle = \"T fr\"\n",
        )
        .file("content/_index.en.md", "# Home\n\nSee [a](a.md#one).\n")
        .file("content/_index.fr.md", "# Accueil\n\nVoir [a](a.md#one).\n")
        .file("content/a.en.md", "# A\n\n## One\n")
        .file("content/a.fr.md", "# A fr\n\n## Un {#one}\n");
    s.build().ok();
    assert!(s.out("index.html").contains("href=\"a.html#one\""));
    assert!(s.out("fr/index.html").contains("href=\"a.html#one\""));
    assert!(s.out("fr/a.html").contains("A fr"));
    assert!(!s.exists("a.en.html"));
    // The same page twice in one language is an error.
    s.write("content/a.md", "# A again\n");
    s.build()
        .fails(1)
        .stderr_has("content/a.en.md and content/a.md would both be written to a.html");
}

#[test]
fn a_translations_aliases_are_under_its_language_and_stand_ins_have_none() {
    let s = Site::new()
        .file(
            "versus.toml",
            "title = \"T\"\n[languages.fr]\ntitle = \"T fr\"\n[languages.ar]\ntitle = \"T ar\"\n",
        )
        .file("content/_index.md", "# Home\n")
        .file(
            "content/a.md",
            "+++\ntitle = \"A\"\naliases = [\"old.html\"]\n+++\nA\n",
        )
        .file(
            "content/a.fr.md",
            "+++\ntitle = \"A fr\"\naliases = [\"vieux.html\"]\n+++\nA\n",
        );
    s.build().ok();
    assert!(s.out("old.html").contains("url=a.html"));
    assert!(s.out("fr/vieux.html").contains("url=a.html"));
    // Each old address speaks the language of the page it leads to.
    assert!(
        s.out("old.html").contains("<html lang=\"en\">")
            && s.out("old.html").contains("<h1>This page has moved</h1>")
    );
    let vieux = s.out("fr/vieux.html");
    assert!(vieux.contains("<html lang=\"fr\">"), "{vieux}");
    assert!(
        vieux.contains("<title>Page déplacée : A fr</title>"),
        "{vieux}"
    );
    assert!(
        vieux.contains("<p>Elle se trouve désormais ici : <a href=\"a.html\">A fr</a>.</p>"),
        "{vieux}"
    );
    assert!(!s.exists("vieux.html"));
    assert!(!s.exists("ar/old.html"));
    assert!(!s.exists("fr/old.html"));
}

/// The note on a stand-in comes from the site's words when it gives them:
/// their text is escaped, only the link to the original is markup.
#[test]
fn the_fallback_note_takes_the_sites_words_escaped() {
    let s = site("fallback").file(
        "i18n/fr.toml",
        "fallback_note = \"<b>Non</b> traduit : voir {language}\"\n",
    );
    s.build().ok();
    let intro = s.out("fr/guide/intro.html");
    assert!(
        intro.contains(
            "role=\"note\">&lt;b&gt;Non&lt;/b&gt; traduit : voir <a href=\"../../guide/intro.html\""
        ),
        "{intro}"
    );
}

/// A stand-in's text is the default language's, and so are its tables:
/// the figures read as the English around them, the page's own words
/// (navigation, switcher) are French. Editing English words renders the
/// stand-in again (the build cache records both languages' words for it).
#[test]
fn a_stand_ins_tables_speak_the_language_of_its_text() {
    let s = Site::new()
        .file(
            "versus.toml",
            "title = \"T\"\n[languages]\nmissing = \"fallback\"\n[languages.fr]\ntitle = \"Essai\"\n",
        )
        .file("content/_index.md", "# Home\n")
        .file("content/_index.fr.md", "# Accueil\n")
        .file(
            "content/r.md",
            "# Results\n\n{{ bench_table(data=\"r.csv\") }}\n",
        )
        .file(
            "content/r.csv",
            "benchmark,subject,value\nfib,A,12345.5\nfib,B,23456.25\n",
        );
    s.build().ok();
    let stand_in = s.out("fr/r.html");
    assert!(stand_in.contains("12,345.5"), "{stand_in}");
    assert!(stand_in.contains("lower is better"), "{stand_in}");
    assert!(
        stand_in.contains("Cette page n’est pas encore traduite"),
        "{stand_in}"
    );
    s.write("i18n/en.toml", "lower_is_better = \"less is more\"\n");
    s.build().ok();
    let stand_in = s.out("fr/r.html");
    assert!(stand_in.contains("less is more"), "{stand_in}");
}
