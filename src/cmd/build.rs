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
    for note in &report.notes {
        eprintln!("{note}");
    }
    eprintln!("{}", report.summary());
    Ok(())
}
