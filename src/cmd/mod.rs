//! One module per subcommand: glue between the command line and the stages.

pub mod bench;
pub mod build;
pub mod check;
pub mod init;
pub mod schema;
pub mod watch;
