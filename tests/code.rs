//! Code samples: tabbed groups (adjacent, named, mixed with plain blocks),
//! code included from files with line ranges and regions, and its errors.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::Site;

fn groups(html: &str) -> Vec<&str> {
    html.split("<div class=\"code-group\"")
        .skip(1)
        .map(|g| &g[..g.find("</div>\n</div>\n").unwrap_or(g.len())])
        .collect()
}

#[test]
fn adjacent_tabbed_blocks_form_one_group_and_plain_blocks_stay_alone() {
    let body = "```js tab=\"Node.js\"\nconsole.log(1)\n```\n\n```python tab=\"Python\"\nprint(1)\n```\n\n```bash\necho plain\n```\n\n```js tab=\"Node.js\"\nconsole.log(2)\n```\n\nText between.\n\n```python tab=\"Python\"\nprint(2)\n```\n";
    let site = Site::new().file("content/a.md", body);
    site.build().ok();
    let html = site.out("a.html");
    let g = groups(&html);
    assert_eq!(g.len(), 3, "{html}");
    assert_eq!(g[0].matches("class=\"code-panel\"").count(), 2);
    assert!(
        !g.iter().any(|g| g.contains("echo")),
        "a plain block joins no group"
    );
    assert_eq!(
        g[1].matches("class=\"code-panel\"").count(),
        1,
        "text between blocks ends a group"
    );
}

#[test]
fn named_groups_join_blocks_that_are_apart() {
    let body = "```js tab=\"Node.js\" group=\"io\"\nA\n```\n\nSome text.\n\n```python tab=\"Python\" group=\"io\" layout=\"columns\"\nB\n```\n";
    let site = Site::new().file("content/a.md", body);
    site.build().ok();
    let html = site.out("a.html");
    let g = groups(&html);
    assert_eq!(g.len(), 1, "{html}");
    assert!(g[0].contains("data-group=\"io\"") && g[0].contains("data-layout=\"columns\""));
    let a = html.find(">A<").unwrap();
    let b = html.find(">B<").unwrap();
    let text = html.find("Some text.").unwrap();
    assert!(
        a < b && b < text,
        "the group sits where its first block was"
    );
}

#[test]
fn without_javascript_every_block_is_present_under_its_label() {
    let body = "```js tab=\"Node.js\" title=\"a.js\" hl_lines=\"1\" linenos\nA\n```\n```python tab=\"Python\"\nB\n```\n";
    let site = Site::new().file("content/a.md", body);
    site.build().ok();
    let html = site.out("a.html");
    assert!(html.contains("<p class=\"code-tab-label\">Node.js</p>"));
    assert!(html.contains("<p class=\"code-tab-label\">Python</p>"));
    for g in groups(&html) {
        assert!(
            !g.contains(" hidden"),
            "nothing in a group is hidden in the HTML itself"
        );
    }
    assert!(
        html.contains("code-title\">a.js<")
            && html.contains("hl linenos")
            && html.contains("hl-line")
    );
}

const FIB_PY: &str = "import sys\n\n# region: fib\ndef fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n# endregion\n\nif __name__ == \"__main__\":\n    print(fib(int(sys.argv[1])))\n";
const FIB_JS: &str = "// region: fib\nfunction fib(n) {\n  return n < 2 ? n : fib(n - 1) + fib(n - 2);\n}\n// endregion\nconsole.log(fib(Number(process.argv[2])));\n";

#[test]
fn code_from_files_with_regions_ranges_and_tabs() {
    let site = Site::new()
        .file("content/benchmarks/fib/fib.py", FIB_PY)
        .file("content/benchmarks/fib/fib.js", FIB_JS)
        .file(
            "content/speed/cpu.md",
            "+++\ntitle = \"CPU\"\n+++\n{{ code(file=\"../benchmarks/fib/fib.js\", region=\"fib\", tab=\"Node.js\") }}\n\n{{ code(file=\"benchmarks/fib/fib.py\", region=\"fib\", tab=\"Python\") }}\n\n{{ code(file=\"benchmarks/fib/fib.py\", lines=\"8-9\") }}\n",
        );
    site.build().ok();
    let html = site.out("speed/cpu.html");
    let g = groups(&html);
    assert_eq!(
        g.len(),
        1,
        "included blocks with tabs group like fenced ones"
    );
    assert!(
        g[0].contains("code-title\">../benchmarks/fib/fib.js<"),
        "the path is the title"
    );
    assert!(
        g[0].contains("language-javascript") && g[0].contains("language-python"),
        "language from the extension"
    );
    assert!(
        !html.contains("region:") && !html.contains("endregion"),
        "markers are not shown"
    );
    assert!(!g[0].contains("import"), "only the region");
    let last = &html[html.rfind("<figure").unwrap()..];
    assert!(
        last.contains("__main__") && !last.contains("def fib"),
        "lines 8-9 only"
    );
}

