//! The store a `--db` value names: a SQLite file (any path, the default)
//! or a PostgreSQL database (`postgres://` or `postgresql://` URL), behind
//! one value with the operations the commands use.

use std::path::Path;

use crate::incident::Incident;
use crate::pg::{self, PgStore};
use crate::query::{Filter, JoinedReport};
use crate::stats::Stats;
use crate::store::{BatchReport, NewDocument, Result, Store, StoreError};

pub enum Db {
    Sqlite(Store),
    // Boxed: its prepared statements make it several times larger.
    Postgres(Box<PgStore>),
}

/// The PostgreSQL URL `db` is, if it is one (a path that is not UTF-8
/// is always a file).
fn url(db: &Path) -> Option<&str> {
    db.to_str().filter(|s| pg::is_url(s))
}

/// How messages name the store `db`: the path, or the URL without its
/// password.
pub fn display(db: &Path) -> String {
    match url(db) {
        Some(u) => pg::redacted(u),
        None => db.display().to_string(),
    }
}

impl Db {
    /// Open the store, creating (and migrating) it as needed.
    pub fn open(db: &Path) -> Result<Db> {
        Ok(match url(db) {
            Some(u) => Db::Postgres(Box::new(PgStore::open(u)?)),
            None => Db::Sqlite(Store::open(db)?),
        })
    }

    /// Open a store that must exist, for queries.
    pub fn open_existing(db: &Path) -> Result<Db> {
        Ok(match url(db) {
            Some(u) => Db::Postgres(Box::new(PgStore::open_existing(u)?)),
            None => Db::Sqlite(Store::open_existing(db)?),
        })
    }

    /// How messages name it (see [`display`]).
    pub fn name(&self) -> String {
        match self {
            Db::Sqlite(s) => s.path().display().to_string(),
            Db::Postgres(p) => p.location().to_string(),
        }
    }

    pub fn insert(&mut self, docs: &[NewDocument]) -> Result<BatchReport> {
        match self {
            Db::Sqlite(s) => s.insert(docs),
            Db::Postgres(p) => p.insert(docs),
        }
    }

    pub fn contains(&mut self, sha256: &str) -> Result<bool> {
        match self {
            Db::Sqlite(s) => s.contains(sha256),
            Db::Postgres(p) => p.contains(sha256),
        }
    }

    pub fn incident(&mut self, id: i64) -> Result<Option<Incident>> {
        match self {
            Db::Sqlite(s) => s.incident(id),
            Db::Postgres(p) => p.incident(id),
        }
    }

    pub fn merge_explanation(&mut self, id: i64) -> Result<Option<Vec<JoinedReport>>> {
        match self {
            Db::Sqlite(s) => s.merge_explanation(id),
            Db::Postgres(p) => p.merge_explanation(id),
        }
    }

    pub fn for_each_incident<E: From<StoreError>>(
        &mut self,
        filter: &Filter,
        each: impl FnMut(Incident) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        match self {
            Db::Sqlite(s) => s.for_each_incident(filter, each),
            Db::Postgres(p) => p.for_each_incident(filter, each),
        }
    }

    pub fn stats(&mut self) -> Result<Stats> {
        match self {
            Db::Sqlite(s) => s.stats(),
            Db::Postgres(p) => p.stats(),
        }
    }
}
