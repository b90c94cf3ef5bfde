//! The command line: clap definitions only.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::LinkPolicy;

/// A static site generator for technical comparisons.
#[derive(Debug, Parser)]
#[command(name = "versus", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site in content/ into public/ (or --out).
    Build(BuildArgs),
    /// Create a new site in DIR, ready to build.
    Init(InitArgs),
    /// Build, serve on 127.0.0.1, rebuild on every save and reload the browser.
    Watch(WatchArgs),
    /// Build in memory and report broken links, missing images and other problems, without writing.
    Check(CheckArgs),
    /// Run the benchmarks defined under content/benchmarks/ and write their results.
    Bench(BenchArgs),
    /// Print or write the JSON Schemas of versus.toml, matrices and benchmark files, for editors.
    ///
    /// One schema (`config` for versus.toml, `front-matter` for a page's front matter, `matrix`, `bench-meta` for NAME.meta.toml, `results`, or `benchmarks` for benchmarks.toml) to standard output or to `--out FILE`; with no NAME, every one into `--out DIR`.
    Schema(SchemaArgs),
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which schema: `config`, `front-matter`, `matrix`, `bench-meta`, `results` or `benchmarks`. Without NAME, `--out DIR` writes every one.
    #[arg(required_unless_present = "out")]
    pub name: Option<String>,
    /// With NAME, write its schema to this file (its folder made if missing) instead of standard output. Without NAME, write every schema into this folder (made if missing) as NAME.json.
    #[arg(short, long, value_name = "FILE|DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The site's folder: where versus.toml, content/ and themes/ are.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// Include pages marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// Also check links to other sites, over the network.
    #[arg(long)]
    pub external: bool,
    /// Warn about benchmark results measured more than DAYS days ago,
    /// instead of `max_age_days` in the benchmark definitions (365 when
    /// they do not say).
    #[arg(long, value_name = "DAYS")]
    pub max_age: Option<u64>,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// The site's folder: where versus.toml, content/ and themes/ are.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// Benchmarks to run (all when none is named).
    pub names: Vec<String>,
    /// List the benchmarks and the runtimes, and exit.
    #[arg(long)]
    pub list: bool,
    /// Measure only on these runtimes (their `id`s, as `--list` shows them;
    /// comma-separated or repeated). Lines of the other runtimes' versions
    /// are kept.
    #[arg(long = "runtime", value_name = "ID", value_delimiter = ',')]
    pub runtimes: Vec<String>,
    /// Replace every old line of the benchmarks that run, whatever its
    /// version (by default only the lines of the versions measured now).
    #[arg(long, conflicts_with = "runtimes")]
    pub fresh: bool,
    /// Measured runs per subject, instead of each benchmark's `runs`.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub runs: Option<u32>,
    /// Warm-up runs per subject, instead of each benchmark's `warmup`.
    #[arg(long, value_name = "N")]
    pub warmup: Option<u32>,
    /// Never show a progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    /// The site's folder: where versus.toml, content/ and themes/ are.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// Port to serve on (0 picks a free one).
    #[arg(long, short, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on. Anything but loopback exposes your drafts to the network.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Open the site in the default browser once it is served.
    #[arg(long)]
    pub open: bool,
    /// Include pages marked `draft = true` (the default in watch mode is to leave them out, like build).
    #[arg(long)]
    pub drafts: bool,
    /// What a broken internal link does (overrides `links` in versus.toml).
    #[arg(long, value_enum, value_name = "POLICY")]
    pub links: Option<LinkPolicy>,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The site's folder: where versus.toml, content/ and themes/ are.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site (relative to --root).
    #[arg(long, short, value_name = "DIR", default_value = "public")]
    pub out: PathBuf,
    /// Include pages marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// What a broken internal link does (overrides `links` in versus.toml).
    #[arg(long, value_enum, value_name = "POLICY")]
    pub links: Option<LinkPolicy>,
    /// Print how long each build step took.
    #[arg(long)]
    pub timings: bool,
    /// Never show a progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    /// Also write the built site as one zip file, to read offline.
    #[arg(long, value_name = "FILE.zip")]
    pub bundle: Option<PathBuf>,
    /// Build everything, ignoring what the last build kept in .versus/ (the
    /// cache is written anew).
    #[arg(long)]
    pub clean: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to create the site in (created if missing; must not hold a site already).
    pub dir: PathBuf,
    /// The new site's title.
    #[arg(long, default_value = "My comparison")]
    pub title: String,
}
