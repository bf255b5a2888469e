//! warcoder's event store: an embedded SQLite database (or a PostgreSQL
//! one, [`pg`]) of coded documents, their events and estimates, and
//! incidents merged across articles.
//!
//! ```text
//! input (files, directories, WARC) ─► extraction (rayon, warcoder-core)
//!        ─► one writer thread ─► SQLite (WAL): documents, events, estimates, incidents
//! ```
//!
//! - [`input`] walks paths; [`warc`] reads WARC files record by record with
//!   caps on every size a hostile file controls.
//! - [`ingest`] runs the pipeline: parallel extraction, a single writer
//!   committing whole documents in batched transactions.
//! - [`merge`] is the rule that says whether two events from different
//!   articles are one incident; [`incident`] builds an incident from its
//!   member events (tolls recomputed over every source); [`sketch`] finds
//!   near-duplicate documents (MinHash) so that copies merge through content.
//! - [`correction`] keeps analysts' corrections beside the machine coding;
//!   [`browse`] answers the web view (pages, timeline, map, evidence).
//! - [`store`] owns the database: schema migrations, inserts, the merger's
//!   bookkeeping (its write flow, `store::write`, shared with [`pg`]);
//!   [`query`], [`export`] and [`stats`] read it.
//! - [`pg`] is the same store on PostgreSQL, for several writers at once;
//!   [`db`] opens either from one `--db` value.

pub mod browse;
pub mod correction;
pub mod db;
pub mod export;
pub mod failure;
pub mod incident;
pub mod ingest;
pub mod input;
pub mod merge;
pub mod pg;
pub mod query;
mod schema;
pub mod sketch;
pub mod stats;
pub mod store;
pub mod warc;

pub use db::Db;
pub use failure::Failure;
pub use incident::Incident;
pub use ingest::{ingest, IngestOptions, Observer, Summary};
pub use pg::PgStore;
pub use query::{Filter, JoinedReport, Membership};
pub use store::{NewDocument, PairCheck, Store, StoreError};
