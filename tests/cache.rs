//! The build cache (`.versus/`): a build that starts from what the last
//! one kept makes the same bytes as a build from nothing, after any edit
//! and after a build killed at any point; a cache it cannot trust is
//! ignored with one line saying why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{BIN, Rng, Site, copy_dir, env_num, seed, snapshot};

/// Runs `versus build` in `root` with `extra` arguments: (success, stderr).
fn build(root: &Path, extra: &[&str]) -> (bool, String) {
    let out = Command::new(BIN)
        .args(["build", "--quiet"])
        .args(extra)
        .current_dir(root)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The site's files besides its output and cache, copied to a fresh
/// folder and built there from nothing: (success, output files).
fn clean_build(root: &Path) -> (bool, Vec<(String, Vec<u8>)>) {
    let (ok, files, _) = clean_build_said(root);
    (ok, files)
}

/// Like [`clean_build`], with the warnings and errors it printed.
fn clean_build_said(root: &Path) -> (bool, Vec<(String, Vec<u8>)>, String) {
    let fresh = tempfile::tempdir().unwrap();
    copy_dir(root, fresh.path());
    let _ = std::fs::remove_dir_all(fresh.path().join("public"));
    let _ = std::fs::remove_dir_all(fresh.path().join(".versus"));
    let (ok, stderr) = build(fresh.path(), &[]);
    let files = if ok {
        snapshot(&fresh.path().join("public"))
    } else {
        Vec::new()
    };
    (ok, files, said(&stderr))
}

/// What a build printed besides the cache's lines and its summary: its
/// warnings and errors.
fn said(stderr: &str) -> String {
    stderr
        .lines()
        .filter(|l| !l.starts_with("build cache:") && !l.starts_with("built "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A page of the generated site: its title, weight, headings and body.
fn page(title: &str, weight: u64, body: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\ndescription = \"About {title}.\"\nweight = {weight}\n+++\n{body}\n"
    )
}

/// The default theme's base template, with `marker` in its head.
fn base_template(marker: &str) -> String {
    let base = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/base.html"),
    )
    .unwrap();
    base.replacen("<head>", &format!("<head>\n<!-- {marker} -->"), 1)
}

/// A site of a few sections, pages that link to each other's headings,
/// data files shown by shortcodes, included code and a template of its own.
fn corpus() -> (Site, BTreeMap<String, String>) {
    let mut files = BTreeMap::new();
    files.insert(
        "versus.toml".to_string(),
        format!("title = \"Cache test\"\n{}", languages("fallback")),
    );
    files.insert(
        "content/_index.md".into(),
        "+++\ntitle = \"Home\"\n+++\nStart at [a0](a/p0.md#part).\n".into(),
    );
    files.insert(
        "content/data/m.toml".into(),
        "title = \"M\"\nsubjects = [\"X\", \"Y\"]\n\n[[rows]]\ncriterion = \"Speed\"\nX = \"fast\"\nY = \"slow\"\nedge = \"X\"\n".into(),
    );
    files.insert(
        "content/data/cpu.csv".into(),
        "benchmark,subject,value\nfib,A,1.5\nfib,B,2.5\n".into(),
    );
    files.insert(
        "content/code/fib.py".into(),
        "# region: fib\ndef fib(n):\n    return n\n# endregion\n".into(),
    );
    files.insert("content/a/cover.png".into(), "a picture".into());
    // The site's own words (none yet): edits give some.
    files.insert("i18n/en.toml".into(), "# The site's words.\n".into());
    files.insert(
        "templates/shortcodes/note.html".into(),
        "<aside class=\"note\">{{ args.text }}</aside>\n".into(),
    );
    for s in ["a", "b", "c"] {
        files.insert(
            format!("content/{s}/_index.md"),
            format!("+++\ntitle = \"Section {s}\"\n+++\nPages of {s}.\n"),
        );
        for i in 0..4 {
            let body = match i {
                0 => "## Part\n\nThe first page.\n\n{{ compare(data=\"../data/m.toml\") }}\n".to_string(),
                1 => "## Part\n\n{{ bench_table(data=\"../data/cpu.csv\") }}\n\nSee [the first](p0.md#part).\n".to_string(),
                2 => "## Part\n\n{{ code(file=\"../code/fib.py\", region=\"fib\") }}\n\n{{ note(text=\"A note.\") }}\n".to_string(),
                _ => "## Part\n\nPlain prose with `code`, $a^2 + b$ and a [link home](../_index.md).\n".to_string(),
            };
            files.insert(
                format!("content/{s}/p{i}.md"),
                page(&format!("{s}{i}"), i, &body),
            );
        }
    }
    let mut site = Site::new();
    for (rel, text) in &files {
        site = site.file(rel, text);
    }
    (site, files)
}

/// Commits the site's sources (not its output or cache) in its git
/// repository, dated `step` hours after a fixed start so that a clean copy
/// of the repository dates its pages alike.
fn commit(root: &Path, step: u64) {
    let date = format!("{} +0000", 1_700_000_000 + step * 3600);
    for args in [
        &[
            "add",
            "-A",
            "--",
            "content",
            "templates",
            "i18n",
            "versus.toml",
        ][..],
        &["commit", "-q", "--allow-empty", "-m", "edit"][..],
    ] {
        let out = Command::new("git")
            .args(["-c", "user.name=T", "-c", "user.email=t@example.org"])
            .args(["-c", "commit.gpgsign=false"])
            .args(args)
            .current_dir(root)
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// One random edit of the site (an author's save); returns what it was.
fn edit(site: &Site, files: &mut BTreeMap<String, String>, rng: &mut Rng, step: u64) -> String {
    let pages: Vec<String> = files
        .keys()
        .filter(|k| k.ends_with(".md") && !k.ends_with("_index.md") && k.starts_with("content/"))
        .cloned()
        .collect();
    let pick = pages[rng.below(pages.len() as u64) as usize].clone();
    let text = files[&pick].clone();
    let word = rng.word(6);
    if rng.chance(8) && site.root().join(".git").is_dir() {
        // A commit: the pages it touches get a new date, their text the same.
        commit(site.root(), step + 1);
        return "committed".to_string();
    }
    let (rel, new): (String, Option<String>) = match rng.below(26) {
        0 | 1 => (
            pick.clone(),
            Some(format!("{text}\nA paragraph {word} at step {step}.\n")),
        ),
        2 => (
            pick.clone(),
            Some(text.replacen("title = \"", &format!("title = \"{word} "), 1)),
        ),
        3 => (
            pick.clone(),
            Some(text.replacen("description = \"", &format!("description = \"{word} "), 1)),
        ),
        4 => (
            pick.clone(),
            Some(text.replacen("## Part", &format!("## Part {word}"), 1)),
        ),
        5 => {
            let w = rng.below(9);
            let at = text.find("weight = ").unwrap() + 9;
            let end = at + text[at..].find('\n').unwrap();
            (
                pick.clone(),
                Some(format!("{}{w}{}", &text[..at], &text[end..])),
            )
        }
        6 => (
            "content/data/cpu.csv".into(),
            Some(format!(
                "benchmark,subject,value\nfib,A,{}.5\nfib,B,2.5\n",
                rng.below(9) + 1
            )),
        ),
        7 => (
            "content/data/m.toml".into(),
            Some(files["content/data/m.toml"].replace("Speed", &format!("Speed {word}"))),
        ),
        8 => (
            "content/code/fib.py".into(),
            Some(format!(
                "# region: fib\ndef fib(n):\n    return n + {}\n# endregion\n",
                rng.below(99)
            )),
        ),
        9 => ("templates/base.html".into(), Some(base_template(&word))),
        10 => (
            "templates/shortcodes/note.html".into(),
            Some(format!(
                "<aside class=\"note {word}\">{{{{ args.text }}}}</aside>\n"
            )),
        ),
        11 => {
            let head: String = match rng.below(10) {
                0 => format!("title = \"Cache test {word}\"\n"),
                1 => "title = \"Cache test\"\n[markdown]\nsmart_punctuation = false\n".into(),
                2 => "title = \"Cache test\"\nlinks = \"warn\"\n".into(),
                3 => "title = \"Cache test\"\n[markdown]\nmath = true\n".into(),
                // Social cards need base_url; `cards` picks the pages.
                4 => format!("title = \"Cache test {word}\"\nbase_url = \"https://x.org\"\n"),
                5 => {
                    "title = \"Cache test\"\nbase_url = \"https://x.org\"\ncards = \"all\"\n".into()
                }
                6 => "title = \"Cache test\"\nbase_url = \"https://x.org\"\ncards = \"none\"\n"
                    .into(),
                // Another default language: another search pipeline
                // (Spanish stems, folded accents, a word table), the kept
                // terms of the last build not to be reused.
                7 => "title = \"Cache test\"\nlanguage = \"es\"\n".into(),
                8 => "title = \"Cache test\"\nlanguage = \"de\"\n".into(),
                _ => "title = \"Cache test\"\n".into(),
            };
            // French shows untranslated pages, or leaves them out.
            let missing = if rng.chance(75) { "fallback" } else { "omit" };
            ("versus.toml".into(), Some(head + &languages(missing)))
        }
        // A page's French translation (issue 28): added or edited, or
        // removed; a section's, now and then.
        19 | 20 => {
            let original = pick.replace(".fr.md", ".md");
            let rel = if rng.chance(20) {
                format!("{}/_index.fr.md", original.rsplit_once('/').unwrap().0)
            } else {
                original.replace(".md", ".fr.md")
            };
            let body =
                format!("## Part {{#part}}\n\nTraduit {word}, voir [le premier](p0.md#part).\n");
            (rel, Some(page(&format!("fr {word}"), rng.below(5), &body)))
        }
        21 => {
            let translations: Vec<&String> =
                files.keys().filter(|k| k.ends_with(".fr.md")).collect();
            if translations.is_empty() {
                return "no translation to remove".to_string();
            }
            let gone = translations[rng.below(translations.len() as u64) as usize].clone();
            files.remove(&gone);
            site.remove(&gone);
            return format!("removed {gone}");
        }
        12 => {
            // A new page, or one moved to another section.
            let to = format!(
                "content/{}/n{step}.md",
                ["a", "b", "c"][rng.below(3) as usize]
            );
            if rng.chance(50) && !pick.ends_with("p0.md") && !pick.ends_with("p3.md") {
                files.remove(&pick);
                site.remove(&pick);
            }
            (
                to,
                Some(page(
                    &format!("New {word}"),
                    rng.below(5),
                    "## Part\n\nNew page.\n",
                )),
            )
        }
        13 if !pick.ends_with("p0.md") => {
            files.remove(&pick);
            site.remove(&pick);
            return format!("removed {pick}");
        }
        14 => (
            pick.clone(),
            Some(text.replace(" broken](", "](") + "\n[a broken](missing.md) link\n"),
        ),
        15 => {
            // An alias added or removed: a redirect file comes or goes (two
            // pages with the same alias fail, cached or not).
            let alias = format!("old/{}.html", ["x", "y", "z"][rng.below(3) as usize]);
            let new = match text.find("aliases = ") {
                Some(at) => {
                    let end = at + text[at..].find('\n').unwrap() + 1;
                    format!("{}{}", &text[..at], &text[end..])
                }
                None => text.replacen("+++\n", &format!("+++\naliases = [\"{alias}\"]\n"), 1),
            };
            (pick.clone(), Some(new))
        }
        // A page's own social image: one there is, one there is not (an
        // error, undone by the next such edit so that builds go on), none.
        17 => {
            let broken = pages
                .iter()
                .find(|p| files[*p].contains("image = \"gone.png\""));
            let pick = broken.unwrap_or(&pick).clone();
            let without: String = files[&pick]
                .lines()
                .filter(|l| !l.starts_with("image = "))
                .map(|l| format!("{l}\n"))
                .collect();
            let choices = if broken.is_some() {
                &["\"/a/cover.png\"", ""][..]
            } else {
                &["\"/a/cover.png\"", "\"gone.png\"", ""][..]
            };
            let image = choices[rng.below(choices.len() as u64) as usize];
            let new = if image.is_empty() {
                without
            } else {
                without.replacen("+++\n", &format!("+++\nimage = {image}\n"), 1)
            };
            (pick, Some(new))
        }
        // The site's own card template.
        18 => (
            "templates/card.svg".into(),
            Some(format!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"630\"><rect width=\"1200\" height=\"630\" fill=\"#{:06x}\"/><text x=\"40\" y=\"300\" font-size=\"60\">{{{{ card.title }}}} {word}</text></svg>\n",
                rng.below(0xffffff)
            )),
        ),
        16 => (
            pick.clone(),
            Some(text.replace("\n[a broken](missing.md) link\n", "")),
        ),
        // The site's words: a template's (the pager's), a shortcode's (the
        // matrix's tally) or none of the theme's at all.
        // The site's words, in English or in French (issue 28).
        22 => (
            if rng.chance(50) {
                "i18n/en.toml"
            } else {
                "i18n/fr.toml"
            }
            .into(),
            Some(match rng.below(3) {
                0 => format!("next = \"Onwards {word}\"\n"),
                1 => format!("tally = \"Score {word}:\"\ncriterion = \"What\"\n"),
                _ => String::new(),
            }),
        ),
        _ => (pick.clone(), Some(retag(&text, rng))),
    };
    let new = new.unwrap();
    site.write(&rel, &new);
    files.insert(rel.clone(), new);
    format!("wrote {rel}")
}

/// The `[languages]` of the site: English and French, untranslated pages
/// shown (`fallback`) or left out (`omit`) in French.
fn languages(missing: &str) -> String {
    // The print book in volumes (their files are kept when nothing they
    // hold changed), or whole, with the French pages shown or left out.
    let print = match missing {
        "fallback" => "\n[print]\nsplit_above_mb = 0.001\n",
        _ => "",
    };
    format!("\n[languages]\nmissing = \"{missing}\"\n\n[languages.fr]\ntitle = \"Essai\"\n{print}")
}

/// `text` with new tags: a tag added, removed or renamed. The tags come
/// from a few, so pages share them; now and then one is spelt so that its
/// page would be another's (`Fast` and `fast`): an error.
fn retag(text: &str, rng: &mut Rng) -> String {
    let pool = [
        ("fast", 35),
        ("slow", 35),
        ("event loop", 30),
        ("GIL", 25),
        ("Fast", 4),
    ];
    let chosen: Vec<String> = pool
        .iter()
        .filter(|(_, p)| rng.chance(*p))
        .map(|(t, _)| format!("\"{t}\""))
        .collect();
    let line = if chosen.is_empty() {
        String::new()
    } else {
        format!("tags = [{}]\n", chosen.join(", "))
    };
    match text.find("tags = [") {
        Some(at) => {
            let end = at + text[at..].find('\n').unwrap() + 1;
            format!("{}{line}{}", &text[..at], &text[end..])
        }
        None => text.replacen("+++\n", &format!("+++\n{line}"), 1),
    }
}

/// After each random edit, a build with the cache equals a build from
/// nothing, byte for byte; a failed build leaves the output as it was.
/// Some builds are killed part-way (SIGKILL): the next one is still right.
/// Replay a run with VERSUS_CACHE_SEED; VERSUS_CACHE_STEPS sets its length.
#[test]
fn cached_builds_equal_clean_builds_over_random_edits_and_kills() {
    let seed = seed("VERSUS_CACHE_SEED");
    let steps = env_num("VERSUS_CACHE_STEPS", 200);
    eprintln!("seed {seed} (VERSUS_CACHE_SEED={seed} replays it), {steps} steps");
    let mut rng = Rng::new(seed);
    let (site, mut files) = corpus();
    // The site is a git repository: commits are among the edits (pages are
    // dated by their last commit).
    if common::require_program("git").is_some() {
        let init = Command::new("git")
            .args(["init", "-q"])
            .current_dir(site.root())
            .status()
            .unwrap();
        assert!(init.success());
        commit(site.root(), 0);
    }
    let (ok, stderr) = build(site.root(), &[]);
    assert!(ok, "first build: {stderr}");
    let mut last_good = snapshot(&site.public());
    let mut kills = 0;
    for step in 0..steps {
        let what = edit(&site, &mut files, &mut rng, step);
        if rng.chance(15) {
            // Killed at a random point of the build.
            let mut child = Command::new(BIN)
                .args(["build", "--quiet"])
                .current_dir(site.root())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            std::thread::sleep(Duration::from_millis(rng.below(120)));
            let _ = child.kill();
            let _ = child.wait();
            kills += 1;
        }
        let (ok, stderr) = build(site.root(), &[]);
        let (clean_ok, clean, clean_said) = clean_build_said(site.root());
        assert_eq!(
            ok,
            clean_ok,
            "step {step} ({what}, seed {seed}): the cached build {} but the clean build {}:\n{stderr}",
            if ok { "succeeded" } else { "failed" },
            if clean_ok { "succeeded" } else { "failed" },
        );
        let got = snapshot(&site.public());
        if ok {
            let differ: Vec<&String> = got
                .iter()
                .zip(&clean)
                .filter(|(a, b)| a != b)
                .map(|(a, _)| &a.0)
                .collect();
            assert!(
                got.len() == clean.len() && differ.is_empty(),
                "step {step} ({what}, seed {seed}): the cached build differs from a clean one in {differ:?} ({} files against {})",
                got.len(),
                clean.len()
            );
            assert_eq!(
                said(&stderr),
                clean_said,
                "step {step} ({what}, seed {seed}): the cached build warned otherwise than a clean one"
            );
            last_good = got;
        } else {
            assert!(
                got == last_good,
                "step {step} ({what}, seed {seed}): a failed build changed the output"
            );
        }
    }
    eprintln!("{steps} steps, {kills} builds killed");
}

/// What a build rendered, from its summary line.
fn rendered(stderr: &str) -> String {
    stderr
        .lines()
        .find(|l| l.starts_with("built "))
        .unwrap_or_default()
        .to_string()
}

#[test]
fn an_unchanged_site_renders_nothing_and_an_edit_renders_what_it_reaches() {
    let (site, files) = corpus();
    let (ok, stderr) = build(site.root(), &[]);
    assert!(ok, "{stderr}");
    let (_, stderr) = build(site.root(), &[]);
    assert!(rendered(&stderr).contains("(0 rendered"), "{stderr}");
    // The body of one page: that page, and its French stand-in (the
    // corpus has French, falling back to the English pages).
    let a3 = &files["content/a/p3.md"];
    site.write("content/a/p3.md", &format!("{a3}\nMore.\n"));
    let (_, stderr) = build(site.root(), &[]);
    assert!(rendered(&stderr).contains("(2 rendered"), "{stderr}");
    // A heading id other pages link to: the page and the pages linking to
    // it, with their stand-ins.
    let a0 = &files["content/a/p0.md"];
    // (the home page and a/p1.md link to a/p0.md#part).
    site.write(
        "content/a/p0.md",
        &a0.replace("## Part", "## Part\n\n## Another"),
    );
    let (_, stderr) = build(site.root(), &[]);
    assert!(rendered(&stderr).contains("(6 rendered"), "{stderr}");
    site.write("content/a/p0.md", &a0.replace("## Part", "## Renamed"));
    let (ok, stderr) = build(site.root(), &[]);
    assert!(
        !ok,
        "a link to #part of a/p0.md must now be broken:\n{stderr}"
    );
    site.write("content/a/p0.md", a0);
    let (ok, stderr) = build(site.root(), &[]);
    assert!(ok, "{stderr}");
    // A data file: the pages that show it (a1, b1 and c1, in English and
    // in French).
    site.write(
        "content/data/cpu.csv",
        "benchmark,subject,value\nfib,A,1.5\nfib,B,3.5\n",
    );
    let (_, stderr) = build(site.root(), &[]);
    assert!(rendered(&stderr).contains("(6 rendered"), "{stderr}");
    // A shortcode's template: the three pages that call it, twice.
    site.write(
        "templates/shortcodes/note.html",
        "<aside class=\"note x\">{{ args.text }}</aside>\n",
    );
    let (_, stderr) = build(site.root(), &[]);
    assert!(rendered(&stderr).contains("(6 rendered"), "{stderr}");
    // The base template every page extends: all of them.
    site.write("templates/base.html", &base_template("m"));
    let (_, stderr) = build(site.root(), &[]);
    assert!(stderr.contains("rendering every page"), "{stderr}");
    assert!(!rendered(&stderr).contains("rendered,"), "{stderr}");
    // The site's words: a file that says what the theme says changes
    // nothing; a new English word reaches every English page and every
    // French stand-in (its tables speak English), so every page here; the
    // stand-ins' own words stay the theme's French.
    site.write("i18n/en.toml", "next = \"Next\"\n");
    let (_, stderr) = build(site.root(), &[]);
    assert!(rendered(&stderr).contains("(0 rendered"), "{stderr}");
    site.write("i18n/en.toml", "next = \"Onwards\"\n");
    let (_, stderr) = build(site.root(), &[]);
    assert!(stderr.contains("rendering every page"), "{stderr}");
    let page = std::fs::read_to_string(site.root().join("public/a/p0.html")).unwrap();
    assert!(page.contains("Onwards"), "{page}");
    let fr = std::fs::read_to_string(site.root().join("public/fr/a/p0.html")).unwrap();
    assert!(!fr.contains("Onwards") && fr.contains("Suivant"), "{fr}");
}

/// The inode and modification time of `path`.
fn identity(path: &Path) -> (u64, std::time::SystemTime) {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).unwrap();
    (meta.ino(), meta.modified().unwrap())
}

#[test]
fn an_edit_leaves_the_print_volumes_it_does_not_reach_as_they_were() {
    let (site, files) = corpus();
    let (ok, stderr) = build(site.root(), &[]);
    assert!(ok, "{stderr}");
    let volume = |name: &str| site.root().join("public/print").join(name);
    for name in ["a.html", "b.html", "c.html"] {
        assert!(volume(name).is_file(), "the book is split: no print/{name}");
    }
    let before: Vec<_> = ["a.html", "b.html", "c.html"]
        .iter()
        .map(|n| identity(&volume(n)))
        .collect();
    // Sure to differ in the next file's time, if it were written again.
    std::thread::sleep(Duration::from_millis(20));
    // Prose of one page of section b: its volume is made again, and only it.
    let b2 = &files["content/b/p2.md"];
    site.write("content/b/p2.md", &format!("{b2}\nOne more sentence.\n"));
    let (ok, stderr) = build(site.root(), &[]);
    assert!(ok, "{stderr}");
    assert_eq!(
        identity(&volume("a.html")),
        before[0],
        "print/a.html was written again"
    );
    assert_eq!(
        identity(&volume("c.html")),
        before[2],
        "print/c.html was written again"
    );
    assert_ne!(
        identity(&volume("b.html")),
        before[1],
        "print/b.html was not updated"
    );
    let b = std::fs::read_to_string(volume("b.html")).unwrap();
    assert!(b.contains("One more sentence."), "{b}");
    // And the output is a clean build's.
    let (ok, clean) = clean_build(site.root());
    assert!(ok);
    assert_eq!(snapshot(&site.public()), clean);
    // A title changes (what links to the page say, and its volume's
    // contents): still a clean build's output.
    let a1 = &files["content/a/p1.md"];
    site.write(
        "content/a/p1.md",
        &a1.replace("title = \"", "title = \"New "),
    );
    let (ok, stderr) = build(site.root(), &[]);
    assert!(ok, "{stderr}");
    let (ok, clean) = clean_build(site.root());
    assert!(ok);
    assert_eq!(snapshot(&site.public()), clean);
}

/// Spoils a cache, given its index's bytes.
type Spoil<'a> = Box<dyn Fn(&[u8]) + 'a>;

#[test]
fn a_cache_that_cannot_be_trusted_is_ignored_with_the_reason() {
    let (site, _) = corpus();
    let (ok, stderr) = build(site.root(), &[]);
    assert!(ok, "{stderr}");
    let key = std::fs::read_dir(site.root().join(".versus"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let index = key.join("index");
    // Each spoils a good cache whose index holds `whole`.
    let cases: Vec<(&str, Spoil)> = vec![
        (
            "damaged",
            Box::new(|whole| std::fs::write(&index, &whole[..whole.len() / 2]).unwrap()),
        ),
        (
            "damaged",
            Box::new(|whole| {
                let mut flipped = whole.to_vec();
                let middle = flipped.len() / 2;
                flipped[middle] ^= 0x20;
                std::fs::write(&index, flipped).unwrap()
            }),
        ),
        (
            "changed since the build that wrote it",
            Box::new(|_| {
                std::fs::write(site.public().join("a/p0.html"), "tampered").unwrap();
            }),
        ),
        (
            "which the last build did not write",
            Box::new(|_| {
                std::fs::write(site.public().join("stray.html"), "stray").unwrap();
            }),
        ),
        (
            "/texts",
            Box::new(|_| {
                std::fs::write(key.join("texts"), "short").unwrap();
            }),
        ),
    ];
    let (_, clean) = clean_build(site.root());
    for (why, spoil) in cases {
        // Start from a good cache and output each time.
        let (ok, stderr) = build(site.root(), &["--clean"]);
        assert!(ok, "{stderr}");
        spoil(&std::fs::read(&index).unwrap());
        let (ok, stderr) = build(site.root(), &[]);
        assert!(ok, "{why}: {stderr}");
        let line: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with("build cache:"))
            .collect();
        assert!(
            line.len() == 1 && line[0].contains("not used") && line[0].contains(why),
            "{why}: expected one line saying so, got:\n{stderr}"
        );
        assert!(
            snapshot(&site.public()) == clean,
            "{why}: the output must be a clean build's"
        );
    }
    // Another versus binary (here a copy of this one, with another
    // modification time) does not read this one's cache.
    let (ok, stderr) = build(site.root(), &["--clean"]);
    assert!(ok, "{stderr}");
    let bin_dir = tempfile::tempdir().unwrap();
    let other_bin = bin_dir.path().join("versus");
    std::fs::copy(BIN, &other_bin).unwrap();
    let out = Command::new(&other_bin)
        .args(["build", "--quiet"])
        .current_dir(site.root())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success()
            && stderr.contains("not used, it was written by another versus binary"),
        "{stderr}"
    );
    // --clean ignores a good cache without a word.
    let (ok, stderr) = build(site.root(), &["--clean"]);
    assert!(ok && !stderr.contains("build cache:"), "{stderr}");
    // A cache copied with the site to another folder is for another
    // output folder: the copy builds everything.
    let other = tempfile::tempdir().unwrap();
    copy_dir(site.root(), other.path());
    let (ok, stderr) = build(other.path(), &[]);
    assert!(ok && !rendered(&stderr).contains("rendered"), "{stderr}");
    assert!(snapshot(&other.path().join("public")) == clean);
    // Builds with other options or into another folder keep caches of
    // their own: going back and forth, each finds its own.
    let elsewhere = other.path().join("elsewhere");
    let elsewhere = elsewhere.to_str().unwrap();
    for args in [&["--drafts"][..], &["--out", elsewhere], &[]] {
        build(site.root(), args);
        let (ok, stderr) = build(site.root(), args);
        assert!(
            ok && rendered(&stderr).contains("(0 rendered"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn the_cache_of_an_output_folder_that_is_gone_is_removed() {
    let (site, _) = corpus();
    let elsewhere = tempfile::tempdir().unwrap();
    let out = elsewhere.path().join("out");
    let (ok, stderr) = build(site.root(), &["--out", out.to_str().unwrap()]);
    assert!(ok, "{stderr}");
    let (ok, stderr) = build(site.root(), &[]);
    assert!(ok, "{stderr}");
    let caches = || {
        std::fs::read_dir(site.root().join(".versus"))
            .unwrap()
            .count()
    };
    assert_eq!(caches(), 2, "one cache for each output folder");
    std::fs::remove_dir_all(&out).unwrap();
    let (ok, stderr) = build(site.root(), &["--clean"]);
    assert!(ok, "{stderr}");
    assert_eq!(caches(), 1, "the cache of the removed folder went with it");
}
