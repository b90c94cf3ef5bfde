//! `versus build`.

use crate::cli::BuildArgs;
use crate::pipeline::Options;
use crate::report::error::Result;

pub fn run(args: &BuildArgs) -> Result<()> {
    let opts = Options {
        root: args.root.clone(),
        out: args.out.clone(),
        drafts: args.drafts,
        links: args.links,
        progress: !args.quiet,
        typed_figures: false,
    };
    let report = crate::site_build::to_disk(&opts, !args.clean)?;
    if let Some(zip) = &args.bundle {
        let files = crate::publish::bundle::write_zip(&report.out, zip)?;
        eprintln!("bundled {files} files -> {}", zip.display());
    }
    crate::report::diagnostic::eprint(&report.warnings);
    if args.timings {
        for (step, time) in &report.steps {
            eprintln!("  {step:<10} {:>8.1} ms", time.as_secs_f64() * 1000.0);
        }
    }
    let drafts = if report.drafts > 0 {
        format!(", {} drafts skipped", report.drafts)
    } else {
        String::new()
    };
    let warnings = match report.warnings.len() {
        0 => String::new(),
        1 => ", 1 warning".to_string(),
        n => format!(", {n} warnings"),
    };
    let kept = if report.rendered < report.pages {
        format!(
            " ({} rendered, the others kept from {}/)",
            report.rendered,
            crate::cache::DIR
        )
    } else {
        String::new()
    };
    eprintln!(
        "built {} pages{kept}, {} data files, {} assets{drafts}{warnings} in {:.2} s -> {}",
        report.pages,
        report.data_files,
        report.assets,
        report.elapsed.as_secs_f64(),
        report.out.display()
    );
    Ok(())
}
