//! `versus watch`: the loop lives in `watch/`, the server in `serve.rs`.

use std::net::SocketAddr;

use crate::cli::WatchArgs;
use crate::pipeline::Options;
use crate::report::error::{Error, Result};

pub fn run(args: &WatchArgs) -> Result<()> {
    let root = std::fs::canonicalize(&args.root).map_err(|e| Error::io(&args.root, e))?;
    let opts = Options {
        drafts: args.drafts,
        links: args.links,
        ..Options::new(&root)
    };
    crate::watch::run(&opts, SocketAddr::new(args.bind, args.port), args.open)
}
