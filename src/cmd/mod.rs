//! One module per subcommand: glue between the command line and the stages.

pub mod build;
pub mod init;
pub mod watch;
