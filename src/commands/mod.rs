//! Subcommands with enough code to deserve their own file.

pub mod bench;
pub mod eval;
