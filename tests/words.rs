//! The theme's words and the numbers and dates of a site in its language:
//! themes/default/i18n/LANG.toml, a site's i18n/LANG.toml over them, the
//! numbers of tables, charts and figures, translated matrix text, and what
//! `versus check` says of a language's file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Site;

const NNBSP: char = '\u{202f}';

/// A site in `language` with a matrix (one row translated into French,
/// one not), a results table, a figure and a dated page.
fn site_in(language: &str) -> Site {
    Site::new()
        .file(
            "versus.toml",
            &format!("title = \"Words\"\nlanguage = \"{language}\"\n"),
        )
        .file("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHello.\n")
        .file(
            "content/a.md",
            "+++\ntitle = \"A\"\ndate = 2025-03-01\nweight = 1\n+++\n## One\n\n## Two\n\n\
             {{ compare(data=\"data/m.toml\") }}\n\n{{ bench_table(data=\"data/r.csv\") }}\n\n\
             It takes {{ figure(data=\"data/r.csv\", benchmark=\"fib\", subject=\"B\") }} here.\n",
        )
        .file("content/b.md", "+++\ntitle = \"B\"\nweight = 2\n+++\nB.\n")
        .file(
            "content/data/m.toml",
            "title = \"Speed\"\nfr.title = \"Vitesse\"\nsubjects = [\"X\", \"Y\"]\n\n\
             [[rows]]\ncriterion = \"Startup\"\nX = \"fast\"\nY = \"slow\"\nedge = \"X\"\n\
             fr.criterion = \"Démarrage\"\nfr.X = \"rapide\"\n\n\
             [[rows]]\ncriterion = \"Memory\"\nX = \"more\"\nY = \"less\"\nedge = \"tie\"\n",
        )
        .file(
            "content/data/r.csv",
            "benchmark,subject,value\nfib,A,12345.5\nfib,B,23456.25\n",
        )
}

#[test]
fn a_french_site_gets_the_themes_french_words_numbers_and_dates() {
    let site = site_in("fr");
    site.build().ok();
    let a = site.out("a.html");
    for shown in [
        "<body data-words=",
        "&quot;copy&quot;:&quot;Copier&quot;",
        "Aller au contenu",
        "Sur cette page",
        ">Suivant<",
        "<th scope=\"col\">Critère</th>",
        "<th scope=\"col\">Médiane</th>",
        "plus bas, c’est mieux",
        "égalité 1",
        "<time datetime=\"2025-03-01\">1 mars 2025</time>",
    ] {
        assert!(a.contains(shown), "{shown:?} missing from a.html");
    }
    // Numbers: a comma for the decimals, a narrow no-break space between
    // the thousands; in tables and in running text alike.
    assert!(a.contains(&format!("12{NNBSP}345,5")), "the table's median");
    assert!(a.contains(&format!("23{NNBSP}456,25")), "the figure");
    assert!(!a.contains("12,345.5"), "no English number left");
    assert!(site.out("404.html").contains("<h1>Page introuvable</h1>"));
}

#[test]
fn matrix_text_in_the_pages_language_falls_back_to_the_default() {
    let site = site_in("fr");
    site.build().ok();
    let a = site.out("a.html");
    assert!(a.contains("<caption id=\"compare-"), "{a}");
    assert!(a.contains(">Vitesse</caption>"), "the title in French");
    assert!(a.contains("<span class=\"criterion\">Démarrage</span>"));
    assert!(
        a.contains("<span class=\"cell\">rapide"),
        "a translated cell"
    );
    assert!(
        a.contains("<span class=\"cell\">slow"),
        "a cell not translated"
    );
    assert!(
        a.contains("<span class=\"criterion\">Memory</span>"),
        "a row not translated"
    );
    // The same matrix on an English site: the texts as written.
    let en = site_in("en");
    en.build().ok();
    let a = en.out("a.html");
    assert!(a.contains("<span class=\"criterion\">Startup</span>"));
    assert!(a.contains(">Speed</caption>") && !a.contains("Démarrage"));
    assert!(a.contains("12,345.5") && a.contains(">2025-03-01</time>"));
    assert!(!a.contains("data-words"), "English scripts need no words");
}

#[test]
fn a_translation_with_an_unknown_key_is_an_error_at_it() {
    let site = site_in("fr").file(
        "content/data/m.toml",
        "subjects = [\"X\", \"Y\"]\n\n[[rows]]\ncriterion = \"Startup\"\nX = \"fast\"\nY = \"slow\"\n\
         fr.critrion = \"Démarrage\"\n",
    );
    site.build()
        .fails(1)
        .stderr_has("unknown key `critrion` in the `fr` texts")
        .stderr_has("content/data/m.toml:7:")
        .stderr_has("did you mean `criterion`?");
}

#[test]
fn an_arabic_site_gets_arabic_words_and_cldr_digits() {
    let site = site_in("ar");
    site.build().ok();
    let a = site.out("a.html");
    assert!(a.contains("<html lang=\"ar\""));
    assert!(a.contains("في هذه الصفحة"), "On this page");
    // CLDR's `ar` writes Latin digits; `ar-EG` Arabic-Indic ones.
    assert!(a.contains("12,345.5"), "Latin digits for ar");
    let eg = site_in("ar-EG");
    eg.build().ok();
    let a = eg.out("a.html");
    assert!(a.contains("١٢٬٣٤٥٫٥"), "Arabic-Indic digits for ar-EG");
    assert!(a.contains("في هذه الصفحة"), "ar-EG reads ar's words");
}

