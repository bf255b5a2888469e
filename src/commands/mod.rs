//! Subcommands with enough code to deserve their own file.

pub mod bench;
pub mod bench_ingest;
pub mod corrections;
pub mod demo;
pub mod eval;
pub mod eval_merge;
pub mod events;
pub mod extract;
pub mod gazetteer;
pub mod ingest;
pub mod notes_corpus;
pub mod serve;
pub mod stats;
pub mod train;
