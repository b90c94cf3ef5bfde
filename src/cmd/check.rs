//! `versus check`: builds in memory and reports problems without writing.

use crate::cli::CheckArgs;
use crate::pipeline::Options;
use crate::report::error::{Error, Result};

pub fn run(args: &CheckArgs) -> Result<()> {
    let opts = Options {
        drafts: args.drafts,
        ..Options::new(&args.root)
    };
    let scope = crate::check::Scope {
        external: args.external,
        max_age_days: args.max_age,
    };
    let findings = crate::check::run(&opts, &scope)?;
    crate::report::diagnostic::eprint(&findings.items);
    // In GitHub Actions (the Pages workflow), each finding also becomes an
    // annotation on the commit, at its file and line.
    if std::env::var_os("GITHUB_ACTIONS").is_some_and(|v| v == "true") {
        for d in &findings.items {
            println!("{}", d.github_annotation());
        }
    }
    eprintln!(
        "check: {} error{}, {} warning{} in {} pages",
        findings.errors(),
        if findings.errors() == 1 { "" } else { "s" },
        findings.warnings(),
        if findings.warnings() == 1 { "" } else { "s" },
        findings.pages
    );
    match findings.errors() {
        0 => Ok(()),
        n => Err(Error::Findings(n)),
    }
}