#[test]
fn the_sites_words_override_the_themes_key_by_key() {
    let site = site_in("fr").file("i18n/fr.toml", "next = \"Page suivante\"\n");
    site.build().ok();
    let a = site.out("a.html");
    assert!(a.contains("Page suivante") && !a.contains(">Suivant<"));
    assert!(a.contains("Sur cette page"), "the theme's other words stay");
    // An English site overrides English words the same way.
    let en = site_in("en").file(
        "i18n/en.toml",
        "tally = \"Score:\"\ncopy = \"Copy it\"\ndate_style = \"long\"\n",
    );
    en.build().ok();
    let a = en.out("a.html");
    assert!(a.contains("<strong>Score:</strong>"));
    assert!(a.contains("data-words=\"{&quot;copy&quot;:&quot;Copy it&quot;}\""));
    assert!(a.contains(">March 1, 2025</time>"));
}

#[test]
fn a_broken_words_file_is_an_error_at_its_line() {
    let site = site_in("fr").file("i18n/fr.toml", "next = \"Après\"\nprevious = \n");
    site.build()
        .fails(1)
        .stderr_has("invalid words file i18n/fr.toml")
        .stderr_has("i18n/fr.toml:2:")
        .stderr_has("previous = ");
    let site = site_in("en").file("i18n/en.toml", "next = \"On\"\nmenu = [\"a\"]\n");
    site.build()
        .fails(1)
        .stderr_has("`menu` in i18n/en.toml must be a text")
        .stderr_has("i18n/en.toml:2:1");
}

#[test]
fn check_reports_the_words_a_languages_file_lacks() {
    let site = site_in("de").file("i18n/de.toml", "next = \"Weiter\"\nprevious = \"Zurück\"\n");
    let run = site.run(&["check"]);
    assert!(
        run.stderr.contains("warning: the words in `de` lack")
            && run.stderr.contains("`all_tags`")
            && run.stderr.contains("--> i18n/de.toml:1:1"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("`next`"), "{}", run.stderr);
    // German words fall back to English.
    site.build().ok();
    let a = site.out("a.html");
    assert!(a.contains(">Weiter<") && a.contains("On this page"));
    // The theme's French and English are complete.
    for lang in ["fr", "en", "ar"] {
        let run = site_in(lang).run(&["check"]);
        assert!(
            !run.stderr.contains("missing-words") && !run.stderr.contains("lack"),
            "{lang}: {}",
            run.stderr
        );
    }
}

#[test]
fn the_sidebars_more_item_is_in_the_pages_language() {
    let mut site = Site::new().file(
        "versus.toml",
        "title = \"Many\"\nlanguage = \"fr\"\n[nav]\ncollapse_above = 3\n",
    );
    for i in 0..5 {
        site = site.file(
            &format!("content/s{i}/_index.md"),
            &format!("+++\ntitle = \"Section {i}\"\nweight = {i}\n+++\n"),
        );
    }
    site = site.file("content/s2/a.md", "+++\ntitle = \"Page A\"\n+++\nTexte.\n");
    site.build().ok();
    let page = site.out("s2/a.html");
    assert!(
        page.contains("href=\"../index.html\">Home\u{a0}: 4 de plus</a>"),
        "{page}"
    );
}

/// A chart says what it shows in the page's language: its default title,
/// its axis and the `<desc>` read to screen readers, figures in the
/// language's numbers; a trend's axis and tooltips too. English is
/// unchanged.
#[test]
fn charts_describe_themselves_in_the_pages_language() {
    let chart = |language: &str| {
        let site = Site::new()
            .file(
                "versus.toml",
                &format!("title = \"Charts\"\nlanguage = \"{language}\"\n"),
            )
            .file(
                "content/_index.md",
                "+++\ntitle = \"Home\"\n+++\n{{ bench_chart(data=\"r.csv\") }}\n\n\
                 {{ bench_chart(data=\"v.csv\", trend=true) }}\n",
            )
            .file(
                "content/r.csv",
                "benchmark,subject,value,unit\nfib,A,12345.5,ms\nfib,B,23456.25,ms\n",
            )
            .file(
                "content/v.csv",
                "benchmark,subject,version,value,unit\nfib,A,1.0,1234.5,ms\nfib,A,2.0,1000.25,ms\n",
            );
        site.build().ok();
        site.out("index.html")
    };
    let en = chart("en");
    for shown in [
        ">Benchmark results: time (ms)</title>",
        ">Median time in ms, lower is better. fib: A 12,345.5 ms, B 23,456.25 ms.</desc>",
        ">time (ms), by version</text>",
        "<title>fib, 1.0: 1234.5 ms</title>",
    ] {
        assert!(en.contains(shown), "{shown} in {en}");
    }
    let fr = chart("fr");
    for shown in [
        ">Résultats des mesures: time (ms)</title>",
        &format!(
            ">Médiane de time en ms, plus bas, c’est mieux. fib: A 12{NNBSP}345,5 ms, B 23{NNBSP}456,25 ms.</desc>"
        ),
        ">time (ms), par version</text>",
        ">Résultats des mesures: time au fil des versions</title>",
        "<title>fib, 1.0: 1234,5 ms</title>",
    ] {
        assert!(fr.contains(shown), "{shown} in {fr}");
    }
}