#[test]
fn code_inclusion_errors_name_the_page_line() {
    let site = Site::new()
        .file("content/fib.py", FIB_PY)
        .file("secret.txt", "outside content but inside the site")
        .file(
            "content/a.md",
            "Intro.\n\n{{ code(file=\"nope.py\") }}\n\n{{ code(file=\"fib.py\", lines=\"5-40\") }}\n\n{{ code(file=\"fib.py\", region=\"nope\") }}\n\n{{ code(file=\"../../etc/passwd\") }}\n\n{{ code(file=\"fib.py\", colour=\"x\") }}\n",
        );
    site.build()
        .fails(1)
        // Each error points at the argument at fault.
        .stderr_has("content/a.md:3:9")
        .stderr_has("code file `nope.py` not found")
        .stderr_has("content/a.md:5:24")
        .stderr_has("lines 5-40 are outside")
        .stderr_has("content/a.md:7:24")
        .stderr_has("no region `nope` in `content/fib.py`; regions there: fib")
        .stderr_has("content/a.md:9:9")
        .stderr_has("leaves the site's folder")
        .stderr_has("content/a.md:11:24")
        // No argument is close: the message lists those it takes.
        .stderr_has(
            "unknown argument `colour` for shortcode `code`: it takes file, lines, region,",
        );
    // Inside the site root is fine, even outside content/.
    site.write("content/a.md", "{{ code(file=\"../secret.txt\") }}\n");
    site.build().ok();
    assert!(
        site.out("a.html")
            .contains("outside content but inside the site")
    );
}

#[test]
fn attribute_errors_point_at_the_attribute() {
    let body = "```js title=\"ok\" titel=\"x\"\nA\n```\n\n```py hl_lines=\"3-1\"\nB\n```\n\n- item\n\n  ```py title=\"x\n  B\n  ```\n\n```js layout=&quot;x&quot;\nC\n```\n";
    Site::new()
        .file("content/a.md", body)
        .build()
        .fails(1)
        .stderr_has(
            "unknown code block attribute `titel`: did you mean `title`?\n  --> content/a.md:1:18",
        )
        .stderr_has("1 | ```js title=\"ok\" titel=\"x\"\n  |                  ^^^^^^^^^\n")
        .stderr_has("`3-1` ends before it starts\n  --> content/a.md:5:7")
        .stderr_has("unclosed quote (attribute `title`)\n   --> content/a.md:11:9")
        .stderr_has("11 |   ```py title=\"x\n   |         ^^^^^^^^\n")
        // An entity in the info string: the whole line.
        .stderr_has("layout is `tabs` or `columns`, not `x`\n   --> content/a.md:15:1");
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_site_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("x.py"), "print('secret')\n").unwrap();
    let site = Site::new().file("content/a.md", "{{ code(file=\"link.py\") }}\n");
    std::os::unix::fs::symlink(
        outside.path().join("x.py"),
        site.root().join("content/link.py"),
    )
    .unwrap();
    site.build().fails(1).stderr_has("leads outside the site");
}

#[test]
fn groups_with_different_names_stay_apart_and_unlabelled_blocks_get_a_label() {
    let body = "```js group=\"one\"\nA\n```\n```python group=\"two\"\nB\n```\n";
    let site = Site::new().file("content/a.md", body);
    site.build().ok();
    let html = site.out("a.html");
    assert_eq!(groups(&html).len(), 2, "{html}");
    assert!(
        html.contains("<p class=\"code-tab-label\">js</p>"),
        "the language labels a block without `tab`"
    );
}
